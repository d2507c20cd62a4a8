"""The benchmark (bench/run.py) still runs and still writes what later runs compare against.

Only the structure of its output is checked, never a timing: timings belong to a quiet machine
and a full run, not to a test suite that shares the CPU with everything else.
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

CASE_KEYS = {
    "case", "fmt", "key", "senders", "bytes", "floor_name", "timings", "decode_mb_s", "floor_mb_s",
    "ratio", "ratio_median", "encode_ratio",
}  # fmt: skip
TIMING_KEYS = {"best_us", "median_us", "iqr_us", "spread", "number", "repeats", "samples_us"}


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
    # One repeat of ~1 ms per timer: seconds, not minutes, and still every code path.
    done = _run(
        "--quick", "--repeats", "1", "--min-time", "0.0005", "--label", "smoke", "--json", str(path)
    )
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return done.stdout, document, path


def test_every_fmt_and_shape_is_measured(quick: tuple[str, dict[str, Any], Path]) -> None:
    _, document, _ = quick
    assert document["schema"] == "smsc_wire-bench/1"
    assert document["meta"]["label"] == "smoke"
    cases = document["cases"]
    assert {c["fmt"] for c in cases} == {0, 1, 2, 3}
    names = {(c["case"], c["fmt"]) for c in cases}
    for fmt in (0, 1, 2, 3):
        for name in ("get-all-1", "get-all-50", "add", "ok", "error"):
            assert (name, fmt) in names
        # SPEC D1: fmt 1 has no operators=1 form.
        assert (("get-ops-50", fmt) in names) == (fmt != 1)
    for case in cases:
        assert set(case) == CASE_KEYS
        assert {"decode", "encode", "floor"} <= set(case["timings"])
        assert ("json_loads" in case["timings"]) == (case["fmt"] == 3)
        for timing in case["timings"].values():
            assert set(timing) == TIMING_KEYS
            assert len(timing["samples_us"]) == timing["repeats"] >= 1


def test_targets_imports_and_first_decodes(quick: tuple[str, dict[str, Any], Path]) -> None:
    stdout, document, _ = quick
    ratio_targets = [t for t in document["targets"] if "fmt" in t]
    assert sorted(t["fmt"] for t in ratio_targets) == [0, 1, 2, 3]
    assert all(isinstance(t["pass"], bool) for t in document["targets"])
    imports = document["imports"]
    assert {"bare", "import", "delta_best_ms", "delta_median_ms", "lark_in_sys_modules"} <= set(
        imports
    )
    assert set(document["first_decode"]) == {"0", "1", "2", "3"}
    for section in ("targets", "import cost", "get-ops-50", "dec÷floor"):
        assert section in stdout


def test_compare_reads_a_previous_run(quick: tuple[str, dict[str, Any], Path]) -> None:
    _, _, previous = quick
    done = _run(
        "--quick", "--repeats", "1", "--min-time", "0.0005", "--skip-import", "--fmt", "3",
        "--no-json", "--compare", str(previous),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "new÷old" in done.stdout
    assert "get-ops-50" in done.stdout.split("compared with")[1]
