"""fmt 0 and fmt 1: one line format in two dialects (SPEC §2-§5, D1, D5-D8).

Strategy: both fmts write one record per line with the numeric fields at the end of the line, so
a name may hold the separators (SPEC D8); they differ only in spelling: a ``name = `` prefix and
``, id = `` / ``, status = `` separators against bare commas, ``ERROR = N (text)`` against
``0,-N``, ``ID = I`` against ``I``. A :class:`Dialect` holds that spelling, and the readers and
writers here are written once for both. Each dialect's Lark grammar (``grammars/fmt0.lark``,
``grammars/fmt1.lark``) is the definition and the checked reader: it decodes any valid body and
says precisely what is wrong with any other. The fast reader takes a well-formed body with
``rpartition`` and ``startswith``, returns exactly the grammar's model or declines (``None``),
and the grammar then decides; ``tests/test_fast_paths.py`` holds the two to that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import repeat
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import orjson

from smsc_wire._checks import added_id_of, check_text, error_of, senders_of
from smsc_wire._codes import (
    CODE_DIGITS,
    ERROR_CODE_TEXT,
    INT_TEXT,
    STATUS_TEXT,
    SenderStatus,
    sender_status,
)
from smsc_wire._errors import DecodeFailure, line_at
from smsc_wire._fast import Rejected
from smsc_wire._models import (
    OK_REPLY,
    AddedDraft,
    ErrorReply,
    Ok,
    Operators,
    Reply,
    Sender,
    SenderAdded,
    SenderDraft,
    SenderList,
    draft_senders,
    new_added,
    new_sender,
)
from smsc_wire._shapes import OK, SENDER_ADDED, SENDER_LIST, ReplyShape, shape_of
from smsc_wire._values import MAX_UINT, parse_uint, uint_text

from . import shape_writers
from .grammar import GrammarParser, found_at

if TYPE_CHECKING:
    from lark import Token

    from smsc_wire._key import Key

    from . import WireFormat


class Dialect:
    """How one line fmt spells its replies; the rest of this module is shared.

    A plain class rather than a dataclass: it is made once per fmt, and a dataclass costs the
    first decode of a process a millisecond to build (issue 12).
    """

    __slots__ = (
        "added_prefix", "added_prefix_utf8", "error_from_tokens", "error_prefix",
        "error_prefix_utf8", "fast_operators", "grammar", "id_sep", "name_prefix",
        "operator_fields", "parser", "read_error", "read_error_utf8", "status_sep", "terminals",
        "write_error", "write_operators",
    )  # fmt: skip

    grammar: str
    """The grammar file, e.g. ``fmt0.lark``."""
    name_prefix: str
    """What a record line starts with before the name (``name = `` or nothing)."""
    id_sep: str
    """What precedes the id at the end of a record line."""
    status_sep: str
    """What precedes the status, before the id, under ``all=1``."""
    added_prefix: str
    """What precedes the id of the ``add`` reply."""
    error_prefix: str
    """What an error reply starts with."""
    read_error: Callable[[str], ErrorReply | None]
    """The error reply of one well-formed line, or ``None`` for the grammar to decide."""
    read_error_utf8: Callable[[bytes], ErrorReply | None]
    """The error reply of a UTF-8 body that starts with the error prefix and is that reply
    alone, without a line ending; ``None`` for the text path to decide."""
    added_prefix_utf8: bytes
    error_prefix_utf8: bytes
    write_error: Callable[[int, str | None], str]
    """The error reply's line from its (checked) code and description."""
    error_from_tokens: Callable[[list[Token]], ErrorReply]
    """The grammar's ``error_reply`` rule: the reply from its tokens."""
    terminals: Mapping[str, str]
    """How the dialect's own terminals are named in messages (shared ones are added here)."""
    fast_operators: Callable[[list[str], bool], SenderList | None] | None
    """The fast reader of ``operators=1`` lines, where the dialect has them."""
    write_operators: Callable[[tuple[Sender, ...], Key], str] | None
    """The writer of ``operators=1`` lines (plain senders), where the dialect has them."""
    operator_fields: Callable[[list[Token]], Operators] | None
    """The grammar's operator field tokens as an ``Operators`` mapping, where it has them."""
    parser: GrammarParser

    def __init__(
        self,
        *,
        grammar: str,
        name_prefix: str,
        id_sep: str,
        status_sep: str,
        added_prefix: str,
        error_prefix: str,
        read_error: Callable[[str], ErrorReply | None],
        read_error_utf8: Callable[[bytes], ErrorReply | None],
        write_error: Callable[[int, str | None], str],
        error_from_tokens: Callable[[list[Token]], ErrorReply],
        terminals: Mapping[str, str],
        fast_operators: Callable[[list[str], bool], SenderList | None] | None = None,
        write_operators: Callable[[tuple[Sender, ...], Key], str] | None = None,
        operator_fields: Callable[[list[Token]], Operators] | None = None,
    ) -> None:
        self.grammar = grammar
        self.name_prefix = name_prefix
        self.id_sep = id_sep
        self.status_sep = status_sep
        self.added_prefix = added_prefix
        self.error_prefix = error_prefix
        self.read_error = read_error
        self.read_error_utf8 = read_error_utf8
        self.added_prefix_utf8 = added_prefix.encode("ascii")
        self.error_prefix_utf8 = error_prefix.encode("ascii")
        self.write_error = write_error
        self.error_from_tokens = error_from_tokens
        self.terminals = terminals
        self.fast_operators = fast_operators
        self.write_operators = write_operators
        self.operator_fields = operator_fields
        fixed = f"{self.id_sep}<id>"
        status_fixed = f"{self.status_sep}<status>{fixed}"
        terminals = {
            "NAME_BEFORE_ID": f"a sender name followed by '{fixed}' at the end of the line",
            "NAME_BEFORE_STATUS": f"a sender name followed by '{status_fixed}' at the end "
            "of the line",
            "UINT": "an unsigned integer",
            "_NL": "a line ending",
            **self.terminals,
        }
        starts = [*_LIST_STARTS.values(), "added", "ok"]
        if self.fast_operators is None:
            starts = [s for s in starts if "operators" not in s]
        self.parser = GrammarParser(
            self.grammar, starts, lambda: _Build(self), terminals, self._diagnose
        )

    def _diagnose(self, text: str, pos: int, expected: frozenset[str]) -> DecodeFailure | None:
        """Say what is wrong with a line whose sender name terminal did not match, and where."""
        if "NAME_BEFORE_FIELD" in expected:
            return bad_character(text, pos) or DecodeFailure("a sender name is empty", pos)
        if not expected & {"NAME_BEFORE_ID", "NAME_BEFORE_STATUS"}:
            return None
        return self._trailing_fields(text, pos, with_status="NAME_BEFORE_STATUS" in expected)

    def _trailing_fields(self, text: str, pos: int, *, with_status: bool) -> DecodeFailure:
        """What is wrong with a record whose numeric fields are found from the end of the line
        (SPEC D8): a character no name may hold, the missing or malformed id, the missing or
        malformed status, or else an empty name."""
        fixed = f"{self.status_sep}<status>" if with_status else ""
        fixed += f"{self.id_sep}<id>"
        bad = bad_character(text, pos)
        if bad is not None:
            return bad
        _, end = line_at(text, pos)
        id_at = text.rfind(self.id_sep, pos, end)
        if id_at == -1:
            return DecodeFailure(f"expected '{fixed}' at the end of the line", end)
        failure = _digits(text, id_at + len(self.id_sep), end, "the id")
        if failure is None and with_status:
            status_at = text.rfind(self.status_sep, pos, id_at)
            if status_at == -1:
                return DecodeFailure(f"expected '{fixed}' at the end of the line", id_at)
            failure = _digits(text, status_at + len(self.status_sep), id_at, "the status")
        return failure or DecodeFailure("a sender name is empty", pos)


ERROR_CODES_UTF8: Final = {text.encode("ascii"): code for text, code in ERROR_CODE_TEXT.items()}
"""The common error codes as the bytes of a UTF-8 body (see ERROR_CODE_TEXT)."""

_LIST_STARTS: Final = {
    (False, False): "get_plain",
    (True, False): "get_status",
    (False, True): "get_operators",
    (True, True): "get_status_operators",
}


def bad_character(text: str, start: int) -> DecodeFailure | None:
    """A failure for the first character from ``start`` to the line's end that no name may hold."""
    end = text.find("\n", start)
    for index in range(start, len(text) if end == -1 else end):
        char = text[index]
        if char == "\x00":
            return DecodeFailure("a NUL character is not allowed", index)
        if char == "\r" and index + 1 != end:
            return DecodeFailure("a lone CR is not a line ending", index)
        if "\ud800" <= char <= "\udfff":
            return DecodeFailure("a lone surrogate is not a character", index)
    return None


def _digits(text: str, start: int, end: int, what: str) -> DecodeFailure | None:
    stop = start
    while stop < end and "0" <= text[stop] <= "9":
        stop += 1
    if stop == start or stop != end:
        return DecodeFailure(f"expected {what} (digits), found {found_at(text, stop)}", stop)
    return None


def text_lines(text: str) -> list[str] | None:
    """The lines of a body for a fast reader, or ``None`` if it holds what needs the grammar.

    CRLF becomes LF, and one trailing line ending is dropped (SPEC D6); a lone CR or a NUL makes
    the body the grammar's to reject (with a position). Lone surrogates never reach a codec.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if "\x00" in text:
        return None
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()
    return lines


def one_line(text: str) -> str | None:
    """The single line of a body for a fast reader (SPEC D6: one trailing line ending)."""
    if "\n" not in text and "\r" not in text and "\x00" not in text:
        return text
    lines = text_lines(text)
    return lines[0] if lines is not None and len(lines) == 1 else None


# --- the grammar's rule callbacks ---------------------------------------------------------------


def _uint(token: Token, what: str) -> int:
    return parse_uint(token, token.start_pos, what)


class _Build:
    """Rule callbacks of a dialect's grammar: each returns the model of the rule just parsed."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect

    def get_plain(self, items: list[Sender | ErrorReply]) -> SenderList | ErrorReply:
        if items and isinstance(items[0], ErrorReply):
            return items[0]
        return SenderList(items)  # type: ignore[arg-type]

    get_status = get_operators = get_status_operators = get_plain

    def added(self, items: list[Token | ErrorReply]) -> SenderAdded | ErrorReply:
        item = items[0]
        if isinstance(item, ErrorReply):
            return item
        return new_added(_uint(item, "id"))

    def ok(self, items: list[ErrorReply]) -> Ok | ErrorReply:
        return items[0] if items else OK_REPLY

    def error_reply(self, items: list[Token]) -> ErrorReply:
        return self._dialect.error_from_tokens(items)

    def plain(self, items: list[Token]) -> Sender:
        name, id_ = items
        return Sender(str(name), _uint(id_, "id"))

    def status(self, items: list[Token]) -> Sender:
        name, status, id_ = items
        return Sender(str(name), _uint(id_, "id"), sender_status(_uint(status, "status")))

    def operators(self, items: list[Token]) -> Sender:
        fields = self._operator_fields(items[1:-1])
        return Sender(str(items[0]), _uint(items[-1], "id"), None, fields)

    def status_operators(self, items: list[Token]) -> Sender:
        status = sender_status(_uint(items[1], "status"))
        fields = self._operator_fields(items[2:-1])
        return Sender(str(items[0]), _uint(items[-1], "id"), status, fields)

    def _operator_fields(self, tokens: list[Token]) -> Operators:
        make = self._dialect.operator_fields
        assert make is not None, "only a dialect with operator fields has these rules"
        return make(tokens)


# --- readers: the fast one per shape, and the grammar ------------------------------------------
# The fast readers build models as drafts (see SenderDraft): a record costs a third of what
# new_sender's descriptor calls cost, and building records is most of reading a list (issue 12).


def _read_list(codec: LineCodec, text: str) -> SenderList | None:
    lines = text_lines(text)
    if lines is None:
        raise Rejected  # a lone CR or a NUL is in no valid body
    return _read_lines(codec, lines)


def _read_lines(codec: LineCodec, lines: list[str]) -> SenderList | None:
    # Each rejection below is of a line the grammar cannot read either: a record line starts
    # with the prefix and ends with the separator and digits, found from the end (SPEC D8).
    # Only numbers past 18 digits are left to the grammar.
    if len(lines) > 1 and _read_lines(codec, lines[-1:]) is None:
        # A body cut short fails at its last line: read it first, before every record of the
        # body is built only to be thrown away (a 16 MiB body held 200 MiB of them; issue 12).
        return None
    dialect, key = codec.dialect, codec.key
    if key.operators:
        assert dialect.fast_operators is not None
        return dialect.fast_operators(lines, key.all)
    if not dialect.name_prefix and dialect.id_sep == dialect.status_sep == ",":
        return _read_csv(lines, key.all)
    return read_records(dialect, lines, key.all, None)


def read_records(
    dialect: Dialect, lines: list[str], all_: bool, operators: Operators | None
) -> SenderList | None:
    """The records of a prefixed dialect's lines holding a name, (``all_``) a status and an id,
    each sender with ``operators``; ``None`` for a long number, :class:`Rejected` for a line the
    grammar of those fields refuses."""
    prefix, id_sep, status_sep = dialect.name_prefix, dialect.id_sep, dialect.status_sep
    skip = len(prefix)
    status_text = STATUS_TEXT
    draft, model = SenderDraft, Sender
    senders: list[Any] = []  # drafts, each a Sender by the time it is appended
    append = senders.append
    for line in lines:
        if not line.startswith(prefix):
            raise Rejected
        head, found, id_raw = line.rpartition(id_sep)
        id_ = uint_text(id_raw)
        if id_ is None:
            if not found or not (id_raw.isascii() and id_raw.isdigit()):
                raise Rejected
            return None  # a long id: the grammar checks its range
        status = None
        if all_:
            head, found, status_raw = head.rpartition(status_sep)
            status = status_text.get(status_raw)
            if status is None:
                number = uint_text(status_raw)
                if number is None:
                    if not found or not (status_raw.isascii() and status_raw.isdigit()):
                        raise Rejected
                    return None
                status = sender_status(number)
        if len(head) <= skip:
            raise Rejected  # an empty name
        sender = draft()
        sender.name = head[skip:]
        sender.id = id_
        sender.status = status
        sender.operators = operators
        sender.__class__ = model  # type: ignore[assignment]
        append(sender)
    return SenderList(senders)


_rsplit: Final = str.rsplit
_CHUNK: Final = 1024
_json_loads: Final = orjson.loads


def _read_csv(lines: list[str], all_: bool) -> SenderList | None:
    """fmt 1: ``name,id`` or ``name,status,id``, split from the end of each line (SPEC D8)."""
    # The first line is read line by line: a body that is no fmt 1 list fails there at the cost
    # of one line (sniff tries fmt 1 on every body that ends in a digit). The others are read
    # in chunks, column by column, so that the columns' lists stay small on a long body.
    senders = _csv_lines(lines[:1], all_)
    if senders is None:
        return None
    for start in range(1, len(lines), _CHUNK):
        chunk = lines[start : start + _CHUNK]
        try:
            part = _csv_columns(chunk, all_)
        except (ValueError, KeyError):
            part = None
        if part is None:
            part = _csv_lines(chunk, all_)
            if part is None:
                return None
        senders += part
    return SenderList(senders)


def _csv_columns(lines: list[str], all_: bool) -> list[Any] | None:
    """The senders of a list whose every line is usual, or ``None`` (or ``ValueError`` or
    ``KeyError``) for one that is not: ``_csv_lines`` then declines or rejects it.

    The list is checked column by column, each check one call over every record, which costs a
    fraction of checking each field of each line in turn.
    """
    statuses: Iterable[SenderStatus | int | None]
    if all_:
        # ValueError: a line without two commas (zip's strict, or the unpacking).
        names, status_texts, ids = zip(*map(_rsplit, lines, repeat(","), repeat(2)), strict=True)
        statuses = map(STATUS_TEXT.__getitem__, status_texts)  # KeyError: an uncommon status
    else:
        names, ids = zip(*map(_rsplit, lines, repeat(","), repeat(1)), strict=True)
        statuses = repeat(None, len(ids))
    digits = "".join(ids)
    # Non-empty names and ids of ASCII digits: int() and JSON take more (signs, spaces, other
    # scripts' digits, "_" or fractions).
    if not (all(names) and digits.isdigit() and digits.isascii()):
        return None
    # The ids read as one JSON array: orjson reads fifty numbers in a third of the time of
    # fifty int() calls, in linear time however long they are. An empty id or a leading zero
    # is no JSON number (ValueError: read line by line); past 2**64 one reads as a float, over
    # MAX_UINT like any id past 2**63-1, which the grammar refuses (SPEC D9).
    numbers = _json_loads(f"[{','.join(ids)}]")
    if max(numbers) > MAX_UINT:
        return None
    return draft_senders(names, numbers, statuses, repeat(None))


def _csv_lines(lines: list[str], all_: bool) -> list[Any] | None:
    """fmt 1 line by line: the senders, ``None`` for a long number or :class:`Rejected`."""
    status_text = STATUS_TEXT
    senders: list[Sender] = []
    for line in lines:
        parts = line.rsplit(",", 2 if all_ else 1)
        if len(parts) != 2 + all_ or not parts[0]:
            raise Rejected  # no numeric fields at the end, or an empty name
        status = None
        if all_:
            status_raw = parts[1]
            status = status_text.get(status_raw)
            if status is None:
                number = uint_text(status_raw)
                if number is None:
                    if not (status_raw.isascii() and status_raw.isdigit()):
                        raise Rejected
                    return None
                status = sender_status(number)
        id_raw = parts[-1]
        id_ = uint_text(id_raw)
        if id_ is None:
            if not (id_raw.isascii() and id_raw.isdigit()):
                raise Rejected
            return None  # a long id: the grammar checks its range
        senders.append(new_sender(parts[0], id_, status, None))
    return senders


def _read_added(codec: LineCodec, text: str) -> SenderAdded | None:
    line = one_line(text)
    prefix = codec.dialect.added_prefix
    if line is None or not line.startswith(prefix):
        raise Rejected
    digits = line[len(prefix) :]
    number = uint_text(digits)
    if number is None:
        if not (digits.isascii() and digits.isdigit()):
            raise Rejected
        return None
    return new_added(number)


def _read_ok(codec: LineCodec, text: str) -> Ok | None:
    if one_line(text) != "OK":
        raise Rejected
    return OK_REPLY


# The readers of UTF-8 bytes, one made per codec: decode() calls one for every bytes body, so
# each takes its shape's usual body with as few calls as it can, checked on the bytes (ASCII
# digits are bytes.isdigit(); a byte is looked for as an int, which is a memchr, while a bytes
# needle costs a buffer look-up; a prefix is a slice compared, cheaper than startswith's call),
# and hands anything else to the codec's text path, which decides (and reads CRLF, which the
# bytes readers leave alone).

Utf8Reader = Callable[[bytes], "Reply | None"]
_CR, _NUL = ord("\r"), 0


def _list_utf8(codec: LineCodec) -> Utf8Reader:
    dialect = codec.dialect
    error_prefix, read_error, text_path = (
        dialect.error_prefix_utf8, dialect.read_error_utf8, codec.utf8_text,
    )  # fmt: skip
    error_end = len(error_prefix)

    def decode_utf8(raw: bytes) -> Reply | None:
        if raw[:error_end] == error_prefix:
            # SPEC D3: the error reply first; in fmt 1 a record may start alike ("0,-5,7").
            error = read_error(raw)
            return text_path(raw) if error is None else error
        if _CR in raw or _NUL in raw:
            return text_path(raw)
        try:
            lines = raw.decode("utf-8").split("\n")
        except UnicodeDecodeError:
            return None
        if not lines[-1]:
            lines.pop()  # SPEC D6: one trailing line ending (and D7: the empty body)
        return _read_lines(codec, lines)

    return decode_utf8


def _added_utf8(codec: LineCodec) -> Utf8Reader:
    dialect = codec.dialect
    prefix, error_prefix, read_error, text_path = (
        dialect.added_prefix_utf8, dialect.error_prefix_utf8, dialect.read_error_utf8,
        codec.utf8_text,
    )  # fmt: skip
    skip, error_end, draft, model = len(prefix), len(error_prefix), AddedDraft, SenderAdded

    def decode_prefixed(raw: bytes) -> Reply | None:
        if raw[:skip] == prefix:
            digits = raw[skip:]
            if digits.isdigit() and len(digits) < 19:
                reply = draft()
                reply.id = int(digits)
                reply.__class__ = model  # type: ignore[assignment]
                return reply  # type: ignore[return-value]
        elif raw[:error_end] == error_prefix:
            error = read_error(raw)
            if error is not None:
                return error
        return text_path(raw)

    def decode_bare(raw: bytes) -> Reply | None:
        # fmt 1: the id alone, which no error reply is.
        if raw.isdigit() and len(raw) < 19:
            reply = draft()
            reply.id = int(raw)
            reply.__class__ = model  # type: ignore[assignment]
            return reply  # type: ignore[return-value]
        if raw[:error_end] == error_prefix:
            error = read_error(raw)
            if error is not None:
                return error
        return text_path(raw)

    return decode_prefixed if prefix else decode_bare


def _ok_utf8(codec: LineCodec) -> Utf8Reader:
    dialect = codec.dialect
    error_prefix, read_error, text_path = (
        dialect.error_prefix_utf8, dialect.read_error_utf8, codec.utf8_text,
    )  # fmt: skip
    error_end = len(error_prefix)

    def decode_utf8(raw: bytes) -> Reply | None:
        if raw == b"OK":
            return OK_REPLY
        if raw[:error_end] == error_prefix:
            error = read_error(raw)
            if error is not None:
                return error
        return text_path(raw)

    return decode_utf8


class LineReader(NamedTuple):
    """The fast readers of a shape (of text, and the maker of the codec's reader of UTF-8
    bytes) and the grammar rule that reads it checked."""

    fast: Callable[[LineCodec, str], Reply | None]
    utf8: Callable[[LineCodec], Utf8Reader]
    start: Callable[[Key], str]


READERS: Final[Mapping[ReplyShape, LineReader]] = {
    SENDER_LIST: LineReader(
        _read_list, _list_utf8, lambda key: _LIST_STARTS[key.all, key.operators]
    ),
    SENDER_ADDED: LineReader(_read_added, _added_utf8, lambda key: "added"),
    OK: LineReader(_read_ok, _ok_utf8, lambda key: "ok"),
}
"""The reader of each reply shape (the error reply is read first, under every key)."""


# --- writers ------------------------------------------------------------------------------------


def _write_list(codec: LineCodec, reply: Reply) -> str:
    dialect, key = codec.dialect, codec.key
    senders = senders_of(reply, key)
    if key.operators:
        write = dialect.write_operators
        assert write is not None
        return write(senders.senders, key)
    return write_records(dialect, senders.senders, key.all)


def write_records(dialect: Dialect, senders: tuple[Sender, ...], all_: bool) -> str:
    """The lines of plain senders (as ``senders_of`` returns them): a name, (``all_``) a status
    and an id each, no other field."""
    prefix, id_sep, status_sep = dialect.name_prefix, dialect.id_sep, dialect.status_sep
    # senders_of made every value plain: ints, or this library's IntEnums, which format as ints.
    if all_:
        digits = CODE_DIGITS.get
        return "\n".join(
            [
                f"{prefix}{s.name}{status_sep}{digits(s.status) or INT_TEXT(s.status)}"
                f"{id_sep}{s.id}"
                for s in senders
            ]
        )
    return "\n".join([f"{prefix}{s.name}{id_sep}{s.id}" for s in senders])


def _write_added(codec: LineCodec, reply: Reply) -> str:
    return f"{codec.dialect.added_prefix}{added_id_of(reply, codec.key)}"


WRITERS: Final[Mapping[ReplyShape, Callable[[LineCodec, Reply], str]]] = shape_writers(
    _write_list, _write_added, "OK"
)
"""The writer of each reply shape (the error reply is written by the dialect)."""


class LineCodec:
    """The codec of one key of a line fmt: the dialect's error reply, then the shape's tables."""

    __slots__ = ("_fast", "_start", "_write", "decode_utf8", "dialect", "key", "wire_format")

    decode_utf8: Utf8Reader
    """The reply of a UTF-8 body (byte-order mark removed) by the fast readers alone, or
    ``None`` for ``decode`` (see Utf8Codec), which reads again whatever this declines or
    rejects, and explains it. A function made for this codec's shape rather than a method:
    ``decode`` calls it for every bytes body, and a bound method costs a call of its own."""

    def __init__(self, key: Key, dialect: Dialect, wire_format: WireFormat) -> None:
        shape = shape_of(key.operation)
        assert shape is not None
        self.key = key
        self.dialect = dialect
        self.wire_format = wire_format
        reader = READERS[shape]
        self._fast = reader.fast
        self._start = reader.start(key)
        self._write = WRITERS[shape]
        self.decode_utf8 = reader.utf8(self)

    def utf8_text(self, raw: bytes) -> Reply | None:
        """What ``decode_utf8`` does with a body unlike its shape's usual one: the fast reader
        of the text."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return self.fast(text)

    def decode(self, text: str) -> Reply:
        try:
            reply = self.fast(text)
        except Rejected:
            reply = None
        if reply is None:
            reply = self.checked(text)
        return reply

    def fast(self, text: str) -> Reply | None:
        """The reply read without the grammar, or ``None`` if the grammar must decide; raises
        :class:`Rejected` for a body the grammar certainly refuses."""
        dialect = self.dialect
        if text.startswith(dialect.error_prefix):
            # An error reply, or (fmt 1) a sender whose name starts so: SPEC D3 reads the error
            # reply first.
            line = one_line(text)
            error = None if line is None else dialect.read_error(line)
            if error is not None:
                return error
            if dialect.name_prefix:
                return None  # an unusual error reply: the grammar reads or explains it
            code = "" if line is None else line[len(dialect.error_prefix) :]
            if code.isascii() and code.isdigit():
                return None  # an error code too long for the fast reader
            # Otherwise a record whose name starts like an error reply (fmt 1: "0,-5,7").
        return self._fast(self, text)

    def checked(self, text: str) -> Reply:
        """The reply read by the grammar, which explains any body it refuses."""
        reply: Reply = self.dialect.parser.parse(text, self._start)
        return reply

    def encode(self, reply: Reply) -> str:
        if isinstance(reply, ErrorReply):
            code, description = error_of(
                reply, self.key, description=self.wire_format.error_description
            )
            if description is not None:
                check_text(description, "description", self.key, allow_empty=True)
            return self.dialect.write_error(code, description)
        return self._write(self, reply)
