"""fmt 0: the ``name = S, id = I`` text replies (SPEC §2-§5, D5-D8).

Strategy: the line format of :mod:`.lines` in the fmt 0 dialect, defined by
``grammars/fmt0.lark``. What only fmt 0 has lives here: the ``ERROR = N (text)`` and ``ID = I``
spellings, and the ``operators=1`` records, whose field names are open-ended (SPEC D4), so that a
name ends at the first ``, <word> = `` (SPEC D8) and the writer refuses names and raw values that
hold one.
"""

from __future__ import annotations

import re
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Final

from smsc_wire._checks import documented_codes, ordered_operators
from smsc_wire._codes import ERROR_CODE_TEXT, STATUS_TEXT, code_digits, error_code, sender_status
from smsc_wire._errors import DecodeFailure, EncodeError, shown
from smsc_wire._fast import OPERATOR_VALUES, Declined, Rejected
from smsc_wire._models import (
    NO_OPERATORS,
    ErrorDraft,
    ErrorReply,
    Operators,
    OperatorValue,
    Sender,
    SenderList,
    new_error,
    new_sender,
)
from smsc_wire._values import (
    FIELD_START,
    OPERATOR_FIELDS,
    RESERVED_FIELDS,
    error_code_text,
    operator_value,
    parse_uint,
    uint_text,
)

from . import FORMATS
from .lines import READERS, WRITERS, Dialect, LineCodec, read_records, write_records

if TYPE_CHECKING:
    from lark import Token

    from smsc_wire._codes import ErrorCode
    from smsc_wire._key import Key

    from . import WireFormat

_FIELD_NAME: Final = re.compile(r"[a-z0-9_]+")
# The field boundary of SPEC D8, capturing the field name: splitting a line on it gives the name,
# then alternately each field's name and value.
_FIELD_SPLIT: Final = re.compile(r", ([a-z0-9_]+) = ")


def _read_error(line: str) -> ErrorReply | None:
    if not line.endswith(")"):
        return None
    code, found, description = line[8:-1].partition(" (")
    number = uint_text(code)
    return None if not found or number is None else new_error(error_code(number), description)


def _read_error_utf8(raw: bytes) -> ErrorReply | None:
    try:
        line = raw.decode()
    except UnicodeDecodeError:
        return None
    # _read_error with one_line's checks (the reply alone on its line), in one function: the
    # error reply answers any request, and its calls would cost more than reading it.
    if line[-1] != ")" or "\n" in line or "\r" in line or "\x00" in line:
        return None
    digits, found, description = line[8:-1].partition(" (")
    code: ErrorCode | int | None
    try:
        code = ERROR_CODE_TEXT[digits]  # error_code_text's common case, without a call
    except KeyError:
        code = error_code_text(digits)
        if code is None:
            return None
    if not found:
        return None
    reply = ErrorDraft()  # see SenderDraft
    reply.code = code
    reply.description = description
    reply.__class__ = ErrorReply  # type: ignore[assignment]
    return reply  # type: ignore[return-value]


def _error_from_tokens(items: list[Token]) -> ErrorReply:
    code, description = items
    number = parse_uint(code, code.start_pos, "error code")
    return new_error(error_code(number), str(description[:-1]))


def _write_error(code: int, description: str | None) -> str:
    return f"ERROR = {code} ({description})"


def _operator_fields(fields: list[Token]) -> Operators:
    parsed: dict[str, OperatorValue] = {}
    for field in fields:
        name, _, raw = field[2:].partition(" = ")
        pos = field.start_pos or 0
        if name in RESERVED_FIELDS:
            raise DecodeFailure(f"field {name!r} is not allowed here for this key", pos + 2)
        if name in parsed:
            raise DecodeFailure(f"field {name!r} appears twice", pos + 2)
        parsed[name] = operator_value(raw, pos + 5 + len(name))
    return Operators._adopt(parsed)


def _fast_operators(lines: list[str], all_: bool) -> SenderList | None:
    fields = 2 + all_
    if (
        lines
        and lines[-1].count(" = ") == fields  # a list with operator fields fails here, at once
        and sum(map(str.count, lines, repeat(" = "))) == fields * len(lines)
    ):
        # Each line the records reader accepts holds " = " in its prefix and separators, apart
        # from its name: so no line holds an operator field, and no name a field start (SPEC
        # D8): the lines read as under operators=0, each with no operator fields. Anything that
        # reader refuses is for the reader below to decide.
        try:
            plain = read_records(DIALECT, lines, all_, NO_OPERATORS)
        except Rejected:
            plain = None
        if plain is not None:
            return plain
    senders: list[Sender] = []
    for line in lines:
        if not line.startswith("name = "):
            raise Rejected
        sender = _fast_operators_line(line, all_)
        if sender is None:
            return None
        senders.append(sender)
    return SenderList(senders)


def _fast_operators_line(line: str, all_: bool) -> Sender | None:
    parts = _FIELD_SPLIT.split(line)
    # parts: "name = <name>", then field name and value pairs; the last pair must be the id.
    # No value holds a field boundary (SPEC D8), so a line whose last field is not a digit id,
    # or (all=1) whose first is not a digit status, or that names a field twice or a reserved
    # one, is refused by the grammar too: rejected here.
    if len(parts) < 3 or parts[-2] != "id" or len(parts[0]) <= 7:
        raise Rejected
    id_ = _digits(parts[-1])
    if id_ is None:
        return None
    first = 1
    status = None
    if all_:
        if len(parts) < 5 or parts[1] != "status":
            raise Rejected
        status = STATUS_TEXT.get(parts[2])
        if status is None:
            number = _digits(parts[2])
            if number is None:
                return None
            status = sender_status(number)
        first = 3
    names = parts[first:-2:2]
    try:
        fields = {
            name: OPERATOR_VALUES[raw]
            for name, raw in zip(names, parts[first + 1 : -2 : 2], strict=True)
        }
    except Declined:
        return None
    if len(fields) != len(names) or not RESERVED_FIELDS.isdisjoint(fields):
        raise Rejected
    return new_sender(parts[0][7:], id_, status, Operators._adopt(fields))


def _digits(raw: str) -> int | None:
    """``raw`` as an id or status for the fast reader: ``None`` for a long number (the grammar
    checks its range), :class:`Rejected` for no number at all."""
    number = uint_text(raw)
    if number is None and not (raw.isascii() and raw.isdigit()):
        raise Rejected
    return number


def _write_operators(senders: tuple[Sender, ...], key: Key) -> str:
    if not any(map(len, map(_OPERATORS, senders))) and not FIELD_START.search(
        "\n".join(map(_NAME, senders))
    ):
        # No operator fields, and no name the reader would cut short (SPEC D8): the lines of
        # operators=0, which the line writer below would write field by field.
        return write_records(DIALECT, senders, key.all)
    return "\n".join([_write_line(i, sender, key) for i, sender in enumerate(senders)])


_OPERATORS: Final = attrgetter("operators")
_NAME: Final = attrgetter("name")


def _write_line(i: int, sender: Sender, key: Key) -> str:
    if FIELD_START.search(sender.name):
        raise EncodeError(
            f"senders[{i}].name {shown(sender.name)} holds ', <word> = ', which fmt 0 with "
            "operators=1 would read as the start of a field (SPEC D8)",
            key=key,
        )
    assert sender.operators is not None
    fields = [f"name = {sender.name}"]
    if key.all:
        fields.append(f"status = {code_digits(sender.status)}")
    plain = documented_codes(sender.operators, OPERATOR_FIELDS)
    if plain is not None:  # documented names, codes: nothing to check (IntEnums format as ints)
        fields.extend([f"{name} = {value}" for name, value in plain])
        fields.append(f"id = {sender.id}")
        return ", ".join(fields)
    for name, value in ordered_operators(sender.operators, OPERATOR_FIELDS):
        where = f"senders[{i}].operators[{shown(name)}]"
        if not _FIELD_NAME.fullmatch(name):
            raise EncodeError(
                f"{where}: fmt 0 field names are lower-case letters, digits and '_'", key=key
            )
        if isinstance(value, str):
            if FIELD_START.search(value):
                raise EncodeError(
                    f"{where}: the text {shown(value)} would not read back in fmt 0", key=key
                )
            fields.append(f"{name} = {value}")
        else:
            fields.append(f"{name} = {int(value)}")
    fields.append(f"id = {sender.id}")
    return ", ".join(fields)


DIALECT: Final = Dialect(
    grammar="fmt0.lark",
    name_prefix="name = ",
    id_sep=", id = ",
    status_sep=", status = ",
    added_prefix="ID = ",
    error_prefix="ERROR = ",
    read_error=_read_error,
    read_error_utf8=_read_error_utf8,
    write_error=_write_error,
    error_from_tokens=_error_from_tokens,
    terminals={
        "NAME_BEFORE_FIELD": "a sender name",
        "OPERATOR_FIELD": "', <operator> = <status>'",
        "DESCRIPTION": "a description closed by ')' at the end of the line",
    },
    fast_operators=_fast_operators,
    write_operators=_write_operators,
    operator_fields=_operator_fields,
)

__all__ = ["READERS", "WRITERS", "codec"]


def codec(key: Key, wire_format: WireFormat) -> LineCodec:
    """The fmt 0 codec of ``key``."""
    return LineCodec(key, DIALECT, wire_format)


FORMATS[0].check_tables(READERS, WRITERS)
