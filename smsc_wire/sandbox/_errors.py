"""The one exception of the sandbox's control API.

Strategy: every argument the control API refuses (an unknown login, a status that is not a code,
a rule parameter out of range, a state file that is not one) raises :class:`SandboxError`, a
``ValueError`` and a :class:`smsc_wire.SmscWireError`, with a message that names what is wrong
and never holds a password or an API key (SPEC D13).
"""

from __future__ import annotations

import math
import os

from smsc_wire._errors import SmscWireError


class SandboxError(SmscWireError, ValueError):
    """A control-API call the sandbox refuses: bad input, or a state it cannot be in.

    >>> from smsc_wire.sandbox import Sandbox
    >>> Sandbox().senders("nobody")
    Traceback (most recent call last):
      ...
    smsc_wire.sandbox._errors.SandboxError: no account 'nobody'
    """


# Arguments are typed, but callers without a type checker pass anything: these checks take an
# ``object`` so that the type checker does not call them redundant.


def is_str(value: object) -> bool:
    """Whether ``value`` is a ``str``."""
    return isinstance(value, str)


def is_seconds(value: object) -> bool:
    """Whether ``value`` is a finite, non-negative number of seconds (an int or float)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def is_path(value: object) -> bool:
    """Whether ``value`` is a file system path: a ``str`` or an ``os.PathLike``."""
    return isinstance(value, str | os.PathLike)


def is_tuple(value: object) -> bool:
    """Whether ``value`` is a ``tuple``."""
    return isinstance(value, tuple)
