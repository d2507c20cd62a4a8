"""Measure every figure of the performance issue (issue 12) in one run, each against its target.

Run from the repository root:  python bench/run.py   (``--help`` for the options).

Strategy: a figure is a ratio (or a difference) between the library and a floor measured side by
side in the same run, never an absolute time: the machine is shared, and absolute times drift
between runs by tens of percent while ratios taken together drift much less. Five groups measure:

- ``micro``: in-process timers (``timeit``, the collector off) on the bodies of bench/corpus.py;
  the timers of one body are warmed up, calibrated, then repeated in rounds in rotating order, so
  that a burst of load lands on the library and its floor alike. A ratio is best ÷ best; the
  median of the per-round ratios is kept beside it.
- ``big``: a 16 MiB fmt 0 body cut short, timed call by call (sniff and keyed decode alternate).
- ``rss``: peak resident memory of one parse in a fresh process (bench/probe.py).
- ``validate``: ``python -m smsc_wire validate`` against a plain read of the same files, both as
  processes with this interpreter, alternating, best of several runs.
- ``startup``: fresh processes importing ``smsc_wire`` (and decoding once), interleaved, medians.

Every figure is printed with its target and PASS/FAIL and written to JSON; ``--compare`` reads an
earlier JSON back, ``--profile FIGURE`` shows where the library's time (or memory) goes.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import cProfile
import datetime
import gc
import io
import json
import math
import os
import platform
import pstats
import re
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Final

import corpus
import floors
from corpus import FMTS, SMALL, Case
from lxml import etree

import smsc_wire as sw

ROOT: Final = Path(__file__).resolve().parent.parent
BENCH: Final = ROOT / "bench"
DEFAULT_JSON: Final = BENCH / "results" / "latest.json"
SCHEMA: Final = "smsc_wire-bench/2"
MIB: Final = 1 << 20

# --- the figures --------------------------------------------------------------------------------


@dataclass(slots=True)
class Figure:
    """One figure of the issue: what it measures, its target, and (after the run) its value."""

    id: str
    row: int
    """The row of the issue's table (1-12); 0 for the figures kept from issue 5."""
    what: str
    unit: str
    """``×`` (a ratio), ``µs`` or ``ms`` (a difference), ``flag`` (1 is bad)."""
    limit: float
    group: str
    measured: float | None = None
    paired: float | None = None
    """The median over rounds of the per-round value (ratio or difference): robust to load."""
    library: float | None = None
    floor: float | None = None
    scale: str = ""
    """The unit of ``library`` and ``floor``: µs per call, s per process, MiB, ms."""
    note: str = ""
    problem: str | None = None
    """Set when the measurement went wrong (a command failed): the figure then fails."""
    passed: bool | None = None

    def settle(self) -> None:
        if self.problem is not None:
            self.passed = False
        elif self.measured is None:
            self.passed = None
        else:
            self.passed = self.measured <= self.limit


@dataclass(frozen=True, slots=True)
class Pair:
    """The library's timer and the floor's, both on one case (a body of bench/corpus.py)."""

    case: str
    fmt: int
    lib: str
    floor: str


# micro figure id -> (its pairs, how they combine): "ratio" (one pair, best ÷ best), "median" or
# "worst" (of the pairs' ratios), "over" (one pair, best − best, in µs).
MicroPlan = dict[str, tuple[tuple[Pair, ...], str]]


def _list(shape: str) -> str:
    return f"get-{shape}-50"


def micro_plan() -> MicroPlan:
    sniffed = tuple(
        Pair(name, fmt, "sniff", "decode")
        for fmt in FMTS
        for name in (*(_list(s) for s in corpus.shapes_of(fmt)), *SMALL)
    )
    plan: MicroPlan = {
        "sniff.median": (sniffed, "median"),
        "sniff.worst": (sniffed, "worst"),
    }
    for fmt, shape in floors.ENCODE_FLOORS:
        plan[f"encode.fmt{fmt}.{shape}"] = (
            (Pair(_list(shape), fmt, "encode", "encode_floor"),),
            "ratio",
        )
    plan["decode.fmt3.ops"] = ((Pair(_list("ops"), 3, "decode", "floor"),), "ratio")
    plan["decode.fmt3.ops-read"] = ((Pair(_list("ops"), 3, "decode_read", "floor_read"),), "ratio")
    for fmt in (1, 2, 3):
        plan[f"decode.fmt{fmt}.all"] = ((Pair(_list("all"), fmt, "decode", "floor"),), "ratio")
    for shape in ("ops", "all"):
        plan[f"decode.fmt0.{shape}"] = ((Pair(_list(shape), 0, "decode", "floor"),), "ratio")
    for fmt in (0, 1, 3):
        for name in SMALL:
            plan[f"small.fmt{fmt}.{name}"] = ((Pair(name, fmt, "decode", "floor"),), "over")
    plan["small.fmt2.error"] = ((Pair("error", 2, "decode", "floor"),), "ratio")
    return plan


def _encode_what(fmt: int, shape: str) -> str:
    flags = "operators=1" if shape == "ops" else "all=1"
    return f"encode fmt {fmt} {flags} ÷ {floors.ENCODE_FLOOR_NAMES[fmt]} (50 senders)"


def all_figures() -> list[Figure]:
    """Every figure, in the order of the issue's table."""
    f: list[Figure] = [
        Figure("sniff.median", 1, "sniff ÷ decode (right key), median over add, OK, error and "
               "50-sender lists (every get key) of every fmt", "×", 5.0, "micro"),
        Figure("sniff.worst", 1, "sniff ÷ decode (right key), the worst of those bodies", "×",
               15.0, "micro"),
        Figure("validate.sniff", 2, "validate --jobs 1 (sniffing) ÷ plain read of the files "
               "(processes)", "×", 8.0, "validate"),
        Figure("validate.key", 3, "validate --jobs 1 --fmt/--op on one key's folder ÷ plain read "
               "of it", "×", 5.0, "validate"),
        Figure("validate.manifest", 3, "validate --jobs 1 of the fixtures folder (its "
               "manifest.jsonl gives the keys) ÷ plain read of it", "×", 5.0, "validate"),
        Figure("validate.har", 3, "validate --jobs 1 of a HAR file of the fixture bodies ÷ plain "
               "read of the bodies", "×", 5.0, "validate"),
        Figure("big.sniff", 4, "16 MiB fmt 0 body cut short: sniff ÷ keyed decode "
               "(WireFormatError caught)", "×", 4.0, "big"),
        Figure("big.sniff-rss", 4, "that sniff's peak RSS ÷ input size (a fresh process: "
               "its RSS minus the baseline after imports)", "×", 12.0, "big"),
    ]  # fmt: skip
    for fmt, shape in ((3, "ops"), (3, "all")):
        f.append(Figure(f"encode.fmt{fmt}.{shape}", 5, _encode_what(fmt, shape), "×", 1.5, "micro"))
    for fmt, shape in floors.ENCODE_FLOORS:
        if fmt != 3:
            f.append(
                Figure(f"encode.fmt{fmt}.{shape}", 6, _encode_what(fmt, shape), "×", 2.0, "micro")
            )
    f += [
        Figure("decode.fmt3.ops", 7, "decode fmt 3 operators=1 ÷ orjson.loads (50 senders)", "×",
               2.5, "micro"),
        Figure("decode.fmt3.ops-read", 7, "the same, every operator value read (items() of "
               "every sender ÷ values() of every dict)", "×", 2.8, "micro"),
        Figure("decode.fmt1.all", 8, "decode fmt 1 all=1 ÷ naive split (50 senders)", "×", 4.0,
               "micro"),
        Figure("decode.fmt2.all", 8, "decode fmt 2 all=1 ÷ lxml.etree.fromstring, hardened "
               "parser (50 senders)", "×", 3.0, "micro"),
        Figure("decode.fmt3.all", 8, "decode fmt 3 all=1 ÷ orjson.loads (50 senders)", "×", 3.0,
               "micro"),
        Figure("decode.fmt0.ops", 9, "decode fmt 0 operators=1 ÷ naive split (50 senders)", "×",
               2.5, "micro"),
        Figure("decode.fmt0.all", 9, "decode fmt 0 all=1 ÷ naive split (50 senders)", "×", 2.5,
               "micro"),
    ]  # fmt: skip
    for fmt in (0, 1, 3):
        for name in SMALL:
            floor = floors.DECODE_FLOOR_NAMES[fmt]
            f.append(Figure(f"small.fmt{fmt}.{name}", 10,
                            f"decode fmt {fmt} {name} − {floor} (time over the floor)", "µs",
                            0.5, "micro"))  # fmt: skip
    f.append(Figure("small.fmt2.error", 10, "decode fmt 2 error ÷ lxml.etree.fromstring", "×",
                    3.0, "micro"))  # fmt: skip
    for fmt in FMTS:
        f.append(Figure(f"first-decode.fmt{fmt}", 11,
                        f"first decode in a fresh process, fmt {fmt} ({_startup_case(fmt)}): "
                        "import+decode − import (medians)", "ms", 8.0, "startup"))  # fmt: skip
    for fmt in FMTS:
        f.append(Figure(f"rss.fmt{fmt}", 12,
                        f"decode peak RSS ÷ {floors.DECODE_FLOOR_NAMES[fmt]}'s, 16 MiB fmt {fmt} "
                        "all=1 body (fresh processes)", "×", 1.2, "rss"))  # fmt: skip
    f += [
        Figure("import.ms", 0, "import smsc_wire over python -c pass, wall time (medians; "
               "issue 5)", "ms", 60.0, "startup"),
        Figure("import.lark", 0, "lark in sys.modules after import smsc_wire (issue 5)", "flag",
               0.0, "startup"),
    ]  # fmt: skip
    return f


def _startup_case(fmt: int) -> str:
    return _list("all") if fmt == 1 else _list("ops")


# --- settings -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    repeats: int
    """Repeats per micro timer."""
    min_time: float
    """Seconds one micro repeat lasts at least: long enough for the clock, short against noise."""
    max_time: float
    """Seconds one micro timer may take over all its repeats; a slow one gets fewer (at least 3)."""
    gc: bool
    big_size: int
    """Bytes of the large bodies (16 MiB; 1 MiB with --quick)."""
    big_repeats: int
    big_budget: float
    """Seconds the big group's rounds may take; a slow library gets fewer (at least 2)."""
    runs: int
    """Rounds of the validate processes."""
    startup_runs: int
    fixtures_count: int
    """--count of smsc-wire fixtures (100: about 4,000 files)."""
    key_files: int
    """Files in the one key's folder of validate.key."""


def settings_of(args: argparse.Namespace) -> Settings:
    quick: bool = args.quick
    return Settings(
        repeats=args.repeats or (3 if quick else 9),
        min_time=args.min_time or (0.002 if quick else 0.05),
        max_time=0.05 if quick else 4.0,
        gc=args.gc,
        big_size=MIB if quick else sw.DEFAULT_MAX_SIZE,
        big_repeats=1 if quick else 3,
        big_budget=10.0 if quick else 75.0,
        runs=args.runs or (1 if quick else 5),
        startup_runs=args.startup_runs or (2 if quick else 21),
        fixtures_count=2 if quick else 100,
        key_files=100 if quick else 4000,
    )


# --- the micro harness --------------------------------------------------------------------------


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

    def as_json(self) -> dict[str, Any]:
        return {
            "best_us": self.best * 1e6,
            "median_us": self.median * 1e6,
            "spread": self.spread,
            "number": self.number,
            "repeats": len(self.samples),
            "samples_us": [s * 1e6 for s in self.samples],
        }


Stmt = tuple[str, dict[str, Any]]


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


def measure(stmts: dict[str, Stmt], settings: Settings) -> dict[str, Stats]:
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


def paired(a: Sequence[float], b: Sequence[float], op: Callable[[float, float], float]) -> float:
    """The median over rounds of ``op(a, b)``, each round's two samples taken back to back."""
    n = min(len(a), len(b))
    return statistics.median(op(x, y) for x, y in zip(a[:n], b[:n], strict=True))


def _ratio(x: float, y: float) -> float:
    return x / y


def _minus(x: float, y: float) -> float:
    return x - y


def timer_stmts(case: Case, names: set[str]) -> dict[str, Stmt]:
    """The micro timers of one case: name -> (statement, its globals)."""
    fmt, body, key, reply = case.fmt, case.body, case.key, case.reply
    if fmt == 2:  # lxml with the library's parser, called directly (no extra call layer)
        floor: Stmt = ("fromstring(body, parser)", {
            "fromstring": etree.fromstring, "parser": floors.PARSER, "body": body,
        })  # fmt: skip
    else:
        floor = ("floor(body)", {"floor": floors.DECODE_FLOORS[fmt], "body": body})
    every: dict[str, Callable[[], Stmt]] = {
        "decode": lambda: ("decode(body, key)", {"decode": sw.decode, "body": body, "key": key}),
        "sniff": lambda: ("sniff(body)", {"sniff": sw.sniff, "body": body}),
        "floor": lambda: floor,
        "encode": lambda: ("encode(reply, key)", {
            "encode": sw.encode, "reply": reply, "key": key,
        }),
        "encode_floor": lambda: ("floor(senders)", {
            "floor": floors.ENCODE_FLOORS[(fmt, case.shape)],
            "senders": reply.senders,  # type: ignore[union-attr]
        }),
        "decode_read": lambda: ("read(decode(body, key))", {
            "read": floors.read_operator_values, "decode": sw.decode, "body": body, "key": key,
        }),
        "floor_read": lambda: ("read(loads(body))", {
            "read": floors.read_dict_values, "loads": floors.DECODE_FLOORS[fmt], "body": body,
        }),
    }  # fmt: skip
    return {name: every[name]() for name in sorted(names, key=list(every).index)}


def _floor_writes_encode(case: Case) -> bool | None:
    """Whether the encode floor writes exactly what encode writes (fmt 3's orjson cannot)."""
    if case.fmt == 3:
        return None
    floor = floors.ENCODE_FLOORS[(case.fmt, case.shape)]
    return floor(case.reply.senders) == sw.encode(case.reply, case.key)  # type: ignore[union-attr]


def run_micro(figs: dict[str, Figure], settings: Settings, details: dict[str, Any]) -> None:
    plan = {fid: spec for fid, spec in micro_plan().items() if fid in figs}
    wanted: dict[tuple[str, int], set[str]] = {}
    for pairs, _ in plan.values():
        for p in pairs:
            wanted.setdefault((p.case, p.fmt), set()).update((p.lib, p.floor))
    cases = {(c.name, c.fmt): c for c in corpus.build((50,))}
    stats: dict[tuple[str, int], dict[str, Stats]] = {}
    for (name, fmt), timers in wanted.items():
        case = cases[(name, fmt)]
        stats[(name, fmt)] = measure(timer_stmts(case, timers), settings)
        _progress(f"micro {name} fmt {fmt}: " + ", ".join(
            f"{t} {s.best * 1e6:.2f} µs" for t, s in stats[(name, fmt)].items()
        ))  # fmt: skip
    details["cases"] = {
        f"{name}:{fmt}": {
            "bytes": len(cases[(name, fmt)].body),
            "key": cases[(name, fmt)].key.as_dict(),
            "timings": {t: s.as_json() for t, s in timers.items()},
        }
        for (name, fmt), timers in stats.items()
    }
    for fid, (pairs, combine) in plan.items():
        fig = figs[fid]
        fig.scale = "µs"
        ratios = []
        for p in pairs:
            lib, floor = stats[(p.case, p.fmt)][p.lib], stats[(p.case, p.fmt)][p.floor]
            ratios.append((lib.best / floor.best, paired(lib.samples, floor.samples, _ratio), p))
        if combine == "over":
            (p,) = pairs
            lib, floor = stats[(p.case, p.fmt)][p.lib], stats[(p.case, p.fmt)][p.floor]
            fig.measured = (lib.best - floor.best) * 1e6
            fig.paired = paired(lib.samples, floor.samples, _minus) * 1e6
            fig.library, fig.floor = lib.best * 1e6, floor.best * 1e6
        elif combine == "ratio":
            ((fig.measured, fig.paired, p),) = ratios
            lib, floor = stats[(p.case, p.fmt)][p.lib], stats[(p.case, p.fmt)][p.floor]
            fig.library, fig.floor = lib.best * 1e6, floor.best * 1e6
            if p.lib == "encode":
                matches = _floor_writes_encode(cases[(p.case, p.fmt)])
                if matches is False:
                    fig.note = "the floor's output differs from encode's"
                elif matches:
                    fig.note = "floor output == encode output"
        elif combine == "median":
            fig.measured = statistics.median(r for r, _, _ in ratios)
            fig.paired = statistics.median(r for _, r, _ in ratios)
            fig.note = f"{len(ratios)} bodies"
        else:  # worst
            worst = max(ratios, key=lambda r: r[0])
            fig.measured, fig.paired = worst[0], worst[1]
            p = worst[2]
            lib, floor = stats[(p.case, p.fmt)][p.lib], stats[(p.case, p.fmt)][p.floor]
            fig.library, fig.floor = lib.best * 1e6, floor.best * 1e6
            fig.note = f"worst: {p.case} fmt {p.fmt}"
    details["sniff_ratios"] = {
        f"{p.case}:{p.fmt}": stats[(p.case, p.fmt)]["sniff"].best
        / stats[(p.case, p.fmt)]["decode"].best
        for p in micro_plan()["sniff.median"][0]
        if (p.case, p.fmt) in stats and {"sniff", "decode"} <= set(stats[(p.case, p.fmt)])
    }


# --- the big body: sniff and decode of 16 MiB cut short -----------------------------------------


def decode_caught(body: bytes, key: sw.Key) -> str:
    """``decode`` of a body that must fail: what it raised (the timed call of big.sniff)."""
    try:
        sw.decode(body, key)
    except sw.WireFormatError as exc:
        return f"WireFormatError at line {exc.line}"
    return "decoded"


def _call_timed(fn: Callable[[], object]) -> tuple[float, object]:
    """One call, timed with the collector off (as timeit does)."""
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
    finally:
        if was:
            gc.enable()
    return elapsed, result


def _probe(mode: str, key: sw.Key, path: Path) -> dict[str, Any]:
    """bench/probe.py in a fresh process: the peak RSS of one parse."""
    argv = [
        sys.executable, str(BENCH / "probe.py"), mode, str(key.fmt), str(key.operation),
        str(int(key.all)), str(int(key.operators)), str(path),
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"probe {mode} fmt {key.fmt} failed: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["grown_kib"] = result["peak_kib"] - result["baseline_kib"]
    return result


def _rss_note(probe: dict[str, Any]) -> str:
    reset = ", peak reset after imports" if probe["peak_reset"] else ""
    return f"peak RSS from {probe['peak_source']}{reset}"


def run_big(
    figs: dict[str, Figure], settings: Settings, tmp: Path, details: dict[str, Any]
) -> None:
    case = corpus.big_list(0, settings.big_size)
    body = corpus.cut_short(case.body)
    key = case.key
    details.update(bytes=len(body), senders=case.senders, key=key.as_dict(), tail=repr(body[-40:]))
    if "big.sniff" in figs:
        fig = figs["big.sniff"]
        # Warm up on a small body cut short the same way: the grammar and caches, not 16 MiB.
        small = corpus.cut_short(corpus.big_list(0, 4096).body)
        sw.sniff(small)
        decode_caught(small, key)
        calls: dict[str, Callable[[], object]] = {
            "sniff": lambda: sw.sniff(body),
            "decode": lambda: decode_caught(body, key),
        }
        samples: dict[str, list[float]] = {"sniff": [], "decode": []}
        outcomes: dict[str, str] = {}
        rounds, round_ = settings.big_repeats, 0
        started = time.perf_counter()
        while round_ < rounds:
            order = list(calls) if round_ % 2 == 0 else list(reversed(calls))
            for name in order:
                elapsed, result = _call_timed(calls[name])
                samples[name].append(elapsed)
                outcomes[name] = repr(result)
            round_ += 1
            if round_ == 1:  # a slow library gets fewer rounds, never fewer than 2 (or 1, quick)
                per_round = time.perf_counter() - started
                rounds = max(min(2, rounds), min(rounds, int(settings.big_budget / per_round)))
            _progress(
                f"big round {round_}/{rounds}: sniff {samples['sniff'][-1]:.2f} s, "
                f"decode {samples['decode'][-1]:.2f} s"
            )
        sniff_s, decode_s = min(samples["sniff"]), min(samples["decode"])
        fig.measured, fig.paired = (
            sniff_s / decode_s,
            paired(samples["sniff"], samples["decode"], _ratio),
        )
        fig.library, fig.floor, fig.scale = sniff_s, decode_s, "s"
        fig.note = f"{len(samples['sniff'])} rounds; {len(body) / MIB:.1f} MiB"
        if outcomes["sniff"] != "[]" or not outcomes["decode"].startswith("'WireFormatError"):
            fig.problem = f"the cut body was not invalid: sniff {outcomes['sniff'][:80]}, " + (
                f"decode {outcomes['decode'][:80]}"
            )
        details["time"] = {"samples_s": samples, "outcomes": outcomes}
    if "big.sniff-rss" in figs:
        fig = figs["big.sniff-rss"]
        path = tmp / "big-cut.fmt0.txt"
        path.write_bytes(body)
        probe = _probe("sniff", key, path)
        fig.measured = probe["grown_kib"] * 1024 / probe["bytes"]
        fig.library, fig.floor, fig.scale = probe["grown_kib"] / 1024, probe["bytes"] / MIB, "MiB"
        fig.note = _rss_note(probe)
        if probe["outcome"] != []:
            fig.problem = f"sniff found keys for the cut body: {probe['outcome']}"
        details["rss"] = probe
        _progress(f"big sniff peak RSS {fig.library:.1f} MiB for {fig.floor:.1f} MiB")


# --- peak memory of decode against the bare parser ----------------------------------------------


def run_rss(
    figs: dict[str, Figure], settings: Settings, tmp: Path, details: dict[str, Any]
) -> None:
    for fmt in FMTS:
        fig = figs.get(f"rss.fmt{fmt}")
        if fig is None:
            continue
        case = corpus.big_list(fmt, settings.big_size)
        path = tmp / f"big.fmt{fmt}"
        path.write_bytes(case.body)
        lib = _probe("decode", case.key, path)
        floor = _probe("floor", case.key, path)
        fig.measured = lib["grown_kib"] / max(floor["grown_kib"], 1)
        fig.library, fig.floor, fig.scale = (
            lib["grown_kib"] / 1024,
            floor["grown_kib"] / 1024,
            "MiB",
        )
        fig.note = (
            f"{len(case.body) / MIB:.1f} MiB body, {case.senders:,} senders; {_rss_note(lib)}"
        )
        if lib["outcome"] != case.senders:
            fig.problem = f"decode gave {lib['outcome']!r}, not {case.senders} senders"
        details[str(fmt)] = {"bytes": len(case.body), "senders": case.senders, "decode": lib,
                             "floor": floor}  # fmt: skip
        _progress(f"rss fmt {fmt}: decode {fig.library:.1f} MiB, floor {fig.floor:.1f} MiB")


# --- smsc-wire validate against a plain read, as processes --------------------------------------

PLAIN_READ: Final = """\
import os, sys
files = size = 0
for top in sys.argv[1:]:
    for folder, _, names in os.walk(top):
        for name in names:
            with open(os.path.join(folder, name), 'rb') as f:
                size += len(f.read())
            files += 1
print(files, size)
"""

_SUMMARY: Final = re.compile(r"^(\d+) files?: (\d+) canonical, (\d+) valid, (\d+) invalid", re.M)


@dataclass(slots=True)
class Command:
    argv: list[str]
    expect: int
    """Files (or HAR entries) it must find canonical, or the files a plain read must count."""
    samples: list[float] = field(default_factory=list)
    problem: str | None = None

    def run(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, *self.argv], capture_output=True, text=True, cwd=ROOT, env=env,
            check=False,
        )  # fmt: skip
        self.samples.append(time.perf_counter() - t0)
        self.problem = self.problem or self._check(done)

    def _check(self, done: subprocess.CompletedProcess[str]) -> str | None:
        if self.argv[0] == "-c":
            files = int(done.stdout.split()[0]) if done.returncode == 0 else -1
            return None if files == self.expect else f"plain read found {files} files"
        found = _SUMMARY.search(done.stdout)
        if done.returncode != 0 or found is None or int(found[2]) != self.expect:
            tail = (done.stdout.strip().splitlines() or [""])[-1]
            return (
                f"exit {done.returncode}, {tail!r} (expected {self.expect} canonical)"
                f"{'; ' + done.stderr.strip()[-200:] if done.stderr.strip() else ''}"
            )
        return None


def _validate(*args: str) -> list[str]:
    return ["-m", "smsc_wire", "validate", "--jobs", "1", *args]


def validate_commands(tmp: Path, settings: Settings) -> tuple[dict[str, Command], dict[str, Any]]:
    """The corpora on disk, and the commands: validate.* and the plain reads they compare with."""
    fixtures = tmp / "fixtures"
    count = corpus.write_fixtures(fixtures, seed=1, count=settings.fixtures_count)
    fmt_dirs = [str(fixtures / f"fmt{fmt}") for fmt in FMTS]
    key, key_folder, key_count = corpus.write_key_folder(
        tmp / "keyed", seed=1, files=settings.key_files
    )
    har = tmp / "fixtures.har"
    entries = corpus.write_har(fixtures, har)
    key_args = ["--fmt", str(key.fmt), "--op", str(key.operation)]
    key_args += ["--all"] * key.all + ["--operators"] * key.operators
    commands = {
        "read:bodies": Command(["-c", PLAIN_READ, *fmt_dirs], count),
        "read:fixtures": Command(["-c", PLAIN_READ, str(fixtures)], count + 1),
        "read:key": Command(["-c", PLAIN_READ, str(key_folder)], key_count),
        "validate.sniff": Command(_validate(*fmt_dirs), count),
        "validate.key": Command(_validate(*key_args, str(key_folder)), key_count),
        "validate.manifest": Command(_validate(str(fixtures)), count),
        "validate.har": Command(_validate(str(har)), entries),
    }
    corpora = {
        "fixtures": f"smsc-wire fixtures DIR --seed 1 --count {settings.fixtures_count}",
        "fixture_files": count,
        "fixture_bytes": sum(p.stat().st_size for d in fmt_dirs for p in Path(d).rglob("*")
                             if p.is_file()),
        "key": str(key),
        "key_files": key_count,
        "har_entries": entries,
        "har_bytes": har.stat().st_size,
    }  # fmt: skip
    return commands, corpora


VALIDATE_FLOORS: Final = {
    "validate.sniff": "read:bodies",
    "validate.key": "read:key",
    "validate.manifest": "read:fixtures",
    "validate.har": "read:bodies",
}


def run_validate(
    figs: dict[str, Figure], settings: Settings, tmp: Path, details: dict[str, Any]
) -> None:
    commands, corpora = validate_commands(tmp, settings)
    details["corpora"] = corpora
    chosen = [fid for fid in VALIDATE_FLOORS if fid in figs]
    names = list(dict.fromkeys(name for fid in chosen for name in (VALIDATE_FLOORS[fid], fid)))
    for round_ in range(settings.runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            commands[name].run()
        _progress(f"validate round {round_ + 1}/{settings.runs}: " + ", ".join(
            f"{n} {commands[n].samples[-1]:.2f} s" for n in names
        ))  # fmt: skip
    for fid in chosen:
        fig, lib, floor = figs[fid], commands[fid], commands[VALIDATE_FLOORS[fid]]
        fig.measured = min(lib.samples) / min(floor.samples)
        fig.paired = paired(lib.samples, floor.samples, _ratio)
        fig.library, fig.floor, fig.scale = min(lib.samples), min(floor.samples), "s"
        fig.note = f"{lib.expect} {'entries' if fid == 'validate.har' else 'files'}"
        fig.problem = lib.problem or floor.problem
    details["commands"] = {
        name: {"argv": ["python", *(c.argv if c.argv[0] != "-c" else ["-c", "<plain read>",
                                                                     *c.argv[2:]])],
               "samples_s": c.samples, "expect": c.expect, "problem": c.problem}
        for name, c in commands.items() if c.samples
    }  # fmt: skip


# --- import and the first decode, in fresh processes --------------------------------------------

STARTUP: Final = """\
import sys, time
mode = sys.argv[1]
if mode == 'decode':
    body = open(sys.argv[2], 'rb').read()
    fmt, op, all_, ops = int(sys.argv[3]), sys.argv[4], sys.argv[5] == '1', sys.argv[6] == '1'
t0 = time.perf_counter()
import smsc_wire
t1 = time.perf_counter()
lark = 'lark' in sys.modules
t2 = t3 = t1
if mode == 'decode':
    smsc_wire.decode(body, smsc_wire.Key(fmt, op, all=all_, operators=ops))
    t2 = time.perf_counter()
    smsc_wire.decode(body, smsc_wire.Key(fmt, op, all=all_, operators=ops))
    t3 = time.perf_counter()
print(t1 - t0, t2 - t0, t3 - t2, lark)
"""


def _python(*args: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return time.perf_counter() - t0, done.stdout


def _summary(values: Sequence[float]) -> dict[str, float]:
    return {"best_ms": min(values) * 1e3, "median_ms": statistics.median(values) * 1e3}


def run_startup(
    figs: dict[str, Figure], settings: Settings, tmp: Path, details: dict[str, Any]
) -> None:
    cases = {(c.name, c.fmt): c for c in corpus.build((50,))}
    procs: dict[str, list[str]] = {"bare": ["-c", "pass"], "import": ["-c", STARTUP, "import"]}
    for fmt in FMTS:
        if f"first-decode.fmt{fmt}" in figs:
            case = cases[(_startup_case(fmt), fmt)]
            path = tmp / f"startup.fmt{fmt}"
            path.write_bytes(case.body)
            k = case.key
            flags = [str(k.operation), str(int(k.all)), str(int(k.operators))]
            procs[f"decode{fmt}"] = ["-c", STARTUP, "decode", str(path), str(fmt), *flags]
    wall: dict[str, list[float]] = {name: [] for name in procs}
    inside: dict[str, list[list[float]]] = {name: [] for name in procs}
    lark = False
    names = list(procs)
    for round_ in range(settings.startup_runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed, out = _python(*procs[name])
            wall[name].append(elapsed)
            if name != "bare":
                *numbers, lark_text = out.split()
                inside[name].append([float(n) for n in numbers])
                lark = lark or lark_text == "True"
    _progress(f"startup: {settings.startup_runs} rounds of {len(names)} processes")
    imports = [row[0] for row in inside["import"]]
    for fmt in FMTS:
        fig = figs.get(f"first-decode.fmt{fmt}")
        if fig is None:
            continue
        totals = [row[1] for row in inside[f"decode{fmt}"]]
        fig.measured = (statistics.median(totals) - statistics.median(imports)) * 1e3
        fig.paired = paired(totals, imports, _minus) * 1e3
        fig.library = statistics.median(totals) * 1e3
        fig.floor = statistics.median(imports) * 1e3
        fig.scale = "ms"
        same = statistics.median(row[1] - row[0] for row in inside[f"decode{fmt}"]) * 1e3
        second = statistics.median(row[2] for row in inside[f"decode{fmt}"]) * 1e3
        fig.note = f"in the same process: first {same:.1f} ms, second {second:.2f} ms"
    if "import.ms" in figs:
        fig = figs["import.ms"]
        fig.measured = (statistics.median(wall["import"]) - statistics.median(wall["bare"])) * 1e3
        fig.paired = paired(wall["import"], wall["bare"], _minus) * 1e3
        fig.library = statistics.median(wall["import"]) * 1e3
        fig.floor = statistics.median(wall["bare"]) * 1e3
        fig.scale = "ms"
        fig.note = f"in-process import {statistics.median(imports) * 1e3:.1f} ms (median)"
    if "import.lark" in figs:
        figs["import.lark"].measured = float(lark)
    details.update(
        runs=settings.startup_runs,
        wall={name: _summary(v) for name, v in wall.items()},
        in_process={name: [[x * 1e3 for x in row] for row in rows]
                    for name, rows in inside.items() if rows},
        lark_after_import=lark,
    )  # fmt: skip


# --- reporting ----------------------------------------------------------------------------------


def _progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "µs":
        return f"{value:+.2f} µs"
    if unit == "ms":
        return f"{value:.1f} ms"
    return "yes" if value else "no"


def _limit(fig: Figure) -> str:
    if fig.unit == "flag":
        return "no"
    return f"≤ {fig.limit:g}{'×' if fig.unit == '×' else ' ' + fig.unit}"


def _side(value: float | None, scale: str) -> str:
    if value is None:
        return "-"
    if scale == "µs":
        return f"{value:,.1f} µs" if value >= 10 else f"{value:.2f} µs"
    if scale == "s":
        return f"{value:.3f} s"
    if scale == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:.1f} {scale}"


def verdict(passed: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "n/a"}[passed]


def _table(rows: Sequence[Sequence[str]], header: Sequence[str], right: set[int]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def fmt_row(row: Sequence[str]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    lines = [fmt_row(header), "  ".join("-" * w for w in widths)]
    lines.extend(fmt_row(r) for r in rows)
    return "\n".join(lines)


def format_figures(figures: Sequence[Figure]) -> str:
    header = ["#", "figure", "measured", "paired", "target", "", "library", "floor", "what / note"]
    rows = []
    for f in figures:
        note = f.problem or f.note
        rows.append([
            str(f.row) if f.row else "-", f.id, _value(f.measured, f.unit),
            _value(f.paired, f.unit) if f.unit != "flag" else "", _limit(f), verdict(f.passed),
            _side(f.library, f.scale), _side(f.floor, f.scale),
            f.what + (f" [{note}]" if note else ""),
        ])  # fmt: skip
    return _table(rows, header, right={0, 2, 3, 6, 7})


def compare(old: dict[str, Any], new: dict[str, Any]) -> str:
    """The change per figure between two result files."""
    if old.get("schema") != SCHEMA:
        return f"(the old file is {old.get('schema')!r}, not {SCHEMA!r}: no figures to compare)"
    before = {f["id"]: f for f in old["figures"]}
    rows = []
    for f in new["figures"]:
        o = before.get(f["id"])
        if o is None or f["measured"] is None or o["measured"] is None:
            continue
        if f["unit"] == "×":
            change = f"{f['measured'] / o['measured']:.2f}"
        else:
            change = f"{f['measured'] - o['measured']:+.2f}"
        rows.append([
            f["id"], _value(o["measured"], f["unit"]), verdict(o["passed"]),
            _value(f["measured"], f["unit"]), verdict(f["passed"]), change,
            "≤ " + f"{f['limit']:g}",
        ])  # fmt: skip
    if not rows:
        return "(no figure in common)"
    header = ["figure", "old", "", "new", "", "new÷old (× ) or new−old", "target"]
    return _table(rows, header, right={1, 3, 5})


# --- profile ------------------------------------------------------------------------------------


_WRAPPERS: Final = ("<bench>", "<frozen runpy>", "<string>", str(BENCH))
_WRAPPER_BUILTINS: Final = ("<built-in method builtins.eval>", "<built-in method builtins.exec>")


def _pstats(profiler: cProfile.Profile, top: int) -> str:
    """The ``top`` functions by cumulative time, without the bench's own calling frames."""
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    table: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    for where in list(table):
        filename, _, function = where
        if filename.startswith(_WRAPPERS) or function in _WRAPPER_BUILTINS:
            del table[where]
    stats.sort_stats("cumulative").print_stats(top)
    return stream.getvalue()


def _profile_calls(calls: Sequence[tuple[str, Callable[[], object]]], top: int) -> str:
    """cProfile of each call repeated for about half a second (a tenth of a second each when
    there are several), all in one profile."""
    profiler = cProfile.Profile()
    seconds = 0.5 if len(calls) == 1 else 0.1
    for _, call in calls:
        call()
        t0 = time.perf_counter()
        call()
        n = max(1, min(10_000, int(seconds / max(time.perf_counter() - t0, 1e-7))))
        profiler.enable()
        for _ in range(n):
            call()
        profiler.disable()
    names = ", ".join(name for name, _ in calls) if len(calls) <= 3 else f"{len(calls)} calls"
    return f"cProfile of {names}, top {top} by cumulative time\n{_pstats(profiler, top)}"


def _profile_memory(call: Callable[[], object], top: int) -> str:
    tracemalloc.start(25)
    result = call()
    current, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    del result
    lines = [f"tracemalloc: peak {peak / MIB:.1f} MiB, held after the call {current / MIB:.1f} MiB;"
             f" top {top} held allocations by line:"]  # fmt: skip
    lines += [f"  {stat}" for stat in snapshot.statistics("lineno")[:top]]
    return "\n".join(lines)


def _lib_call(p: Pair, case: Case) -> tuple[str, Callable[[], object]]:
    stmt, g = timer_stmts(case, {p.lib})[p.lib]
    code = compile(stmt, "<bench>", "eval")
    return f"{p.lib} {p.case} fmt {p.fmt}", lambda: eval(code, g)


def profile(fid: str, settings: Settings, top: int) -> str:
    """Where the library's side of one figure spends its time (or, for memory, its bytes)."""
    plan = micro_plan()
    if fid in plan:
        cases = {(c.name, c.fmt): c for c in corpus.build((50,))}
        pairs = plan[fid][0]
        return _profile_calls([_lib_call(p, cases[(p.case, p.fmt)]) for p in pairs], top)
    if fid in ("big.sniff", "big.sniff-rss"):
        case = corpus.big_list(0, settings.big_size)
        body = corpus.cut_short(case.body)
        if fid == "big.sniff-rss":
            return _profile_memory(lambda: sw.sniff(body), top)
        profiler = cProfile.Profile()
        sw.sniff(body[:4096])
        profiler.runcall(sw.sniff, body)
        return f"cProfile of one sniff of {len(body):,} bytes cut short\n{_pstats(profiler, top)}"
    if fid.startswith("rss.fmt"):
        case = corpus.big_list(int(fid[-1]), settings.big_size)
        return _profile_memory(lambda: sw.decode(case.body, case.key), top)
    if fid in VALIDATE_FLOORS:
        with tempfile.TemporaryDirectory(prefix="smsc-bench-") as tmp:
            commands, _ = validate_commands(Path(tmp), settings)
            argv = commands[fid].argv[2:]  # after -m smsc_wire
            profiler = cProfile.Profile()
            with _quiet_stdout(), _argv(["smsc_wire", *argv]):
                profiler.enable()
                with contextlib.suppress(SystemExit):
                    runpy.run_module("smsc_wire", run_name="__main__")
                profiler.disable()
        return f"cProfile of smsc-wire {' '.join(argv)} in-process\n{_pstats(profiler, top)}"
    if fid.startswith("first-decode.fmt") or fid == "import.ms":
        return _profile_startup(fid, top)
    raise SystemExit(f"--profile: no figure {fid!r} to profile")


def _profile_startup(fid: str, top: int) -> str:
    """cProfile, in a fresh process, of the import or of the first decode after it."""
    show = f"pstats.Stats(p).sort_stats('cumulative').print_stats({top})"
    if fid == "import.ms":
        code = (
            "import cProfile, pstats\np = cProfile.Profile()\n"
            f"p.runcall(__import__, 'smsc_wire')\n{show}"
        )
    else:
        fmt = int(fid[-1])
        case = {(c.name, c.fmt): c for c in corpus.build((50,))}[(_startup_case(fmt), fmt)]
        code = (
            "import cProfile, pstats, smsc_wire\n"
            f"body, key = {case.body!r}, smsc_wire.Key({fmt}, {str(case.key.operation)!r}, "
            f"all={case.key.all}, operators={case.key.operators})\n"
            f"p = cProfile.Profile()\np.runcall(smsc_wire.decode, body, key)\n{show}"
        )
    _, out = _python("-c", code)
    return f"cProfile in a fresh process ({fid}), top {top} by cumulative time\n{out}"


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    with open(os.devnull, "w", encoding="utf-8") as null, contextlib.redirect_stdout(null):
        yield


@contextlib.contextmanager
def _argv(argv: list[str]) -> Iterator[None]:
    saved = sys.argv
    sys.argv = argv
    try:
        yield
    finally:
        sys.argv = saved


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
        description="Measure every figure of the performance issue against its target.",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run of seconds (small corpora, 1 MiB bodies, few repeats)",
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
        help="print the change per figure against an earlier results file",
    )
    p.add_argument(
        "--check-targets",
        action="store_true",
        help="exit 1 if a target is missed (default: always exit 0)",
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="PREFIX",
        help="only figures whose id starts with PREFIX (repeatable, or comma-separated),"
        " e.g. decode.fmt3 or validate",
    )
    p.add_argument("--list", action="store_true", help="list the figures and exit")
    p.add_argument("--repeats", type=int, help="repeats per micro timer (default 9, quick 3)")
    p.add_argument(
        "--min-time",
        type=float,
        metavar="SECONDS",
        help="the least time one micro repeat lasts (default 0.05, quick 0.002)",
    )
    p.add_argument("--runs", type=int, help="rounds of the validate processes (default 5, quick 1)")
    p.add_argument(
        "--startup-runs",
        type=int,
        help="rounds of the import and first-decode processes (default 21, quick 2)",
    )
    p.add_argument(
        "--gc",
        action="store_true",
        help="keep the garbage collector on while timing (timeit turns it off)",
    )
    p.add_argument("--label", help="a note kept in the JSON and the header, e.g. 'before #12'")
    p.add_argument(
        "--profile",
        metavar="FIGURE",
        help="print where the library's side of FIGURE spends its time (cProfile) or "
        "memory (tracemalloc), and exit",
    )
    p.add_argument(
        "--profile-top", type=int, default=10, metavar="N", help="rows of the profile (default 10)"
    )
    return p.parse_args(argv)  # fmt: skip


GROUPS: Final[dict[str, Callable[[dict[str, Figure], Settings, Path, dict[str, Any]], None]]] = {
    "micro": lambda figs, settings, tmp, details: run_micro(figs, settings, details),
    "big": run_big,
    "rss": run_rss,
    "validate": run_validate,
    "startup": run_startup,
}


def select(figures: list[Figure], only: Sequence[str] | None) -> list[Figure]:
    if not only:
        return figures
    prefixes = [p for item in only for p in item.split(",") if p]
    chosen = [f for f in figures if any(f.id.startswith(p) for p in prefixes)]
    if not chosen:
        raise SystemExit(f"--only: no figure starts with {', '.join(prefixes)} (see --list)")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = settings_of(args)
    figures = all_figures()
    if args.list:
        for f in figures:
            print(f"{f.id:<22} {_limit(f):<10} {f.what}")
        return 0
    if args.profile:
        print(profile(args.profile, settings, args.profile_top))
        return 0
    chosen = select(figures, args.only)
    # Processes started below time what a user's install does: an installed package has its
    # bytecode compiled (pip compiles it), while a checkout under PYTHONDONTWRITEBYTECODE would
    # recompile every module in every process and time the compiler.
    compileall.compile_dir(str(ROOT / "smsc_wire"), quiet=1)
    started = time.perf_counter()
    details: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="smsc-bench-") as tmp:
        for group, run in GROUPS.items():
            figs = {f.id: f for f in chosen if f.group == group}
            if not figs:
                continue
            t0 = time.perf_counter()
            details[group] = {}
            try:
                run(figs, settings, Path(tmp), details[group])
            except (RuntimeError, subprocess.CalledProcessError, AssertionError) as exc:
                for f in figs.values():
                    if f.measured is None:
                        f.problem = f"{group} failed: {exc}"
                _progress(f"{group} failed: {exc}")
            seconds[group] = round(time.perf_counter() - t0, 1)
            _progress(f"{group}: {seconds[group]} s")
    for f in figures:
        f.settle()

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
            "quick": args.quick,
            "settings": asdict(settings),
            "seconds": round(time.perf_counter() - started, 1),
            "group_seconds": seconds,
        },
        "figures": [asdict(f) for f in chosen],
        "details": details,
    }
    print(
        f"smsc_wire {sw.__version__} · Python {platform.python_version()} · {os.cpu_count()} CPUs"
        f" · {args.label or document['meta']['commit']} · {document['meta']['seconds']} s · "
        f"micro: best of {settings.repeats} × ≥ {settings.min_time * 1e3:g} ms, gc "
        f"{'on' if settings.gc else 'off'}; processes: best of {settings.runs} (validate), "
        f"medians of {settings.startup_runs} (startup)"
    )
    print(
        "measured: best ÷ best (ratios) or best − best (µs), medians for startup; paired: the "
        "median over rounds of the same value; library, floor: the two sides"
    )
    print(format_figures(chosen))
    failed = [f for f in chosen if f.passed is False]
    print(
        f"\n{sum(f.passed is True for f in chosen)} PASS, {len(failed)} FAIL"
        + (f": {', '.join(f.id for f in failed)}" if failed else "")
    )
    if not args.no_json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    if args.compare:
        print(f"\ncompared with {args.compare}")
        print(compare(json.loads(args.compare.read_text(encoding="utf-8")), document))
    if args.check_targets and failed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
