"""Fixture corpora: canonical replies for every key, written as files with a manifest.

Strategy: a corpus is a pure function of ``(seed, count)``. For each key of the registry it yields
first a fixed set of edge cases (the empty list, names with ``, `` and ``=``, Cyrillic, every sender
and operator status, unknown operator fields and a raw replacement value (SPEC D4), the smallest and
largest id, every documented error code with the server's description texts of SPEC §2, codes
outside the table), then ``count`` realistic replies drawn from :class:`random.Random` seeded with
``seed`` — never from hypothesis, whose output is not stable across versions. Every text is written
by :func:`smsc_wire.encode` and checked to decode back to the model it came from, so a corpus can
never hold a fixture the library itself would not read.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from smsc_wire._api import decode, encode
from smsc_wire._codes import ErrorCode, OperatorStatus, SenderStatus
from smsc_wire._formats import FORMATS
from smsc_wire._models import (
    ErrorReply,
    Ok,
    Operators,
    OperatorValue,
    Reply,
    Sender,
    SenderAdded,
    SenderList,
)
from smsc_wire._registry import registry
from smsc_wire._shapes import (
    BUILTIN_OPERATIONS,
    OK,
    SENDER_ADDED,
    SENDER_LIST,
    ReplyShape,
    shape_of,
)
from smsc_wire._values import MAX_UINT, OPERATOR_FIELDS

if TYPE_CHECKING:
    from pathlib import Path

    from smsc_wire._key import Key


# SPEC §2: the texts seen from the live server. Codes 4, 10 and 11 have none on record; their
# fixtures paraphrase the meaning column instead, so a test author can tell them apart.
DESCRIPTIONS: Final[dict[int, str]] = {
    1: "parameters error",
    2: "authorise error",
    3: "record not found",
    4: "IP address temporarily blocked",
    5: "save error",
    7: "invalid number",
    8: "can't to deliver",
    9: "duplicate request, wait a minute",
    10: "code already sent, try again in 8 hours",
    11: "invalid confirmation code",
}

EDGE_NAMES: Final = (
    "SMSC", "Shop, Inc", "a = b", 'Магазин "Ёлка"', "Ёлка, ООО", " leading space",
    "trailing space ", "A&B <Co>", "12,34", "0,-5", "77011234567", "TAXI-24", "ERROR = 1 (x)",
    "OK", "😀 emoji", "x,", "name = x, id = 1",
)  # fmt: skip

_WORDS: Final = (
    "Shop", "Taxi", "Bank", "Pizza", "Clinic", "Info", "Delivery", "Market", "Auto", "Fitness",
    "Магазин", "Такси", "Банк", "Аптека", "Доставка", "Ёлка", "Цветы", "Кафе",
)  # fmt: skip
_UNKNOWN_OPERATORS: Final = ("kcell_step", "altel_step", "beeline_kz", "uz_reg", "ua_kyiv")
_UNKNOWN_CODES: Final = (6, 12, 404)


@dataclass(frozen=True, slots=True)
class Fixture:
    """One file of a corpus: its path relative to the corpus root, key, model and canonical text."""

    file: str
    key: Key
    reply: Reply
    text: str


def key_dir(key: Key) -> str:
    """The folder of a key's fixtures, e.g. ``fmt0/get_all`` or ``fmt3/del``."""
    slug = (
        str(key.operation) + ("_all" if key.all else "") + ("_operators" if key.operators else "")
    )
    return f"fmt{key.fmt}/{slug}"


def _name_fits(name: str, key: Key) -> bool:
    return FORMATS[key.fmt].can_carry(name, operators=key.operators)


def _random_name(rng: random.Random, key: Key) -> str:
    while True:
        word, other = rng.choice(_WORDS), rng.choice(_WORDS)
        number = rng.randrange(1, 1000)
        name = rng.choice(
            (
                word,
                word.upper(),
                f"{word}, Inc",
                f"{word} {number}",
                f"{word}-{number}",
                f"{word} = {other}",
                f'"{word}"',
                f"{word}, ООО",
                f"{word} & {other}",
                f"7701{rng.randrange(10**7):07d}",
            )
        )
        if _name_fits(name, key):
            return name


def _random_operators(rng: random.Random, key: Key) -> dict[str, OperatorValue]:
    fields = rng.sample(OPERATOR_FIELDS, rng.randrange(0, len(OPERATOR_FIELDS) + 1))
    statuses = list(OperatorStatus)
    operators: dict[str, OperatorValue] = {f: rng.choice(statuses) for f in fields}
    if rng.random() < 0.3:
        operators[rng.choice(_UNKNOWN_OPERATORS)] = rng.choice([*statuses, 7, 300])
    if rng.random() < 0.15:
        # SPEC D4: a replacement name is kept as text; it must not look like a number.
        operators[rng.choice(_UNKNOWN_OPERATORS)] = f"{rng.choice(_WORDS)}-ALT"
    return operators


def _random_id(rng: random.Random) -> int:
    return rng.randrange(MAX_UINT + 1) if rng.random() < 0.05 else rng.randrange(1, 10**6)


def _random_reply(rng: random.Random, key: Key) -> Reply:
    if rng.random() < 0.25:
        code = rng.choice([*DESCRIPTIONS, *_UNKNOWN_CODES])
        text = DESCRIPTIONS.get(code, f"error {code}")
        return ErrorReply(code, text if FORMATS[key.fmt].error_description else None)
    return _RANDOM[_shape(key)](rng, key)


def _random_list(rng: random.Random, key: Key) -> Reply:
    senders = []
    for _ in range(rng.randrange(0, 8)):
        status = rng.choice([0, 1, 1, 1, 2, rng.randrange(3, 300)]) if key.all else None
        operators = Operators(_random_operators(rng, key)) if key.operators else None
        name = _random_name(rng, key)
        senders.append(Sender(name, _random_id(rng), status, operators))
    return SenderList(senders)


_RANDOM: Final[dict[ReplyShape, Callable[[random.Random, Key], Reply]]] = {
    SENDER_LIST: _random_list,
    SENDER_ADDED: lambda rng, key: SenderAdded(_random_id(rng)),
    OK: lambda rng, key: Ok(),
}


def _shape(key: Key) -> ReplyShape:
    shape = shape_of(key.operation)
    assert shape is not None
    return shape


def _edge_replies(rng: random.Random, key: Key) -> Iterator[tuple[str, Reply]]:
    yield from _EDGES[_shape(key)](rng, key)
    for code in [*ErrorCode, *_UNKNOWN_CODES]:
        description = DESCRIPTIONS.get(code, f"error {code}")
        described = description if FORMATS[key.fmt].error_description else None
        yield f"error-{int(code)}", ErrorReply(code, described)
    if FORMATS[key.fmt].error_description:
        yield "error-empty-description", ErrorReply(ErrorCode.PARAMETERS_ERROR, "")
        yield "error-cyrillic", ErrorReply(ErrorCode.SAVE_ERROR, "ошибка сохранения (запись)")


def _edge_lists(rng: random.Random, key: Key) -> Iterator[tuple[str, Reply]]:
    status = SenderStatus.APPROVED if key.all else None

    def sender(
        name: str,
        ops: dict[str, OperatorValue] | None = None,
        id: int | None = None,
        state: SenderStatus | int | None = status,
    ) -> Sender:
        if ops is None:
            ops = dict.fromkeys(OPERATOR_FIELDS, OperatorStatus.APPROVED)
        return Sender(
            name,
            _random_id(rng) if id is None else id,
            state,
            Operators(ops) if key.operators else None,
        )

    yield "empty", SenderList()
    yield "one", SenderList([sender("SMSC")])
    names = [n for n in EDGE_NAMES if _name_fits(n, key)]
    yield "edge-names", SenderList(sender(n) for n in names)
    yield "ids", SenderList([sender("Zero", id=0), sender("Max", id=MAX_UINT)])
    if key.all:
        yield (
            "statuses",
            SenderList(sender(f"Status {int(s)}", state=s) for s in [*SenderStatus, 7]),
        )
    if key.operators:
        yield (
            "operator-statuses",
            SenderList(
                sender(f"Op {int(s)}", dict.fromkeys(OPERATOR_FIELDS, s))
                for s in [*OperatorStatus, 6]
            ),
        )
        unknown: dict[str, OperatorValue] = {
            "mega_step": OperatorStatus.APPROVED,
            "kcell_step": OperatorStatus.SENT_FOR_REGISTRATION,
            "beeline_kz": 7,
            "ua_kyiv": "SMSC-ALT",
        }
        yield "unknown-operators", SenderList([sender("Forward", unknown), sender("Empty", {})])


def _edge_added(rng: random.Random, key: Key) -> Iterator[tuple[str, Reply]]:
    yield "id-0", SenderAdded(0)
    yield "id-max", SenderAdded(MAX_UINT)


def _edge_ok(rng: random.Random, key: Key) -> Iterator[tuple[str, Reply]]:
    yield "ok", Ok()


_EDGES: Final[dict[ReplyShape, Callable[[random.Random, Key], Iterator[tuple[str, Reply]]]]] = {
    SENDER_LIST: _edge_lists,
    SENDER_ADDED: _edge_added,
    OK: _edge_ok,
}


def corpus(*, seed: int = 0, count: int = 5) -> Iterator[Fixture]:
    """The fixtures of every registry key, in registry order: edge cases, then ``count`` random.

    Raises ``AssertionError`` if :func:`encode` and :func:`decode` disagree about a fixture: that
    would be a bug of this library, and a corpus must not hide it.
    """
    rng = random.Random(seed)
    for key in registry:
        if key.fmt not in FORMATS or str(key.operation) not in BUILTIN_OPERATIONS:
            continue  # a key registered by other code: no declared format or shape to fill
        folder, ext = key_dir(key), FORMATS[key.fmt].extension
        replies = list(_edge_replies(rng, key))
        replies += [(f"random-{i + 1}", _random_reply(rng, key)) for i in range(count)]
        for index, (label, reply) in enumerate(replies):
            text = encode(reply, key)
            back = decode(text.encode("utf-8"), key)
            assert back == reply, f"{key}: {label} reads back as {back!r}, not {reply!r}"
            assert encode(back, key) == text, f"{key}: {label} is not canonical"
            yield Fixture(f"{folder}/{index:04d}-{label}.{ext}", key, reply, text)


def write(outdir: Path, *, seed: int = 0, count: int = 5) -> int:
    """Write the corpus and ``manifest.jsonl`` under ``outdir`` (created); return the file count."""
    outdir.mkdir(parents=True, exist_ok=True)
    lines = []
    for fixture in corpus(seed=seed, count=count):
        data = fixture.text.encode("utf-8")
        path = outdir / fixture.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        entry = {
            "file": fixture.file,
            "key": fixture.key.as_dict(),
            "reply": "error" if isinstance(fixture.reply, ErrorReply) else "success",
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        lines.append(json.dumps(entry, ensure_ascii=False) + "\n")
    (outdir / "manifest.jsonl").write_text("".join(lines), encoding="utf-8", newline="\n")
    return len(lines)
