"""Golden files: the exact bytes of a rich reply under every key (tests/golden/*.txt).

The files hold what the server sends for the models below; a change in any byte the encoder
writes fails here. After a deliberate change of the canonical form (and of SPEC.md), rewrite
them with ``python tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import smsc_wire as sw

GOLDEN = Path(__file__).parent / "golden"
_OPERATORS: dict[str, sw.OperatorValue] = {
    "tele2": sw.OperatorStatus.APPROVED, "new_operator": 77, "mega_step": 0,
    "replacement": "SMSC-KZ", "by_int": 255, "mega_int": 9,
}  # fmt: skip


def _slug(key: sw.Key) -> str:
    if key.operation is sw.Operation.GET:
        return f"fmt{key.fmt}-get-all{int(key.all)}-operators{int(key.operators)}"
    return f"fmt{key.fmt}-{key.operation}"


def model(key: sw.Key) -> sw.Reply:
    if key.operation is sw.Operation.ADD:
        return sw.SenderAdded(9223372036854775807)
    if key.operation is not sw.Operation.GET:
        return sw.Ok()
    names = ["Shop, Inc", "Магазин «Ёлка»", " a = b ", 'A&B <"Co">', "0,-5", "12,3"]
    return sw.SenderList(
        sw.Sender(
            name,
            4000 + i,
            (i % 3 if i < 3 else 7 + i) if key.all else None,
            sw.Operators(list(_OPERATORS.items())[i:]) if key.operators else None,
        )
        for i, name in enumerate(names)
    )


def error(key: sw.Key) -> sw.ErrorReply:
    return sw.ErrorReply(sw.ErrorCode.TOO_MANY_REQUESTS,
                         None if key.fmt == 1 else 'duplicate "request", wait (a) minute')  # fmt: skip


CASES = [(key, kind) for key in sw.registry for kind in ("reply", "error")]


def _path(key: sw.Key, kind: str) -> Path:
    return GOLDEN / f"{_slug(key)}.{kind}.txt"


@pytest.mark.parametrize(("key", "kind"), CASES, ids=[f"{_slug(k)}.{kind}" for k, kind in CASES])
def test_golden(key: sw.Key, kind: str) -> None:
    reply = model(key) if kind == "reply" else error(key)
    raw = _path(key, kind).read_bytes()
    assert sw.encode(reply, key).encode("utf-8") == raw
    assert sw.decode(raw, key) == reply


def test_no_stray_golden_files() -> None:
    assert {p.name for p in GOLDEN.glob("*.txt")} == {_path(k, kind).name for k, kind in CASES}


if __name__ == "__main__":
    for key, kind in CASES:
        reply = model(key) if kind == "reply" else error(key)
        _path(key, kind).write_bytes(sw.encode(reply, key).encode("utf-8"))
    sys.stdout.write(f"wrote {len(CASES)} files to {GOLDEN}\n")
