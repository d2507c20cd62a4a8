"""What the fast readers share: declining, and operator values read without the checked path.

Strategy: every format has one checked reader, which accepts every valid body and explains every
invalid one, and may have a fast reader for the common case, which returns exactly the checked
reader's model, or declines (raises :class:`Declined`, or returns ``None``), or rejects a body it
knows is invalid (raises :class:`Rejected`, without saying why), and never mutates its input.
``tests/test_fast_paths.py`` holds the two to that for every key. The tables here convert the
common operator codes with one dict look-up and keep anything unusual for the checked path.
"""

from __future__ import annotations

from typing import Any, Final

from ._codes import OPERATOR_STATUS_TEXT, operator_status
from ._models import Operators, OperatorValue
from ._values import LINE_BREAK, MAX_UINT, NUMBER_LIKE, uint_text


class Declined(Exception):
    """Raised in a fast reader for a value it leaves to the checked reader, which explains it."""


class Rejected(Exception):
    """Raised by a fast reader for a body the checked reader certainly refuses.

    ``decode`` then runs the checked reader for the explanation; :func:`smsc_wire.sniff` skips
    the key without one. ``tests/test_fast_paths.py`` holds every fast reader to it: whatever it
    rejects, the checked reader refuses.
    """


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
"""Maps an operator value as read to the model's value, for the fast readers."""

COMMON_CODES: Final = frozenset(OPERATOR_STATUS_TEXT)
"""The wire text of the common codes, which :class:`Operators` can keep and convert lazily."""


def operators_from_wire(fields: dict[str, Any]) -> Operators:
    """The :class:`Operators` of operator fields as read (text, or JSON numbers).

    Takes ownership of ``fields`` (a dict the caller made for it). When every value is a common
    code the mapping converts them when first used (checking them here is one set operation,
    converting them would be most of a record's decoding time); otherwise each is converted now,
    and :class:`Declined` (or ``TypeError`` for an unhashable value) declines the record.
    """
    if COMMON_CODES.issuperset(fields.values()):
        return Operators._lazy(fields)
    return Operators._adopt({name: OPERATOR_VALUES[value] for name, value in fields.items()})
