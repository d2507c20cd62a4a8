"""Hypothesis strategies for sender-ID replies: models and their canonical wire text.

Use them in your own tests to feed an SDK realistic replies of every shape::

    from hypothesis import given
    import smsc_wire as sw
    from smsc_wire.strategies import wire

    KEY = sw.Key(fmt=3, operation="get", all=True)

    @given(wire(KEY))
    def test_my_client_reads_every_list(pair):
        text, reply = pair
        assert my_client.parse_senders(text) == reply  # your code under test

Strategy: every strategy draws only models that :func:`smsc_wire.encode` accepts under the key
(the round-trip properties of this package prove it), mixing the edge cases that break naive
clients (names with ``, `` and ``=``, Cyrillic, leading spaces, unknown operator fields, codes
outside the enums) into ordinary values; everything shrinks towards short ASCII names, small ids
and the documented codes. Requires the ``strategies`` extra (hypothesis).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis installed
    raise ImportError(
        "smsc_wire.strategies needs hypothesis: pip install 'smsc_wire[strategies]'"
    ) from exc

from ._api import encode
from ._codes import ErrorCode, OperatorStatus, SenderStatus
from ._formats import FORMATS
from ._models import (
    ErrorReply,
    Ok,
    Operators,
    OperatorValue,
    Reply,
    Sender,
    SenderAdded,
    SenderList,
)
from ._registry import registry
from ._shapes import OK, SENDER_ADDED, SENDER_LIST, ReplyShape, shape_of
from ._values import FIELD_START, MAX_UINT, NUMBER_LIKE, OPERATOR_FIELDS, RESERVED_FIELDS

if TYPE_CHECKING:
    from ._key import Key

__all__ = ["descriptions", "keys", "names", "replies", "senders", "wire"]

# Characters no fmt can carry in a name (SPEC D8); each fmt declares what else it cannot.
_NEVER: Final = "\r\n\x00"

_EDGE_NAMES: Final = (
    "SMSC", "Shop, Inc", "a = b", "name = x, id = 1", " leading", "trailing ", "Магазин",
    "Ёлка, ООО", "0,-5", "7", "12,34", "A&B <Co>", 'say "hi"', "tab\there", "ERROR = 1 (x)",
    "OK", "😀 emoji", "x,", "(paren)",
)  # fmt: skip
_DESCRIPTIONS: Final = (
    "parameters error", "authorise error", "record not found", "save error", "invalid number",
    "can't to deliver", "duplicate request, wait a minute", "", "ошибка (в скобках)",
)  # fmt: skip


def _alphabet(fmt: int | None) -> st.SearchStrategy[str]:
    if fmt is None:  # portable: what every fmt can carry
        excluded = _NEVER + "".join(f.not_in_text for f in FORMATS.values())
    else:
        excluded = _NEVER + FORMATS[fmt].not_in_text
    return st.characters(exclude_categories=["Cs"], exclude_characters=excluded)


def names(key: Key | None = None) -> st.SearchStrategy[str]:
    """Sender names that every fmt can carry, or that the fmt of ``key`` can (SPEC D8)."""
    fmt = None if key is None else key.fmt
    strategy = st.one_of(
        st.sampled_from(_EDGE_NAMES),
        st.text(_alphabet(fmt), min_size=1, max_size=24),
    )
    if key is None or (FORMATS[key.fmt].field_start_ends_names and key.operators):
        # fmt 0 with operators=1 ends a name at the first ", <word> = " (SPEC D8).
        strategy = strategy.filter(lambda name: FIELD_START.search(name) is None)
    return strategy


def descriptions(key: Key | None = None) -> st.SearchStrategy[str]:
    """Error descriptions that the fmt of ``key`` (or every fmt but 1) can carry."""
    if key is None:
        described = [f for f in FORMATS.values() if f.error_description]
        excluded = "".join(f.not_in_descriptions for f in described)
    else:
        excluded = FORMATS[key.fmt].not_in_descriptions
    alphabet = st.characters(exclude_categories=["Cs"], exclude_characters=excluded)
    return st.one_of(st.sampled_from(_DESCRIPTIONS), st.text(alphabet, max_size=40))


def _codes(
    enum: type[SenderStatus] | type[OperatorStatus] | type[ErrorCode],
) -> st.SearchStrategy[int]:
    # Mostly documented codes; sometimes one the enum does not know, kept as a plain int (D3, D4).
    return st.one_of(st.sampled_from(list(enum)), st.integers(0, 300), st.integers(0, MAX_UINT))


def _raw_values(key: Key | None) -> st.SearchStrategy[str]:
    # SPEC D4: a non-integer operator value is kept as text; it must not look like a number.
    return names(key).filter(lambda v: NUMBER_LIKE.fullmatch(v) is None)


def _field_names(key: Key | None) -> st.SearchStrategy[str]:
    unknown = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True).filter(
        lambda n: n not in RESERVED_FIELDS and not n.startswith("xml")
    )
    return st.one_of(st.sampled_from(OPERATOR_FIELDS), unknown)


def _operators(key: Key | None) -> st.SearchStrategy[Operators]:
    values: st.SearchStrategy[OperatorValue] = st.one_of(_codes(OperatorStatus), _raw_values(key))
    return st.dictionaries(_field_names(key), values, max_size=len(OPERATOR_FIELDS) + 3).map(
        Operators
    )


def senders(key: Key, *, portable: bool = False) -> st.SearchStrategy[Sender]:
    """One sender record valid under the get ``key`` (every fmt, if ``portable``)."""
    shape = None if portable else key
    return st.builds(
        Sender,
        name=names(shape),
        id=st.integers(0, MAX_UINT),
        status=_codes(SenderStatus) if key.all else st.none(),
        operators=_operators(shape) if key.operators else st.none(),
    )


def replies(key: Key, *, portable: bool = False) -> st.SearchStrategy[Reply]:
    """Models that :func:`smsc_wire.encode` accepts under ``key``, error replies included.

    With ``portable=True`` they are also valid under the same shape in every other fmt (names and
    descriptions free of what one fmt cannot carry), except that fmt 1 has no error description.
    """
    success = _SUCCESS[_shape(key)](key, portable)
    carried = FORMATS[key.fmt].error_description
    description = descriptions(None if portable else key) if carried else st.none()
    error = st.builds(ErrorReply, _codes(ErrorCode), description)
    return st.one_of(success, error)


def _lists(key: Key, portable: bool) -> st.SearchStrategy[Reply]:
    return st.lists(senders(key, portable=portable), max_size=6).map(SenderList)


_SUCCESS: Final[dict[ReplyShape, Callable[[Key, bool], st.SearchStrategy[Reply]]]] = {
    SENDER_LIST: _lists,
    SENDER_ADDED: lambda key, portable: st.builds(SenderAdded, st.integers(0, MAX_UINT)),
    OK: lambda key, portable: st.just(Ok()),
}


def _shape(key: Key) -> ReplyShape:
    shape = shape_of(key.operation)
    if shape not in _SUCCESS or key.fmt not in FORMATS:
        raise ValueError(f"{key}: no strategy for a key outside the documented ones")
    assert shape is not None
    return shape


def wire(key: Key) -> st.SearchStrategy[tuple[str, Reply]]:
    """Pairs ``(text, reply)``: a model valid under ``key`` and its canonical text."""
    registry[key]  # an unsupported key fails here, not at the first draw
    return replies(key).map(lambda reply: (encode(reply, key), reply))


def keys() -> st.SearchStrategy[Key]:
    """Every key of the registry."""
    return st.sampled_from(list(registry))
