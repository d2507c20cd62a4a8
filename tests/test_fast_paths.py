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

from typing import Any, Protocol

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smsc_wire as sw
from smsc_wire._checks import _plain_list
from smsc_wire._fast import Rejected
from smsc_wire._formats import fmt3_json
from smsc_wire._models import NO_OPERATORS, OK_REPLY
from smsc_wire._shapes import SENDER_LIST
from smsc_wire.strategies import wire

KEYS = list(sw.registry)
LIST_KEYS = [k for k in KEYS if sw.shape_of(k.operation) is SENDER_LIST]


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
    for reply in (fast, checked):
        if isinstance(reply, sw.SenderList):
            # sniff trusts a decoded list to fit its key without looking (fits_decoded).
            assert _plain_list(reply.senders, key) or not reply, f"{key}: {reply!r} does not fit"
    _agree_utf8(key, text, checked)
    return fast


def _agree_utf8(key: sw.Key, text: str, checked: sw.Reply | None) -> None:
    """The reader of UTF-8 bytes (``decode_utf8``) is held to the same rule as ``fast``.

    ``decode`` reads again whatever it declines, so a wrong model shows in ``_outcome``; but
    :func:`smsc_wire.sniff` takes its ``Rejected`` as final, so a rejection of a valid body
    would lose a key there without any decode noticing.
    """
    read = getattr(sw.registry[key], "decode_utf8", None)
    if read is None or text.startswith("\ufeff"):
        return  # decode removes the byte-order mark before it calls decode_utf8
    _agree_parsed(key, text.encode("utf-8"))
    try:
        reply = read(text.encode("utf-8"))
    except Rejected:
        assert checked is None, (
            f"{key}: decode_utf8 rejected what the checked reader reads: {text!r}"
        )
        return
    if reply is not None:
        assert reply == checked, f"{key}: decode_utf8 differs from the checked reader on {text!r}"


def _utf8_outcome(read: Any, *args: object) -> object:
    try:
        return read(*args)
    except Rejected:
        return Rejected


def _agree_parsed(key: sw.Key, raw: bytes) -> None:
    """``decode_parsed`` (fmt 2 and 3: a body parsed once, for every key of its fmt, by sniff)
    reads what ``decode_utf8`` reads; the readers leave the parse as they found it, so that the
    other keys of the fmt read it alike, and so does this one, again."""
    parse = getattr(sw.registry[key], "parse_utf8", None)
    if parse is None:
        return
    parsed = parse(raw)
    for other in [key, *(k for k in LIST_KEYS if k.fmt == key.fmt), key]:
        codec: Any = sw.registry[other]
        shared = _utf8_outcome(codec.decode_parsed, raw, parsed)
        alone = _utf8_outcome(codec.decode_utf8, raw)
        assert shared == alone, f"{other}: decode_parsed differs on {raw!r} (after {key})"


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
    # Every number up to MAX_UINT stays on the fast path: 19 digits are compared as text.
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


@pytest.mark.parametrize("key", LIST_KEYS, ids=str)
@given(data=st.data())
@settings(max_examples=100)
def test_the_fast_reader_on_the_lists_of_other_keys(key: sw.Key, data: st.DataObject) -> None:
    """sniff reads a list under every list key of its fmt: a body of ``operators=0`` under
    ``operators=1``, where the readers take the records of ``operators=0`` (issue 12), and of
    ``all=1`` under ``all=0``, mutated or not."""
    other = data.draw(st.sampled_from([k for k in LIST_KEYS if k.fmt == key.fmt]))
    text, _ = data.draw(wire(other))
    if data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from([*TEXT_FRAGMENTS, '"', ":"])) + text[at:]
    agree(key, text)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (sw.Key(0, "get", operators=True), "name = A, id = 1\nname = B, id = 2"),
        (sw.Key(0, "get", all=True, operators=True), "name = A, status = 1, id = 1"),
        (sw.Key(2, "get", operators=True), '<list><sender id="1">A</sender></list>'),
        (
            sw.Key(2, "get", all=True, operators=True),
            '<list>\n<sender status="1" id="1">A</sender>\n<sender status="0" id="2">B</sender>\n</list>',
        ),
        (sw.Key(3, "get", operators=True), '[{"sender": "A", "id": 1}, {"sender": "B", "id": 2}]'),
        (sw.Key(3, "get", all=True, operators=True), '[{"sender": "A", "status": 1, "id": 1}]'),
    ],
)
def test_records_without_operator_fields_take_the_shortcut(key: sw.Key, text: str) -> None:
    reply = agree(key, text)
    assert isinstance(reply, sw.SenderList)
    assert all(s.operators is NO_OPERATORS for s in reply), "read as under operators=0"


_OPERATOR_RECORD = '{"sender": "A", %s"mts": "1", "beeline": "255", "id": "%s"}'


@pytest.mark.parametrize(
    ("all_", "status", "id_"),
    [
        (False, "", "1234567890123456789"),  # 19 digits: the range check is the records'
        (True, '"status": "1", ', "1234567890123456789"),
        (True, '"status": "01", ', "7"),  # a status spelt with a leading zero
    ],
)
def test_a_list_the_columns_took_apart_is_read_again(all_: bool, status: str, id_: str) -> None:
    """decode_utf8 lets the operators=1 column reader take apart the records it parsed itself;
    when that reader then declines, the record reader must get them whole (a fresh parse), not
    what is left of them."""
    key = sw.Key(3, "get", all=all_, operators=True)
    text = f"[{_OPERATOR_RECORD % (status, id_)},\n{_OPERATOR_RECORD % (status, '2')}]"
    codec: Any = sw.registry[key]
    reply = codec.decode_utf8(text.encode("utf-8"))
    assert reply == codec.checked(text)
    assert isinstance(reply, sw.SenderList)
    assert [s.id for s in reply] == [int(id_), 2]
    assert [dict(s.operators or {}) for s in reply] == [{"mts": 1, "beeline": 255}] * 2
    agree(key, text)


@pytest.mark.parametrize("operation", ["chg", "send_code", "check_code", "del"])
def test_the_services_ok_needs_no_json_parse(
    operation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fmt 3: the OK the service writes is known by its bytes; anything else is parsed."""
    key = sw.Key(3, operation)
    codec: Any = sw.registry[key]

    def no_parse(raw: bytes) -> object:
        raise AssertionError(f"parsed {raw!r}")

    monkeypatch.setattr(fmt3_json, "_parse", no_parse)
    assert codec.decode_utf8(b'{\n"result": "OK"\n}') is OK_REPLY
    assert sw.decode(b'{\n"result": "OK"\n}', key) is OK_REPLY
    with pytest.raises(AssertionError, match="parsed"):
        codec.decode_utf8(b'{"result": "OK"}')


@pytest.mark.parametrize(
    "text",
    [
        '{\n"result": "OK"\n}',
        '{\n"result": "OK"\n}\n',
        '{\n"result": "OK"\n}\r\n',
        '{"result": "OK"}',
        '{\n"result": "Ok"\n}',
        '{\n"result": "OK", "result": "OK"\n}',
        '\ufeff{\n"result": "OK"\n}',
        '{\n"result": "OK"\n}x',
        '{\n"error": "x",\n"error_code": 3\n}',
        "OK",
    ],
)
def test_the_fmt3_ok_reader_on_edges(text: str) -> None:
    for operation in ("chg", "send_code", "check_code", "del"):
        agree(sw.Key(3, operation), text)
    agree(sw.Key(3, "add"), text)
    agree(sw.Key(3, "get"), text)


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


# --- fmt 2: long lists, read as they are parsed -------------------------------------------------
# decode_utf8 reads a sender list longer than 64 KiB a piece at a time (_streamed), freeing each
# piece's records once read. Here it reads bodies of every size in pieces of a few bytes, so that
# pieces end everywhere: inside a tag, a name, an entity, a comment, between records.

XML_LISTS = [k for k in KEYS if k.fmt == 2 and sw.shape_of(k.operation) is SENDER_LIST]


def agree_streamed(key: sw.Key, text: str, chunk: int) -> sw.Reply | None:
    """The streamed reader's reply, after checking it against the checked reader."""
    from smsc_wire._formats.fmt2_xml import doctype_at

    codec = sw.registry[key]
    raw = text.encode("utf-8", "surrogatepass")
    if doctype_at(raw) is not None or b"xmlns" in raw:
        return None  # decode_utf8 refuses or declines these before it streams
    rejected = False
    try:
        streamed = codec._streamed(raw, chunk)  # type: ignore[attr-defined]
    except Rejected:
        streamed, rejected = None, True
    try:
        checked = codec.checked(text)  # type: ignore[attr-defined]
    except sw.DecodeFailure:
        assert streamed is None, f"{key}: streamed, accepted what checked refuses: {text!r}"
    else:
        assert not rejected, f"{key}: streamed, rejected what checked reads: {text!r}"
        assert streamed is None or streamed == checked, f"{key}: streamed differs on {text!r}"
    return streamed  # type: ignore[no-any-return]


def _short_numbers(reply: sw.Reply) -> bool:
    """Whether every number of a reply is short enough for the fast readers (no range check)."""
    if isinstance(reply, sw.ErrorReply):
        return int(reply.code) < 10**18
    assert isinstance(reply, sw.SenderList)
    return all(
        len(str(int(v))) < 19
        for s in reply
        for v in [s.id, s.status or 0, *(s.operators or {}).values()]
        if not isinstance(v, str)
    )


@pytest.mark.parametrize("key", XML_LISTS, ids=str)
@given(data=st.data())
@settings(max_examples=100)
def test_the_streamed_reader_takes_canonical_lists(key: sw.Key, data: st.DataObject) -> None:
    text, reply = data.draw(wire(key))
    streamed = agree_streamed(key, text, data.draw(st.integers(1, 80)))
    if _short_numbers(reply) and "xmlns" not in text:
        assert streamed == reply, f"{key}: the streamed reader declined {text!r}"


@pytest.mark.parametrize("key", XML_LISTS, ids=str)
@given(data=st.data())
@settings(max_examples=100)
def test_the_streamed_reader_on_mutated_lists(key: sw.Key, data: st.DataObject) -> None:
    text, _ = data.draw(wire(key))
    fragments = [*_XML_PIECES, *TEXT_FRAGMENTS, "<", ">", '"', "</list>", "/"]
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        text = text[:at] + data.draw(st.sampled_from(fragments)) + text[at + cut :]
    agree_streamed(key, text, data.draw(st.integers(1, 80)))


_XML_PIECES = [
    "<!-- c -->", "<?p x?>", "<![CDATA[A]]>", "<![CDATA[<sender>]]>", "&amp;", "&#10;", "&#13;",
    "&foo;", "&#x41;", "\r\n", "\t", " ", "x", "<x/>", "<list/>", "<a:sender/>", ' a:id="1"',
    ' xml:lang="en"', ' id="2"', ' status="1"', ' id=""', ' mega_step="2"', "<sender>A</sender>",
    '<sender id="1">A</sender>', '<sender status="1" id="1">A</sender>', "</sender>",
]  # fmt: skip
_XML_RECORDS = [
    '<sender id="7">A</sender>', '<sender status="1" id="7">Shop, Inc</sender>',
    '<sender id="7" status="1">A</sender>', '<sender mega_step="2" id="7">A</sender>',
    '<sender status="0" tele2="x" id="7">Ж</sender>', '<sender status="2" id="007">A</sender>',
    '<sender status="1" id="99999999999999999999">A</sender>', '<sender status="1,2" id="1,2">A</sender>',
    '<sender status="256" id="1">A</sender>', '<sender status="1" id="1"></sender>',
    '<sender status="1" id="1"/>', '<sender status="1" id="1"> </sender>',
    '<sender status="1" id="1">A&amp;B</sender>', '<sender status="1" id="1">A<![CDATA[&]]></sender>',
    '<sender status="1" id="1">A&#10;</sender>', '<sender status="1" id="1">A<!--c--></sender>',
    '<sender status="1" id="1">A<b/></sender>', '<sender status="1" id="1" id2="1">A</sender>',
    '<sender xml:lang="en" status="1" id="1">A</sender>', '<sender status="1" id="1">A',
    "<!-- c -->", "<?p?>", "text", "\n", "&#32;",
]  # fmt: skip


@st.composite
def _xml_lists(draw: st.DrawFn) -> str:
    """Lists of records near the valid ones, with what XML allows around and between them."""
    prolog = draw(st.sampled_from(["", "<?xml version='1.0'?>", "<!-- c -->", "<?p?>", "\n"]))
    records = draw(st.lists(st.sampled_from(_XML_RECORDS), max_size=8))
    separator = draw(st.sampled_from(["\n", "", "\r\n", " \t"]))
    attributes = draw(st.sampled_from(["", "", ' a="1"']))
    end = draw(st.sampled_from(["</list>", "</list>", "</list>\n", "</list><!-- c -->", "</lis"]))
    body = f"{prolog}<list{attributes}>{separator}{separator.join(records)}{separator}{end}"
    if draw(st.booleans()):
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from(_XML_PIECES)) + body[at:]
    return body


@pytest.mark.parametrize("key", XML_LISTS, ids=str)
@given(data=st.data())
@settings(max_examples=150)
def test_the_streamed_reader_on_assembled_lists(key: sw.Key, data: st.DataObject) -> None:
    text = data.draw(_xml_lists())
    agree_streamed(key, text, data.draw(st.integers(1, 80)))
    agree(key, text)  # and the whole-tree reader, on the same vocabulary


@pytest.mark.parametrize(
    "text",
    [
        "<list>\n</list>",
        "<list></list>",
        "<list/>",
        '<list>\n<sender status="1" id="1">A</sender>\n<sender status="2" id="2">B</sender>\n</list>',
        '<?xml version="1.0" encoding="latin-1"?>\n<list><sender status="1" id="1">Ж</sender></list>',
        '<!-- c --><list><sender status="1" id="1">A</sender></list>',
        '<list><sender status="1" id="1">A</sender></list><?p?>',
        '<list><sender status="1" id="1">A</sender><!-- c --><sender status="1" id="2">B</sender></list>',
        '<list> x <sender status="1" id="1">A</sender></list>',
        '<list><sender status="1" id="1">A</sender> x </list>',
        '<list><sender status="1" id="1">A<![CDATA[ & ]]>B&amp;C&#x41;</sender></list>',
        '<list><sender status="1" id="1">A&#10;B</sender></list>',
        '<list><sender status="1" id="1">A</sender><sender status="1" id="12345678901234567890">'
        "B</sender></list>",
        "<list><result><error>x</error><error_code>3</error_code></result></list>",
        "<result>\n<error>record not found</error>\n<error_code>3</error_code>\n</result>",
        "<result>OK</result>",
        '<other><list><sender status="1" id="1">A</sender></list></other>',
        '<list><list><sender status="1" id="1">A</sender></list></list>',
        '<list><a:sender status="1" id="1">A</a:sender></list>',
        '<list><sender a:status="1" id="1">A</sender></list>',
        '<list><sender status="1" id="1">A</sender></list>&foo;',
        '<list><sender status="1" id="1">A&foo;</sender></list>',
        '<list><sender status="1" id="1">A</sender>',
        '<list><sender status="1" id="1">A</sender></list>x',
        "name = A, status = 1, id = 1",
    ],
)
def test_the_streamed_reader_on_every_cut(text: str) -> None:
    for key in XML_LISTS:
        for chunk in range(1, len(text.encode("utf-8")) + 2):
            agree_streamed(key, text, chunk)


def _long_list(key: sw.Key, count: int) -> tuple[str, sw.SenderList]:
    senders = [
        sw.Sender(
            f"Shop {i} & Ж",
            10_000 + i,
            i % 3 if key.all else None,
            {"mega_step": i % 4, "tele2": "x"} if key.operators else None,
        )
        for i in range(count)
    ]
    reply = sw.SenderList(senders)
    return sw.encode(reply, key), reply


@pytest.mark.parametrize("key", XML_LISTS, ids=str)
def test_a_long_list_is_decoded_in_pieces(key: sw.Key) -> None:
    text, reply = _long_list(key, 7000)
    assert len(text.encode("utf-8")) > 4 * 65536  # several pieces of decode_utf8's size
    assert sw.decode(text.encode("utf-8"), key) == reply
    assert agree_streamed(key, text, 65536) == reply


@pytest.mark.parametrize("key", XML_LISTS, ids=str)
@pytest.mark.parametrize(
    "change",
    [
        lambda text: text[: len(text) * 3 // 4],  # cut short
        lambda text: text.replace(">Shop 2500 ", "><b/>Shop 2500 "),  # an element in a name
        lambda text: text.replace('id="12500"', 'id="-1"'),  # a sign
        lambda text: text.replace('id="12500"', 'id="12500" x="1"'),  # an attribute too many
        lambda text: text.replace('id="12500"', 'id="0012500"'),  # leading zeros: valid
        lambda text: text.replace('id="12500"', 'id="99999999999999999999"'),  # over 2**63-1
        lambda text: text.replace("</sender>\n<sender", "</sender>\n<!-- c --><sender", 1),
        lambda text: text.replace("</list>", "</list><!-- c -->"),
        lambda text: text.replace("<list>", "<list>\n<![CDATA[x]]>"),
        lambda text: text.replace("Shop 2999", "Shop&#10;2999"),
    ],
)
def test_a_long_list_with_a_flaw_decodes_as_its_text(key: sw.Key, change: object) -> None:
    text, _ = _long_list(key, 7000)
    text = change(text)  # type: ignore[operator]
    assert _outcome(key, text.encode("utf-8")) == _outcome(key, text)
    agree_streamed(key, text, 65536)
    agree_streamed(key, text, 4096)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        # fmt 1 lists are checked column by column; each of these fails one column's check and
        # is read line by line.
        (sw.Key(1, "get", all=True), "A,1,2\nB,3"),  # a line without its status
        (sw.Key(1, "get", all=True), "A,1,2\n,1,3"),  # an empty name
        (sw.Key(1, "get", all=True), "A,007,2\nB,1,3"),  # an uncommon spelling of a status
        (sw.Key(1, "get", all=True), "A,1,007"),  # a leading zero: no JSON number
        (sw.Key(1, "get", all=True), "A,1,\u0663"),  # a digit of another script
        (sw.Key(1, "get", all=True), "A,1,-0"),
        (sw.Key(1, "get", all=True), "A,1,1e3"),
        (sw.Key(1, "get", all=True), "A,1, 5"),
        (sw.Key(1, "get", all=True), "A,1,"),
        (sw.Key(1, "get", all=True), "A,1,18446744073709551616"),  # past 2**64: a JSON float
        (sw.Key(1, "get", all=True), "A,1,9223372036854775808"),  # past 2**63-1
        (sw.Key(1, "get", all=True), "A,1,9223372036854775807"),
        (sw.Key(1, "get", all=True), ""),
        (sw.Key(1, "get"), "A,B,1\nC,2"),
        (sw.Key(1, "get"), "A\rB,1"),  # a lone CR in a name
        (sw.Key(1, "get"), "A,1\r\nB,2\r\n"),  # CRLF: the text path's
        (sw.Key(1, "get"), "A,1\n"),
        (sw.Key(1, "get"), "\n"),
        # Error replies and the replies they could be confused with (SPEC D3).
        (sw.Key(1, "get"), "0,-5,7"),
        (sw.Key(1, "get"), "0,-5"),
        (sw.Key(1, "get"), "0,-5\n"),
        (sw.Key(1, "get"), "0,-0005"),
        (sw.Key(1, "get"), "0,-99999999999999999999"),
        (sw.Key(1, "get"), "0,-"),
        (sw.Key(1, "add"), "007"),
        (sw.Key(1, "add"), "7\n"),
        (sw.Key(1, "add"), "0,-3"),
        (sw.Key(1, "add"), "99999999999999999999"),
        (sw.Key(1, "del"), "0,-3"),
        (sw.Key(1, "del"), "OK"),
        (sw.Key(0, "add"), "ID = 7"),
        (sw.Key(0, "add"), "ID = 007"),
        (sw.Key(0, "add"), "ID = 7\r\n"),
        (sw.Key(0, "add"), "ID = ERROR = 3 (x)"),
        (sw.Key(0, "add"), "ERROR = 3 (x)"),
        (sw.Key(0, "del"), "OK\n"),
        (sw.Key(0, "del"), "ERROR = 3 (x)\n"),
        (sw.Key(0, "del"), "ERROR = 3 (a)b)"),
        (sw.Key(0, "del"), "ERROR = 3 (a (b) c)"),
        (sw.Key(0, "del"), "ERROR = 3 (a\rb)"),
        (sw.Key(0, "del"), "ERROR = 3 (a\x00)"),
        (sw.Key(0, "del"), "ERROR = 3 ()"),
        (sw.Key(0, "del"), "ERROR = 3 x)"),
        (sw.Key(0, "del"), "ERROR = (x)"),
        (sw.Key(0, "del"), "ERROR = 0003 (Ж)"),
        (sw.Key(0, "del"), "ERROR = 300 (x)"),
        (sw.Key(0, "get", all=True), "ERROR = 3 (x)"),
        (sw.Key(0, "get"), "ERROR = 3 (x), id = 5"),
    ],
)
def test_the_readers_of_utf8_bytes_on_edges(key: sw.Key, text: str) -> None:
    agree(key, text)


@pytest.mark.parametrize("key", [k for k in KEYS if k.fmt in (0, 1)], ids=str)
@given(data=st.data())
@settings(max_examples=20)
def test_the_fast_readers_return_the_models_themselves(key: sw.Key, data: st.DataObject) -> None:
    """The line readers build models as drafts: what they return is the model class itself."""
    text, reply = data.draw(wire(key))
    decoded = sw.decode(text.encode("utf-8"), key)
    assert type(decoded) is type(reply)
    if isinstance(decoded, sw.SenderList):
        assert all(type(sender) is sw.Sender for sender in decoded)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0),
        ("007", 7),
        ("999999999999999999", 10**18 - 1),  # 18 digits
        ("1000000000000000000", 10**18),  # 19 digits
        ("9223372036854775807", 2**63 - 1),  # MAX_UINT
        ("0000000000000000001", 1),  # 19 characters, leading zeros
        ("9223372036854775808", None),  # MAX_UINT + 1: the checked path explains it
        ("9999999999999999999", None),
        ("00000000000000000001", None),  # 20 characters: left to the checked path
        ("", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1_0", None),
        ("١٢", None),  # digits of another script
        ("²", None),  # isdigit() but no decimal digit
    ],
)
def test_uint_text_reads_every_number_up_to_max_uint(raw: str, expected: int | None) -> None:
    from smsc_wire._values import MAX_UINT, parse_uint, uint_text

    assert uint_text(raw) == expected
    if expected is not None:
        assert parse_uint(raw, 0, "id") == expected <= MAX_UINT


@given(st.integers(0, 2**64))
def test_uint_text_agrees_with_the_checked_reader(number: int) -> None:
    from smsc_wire._errors import DecodeFailure
    from smsc_wire._values import parse_uint, uint_text

    raw = str(number)
    try:
        checked: int | None = parse_uint(raw, 0, "id")
    except DecodeFailure:
        checked = None
    assert uint_text(raw) == checked


@pytest.mark.parametrize(
    ("key", "record"),
    [
        (sw.Key(0, "get", all=True), "name = Shop {i}, status = 1, id = {i}"),
        (sw.Key(0, "get", operators=True), "name = Shop {i}, mts = 1, id = {i}"),
        (sw.Key(1, "get", all=True), "Shop {i},1,{i}"),
    ],
    ids=str,
)
def test_a_list_cut_short_builds_no_records(
    key: sw.Key, record: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long body whose last line is cut short fails before its records are built (issue 12:
    a 16 MiB body held ten times its size in models thrown away)."""
    from smsc_wire import _models
    from smsc_wire._formats import fmt0_text
    from smsc_wire._formats import lines as lines_module

    built = 0

    class Counted(_models.SenderDraft):
        __slots__ = ()

        def __new__(cls) -> Counted:
            nonlocal built
            built += 1
            return super().__new__(cls)

    def counted_sender(*args: Any) -> sw.Sender:
        nonlocal built
        built += 1
        return _models.new_sender(*args)

    monkeypatch.setattr(_models, "SenderDraft", Counted)
    monkeypatch.setattr(lines_module, "SenderDraft", Counted)
    for module in (lines_module, fmt0_text):
        monkeypatch.setattr(module, "new_sender", counted_sender)
    whole = "\n".join(record.format(i=i) for i in range(1, 2001))
    assert sw.decode(whole.encode(), key) == sw.decode(whole, key)
    assert built >= 4000  # the counters count: bytes and text both read the records
    built = 0
    cut = whole[: whole.rindex(",") - 2]  # the last record ends mid-field
    with pytest.raises(sw.WireFormatError) as caught:
        sw.decode(cut.encode(), key)
    assert (caught.value.line, caught.value.offset) == (2000, len(cut))
    assert sw.sniff(cut.encode()) == []
    assert built == 0


@pytest.mark.parametrize("key", [k for k in KEYS if k.fmt == 3 and k.operation == "get"], ids=str)
@given(data=st.data())
@settings(max_examples=60)
def test_the_column_readers_never_change_their_input(key: sw.Key, data: st.DataObject) -> None:
    """A fast reader leaves the decoded value as it was, whether it reads it or declines it."""
    import copy

    from smsc_wire._formats import fmt3_json

    text, _ = data.draw(wire(key))
    assembled = orjson.dumps(data.draw(_json_values)).decode("utf-8")
    codec = sw.registry[key]
    assert isinstance(codec, fmt3_json.JsonCodec)
    read = fmt3_json._operator_columns if key.operators else fmt3_json._record_columns
    for body in (text, assembled):
        value = orjson.loads(body)
        if type(value) is not list:
            continue
        before = copy.deepcopy(value)
        read(codec, value, False)
        assert value == before
        assert [list(record) for record in value if isinstance(record, dict)] == [
            list(record) for record in before if isinstance(record, dict)
        ]  # the members' order too
