"""The fmt 0 and fmt 1 fast paths agree with the grammars they shortcut (issue 5).

A fast path may decline any body (``None``), and the grammar then decides; but a body it accepts
must be one the grammar accepts, with the same model. Checked on canonical bodies, on mutations of
them, and on lines assembled from the fragments that make the formats ambiguous.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smsc_wire as sw
from smsc_wire import _fmt0_text, _fmt1_csv
from smsc_wire._errors import DecodeFailure
from smsc_wire.strategies import wire

TEXT_KEYS = [k for k in sw.registry if k.fmt in (0, 1)]

FRAGMENTS = [
    "name = ", ", id = ", ", status = ", ", mega_step = ", ", x = ", ", id", "name", "id = ",
    ",", ", ", " = ", "=", " ", "0", "1", "7", "255", "00", "-1", "1.5", "1e3", "+2", "١",
    "Shop", "Inc", "Ж", "\n", "\r\n", "\r", "\x00", "ERROR = 3 (x)", "0,-5", "OK", "a_b",
    "status", "sender", "9223372036854775807", "9223372036854775808", "0000000000000000000001",
    "ERROR = ", " (", ")", "ID = ", "0,-",
]  # fmt: skip


def _fast(key: sw.Key) -> Callable[[str], sw.Reply | None]:
    codec = sw.registry[key]
    assert isinstance(codec, (_fmt0_text.TextCodec, _fmt1_csv.CsvCodec))
    return codec.fast


def _grammar(key: sw.Key, text: str) -> sw.Reply:
    codec = sw.registry[key]
    module = _fmt0_text if key.fmt == 0 else _fmt1_csv
    start: str = codec._start  # type: ignore[attr-defined]
    reply: sw.Reply = module.PARSER.parse(text, start)
    return reply


def _agree(key: sw.Key, text: str) -> sw.Reply | None:
    fast = _fast(key)(text)
    try:
        slow = _grammar(key, text)
    except DecodeFailure:
        assert fast is None, f"fast path accepted what the grammar rejects: {text!r}"
        return None
    assert fast is None or fast == slow, f"fast path differs on {text!r}"
    return fast


@pytest.mark.parametrize("key", TEXT_KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=150)
def test_fast_path_takes_canonical_bodies(key: sw.Key, data: st.DataObject) -> None:
    text, reply = data.draw(wire(key))
    fast = _agree(key, text)
    if isinstance(reply, sw.ErrorReply | sw.SenderAdded):
        if max(int(reply.code if isinstance(reply, sw.ErrorReply) else reply.id), 0) < 10**18:
            assert fast == reply
    elif isinstance(reply, sw.Ok):
        assert fast == reply
    elif all(s.id < 10**18 for s in reply):
        # Statuses and operator codes are < 2**63 too, but only short ones stay on the fast path.
        short = all(
            len(str(v)) < 19 for s in reply for v in [s.status or 0, *(s.operators or {}).values()]
        )
        if short:
            assert fast == reply


@pytest.mark.parametrize("key", TEXT_KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=150)
def test_fast_path_on_mutated_bodies(key: sw.Key, data: st.DataObject) -> None:
    text, _ = data.draw(wire(key))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        text = text[:at] + data.draw(st.sampled_from(FRAGMENTS)) + text[at + cut :]
    _agree(key, text)


@pytest.mark.parametrize("key", TEXT_KEYS, ids=str)
@given(lines=st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=10).map("".join), max_size=4))
@settings(max_examples=300)
def test_fast_path_on_assembled_lines(key: sw.Key, lines: list[str]) -> None:
    _agree(key, "\n".join(lines))


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (sw.Key(0, "get", operators=True), "name = A, x = 1.5, id = 1"),  # number-like raw value
        (sw.Key(0, "get", operators=True), "name = A, id = 1, id = 2"),  # id twice
        (sw.Key(0, "get", operators=True), "name = A, x = 1, x = 2, id = 1"),  # duplicate
        (sw.Key(0, "get", all=True, operators=True), "name = A, x = 1, status = 1, id = 1"),
        (sw.Key(0, "get"), "name = A, id = 00000000000000000000001"),  # long but valid
        (sw.Key(1, "get", all=True), "A,1,2\r"),  # lone CR
        (sw.Key(1, "get", all=True), "0,-3,4"),  # not an error, and "-3" is no status
        (sw.Key(1, "get"), "A,1\n\n"),
        (sw.Key(0, "del"), "ERROR = 3 x)"),
        (sw.Key(0, "add"), "ID = 1\n\n"),
        (sw.Key(1, "chg"), "OK\r"),
        (sw.Key(1, "add"), "0,-"),
    ],
)
def test_fast_path_declines(key: sw.Key, text: str) -> None:
    assert _fast(key)(text) is None
    _agree(key, text)
