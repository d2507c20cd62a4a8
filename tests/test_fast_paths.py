"""Every fast reader returns exactly the checked reader's model, or declines (issues 5 and 9).

Strategy: one differential harness over every key of every fmt. A built-in codec has a fast
reader (``fast``: the reply, ``None`` to decline, or ``Rejected`` for a body it knows is invalid)
and a checked reader (``checked``: every valid body, and the error of every other one);
``decode`` is the fast reader with the checked one behind it. On canonical bodies, on mutations of
them, and on bodies assembled from the vocabulary that makes each fmt ambiguous, the fast reader
may decline anything, but may accept only what the checked reader accepts, with the same model,
and reject only what it refuses. The same bodies must decode alike as
bytes (the UTF-8 paths of fmt 2 and 3) and as text.
"""

from __future__ import annotations

from typing import Protocol

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smsc_wire as sw
from smsc_wire._fast import Rejected
from smsc_wire.strategies import wire

KEYS = list(sw.registry)


class Differential(Protocol):
    def fast(self, text: str) -> sw.Reply | None: ...

    def checked(self, text: str) -> sw.Reply: ...


def _codec(key: sw.Key) -> Differential:
    codec = sw.registry[key]
    assert callable(getattr(codec, "fast", None)), f"{key}: a built-in codec has a fast reader"
    assert callable(getattr(codec, "checked", None)), f"{key}: and a checked one"
    return codec  # type: ignore[return-value]


def _outcome(key: sw.Key, body: bytes | str) -> object:
    try:
        return sw.decode(body, key)
    except sw.WireFormatError as error:
        return (error.reason, error.line, error.column)


def agree(key: sw.Key, text: str) -> sw.Reply | None:
    """The fast reader's reply, after checking it against the checked reader and ``decode``."""
    codec = _codec(key)
    rejected = False
    try:
        fast = codec.fast(text)
    except Rejected:
        fast, rejected = None, True
    try:
        checked = codec.checked(text)
    except sw.DecodeFailure:
        assert fast is None, (
            f"{key}: the fast reader accepted what the checked one refuses: {text!r}"
        )
        checked = None
    else:
        assert not rejected, f"{key}: the fast reader rejected what the checked one reads: {text!r}"
        assert fast is None or fast == checked, f"{key}: the fast reader differs on {text!r}"
    assert _outcome(key, text) == _outcome(key, text.encode("utf-8")), text
    if checked is not None:
        assert sw.decode(text, key) == checked
    return fast


# --- the vocabulary of each fmt -----------------------------------------------------------------

TEXT_FRAGMENTS = [
    "name = ", ", id = ", ", status = ", ", mega_step = ", ", x = ", ", id", "name", "id = ",
    ",", ", ", " = ", "=", " ", "0", "1", "7", "255", "00", "-1", "1.5", "1e3", "+2", "١",
    "Shop", "Inc", "Ж", "\n", "\r\n", "\r", "\x00", "ERROR = 3 (x)", "0,-5", "OK", "a_b",
    "status", "sender", "9223372036854775807", "9223372036854775808", "0000000000000000000001",
    "ERROR = ", " (", ")", "ID = ", "0,-",
]  # fmt: skip

_json_keys = st.sampled_from(
    ["sender", "id", "status", "mega_step", "tele2", "x", "name", "error", "error_code", "result"]
)
_json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2**64 - 1), st.floats(allow_nan=False),
    st.sampled_from(["", "0", "1", "255", "007", "-1", "1.5", "OK", "A", "Ж", "¹", "a\nb"]),
)  # fmt: skip
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_json_keys, inner, max_size=5)
    ),
    max_leaves=12,
)

_xml_names = st.sampled_from(["list", "sender", "result", "error", "error_code", "id", "x"])
_xml_attr_names = st.sampled_from(
    ["id", "status", "mega_step", "name", "x", "xml:lang", "xmlns:a", "xmlfoo"]
)
_xml_texts = st.sampled_from(["", "A", "OK", "1", "007", "-1", " ", "\n", "&amp;", "&#10;", "Ж"])


@st.composite
def _xml_elements(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(_xml_names)
    attrs = draw(st.dictionaries(_xml_attr_names, _xml_texts, max_size=3))
    rendered = "".join(f' {name}="{value}"' for name, value in attrs.items())
    inner = draw(_xml_texts)
    if depth < 2:
        children = draw(st.lists(_xml_elements(depth + 1), max_size=3))
        inner += draw(st.sampled_from(["", "\n"])).join(children)
    return f"<{tag}{rendered}>{inner}</{tag}>"


def _assembled(key: sw.Key) -> st.SearchStrategy[str]:
    """Bodies near the fmt's valid ones: assembled from its own vocabulary."""
    if key.fmt == 2:
        return _xml_elements()
    if key.fmt == 3:
        return _json_values.map(lambda value: orjson.dumps(value).decode("utf-8"))
    line = st.lists(st.sampled_from(TEXT_FRAGMENTS), max_size=10).map("".join)
    return st.lists(line, max_size=4).map("\n".join)


# --- the properties -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=100)
def test_the_fast_reader_takes_canonical_bodies(key: sw.Key, data: st.DataObject) -> None:
    text, reply = data.draw(wire(key))
    fast = agree(key, text)
    if isinstance(reply, sw.SenderList):
        # Only short numbers stay on the fast path (long ones need the range check).
        numbers = [
            v
            for s in reply
            for v in [s.id, s.status or 0, *(s.operators or {}).values()]
            if not isinstance(v, str)
        ]
        if any(len(str(int(n))) >= 19 for n in numbers):
            return
    elif isinstance(reply, sw.ErrorReply | sw.SenderAdded) and (
        int(reply.code if isinstance(reply, sw.ErrorReply) else reply.id) >= 10**18
    ):
        return
    if key.fmt == 2 and "xmlns" in text:
        return  # a name mentioning xmlns sends the body to the namespace check
    if key.fmt == 3 and (text.count(":") != _members(reply) or "-" in text):
        return  # a colon or minus inside a string needs the exact duplicate and sign scans
    assert fast == reply, f"{key}: the fast reader declined a canonical body: {text!r}"


def _members(reply: sw.Reply) -> int:
    """How many JSON members the fmt 3 form of ``reply`` has."""
    if isinstance(reply, sw.SenderList):
        return sum(2 + (s.status is not None) + len(s.operators or ()) for s in reply)
    return 2 if isinstance(reply, sw.ErrorReply) else 1


@pytest.mark.parametrize("key", KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=100)
def test_the_fast_reader_on_mutated_bodies(key: sw.Key, data: st.DataObject) -> None:
    text, _ = data.draw(wire(key))
    fragments = [*TEXT_FRAGMENTS, "<", ">", '"', "</list>", "{", "}", "[", "]", ":", "-"]
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        text = text[:at] + data.draw(st.sampled_from(fragments)) + text[at + cut :]
    agree(key, text)


@pytest.mark.parametrize("key", KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=150)
def test_the_fast_reader_on_assembled_bodies(key: sw.Key, data: st.DataObject) -> None:
    agree(key, data.draw(_assembled(key)))


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
        (sw.Key(2, "get"), '<list xmlns:a="u"><sender id="1">A</sender></list>'),
        (sw.Key(2, "get", operators=True), '<list><sender xmlop="1" id="1">A</sender></list>'),
        (sw.Key(2, "chg"), '<result xmlns:a="u">OK</result>'),
        (sw.Key(2, "add"), "<sender><id>1</id><!-- x --></sender>"),
        (sw.Key(3, "get"), '[{"sender": "A", "id": -0}]'),  # a sign, which orjson reads as 0
        (sw.Key(3, "get"), '[{"sender": "A", "id": 1, "id": 2}]'),  # a duplicate member
        (sw.Key(3, "get", operators=True), '[{"sender": "A", "x": "1", "id": "1", "y": "2"}]'),
        (sw.Key(3, "add"), '{"sender": 1}{'),
    ],
)
def test_the_fast_reader_declines(key: sw.Key, text: str) -> None:
    assert agree(key, text) is None
