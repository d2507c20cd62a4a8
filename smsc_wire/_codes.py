"""Status and error codes (SPEC §2, §3).

Strategy: each code is an ``IntEnum`` so that known values print with their meaning, while a value
the enum does not know stays a plain ``int`` (SPEC D3, D4): the service adds codes over time and a
reader must not reject them. Decoders map through a dict rather than calling the enum, which is an
order of magnitude cheaper per value.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any, Final


class SenderStatus(IntEnum):
    """The moderation status of a sender name (``status`` with ``all=1``)."""

    AWAITING_MODERATION = 0
    APPROVED = 1
    DISABLED = 2


class OperatorStatus(IntEnum):
    """A sender name's registration status at one operator (``operators=1``)."""

    AWAITING_REGISTRATION = 0
    SENT_FOR_REGISTRATION = 1
    APPROVED = 2
    REJECTED = 3
    TEMPORARILY_DISABLED = 4
    INSUFFICIENT_FUNDS = 5
    DOCUMENTS_NEEDED = 8
    ACTIVATION_FROM_MONTH_START = 9
    APPROVED_MARKED_FOR_DEREGISTRATION = 255


class ErrorCode(IntEnum):
    """The code ``N`` of an error reply."""

    PARAMETERS_ERROR = 1
    AUTHORISATION_ERROR = 2
    SENDER_NOT_FOUND = 3
    IP_TEMPORARILY_BLOCKED = 4
    SAVE_ERROR = 5
    INVALID_NUMBER = 7
    CODE_NOT_DELIVERABLE = 8
    TOO_MANY_REQUESTS = 9
    CODE_ALREADY_SENT = 10
    INVALID_CODE = 11


SENDER_STATUS: Final[dict[int, SenderStatus]] = {m.value: m for m in SenderStatus}
_OPERATOR_STATUS: Final[dict[int, OperatorStatus]] = {m.value: m for m in OperatorStatus}
_ERROR_CODE: Final[dict[int, ErrorCode]] = {m.value: m for m in ErrorCode}


def sender_status(value: int) -> SenderStatus | int:
    """``value`` as a :class:`SenderStatus` where it is one, else the plain int."""
    return SENDER_STATUS.get(value, value)


def operator_status(value: int) -> OperatorStatus | int:
    """``value`` as an :class:`OperatorStatus` where it is one, else the plain int."""
    return _OPERATOR_STATUS.get(value, value)


def error_code(value: int) -> ErrorCode | int:
    """``value`` as an :class:`ErrorCode` where it is one, else the plain int."""
    return _ERROR_CODE.get(value, value)


# The common codes as they appear on the wire, converted once: a dict look-up costs a fraction of
# int() and an enum look-up, and decoding a record is mostly converting codes.
STATUS_TEXT: Final[dict[str, SenderStatus | int]] = {str(n): sender_status(n) for n in range(256)}
OPERATOR_STATUS_TEXT: Final[dict[str, OperatorStatus | int]] = {
    str(n): operator_status(n) for n in range(256)
}
ERROR_CODE_TEXT: Final[dict[str, ErrorCode | int]] = {str(n): error_code(n) for n in range(256)}
"""The common error codes as the text of a body, converted once (as STATUS_TEXT is)."""

# And back: the text of the common codes. An enum member finds its value's text (members hash and
# compare as their ints); f"{member}" would call the enum's __format__, four times the cost of
# formatting an int, for every status and operator field a writer writes (issue 12).
CODE_DIGITS: Final[dict[object, str]] = {n: str(n) for n in range(256)}


INT_TEXT: Final[Callable[[Any], str]] = int.__repr__
"""An int's digits, whatever its class (a writer's values are ints or this library's enums)."""


def code_digits(value: object) -> str:
    """A plain int or one of this library's code enums as its decimal digits."""
    return CODE_DIGITS.get(value) or INT_TEXT(value)
