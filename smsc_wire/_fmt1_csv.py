"""fmt 1: the comma-separated replies (SPEC §2-§5, D1, D5-D8).

Strategy: ``grammars/fmt1.lark`` defines the format and :class:`_Build` makes the models while it
parses. The numeric fields are found from the end of each line, so a name may hold commas and needs
no quoting; fmt 1 has no ``operators=1`` form (SPEC D1) and its error reply has no description.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from ._codes import STATUS_TEXT, error_code, sender_status
from ._grammar import GrammarParser, diagnose_trailing_fields
from ._key import Key, Operation
from ._models import ErrorReply, Ok, Reply, Sender, SenderAdded, SenderList, new_sender
from ._shape import (
    added_id_of,
    error_of,
    ok_of,
    one_line,
    parse_uint,
    senders_of,
    text_lines,
    uint_text,
)

if TYPE_CHECKING:
    from lark import Token

    from ._errors import DecodeFailure

_TERMINALS: Final = {
    "NAME_BEFORE_ID": "a sender name followed by ',<id>' at the end of the line",
    "NAME_BEFORE_STATUS": "a sender name followed by ',<status>,<id>' at the end of the line",
    "ERROR_CODE": "'0,-<code>'",
    "UINT": "an unsigned integer",
    "_NL": "a line ending",
}


def _uint(token: Token, what: str) -> int:
    return parse_uint(token, token.start_pos, what)


def _fast_list(text: str, all_: bool) -> SenderList | None:
    """The sender list of a well-formed body, or ``None`` to leave the body to the grammar.

    Equivalent to ``fmt1.lark`` on every body it accepts (proven by a differential property in
    tests/test_fast_paths.py); anything unusual (an error reply, leading zeros past 18 digits, a
    malformed line) is declined, and the grammar then decodes it or says precisely what is wrong.
    """
    lines = text_lines(text)
    if lines is None:
        return None
    senders: list[Sender] = []
    append = senders.append
    status_text = STATUS_TEXT
    for line in lines:
        if all_:
            parts = line.rsplit(",", 2)
            if len(parts) != 3:
                return None
            name, status_raw, id_raw = parts
            status = status_text.get(status_raw)
            if status is None:
                if not (status_raw.isdigit() and status_raw.isascii() and len(status_raw) < 19):
                    return None
                status = sender_status(int(status_raw))
        else:
            name, _, id_raw = line.rpartition(",")
            status = None
        if not (name and id_raw.isdigit() and id_raw.isascii() and len(id_raw) < 19):
            return None
        append(new_sender(name, int(id_raw), status, None))
    return SenderList(senders)


def _fast_single(text: str, operation: Operation) -> Reply | None:
    """An error, OK or id reply on one well-formed line, or ``None`` for the grammar."""
    line = one_line(text)
    if line is None:
        return None
    if line.startswith("0,-"):
        number = uint_text(line[3:])
        return None if number is None else ErrorReply(error_code(number), None)
    if operation is Operation.GET:
        return None
    if operation is Operation.ADD:
        number = uint_text(line)
        return None if number is None else SenderAdded(number)
    return Ok() if line == "OK" else None


def _diagnose(text: str, pos: int, expected: frozenset[str]) -> DecodeFailure | None:
    """Say what is wrong with a line whose sender name terminal did not match, and where."""
    if not expected & {"NAME_BEFORE_ID", "NAME_BEFORE_STATUS"}:
        return None
    with_status = "NAME_BEFORE_STATUS" in expected
    return diagnose_trailing_fields(
        text,
        pos,
        with_status=with_status,
        id_sep=",",
        status_sep=",",
        fixed=",<status>,<id>" if with_status else ",<id>",
    )


class _Build:
    """Rule callbacks of ``fmt1.lark``: each returns the model of the rule just parsed."""

    def get_plain(self, items: list[Sender | ErrorReply]) -> SenderList | ErrorReply:
        if items and isinstance(items[0], ErrorReply):
            return items[0]
        return SenderList(items)  # type: ignore[arg-type]

    get_status = get_plain

    def added(self, items: list[Token | ErrorReply]) -> SenderAdded | ErrorReply:
        item = items[0]
        if isinstance(item, ErrorReply):
            return item
        return SenderAdded(_uint(item, "id"))

    def ok(self, items: list[ErrorReply]) -> Ok | ErrorReply:
        return items[0] if items else Ok()

    def error_reply(self, items: list[Token]) -> ErrorReply:
        (token,) = items
        code = parse_uint(token[3:], (token.start_pos or 0) + 3, "error code")
        return ErrorReply(error_code(code), None)

    def plain(self, items: list[Token]) -> Sender:
        name, id_ = items
        return Sender(str(name), _uint(id_, "id"))

    def status(self, items: list[Token]) -> Sender:
        name, status, id_ = items
        return Sender(str(name), _uint(id_, "id"), sender_status(_uint(status, "status")))


PARSER: Final = GrammarParser(
    "fmt1.lark", ["get_plain", "get_status", "added", "ok"], _Build, _TERMINALS, _diagnose
)


class CsvCodec:
    """The fmt 1 codec of one key."""

    __slots__ = ("_get", "_start", "key")

    def __init__(self, key: Key) -> None:
        self.key = key
        self._get = key.operation is Operation.GET
        if self._get:
            self._start = "get_status" if key.all else "get_plain"
        else:
            self._start = "added" if key.operation is Operation.ADD else "ok"

    def decode(self, text: str) -> Reply:
        reply = self.fast(text)
        if reply is None:
            reply = PARSER.parse(text, self._start)
        return reply

    def fast(self, text: str) -> Reply | None:
        """The reply read without the grammar, or ``None`` if the grammar must decide."""
        if not self._get:
            return _fast_single(text, self.key.operation)
        if text[:3] == "0,-":  # an error reply, or a sender whose name starts so
            error = _fast_single(text, Operation.GET)
            if error is not None:
                return error
        return _fast_list(text, self.key.all)

    def encode(self, reply: Reply) -> str:
        key = self.key
        if isinstance(reply, ErrorReply):
            code, _ = error_of(reply, key, description=False)
            return f"0,-{code}"
        if key.operation is Operation.ADD:
            return str(added_id_of(reply, key))
        if key.operation is not Operation.GET:
            ok_of(reply, key)
            return "OK"
        senders = senders_of(reply, key)
        if key.all:
            return "\n".join(f"{s.name},{int(s.status)},{s.id}" for s in senders)  # type: ignore[arg-type]
        return "\n".join(f"{s.name},{s.id}" for s in senders)


def codecs() -> Iterator[tuple[Key, CsvCodec]]:
    for op in Operation:
        for all_ in (False, True) if op is Operation.GET else (False,):
            key = Key(1, op, all_)
            yield key, CsvCodec(key)
