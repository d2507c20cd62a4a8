"""fmt 0: the ``name = S, id = I`` text replies (SPEC §2-§5, D5-D8).

Strategy: ``grammars/fmt0.lark`` defines the format; the parser built from it calls the methods of
:class:`_Build` as each rule completes, so values are made during the parse. Encoding writes the
documented lines directly and refuses the few names and values that the grammar would read back
differently (SPEC D8).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from ._codes import STATUS_TEXT, error_code, sender_status
from ._errors import DecodeFailure, EncodeError, shown
from ._grammar import GrammarParser, bad_character, diagnose_trailing_fields
from ._key import Key, Operation
from ._models import (
    ErrorReply,
    Ok,
    Operators,
    OperatorValue,
    Reply,
    Sender,
    SenderAdded,
    SenderList,
    new_sender,
)
from ._shape import (
    OPERATOR_FIELDS,
    OPERATOR_VALUES,
    RESERVED_FIELDS,
    Declined,
    added_id_of,
    check_text,
    error_of,
    ok_of,
    one_line,
    operator_value,
    ordered_operators,
    parse_uint,
    senders_of,
    text_lines,
    uint_text,
)

if TYPE_CHECKING:
    from lark import Token


_TERMINALS: Final = {
    "NAME_BEFORE_ID": "a sender name followed by ', id = <id>' at the end of the line",
    "NAME_BEFORE_STATUS": "a sender name followed by ', status = <status>, id = <id>' at the end "
    "of the line",
    "NAME_BEFORE_FIELD": "a sender name",
    "OPERATOR_FIELD": "', <operator> = <status>'",
    "DESCRIPTION": "a description closed by ')' at the end of the line",
    "UINT": "an unsigned integer",
    "_NL": "a line ending",
}

# SPEC D8: with operators=1 the name ends at the first `, <word> = `, so neither a name nor a raw
# operator value may hold one; field names are lower-case words.
_FIELD_START: Final = re.compile(r", [a-z0-9_]+ = ")
_FIELD_NAME: Final = re.compile(r"[a-z0-9_]+")
# The same boundary, capturing the field name: splitting a line on it gives the name, then
# alternately each field's name and value (SPEC D8: a name ends at the first such boundary).
_FIELD_SPLIT: Final = re.compile(r", ([a-z0-9_]+) = ")
_NOT_OPERATOR: Final = frozenset({"name", "sender", "status", "id"})


def _uint(token: Token, what: str) -> int:
    return parse_uint(token, token.start_pos, what)


def _list(items: list[Sender | ErrorReply]) -> SenderList | ErrorReply:
    if items and isinstance(items[0], ErrorReply):
        return items[0]
    return SenderList(items)  # type: ignore[arg-type]


def _operators(fields: list[Token]) -> Operators:
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


def _fast_list(text: str, all_: bool, operators: bool) -> SenderList | None:
    """The sender list of a well-formed body, or ``None`` to leave the body to the grammar.

    Equivalent to ``fmt0.lark`` on every body it accepts (proven by a differential property in
    tests/test_fast_paths.py); anything unusual (an error reply, a raw operator value that looks
    like a number, leading zeros past 18 digits, a malformed line) is declined, and the grammar
    then decodes it or says precisely what is wrong.
    """
    lines = text_lines(text)
    if lines is None:
        return None
    senders: list[Sender] = []
    append = senders.append
    for line in lines:
        if not line.startswith("name = "):
            return None
        if operators:
            sender = _fast_operators(line, all_)
            if sender is None:
                return None
            append(sender)
            continue
        head, found, id_raw = line.rpartition(", id = ")
        id_ = uint_text(id_raw)
        if not found or id_ is None:
            return None
        status = None
        if all_:
            head, found, status_raw = head.rpartition(", status = ")
            status = STATUS_TEXT.get(status_raw)
            if status is None:
                number = uint_text(status_raw)
                if not found or number is None:
                    return None
                status = sender_status(number)
        if len(head) <= 7:
            return None
        append(new_sender(head[7:], id_, status, None))
    return SenderList(senders)


def _fast_single(text: str, operation: Operation) -> Reply | None:
    """An error, OK or ``ID = `` reply on one well-formed line, or ``None`` for the grammar."""
    line = one_line(text)
    if line is None:
        return None
    if line.startswith("ERROR = ") and line.endswith(")"):
        code, found, description = line[8:-1].partition(" (")
        number = uint_text(code)
        return None if not found or number is None else ErrorReply(error_code(number), description)
    if operation is Operation.GET:
        return None
    if operation is Operation.ADD:
        number = uint_text(line[5:]) if line.startswith("ID = ") else None
        return None if number is None else SenderAdded(number)
    return Ok() if line == "OK" else None


def _fast_operators(line: str, all_: bool) -> Sender | None:
    parts = _FIELD_SPLIT.split(line)
    # parts: "name = <name>", then field name and value pairs; the last pair must be the id.
    if len(parts) < 3 or parts[-2] != "id" or len(parts[0]) <= 7:
        return None
    id_ = uint_text(parts[-1])
    if id_ is None:
        return None
    first = 1
    status = None
    if all_:
        if len(parts) < 5 or parts[1] != "status":
            return None
        status = STATUS_TEXT.get(parts[2])
        if status is None:
            number = uint_text(parts[2])
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
    if len(fields) != len(names) or not _NOT_OPERATOR.isdisjoint(fields):
        return None
    return new_sender(parts[0][7:], id_, status, Operators._adopt(fields))


def _diagnose(text: str, pos: int, expected: frozenset[str]) -> DecodeFailure | None:
    """Say what is wrong with a line whose sender name terminal did not match, and where."""
    if "NAME_BEFORE_FIELD" in expected:
        return bad_character(text, pos) or DecodeFailure("a sender name is empty", pos)
    if not expected & {"NAME_BEFORE_ID", "NAME_BEFORE_STATUS"}:
        return None
    with_status = "NAME_BEFORE_STATUS" in expected
    return diagnose_trailing_fields(
        text,
        pos,
        with_status=with_status,
        id_sep=", id = ",
        status_sep=", status = ",
        fixed=", status = <status>, id = <id>" if with_status else ", id = <id>",
    )


class _Build:
    """Rule callbacks of ``fmt0.lark``: each returns the model of the rule just parsed."""

    def get_plain(self, items: list[Sender | ErrorReply]) -> SenderList | ErrorReply:
        return _list(items)

    get_status = get_operators = get_status_operators = get_plain

    def added(self, items: list[Token | ErrorReply]) -> SenderAdded | ErrorReply:
        item = items[0]
        if isinstance(item, ErrorReply):
            return item
        return SenderAdded(_uint(item, "id"))

    def ok(self, items: list[ErrorReply]) -> Ok | ErrorReply:
        return items[0] if items else Ok()

    def error_reply(self, items: list[Token]) -> ErrorReply:
        code, description = items
        return ErrorReply(error_code(_uint(code, "error code")), str(description[:-1]))

    def plain(self, items: list[Token]) -> Sender:
        name, id_ = items
        return Sender(str(name), _uint(id_, "id"))

    def status(self, items: list[Token]) -> Sender:
        name, status, id_ = items
        return Sender(str(name), _uint(id_, "id"), sender_status(_uint(status, "status")))

    def operators(self, items: list[Token]) -> Sender:
        return Sender(str(items[0]), _uint(items[-1], "id"), None, _operators(items[1:-1]))

    def status_operators(self, items: list[Token]) -> Sender:
        status = sender_status(_uint(items[1], "status"))
        return Sender(str(items[0]), _uint(items[-1], "id"), status, _operators(items[2:-1]))


PARSER: Final = GrammarParser(
    "fmt0.lark",
    ["get_plain", "get_status", "get_operators", "get_status_operators", "added", "ok"],
    _Build,
    _TERMINALS,
    _diagnose,
)


class TextCodec:
    """The fmt 0 codec of one key."""

    __slots__ = ("_get", "_start", "key")

    def __init__(self, key: Key) -> None:
        self.key = key
        self._get = key.operation is Operation.GET
        if self._get:
            self._start = (
                "get_"
                + {
                    (False, False): "plain",
                    (True, False): "status",
                    (False, True): "operators",
                    (True, True): "status_operators",
                }[key.all, key.operators]
            )
        else:
            self._start = "added" if key.operation is Operation.ADD else "ok"

    def decode(self, text: str) -> Reply:
        reply = self.fast(text)
        if reply is None:
            reply = PARSER.parse(text, self._start)
        return reply

    def fast(self, text: str) -> Reply | None:
        """The reply read without the grammar, or ``None`` if the grammar must decide."""
        key = self.key
        if self._get and text[:7] != "ERROR =":
            return _fast_list(text, key.all, key.operators)
        return _fast_single(text, key.operation)

    def encode(self, reply: Reply) -> str:
        key = self.key
        if isinstance(reply, ErrorReply):
            code, description = error_of(reply, key, description=True)
            check_text(description, "description", key, allow_empty=True)
            return f"ERROR = {code} ({description})"
        if key.operation is Operation.ADD:
            return f"ID = {added_id_of(reply, key)}"
        if key.operation is not Operation.GET:
            ok_of(reply, key)
            return "OK"
        return "\n".join(self._lines(senders_of(reply, key)))

    def _lines(self, senders: SenderList) -> Iterator[str]:
        key = self.key
        for i, sender in enumerate(senders):
            head = f"name = {sender.name}"
            if key.all:
                head += f", status = {int(sender.status)}"  # type: ignore[arg-type]
            if not key.operators:
                yield f"{head}, id = {sender.id}"
                continue
            if _FIELD_START.search(sender.name):
                raise EncodeError(
                    f"senders[{i}].name {shown(sender.name)} holds ', <word> = ', which fmt 0 with "
                    "operators=1 would read as the start of a field (SPEC D8)",
                    key=key,
                )
            assert sender.operators is not None
            fields = [head]
            for name, value in ordered_operators(sender.operators, OPERATOR_FIELDS):
                where = f"senders[{i}].operators[{shown(name)}]"
                if not _FIELD_NAME.fullmatch(name):
                    raise EncodeError(
                        f"{where}: fmt 0 field names are lower-case letters, digits and '_'",
                        key=key,
                    )
                if isinstance(value, str):
                    if _FIELD_START.search(value):
                        raise EncodeError(
                            f"{where}: the text {shown(value)} would not read back in fmt 0",
                            key=key,
                        )
                    fields.append(f"{name} = {value}")
                else:
                    fields.append(f"{name} = {int(value)}")
            fields.append(f"id = {sender.id}")
            yield ", ".join(fields)


def codecs() -> Iterator[tuple[Key, TextCodec]]:
    for op in Operation:
        flags = [(a, o) for a in (False, True) for o in (False, True)]
        for all_, operators in flags if op is Operation.GET else [(False, False)]:
            key = Key(0, op, all_, operators)
            yield key, TextCodec(key)
