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
