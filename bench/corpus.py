"""Deterministic benchmark corpora: one canonical reply body per case, made by ``smsc_wire.encode``.

Strategy: the models come from ``random.Random`` with a fixed seed, so every run (and every
machine) times the same bytes. Names mix what real sender lists hold: Latin brands, Cyrillic,
phone-number (digital) senders, legal names with ``, `` in them, and a few names that need XML or
JSON escaping. Each body is checked to decode back to its model once, when the corpus is built, so
a benchmark never times the error path by accident.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

# The repository is not necessarily installed: import the working tree that holds this file.
_ROOT: Final = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import smsc_wire as sw  # noqa: E402

SEED: Final = 20240505
SIZES: Final = (1, 50, 1000)
FMTS: Final = (0, 1, 2, 3)

_LATIN: Final = (
    "Shop", "MegaMarket", "Taxi24", "KazPost", "AutoService", "Pizza House", "Dr. Smile",
    "Kaspi.kz", "FitLife", "BookClub", "CityBank", "FlyAway", "Clinic 7", "SMSC", "Beauty-Lab",
)  # fmt: skip
_CYRILLIC: Final = (
    "Магазин", "Такси Город", "Аптека №1", "СтройМаркет", "Кофейня", "Банк Центр", "Ромашка",
    "Доставка", "Салон Красоты", "Школа Юность",
)  # fmt: skip
# SPEC D8: a name may hold ", " (and "=" where the key has fixed fields); these are what the naive
# vendor split gets wrong and the library must get right.
_COMMA: Final = (
    "Shop, Inc", "Roga i Kopyta, LLC", 'ООО "Ромашка", филиал', "Tom, Dick & Harry",
)  # fmt: skip
_ESCAPED: Final = ("Tom & Jerry", "<Best> Price", 'Say "Hi"', "back\\slash")

# Mostly approved or pending, as a real account looks; 255 and 9 are rare but documented.
_OPERATOR_CODES: Final = (2, 2, 2, 2, 2, 0, 0, 1, 3, 4, 5, 8, 9, 255)
_SENDER_CODES: Final = (1, 1, 1, 0, 2)


@dataclass(frozen=True, slots=True)
class Case:
    """One reply to time: its body under ``key`` and the model that body decodes to."""

    name: str
    key: sw.Key
    reply: sw.Reply
    body: bytes
    senders: int
    """Records in the reply; 0 for the single-value replies (add, OK, error)."""

    @property
    def fmt(self) -> int:
        return self.key.fmt


def _name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.50:
        base = rng.choice(_LATIN)
    elif roll < 0.75:
        base = rng.choice(_CYRILLIC)
    elif roll < 0.85:
        return "7" + "".join(rng.choice("0123456789") for _ in range(10))
    elif roll < 0.95:
        base = rng.choice(_COMMA)
    else:
        base = rng.choice(_ESCAPED)
    # Real lists repeat a brand with a branch or a number; it also keeps names from being equal.
    if rng.random() < 0.4:
        base = f"{base} {rng.randint(1, 99)}"
    return base


def _senders(rng: random.Random, count: int, *, all_: bool, operators: bool) -> list[sw.Sender]:
    senders = []
    next_id = rng.randint(10_000, 99_999)
    for _ in range(count):
        next_id += rng.randint(1, 500)
        status = rng.choice(_SENDER_CODES) if all_ else None
        ops = (
            sw.Operators({field: rng.choice(_OPERATOR_CODES) for field in sw.OPERATOR_FIELDS})
            if operators
            else None
        )
        senders.append(sw.Sender(_name(rng), next_id, status, ops))
    return senders


def _case(name: str, key: sw.Key, reply: sw.Reply, senders: int) -> Case:
    body = sw.encode(reply, key).encode("utf-8")
    decoded = sw.decode(body, key)
    if decoded != reply:
        raise AssertionError(f"{name} fmt {key.fmt}: the body does not decode to its model")
    return Case(name, key, reply, body, senders)


def build(sizes: tuple[int, ...] = SIZES, fmts: tuple[int, ...] = FMTS) -> list[Case]:
    """Every case, in a fixed order: by fmt, then sender lists by size, then add, OK, error.

    The same seed per (shape, size) gives every fmt the same senders, so the fmts are compared on
    one list. fmt 1 has no ``operators=1`` form (SPEC D1) and has only the ``all=1`` lists.
    """
    cases: list[Case] = []
    for fmt in fmts:
        for operators in (True, False):
            if operators and fmt == 1:
                continue
            shape = "ops" if operators else "all"
            for size in sizes:
                rng = random.Random(f"{SEED}-{shape}-{size}")
                key = sw.Key(fmt, "get", all=not operators, operators=operators)
                senders = _senders(rng, size, all_=not operators, operators=operators)
                cases.append(_case(f"get-{shape}-{size}", key, sw.SenderList(senders), size))
        cases.append(_case("add", sw.Key(fmt, "add"), sw.SenderAdded(1_234_567), 0))
        cases.append(_case("ok", sw.Key(fmt, "del"), sw.Ok(), 0))
        description = None if fmt == 1 else "record not found"
        error = sw.ErrorReply(sw.ErrorCode.SENDER_NOT_FOUND, description)
        # An error answers a get as often as anything: decoders must recognise it first (SPEC D3).
        cases.append(_case("error", sw.Key(fmt, "get", all=True), error, 0))
    return cases


if __name__ == "__main__":
    for case in build():
        print(f"{case.name:<14} fmt {case.fmt}  {len(case.body):>8} bytes  {case.body[:60]!r}")
