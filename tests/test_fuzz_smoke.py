"""A bounded run of each fuzz harness, so that a regression of the fuzz invariants shows in CI.

Strategy: each harness runs as its own process, as a user would run it (fuzz/README.md), over
its committed seed corpus and every regression input found so far, then for a fixed number of
mutated inputs with a fixed seed. libFuzzer exits 0 only if no input crashed, raised an
unexpected exception, or hit the per-input timeout. New inputs go to a scratch directory, so
the committed corpus never changes; long runs stay manual. Regression inputs are also replayed
one by one (``fuzz/replay.py``: libFuzzer stops at the first failure), so that each open
finding shows as its own failing test. The rest checks the input layout of ``fuzz/_common.py``,
which every committed input depends on.
"""

from __future__ import annotations

import codecs
import encodings
import encodings.aliases
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

pytest.importorskip("atheris", reason="the fuzz smoke needs atheris (pip install '.[fuzz]')")

FUZZ: Final = Path(__file__).resolve().parents[1] / "fuzz"
sys.path.insert(0, str(FUZZ))

import _common  # noqa: E402

import smsc_wire as sw  # noqa: E402

# Executions per harness, the seed corpus included (about 1,900 decode and 350 round-trip
# seeds): some 15 s each on a 2-core machine.
RUNS: Final = {"decode": 4000, "roundtrip": 6000}
HARNESSES: Final = sorted(RUNS)


@pytest.mark.parametrize("harness", HARNESSES)
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


def _regressions() -> list[tuple[str, str]]:
    return [
        (harness, path.name)
        for harness in HARNESSES
        for path in sorted((FUZZ / "corpus" / "regressions" / harness).iterdir())
    ]


@pytest.fixture(scope="module")
def replayed() -> dict[str, dict[str, str | None]]:
    """Each harness's verdict on each of its regression inputs: None, or the failure."""
    verdicts: dict[str, dict[str, str | None]] = {}
    for harness in HARNESSES:
        directory = FUZZ / "corpus" / "regressions" / harness
        result = subprocess.run(
            [sys.executable, str(FUZZ / "replay.py"), harness, "--json", str(directory)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.stdout, result.stderr[-4000:]
        verdicts[harness] = {Path(p).name: v for p, v in json.loads(result.stdout).items()}
    return verdicts


def test_every_harness_keeps_regression_inputs() -> None:
    for harness in HARNESSES:
        assert any((FUZZ / "corpus" / "regressions" / harness).iterdir()), harness


@pytest.mark.parametrize(("harness", "name"), _regressions())
def test_regression_input_passes(
    harness: str, name: str, replayed: dict[str, dict[str, str | None]]
) -> None:
    assert name in replayed[harness]
    failure = replayed[harness][name]
    assert failure is None, failure


def test_charset_table_holds_every_text_codec() -> None:
    # SPEC D10 is about every codec Python ships; a new Python may add one, appended to the table.
    names = set(encodings.aliases.aliases.values())
    names.update(module.name for module in pkgutil.iter_modules(encodings.__path__))
    shipped = set()
    for name in names:
        try:
            info = codecs.lookup(name)
        except LookupError:
            continue
        if getattr(info, "_is_text_encoding", True):
            shipped.add(info.name)
    covered = {codecs.lookup(name).name for name in _common.CHARSETS if _lookup_ok(name)}
    assert shipped <= covered, sorted(shipped - covered)
    assert len(set(_common.CHARSETS)) == len(_common.CHARSETS)


def _lookup_ok(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def test_layout_values_never_move() -> None:
    # Committed inputs spell these indices: moving one silently changes what they test.
    assert _common.OPERATIONS == ("get", "add", "chg", "send_code", "check_code", "del")
    assert _common.CHARSETS[:3] == ("utf-8", "windows-1251", "koi8-r")
    header, body = _common.Header.split(bytes([3, 0, 0b0111, 2]) + b"[]")
    assert header.key == sw.Key(3, "get", all=True, operators=True)
    assert (header.limit, header.charset, body) == (_common.LIMIT_EXACT, "windows-1251", b"[]")
    assert _common.Header.split(b"\x02")[0] == _common.Header(2, 0, 0, 0)


_SEED_NAME: Final = re.compile(
    r"fmt(\d+)-(get|add|chg|send_code|check_code|del)(?:-all([01])-ops([01]))?-"
)


def test_seed_names_match_their_headers() -> None:
    # make_corpus names each seed after its key: a header that says otherwise is a layout bug.
    checked = 0
    for harness in HARNESSES:
        for path in (FUZZ / "corpus" / harness).iterdir():
            match = _SEED_NAME.match(path.name)
            if match is None:
                continue
            fmt, operation, all_, operators = match.groups()
            expected = sw.Key(int(fmt), operation, all_ == "1", operators == "1")
            header, _ = _common.Header.split(path.read_bytes())
            assert header.key == expected, path.name
            checked += 1
    assert checked > 1000
