"""What ``encode`` checks before any fmt writes: the model against the key's reply shape.

Strategy: a writer first calls the check of its shape (:func:`senders_of`, :func:`added_id_of`,
:func:`success_of`, :func:`error_of`), which refuses a model that does not fit the key at all and
returns its values as plain ``int`` and ``str`` (SPEC D11: no method of a subclass can change the
bytes), then applies only the limits of its own fmt. Cheap for the common case: a list whose
values are already plain is returned as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Final

from ._codes import CODE_DIGITS, OperatorStatus, SenderStatus
from ._errors import EncodeError, shown
from ._models import (
    ErrorReply,
    Operators,
    OperatorValue,
    Reply,
    Sender,
    SenderAdded,
    SenderList,
    new_sender,
)
from ._shapes import SENDER_ADDED, SENDER_LIST, ReplyShape
from ._values import MAX_UINT, NUMBER_LIKE, OPERATOR_FIELDS, RESERVED_FIELDS

if TYPE_CHECKING:
    from ._key import Key

_FORBIDDEN_IN_TEXT: Final = re.compile(r"[\r\n\x00\ud800-\udfff]")


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
    bad = _FORBIDDEN_IN_TEXT.search(value)
    if bad is not None:
        raise EncodeError(
            f"{where} contains {bad.group()!r} at index {bad.start()}, which no fmt can carry",
            key=key,
        )
    return value


def _wrong_model(reply: object, expected: str, key: Key) -> EncodeError:
    return EncodeError(f"expected {expected} or ErrorReply, not {type(reply).__name__}", key=key)


def success_of(reply: object, key: Key, shape: ReplyShape) -> None:
    """Refuse a reply that is not the model of ``shape`` (the writers of a shape call this)."""
    if not isinstance(reply, shape.model):
        raise _wrong_model(reply, shape.model.__name__, key)


def _plain_code(value: object, where: str, key: Key) -> int:
    # Our own enums are written by value; anything else becomes a plain int first (SPEC D11).
    if type(value) in _CODE_TYPES and 0 <= value <= MAX_UINT:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    return _check_uint(value, where, key)


_NAME: Final = attrgetter("name")
_ID: Final = attrgetter("id")
_STATUS: Final = attrgetter("status")
_OPERATORS: Final = attrgetter("operators")
_CLEAN: Final = attrgetter("_clean")
_STATUS_TYPES: Final = frozenset({int, SenderStatus})


def _plain_list(senders: tuple[Sender, ...], key: Key) -> bool:
    """Whether every sender is already plain and fits the key: checked field by field at C
    speed, a column at a time (the common case: a list decoded, or built of plain values)."""
    if set(map(type, senders)) != {Sender}:
        return False
    names = list(map(_NAME, senders))
    if set(map(type, names)) != {str} or "" in names:
        return False
    joined = "".join(names)
    # isprintable() is false for CR, LF, NUL and surrogates (and more): only then the search.
    if not joined.isprintable() and _FORBIDDEN_IN_TEXT.search(joined):
        return False
    ids = list(map(_ID, senders))
    if set(map(type, ids)) != {int} or min(ids) < 0 or max(ids) > MAX_UINT:
        return False
    statuses = list(map(_STATUS, senders))
    if key.all:
        if not _STATUS_TYPES.issuperset(map(type, statuses)):
            return False
        if min(statuses) < 0 or max(statuses) > MAX_UINT:
            return False
    elif statuses.count(None) != len(statuses):
        return False
    operators = list(map(_OPERATORS, senders))
    if not key.operators:
        return operators.count(None) == len(operators)
    return set(map(type, operators)) == {Operators} and all(map(_CLEAN, operators))


def _fit(key: Key) -> int:
    """The bit of ``SenderList._fits`` that says the list fits ``key``."""
    return 1 << (2 * key.all + key.operators)


def fits_decoded(reply: SenderList, key: Key) -> None:
    """Record that a built-in reader decoded ``reply`` under ``key``, so that :func:`senders_of`
    need not look at its senders: such a list fits its key (SPEC D4: decode refuses what encode
    refuses), which tests/test_fast_paths.py checks of every reader on every body it tries.
    sniff encodes each list it reads, to see whether the body is canonical."""
    object.__setattr__(reply, "_fits", reply._fits | _fit(key))


def senders_of(reply: Reply, key: Key) -> SenderList:
    """The list, checked against the key: status iff ``all``, operators iff ``operators``.

    Returns the senders with plain values: ``str`` names, ``int`` ids and codes (or this
    library's own code enums), so that a writer can format them without any method of a
    subclass running (SPEC D11). A list that holds only such values is returned as it is.
    """
    success_of(reply, key, SENDER_LIST)
    assert isinstance(reply, SenderList)
    fit = _fit(key)
    if reply._fits & fit:
        return reply
    if not reply.senders or _plain_list(reply.senders, key):
        object.__setattr__(reply, "_fits", reply._fits | fit)
        return reply
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
        if type(operators) is Operators:
            operators._clean = True  # checked once; the mapping never changes
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


_INT_CODES: Final = frozenset({int, OperatorStatus})


def documented_codes(
    ops: Mapping[str, OperatorValue], documented: tuple[str, ...]
) -> list[tuple[str, str]] | None:
    """The fields in the fmt's order, each code as its digits, when all are documented and hold
    codes (the common case), which every fmt writes as they are; ``None`` for anything a writer
    must look at."""
    fields = ops._values() if isinstance(ops, Operators) else ops
    if not _DOCUMENTED.issuperset(fields) or not _INT_CODES.issuperset(map(type, fields.values())):
        return None
    text = CODE_DIGITS.get
    return [
        (name, text(value) or int.__repr__(value))
        for name in documented
        if name in fields
        for value in [fields[name]]
    ]


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
    """The new sender's id, checked and plain."""
    if type(reply) is SenderAdded:
        id_ = reply.id
        if type(id_) is int and 0 <= id_ <= MAX_UINT:
            return id_  # the common case (a decoded reply), in one step: sniff encodes each
    success_of(reply, key, SENDER_ADDED)
    assert isinstance(reply, SenderAdded)
    return _check_uint(reply.id, "id", key)


def error_of(reply: ErrorReply, key: Key, *, description: bool) -> tuple[int, str | None]:
    """The error's code and description, checked and plain. ``description`` says whether the
    fmt carries one (SPEC §2: fmt 1 has none, every other fmt needs one)."""
    code = _check_uint(reply.code, "code", key)
    if not description:
        if reply.description is not None:
            raise EncodeError(
                f"fmt {key.fmt} error replies carry no description: encode ErrorReply(code, None) "
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
