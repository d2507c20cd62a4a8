"""What each key's reply holds, independent of fmt: field orders, numbers, and model checks.

Strategy: everything the four codecs agree on lives here once. Decoders use the number and
operator-value rules (SPEC D4, D9); encoders call :func:`senders_of`, :func:`added_id_of`,
:func:`error_of` or :func:`ok_of` first, which refuse a model that does not fit the key at all,
and then apply only the limits of their own fmt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from ._codes import OPERATOR_STATUS_TEXT, OperatorStatus, SenderStatus, operator_status
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
_FORBIDDEN_IN_NAME: Final = re.compile(r"[\r\n\x00\ud800-\udfff]")
LINE_BREAK: Final = re.compile(r"[\r\n\x00]")
"""What no name, operator field name or raw operator value may hold (SPEC D4, D8)."""


def parse_uint(digits: str, pos: int | None, what: str) -> int:
    """``digits`` (ASCII digits, already matched) as an int no larger than ``MAX_UINT``."""
    significant = digits.lstrip("0")
    # Checked before int(): a long run of digits would make int() slow (and raise past 4300).
    if len(significant) > 19 or (len(significant) == 19 and int(significant) > MAX_UINT):
        raise DecodeFailure(f"{what} {_shorten(digits)} is over 2**63-1 (SPEC D9)", pos)
    return int(significant or "0")


def operator_value(raw: str, pos: int | None) -> OperatorValue:
    """An operator field's text: a status code where it is digits, else kept raw (SPEC D4)."""
    if raw.isascii() and raw.isdigit():
        return operator_status(parse_uint(raw, pos, "operator status"))
    if NUMBER_LIKE.fullmatch(raw):
        raise DecodeFailure(
            f"operator status {_shorten(raw)} is not an unsigned integer (SPEC D9)", pos
        )
    if LINE_BREAK.search(raw):
        # SPEC D4: encode refuses such a value, so decode does too (every decoded model can be
        # written back).
        raise DecodeFailure(
            f"operator value {_shorten(raw)} holds CR, LF or NUL, which no fmt can carry (SPEC D4)",
            pos,
        )
    return raw


def operator_name_failure(name: str) -> str | None:
    """Why ``name`` cannot be an operator field name in any fmt (SPEC D4), or ``None``."""
    if not name:
        return "an operator field name is empty (SPEC D4)"
    if name in RESERVED_FIELDS:
        return f"field {_shorten(name)} is not allowed here for this key"
    if LINE_BREAK.search(name):
        return f"operator field name {_shorten(name)} holds CR, LF or NUL (SPEC D4)"
    return None


class Declined(Exception):
    """Raised in a fast path for a value it leaves to the checked path, which explains it."""


class _OperatorValues(dict[object, OperatorValue]):
    """Operator value as read (text, or a JSON number) to value: the common codes are entries.

    A miss computes the value (SPEC D4: digits are a status, other text is kept raw) without
    storing it, so hostile input cannot grow the table; anything else raises :class:`Declined`.
    """

    def __missing__(self, value: object) -> OperatorValue:
        if type(value) is str:
            number = uint_text(value)
            if number is not None:
                return operator_status(number)
            if (
                (value.isascii() and value.isdigit())
                or NUMBER_LIKE.fullmatch(value)
                or LINE_BREAK.search(value)
            ):
                raise Declined  # a long number (range check), or an error (D4, D9)
            return value
        if type(value) is int and 0 <= value <= MAX_UINT:
            return operator_status(value)
        raise Declined


OPERATOR_VALUES: Final = _OperatorValues(OPERATOR_STATUS_TEXT)
"""Maps an operator value as read to the model's value, for the fast paths."""

COMMON_CODES: Final = frozenset(OPERATOR_STATUS_TEXT)
"""The wire text of the common codes, which :class:`Operators` can keep and convert lazily."""


def operators_from_wire(fields: dict[str, Any]) -> Operators:
    """The :class:`Operators` of operator fields as read (text, or JSON numbers), for fast paths.

    Takes ownership of ``fields``. When every value is a common code the mapping converts them
    when first used (checking them here is one set operation, converting them would be most of a
    record's decoding time); otherwise each is converted now, and :class:`Declined` (or
    ``TypeError`` for an unhashable value) leaves the record to the checked path.
    """
    if COMMON_CODES.issuperset(fields.values()):
        return Operators._lazy(fields)
    return Operators._adopt({name: OPERATOR_VALUES[value] for name, value in fields.items()})


def uint_text(raw: str) -> int | None:
    """``raw`` as an int if it is ASCII digits short enough to need no range check."""
    if raw.isdigit() and raw.isascii() and len(raw) < 19:
        return int(raw)
    return None


def one_line(text: str) -> str | None:
    """The single line of a text body for a fast path (SPEC D6: one trailing line ending)."""
    lines = text_lines(text)
    return lines[0] if lines is not None and len(lines) == 1 else None


def text_lines(text: str) -> list[str] | None:
    """The lines of a text body for a fast path, or ``None`` if it holds what needs the grammar.

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


def _shorten(text: str) -> str:
    text = str.__str__(text)  # a lark Token or another str subclass would show its own repr
    return repr(text if len(text) <= 24 else text[:20] + "…")


# --- encoding -----------------------------------------------------------------------------------


def _is_uint(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_UINT


def _check_uint(value: object, where: str, key: Key) -> int:
    """``value`` as a plain ``int`` (SPEC D11: an int subclass is written as its value)."""
    if not _is_uint(value):
        raise EncodeError(f"{where} must be an int from 0 to 2**63-1, not {shown(value)}", key=key)
    return value if type(value) is int else int.__int__(value)  # type: ignore[arg-type]


def check_text(value: object, where: str, key: Key, *, allow_empty: bool = False) -> str:
    """A name or description: a non-empty str with no CR, LF, NUL or surrogate (SPEC D8).

    Returns it as a plain ``str``: a subclass cannot change what is written (SPEC D11).
    """
    if not isinstance(value, str):
        raise EncodeError(f"{where} must be a str, not {type(value).__name__}", key=key)
    if type(value) is not str:
        value = str.__str__(value)
    if not value and not allow_empty:
        raise EncodeError(f"{where} is empty", key=key)
    bad = _FORBIDDEN_IN_NAME.search(value)
    if bad is not None:
        raise EncodeError(
            f"{where} contains {bad.group()!r} at index {bad.start()}, which no fmt can carry",
            key=key,
        )
    return value


def _wrong_model(reply: object, expected: str, key: Key) -> EncodeError:
    return EncodeError(f"expected {expected} or ErrorReply, not {type(reply).__name__}", key=key)


def _plain_code(value: object, where: str, key: Key) -> int:
    # Our own enums are written by value; anything else becomes a plain int first (SPEC D11).
    if type(value) in _CODE_TYPES and 0 <= value <= MAX_UINT:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    return _check_uint(value, where, key)


def senders_of(reply: Reply, key: Key) -> SenderList:
    """The list, checked against the key: status iff ``all``, operators iff ``operators``.

    Returns the senders with plain values: ``str`` names, ``int`` ids and codes (or this
    library's own code enums), so that a writer can format them without any method of a
    subclass running (SPEC D11). A list that holds only such values is returned as it is.
    """
    if not isinstance(reply, SenderList):
        raise _wrong_model(reply, "SenderList", key)
    plain: list[Sender] | None = None
    for i, sender in enumerate(reply.senders):
        where = f"senders[{i}]"
        if not isinstance(sender, Sender):
            raise EncodeError(f"{where} must be a Sender, not {type(sender).__name__}", key=key)
        name = check_text(sender.name, f"{where}.name", key)
        id_ = _check_uint(sender.id, f"{where}.id", key)
        status = sender.status
        if key.all:
            status = _plain_code(status, f"{where}.status", key)
        elif status is not None:
            raise EncodeError(
                f"{where}.status is {shown(status)}, but all=0 has no status", key=key
            )
        operators = sender.operators
        if key.operators:
            if operators is None:
                raise EncodeError(f"{where}.operators is None, but operators=1 needs them", key=key)
            operators = _plain_operators(operators, where, key)
        elif operators is not None:
            raise EncodeError(f"{where}.operators is set, but operators=0 has none", key=key)
        if (
            name is not sender.name
            or id_ is not sender.id
            or status is not sender.status
            or operators is not sender.operators
        ):
            if plain is None:
                plain = list(reply.senders[:i])
            plain.append(new_sender(name, id_, status, operators))  # type: ignore[arg-type]
        elif plain is not None:
            plain.append(sender)
    return reply if plain is None else SenderList(plain)


def _plain_operators(
    operators: Mapping[str, OperatorValue], where: str, key: Key
) -> Mapping[str, OperatorValue]:
    changed = False
    fields: dict[str, OperatorValue] = {}
    for name, value in operators.items():
        # A documented field holding a code needs no further look (the common case).
        if (
            type(name) is str
            and name in _DOCUMENTED
            and type(value) in _CODE_TYPES
            and 0 <= value <= MAX_UINT  # type: ignore[operator]
        ):
            fields[name] = value
            continue
        plain_name, plain_value = _check_operator(
            name, value, f"{where}.operators[{shown(name)}]", key
        )
        changed = changed or plain_name is not name or plain_value is not value
        fields[plain_name] = plain_value
    if not changed:
        return operators
    if len(fields) != len(operators):
        # Two names of subclasses that read as the same plain name.
        raise EncodeError(f"{where}.operators names one field twice", key=key)
    return Operators._adopt(fields)


_DOCUMENTED: Final = frozenset(OPERATOR_FIELDS)
_CODE_TYPES: Final = frozenset({int, OperatorStatus, SenderStatus})


def _check_operator(name: object, value: object, where: str, key: Key) -> tuple[str, OperatorValue]:
    if not isinstance(name, str) or not name:
        raise EncodeError(f"{where}: an operator field name must be a non-empty str", key=key)
    name = check_text(name, where, key)
    if name in RESERVED_FIELDS:
        raise EncodeError(f"{where}: {shown(name)} is not an operator field name", key=key)
    if isinstance(value, str):
        value = check_text(value, where, key, allow_empty=True)
        if (value.isascii() and value.isdigit()) or NUMBER_LIKE.fullmatch(value):
            raise EncodeError(
                f"{where} is the text {shown(value)}, which would read back as a number "
                "(write status codes as int)",
                key=key,
            )
        return name, value
    return name, _plain_code(value, where, key)


def ordered_operators(
    ops: Mapping[str, OperatorValue], documented: tuple[str, ...]
) -> list[tuple[str, OperatorValue]]:
    """Known fields in the fmt's documented order, then unknown ones in model order (SPEC D4)."""
    if isinstance(ops, Operators):
        ops = ops._values()  # a plain dict: item access without the Mapping protocol's detours
    known = [(name, ops[name]) for name in documented if name in ops]
    if len(known) == len(ops):
        return known
    known_names = set(documented)
    known.extend((name, value) for name, value in ops.items() if name not in known_names)
    return known


def added_id_of(reply: Reply, key: Key) -> int:
    if not isinstance(reply, SenderAdded):
        raise _wrong_model(reply, "SenderAdded", key)
    return _check_uint(reply.id, "id", key)


def ok_of(reply: Reply, key: Key) -> Ok:
    if not isinstance(reply, Ok):
        raise _wrong_model(reply, "Ok", key)
    return reply


def error_of(reply: ErrorReply, key: Key, *, description: bool) -> tuple[int, str | None]:
    """The error's code and description, checked and plain: fmt 1 has no description, every
    other fmt needs one (SPEC §2)."""
    code = _check_uint(reply.code, "code", key)
    if not description:
        if reply.description is not None:
            raise EncodeError(
                "fmt 1 error replies carry no description: encode ErrorReply(code, None) "
                f"(this one has {shown(reply.description)})",
                key=key,
            )
        return code, None
    if reply.description is None:
        raise EncodeError(
            f"fmt {key.fmt} error replies need a description and this one has none", key=key
        )
    if not isinstance(reply.description, str):
        raise EncodeError(
            f"description must be a str, not {type(reply.description).__name__}", key=key
        )
    return code, str.__str__(reply.description)


def model_for(key: Key) -> str:
    """The name of the success model of the key's operation, for messages."""
    if key.operation is Operation.GET:
        return "SenderList"
    if key.operation is Operation.ADD:
        return "SenderAdded"
    return "Ok"
