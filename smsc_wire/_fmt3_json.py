"""fmt 3: the JSON replies (SPEC §2-§5, D2, D6-D9).

Strategy: orjson parses; the result is then checked against the key's shape in one pass over the
records. orjson is silent about three things SPEC makes errors, and each is caught without a second
parser on the common path: integers past 2**64 arrive as floats (rejected by type), duplicate
members are detected by counting ``:`` in the body against the members decoded (a body whose
colons are all member separators cannot hide a duplicate; otherwise an exact scan decides), and
deep nesting never reaches a model because records are checked at fixed depth. Positions of shape
errors are found only when an error is raised, by one scan of the string and bracket tokens.
Encoding writes the documented layout (SPEC D5) and lets orjson escape strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Any, Final

import orjson

from ._codes import SENDER_STATUS, STATUS_TEXT, error_code, operator_status, sender_status
from ._errors import DecodeFailure, EncodeError, shown
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
    COMMON_CODES,
    LINE_BREAK,
    MAX_UINT,
    OPERATOR_FIELDS_JSON,
    RESERVED_FIELDS,
    Declined,
    added_id_of,
    error_of,
    ok_of,
    operator_name_failure,
    operator_value,
    operators_from_wire,
    ordered_operators,
    parse_uint,
    senders_of,
    uint_text,
)

# One token of a JSON text that matters for positions: a string (a member name when a colon
# follows) or a bracket. Strings are matched whole, so brackets inside them are never seen.
_TOKEN: Final = re.compile(r'"(?:[^"\\]++|\\.)*+"(\s*+:)?|[{}\[\]]')
_LINE_BREAK: Final = LINE_BREAK
# A string token, or a minus sign outside strings: in a valid JSON body every such minus is the
# sign of a number, which no field may carry (SPEC D9), though orjson reads -0 as plain 0.
_SIGN: Final = re.compile(r'"(?:[^"\\]++|\\.)*+"|-')
# A string orjson writes as it is: no quote, backslash, control character or lone surrogate.
_PLAIN_STRING: Final = re.compile(r'[^"\\\x00-\x1f\ud800-\udfff]*')
_NOT_OPERATOR: Final = frozenset(RESERVED_FIELDS)


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


class JsonCodec:
    """The fmt 3 codec of one key."""

    __slots__ = ("_ok_operation", "_record", "key")

    def __init__(self, key: Key) -> None:
        self.key = key
        self._ok_operation = key.operation not in (Operation.GET, Operation.ADD)
        if key.operators:
            self._record = self._operators_record
        elif key.all:
            self._record = self._status_record
        else:
            self._record = self._plain_record

    def decode_utf8(self, raw: bytes) -> Reply | None:
        """Decode a UTF-8 body without making a str of it, or ``None`` for the text path.

        orjson reads UTF-8 directly; any doubt (invalid JSON, a shape error, a colon that might
        hide a duplicate member) returns ``None`` and :meth:`decode` then decides, with positions.
        """
        if self._ok_operation and raw in (b"OK", b"OK\n", b"OK\r\n"):
            return Ok()
        try:
            value = orjson.loads(raw)
            reply, members = self._reply(value)
        except (orjson.JSONDecodeError, _Shape):
            return None
        if raw.count(b":") != members or b"-" in raw:
            return None
        return reply

    def decode(self, text: str) -> Reply:
        if self._ok_operation and text in ("OK", "OK\n", "OK\r\n"):
            return Ok()  # SPEC D6: the live service has been seen to answer a bare OK.
        value = _loads(text)
        try:
            reply, members = self._reply(value)
        except _Shape as shape:
            raise DecodeFailure(shape.reason, _locate(text, shape.record, shape.member)) from None
        # SPEC D6: orjson keeps the last of duplicate members silently. Every member has one
        # colon after its name; if the body has no other colon, nothing can have been dropped.
        if text.count(":") != members:
            duplicate = _first_duplicate(text)
            if duplicate is not None:
                name, pos = duplicate
                raise DecodeFailure(f"the member {shown(name)} appears twice in one object", pos)
        if "-" in text:
            for match in _SIGN.finditer(text):
                if match.group() == "-":
                    raise DecodeFailure(
                        "a number with a sign is not an unsigned integer (SPEC D9)", match.start()
                    )
        return reply

    def _reply(self, value: Any) -> tuple[Reply, int]:
        key = self.key
        if type(value) is dict and "error" in value:
            _members(value, ("error", "error_code"), None)
            description = value["error"]
            if type(description) is not str:
                raise _Shape(f"error must be a string, not {_describe(description)}", None, "error")
            code = _uint(value["error_code"], "error code", member="error_code")
            return ErrorReply(error_code(code), description), 2
        if key.operation is Operation.GET:
            if type(value) is not list:
                raise _Shape(
                    f"expected an array of sender records or an error reply, "
                    f"found {_describe(value)}"
                )
            record = self._record
            senders: list[Sender] = []
            members = 0
            for i, item in enumerate(value):
                if type(item) is not dict:
                    raise _Shape(f"record {i} must be an object, not {_describe(item)}", None)
                members += len(item)  # before a record reader takes the dict apart
                try:
                    senders.append(record(item))
                except (Declined, KeyError, TypeError):
                    senders.append(self._checked_record(item, i))
            return SenderList(senders), members
        if type(value) is not dict:
            raise _Shape(f"expected an object, found {_describe(value)}")
        if key.operation is Operation.ADD:
            _members(value, ("sender",), None)
            return SenderAdded(_uint(value["sender"], "id", member="sender")), 1
        _members(value, ("result",), None)
        if value["result"] != "OK":
            raise _Shape('expected "result": "OK"', None, "result")
        return Ok(), 1

    # The fast readers take a record in the documented member order with common values; they
    # raise Declined, KeyError (a missing member) or TypeError (an unhashable value) on anything
    # else, and _checked_record reads the record again: it accepts every valid record and
    # explains what is wrong with the others.

    def _plain_record(self, item: dict[str, Any]) -> Sender:
        if len(item) != 2:
            raise Declined
        name = item["sender"]
        id_ = item["id"]
        if not (type(id_) is int and 0 <= id_ <= MAX_UINT):
            id_ = _fast_uint(id_)
        if not (type(name) is str and name and name.isprintable()):
            name = _fast_name(name)
        return new_sender(name, id_, None, None)

    def _status_record(self, item: dict[str, Any]) -> Sender:
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

    def _operators_record(self, item: dict[str, Any]) -> Sender:
        # The members left after taking out the name, status and id are the operator fields,
        # adopted as they are: the dict is ours. Only a record in the documented order is taken
        # apart, so that it can be put back exactly as it was if the checked path must read it.
        all_ = self.key.all
        # The length first: next() on an empty record would raise StopIteration (a fuzz finding).
        if len(item) < 2 + all_ or next(reversed(item)) != "id" or next(iter(item)) != "sender":
            raise Declined
        if all_ and next(islice(item, 1, None)) != "status":
            raise Declined
        pop = item.pop
        name = pop("sender")
        status_raw = pop("status") if all_ else None
        id_raw = pop("id")
        try:
            if not (type(name) is str and name and (name.isprintable() or _fast_name(name))):
                raise Declined
            if type(id_raw) is str and id_raw.isdigit() and id_raw.isascii() and len(id_raw) < 19:
                id_ = int(id_raw)
            else:
                id_ = _fast_uint(id_raw)
            status = None
            if all_:
                status = STATUS_TEXT.get(status_raw)  # type: ignore[arg-type]
                if status is None:
                    status = sender_status(_fast_uint(status_raw))
            elif "status" in item:
                raise Declined
            if "name" in item or "" in item or _LINE_BREAK.search("".join(item)):
                raise Declined  # the checked path says what is wrong (SPEC D4)
            if COMMON_CODES.issuperset(item.values()):
                return new_sender(name, id_, status, Operators._lazy(item))
            return new_sender(name, id_, status, operators_from_wire(item))
        except (Declined, TypeError):
            fields = dict(item)
            item.clear()
            item["sender"] = name
            if all_:
                item["status"] = status_raw
            item.update(fields)
            item["id"] = id_raw
            raise

    def _checked_record(self, item: dict[str, Any], i: int) -> Sender:
        key = self.key
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

    def encode(self, reply: Reply) -> str:
        key = self.key
        if isinstance(reply, ErrorReply):
            code, description = error_of(reply, key, description=True)
            return (
                f'{{\n"error": {_dumps(description, "description", key)},\n"error_code": {code}\n}}'
            )
        if key.operation is Operation.ADD:
            return f'{{\n"sender": {added_id_of(reply, key)}\n}}'
        if key.operation is not Operation.GET:
            ok_of(reply, key)
            return '{\n"result": "OK"\n}'
        senders = senders_of(reply, key)
        if not senders:
            return "[]"
        return "[" + ",\n".join(self._object(i, s) for i, s in enumerate(senders)) + "]"

    def _object(self, i: int, sender: Sender) -> str:
        key = self.key
        members = [f'"sender": {_dumps(sender.name, f"senders[{i}].name", key)}']
        if sender.operators is None:
            if key.all:
                members.append(f'"status": {int(sender.status)}')  # type: ignore[arg-type]
            members.append(f'"id": {sender.id}')
        else:
            # SPEC §3: in the operators=1 form every value is a string, the id included.
            if key.all:
                members.append(f'"status": "{int(sender.status)}"')  # type: ignore[arg-type]
            for name, value in ordered_operators(sender.operators, OPERATOR_FIELDS_JSON):
                where = f"senders[{i}].operators[{shown(name)}]"
                text = _dumps(value, where, key) if isinstance(value, str) else f'"{int(value)}"'
                members.append(f"{_dumps(name, where, key)}: {text}")
            members.append(f'"id": "{sender.id}"')
        return "{\n" + ",\n".join(members) + "\n}"


def _dumps(value: str | None, where: str, key: Key) -> str:
    if value is not None and _PLAIN_STRING.fullmatch(value):
        return f'"{value}"'  # what orjson writes for a string with nothing to escape
    try:
        return orjson.dumps(value).decode("utf-8")
    except orjson.JSONEncodeError as exc:
        raise EncodeError(f"{where} cannot be written as JSON: {exc}", key=key) from None


def codecs() -> Iterator[tuple[Key, JsonCodec]]:
    for op in Operation:
        flags = [(a, o) for a in (False, True) for o in (False, True)]
        for all_, operators in flags if op is Operation.GET else [(False, False)]:
            key = Key(3, op, all_, operators)
            yield key, JsonCodec(key)
