"""Hypothesis properties over every registry key (the fuzzers' invariants, restated)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smsc_wire as sw
from smsc_wire.strategies import replies, wire

KEYS = list(sw.registry)
SHAPES = sorted({(k.operation, k.all, k.operators) for k in KEYS})


@pytest.mark.parametrize("key", KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=60)
def test_decode_inverts_encode(key: sw.Key, data: st.DataObject) -> None:
    reply = data.draw(replies(key))
    text = sw.encode(reply, key)
    assert sw.decode(text, key) == reply
    assert sw.decode(text.encode("utf-8"), key) == reply


@pytest.mark.parametrize("key", KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=60)
def test_encode_inverts_decode_on_canonical_bytes(key: sw.Key, data: st.DataObject) -> None:
    text, _ = data.draw(wire(key))
    raw = text.encode("utf-8")
    assert sw.encode(sw.decode(raw, key), key).encode("utf-8") == raw


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}-all{int(s[1])}-ops{int(s[2])}")
@given(data=st.data())
@settings(max_examples=60)
def test_every_fmt_gives_the_same_model(
    shape: tuple[sw.Operation, bool, bool], data: st.DataObject
) -> None:
    # SPEC D12: the same reply decodes to equal models from every fmt that has the shape.
    keys = [k for k in KEYS if (k.operation, k.all, k.operators) == shape]
    assert keys[0].fmt == 0
    reply = data.draw(replies(keys[0], portable=True))
    for key in keys[1:]:
        model = reply
        if key.fmt == 1 and isinstance(reply, sw.ErrorReply):
            model = sw.ErrorReply(reply.code, None)  # fmt 1 errors have no description
        assert sw.decode(sw.encode(model, key), key) == model


# Models drawn from far outside what encode accepts: every field of every type it might get.
_wild_text = st.one_of(
    st.text(max_size=12), st.sampled_from(["", "\r", "\n", "\x00", "\ud800", "a, b = c", "1", "-1"])
)
_wild_int = st.one_of(
    st.integers(-5, 5), st.integers(2**63 - 2, 2**64), st.booleans(), st.none(), st.floats()
)
_wild_operators = st.one_of(
    st.none(),
    st.dictionaries(st.one_of(_wild_text, st.sampled_from(["id", "xmlns", "a:b", "A-B"])),
                    st.one_of(_wild_text, _wild_int), max_size=4),
)  # fmt: skip
_wild_senders = st.builds(
    sw.Sender, _wild_text, _wild_int, st.one_of(st.none(), _wild_int), _wild_operators
)
_wild_replies = st.one_of(
    st.lists(st.one_of(_wild_senders, st.just("not a sender")), max_size=3).map(sw.SenderList),  # type: ignore[arg-type]
    st.builds(sw.SenderAdded, _wild_int),
    st.just(sw.Ok()),
    st.builds(sw.ErrorReply, _wild_int, st.one_of(st.none(), _wild_text)),
)


@pytest.mark.parametrize("key", KEYS, ids=str)
@given(reply=_wild_replies)
@settings(max_examples=80)
def test_encode_accepts_exactly_what_reads_back(key: sw.Key, reply: sw.Reply) -> None:
    # SPEC D8: what encode writes reads back as the same model; everything else is EncodeError.
    try:
        text = sw.encode(reply, key)
    except sw.EncodeError as error:
        assert str(error).startswith(f"{key}: ")
        return
    assert sw.decode(text, key) == reply
    assert sw.encode(sw.decode(text, key), key) == text


@pytest.mark.parametrize("key", KEYS, ids=str)
@given(body=st.one_of(st.binary(max_size=80), st.text(max_size=80)))
@settings(max_examples=80)
def test_decode_parses_or_raises_wire_format_error(key: sw.Key, body: bytes | str) -> None:
    try:
        reply = sw.decode(body, key)
    except sw.WireFormatError as error:
        assert error.key == key
        return
    assert isinstance(reply, (sw.SenderList, sw.SenderAdded, sw.Ok, sw.ErrorReply))


@pytest.mark.parametrize("key", KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=60)
def test_mutated_canonical_bodies_parse_or_raise(key: sw.Key, data: st.DataObject) -> None:
    text, _ = data.draw(wire(key))
    at = data.draw(st.integers(0, len(text)))
    edit = data.draw(st.sampled_from(["insert", "delete", "replace"]))
    char = data.draw(st.sampled_from([",", " ", "=", "\n", "\r", '"', "<", ">", "0", "-", "Ж"]))
    if edit == "insert":
        mutated = text[:at] + char + text[at:]
    elif edit == "delete":
        mutated = text[:at] + text[at + 1 :]
    else:
        mutated = text[:at] + char + text[at + 1 :]
    try:
        reply = sw.decode(mutated, key)
    except sw.WireFormatError as error:
        assert error.line is None or error.line >= 1
        return
    # Whatever a mutated body decodes to is a model that encode writes and reads back.
    assert sw.decode(sw.encode(reply, key), key) == reply


@given(text=st.text())
def test_fmt3_strings_are_written_as_orjson_writes_them(text: str) -> None:
    # The encoder skips orjson for strings with nothing to escape; the bytes must not change.
    import orjson

    key = sw.Key(3, "get")
    reply = sw.SenderList([sw.Sender(text, 1)])
    try:
        expected = orjson.dumps(text).decode("utf-8")
    except orjson.JSONEncodeError:
        with pytest.raises(sw.EncodeError):
            sw.encode(reply, key)
        return
    if not text or any(char in text for char in "\r\n\x00"):
        return  # no fmt carries such a name (SPEC D8): not a question of escaping
    assert sw.encode(reply, key) == f'[{{\n"sender": {expected},\n"id": 1\n}}]'
