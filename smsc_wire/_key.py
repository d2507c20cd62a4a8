"""The key that selects a reply shape: ``(fmt, all, operators, operation)``.

Strategy: a key mirrors the query of the request that produced the reply (SPEC §1), so it is built
from the same values an SDK already holds. It normalises what the server ignores: ``all`` and
``operators`` change nothing for operations other than ``get`` (whose shape has no such flags),
so they are folded to ``False`` there, and two keys that select the same reply shape are equal.
A key is generic in its success model, so that under a type checker ``decode(body, Key(3, "get"))``
is a ``SenderList | ErrorReply`` (the operation written as a literal picks the overload).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, overload

from ._shapes import BUILTIN_OPERATIONS, operations, shape_of

if TYPE_CHECKING:
    # A TypeVar default (PEP 696) keeps a bare ``Key`` annotation meaning "any documented reply";
    # typing_extensions is read by the type checker only, never imported at run time.
    from typing_extensions import TypeVar

    from ._models import Ok, SenderAdded, SenderList

    R_co = TypeVar("R_co", covariant=True, default=SenderList | SenderAdded | Ok)
else:
    from typing import TypeVar

    R_co = TypeVar("R_co", covariant=True)


class Operation(StrEnum):
    """The operation a request names by its query flag (``get=1``, ``add=1``, ...)."""

    GET = "get"
    ADD = "add"
    CHG = "chg"
    SEND_CODE = "send_code"
    CHECK_CODE = "check_code"
    DEL = "del"


_NO_MEMO: Final[tuple[int, Any, Callable[[bytes], Any] | None]] = (-1, None, None)
"""No registry version is negative: the memo of a key decode has not used yet."""

_DOCUMENTED: Final = {op.value: op for op in Operation}
assert set(_DOCUMENTED) == set(BUILTIN_OPERATIONS), "Operation and the shape table must agree"

OkOperation = Literal[
    "chg",
    "send_code",
    "check_code",
    "del",
    Operation.CHG,
    Operation.SEND_CODE,
    Operation.CHECK_CODE,
    Operation.DEL,
]


class _Memo:
    """The slot of decode's and encode's memo of a key in the registry: (the registry's version,
    the codec or None, its reader of UTF-8 bytes or None). Looking a key up costs a call of
    __hash__ and often of __eq__ in Python, as much as reading a small reply; the memo is one
    slot read. A base class's slot, not a dataclass field: never compared, copied, pickled
    (see Key.__reduce__) or listed by ``dataclasses.fields`` and ``asdict``."""

    __slots__ = ("_memo",)
    _memo: tuple[int, Any, Callable[[bytes], Any] | None]


@dataclass(frozen=True, slots=True, init=False, eq=False)
class Key(_Memo, Generic[R_co]):
    """Selects one reply shape of ``senders.php``.

    >>> Key(fmt=3, operation="get", all=True)
    Key(fmt=3, operation=<Operation.GET: 'get'>, all=True, operators=False)
    >>> Key(fmt=0, operation="del", all=True) == Key(fmt=0, operation=Operation.DEL)
    True

    ``operation`` is an :class:`Operation` for the documented operations, or the name of one
    added with :func:`smsc_wire.register_operation`.
    """

    fmt: int
    operation: str
    all: bool
    operators: bool
    # Worked out once: every decode looks its key up in the registry (SPEC §1 makes keys the
    # registry's index), and a generated hash would rebuild a tuple each time.
    _hash: int = field(init=False, repr=False)

    @overload
    def __init__(
        self: Key[SenderList],
        fmt: int,
        operation: Literal["get", Operation.GET],
        all: bool = False,
        operators: bool = False,
    ) -> None: ...
    @overload
    def __init__(
        self: Key[SenderAdded],
        fmt: int,
        operation: Literal["add", Operation.ADD],
        all: bool = False,
        operators: bool = False,
    ) -> None: ...
    @overload
    def __init__(
        self: Key[Ok], fmt: int, operation: OkOperation, all: bool = False, operators: bool = False
    ) -> None: ...
    @overload
    def __init__(
        self: Key[SenderList | SenderAdded | Ok],
        fmt: int,
        operation: str,
        all: bool = False,
        operators: bool = False,
    ) -> None: ...
    def __init__(
        self, fmt: int, operation: str, all: bool = False, operators: bool = False
    ) -> None:
        if type(fmt) is not int or fmt < 0:
            raise ValueError(f"fmt must be a non-negative int, not {fmt!r}")
        try:
            op: str | None = _DOCUMENTED.get(operation)
            if op is None and type(operation) is str and shape_of(operation) is not None:
                op = operation
        except TypeError:  # unhashable
            op = None
        if op is None:
            names = ", ".join(operations())
            raise ValueError(f"unknown operation {operation!r}: expected one of {names}")
        shape = shape_of(op)
        assert shape is not None
        # SPEC §1: for every operation but get, all and operators change nothing.
        all = bool(all) and "all" in shape.flags
        operators = bool(operators) and "operators" in shape.flags
        object.__setattr__(self, "fmt", fmt)
        object.__setattr__(self, "operation", op)
        object.__setattr__(self, "all", all)
        object.__setattr__(self, "operators", operators)
        object.__setattr__(self, "_hash", hash((fmt, op, all, operators)))
        object.__setattr__(self, "_memo", _NO_MEMO)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not Key:
            return NotImplemented
        return (
            self._hash == other._hash
            and self.fmt == other.fmt
            and self.operation == other.operation
            and self.all == other.all
            and self.operators == other.operators
        )

    def __str__(self) -> str:
        shape = shape_of(self.operation)
        if shape is not None and shape.flags:
            flags = f"all={int(self.all)} operators={int(self.operators)}"
            return f"fmt={self.fmt} {self.operation} {flags}"
        return f"fmt={self.fmt} {self.operation}"

    def __reduce__(self) -> tuple[object, ...]:
        return (Key, (self.fmt, str(self.operation), self.all, self.operators))

    @property
    def sort_key(self) -> tuple[int, int, str, bool, bool]:
        """A stable order for listings: by fmt, then operation, then ``all``, ``operators``."""
        known = operations()
        rank = known.index(self.operation) if self.operation in known else len(known)
        return (self.fmt, rank, self.operation, self.all, self.operators)

    def as_dict(self) -> dict[str, int | str | bool]:
        """The key as a JSON-ready object (``fmt``, ``operation``, ``all``, ``operators``)."""
        return {
            "fmt": self.fmt,
            "operation": str(self.operation),
            "all": self.all,
            "operators": self.operators,
        }
