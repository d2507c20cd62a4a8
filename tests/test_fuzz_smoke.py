"""A bounded run of each fuzz harness, so that a regression of the fuzz invariants shows in CI.

Strategy: each harness runs as its own process, as a user would run it (fuzz/README.md), over
its committed seed corpus and every regression input found so far, then for a fixed number of
mutated inputs with a fixed seed. libFuzzer exits 0 only if no input crashed, raised an
unexpected exception, or hit the per-input timeout. New inputs go to a scratch directory, so
the committed corpus never changes; long runs stay manual.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

pytest.importorskip("atheris", reason="the fuzz smoke needs atheris (pip install '.[fuzz]')")

FUZZ: Final = Path(__file__).resolve().parents[1] / "fuzz"

# Executions per harness, the seed corpus included: a few seconds each on a 2-core machine.
RUNS: Final = {"decode": 6000, "roundtrip": 12000}


@pytest.mark.parametrize("harness", sorted(RUNS))
def test_harness_runs_clean(harness: str, tmp_path: Path) -> None:
    scratch = tmp_path / "corpus"
    scratch.mkdir()
    command = [
        sys.executable,
        str(FUZZ / f"fuzz_{harness}.py"),
        f"-runs={RUNS[harness]}",
        "-seed=1",
        "-timeout=10",
        "-max_len=4096",
        f"-artifact_prefix={tmp_path}/",
        str(scratch),
        str(FUZZ / "corpus" / harness),
        str(FUZZ / "corpus" / "regressions" / harness),
    ]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert f"Done {RUNS[harness]} runs" in output, output[-2000:]
    assert not list(tmp_path.glob("crash-*")), output[-4000:]


@pytest.mark.parametrize("harness", sorted(RUNS))
def test_every_regression_input_passes(harness: str, tmp_path: Path) -> None:
    # Given files rather than directories, libFuzzer runs each once: the regression suite.
    inputs = sorted((FUZZ / "corpus" / "regressions" / harness).iterdir())
    assert inputs, "every harness keeps at least one regression input"
    command = [sys.executable, str(FUZZ / f"fuzz_{harness}.py"), *map(str, inputs)]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    for path in inputs:
        assert f"Running: {path}" in output
