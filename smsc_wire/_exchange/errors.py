"""The error of the request half of the exchange, and the one rule for showing a secret.

Strategy: every check of a request, built or parsed, raises :class:`RequestError` with the
parameter at fault and a bounded message (SPEC D11). Secrets (``psw``, ``apikey``, SPEC §7 D13)
are never part of a message: no message shows a value of theirs, not even one character of it.
"""

from __future__ import annotations

from typing import Final

from smsc_wire._errors import SmscWireError, shown

SECRETS: Final = frozenset({"psw", "apikey"})
"""The parameters whose values are never shown (SPEC D13)."""

MASK: Final = "***"
"""What a secret value is shown as."""


def named(name: str) -> str:
    """A parameter name as a message shows it (bounded: a name comes from the input too)."""
    return shown(name, 40)


class RequestError(SmscWireError, ValueError):
    """A request that cannot be built, parsed or written (SPEC §7, D13).

    ``parameter`` names the parameter at fault as it is (or would be) written on the wire
    (``"sender"``, ``"charset"``, ``"file"`` for the document's part), or the builder keyword
    whose argument is at fault where that names no one parameter (``"operators"``, ``"fields"``,
    ``"params"``); ``None`` where no parameter is (no operation flag, a body that is not a form).
    ``reason`` is the message. Never holds the value of ``psw`` or ``apikey``; survives pickling.

    >>> Request.from_url("?get=1&fmt=x")
    Traceback (most recent call last):
      ...
    smsc_wire._exchange.errors.RequestError: fmt must be decimal digits, not 'x' (SPEC D13)
    """

    def __init__(self, reason: str, *, parameter: str | None = None) -> None:
        self.reason = reason
        self.parameter = parameter
        super().__init__(reason)
