"""JSONTestSuite (Nicolas Seriot, MIT) as an external check of the fmt 3 decoder (SPEC D6, D9, D11).

Strategy: the suite's parsing corpus is read where the shared data lives, next to the repository
(``../shared/data/JSONTestSuite``), never copied into it. Every file is decoded under every fmt 3
key, as bytes and, where it is UTF-8, as str. An ``n_`` file (JSON that every parser must refuse)
must end in WireFormatError; a ``y_`` file (JSON every parser must accept) or an ``i_`` file
(implementation-defined) ends either in WireFormatError or, where it happens to have the shape
of a reply (``[]`` is an empty sender list), in that reply. No other exception may escape.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from pathlib import Path
from typing import Final

import pytest

import smsc_wire as sw

SUITE: Final = Path(__file__).resolve().parents[2] / "shared" / "data" / "JSONTestSuite"
PARSING: Final = SUITE / "test_parsing"
FMT3_KEYS: Final = [key for key in sw.registry if key.fmt == 3]


def _files() -> list[Path]:
    return sorted(PARSING.glob("*.json")) if PARSING.is_dir() else []


def _params() -> list[object]:
    files = _files()
    if not files:
        reason = f"JSONTestSuite not found at {PARSING} (CI provides it; see ../shared/data)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="absent")]
    return [pytest.param(path, id=path.name) for path in files]


def _outcomes(raw: bytes) -> list[sw.Reply | sw.WireFormatError]:
    """The reply or WireFormatError of ``raw`` under every fmt 3 key, as bytes and as str."""
    inputs: list[bytes | str] = [raw]
    with contextlib.suppress(UnicodeDecodeError):
        inputs.append(raw.decode("utf-8"))
    outcomes: list[sw.Reply | sw.WireFormatError] = []
    for key in FMT3_KEYS:
        for body in inputs:
            try:
                outcomes.append(sw.decode(body, key))
            except sw.WireFormatError as exc:
                assert exc.key == key
                assert exc.reason
                if exc.offset is not None:
                    assert 0 <= exc.offset <= len(body)
                outcomes.append(exc)
    return outcomes


@pytest.mark.parametrize("path", _params())
def test_file(path: Path) -> None:
    outcomes = _outcomes(path.read_bytes())
    replies = [outcome for outcome in outcomes if not isinstance(outcome, sw.WireFormatError)]
    if path.name.startswith("n_"):
        assert replies == [], f"{path.name} must be refused under every key"
    else:
        assert path.name.startswith(("y_", "i_"))
        for reply in replies:
            # The only reply shapes a JSONTestSuite file can take: an empty list, or an error
            # reply / OK object if the suite ever held one. Whatever it is, it re-encodes.
            assert isinstance(reply, (sw.SenderList, sw.ErrorReply, sw.Ok, sw.SenderAdded))


def test_counts() -> None:
    files = _files()
    if not files:
        pytest.skip(f"JSONTestSuite not found at {PARSING}")
    counts: Counter[str] = Counter()
    valid: Counter[str] = Counter()
    for path in files:
        kind = path.name[:2]
        counts[kind] += 1
        raw = path.read_bytes()
        if any(not isinstance(o, sw.WireFormatError) for o in _outcomes(raw)):
            valid[kind] += 1
    assert counts == {"n_": 188, "y_": 95, "i_": 35}
    assert valid["n_"] == 0
    # The y_/i_ files that are a reply under some fmt 3 key: the empty arrays, with or
    # without surrounding whitespace. Any other is worth a look.
    assert sorted(p.name for p in files if p.name[:2] != "n_" and _is_reply(p)) == [
        "y_array_empty.json",
        "y_structure_whitespace_array.json",
    ]


def _is_reply(path: Path) -> bool:
    return any(not isinstance(o, sw.WireFormatError) for o in _outcomes(path.read_bytes()))
