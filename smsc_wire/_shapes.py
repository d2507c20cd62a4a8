"""Reply shapes as data: which success reply each operation gets, and what model it decodes to.

Strategy (after h11's event tables): the shape of a reply is a value, not a branch. One table maps
each operation to its :class:`ReplyShape` (SPEC §3-§5); every wire format provides a reader and a
writer per shape, and the registry is the product of the formats and this table, so that a new
operation is a new table entry. The error reply (SPEC §2) is not a shape: every format reads it
once, before the shape's reader, under every key.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Final

from ._models import Ok, SenderAdded, SenderList


@dataclass(frozen=True, slots=True)
class ReplyShape:
    """The success reply of one or more operations, whatever the fmt.

    ``model`` is the class a success reply decodes to; ``flags`` names the key flags that select
    a variant of the shape (``all`` and ``operators`` for the sender list, SPEC §1). A key of an
    operation whose shape has no flags always has them off.

    >>> SENDER_LIST.model.__name__, SENDER_LIST.flags
    ('SenderList', ('all', 'operators'))
    """

    name: str
    model: type
    flags: tuple[str, ...] = ()

    def variants(self) -> list[tuple[bool, bool]]:
        """The ``(all, operators)`` pairs of the keys of this shape."""
        if not self.flags:
            return [(False, False)]
        alls = (False, True) if "all" in self.flags else (False,)
        operators = (False, True) if "operators" in self.flags else (False,)
        return [(a, o) for a in alls for o in operators]


SENDER_LIST: Final = ReplyShape("sender list", SenderList, ("all", "operators"))
"""The reply to ``get`` (SPEC §3)."""
SENDER_ADDED: Final = ReplyShape("added id", SenderAdded)
"""The reply to ``add`` (SPEC §4)."""
OK: Final = ReplyShape("OK", Ok)
"""The reply to ``chg``, ``send_code``, ``check_code`` and ``del`` (SPEC §5)."""

BUILTIN_OPERATIONS: Final[dict[str, ReplyShape]] = {
    "get": SENDER_LIST,
    "add": SENDER_ADDED,
    "chg": OK,
    "send_code": OK,
    "check_code": OK,
    "del": OK,
}
"""The documented operations of ``senders.php`` and their reply shapes (SPEC §1)."""

_operations: dict[str, ReplyShape] = dict(BUILTIN_OPERATIONS)
_lock = threading.Lock()


def shape_of(operation: str) -> ReplyShape | None:
    """The reply shape of ``operation``, or ``None`` for an operation nobody registered."""
    return _operations.get(operation)


def operations() -> tuple[str, ...]:
    """Every known operation: the documented ones in SPEC order, then registered ones."""
    return tuple(_operations)


def register_operation(name: str, shape: ReplyShape) -> None:
    """Make ``name`` a known operation whose success reply has ``shape`` (an extension point).

    Afterwards ``Key(fmt, name)`` is a valid key; give it a codec with
    :meth:`smsc_wire.Registry.register`. Registering a documented operation, or one name twice
    with another shape, raises ``ValueError``.
    """
    if type(name) is not str or not name.isidentifier():
        raise ValueError(f"an operation is an identifier, not {name!r}")
    if not isinstance(shape, ReplyShape):
        raise TypeError(f"shape must be a smsc_wire.ReplyShape, not {type(shape).__name__}")
    with _lock:
        known = _operations.get(name)
        if known is not None and (name in BUILTIN_OPERATIONS or known != shape):
            raise ValueError(f"operation {name!r} is already known, with the shape {known.name}")
        _operations[name] = shape
