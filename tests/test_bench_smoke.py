"""The benchmark (bench/run.py) still runs, measures every figure and writes what later runs compare.

Only the structure of its output is checked, never a timing: timings belong to a quiet machine
and a full run, not to a test suite that shares the CPU with everything else. Every figure of the
issue must be measured (a number, a PASS or FAIL), in the table and in the JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import smsc_wire as sw

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "bench" / "run.py"

# Every figure of issue 12's table (and the two kept from issue 5), by id.
FIGURES = {
    "sniff.median", "sniff.worst",
    "validate.sniff", "validate.key", "validate.manifest", "validate.har",
    "big.sniff", "big.sniff-rss",
    "encode.fmt3.ops", "encode.fmt3.all",
    "encode.fmt0.all", "encode.fmt0.ops", "encode.fmt1.all", "encode.fmt2.all", "encode.fmt2.ops",
    "decode.fmt3.ops", "decode.fmt3.ops-read",
    "decode.fmt1.all", "decode.fmt2.all", "decode.fmt3.all",
    "decode.fmt0.ops", "decode.fmt0.all",
    *(f"small.fmt{fmt}.{name}" for fmt in (0, 1, 3) for name in ("add", "ok", "error")),
    "small.fmt2.error",
    *(f"first-decode.fmt{fmt}" for fmt in (0, 1, 2, 3)),
    *(f"rss.fmt{fmt}" for fmt in (0, 1, 2, 3)),
    "import.ms", "import.lark",
}  # fmt: skip
FIGURE_KEYS = {
    "id", "row", "what", "unit", "limit", "group", "measured", "paired", "library", "floor",
    "scale", "note", "problem", "passed",
}  # fmt: skip


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any], Path]:
    path = tmp_path_factory.mktemp("bench") / "quick.local.json"
    # One repeat of ~0.5 ms per timer, one round of each process: seconds, and every code path.
    done = _run(
        "--quick", "--repeats", "1", "--min-time", "0.0005", "--label", "smoke", "--json", str(path)
    )
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return done.stdout, document, path


def test_every_figure_is_measured_with_a_verdict(quick: tuple[str, dict[str, Any], Path]) -> None:
    _, document, _ = quick
    assert document["schema"] == "smsc_wire-bench/2"
    assert document["meta"]["label"] == "smoke"
    figures = {f["id"]: f for f in document["figures"]}
    assert set(figures) == FIGURES
    for figure in figures.values():
        assert set(figure) == FIGURE_KEYS
        assert figure["problem"] is None, (figure["id"], figure["problem"])
        assert isinstance(figure["measured"], float), figure["id"]
        assert isinstance(figure["passed"], bool), figure["id"]
        assert figure["passed"] == (figure["measured"] <= figure["limit"]), figure["id"]


def test_the_table_shows_every_figure(quick: tuple[str, dict[str, Any], Path]) -> None:
    stdout, document, _ = quick
    lines = stdout.splitlines()
    for figure in document["figures"]:
        row = next(line for line in lines if f" {figure['id']} " in line)
        assert ("PASS" if figure["passed"] else "FAIL") in row.split(), row
    passed = sum(f["passed"] for f in document["figures"])
    assert f"{passed} PASS, {len(document['figures']) - passed} FAIL" in stdout


def test_details_are_kept(quick: tuple[str, dict[str, Any], Path]) -> None:
    _, document, _ = quick
    details = document["details"]
    assert set(details) == {"micro", "big", "rss", "validate", "startup"}
    timings = details["micro"]["cases"]["get-ops-50:3"]["timings"]
    assert {"decode", "floor", "encode", "encode_floor", "decode_read", "floor_read"} <= set(
        timings
    )
    for timing in timings.values():
        assert len(timing["samples_us"]) == timing["repeats"] >= 1
    assert set(details["validate"]["commands"]) == {
        "read:bodies", "read:fixtures", "read:key",
        "validate.sniff", "validate.key", "validate.manifest", "validate.har",
    }  # fmt: skip


def test_compare_and_check_targets(quick: tuple[str, dict[str, Any], Path]) -> None:
    _, _, previous = quick
    done = _run(
        "--quick", "--repeats", "1", "--min-time", "0.0005", "--only", "decode.fmt3",
        "--no-json", "--compare", str(previous), "--check-targets",
    )  # fmt: skip
    # Exit 1 when a target is missed, 0 when none is: never a crash.
    assert done.returncode in (0, 1), done.stderr
    after = done.stdout.split("compared with")[1]
    assert "new÷old" in after
    assert "decode.fmt3.ops" in after
    assert "decode.fmt0" not in done.stdout


def test_list_and_an_unknown_figure() -> None:
    listed = _run("--list")
    assert listed.returncode == 0
    assert {line.split()[0] for line in listed.stdout.splitlines()} == FIGURES
    unknown = _run("--only", "no-such-figure")
    assert unknown.returncode != 0
    assert "--only" in unknown.stderr


# --- bench/bounds.py: how low the missed figures could go ---------------------------------------

BOUNDS = ROOT / "bench" / "bounds.py"
BOUND_FIGURES = {
    "encode.fmt3.all", "decode.fmt3.ops", "decode.fmt3.ops-read", "decode.fmt3.all",
    "small.fmt3.add", "small.fmt3.error",
}  # fmt: skip


def _bounds_module() -> Any:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bounds
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return bounds


# The lean readers stand for the least a reader must do: they must read what decode reads, and
# decline (None) every body whose reading takes more than their steps, or the bound would be low
# for doing less than the job.
LEAN_READS = [
    ("lean_added", b'{\n"sender": 1234567\n}', sw.Key(fmt=3, operation="add")),
    ("lean_added", b'{"sender":0}', sw.Key(fmt=3, operation="add")),
    ("lean_added", b'{"sender": 9223372036854775807}', sw.Key(fmt=3, operation="add")),
    (
        "lean_error",
        b'{\n"error": "record not found",\n"error_code": 3\n}',
        sw.Key(fmt=3, operation="get"),
    ),
    (
        "lean_error",
        b'{"error": "\\u00e9t\\u00e9", "error_code": 0}',
        sw.Key(fmt=3, operation="del"),
    ),
    ("lean_error", b'{"error": "", "error_code": 999}', sw.Key(fmt=3, operation="add")),
]
LEAN_DECLINES = [
    ("lean_added", b'{"sender": 1, "sender": 2}'),  # SPEC D6: a duplicate orjson drops
    ("lean_added", b'{"sender": -0}'),  # SPEC D9: orjson reads it as 0
    ("lean_added", b'{"sender": 1.0}'),
    ("lean_added", b'{"sender": true}'),
    ("lean_added", b'{"sender": 9223372036854775808}'),
    ("lean_added", b'{"sender": 1, "id": 2}'),
    ("lean_added", b'{"id": 2}'),
    ("lean_added", b"[1]"),
    ("lean_added", b'"sender"'),
    ("lean_added", b"7"),
    ("lean_error", b'{"error": "x", "error": "y", "error_code": 3}'),
    ("lean_error", b'{"error": "x", "error_code": -0}'),
    ("lean_error", b'{"error": "x", "error_code": "3"}'),
    ("lean_error", b'{"error": 3, "error_code": 3}'),
    ("lean_error", b'{"error": "x", "code": 3}'),
    ("lean_error", b'["error", "error_code"]'),
]


# The template readers read the service's layout alone (SPEC D5): its bodies as decode reads them;
# any other layout, and anything a parser would have to refuse or unescape, declined.
TEMPLATE_READS = [
    ("template_added", b'{\n"sender": 1234567\n}', sw.Key(fmt=3, operation="add")),
    ("template_added", b'{\n"sender": 0\n}', sw.Key(fmt=3, operation="add")),
    ("template_added", b'{\n"sender": 9223372036854775807\n}', sw.Key(fmt=3, operation="add")),
    (
        "template_error",
        b'{\n"error": "record not found",\n"error_code": 3\n}',
        sw.Key(fmt=3, operation="get"),
    ),
    (
        "template_error",
        '{\n"error": "Ошибка",\n"error_code": 999\n}'.encode(),
        sw.Key(fmt=3, operation="del"),
    ),
    ("template_error", b'{\n"error": "",\n"error_code": 0\n}', sw.Key(fmt=3, operation="add")),
]
TEMPLATE_DECLINES = [
    ("template_added", b'{"sender": 1}'),  # another layout: a parser's job
    ("template_added", b'{\n"sender": 007\n}'),  # no JSON number
    ("template_added", b'{\n"sender": -1\n}'),
    ("template_added", b'{\n"sender": 9223372036854775808\n}'),
    ("template_added", b'{\n"sender": 1.0\n}'),
    ("template_added", b'{\n"sender": \n}'),
    ("template_added", b'{\n"sender": 1 \n}'),
    ("template_added", b'{\n"sender": "1"\n}'),
    ("template_error", b'{"error": "x", "error_code": 3}'),
    ("template_error", b'{\n"error": "a\\"b",\n"error_code": 3\n}'),  # an escape to undo
    ("template_error", b'{\n"error": "a\\\\b",\n"error_code": 3\n}'),
    ("template_error", b'{\n"error": "a\x01b",\n"error_code": 3\n}'),  # JSON refuses it raw
    ("template_error", b'{\n"error": "\xff",\n"error_code": 3\n}'),  # no UTF-8
    ("template_error", b'{\n"error": "x",\n"error_code": 03\n}'),
    ("template_error", b'{\n"error": "x",\n"error_code": 9223372036854775808\n}'),
    ("template_error", b'{\n"error": "x",\n"error_code": 1",\n"error_code": 3\n}'),
    ("template_error", b'{\n"error": "x",\n"error_code": \n}'),
]


@pytest.mark.parametrize(("reader", "body", "key"), LEAN_READS + TEMPLATE_READS)
def test_the_small_readers_read_what_decode_reads(reader: str, body: bytes, key: sw.Key) -> None:
    read = getattr(_bounds_module(), reader)(body)
    assert read is not None
    assert read == sw.decode(body, key)
    assert type(read) is type(sw.decode(body, key))


@pytest.mark.parametrize(("reader", "body"), LEAN_DECLINES + TEMPLATE_DECLINES)
def test_the_small_readers_decline_what_needs_more(reader: str, body: bytes) -> None:
    assert getattr(_bounds_module(), reader)(body) is None


def test_bounds_run_and_judge_each_figure(tmp_path: Path) -> None:
    path = tmp_path / "bounds.json"
    done = subprocess.run(
        [sys.executable, str(BOUNDS), "--repeats", "1", "--min-time", "0.0005", "--json", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["schema"] == "smsc_wire-bounds/1"
    results = {r["figure"]: r for r in document["bounds"]}
    assert set(results) == BOUND_FIGURES
    assert BOUND_FIGURES <= FIGURES
    for figure, r in results.items():
        assert r["steps_us"], figure
        assert all(us > 0 for us in r["steps_us"].values()), figure
        assert set(r["why"]) == set(r["steps_us"]), figure
        for name, times in r["ways_us"].items():
            assert r["steps_us"][name] == min(times), figure
        total = sum(r["steps_us"].values())
        expected = total / r["floor_us"] if r["unit"] == "×" else total - r["floor_us"]
        assert r["bound"] == pytest.approx(expected), figure
        assert r["out_of_reach"] == (r["bound"] > r["limit"]), figure
        row = next(line for line in done.stdout.splitlines() if f"`{figure}` |" in line)
        assert ("out of reach" if r["out_of_reach"] else "not ruled out") in row, row
