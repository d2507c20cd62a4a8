"""fmt 1: the comma-separated replies (SPEC §2-§5, D1, D5-D8).

Strategy: the line format of :mod:`.lines` in the fmt 1 dialect, defined by
``grammars/fmt1.lark``: bare commas between the fields, found from the end of each line so that a
name may hold commas and needs no quoting. What only fmt 1 has: the error reply ``0,-N``, which
carries no description, and no ``operators=1`` form (SPEC D1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from smsc_wire._codes import error_code
from smsc_wire._models import ErrorDraft, ErrorReply, new_error
from smsc_wire._values import parse_uint, uint_text

from . import FORMATS
from .lines import ERROR_CODES_UTF8, READERS, WRITERS, Dialect, LineCodec

if TYPE_CHECKING:
    from lark import Token

    from smsc_wire._key import Key

    from . import WireFormat


def _read_error(line: str) -> ErrorReply | None:
    number = uint_text(line[3:])
    return None if number is None else new_error(error_code(number), None)


def _read_error_utf8(raw: bytes) -> ErrorReply | None:
    digits = raw[3:]
    try:
        code = ERROR_CODES_UTF8[digits]  # a subscript costs less than get's call
    except KeyError:
        if not (digits.isdigit() and len(digits) < 19):
            return None  # a line ending, a long code or no code: the text path decides
        code = error_code(int(digits))
    reply = ErrorDraft()  # see SenderDraft
    reply.code = code
    reply.description = None
    reply.__class__ = ErrorReply  # type: ignore[assignment]
    return reply  # type: ignore[return-value]


def _error_from_tokens(items: list[Token]) -> ErrorReply:
    (token,) = items
    code = parse_uint(token[3:], (token.start_pos or 0) + 3, "error code")
    return new_error(error_code(code), None)


def _write_error(code: int, description: str | None) -> str:
    return f"0,-{code}"


DIALECT: Final = Dialect(
    grammar="fmt1.lark",
    name_prefix="",
    id_sep=",",
    status_sep=",",
    added_prefix="",
    error_prefix="0,-",
    read_error=_read_error,
    read_error_utf8=_read_error_utf8,
    write_error=_write_error,
    error_from_tokens=_error_from_tokens,
    terminals={"ERROR_CODE": "'0,-<code>'"},
)

__all__ = ["READERS", "WRITERS", "codec"]


def codec(key: Key, wire_format: WireFormat) -> LineCodec:
    """The fmt 1 codec of ``key``."""
    return LineCodec(key, DIALECT, wire_format)


FORMATS[1].check_tables(READERS, WRITERS)
