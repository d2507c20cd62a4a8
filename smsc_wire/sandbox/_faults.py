"""Faults to inject, for testing how a client copes (SPEC D15): what each one does to a reply.

Strategy: a fault is a small frozen value; :meth:`Sandbox.inject` wraps it in an
:class:`Injection` (how many requests it still applies to, and which ones). Faults act at one of
three moments: before the request is served (:class:`Latency` holds it, :class:`HttpStatus` and
:class:`ErrorAnswer` answer instead of serving it, so the state does not change), on the reply's
text (:class:`NonCanonical`, :class:`BareOk`: a valid reply laid out otherwise), or on its
transport (:class:`CloseMidBody`, :class:`TruncatedBody`: the request *was* served, the reply is
lost on the way — the case a client must not retry blindly). A fault that cannot act on a reply
(a bare ``OK`` for a list, a layout that changes nothing) leaves it alone and is not used up.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from smsc_wire._api import decode
from smsc_wire._formats import FORMATS
from smsc_wire._models import Ok

from ._errors import SandboxError, is_seconds

if TYPE_CHECKING:
    from smsc_wire._exchange import Request
    from smsc_wire._key import Key
    from smsc_wire._models import Reply


@dataclass(frozen=True, slots=True)
class Latency:
    """Hold the request ``seconds`` before serving it (while it counts as in flight)."""

    seconds: float

    def __post_init__(self) -> None:
        if not is_seconds(self.seconds):
            raise SandboxError(
                f"Latency.seconds must be a finite number from 0, not {self.seconds!r}"
            )
        object.__setattr__(self, "seconds", float(self.seconds))


@dataclass(frozen=True, slots=True)
class HttpStatus:
    """Answer HTTP ``status`` (500-599) with a plain-text ``body`` instead of serving the request.

    >>> HttpStatus(503).body
    b'503 Service Unavailable (injected by the sandbox)'
    """

    status: int = 500
    body: bytes | None = None

    def __post_init__(self) -> None:
        if type(self.status) is not int or not 500 <= self.status <= 599:
            raise SandboxError(f"HttpStatus.status must be from 500 to 599, not {self.status!r}")
        if self.body is None:
            text = f"{self.status} {self.reason} (injected by the sandbox)"
            object.__setattr__(self, "body", text.encode("ascii"))
        elif not isinstance(self.body, bytes):
            raise SandboxError("HttpStatus.body must be bytes")

    @property
    def reason(self) -> str:
        """The status line's reason phrase."""
        return _REASONS.get(self.status, "Server Error")


_REASONS: Final = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(frozen=True, slots=True)
class ErrorAnswer:
    """Answer the error reply ``code`` (e.g. 5, ``save error``) instead of serving the request.

    ``description`` defaults to the sandbox's text for the code (``error N`` for another code).
    """

    code: int
    description: str | None = None

    def __post_init__(self) -> None:
        if type(self.code) is not int or not 1 <= self.code <= 2**31:
            raise SandboxError(f"ErrorAnswer.code must be a positive int, not {self.code!r}")
        if self.description is not None and not isinstance(self.description, str):
            raise SandboxError("ErrorAnswer.description must be a str or None")


@dataclass(frozen=True, slots=True)
class CloseMidBody:
    """Serve the request, send the headers and half the body, then close the connection."""


@dataclass(frozen=True, slots=True)
class TruncatedBody:
    """Serve the request, announce the whole body's Content-Length, send half of it and close."""


Layout = Literal[
    "auto", "crlf", "trailing_newline", "xml_declaration", "compact_json", "indented_json", "bom"
]
LAYOUTS: Final[tuple[Layout, ...]] = (
    "auto", "crlf", "trailing_newline", "xml_declaration", "compact_json", "indented_json", "bom"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NonCanonical:
    """Write the reply in a layout ``decode`` accepts but that is not canonical (SPEC D6).

    ``crlf`` (CR LF line endings; a single-line body gets a trailing CR LF), ``trailing_newline``,
    ``xml_declaration`` (fmt 2), ``compact_json`` and ``indented_json`` (fmt 3), ``bom`` (a
    UTF-8 byte-order mark, charset utf-8 only); ``auto`` picks the first of the fmt's own
    (fmt 3: compact JSON, fmt 2: an XML declaration, fmt 0 and 1: CR LF) that changes the body,
    then a trailing newline, then a byte-order mark.
    """

    layout: Layout = "auto"

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise SandboxError(
                f"NonCanonical.layout must be one of {', '.join(LAYOUTS)}, not {self.layout!r}"
            )


@dataclass(frozen=True, slots=True)
class BareOk:
    """Answer a bare ``OK`` to an OK operation under fmt 2 or 3 (SPEC D6), once or N times."""


Fault: TypeAlias = (
    Latency | HttpStatus | ErrorAnswer | CloseMidBody | TruncatedBody | NonCanonical | BareOk
)
"""Every fault :meth:`Sandbox.inject` takes."""

FAULT_TYPES: Final = (
    Latency, HttpStatus, ErrorAnswer, CloseMidBody, TruncatedBody, NonCanonical, BareOk
)  # fmt: skip

Predicate: TypeAlias = Callable[["Request"], bool]


class Injection:
    """One injected fault: which requests it applies to, and how many more times.

    Returned by :meth:`Sandbox.inject`. ``remaining`` is ``None`` for "every matching request";
    ``used`` counts the requests it acted on; :meth:`cancel` stops it.
    """

    __slots__ = ("_lock", "fault", "remaining", "used", "when")

    def __init__(self, fault: Fault, times: int | None, when: Predicate | None) -> None:
        if not isinstance(fault, FAULT_TYPES):
            raise SandboxError(f"not a fault: {type(fault).__name__}")
        if times is not None and (type(times) is not int or times < 1):
            raise SandboxError(f"times must be an int of at least 1 or None, not {times!r}")
        if when is not None and not callable(when):
            raise SandboxError("when must be a function of the Request, or None")
        self.fault: Final = fault
        self.remaining: int | None = times
        self.used = 0
        self.when: Final = when
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        left = "every time" if self.remaining is None else f"{self.remaining} more"
        return f"<Injection {self.fault!r}: {left}, used {self.used}>"

    @property
    def active(self) -> bool:
        """Whether it will still act on some request."""
        return self.remaining is None or self.remaining > 0

    def cancel(self) -> None:
        """Act on no further request."""
        with self._lock:
            self.remaining = 0

    def matches(self, request: Request | None) -> bool:
        """Whether it applies to ``request`` (a request that did not parse matches only an
        injection without ``when``). A predicate that raises does not match."""
        if not self.active:
            return False
        if self.when is None:
            return True
        if request is None:
            return False
        try:
            return bool(self.when(request))
        except Exception:  # a test's predicate is not the server's business: it did not match
            return False

    def take(self) -> bool:
        """Use it up once, if it has uses left (two threads cannot both take the last one)."""
        with self._lock:
            if self.remaining is None:
                self.used += 1
                return True
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            self.used += 1
            return True


# --- what the text faults do to a reply ---------------------------------------------------------


def _layout(layout: Layout, text: str, fmt: int) -> str:
    if layout == "crlf":
        return text.replace("\n", "\r\n") if "\n" in text else text + "\r\n"
    if layout == "trailing_newline":
        return text + "\n"
    if layout == "bom":
        return "\ufeff" + text
    if layout == "xml_declaration":
        return '<?xml version="1.0"?>\n' + text if fmt == 2 else text
    if fmt != 3:
        return text
    try:
        data = json.loads(text)
    except ValueError:  # not JSON (a bare OK): no JSON layout of it
        return text
    if layout == "compact_json":
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=False, indent=2)


_AUTO: Final[dict[int, tuple[Layout, ...]]] = {
    0: ("crlf", "trailing_newline", "bom"),
    1: ("crlf", "trailing_newline", "bom"),
    2: ("xml_declaration", "crlf", "trailing_newline", "bom"),
    3: ("compact_json", "trailing_newline", "bom"),
}


def relayout(
    fault: NonCanonical, reply: Reply, key: Key, charset: str, body: bytes
) -> bytes | None:
    """``body`` (the canonical bytes of ``reply``) in the fault's layout, or ``None`` where that
    layout does not apply: it would change nothing, or not decode to the same reply."""
    text = body.decode(charset)
    layouts = _AUTO.get(key.fmt, ()) if fault.layout == "auto" else (fault.layout,)
    for layout in layouts:
        changed = _layout(layout, text, key.fmt)
        if changed == text:
            continue
        try:
            data = changed.encode(charset)
            if decode(data, key, charset=charset) == reply:
                return data
        except (ValueError, LookupError):  # the charset cannot carry it, or decode refuses it
            continue
    return None


def bare_ok_applies(reply: Reply, key: Key) -> bool:
    """Whether a bare ``OK`` can stand for ``reply`` under ``key`` (SPEC D6: fmt 2 and 3)."""
    wire = FORMATS.get(key.fmt)
    return isinstance(reply, Ok) and wire is not None and wire.bare_ok
