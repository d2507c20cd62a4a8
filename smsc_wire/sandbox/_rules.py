"""The service's rules (SPEC D15): each a small function, its parameters in a config dataclass.

Strategy: :class:`Rules` is a frozen value holding one small frozen dataclass per rule; a rule
that can be switched off is ``None`` there. The sandbox reads ``rules`` once per request, so a
test swaps the whole value (``sandbox.configure(add_limit=None)``) between requests without a
lock. The functions here are pure: they take the parameters and what the state holds (a deque of
times, a password) and answer; the state (:mod:`smsc_wire.sandbox._state`) owns the data and
the lock.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import random
import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from smsc_wire._codes import ErrorCode
from smsc_wire._formats import FORMATS
from smsc_wire._models import ErrorReply

from ._errors import SandboxError, is_seconds, is_str

DESCRIPTIONS: Final[Mapping[int, str]] = {
    # SPEC §2: the texts seen from the live service...
    ErrorCode.PARAMETERS_ERROR: "parameters error",
    ErrorCode.AUTHORISATION_ERROR: "authorise error",
    ErrorCode.SENDER_NOT_FOUND: "record not found",
    ErrorCode.SAVE_ERROR: "save error",
    ErrorCode.INVALID_NUMBER: "invalid number",
    ErrorCode.CODE_NOT_DELIVERABLE: "can't to deliver",
    ErrorCode.TOO_MANY_REQUESTS: "duplicate request, wait a minute",
    # ...and the sandbox's own for the codes whose text no capture shows (SPEC D15 leaves it open).
    ErrorCode.IP_TEMPORARILY_BLOCKED: "ip address blocked, wait 30 minutes",
    ErrorCode.CODE_ALREADY_SENT: "code already sent, wait 8 hours",
    ErrorCode.INVALID_CODE: "invalid code",
}
"""The description the sandbox writes for each error code (SPEC §2; 4, 10 and 11 its own)."""


def error(code: ErrorCode) -> ErrorReply:
    """The error reply of ``code`` with the sandbox's description."""
    return ErrorReply(code, DESCRIPTIONS[code])


def _positive(owner: str, name: str, value: object, *, integer: bool = False) -> None:
    ok = (type(value) is int and value >= 1) if integer else (is_seconds(value) and value != 0)
    if not ok:
        kind = "an int of at least 1" if integer else "a finite number of seconds over 0"
        raise SandboxError(f"{owner}.{name} must be {kind}, not {value!r}")


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``limit`` requests within ``window`` seconds; the next one is error 9 (SPEC §2).

    >>> RateLimit(3).limit, RateLimit(3).window
    (3, 60.0)
    """

    limit: int
    window: float = 60.0

    def __post_init__(self) -> None:
        _positive("RateLimit", "limit", self.limit, integer=True)
        _positive("RateLimit", "window", self.window)
        object.__setattr__(self, "window", float(self.window))


@dataclass(frozen=True, slots=True)
class IpBlock:
    """``failures`` authentication errors from one address within ``window`` seconds block that
    address for ``duration`` seconds: error 4 (the service's FAQ, SPEC D15)."""

    failures: int = 5
    window: float = 1800.0
    duration: float = 1800.0

    def __post_init__(self) -> None:
        _positive("IpBlock", "failures", self.failures, integer=True)
        _positive("IpBlock", "window", self.window)
        _positive("IpBlock", "duration", self.duration)
        object.__setattr__(self, "window", float(self.window))
        object.__setattr__(self, "duration", float(self.duration))


@dataclass(frozen=True, slots=True)
class NameRule:
    """The published rule for sender names: ``pattern`` (Latin letters, digits, ``.``, ``-``,
    ``_``, at most 11 characters), or a phone number (:attr:`Rules.phone`) for a digital name."""

    pattern: str = r"[A-Za-z0-9._-]{1,11}"

    def __post_init__(self) -> None:
        _compiles("NameRule.pattern", self.pattern)


@dataclass(frozen=True, slots=True)
class CodeRule:
    """Confirmation codes: ``length`` random digits, or always ``fixed``; a second code to the
    same number within ``resend_after`` seconds is error 10 (``None``: no such limit)."""

    length: int = 6
    fixed: str | None = None
    resend_after: float | None = 8 * 3600.0

    def __post_init__(self) -> None:
        _positive("CodeRule", "length", self.length, integer=True)
        if self.length > 20:
            raise SandboxError(f"CodeRule.length must be at most 20, not {self.length}")
        if self.fixed is not None and not (
            is_str(self.fixed) and re.fullmatch(r"[0-9A-Za-z]{1,20}", self.fixed)
        ):
            raise SandboxError("CodeRule.fixed must be 1 to 20 ASCII letters or digits")
        if self.resend_after is not None:
            _positive("CodeRule", "resend_after", self.resend_after)
            object.__setattr__(self, "resend_after", float(self.resend_after))


def _compiles(what: str, pattern: object) -> None:
    if not is_str(pattern):
        raise SandboxError(f"{what} must be a regular expression (str), not {pattern!r}")
    try:
        re.compile(str(pattern))
    except re.error as exc:
        raise SandboxError(f"{what} {pattern!r} is not a regular expression: {exc}") from None


@dataclass(frozen=True, slots=True)
class Rules:
    """Every rule of SPEC D15 and its parameters; ``None`` switches a rule off.

    The defaults are the service's documented behaviour. :meth:`replace` (or
    ``Sandbox.configure``) changes some of them:

    >>> rules = Rules().replace(names=None, bare_ok=True)  # any name; a bare OK in fmt 2 and 3
    >>> rules.names is None, rules.add_limit
    (True, RateLimit(limit=5, window=60.0))
    """

    md5: bool = True
    """Whether ``psw`` may be the lower-case hex MD5 digest of the password (SPEC §7)."""
    ip_block: IpBlock | None = IpBlock()
    """Blocking an address after repeated authentication errors (error 4)."""
    list_limit: RateLimit | None = RateLimit(3)
    """Identical ``get`` requests per login (the fourth within a minute: error 9)."""
    add_limit: RateLimit | None = RateLimit(5)
    """``add`` requests per login (the sixth within a minute: error 9)."""
    max_in_flight: int | None = 14
    """Requests under one login at once (the fifteenth: error 9)."""
    names: NameRule | None = NameRule()
    """The published name rule (an error 1 otherwise); ``None`` allows any name that every fmt
    can carry (SPEC D8), so that ``Shop, Inc`` or Cyrillic can be tested."""
    phone: str = r"\+?[0-9]{10,15}"
    """What a phone number is (a digital name; ``send_code`` to anything else: error 7)."""
    codes: CodeRule = CodeRule()
    """Confirmation codes and the 8-hour rule (error 10)."""
    bare_ok: bool = False
    """Whether the OK operations answer a bare ``OK`` under fmt 2 and 3 (SPEC D6)."""

    def __post_init__(self) -> None:
        for name, kind in (
            ("ip_block", IpBlock),
            ("list_limit", RateLimit),
            ("add_limit", RateLimit),
            ("names", NameRule),
            ("codes", CodeRule),
        ):
            value = getattr(self, name)
            if not isinstance(value, kind) and not (value is None and name != "codes"):
                allowed = kind.__name__ if name == "codes" else f"a {kind.__name__} or None"
                raise SandboxError(f"Rules.{name} must be {allowed}, not {value!r}")
        if self.max_in_flight is not None:
            _positive("Rules", "max_in_flight", self.max_in_flight, integer=True)
        for flag in ("md5", "bare_ok"):
            if type(getattr(self, flag)) is not bool:
                raise SandboxError(f"Rules.{flag} must be True or False")
        _compiles("Rules.phone", self.phone)

    def replace(self, **changes: object) -> Rules:
        """These rules with ``changes`` (field names as keywords); unknown names are an error."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            known = ", ".join(f.name for f in dataclasses.fields(self))
            raise SandboxError(f"unknown rule {unknown[0]!r}: the rules are {known}")
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def without_limits(cls) -> Rules:
        """The service's rules without the rate limits and the IP block (for load tests)."""
        return cls(ip_block=None, list_limit=None, add_limit=None, max_in_flight=None)


# --- the rules as functions ---------------------------------------------------------------------


def md5_hex(password: str) -> str:
    """The lower-case hex MD5 digest of ``password`` (UTF-8), as clients send it in ``psw``."""
    return hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()


def password_matches(given: str, password: str, digest: str, rules: Rules) -> bool:
    """Whether ``psw`` is the password, or (``rules.md5``) its lower-case hex MD5 ``digest``."""
    if hmac.compare_digest(given.encode("utf-8"), password.encode("utf-8")):
        return True
    return rules.md5 and hmac.compare_digest(given.encode("utf-8"), digest.encode("ascii"))


def is_phone(text: str, rules: Rules) -> bool:
    """Whether ``text`` is a phone number (a digital sender name, SPEC §7)."""
    return re.fullmatch(rules.phone, text) is not None


def carried_everywhere(name: str) -> bool:
    """Whether every fmt can carry ``name`` under every key (SPEC D8), so any ``get`` lists it."""
    return all(wire.can_carry(name, operators=True) for wire in FORMATS.values())


def name_allowed(name: str, rules: Rules) -> bool:
    """Whether ``add`` accepts ``name``: the published rule or a phone number, or with the rule
    off any name that every fmt can carry."""
    if not carried_everywhere(name):
        return False
    if rules.names is None:
        return True
    return re.fullmatch(rules.names.pattern, name) is not None or is_phone(name, rules)


def admit(hits: deque[float], now: float, limit: RateLimit) -> bool:
    """A sliding window: forget hits older than the window, then admit ``now`` if fewer than
    ``limit.limit`` remain (and count it). A refused request is not counted."""
    while hits and hits[0] <= now - limit.window:
        hits.popleft()
    if len(hits) >= limit.limit:
        return False
    hits.append(now)
    return True


def new_code(rule: CodeRule, rng: random.Random) -> str:
    """A confirmation code: ``rule.fixed``, or ``rule.length`` random digits."""
    if rule.fixed is not None:
        return rule.fixed
    return "".join(rng.choice("0123456789") for _ in range(rule.length))


def list_signature(params: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """What makes two ``get`` requests of one login identical: their parameters but the
    authentication, in any order (SPEC §2, error 9)."""
    return tuple(sorted((n, v) for n, v in params.items() if n not in ("login", "psw", "apikey")))
