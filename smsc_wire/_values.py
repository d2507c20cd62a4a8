"""The value rules every fmt shares when reading: numbers, operator fields and their values.

Strategy: a wire format finds the text of a field; what that text may be is decided here once
(SPEC D4, D8, D9), so the four formats cannot drift apart. Each rule raises a
:class:`~smsc_wire.DecodeFailure` at the position the format passes in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from ._codes import ERROR_CODE_TEXT, ErrorCode, error_code, operator_status
from ._errors import DecodeFailure

if TYPE_CHECKING:
    from ._models import OperatorValue

MAX_UINT: Final = 2**63 - 1
"""The largest id or status code (SPEC D9)."""

OPERATOR_FIELDS: Final = (
    "mega_step", "bee_step", "motiv_step", "sber_step", "winmob_step", "volnamob_step", "mts_step",
    "tele2_step", "tele2", "ua_reg", "ua_int", "mega_int", "motiv_int", "mts_int", "motiv",
    "by_reg", "by_int", "tele2_int", "sber_int",
)  # fmt: skip
"""The documented operator fields in fmt 0 and fmt 2 order (SPEC §3)."""

OPERATOR_FIELDS_JSON: Final = (
    "mega_step", "mega_int", "bee_step", "motiv", "motiv_step", "motiv_int", "sber_step",
    "sber_int", "winmob_step", "volnamob_step", "mts_step", "mts_int", "tele2_step", "tele2",
    "tele2_int", "ua_reg", "ua_int", "by_reg", "by_int",
)  # fmt: skip
"""The documented operator fields in fmt 3 order (SPEC §3)."""

RESERVED_FIELDS: Final = frozenset({"name", "sender", "status", "id"})
"""Field names that are never operator fields in any fmt (SPEC D4)."""

NUMBER_LIKE: Final = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""Text that reads as a number: an operator value like this must be an unsigned integer (D9)."""

LINE_BREAK: Final = re.compile(r"[\r\n\x00]")
"""What no name, operator field name or raw operator value may hold (SPEC D4, D8)."""

FIELD_START: Final = re.compile(r", [a-z0-9_]+ = ")
"""Where a fmt 0 ``operators=1`` field starts: no name or raw value may hold it (SPEC D8)."""


def shorten(text: str) -> str:
    """``repr`` of a short prefix of ``text``, for messages about a value read from the body."""
    text = str.__str__(text)  # a lark Token or another str subclass would show its own repr
    return repr(text if len(text) <= 24 else text[:20] + "…")


def parse_uint(digits: str, pos: int | None, what: str) -> int:
    """``digits`` (ASCII digits, already matched) as an int no larger than ``MAX_UINT``."""
    significant = digits.lstrip("0")
    # Checked before int(): a long run of digits would make int() slow (and raise past 4300).
    if len(significant) > 19 or (len(significant) == 19 and int(significant) > MAX_UINT):
        raise DecodeFailure(f"{what} {shorten(digits)} is over 2**63-1 (SPEC D9)", pos)
    return int(significant or "0")


_MAX_UINT_TEXT: Final = str(MAX_UINT)


def uint_text(raw: str) -> int | None:
    """``raw`` as an int if it is at most 19 ASCII digits no larger than ``MAX_UINT``; else
    ``None``, and the caller's checked path reads it (or explains it, with its position).

    Nineteen digits are compared as text: ids near 2**63 are common (the server's own are), and
    each one left to the grammar cost a parse of its whole body with lark (issue 12).
    """
    if raw.isdigit() and raw.isascii():
        size = len(raw)
        if size < 19 or (size == 19 and raw <= _MAX_UINT_TEXT):
            return int(raw)
    return None


def error_code_text(digits: str) -> ErrorCode | int | None:
    """An error code written as ``digits``, as a fast reader takes it; ``None``: not one it
    takes (the checked path reads it, or explains it)."""
    code = ERROR_CODE_TEXT.get(digits)
    if code is None:
        number = uint_text(digits)
        return None if number is None else error_code(number)
    return code


def operator_value(raw: str, pos: int | None) -> OperatorValue:
    """An operator field's text: a status code where it is digits, else kept raw (SPEC D4)."""
    if raw.isascii() and raw.isdigit():
        return operator_status(parse_uint(raw, pos, "operator status"))
    if NUMBER_LIKE.fullmatch(raw):
        raise DecodeFailure(
            f"operator status {shorten(raw)} is not an unsigned integer (SPEC D9)", pos
        )
    if LINE_BREAK.search(raw):
        # SPEC D4: encode refuses such a value, so decode does too (every decoded model can be
        # written back).
        raise DecodeFailure(
            f"operator value {shorten(raw)} holds CR, LF or NUL, which no fmt can carry (SPEC D4)",
            pos,
        )
    return raw


def operator_name_failure(name: str) -> str | None:
    """Why ``name`` cannot be an operator field name in any fmt (SPEC D4), or ``None``."""
    if not name:
        return "an operator field name is empty (SPEC D4)"
    if name in RESERVED_FIELDS:
        return f"field {shorten(name)} is not allowed here for this key"
    if LINE_BREAK.search(name):
        return f"operator field name {shorten(name)} holds CR, LF or NUL (SPEC D4)"
    return None
