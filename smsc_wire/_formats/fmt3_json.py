"""fmt 3: the JSON replies (SPEC §2-§5, D2, D6-D9).

Strategy: orjson parses; the result is then checked against the key's shape in one pass over the
records. orjson is silent about three things SPEC makes errors, and each is caught without a second
parser on the common path: integers past 2**64 arrive as floats (rejected by type), duplicate
members are detected by counting ``:`` in the body against the members decoded (a body whose
colons are all member separators cannot hide a duplicate; otherwise an exact scan decides), and
deep nesting never reaches a model because records are checked at fixed depth. Positions of shape
errors are found only when an error is raised, by one scan of the string and bracket tokens.
A list is read a column at a time where it can be: each check runs once over all the names, all
the ids or all the field names, in C (``map``, ``join``, set operations), and Python only builds
the models; a list with anything unusual in it goes to the record readers. Encoding writes the
documented layout (SPEC D5) with string formatting, and lets orjson escape strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from itertools import islice, repeat
from json.encoder import encode_basestring
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, Literal

import orjson

from smsc_wire._checks import added_id_of, error_of, senders_of
from smsc_wire._codes import (
    CODE_DIGITS,
    INT_TEXT,
    SENDER_STATUS,
    STATUS_TEXT,
    ErrorCode,
    error_code,
    operator_status,
    sender_status,
)
from smsc_wire._errors import DecodeFailure, EncodeError, shown
from smsc_wire._fast import COMMON_CODES, Declined, Rejected, operators_from_wire
from smsc_wire._models import (
    NO_OPERATORS,
    OK_REPLY,
    AddedDraft,
    ErrorDraft,
    ErrorReply,
    Ok,
    Operators,
    OperatorValue,
    Reply,
    Sender,
    SenderAdded,
    SenderList,
    draft_senders,
    new_added,
    new_error,
    new_sender,
)
from smsc_wire._shapes import OK, SENDER_ADDED, SENDER_LIST, ReplyShape, shape_of
from smsc_wire._values import (
    LINE_BREAK,
    MAX_UINT,
    OPERATOR_FIELDS_JSON,
    RESERVED_FIELDS,
    operator_name_failure,
    operator_value,
    parse_uint,
    uint_text,
)

from . import FORMATS, shape_writers

if TYPE_CHECKING:
    from smsc_wire._key import Key

    from . import WireFormat

# One token of a JSON text that matters for positions: a string (a member name when a colon
# follows) or a bracket. Strings are matched whole, so brackets inside them are never seen.
_TOKEN: Final = re.compile(r'"(?:[^"\\]++|\\.)*+"(\s*+:)?|[{}\[\]]')
_LINE_BREAK: Final = LINE_BREAK
# A string token, or a minus sign outside strings: in a valid JSON body every such minus is the
# sign of a number, which no field may carry (SPEC D9), though orjson reads -0 as plain 0.
_SIGN: Final = re.compile(r'"(?:[^"\\]++|\\.)*+"|-')
# A number's sign follows a colon, a bracket or a comma (and whitespace): only a body holding
# that needs the exact scan above (a minus in a name like "Beauty-Lab" does not).
_MAYBE_SIGN: Final = re.compile(r"[:\[,][ \t\r\n]*+-")
_MAYBE_SIGN_BYTES: Final = re.compile(rb"[:\[,][ \t\r\n]*+-")
# A string orjson writes as it is: no quote, backslash, control character or lone surrogate.
_PLAIN_STRING: Final = re.compile(r'[^"\\\x00-\x1f\ud800-\udfff]*')
_NOT_OPERATOR: Final = frozenset(RESERVED_FIELDS)
_JSON_SPACE: Final = b" \t\r\n"
_BEFORE_NUMBER: Final = b":[,"
# How far back _signed looks past whitespace, and how many minus signs it looks at, before it
# leaves the body to _MAYBE_SIGN_BYTES: each look is a few steps of Python, and a hostile body
# can be all minus signs (SPEC D11: the scan stays linear, and in C).
_SPACE_LOOKBACK: Final = 16
_MINUS_LIMIT: Final = 32


def _signed(raw: bytes) -> bool:
    """Whether ``_MAYBE_SIGN_BYTES`` matches ``raw``: a minus sign after a colon, bracket or comma
    and any JSON whitespace, the one place a number's sign can be (SPEC D9).

    Looks only at the minus signs, found by ``bytes.find`` (memchr): the regex would try its
    character class at every byte, and costs more than parsing the body.
    """
    at = raw.find(b"-")
    looked = 0
    while at >= 0:
        if at:
            before = raw[at - 1]
            if before in _BEFORE_NUMBER:
                return True
            if before in _JSON_SPACE:
                head = raw[max(0, at - _SPACE_LOOKBACK) : at].rstrip(_JSON_SPACE)
                if head:
                    if head[-1] in _BEFORE_NUMBER:
                        return True
                elif at > _SPACE_LOOKBACK:
                    break  # a long run of whitespace: the regex finds what precedes it
        looked += 1
        if looked == _MINUS_LIMIT:
            break
        at = raw.find(b"-", at + 1)
    else:
        return False
    return _MAYBE_SIGN_BYTES.search(raw) is not None


def _fast_uint(value: object) -> int:
    if type(value) is int:
        if 0 <= value <= MAX_UINT:
            return value
    elif type(value) is str:
        number = uint_text(value)
        if number is not None:
            return number
    raise Declined


def _fast_name(value: object) -> str:
    if type(value) is str and value and (value.isprintable() or not _LINE_BREAK.search(value)):
        return value
    raise Declined


class _Shape(Exception):
    """A shape error inside the decoded value: ``record`` index and ``member`` name, if any."""

    def __init__(self, reason: str, record: int | None = None, member: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.record = record
        self.member = member


def _loads(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        surrogate = re.search("[\ud800-\udfff]", text)
        if surrogate is not None:
            raise DecodeFailure("a lone surrogate is not a character", surrogate.start()) from None
        # orjson counts in bytes of UTF-8.
        pos = len(text.encode("utf-8")[: exc.pos].decode("utf-8", "ignore"))
        raise DecodeFailure(f"invalid JSON: {exc.msg}", pos) from None


def _locate(text: str, record: int | None, member: str | None) -> int | None:
    """Where record ``record`` (or the top-level object) and its ``member`` name start."""
    depth = 0
    seen = -1
    target = 1 if record is None else 2
    inside = record is None
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in {"{", "["}:
            depth += 1
            if record is not None and token == "{" and depth == 2:
                seen += 1
                inside = seen == record
                if inside and member is None:
                    return match.start()
        elif token in ("}", "]"):
            depth -= 1
        elif (
            inside
            and depth == target
            and match.group(1)
            and member is not None
            and _string(token[: token.rindex('"') + 1]) == member
        ):
            return match.start()
    if record is None:
        return 0
    return None


def _string(literal: str) -> str:
    value: str = orjson.loads(literal)
    return value


def _first_duplicate(text: str) -> tuple[str, int] | None:
    """The first member name repeated within one object, and its position (SPEC D6)."""
    stack: list[set[str]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in {"{", "["}:
            stack.append(set())
        elif token in ("}", "]"):
            stack.pop()
        elif match.group(1) and stack:
            name = _string(token[: token.rindex('"') + 1])
            if name in stack[-1]:
                return name, match.start()
            stack[-1].add(name)
    return None


def _uint(value: object, what: str, *, record: int | None = None, member: str) -> int:
    if type(value) is int:
        if 0 <= value <= MAX_UINT:
            return value
        raise _Shape(f"{what} {value} is out of range 0..2**63-1 (SPEC D9)", record, member)
    if type(value) is str and value.isascii() and value.isdigit():
        try:
            return parse_uint(value, None, what)
        except DecodeFailure as failure:
            raise _Shape(failure.reason, record, member) from None
    raise _Shape(f"{what} must be an unsigned integer, not {_describe(value)}", record, member)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {shown(value) if isinstance(value, int) else repr(value)}"
    if isinstance(value, str):
        return f"the string {shown(value, 20)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"{value!r}"  # pragma: no cover - orjson makes no other type


def _name(value: object, record: int) -> str:
    if type(value) is not str:
        raise _Shape(f"a sender name must be a string, not {_describe(value)}", record, "sender")
    if not value:
        raise _Shape("a sender name is empty", record, "sender")
    if not value.isprintable() and _LINE_BREAK.search(value):
        raise _Shape("a sender name cannot hold CR, LF or NUL (SPEC D8)", record, "sender")
    return value


def _operator(value: object, record: int, member: str) -> OperatorValue:
    if type(value) is str:
        try:
            return operator_value(value, None)
        except DecodeFailure as failure:
            raise _Shape(failure.reason, record, member) from None
    return operator_status(_uint(value, "operator status", record=record, member=member))


def _members(obj: dict[str, Any], expected: tuple[str, ...], record: int | None) -> None:
    if len(obj) != len(expected) or any(name not in obj for name in expected):
        missing = [name for name in expected if name not in obj]
        if missing:
            raise _Shape(f"the member {missing[0]!r} is missing", record)
        extra = next(name for name in obj if name not in expected)
        raise _Shape(f"the member {shown(extra)} is not defined under this key", record, extra)


# --- records ------------------------------------------------------------------------------------
# The fast record readers take a record in the documented member order with common values; they
# raise Declined, KeyError (a missing member) or TypeError (an unhashable value) on anything else,
# and never change the record. _checked_record accepts every valid record and explains what is
# wrong with the others.


def _plain_record(codec: JsonCodec, item: dict[str, Any]) -> Sender:
    if len(item) != 2:
        raise Declined
    name = item["sender"]
    id_ = item["id"]
    if not (type(id_) is int and 0 <= id_ <= MAX_UINT):
        id_ = _fast_uint(id_)
    if not (type(name) is str and name and name.isprintable()):
        name = _fast_name(name)
    return new_sender(name, id_, None, None)


def _status_record(codec: JsonCodec, item: dict[str, Any]) -> Sender:
    if len(item) != 3:
        raise Declined
    name = item["sender"]
    status = item["status"]
    id_ = item["id"]
    if not (type(id_) is int and 0 <= id_ <= MAX_UINT):
        id_ = _fast_uint(id_)
    if not (type(status) is int and 0 <= status <= MAX_UINT):
        status = _fast_uint(status)
    if not (type(name) is str and name and name.isprintable()):
        name = _fast_name(name)
    return new_sender(name, id_, SENDER_STATUS.get(status, status), None)


def _operators_record(codec: JsonCodec, item: dict[str, Any]) -> Sender:
    # The members other than the name, status and id are the operator fields: a copy of the
    # record without those three becomes the Operators mapping (the record itself is not ours).
    all_ = codec.key.all
    # The length first: next() on an empty record would raise StopIteration (a fuzz finding).
    if len(item) < 2 + all_ or next(reversed(item)) != "id" or next(iter(item)) != "sender":
        raise Declined
    if all_ and next(islice(item, 1, None)) != "status":
        raise Declined
    name = item["sender"]
    id_raw = item["id"]
    if not (type(name) is str and name and (name.isprintable() or _fast_name(name))):
        raise Declined
    if type(id_raw) is str and id_raw.isdigit() and id_raw.isascii() and len(id_raw) < 19:
        id_ = int(id_raw)
    else:
        id_ = _fast_uint(id_raw)
    fields = item.copy()
    del fields["sender"], fields["id"]
    status = None
    if all_:
        status_raw = fields.pop("status")
        status = STATUS_TEXT.get(status_raw)
        if status is None:
            status = sender_status(_fast_uint(status_raw))
    elif "status" in fields:
        raise Declined
    if "name" in fields or "" in fields or _LINE_BREAK.search("".join(fields)):
        raise Declined  # the checked reader says what is wrong (SPEC D4)
    return new_sender(name, id_, status, operators_from_wire(fields))


def _checked_record(codec: JsonCodec, item: dict[str, Any], i: int) -> Sender:
    key = codec.key
    if not key.operators:
        expected = ("sender", "status", "id") if key.all else ("sender", "id")
        _members(item, expected, i)
        status = None
        if key.all:
            status = sender_status(_uint(item["status"], "status", record=i, member="status"))
        return new_sender(
            _name(item["sender"], i),
            _uint(item["id"], "id", record=i, member="id"),
            status,
            None,
        )
    name = id_ = status = None
    fields: dict[str, OperatorValue] = {}
    for member, value in item.items():
        if member == "sender":
            name = _name(value, i)
        elif member == "id":
            id_ = _uint(value, "id", record=i, member="id")
        elif member == "status" and key.all:
            status = sender_status(_uint(value, "status", record=i, member="status"))
        elif member in RESERVED_FIELDS:
            raise _Shape(f"the member {shown(member)} is not defined under this key", i, member)
        else:
            failure = operator_name_failure(member)
            if failure is not None:
                raise _Shape(failure, i, member)
            fields[member] = _operator(value, i, member)
    if name is None or id_ is None or (status is None and key.all):
        _members(item, ("sender", "status", "id") if key.all else ("sender", "id"), i)
    return new_sender(name, id_, status, Operators._adopt(fields))  # type: ignore[arg-type]


# --- columns ------------------------------------------------------------------------------------
# A list read a column at a time: the names, ids and statuses of all records are taken out at
# once and each column checked by a few calls that loop in C; only building the models is a
# Python loop (over drafts, see SenderDraft). The column readers accept exactly what the record
# readers accept with nothing unusual in it (the documented member types, short numbers, common
# operator codes) and return ``None`` for anything else, which the record readers then read or
# explain. Like a reader they return the number of members read; the caller checks the colons
# and signs (SPEC D6, D9). ``exact`` says that the caller has found no number with a sign in the
# body and declines it unless its colons are exactly the members read: then a member beyond those
# read, or a negative number, cannot pass unseen, and the reader need not look for them.

_SENDER: Final = itemgetter("sender")
_ID: Final = itemgetter("id")
_STATUS: Final = itemgetter("status")
_INT: Final = frozenset({int})
_OPERATOR_NAMES: Final = frozenset(OPERATOR_FIELDS_JSON)
_pop: Final = dict.pop
_popitem: Final = dict.popitem
_values_of: Final = dict.values


def _record_columns(
    codec: JsonCodec,
    value: list[Any],
    exact: bool,
    owned: bool = False,
    operators: Operators | None = None,
) -> tuple[SenderList, int] | None:
    """The ``all=0`` and ``all=1`` records (numbers as JSON numbers), or ``None``; never changes
    ``value``, even when ``owned`` (the column readers' common signature) allows it. Each sender
    gets ``operators``."""
    all_ = codec.key.all
    width = 2 + all_
    count = len(value)
    if not count:
        return None
    try:
        # Each record holds the members the getters ask for (else KeyError, or TypeError for a
        # record that is no object), so a total of width members per record means no others.
        if not exact and sum(map(len, value)) != width * count:
            return None
        names = list(map(_SENDER, value))
        ids = list(map(_ID, value))
        statuses = list(map(_STATUS, value)) if all_ else []
        joined = "".join(names)  # TypeError: a name that is no string
    except (KeyError, TypeError):
        return None
    if not all(names) or (not joined.isprintable() and _LINE_BREAK.search(joined)):
        return None  # an empty name, or CR, LF or NUL in one (SPEC D8)
    numbers = ids + statuses
    if (
        set(map(type, numbers)) != _INT
        or max(numbers) > MAX_UINT
        or (not exact and min(numbers) < 0)
    ):
        return None  # a string of digits, a bool, a float, or out of range (SPEC D6, D9)
    status_of = SENDER_STATUS.get
    statuses_ = map(status_of, statuses, statuses) if all_ else repeat(None)
    return SenderList(draft_senders(names, ids, statuses_, repeat(operators))), width * count


def _operator_columns(
    codec: JsonCodec, value: list[Any], exact: bool, owned: bool = False
) -> tuple[SenderList, int] | None:
    """The ``operators=1`` records (every value a JSON string, SPEC §3), or ``None``.

    Each record is copied (in C) and its name, id and status popped out of the copy, which
    leaves the copy holding the operator fields alone; ``value`` is never changed, so the record
    readers can read it when this declines. With ``owned`` (a value parsed for this call alone,
    which nothing else reads) the records themselves are taken apart instead of copies, and a
    caller whose read this declines must parse the body again.
    """
    all_ = codec.key.all
    if not value:
        return None
    try:
        members = sum(map(len, value))  # TypeError: a record that is no collection
        first = value[0]
        if (
            members == (2 + all_) * len(value)
            and type(first) is dict
            and type(first.get("id")) is int
        ):
            # No record holds an operator field, and the ids are numbers (checked throughout
            # below): the records of operators=0, each with no operator fields. The service
            # writes numbers as strings under operators=1 (SPEC §3), so this is mostly a body
            # of the other key, read here by sniff.
            plain = _record_columns(codec, value, exact, owned, NO_OPERATORS)
            if plain is not None:
                return plain
        records = value if owned else list(map(dict.copy, value))  # TypeError: no object
        # The id is the last member of a record (the documented order), as the record reader
        # wants it; popitem takes the last member, and KeyError or TypeError mean no object.
        id_names, id_texts = zip(*map(_popitem, records), strict=True)
        names = list(map(_pop, records, repeat("sender")))
        statuses = list(map(STATUS_TEXT.get, map(_pop, records, repeat("status")))) if all_ else []
        joined = "".join(names)  # TypeError: a name that is no string
        id_text = "".join(id_texts)  # TypeError: an id written as a number (SPEC D6)
        # Every value a common code: one set look-up each (TypeError: one unhashable).
        common = all(map(COMMON_CODES.issuperset, map(_values_of, records)))
    except (KeyError, TypeError):
        return None
    if id_names.count("id") != len(id_names):
        return None
    if not all(names) or (not joined.isprintable() and _LINE_BREAK.search(joined)):
        return None  # an empty name, or CR, LF or NUL in one (SPEC D8)
    if not (id_text.isdigit() and id_text.isascii() and all(id_texts)):
        return None  # an id that is not digits
    if len(id_text) > 18 and max(map(len, id_texts)) > 18:
        return None  # an id long enough to need the range check (SPEC D9)
    if None in statuses:
        return None  # a status that is not a short code written as digits
    # The field names of all records at once: a set union reuses the hashes the dicts hold.
    fields: set[str] = set().union(*records)
    if not _OPERATOR_NAMES.issuperset(fields):
        for name in fields - _OPERATOR_NAMES:
            if operator_name_failure(name) is not None:
                return None  # "status" under all=0, "name", empty, CR, LF or NUL (SPEC D4)
    if common:
        operators = Operators._lazy_each(records)
    else:
        try:
            operators = list(map(operators_from_wire, records))
        except (Declined, TypeError):
            return None
    statuses_ = statuses if all_ else repeat(None)
    try:
        # ASCII digits, 18 at most: one JSON array reads them faster than int() one by one,
        # unless one has a leading zero (valid here, SPEC D6; no JSON number).
        ids: list[int] = _parse(f"[{','.join(id_texts)}]")
    except _JSONDecodeError:
        ids = list(map(int, id_texts))
    return SenderList(draft_senders(names, ids, statuses_, operators)), members


_ColumnReader = Callable[["JsonCodec", list[Any], bool, bool], tuple[SenderList, int] | None]
"""A column reader: ``(codec, value, exact, owned)`` to the list and its members, or ``None``."""


# --- readers ------------------------------------------------------------------------------------
# A reader gets the decoded JSON value and returns the reply and the number of members it read
# (for the duplicate check, SPEC D6); a shape error is a _Shape, placed in the text afterwards.


def _read_error(value: dict[str, Any]) -> tuple[ErrorReply, int]:
    _members(value, ("error", "error_code"), None)
    description = value["error"]
    if type(description) is not str:
        raise _Shape(f"error must be a string, not {_describe(description)}", None, "error")
    code = _uint(value["error_code"], "error code", member="error_code")
    return new_error(error_code(code), description), 2


def _list(codec: JsonCodec, value: Any, mode: Mode) -> tuple[SenderList, int]:
    if type(value) is not list:
        raise _Shape(
            f"expected an array of sender records or an error reply, found {_describe(value)}"
        )
    record = codec._record
    senders: list[Sender] = []
    members = 0
    for i, item in enumerate(value):
        if type(item) is not dict:
            raise _Shape(f"record {i} must be an object, not {_describe(item)}", None)
        members += len(item)
        if mode != "checked":
            try:
                senders.append(record(codec, item))
                continue
            except (Declined, KeyError, TypeError):
                if mode == "fast":
                    raise Declined from None
        senders.append(_checked_record(codec, item, i))
    return SenderList(senders), members


def _object(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Shape(f"expected an object, found {_describe(value)}")
    return value


def _read_added(codec: JsonCodec, value: Any, mode: Mode) -> tuple[SenderAdded, int]:
    value = _object(value)
    _members(value, ("sender",), None)
    return new_added(_uint(value["sender"], "id", member="sender")), 1


def _read_ok(codec: JsonCodec, value: Any, mode: Mode) -> tuple[Ok, int]:
    value = _object(value)
    _members(value, ("result",), None)
    if value["result"] != "OK":
        raise _Shape('expected "result": "OK"', None, "result")
    return OK_REPLY, 1


Mode = Literal["fast", "mixed", "checked"]
"""How a list is read: the fast record readers alone (declining the body at the first unusual
record), each record fast or else checked (what ``decode`` does), or every record checked."""

READERS: Final[Mapping[ReplyShape, Callable[[JsonCodec, Any, Mode], tuple[Reply, int]]]] = {
    SENDER_LIST: _list,
    SENDER_ADDED: _read_added,
    OK: _read_ok,
}
"""The reader of each reply shape (the error reply is read first, under every key)."""


# --- writers ------------------------------------------------------------------------------------


def _write_error(codec: JsonCodec, reply: ErrorReply) -> str:
    code, description = error_of(reply, codec.key, description=True)
    return (
        f'{{\n"error": {_dumps(description, "description", codec.key)},\n"error_code": {code}\n}}'
    )


_json_string: Final[Callable[[str], str]] = encode_basestring
"""A name as orjson writes it as a JSON string, quotes included.

The standard library's escaper (in C) writes every string that holds no lone surrogate exactly
as orjson does: the same short escapes, ``\\u00XX`` for the other control characters, anything
else as it is; senders_of refuses a lone surrogate (SPEC D8), and tests/test_codecs.py holds the
two escapers equal over every other code point. One call per name costs a fifth of orjson's
call for the list, the decoding of its bytes and their split.
"""


def _write_list(codec: JsonCodec, reply: Reply) -> str:
    # Each record is formatted in the canonical layout (SPEC D5) around its name as orjson
    # writes it; senders_of made every number a plain int or one of this library's IntEnums,
    # which format as their value (SPEC D11).
    key = codec.key
    senders = senders_of(reply, key).senders
    if not senders:
        return "[]"
    name = _json_string
    if key.operators:
        # Under operators=1 every number is a string (SPEC §3): the common records in one
        # format operation each, any other list (no operator fields, say) through orjson.
        records = _operator_records(senders, key.all)
        if records is None:
            return _write_operators(senders, key)
    elif key.all:
        digits = CODE_DIGITS.get
        records = [
            f'{{\n"sender": {name(s.name)},\n"status": {digits(s.status) or INT_TEXT(s.status)},'
            f'\n"id": {s.id}\n}}'
            for s in senders
        ]
    else:
        records = [f'{{\n"sender": {name(s.name)},\n"id": {s.id}\n}}' for s in senders]
    return "[" + ",\n".join(records) + "]"


def _unindented(records: list[dict[str, object]], key: Key) -> str:
    """The records in the canonical layout (SPEC D5): orjson writes them indented, and the
    indentation is taken out. A JSON string never holds a raw line break, so every line break
    of the output is layout, and the spaces after one are indentation (4 before a member of a
    record, 2 before a record: no deeper nesting exists)."""
    try:
        out = orjson.dumps(records, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError as exc:  # pragma: no cover - senders_of refuses what fails
        raise EncodeError(f"the list cannot be written as JSON: {exc}", key=key) from None
    flat = out.replace(b"\n    ", b"\n").replace(b"\n  ", b"\n")
    return "[" + flat[2:-2].decode("utf-8") + "]"


# An operators=1 record holding the documented fields and no others, each a code: the common case,
# written by one format operation (every value a JSON string, the id included, SPEC §3).
_FIELD_VALUES: Final = itemgetter(*OPERATOR_FIELDS_JSON)
_FIELD_LINES: Final = "".join(f'"{name}": "%d",\n' for name in OPERATOR_FIELDS_JSON)
_OPERATORS_RECORD: Final = '{\n"sender": %s,\n' + _FIELD_LINES + '"id": "%d"\n}'
_STATUS_OPERATORS_RECORD: Final = (
    '{\n"sender": %s,\n"status": "%d",\n' + _FIELD_LINES + '"id": "%d"\n}'
)


def _operator_records(senders: tuple[Sender, ...], all_: bool) -> list[str] | None:
    """The records of a list whose senders all hold exactly the documented fields, each a code
    (``%d`` refuses a raw text value); ``None`` for any other list."""
    documented = len(OPERATOR_FIELDS_JSON)
    name = _json_string
    records: list[str] = []
    append = records.append
    try:
        if all_:
            template = _STATUS_OPERATORS_RECORD
            for sender in senders:
                fields = sender.operators._values()  # type: ignore[union-attr]
                if len(fields) != documented:
                    return None
                append(
                    template % (name(sender.name), sender.status, *_FIELD_VALUES(fields), sender.id)
                )
        else:
            template = _OPERATORS_RECORD
            for sender in senders:
                fields = sender.operators._values()  # type: ignore[union-attr]
                if len(fields) != documented:
                    return None
                append(template % (name(sender.name), *_FIELD_VALUES(fields), sender.id))
    except (AttributeError, KeyError, TypeError):
        return None  # a mapping that is no Operators, a field missing, or a raw text value
    return records


def _write_operators(senders: tuple[Sender, ...], key: Key) -> str:
    # Any operators=1 list: a dict per record, in the documented order (SPEC D4).
    return _unindented([_operators_record_of(s, key.all) for s in senders], key)


_DOCUMENTED_JSON: Final = frozenset(OPERATOR_FIELDS_JSON)


def _operators_record_of(sender: Sender, all_: bool) -> dict[str, object]:
    """One record of the operators=1 form: every value a string, the id included (SPEC §3)."""
    record: dict[str, object] = {"sender": sender.name}
    if all_:
        record["status"] = int.__repr__(sender.status)
    operators = sender.operators
    assert operators is not None
    fields = operators._values() if isinstance(operators, Operators) else dict(operators)
    for name in OPERATOR_FIELDS_JSON:
        if name in fields:
            value = fields[name]
            record[name] = value if type(value) is str else int.__repr__(value)
    if len(record) - 1 - all_ != len(fields):
        # Unknown fields follow the documented ones, in the model's order (SPEC D4).
        for name, value in fields.items():
            if name not in _DOCUMENTED_JSON:
                record[name] = value if type(value) is str else int.__repr__(value)
    record["id"] = int.__repr__(sender.id)
    return record


def _write_added(codec: JsonCodec, reply: Reply) -> str:
    return f'{{\n"sender": {added_id_of(reply, codec.key)}\n}}'


_OK_BODY: Final = '{\n"result": "OK"\n}'
"""The service's OK reply, as it writes it."""

WRITERS: Final[Mapping[ReplyShape, Callable[[JsonCodec, Reply], str]]] = shape_writers(
    _write_list, _write_added, _OK_BODY
)
"""The writer of each reply shape (the error reply has its own, :func:`_write_error`)."""


_OK_VALUE: Final = {"result": "OK"}
_ERROR_CODES: Final[dict[int, ErrorCode]] = {code.value: code for code in ErrorCode}
_BARE_OK: Final = (b"OK", b"OK\n", b"OK\r\n")
_OK_BODY_UTF8: Final = _OK_BODY.encode("utf-8")
_BARE_OK_TEXT: Final = ("OK", "OK\n", "OK\r\n")
_parse: Final = orjson.loads
_JSONDecodeError: Final = orjson.JSONDecodeError


_UNPARSED: Final = object()
"""``_decode_utf8``'s value before parsing: not parsed yet."""
_NO_VALUE: Final = object()
"""What :func:`parse_utf8` returns for a body that is no JSON."""


def parse_utf8(raw: bytes) -> Any:
    """The JSON value of a UTF-8 body for :meth:`JsonCodec.decode_parsed`: sniff parses a body
    once for every key of the fmt (the readers never change the value)."""
    try:
        return _parse(raw)
    except _JSONDecodeError:
        return _NO_VALUE


class JsonCodec:
    """The fmt 3 codec of one key: the error reply, then the shape's tables."""

    __slots__ = (
        "_bare_ok", "_columns", "_read", "_record", "_shape", "_write", "decode_utf8", "key"
    )  # fmt: skip

    def __init__(self, key: Key, wire_format: WireFormat) -> None:
        shape = shape_of(key.operation)
        assert shape is not None
        self.key = key
        self._shape = shape
        self._read = READERS[shape]
        self._write = WRITERS[shape]
        # SPEC D6: the live service has been seen to answer a bare OK to the OK operations.
        self._bare_ok = wire_format.bare_ok and shape is OK
        self._record: Callable[[JsonCodec, dict[str, Any]], Sender]
        self._columns: _ColumnReader | None
        self._columns = None
        if key.operators:
            self._record = _operators_record
        elif key.all:
            self._record = _status_record
        else:
            self._record = _plain_record
        if shape is SENDER_LIST:
            self._columns = _operator_columns if key.operators else _record_columns
        self.decode_utf8: Callable[[bytes], Reply | None]
        self.decode_utf8 = _ok_utf8(self._decode_utf8) if shape is OK else self._decode_utf8

    def _decode_utf8(
        self, raw: bytes, mode: Mode = "mixed", value: Any = _UNPARSED
    ) -> Reply | None:
        """Decode a UTF-8 body without making a str of it, or ``None`` for the text path.

        orjson reads UTF-8 directly; any doubt (invalid JSON, a shape error, a colon that might
        hide a duplicate member, a minus sign) returns ``None`` and :meth:`decode` then decides,
        with positions; a body that is not JSON, or not of the key's shape, raises
        :class:`Rejected`. ``value``: the body as :func:`parse_utf8` parsed it, if it has been.
        """
        if self._bare_ok and raw in _BARE_OK:
            # SPEC D6: the live service's bare OK. Looked for before parsing: orjson's error
            # costs ten times this test (sniff asks every OK key about every bare OK).
            return OK_REPLY
        owned = value is _UNPARSED
        if owned:
            try:
                value = _parse(raw)
            except _JSONDecodeError:
                raise Rejected from None  # not JSON: decode's text path says where
        elif value is _NO_VALUE:
            raise Rejected
        kind = type(value)
        if kind is dict and len(value) <= 2:
            # The small replies whole, in as few steps as can be (they are decoded by the
            # thousand): the members, their types and range, one colon per member (no duplicate
            # dropped by orjson, SPEC D6) and, where the number is 0, no minus sign (orjson reads
            # -0 as 0, SPEC D9; any other number with a sign is negative, so out of range). An
            # error is valid under every key, OK and the id only under theirs; anything else is
            # left to the readers.
            if len(value) == 2:
                description = value.get("error")
                code = value.get("error_code")
                if (
                    type(description) is str
                    and type(code) is int
                    and 0 <= code <= MAX_UINT
                    and (code or b"-" not in raw)
                    and raw.count(b":") == 2
                ):
                    error = ErrorDraft()
                    error.code = _ERROR_CODES.get(code, code)
                    error.description = description
                    error.__class__ = ErrorReply  # type: ignore[assignment]
                    return error  # type: ignore[return-value]
            elif self._shape is SENDER_ADDED:
                added = value.get("sender")
                if (
                    type(added) is int
                    and 0 <= added <= MAX_UINT
                    and (added or b"-" not in raw)
                    and raw.count(b":") == 1
                ):
                    new = AddedDraft()
                    new.id = added
                    new.__class__ = SenderAdded  # type: ignore[assignment]
                    return new  # type: ignore[return-value]
            elif value == _OK_VALUE and self._shape is OK and raw.count(b":") == 1:
                return OK_REPLY
        elif kind is list and self._columns is not None:
            if _signed(raw):
                return None  # the text path finds the sign, or what else is wrong
            colons = raw.count(b":")
            # A value parsed here is this call's alone: the column reader may take it apart,
            # and it is parsed again for the record readers if that reader declines.
            read = self._columns(self, value, True, owned)
            if read is not None:
                return read[0] if colons == read[1] else None
            if owned:
                value = _parse(raw)
        try:
            reply, members = self._reply(value, mode)
        except Declined:
            return None
        except (_JSONDecodeError, _Shape):
            # Not JSON, or a shape the checked reader refuses just the same (it reads the same
            # value): rejected, and decode's text path says what is wrong and where.
            raise Rejected from None
        if raw.count(b":") != members or _signed(raw):
            return None
        return reply

    def fast(self, text: str) -> Reply | None:
        """The fast reader alone: the reply, or ``None`` where the checked reader must decide;
        :class:`Rejected` for a body the checked reader certainly refuses."""
        return self._decode_utf8(text.encode("utf-8"), "fast")

    def decode(self, text: str) -> Reply:
        return self._decode(text, "mixed")

    def checked(self, text: str) -> Reply:
        """The checked reader alone: every valid body, and the error of every other one."""
        return self._decode(text, "checked")

    def _decode(self, text: str, mode: Mode) -> Reply:
        if self._bare_ok and text in _BARE_OK_TEXT:
            return OK_REPLY
        value = _loads(text)
        try:
            read = None
            if mode == "mixed" and type(value) is list and self._columns is not None:
                read = self._columns(self, value, False, False)
            reply, members = self._reply(value, mode) if read is None else read
        except _Shape as shape:
            raise DecodeFailure(shape.reason, _locate(text, shape.record, shape.member)) from None
        # SPEC D6: orjson keeps the last of duplicate members silently. Every member has one
        # colon after its name; if the body has no other colon, nothing can have been dropped.
        if text.count(":") != members:
            duplicate = _first_duplicate(text)
            if duplicate is not None:
                name, pos = duplicate
                raise DecodeFailure(f"the member {shown(name)} appears twice in one object", pos)
        if _MAYBE_SIGN.search(text):
            for match in _SIGN.finditer(text):
                if match.group() == "-":
                    raise DecodeFailure(
                        "a number with a sign is not an unsigned integer (SPEC D9)", match.start()
                    )
        return reply

    def _reply(self, value: Any, mode: Mode) -> tuple[Reply, int]:
        if type(value) is dict and "error" in value:
            return _read_error(value)
        return self._read(self, value, mode)

    def encode(self, reply: Reply) -> str:
        if isinstance(reply, ErrorReply):
            return _write_error(self, reply)
        return self._write(self, reply)

    def decode_parsed(self, raw: bytes, value: Any) -> Reply | None:
        """:meth:`decode_utf8` of ``raw``, which :func:`parse_utf8` has parsed to ``value``."""
        return self._decode_utf8(raw, "mixed", value)

    parse_utf8 = staticmethod(parse_utf8)
    """The parser of :meth:`decode_parsed`, the same for every codec of the fmt."""


def _ok_utf8(read: Callable[[bytes], Reply | None]) -> Callable[[bytes], Reply | None]:
    """The reader of UTF-8 bytes of an OK key: the service's OK, byte for byte, needs no parse
    (orjson, then the checks of SPEC D6, cost more than all the rest of ``decode``); anything
    else goes to ``read``."""

    def decode_ok(raw: bytes) -> Reply | None:
        return OK_REPLY if raw == _OK_BODY_UTF8 else read(raw)

    return decode_ok


def _dumps(value: str | None, where: str, key: Key) -> str:
    if value is not None and _PLAIN_STRING.fullmatch(value):
        return f'"{value}"'  # what orjson writes for a string with nothing to escape
    try:
        return orjson.dumps(value).decode("utf-8")
    except orjson.JSONEncodeError as exc:
        raise EncodeError(f"{where} cannot be written as JSON: {exc}", key=key) from None


__all__ = ["READERS", "WRITERS", "codec"]


def codec(key: Key, wire_format: WireFormat) -> JsonCodec:
    """The fmt 3 codec of ``key``."""
    return JsonCodec(key, wire_format)


FORMATS[3].check_tables(READERS, WRITERS)
