"""``smsc-wire fixtures``: a deterministic corpus covering every key."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import smsc_wire as sw
from smsc_wire._tools.cli import main
from smsc_wire._tools.fixtures import DESCRIPTIONS, corpus


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def seed7(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixtures") / "seed7"
    assert main(["fixtures", str(out), "--seed", "7", "--count", "3"]) == 0
    return out


def manifest(root: Path) -> list[dict[str, object]]:
    lines = (root / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_same_seed_gives_a_byte_identical_tree(seed7: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["fixtures", str(again), "--seed", "7", "--count", "3"]) == 0
    assert tree(again) == tree(seed7)


def test_another_seed_gives_other_replies(seed7: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert main(["fixtures", str(other), "--seed", "8", "--count", "3"]) == 0
    first, second = tree(seed7), tree(other)
    assert first.keys() == second.keys()  # the same layout...
    changed = [name for name in first if first[name] != second[name]]
    assert len(changed) > 50  # ...with other ids and other random replies


def test_manifest_lists_every_file_with_its_key_and_hash(seed7: Path) -> None:
    entries = manifest(seed7)
    files = {p for p in tree(seed7) if p != "manifest.jsonl"}
    assert {e["file"] for e in entries} == files
    for entry in entries:
        data = (seed7 / str(entry["file"])).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert set(entry) >= {"file", "key", "sha256"}


def test_every_registry_key_has_success_and_error_fixtures(seed7: Path) -> None:
    entries = manifest(seed7)
    seen: dict[sw.Key, set[object]] = {}
    for entry in entries:
        key_fields = entry["key"]
        assert isinstance(key_fields, dict)
        seen.setdefault(sw.Key(**key_fields), set()).add(entry["reply"])
    assert set(seen) == set(sw.registry)
    assert all(kinds == {"success", "error"} for kinds in seen.values())


def test_every_file_is_canonical_under_its_key(seed7: Path) -> None:
    for entry in manifest(seed7):
        key_fields = entry["key"]
        assert isinstance(key_fields, dict)
        key = sw.Key(**key_fields)
        data = (seed7 / str(entry["file"])).read_bytes()
        assert sw.encode(sw.decode(data, key), key).encode("utf-8") == data


def test_edge_cases_are_in_the_corpus() -> None:
    fixtures = list(corpus(seed=0, count=0))
    replies = [f.reply for f in fixtures]
    names = {s.name for r in replies if isinstance(r, sw.SenderList) for s in r}
    assert {"Shop, Inc", "a = b", 'Магазин "Ёлка"', "Ёлка, ООО"} <= names
    assert sw.SenderList() in replies
    statuses = {s.status for r in replies if isinstance(r, sw.SenderList) for s in r}
    assert set(sw.SenderStatus) <= statuses
    operator_values = {
        v
        for r in replies
        if isinstance(r, sw.SenderList)
        for s in r
        if s.operators
        for v in s.operators.values()
    }
    assert set(sw.OperatorStatus) <= operator_values
    assert "SMSC-ALT" in operator_values  # a raw replacement value (SPEC D4)
    unknown_fields = {
        f
        for r in replies
        if isinstance(r, sw.SenderList)
        for s in r
        if s.operators
        for f in s.operators
        if f not in sw.OPERATOR_FIELDS
    }
    assert unknown_fields
    errors = {(int(r.code), r.description) for r in replies if isinstance(r, sw.ErrorReply)}
    for code in sw.ErrorCode:
        assert (int(code), DESCRIPTIONS[code]) in errors
        assert (int(code), None) in errors  # fmt 1
    assert (3, "record not found") in errors
    assert (8, "can't to deliver") in errors
    assert any(code not in set(sw.ErrorCode) for code, _ in errors)


def test_count_adds_random_replies_per_key() -> None:
    base = len(list(corpus(seed=0, count=0)))
    assert len(list(corpus(seed=0, count=2))) == base + 2 * len(sw.registry)


def test_outdir_must_be_new_or_empty(seed7: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fixtures", str(seed7)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"smsc-wire fixtures: error: {str(seed7)!r} exists and is not an empty directory; "
        "fixtures writes into a new or empty one\n"
    )


def test_negative_count_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fixtures", str(tmp_path / "x"), "--count", "-1"]) == 2
    assert capsys.readouterr().err == "smsc-wire fixtures: error: --count must be 0 or more\n"
    assert not (tmp_path / "x").exists()
