"""Deterministic benchmark corpora: reply bodies in memory, and folders of files for validate.

Strategy: the models come from ``random.Random`` with a fixed seed, so every run (and every
machine) times the same bytes. Names mix what real sender lists hold: Latin brands, Cyrillic,
phone-number (digital) senders, legal names with ``, `` in them, and a few names that need XML or
JSON escaping. Each small body is checked to decode back to its model once, when the corpus is
built, so a benchmark never times the error path by accident; the 16 MiB bodies are checked by the
process that reads them (bench/probe.py). The folders for ``smsc-wire validate`` are written by the
library's own ``smsc-wire fixtures`` (and its fixture generator, for one key's large folder), and
the HAR file holds the same bodies as that fixtures folder.
"""

from __future__ import annotations

import base64
import functools
import json
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

# The repository is not necessarily installed: import the working tree that holds this file.
_ROOT: Final = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import smsc_wire as sw  # noqa: E402

SEED: Final = 20240505
FMTS: Final = (0, 1, 2, 3)
SHAPES: Final = {
    "plain": (False, False),
    "all": (True, False),
    "ops": (False, True),
    "allops": (True, True),
}
"""The four get keys of a fmt by their flags (all, operators); fmt 1 has only the first two."""
SMALL: Final = ("add", "ok", "error")
"""The single-value replies: SenderAdded (add), Ok (del), an error reply (under get all=1)."""

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
    """``get-SHAPE-N`` for a list of N senders, or one of SMALL."""
    shape: str
    """A key of SHAPES, or one of SMALL."""
    key: sw.Key
    reply: sw.Reply
    body: bytes
    senders: int
    """Records in the reply; 0 for the single-value replies (add, OK, error)."""

    @property
    def fmt(self) -> int:
        return self.key.fmt


def shapes_of(fmt: int) -> tuple[str, ...]:
    """The get shapes a fmt has: fmt 1 has no ``operators=1`` form (SPEC D1)."""
    return tuple(s for s, (_, ops) in SHAPES.items() if not (ops and fmt == 1))


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


def _case(name: str, shape: str, key: sw.Key, reply: sw.Reply, senders: int) -> Case:
    body = sw.encode(reply, key).encode("utf-8")
    decoded = sw.decode(body, key)
    if decoded != reply:
        raise AssertionError(f"{name} fmt {key.fmt}: the body does not decode to its model")
    return Case(name, shape, key, reply, body, senders)


def _list_senders(shape: str, size: int) -> list[sw.Sender]:
    all_, operators = SHAPES[shape]
    rng = random.Random(f"{SEED}-{shape}-{size}")
    return _senders(rng, size, all_=all_, operators=operators)


def build(sizes: tuple[int, ...] = (50,), fmts: tuple[int, ...] = FMTS) -> list[Case]:
    """Every case, in a fixed order: by fmt, then sender lists by shape and size, then SMALL.

    The same seed per (shape, size) gives every fmt the same senders, so the fmts are compared on
    one list.
    """
    cases: list[Case] = []
    for fmt in fmts:
        for shape in shapes_of(fmt):
            all_, operators = SHAPES[shape]
            key = sw.Key(fmt, "get", all=all_, operators=operators)
            for size in sizes:
                senders = _list_senders(shape, size)
                cases.append(_case(f"get-{shape}-{size}", shape, key, sw.SenderList(senders), size))
        cases.append(_case("add", "add", sw.Key(fmt, "add"), sw.SenderAdded(1_234_567), 0))
        cases.append(_case("ok", "ok", sw.Key(fmt, "del"), sw.Ok(), 0))
        description = None if fmt == 1 else "record not found"
        error = sw.ErrorReply(sw.ErrorCode.SENDER_NOT_FOUND, description)
        # An error answers a get as often as anything: decoders must recognise it first (SPEC D3).
        cases.append(_case("error", "error", sw.Key(fmt, "get", all=True), error, 0))
    return cases


# --- the large bodies ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Big:
    """A large body: its key, its bytes and the number of senders it holds."""

    key: sw.Key
    body: bytes
    senders: int


@functools.cache
def big_list(fmt: int, limit: int, shape: str = "all") -> Big:
    """A canonical get list of ``shape`` as close to ``limit`` bytes as whole records allow.

    1,000 seeded senders repeated (the same models, so building it is cheap); not checked here:
    decoding 16 MiB takes seconds, and the process that reads it checks the count. Cached: the
    bytes only, not the models.
    """
    all_, operators = SHAPES[shape]
    key = sw.Key(fmt, "get", all=all_, operators=operators)
    base = _list_senders(shape, 1000)
    per_sender = len(sw.encode(sw.SenderList(base), key).encode("utf-8")) / len(base)
    count = int(limit / per_sender)
    while True:
        senders = (base * (count // len(base) + 1))[:count]
        try:  # encode refuses a body over decode's size limit (SPEC D11)
            body = sw.encode(sw.SenderList(senders), key).encode("utf-8")
        except sw.EncodeError:
            body = b""
        if body and len(body) <= limit:
            return Big(key, body, count)
        count = int(count * 0.998)


def cut_short(body: bytes) -> bytes:
    """``body`` with its last line truncated in the middle: a reply that was cut off."""
    start = body.rfind(b"\n") + 1
    return body[: start + (len(body) - start) // 2]


# --- folders of files for smsc-wire validate ----------------------------------------------------


def write_fixtures(outdir: Path, *, seed: int, count: int) -> int:
    """``smsc-wire fixtures OUTDIR --seed SEED --count COUNT``; the number of fixtures."""
    subprocess.run(
        [sys.executable, "-m", "smsc_wire", "fixtures", str(outdir), "--seed", str(seed),
         "--count", str(count)],
        check=True, capture_output=True, cwd=_ROOT,
    )  # fmt: skip
    return sum(1 for _ in (outdir / "manifest.jsonl").open(encoding="utf-8"))


def write_key_folder(outdir: Path, *, seed: int, files: int) -> tuple[sw.Key, Path, int]:
    """About ``files`` fixtures of one key (the registry's first) in its fixtures folder.

    ``smsc-wire fixtures`` writes ``COUNT`` random replies for each of 34 keys, so one key's folder
    of a few thousand files would need a corpus of a hundred thousand; the same generator, stopped
    after the first key, writes that one folder alone (the same files the command would write).
    """
    from smsc_wire._tools.fixtures import corpus, key_dir

    generator = corpus(seed=seed, count=files)
    first = next(generator)
    key, folder = first.key, outdir / key_dir(first.key)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for fixture in [first, *generator]:
        if fixture.key != key:
            break
        (outdir / fixture.file).write_bytes(fixture.text.encode("utf-8"))
        written += 1
    return key, folder, written


def _query(key: dict[str, Any]) -> str:
    flags = [f"{key['operation']}=1"]
    flags += [f"{flag}=1" for flag in ("all", "operators") if key.get(flag)]
    return "&".join([*flags, f"fmt={key['fmt']}", "charset=utf-8", "login=bench", "psw=secret"])


def write_har(fixtures: Path, path: Path) -> int:
    """A HAR 1.2 file with one senders.php entry per body of the fixtures folder ``fixtures``.

    Each request URL names the body's key (from manifest.jsonl) and charset=utf-8; each body is
    base64, as a browser writes a body it does not show as text. Returns the number of entries.
    """
    entries = []
    for line in (fixtures / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        listed = json.loads(line)
        body = (fixtures / listed["file"]).read_bytes()
        mime = "text/plain; charset=utf-8"
        entries.append({
            "startedDateTime": "2024-05-05T12:00:00.000Z",
            "time": 1,
            "request": {
                "method": "GET",
                "url": f"https://smsc.ru/sys/senders.php?{_query(listed['key'])}",
                "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "queryString": [],
                "headersSize": -1, "bodySize": 0,
            },
            "response": {
                "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
                "headers": [{"name": "Content-Type", "value": mime}],
                "content": {
                    "size": len(body), "mimeType": mime,
                    "text": base64.b64encode(body).decode("ascii"), "encoding": "base64",
                },
                "redirectURL": "", "headersSize": -1, "bodySize": len(body),
            },
            "cache": {},
            "timings": {"send": 0, "wait": 1, "receive": 0},
        })  # fmt: skip
    document = {
        "log": {
            "version": "1.2",
            "creator": {"name": "smsc_wire bench", "version": sw.__version__},
            "entries": entries,
        }
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return len(entries)


if __name__ == "__main__":
    for case in build((1, 50)):
        print(f"{case.name:<16} fmt {case.fmt}  {len(case.body):>8} bytes  {case.body[:60]!r}")
