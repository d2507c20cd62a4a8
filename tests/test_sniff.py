"""``smsc_wire.sniff``: which keys a body is valid under, best first."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import smsc_wire as sw
from smsc_wire.strategies import keys, replies


def k(fmt: int, op: str, all: bool = False, operators: bool = False) -> sw.Key:
    return sw.Key(fmt=fmt, operation=op, all=all, operators=operators)


@pytest.mark.parametrize(
    ("body", "best"),
    [
        # one body per fmt, each naming its key unambiguously
        (b"name = Shop, Inc, status = 1, id = 42", k(0, "get", all=True)),
        (b"name = Shop, mega_step = 2, id = 5", k(0, "get", operators=True)),
        (b"Shop, Inc,42\nTAXI-24,43", k(1, "get")),
        (b"42", k(1, "add")),
        (b'<list>\n<sender status="1" id="7">A &amp; B</sender>\n</list>', k(2, "get", all=True)),
        (b'<list>\n<sender mega_step="2" id="7">A</sender>\n</list>', k(2, "get", operators=True)),
        (b"<sender>\n<id>7</id>\n</sender>", k(2, "add")),
        (b'[{\n"sender": "A",\n"id": 1\n}]', k(3, "get")),
        (b'[{\n"sender": "A",\n"status": 1,\n"id": 1\n}]', k(3, "get", all=True)),
        (b'{\n"sender": 42\n}', k(3, "add")),
        (b'{\n"result": "OK"\n}', k(3, "chg")),
        (b"OK", k(0, "chg")),
    ],
)
def test_best_key_of_each_fmt(body: bytes, best: sw.Key) -> None:
    found = sw.sniff(body)
    assert found[0] == best
    assert sw.encode(sw.decode(body, best), best).encode() == body


def test_canonical_keys_come_before_merely_valid_ones() -> None:
    # Bare OK is canonical in fmt 0 and 1 but only tolerated in fmt 2 and 3 (SPEC D6).
    found = sw.sniff(b"OK")
    fmts = [key.fmt for key in found]
    assert fmts == sorted(fmts)
    assert {key.fmt for key in found} == {0, 1, 2, 3}
    assert [str(key.operation) for key in found[:4]] == ["chg", "send_code", "check_code", "del"]


def test_compact_json_is_only_valid_but_still_found() -> None:
    body = b'[{"sender":"A","status":1,"id":1}]'
    assert sw.sniff(body) == [k(3, "get", all=True), k(3, "get", all=True, operators=True)]


def test_fields_actually_present_outrank_tolerant_keys() -> None:
    # Canonical under all=0 too (a sender named "Shop, status = 1"), but all=1 explains it.
    found = sw.sniff(b"name = Shop, status = 1, id = 4")
    assert found[:3] == [
        k(0, "get", all=True),
        k(0, "get", all=True, operators=True),
        k(0, "get"),
    ]


def test_success_shape_outranks_the_shared_error_reply() -> None:
    # "0,-3" is the fmt 1 error under every fmt 1 key; nothing success-shaped matches it, so the
    # keys are in registry order.
    found = sw.sniff(b"0,-3")
    assert found == [key for key in sw.registry if key.fmt == 1]
    # A body that is a success under one key ranks it first even where it is an error elsewhere.
    assert sw.sniff(b"ERROR = 3 (x)")[0] == k(0, "get")


def test_empty_body_reads_as_the_plainest_list() -> None:
    assert sw.sniff(b"")[:2] == [k(0, "get"), k(1, "get")]
    assert sw.sniff(b"[]")[0] == k(3, "get")


def test_nothing_matches_garbage() -> None:
    assert sw.sniff(b"<html>502 Bad Gateway</html>") == []
    assert sw.sniff("\x00") == []


def test_str_and_charset() -> None:
    body = "name = Ёлка, id = 1"
    assert sw.sniff(body)[0] == k(0, "get")
    assert sw.sniff(body.encode("windows-1251"), charset="windows-1251")[0] == k(0, "get")
    # Read as UTF-8 those bytes are undecodable: valid under no key.
    assert sw.sniff(body.encode("windows-1251")) == []
    with pytest.raises(sw.UnsupportedCharsetError):
        sw.sniff(b"OK", charset="no-such-charset")


def test_bom_makes_a_body_valid_not_canonical() -> None:
    found = sw.sniff(b"\xef\xbb\xbfOK")
    assert found[0] == k(0, "chg")
    assert sw.encode(sw.decode(b"\xef\xbb\xbfOK", found[0]), found[0]) == "OK"


@given(st.data())
def test_sniff_finds_the_key_of_every_canonical_reply(data: st.DataObject) -> None:
    key = data.draw(keys())
    text = sw.encode(data.draw(replies(key)), key)
    found = sw.sniff(text)
    assert key in found
    # The key it came from is canonical, so the first key is canonical too.
    best = found[0]
    assert sw.encode(sw.decode(text, best), best) == text


# --- sniffing by shape finds exactly what decoding under every key finds (issue 12) -------------


def _brute_force(body: bytes | str) -> list[tuple[sw.Key, sw.Reply, bool]]:
    """The keys a body is valid under, by decoding it under every key: what sniff must find."""
    found = []
    for key in sw.registry:
        try:
            reply = sw.decode(body, key)
        except sw.WireFormatError:
            continue
        try:
            canonical = sw.encode(reply, key) == (body if isinstance(body, str) else body.decode())
        except sw.EncodeError:
            canonical = False
        found.append((key, reply, canonical))
    return found


def _sniffed(body: bytes | str) -> list[tuple[sw.Key, sw.Reply, bool]]:
    from smsc_wire._tools.sniff import matches

    return [(m.key, m.reply, m.canonical) for m in matches(body)]


_FRAGMENTS = [
    "OK", "ERROR = 3 (x)", "0,-5", "name = A, id = 1", "name = A, status = 1, id = 2", "A,1",
    "A,1,2", "ID = 7", "7", "\n", "\r\n", "<list>", "</list>", '<sender id="1">A</sender>',
    '<sender status="1" id="1">A</sender>', "<result>OK</result>", "<error>x</error>",
    "<error_code>1</error_code>", "<result>", "</result>", "<sender>", "<id>1</id>", "</sender>",
    '[{"sender": "A", "id": 1}]', '{"sender": 1}', '{"result": "OK"}',
    '{"error": "x", "error_code": 1}', '"status": 1', ", mega_step = 2", "", " ", "[]", "{}",
]  # fmt: skip


@given(data=st.data())
def test_sniff_finds_what_every_key_finds(data: st.DataObject) -> None:
    key = data.draw(keys())
    body = sw.encode(data.draw(replies(key)), key)
    if data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(body)))
        body = body[:at] + data.draw(st.sampled_from(_FRAGMENTS)) + body[at:]
    for raw in (body, body.encode("utf-8")):
        expected = sorted(_brute_force(raw), key=lambda item: item[0].sort_key)
        assert sorted(_sniffed(raw), key=lambda item: item[0].sort_key) == expected
        _sniff_is_matches(raw)


def _sniff_is_matches(raw: bytes | str) -> None:
    # sniff ranks the shared parts of error replies and OK without building matches (issue 12):
    # its keys are matches' keys, in matches' order, whatever it has sniffed before.
    keys = [key for key, _, _ in _sniffed(raw)]
    assert sw.sniff(raw) == keys
    assert sw.sniff(raw) == keys


@given(body=st.lists(st.sampled_from(_FRAGMENTS), max_size=4).map("".join))
def test_sniff_finds_what_every_key_finds_on_assembled_bodies(body: str) -> None:
    expected = sorted(_brute_force(body), key=lambda item: item[0].sort_key)
    assert sorted(_sniffed(body), key=lambda item: item[0].sort_key) == expected
    _sniff_is_matches(body)
    _sniff_is_matches(body.encode("utf-8"))


_FUZZ = Path(__file__).resolve().parent.parent / "fuzz" / "corpus"


def test_sniff_finds_what_every_key_finds_on_the_fuzz_corpus() -> None:
    # The decode corpus: bodies fuzzing found interesting, in every fmt and state of repair
    # (each file is a 4-byte header, fuzz/_common.py, then the body).
    paths = sorted((_FUZZ / "decode").iterdir()) + sorted((_FUZZ / "regressions/decode").iterdir())
    assert len(paths) > 1000
    for path in paths:
        data = path.read_bytes()[4:]
        for raw in (data, data.decode("utf-8", "replace")):
            expected = sorted(_brute_force(raw), key=lambda item: item[0].sort_key)
            found = _sniffed(raw)
            assert sorted(found, key=lambda item: item[0].sort_key) == expected, path.name
            assert sw.sniff(raw) == [key for key, _, _ in found], path.name


@pytest.mark.parametrize(
    "body",
    ["OK", "OK\n", "OK\r\n", "<result>OK</result>", "{}", "ERROR = 2 (x)", "0,-2", "5",
     "name = A, status = 1, id = 2", '{"error": "x", "error_code": 2}', "<list></list>", ""],
)  # fmt: skip
def test_shortcuts_rank_as_the_rules_do(body: str) -> None:
    # An Ok reply's canonical body and rank are worked out once per key, not per body: they must
    # be what encode and the general rules give.
    from smsc_wire._tools.sniff import _base_rank, matches

    found = matches(body)
    assert any(isinstance(m.reply, sw.Ok) for m in found) or not body.startswith(("OK", "<r"))
    for m in found:
        canonical = sw.encode(m.reply, m.key) == body
        assert m.canonical is canonical
        assert m.rank == (*_base_rank(m.key, m.reply, canonical), m.key.sort_key)
    # The ranks are made once per key and sorted as one int each: the order is still theirs.
    ranks = [m.rank for m in found]
    assert ranks == sorted(ranks)


@given(
    body=st.lists(st.sampled_from([*_FRAGMENTS, "OK\n", "0,-", "\t", "x"]), max_size=4).map(
        "".join
    ),
    fmt=st.sampled_from([0, 1, 2, 3]),
)
def test_the_shapes_of_a_fmt_include_every_key_that_accepts_the_body(body: str, fmt: int) -> None:
    # sniff reads only the shapes _shapes_of names ("()" rules the fmt out, which candidates and
    # nearest ask as _could_be): every key that accepts the body must be among them.
    from smsc_wire._tools.sniff import _could_be, _shapes_of

    likely = _shapes_of(fmt, body)
    for key, _, _ in _brute_force(body):
        if key.fmt == fmt:
            shape = sw.shape_of(key.operation)
            assert shape is not None
            assert likely is None or shape.name in likely
            assert _could_be(fmt, body)


@pytest.mark.parametrize("raw", [123, None, [b"OK"]])
def test_sniffing_what_is_no_body_is_a_type_error(raw: object) -> None:
    # As decode says it: before, an AssertionError escaped (and under python -O, worse).
    with pytest.raises(TypeError, match=rf"^raw must be bytes or str, not {type(raw).__name__}$"):
        sw.sniff(raw)  # type: ignore[arg-type]
