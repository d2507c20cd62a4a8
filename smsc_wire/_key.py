"""The key that selects a reply shape: ``(fmt, all, operators, operation)``.

Strategy: a key mirrors the query of the request that produced the reply (SPEC §1), so it is built
from the same values an SDK already holds. It normalises what the server ignores: ``all`` and
``operators`` change nothing for operations other than ``get``, so they are folded to ``False``
there, and two keys that select the same reply shape are equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Operation(StrEnum):
    """The operation a request names by its query flag (``get=1``, ``add=1``, ...)."""

    GET = "get"
    ADD = "add"
    CHG = "chg"
    SEND_CODE = "send_code"
    CHECK_CODE = "check_code"
    DEL = "del"


_OPERATIONS: Final = {op.value: op for op in Operation}
_ORDER: Final = {op: i for i, op in enumerate(Operation)}


@dataclass(frozen=True, slots=True)
class Key:
    """Selects one reply shape of ``senders.php``.

    >>> Key(fmt=3, operation="get", all=True)
    Key(fmt=3, operation=<Operation.GET: 'get'>, all=True, operators=False)
    >>> Key(fmt=0, operation="del", all=True) == Key(fmt=0, operation=Operation.DEL)
    True
    """

    fmt: int
    operation: Operation
    all: bool = False
    operators: bool = False

    def __init__(
        self,
        fmt: int,
        operation: Operation | str,
        all: bool = False,
        operators: bool = False,
    ) -> None:
        if type(fmt) is not int or fmt < 0:
            raise ValueError(f"fmt must be a non-negative int, not {fmt!r}")
        try:
            op = _OPERATIONS.get(operation)
        except TypeError:  # unhashable
            op = None
        if op is None:
            names = ", ".join(_OPERATIONS)
            raise ValueError(f"unknown operation {operation!r}: expected one of {names}")
        if op is not Operation.GET:
            # SPEC §1: for every operation but get, all and operators change nothing.
            all = operators = False
        object.__setattr__(self, "fmt", fmt)
        object.__setattr__(self, "operation", op)
        object.__setattr__(self, "all", bool(all))
        object.__setattr__(self, "operators", bool(operators))

    def __str__(self) -> str:
        if self.operation is Operation.GET:
            return f"fmt={self.fmt} get all={int(self.all)} operators={int(self.operators)}"
        return f"fmt={self.fmt} {self.operation.value}"

    @property
    def sort_key(self) -> tuple[int, int, bool, bool]:
        """A stable order for listings: by fmt, then operation, then ``all``, ``operators``."""
        return (self.fmt, _ORDER[self.operation], self.all, self.operators)

    def as_dict(self) -> dict[str, int | str | bool]:
        """The key as a JSON-ready object (``fmt``, ``operation``, ``all``, ``operators``)."""
        return {
            "fmt": self.fmt,
            "operation": self.operation.value,
            "all": self.all,
            "operators": self.operators,
        }
