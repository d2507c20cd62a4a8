"""Time smsc_wire's decode and encode against the bare floor of each fmt, and the import cost.

Run from the repository root:  python bench/run.py   (``--help`` for the options).

Strategy: every case (bench/corpus.py) gets one ``timeit.Timer`` per measurement (library decode,
library encode, the floor, and stdlib ``json.loads`` for fmt 3), all on the same bytes. Each timer
is warmed up and calibrated so one repeat lasts ``--min-time``; the repeats of a case's timers are
then taken in rounds, in rotating order, so a burst of load from another process lands on the
library and its floor alike. The ratio decode ÷ floor is what counts: absolute times on a shared
machine drift between runs, ratios taken side by side within one run much less. Results go to a
table and to JSON, which ``--compare`` reads back.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import io
import json
import math
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from corpus import FMTS, SIZES, Case, build
from lxml import etree

import smsc_wire as sw
from smsc_wire._formats.fmt2_xml import (
    hardened_parser,  # the floor parses with the library's settings
)

ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_JSON: Final = ROOT / "bench" / "results" / "latest.json"
SCHEMA: Final = "smsc_wire-bench/1"

# The targets: decode ÷ floor on the 50-sender operators=1 reply (fmt 1 has no
# operators=1 form, SPEC D1, so its target is on all=1), and import cost over a bare interpreter.
TARGET_CASES: Final = {0: "get-ops-50", 1: "get-all-50", 2: "get-ops-50", 3: "get-ops-50"}
TARGET_RATIOS: Final = {0: 4.0, 1: 10.0, 2: 4.0, 3: 3.0}
TARGET_IMPORT_MS: Final = 60.0

FLOOR_NAMES: Final = {
    0: "naive split",
    1: "naive split",
    2: "lxml.etree.fromstring",
    3: "orjson.loads",
}


# --- the floors ---------------------------------------------------------------------------------


def naive_fmt0(body: bytes) -> list[list[list[str]]]:
    """What the vendor's own client does with fmt 0: split, no validation, no models."""
    text = body.decode()
    return [[part.split(" = ") for part in line.split(", ")] for line in text.split("\n")]


def naive_fmt1(body: bytes) -> list[list[str]]:
    """What the vendor's own client does with fmt 1: split, no validation, no models."""
    text = body.decode()
    return [line.split(",") for line in text.split("\n")]


def _floor_stmts(case: Case) -> dict[str, tuple[str, dict[str, Any]]]:
    """The floor timers of a case: name -> (statement, its globals)."""
    return _FLOORS[case.fmt](case.body)  # a fmt with no floor is a KeyError, not another fmt's


def _text_floor(naive: Callable[[bytes], object]) -> Callable[[bytes], dict[str, Any]]:
    return lambda body: {"floor": ("naive(body)", {"naive": naive, "body": body})}


def _xml_floor(body: bytes) -> dict[str, tuple[str, dict[str, Any]]]:
    parser = hardened_parser()
    return {
        "floor": ("fromstring(body, parser)", {
            "fromstring": etree.fromstring, "parser": parser, "body": body,
        }),
    }  # fmt: skip


def _json_floor(body: bytes) -> dict[str, tuple[str, dict[str, Any]]]:
    import orjson

    return {
        "floor": ("loads(body)", {"loads": orjson.loads, "body": body}),
        "json_loads": ("loads(body)", {"loads": json.loads, "body": body}),
    }


_FLOORS: Final[dict[int, Callable[[bytes], dict[str, tuple[str, dict[str, Any]]]]]] = {
    0: _text_floor(naive_fmt0),
    1: _text_floor(naive_fmt1),
    2: _xml_floor,
    3: _json_floor,
}


# --- the harness --------------------------------------------------------------------------------


@dataclass(slots=True)
class Stats:
    """Seconds per call over the repeats of one timer."""

    samples: list[float]
    number: int

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> float:
        """(median − best) ÷ best: how much the noise lifted the typical repeat."""
        return (self.median - self.best) / self.best

    @property
    def iqr(self) -> float:
        if len(self.samples) < 2:
            return 0.0
        q1, _, q3 = statistics.quantiles(self.samples, n=4, method="inclusive")
        return q3 - q1

    def as_json(self) -> dict[str, Any]:
        return {
            "best_us": self.best * 1e6,
            "median_us": self.median * 1e6,
            "iqr_us": self.iqr * 1e6,
            "spread": self.spread,
            "number": self.number,
            "repeats": len(self.samples),
            "samples_us": [s * 1e6 for s in self.samples],
        }


@dataclass(frozen=True, slots=True)
class Settings:
    repeats: int
    min_time: float
    """Seconds one repeat should last at least: long enough for the clock, short against noise."""
    max_time: float
    """Seconds one timer may take over all its repeats; a slow case gets fewer (at least 3)."""
    gc: bool


def _calibrate(timer: timeit.Timer, min_time: float) -> tuple[int, float]:
    """How many calls make one repeat last ``min_time``, and the estimated seconds per call."""
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= min_time / 5 or number >= 10**7:
            break
        number *= 10
    per_call = elapsed / number
    return max(1, math.ceil(min_time / per_call)), per_call


def measure(stmts: dict[str, tuple[str, dict[str, Any]]], settings: Settings) -> dict[str, Stats]:
    """Time each statement, the repeats of all of them interleaved in rotating order."""
    # timeit turns the collector off while it times; --gc turns it back on inside the loop.
    setup = "import gc; gc.enable()" if settings.gc else "pass"
    timers = {name: timeit.Timer(stmt, setup, globals=g) for name, (stmt, g) in stmts.items()}
    numbers: dict[str, int] = {}
    repeats: dict[str, int] = {}
    for name, timer in timers.items():
        timer.timeit(1)  # the first call builds caches (and, for fmt 0/1, the grammar)
        number, per_call = _calibrate(timer, settings.min_time)
        numbers[name] = number
        affordable = int(settings.max_time / max(per_call * number, 1e-9))
        repeats[name] = max(min(3, settings.repeats), min(settings.repeats, affordable))
    samples: dict[str, list[float]] = {name: [] for name in timers}
    names = list(timers)
    for round_ in range(max(repeats.values())):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            if len(samples[name]) < repeats[name]:
                gc.collect()
                samples[name].append(timers[name].timeit(numbers[name]) / numbers[name])
    return {name: Stats(samples[name], numbers[name]) for name in names}


def paired_ratio(a: Stats, b: Stats) -> float:
    """The median over rounds of a ÷ b, each round's two repeats taken back to back."""
    n = min(len(a.samples), len(b.samples))
    return statistics.median(x / y for x, y in zip(a.samples[:n], b.samples[:n], strict=True))


@dataclass(slots=True)
class CaseResult:
    case: str
    fmt: int
    key: dict[str, int | str | bool]
    senders: int
    bytes: int
    floor_name: str
    timings: dict[str, dict[str, Any]]
    decode_mb_s: float
    floor_mb_s: float
    ratio: float
    """best decode ÷ best floor."""
    ratio_median: float
    """median over rounds of decode ÷ floor."""
    encode_ratio: float
    """best encode ÷ best floor: the cost of writing, on the floor's scale."""


def run_case(case: Case, settings: Settings) -> CaseResult:
    stmts: dict[str, tuple[str, dict[str, Any]]] = {
        "decode": ("decode(body, key)", {"decode": sw.decode, "body": case.body, "key": case.key}),
        "encode": ("encode(reply, key)", {
            "encode": sw.encode, "reply": case.reply, "key": case.key,
        }),
    }  # fmt: skip
    stmts.update(_floor_stmts(case))
    stats = measure(stmts, settings)
    decode, floor = stats["decode"], stats["floor"]
    return CaseResult(
        case=case.name,
        fmt=case.fmt,
        key=case.key.as_dict(),
        senders=case.senders,
        bytes=len(case.body),
        floor_name=FLOOR_NAMES[case.fmt],
        timings={name: s.as_json() for name, s in stats.items()},
        decode_mb_s=len(case.body) / decode.best / 1e6,
        floor_mb_s=len(case.body) / floor.best / 1e6,
        ratio=decode.best / floor.best,
        ratio_median=paired_ratio(decode, floor),
        encode_ratio=stats["encode"].best / floor.best,
    )


# --- import cost and the first decode, in fresh processes ---------------------------------------

_IMPORT_SNIPPET: Final = """\
import sys, time
t0 = time.perf_counter()
import smsc_wire
t1 = time.perf_counter()
print((t1 - t0), 'lark' in sys.modules)
"""

_FIRST_DECODE_SNIPPET: Final = """\
import json, sys, time
body = open(sys.argv[1], 'rb').read()
fmt, op, all_, operators = int(sys.argv[2]), sys.argv[3], sys.argv[4] == '1', sys.argv[5] == '1'
t0 = time.perf_counter()
import smsc_wire as sw
t1 = time.perf_counter()
lark_after_import = 'lark' in sys.modules
key = sw.Key(fmt, op, all=all_, operators=operators)
t2 = time.perf_counter()
sw.decode(body, key)
t3 = time.perf_counter()
sw.decode(body, key)
t4 = time.perf_counter()
print(json.dumps({
    'import_s': t1 - t0, 'first_decode_s': t3 - t2, 'second_decode_s': t4 - t3,
    'lark_after_import': lark_after_import, 'lark_after_decode': 'lark' in sys.modules,
}))
"""


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    # cwd is the root so that `-c` imports the working tree's smsc_wire, installed or not.
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, check=True, capture_output=True, text=True
    )


def _timed(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = _python(*args).stdout
    return time.perf_counter() - start, out


def _summary(values: Sequence[float]) -> dict[str, float]:
    return {"best_ms": min(values) * 1e3, "median_ms": statistics.median(values) * 1e3}


def import_cost(runs: int) -> dict[str, Any]:
    """Wall time of ``python -c 'import smsc_wire'`` against ``python -c pass``, interleaved."""
    bare: list[float] = []
    full: list[float] = []
    inside: list[float] = []
    lark_loaded = False
    for _ in range(runs):
        bare.append(_timed("-c", "pass")[0])
        elapsed, out = _timed("-c", _IMPORT_SNIPPET)
        full.append(elapsed)
        seconds, lark = out.split()
        inside.append(float(seconds))
        lark_loaded = lark_loaded or lark == "True"
    return {
        "runs": runs,
        "bare": _summary(bare),
        "import": _summary(full),
        "delta_best_ms": (min(full) - min(bare)) * 1e3,
        "delta_median_ms": (statistics.median(full) - statistics.median(bare)) * 1e3,
        "in_process": _summary(inside),
        "lark_in_sys_modules": lark_loaded,
        "importtime_top": importtime_top(),
    }


def importtime_top(count: int = 8) -> list[dict[str, Any]]:
    """The modules ``import smsc_wire`` spends most of its own time in (``-X importtime``)."""
    err = _python("-X", "importtime", "-c", "import smsc_wire").stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|")
        rows.append((int(self_us), int(cumulative_us), name.rstrip()))
    # Interpreter start-up (site and what it pulls in) ends with the top-level `site` line.
    starts = [i for i, row in enumerate(rows) if row[2] == " site"]
    if starts:
        rows = rows[starts[-1] + 1 :]
    rows.sort(key=lambda row: row[0], reverse=True)
    return [
        {"module": name.strip(), "self_us": s, "cumulative_us": c} for s, c, name in rows[:count]
    ]


def first_decodes(cases: Iterable[Case], runs: int) -> dict[str, Any]:
    """Per fmt, in fresh processes: import, the first decode (grammar build included), the next."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            path = Path(tmp) / f"{case.name}.fmt{case.fmt}"
            path.write_bytes(case.body)
            key = case.key
            args = [str(key.fmt), key.operation, str(int(key.all)), str(int(key.operators))]
            samples = [
                json.loads(_python("-c", _FIRST_DECODE_SNIPPET, str(path), *args).stdout)
                for _ in range(runs)
            ]
            results[str(case.fmt)] = {
                "case": case.name,
                "runs": runs,
                "import": _summary([s["import_s"] for s in samples]),
                "first_decode": _summary([s["first_decode_s"] for s in samples]),
                "second_decode": _summary([s["second_decode_s"] for s in samples]),
                "lark_after_import": any(s["lark_after_import"] for s in samples),
                "lark_after_decode": any(s["lark_after_decode"] for s in samples),
            }
    return results


# --- reporting ----------------------------------------------------------------------------------


def _us(seconds_us: float | None) -> str:
    if seconds_us is None:
        return "-"
    if seconds_us >= 1000:
        return f"{seconds_us:,.0f}"
    if seconds_us >= 10:
        return f"{seconds_us:.1f}"
    return f"{seconds_us:.2f}"


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    # Text columns left, numbers right.
    left = {0}

    def fmt_row(row: Sequence[str]) -> str:
        cells = [
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    lines = [fmt_row(header), "  ".join("-" * w for w in widths)]
    lines.extend(fmt_row(r) for r in rows)
    return "\n".join(lines)


def format_cases(results: Sequence[CaseResult]) -> str:
    header = [
        "case", "fmt", "senders", "bytes", "decode µs", "±%", "encode µs", "floor µs", "±%",
        "json.loads µs", "dec MB/s", "dec÷floor", "(median)", "enc÷floor",
    ]  # fmt: skip
    rows = []
    for r in results:
        t = r.timings
        ref = t.get("json_loads")
        rows.append([
            r.case, str(r.fmt), str(r.senders), f"{r.bytes:,}",
            _us(t["decode"]["best_us"]), f"{t['decode']['spread'] * 100:.0f}",
            _us(t["encode"]["best_us"]),
            _us(t["floor"]["best_us"]), f"{t['floor']['spread'] * 100:.0f}",
            _us(ref["best_us"]) if ref else "-",
            f"{r.decode_mb_s:.1f}", f"{r.ratio:.1f}×", f"{r.ratio_median:.1f}×",
            f"{r.encode_ratio:.1f}×",
        ])  # fmt: skip
    return _table(rows, header)


def evaluate_targets(
    results: Sequence[CaseResult], imports: dict[str, Any] | None
) -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = []
    by_key = {(r.case, r.fmt): r for r in results}
    for fmt, case in TARGET_CASES.items():
        result = by_key.get((case, fmt))
        limit = TARGET_RATIOS[fmt]
        entry: dict[str, Any] = {
            "target": f"fmt {fmt} decode ÷ {FLOOR_NAMES[fmt]} ({case})",
            "fmt": fmt,
            "case": case,
            "limit": limit,
            "measured": None if result is None else result.ratio,
            "measured_median": None if result is None else result.ratio_median,
            "pass": None if result is None else result.ratio <= limit,
        }
        targets.append(entry)
    if imports is not None:
        delta = imports["delta_median_ms"]
        targets.append({
            "target": "import smsc_wire over a bare interpreter (ms, median)",
            "limit": TARGET_IMPORT_MS,
            "measured": delta,
            "pass": delta <= TARGET_IMPORT_MS,
        })  # fmt: skip
        targets.append({
            "target": "lark not in sys.modules after import smsc_wire",
            "limit": None,
            "measured": imports["lark_in_sys_modules"],
            "pass": not imports["lark_in_sys_modules"],
        })  # fmt: skip
    return targets


def format_targets(targets: Sequence[dict[str, Any]]) -> str:
    lines = []
    for t in targets:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        measured = t["measured"]
        if t["limit"] is None:
            detail = f"lark imported: {measured}"
        elif measured is None:
            detail = "not measured in this run"
        elif "fmt" in t:
            detail = (
                f"{measured:.2f}× (median {t['measured_median']:.2f}×), limit ≤ {t['limit']:g}×"
            )
        else:
            detail = f"{measured:.1f} ms, limit ≤ {t['limit']:g} ms"
        lines.append(f"  {verdict}  {t['target']}: {detail}")
    return "\n".join(lines)


def format_imports(imports: dict[str, Any], firsts: dict[str, Any]) -> str:
    lines = [
        f"  python -c pass             best {imports['bare']['best_ms']:6.1f} ms   "
        f"median {imports['bare']['median_ms']:6.1f} ms",
        f"  python -c 'import smsc_wire' best {imports['import']['best_ms']:6.1f} ms   "
        f"median {imports['import']['median_ms']:6.1f} ms",
        f"  difference                 best {imports['delta_best_ms']:6.1f} ms   "
        f"median {imports['delta_median_ms']:6.1f} ms   ({imports['runs']} runs each, interleaved)",
        f"  import timed in-process    best {imports['in_process']['best_ms']:6.1f} ms   "
        f"median {imports['in_process']['median_ms']:6.1f} ms",
        f"  lark in sys.modules after import smsc_wire: {imports['lark_in_sys_modules']}",
        "  -X importtime, largest self times under smsc_wire:",
    ]
    lines.extend(
        f"    {row['self_us']:>7} µs self  {row['cumulative_us']:>7} µs cumulative  {row['module']}"
        for row in imports["importtime_top"]
    )
    if firsts:
        lines.append("  first decode in a fresh process (ms, best / median):")
        for fmt, f in sorted(firsts.items()):
            imp, first, second = f["import"], f["first_decode"], f["second_decode"]
            lines.append(
                f"    fmt {fmt} {f['case']:<11} import {imp['best_ms']:6.1f} / "
                f"{imp['median_ms']:6.1f}   first decode {first['best_ms']:7.1f} / "
                f"{first['median_ms']:7.1f}   second {second['best_ms']:6.2f} / "
                f"{second['median_ms']:6.2f}   lark loaded by then: {f['lark_after_decode']}"
            )
    return "\n".join(lines)


def compare(old: dict[str, Any], new: dict[str, Any]) -> str:
    """The change per case between two result files: ratios and decode time."""
    old_cases = {(c["case"], c["fmt"]): c for c in old.get("cases", [])}
    rows = []
    for c in new["cases"]:
        o = old_cases.get((c["case"], c["fmt"]))
        if o is None:
            continue
        dec_old, dec_new = o["timings"]["decode"]["best_us"], c["timings"]["decode"]["best_us"]
        enc_old, enc_new = o["timings"]["encode"]["best_us"], c["timings"]["encode"]["best_us"]
        rows.append([
            c["case"], str(c["fmt"]),
            f"{o['ratio']:.2f}×", f"{c['ratio']:.2f}×", f"{c['ratio'] / o['ratio']:.2f}",
            _us(dec_old), _us(dec_new), f"{dec_old / dec_new:.2f}×",
            f"{enc_old / enc_new:.2f}×",
        ])  # fmt: skip
    header = [
        "case", "fmt", "old dec÷floor", "new dec÷floor", "new÷old",
        "old decode µs", "new decode µs", "decode speed-up", "encode speed-up",
    ]  # fmt: skip
    text = _table(rows, header) if rows else "(no case in common)"
    old_imp, new_imp = old.get("imports"), new.get("imports")
    if old_imp and new_imp:
        text += (
            f"\nimport smsc_wire over bare (median): {old_imp['delta_median_ms']:.1f} ms -> "
            f"{new_imp['delta_median_ms']:.1f} ms"
        )
    return text


# --- profile ------------------------------------------------------------------------------------


def profile(cases: Sequence[Case], spec: str, calls: int) -> str:
    """cProfile of decode for one case given as ``NAME:FMT`` (e.g. ``get-ops-50:0``)."""
    name, _, fmt = spec.partition(":")
    matches = [c for c in cases if c.name == name and (not fmt or c.fmt == int(fmt))]
    if not matches:
        raise SystemExit(f"--profile: no case {spec!r}")
    out = []
    for case in matches:
        sw.decode(case.body, case.key)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            sw.decode(case.body, case.key)
        profiler.disable()
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("tottime").print_stats(18)
        out.append(f"== {case.name} fmt {case.fmt}, {calls} decodes ==\n{stream.getvalue()}")
    return "\n".join(out)


# --- main ---------------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "smsc_wire": sw.__version__}
    for dist in ("lark", "lxml", "orjson"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "?"
    return versions


def _commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python bench/run.py",
        description="Time smsc_wire decode/encode against each fmt's bare floor.",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="a few seconds: 1 and 50 senders, 3 short repeats (a smoke run)",
    )
    p.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        metavar="PATH",
        help="where to write the results (default: %(default)s); "
        "name it *.local.json to keep it out of git",
    )
    p.add_argument("--no-json", action="store_true", help="write no JSON file")
    p.add_argument(
        "--compare",
        type=Path,
        metavar="OLD.json",
        help="print the change per case against an earlier results file",
    )
    p.add_argument(
        "--check-targets",
        action="store_true",
        help="exit 1 if a target is missed (default: always exit 0)",
    )
    p.add_argument(
        "--fmt", type=int, action="append", choices=FMTS, help="only this fmt (repeatable)"
    )
    p.add_argument(
        "--case",
        action="append",
        metavar="NAME",
        help="only cases whose name starts with NAME (repeatable), e.g. get-ops",
    )
    p.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        metavar="N",
        help=f"sender-list sizes (default: {' '.join(map(str, SIZES))})",
    )
    p.add_argument("--repeats", type=int, help="repeats per timer (default 9, quick 3)")
    p.add_argument(
        "--min-time",
        type=float,
        metavar="SECONDS",
        help="the least time one repeat lasts (default 0.05, quick 0.002)",
    )
    p.add_argument(
        "--gc",
        action="store_true",
        help="keep the garbage collector on while timing (timeit turns it off)",
    )
    p.add_argument(
        "--skip-import",
        action="store_true",
        help="skip the import-cost and first-decode subprocesses",
    )
    p.add_argument(
        "--import-runs", type=int, help="fresh processes per import measure (default 15, quick 2)"
    )
    p.add_argument("--label", help="a note kept in the JSON and the header, e.g. 'before #5'")
    p.add_argument(
        "--profile",
        metavar="NAME:FMT",
        help="print a cProfile of decode for one case (e.g. get-ops-50:0) and exit",
    )
    return p.parse_args(argv)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    quick: bool = args.quick
    sizes = tuple(args.sizes or ((1, 50) if quick else SIZES))
    fmts = tuple(sorted(set(args.fmt or FMTS)))
    settings = Settings(
        repeats=args.repeats or (3 if quick else 9),
        min_time=args.min_time or (0.002 if quick else 0.05),
        max_time=0.05 if quick else 4.0,
        gc=args.gc,
    )
    cases = build(sizes, fmts)
    if args.profile:
        print(profile(cases, args.profile, 20 if quick else 200))
        return 0
    if args.case:
        cases = [c for c in cases if any(c.name.startswith(p) for p in args.case)]

    started = time.perf_counter()
    results: list[CaseResult] = []
    for case in cases:
        results.append(run_case(case, settings))
        r = results[-1]
        print(f"  {r.case:<13} fmt {r.fmt}  decode ÷ floor {r.ratio:7.1f}×", file=sys.stderr)

    imports: dict[str, Any] | None = None
    firsts: dict[str, Any] = {}
    if not args.skip_import:
        runs = args.import_runs or (2 if quick else 15)
        imports = import_cost(runs)
        all_cases = {(c.name, c.fmt): c for c in build((50,), fmts)}
        targets_cases = [all_cases[(TARGET_CASES[f], f)] for f in fmts]
        firsts = first_decodes(targets_cases, 1 if quick else 5)
    targets = evaluate_targets(results, imports)

    document: dict[str, Any] = {
        "schema": SCHEMA,
        "meta": {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "label": args.label,
            "versions": _versions(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "command": " ".join(["python bench/run.py", *(argv or sys.argv[1:])]),
            "quick": quick,
            "repeats": settings.repeats,
            "min_time_s": settings.min_time,
            "gc": settings.gc,
            "seconds": round(time.perf_counter() - started, 1),
        },
        "cases": [asdict(r) for r in results],
        "targets": targets,
        "imports": imports,
        "first_decode": firsts,
    }

    print(f"smsc_wire {sw.__version__} · Python {platform.python_version()} · "
          f"{os.cpu_count()} CPUs · {args.label or document['meta']['commit']} · "
          f"best of {settings.repeats} repeats of ≥ {settings.min_time * 1e3:g} ms, "
          f"gc {'on' if settings.gc else 'off'}")  # fmt: skip
    print(
        "µs per reply (best); ±% = (median − best) ÷ best; ratios best ÷ best, (median) = "
        "median of per-round ratios"
    )
    print(format_cases(results))
    if imports is not None:
        print("\nimport cost")
        print(format_imports(imports, firsts))
    print("\ntargets")
    print(format_targets(targets))

    if not args.no_json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    if args.compare:
        print(f"\ncompared with {args.compare}")
        print(compare(json.loads(args.compare.read_text()), document))
    if args.check_targets and any(t["pass"] is False for t in targets):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
