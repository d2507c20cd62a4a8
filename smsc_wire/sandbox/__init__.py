"""A sandbox of ``senders.php``: a stateful server to test SDKs against, offline (SPEC D15).

:class:`Sandbox` models the service — accounts, sender names with ids, moderation and
per-operator statuses, confirmation codes — and answers real HTTP requests as SPEC says the
service does, in every fmt and charset, with canonical bytes. Every rule can be switched and
tuned (:class:`Rules`), the clock stepped (:class:`Clock`), and faults injected for the next N
requests or those matching a predicate (:class:`Latency`, :class:`HttpStatus`,
:class:`ErrorAnswer`, :class:`CloseMidBody`, :class:`TruncatedBody`, :class:`NonCanonical`,
:class:`BareOk`). Run it in-process as a WSGI application, with :meth:`Sandbox.serve`
(waitress; the ``sandbox`` extra), as ``smsc-wire serve``, or through the pytest fixture
``smsc_sandbox`` (:mod:`smsc_wire.sandbox.pytest_plugin`).

>>> from smsc_wire.sandbox import Sandbox
>>> with Sandbox(accounts=[("shop", "secret")]) as sandbox, sandbox.serve():
...     sandbox.endpoint.endswith("/sys/senders.php")
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from ._app import DEFAULT_ACCOUNT, PATH, Exchange, Sandbox
    from ._errors import SandboxError
    from ._faults import (
        BareOk,
        CloseMidBody,
        ErrorAnswer,
        Fault,
        HttpStatus,
        Injection,
        Latency,
        Layout,
        NonCanonical,
        TruncatedBody,
    )
    from ._rules import DESCRIPTIONS, CodeRule, IpBlock, NameRule, RateLimit, Rules, md5_hex
    from ._server import SandboxServer
    from ._state import Account, Clock, SenderRecord, SentCode

# Imported on first use (PEP 562): `smsc-wire` registers the serve subcommand from ._cli, and
# every other subcommand should not pay for importing the sandbox.
_HOMES: Final = {
    "._app": ("DEFAULT_ACCOUNT", "PATH", "Exchange", "Sandbox"),
    "._errors": ("SandboxError",),
    "._faults": ("BareOk", "CloseMidBody", "ErrorAnswer", "Fault", "HttpStatus", "Injection",
                 "Latency", "Layout", "NonCanonical", "TruncatedBody"),
    "._rules": ("DESCRIPTIONS", "CodeRule", "IpBlock", "NameRule", "RateLimit", "Rules",
                "md5_hex"),
    "._server": ("SandboxServer",),
    "._state": ("Account", "Clock", "SenderRecord", "SentCode"),
}  # fmt: skip
_HOME: Final = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "DEFAULT_ACCOUNT",
    "DESCRIPTIONS",
    "PATH",
    "Account",
    "BareOk",
    "Clock",
    "CloseMidBody",
    "CodeRule",
    "ErrorAnswer",
    "Exchange",
    "Fault",
    "HttpStatus",
    "Injection",
    "IpBlock",
    "Latency",
    "Layout",
    "NameRule",
    "NonCanonical",
    "RateLimit",
    "Rules",
    "Sandbox",
    "SandboxError",
    "SandboxServer",
    "SenderRecord",
    "SentCode",
    "TruncatedBody",
    "md5_hex",
]
