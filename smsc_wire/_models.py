"""The reply models: what a reply *means*, whatever fmt carried it (SPEC D12).

Strategy: frozen, slotted dataclasses with no knowledge of any wire format. Layout (line endings,
whitespace, quoting, the order of operator fields) is never part of a model, so the same senders
decoded from fmt 0, 1, 2 and 3 compare equal. Models do not validate themselves: any value can be
held, and :func:`smsc_wire.encode` is where a model that cannot be written is refused.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, Sequence, ValuesView
from dataclasses import dataclass, field
from typing import Any, Final, NoReturn, Self, TypeAlias, overload

from ._codes import OPERATOR_STATUS_TEXT, ErrorCode, OperatorStatus, SenderStatus

_new = object.__new__

OperatorValue: TypeAlias = OperatorStatus | int | str
"""An operator field's value: a status code, or the raw text of a non-integer value (SPEC D4)."""


class Operators(Mapping[str, OperatorValue]):
    """A read-only mapping of operator field name to status, in the order the wire held them.

    Equality ignores order (the fmts order the fields differently, SPEC §3); iteration keeps it, so
    that unknown fields are re-emitted where they were read (SPEC D4). Hashable.

    >>> ops = Operators({"mega_step": 2, "tele2": 0})
    >>> ops["mega_step"], ops == {"tele2": 0, "mega_step": 2}
    (2, True)
    """

    __slots__ = ("_clean", "_fields", "_wire")

    # Either _fields holds the values, or _fields is None and _wire holds checked wire text
    # (every value a key of OPERATOR_STATUS_TEXT), converted on first use: most decoded lists
    # are written out again or counted, not read field by field.
    _fields: dict[str, OperatorValue] | None
    _wire: dict[str, str]
    # Whether every field is known to be writable (SPEC D4: decode refuses what encode refuses,
    # so a decoded mapping is; encode marks one it has checked). The mapping never changes.
    _clean: bool

    def __init__(
        self, fields: Mapping[str, OperatorValue] | Iterable[tuple[str, OperatorValue]] = ()
    ) -> None:
        self._fields = dict(fields)
        self._clean = False

    @classmethod
    def _adopt(cls, fields: dict[str, OperatorValue]) -> Operators:
        # Decoders (and encode's checks) hand over a dict of checked fields they never touch
        # again: no copy, and nothing to check again.
        ops = _new(cls)
        ops._fields = fields
        ops._clean = True
        return ops

    @classmethod
    def _lazy(cls, wire: dict[str, str]) -> Operators:
        ops = _new(cls)
        ops._fields = None
        ops._wire = wire
        ops._clean = True
        return ops

    @classmethod
    def _lazy_each(cls, wires: Iterable[dict[str, str]]) -> list[Operators]:
        """``_lazy`` of each of ``wires``, in one loop: a list's records by the hundred."""
        made: list[Operators] = []
        append = made.append
        new = _new
        for wire in wires:
            ops = new(cls)
            ops._fields = None
            ops._wire = wire
            ops._clean = True
            append(ops)
        return made

    def _values(self) -> dict[str, OperatorValue]:
        fields = self._fields
        if fields is None:
            # Two threads may both convert; they make equal dicts and either one is kept.
            fields = {name: OPERATOR_STATUS_TEXT[raw] for name, raw in self._wire.items()}
            self._fields = fields
        return fields

    def __getitem__(self, name: str) -> OperatorValue:
        return self._values()[name]

    # The Mapping mixins would go through __getitem__ once per field; a dict's views do not.
    def items(self) -> ItemsView[str, OperatorValue]:
        return self._values().items()

    def values(self) -> ValuesView[OperatorValue]:
        return self._values().values()

    def keys(self) -> KeysView[str]:
        return self._values().keys()

    def __iter__(self) -> Iterator[str]:
        fields = self._fields
        return iter(self._wire if fields is None else fields)

    def __len__(self) -> int:
        fields = self._fields
        return len(self._wire if fields is None else fields)

    def __contains__(self, name: object) -> bool:
        fields = self._fields
        return name in (self._wire if fields is None else fields)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Operators):
            return self._values() == other._values()
        if isinstance(other, Mapping):
            return self._values() == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._values().items()))

    def __repr__(self) -> str:
        return f"Operators({self._values()!r})"


NO_OPERATORS: Final = Operators._adopt({})
"""The operator fields of an ``operators=1`` record that holds none: one mapping, shared by the
fast readers (it never changes, like every decoded Operators)."""


@dataclass(frozen=True, slots=True)
class Sender:
    """One record of a sender list.

    ``status`` is ``None`` under keys without it (``all=0``); ``operators`` is ``None`` under keys
    without operator fields (``operators=0``). A plain dict given as ``operators`` is wrapped in a
    read-only :class:`Operators`.
    """

    name: str
    id: int
    status: SenderStatus | int | None = None
    operators: Mapping[str, OperatorValue] | None = None

    def __post_init__(self) -> None:
        ops = self.operators
        if ops is not None and type(ops) is not Operators:
            object.__setattr__(self, "operators", Operators(ops))


_set_name = Sender.__dict__["name"].__set__
_set_id = Sender.__dict__["id"].__set__
_set_status = Sender.__dict__["status"].__set__
_set_operators = Sender.__dict__["operators"].__set__


def new_sender(
    name: str, id: int, status: SenderStatus | int | None, operators: Operators | None
) -> Sender:
    """A :class:`Sender` from values a decoder has already checked.

    The frozen dataclass ``__init__`` goes through ``object.__setattr__`` once per field, which is
    half the cost of decoding a record; writing the slots directly skips that (and the wrapping
    of ``operators``, which the decoders build as :class:`Operators` already).
    """
    sender: Sender = _new(Sender)
    _set_name(sender, name)
    _set_id(sender, id)
    _set_status(sender, status)
    _set_operators(sender, operators)
    return sender


@dataclass(frozen=True, slots=True)
class SenderList(Sequence[Sender]):
    """The reply to ``get``: the sender records in the server's order.

    >>> SenderList([Sender("Shop", 1)])[0].name
    'Shop'
    """

    senders: tuple[Sender, ...] = ()
    # Which key flags (all, operators) encode has found this list fit, one bit each: the list
    # and every sender in it are immutable, so a check holds for good. Not part of the value.
    _fits: int = field(default=0, init=False, repr=False, compare=False)

    def __init__(self, senders: Iterable[Sender] = ()) -> None:
        object.__setattr__(self, "senders", tuple(senders))
        object.__setattr__(self, "_fits", 0)

    @overload
    def __getitem__(self, index: int) -> Sender: ...
    @overload
    def __getitem__(self, index: slice) -> SenderList: ...
    def __getitem__(self, index: int | slice) -> Sender | SenderList:
        if isinstance(index, slice):
            return SenderList(self.senders[index])
        return self.senders[index]

    def __len__(self) -> int:
        return len(self.senders)

    def __iter__(self) -> Iterator[Sender]:
        return iter(self.senders)

    def raise_for_error(self) -> Self:
        """Return the list itself: it is not an error reply."""
        return self


@dataclass(frozen=True, slots=True)
class SenderAdded:
    """The reply to ``add``: the id the server assigned to the new sender name."""

    id: int

    def raise_for_error(self) -> Self:
        """Return the reply itself: it is not an error reply."""
        return self


@dataclass(frozen=True, slots=True)
class Ok:
    """The reply to ``chg``, ``send_code``, ``check_code`` and ``del``."""

    def raise_for_error(self) -> Self:
        """Return the reply itself: it is not an error reply."""
        return self


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """The server's error reply (SPEC §2). ``description`` is ``None`` for fmt 1, which has none.

    A decoded error reply is a value, not an exception; ``raise_for_error`` turns any reply into
    one in a single call:

    >>> ErrorReply(ErrorCode.SENDER_NOT_FOUND, "record not found").raise_for_error()
    Traceback (most recent call last):
    ...
    smsc_wire._errors.ServerError: error 3 (SENDER_NOT_FOUND): record not found
    """

    code: ErrorCode | int
    description: str | None = None

    def raise_for_error(self) -> NoReturn:
        """Raise :class:`ServerError` carrying this reply."""
        from ._errors import ServerError

        raise ServerError(self)


Reply: TypeAlias = SenderList | SenderAdded | Ok | ErrorReply
"""Every model :func:`smsc_wire.decode` returns."""


# The small replies, made as new_sender makes records: decoders build them by the thousand, and a
# frozen dataclass's __init__ costs more than reading the reply. Ok has no fields: one will do.
_set_added_id = SenderAdded.__dict__["id"].__set__
_set_code = ErrorReply.__dict__["code"].__set__
_set_description = ErrorReply.__dict__["description"].__set__

OK_REPLY: Ok = Ok()
"""The one ``Ok`` the decoders return (equal to any other: it has no fields)."""


def new_added(id: int) -> SenderAdded:
    """A :class:`SenderAdded` from an id a decoder has already checked."""
    reply: SenderAdded = _new(SenderAdded)
    _set_added_id(reply, id)
    return reply


def new_error(code: ErrorCode | int, description: str | None) -> ErrorReply:
    """An :class:`ErrorReply` from values a decoder has already checked."""
    reply: ErrorReply = _new(ErrorReply)
    _set_code(reply, code)
    _set_description(reply, description)
    return reply


# Drafts: the slot layout of a model without its frozen __setattr__. A decoder fills one with plain
# attribute stores and makes it the model by assigning __class__, which CPython allows between
# classes of the same slot layout. new_sender's descriptor calls cost ~90 ns a field and its
# object.__new__ ~100 ns; a draft costs about a third of that (issue 12). The slots are the
# model's own, so the two cannot drift apart; a layout that ever differed would make the
# __class__ assignment raise TypeError, never build a wrong model.


class SenderDraft:
    """A :class:`Sender` being built; ``draft.__class__ = Sender`` when every field is set."""

    __slots__ = Sender.__slots__
    name: str
    id: int
    status: SenderStatus | int | None
    operators: Operators | None


class AddedDraft:
    """A :class:`SenderAdded` being built; ``draft.__class__ = SenderAdded`` when it is."""

    __slots__ = SenderAdded.__slots__
    id: int


class ErrorDraft:
    """An :class:`ErrorReply` being built; ``draft.__class__ = ErrorReply`` when it is."""

    __slots__ = ErrorReply.__slots__
    code: ErrorCode | int
    description: str | None


def draft_senders(
    names: Iterable[str],
    ids: Iterable[int],
    statuses: Iterable[SenderStatus | int | None],
    operators: Iterable[Operators | None],
) -> list[Sender]:
    """The senders of checked columns, built as drafts; the shortest column ends the list (pass
    ``repeat(None)`` for a column a key does not have). The column readers of fmt 1, 2 and 3
    share it: building the models is most of reading a long list (issue 12)."""
    senders: list[Any] = []  # drafts, each a Sender by the time it is appended
    append = senders.append
    draft, model = SenderDraft, Sender
    for name, id_, status, ops in zip(names, ids, statuses, operators, strict=False):
        sender = draft()
        sender.name = name
        sender.id = id_
        sender.status = status
        sender.operators = ops
        sender.__class__ = model  # type: ignore[assignment]
        append(sender)
    return senders
