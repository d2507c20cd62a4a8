"""The security issue's defects, each pinned by the test that found it (SPEC D4, D6, D9-D11).

Strategy: one section per defect. Each test states the attack or misuse, and the exact outcome:
the error's type, reason and position, or the bytes written. "No I/O while decoding" is proven
with FIFOs: opening a FIFO with no writer blocks forever, so a decode that opens one never
returns, and the test (run in a subprocess with a timeout) fails instead of passing silently.
"""

from __future__ import annotations

import array
import codecs
import contextlib
import encodings
import enum
import json
import os
import pickle
import pkgutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Final

import pytest

import smsc_wire as sw

GET0: Final = sw.Key(0, "get")
GET2: Final = sw.Key(2, "get")
GET2_OPS: Final = sw.Key(2, "get", operators=True)
GET3: Final = sw.Key(3, "get")
GET3_ALL: Final = sw.Key(3, "get", all=True)
GET3_OPS: Final = sw.Key(3, "get", operators=True)
GET3_ALL_OPS: Final = sw.Key(3, "get", all=True, operators=True)
ADD3: Final = sw.Key(3, "add")
DOCTYPE: Final = "a DOCTYPE is not allowed (SPEC D11)"


def outcome(call: Callable[[], sw.Reply]) -> tuple[str, object]:
    """What a decode gives, comparably: the reply, or the error's type, reason and position."""
    try:
        return "reply", call()
    except sw.WireFormatError as exc:
        return type(exc).__name__, (exc.reason, exc.line, exc.column, exc.offset, exc.excerpt)


# --- 1. nothing outside the body is opened (SPEC D11) ------------------------------------------

_DECODE_EACH: Final = """
import json, sys
import smsc_wire as sw
results = []
for body in json.loads(sys.argv[1]):
    try:
        sw.decode(body.encode(), sw.Key(2, "get"))
        results.append("decoded")
    except sw.WireFormatError as exc:
        results.append([exc.reason, exc.line, exc.column, exc.offset])
print(json.dumps(results))
"""


def _decode_in_subprocess(bodies: list[str], timeout: float) -> list[Any]:
    completed = subprocess.run(
        [sys.executable, "-c", _DECODE_EACH, json.dumps(bodies)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    results: list[Any] = json.loads(completed.stdout)
    return results


def _attacks(target: str) -> list[str]:
    url = "file://" + target
    return [
        f'<!DOCTYPE list SYSTEM "{target}"><list/>',
        f'<!DOCTYPE list SYSTEM "{url}"><list/>',
        f'<!DOCTYPE list PUBLIC "-//X//Y" "{target}"><list/>',
        f'<!DOCTYPE list [<!ENTITY % p SYSTEM "{target}"> %p;]><list/>',
        f'<!DOCTYPE list [<!ENTITY % p SYSTEM "{url}"> %p;]><list/>',
        f'<!DOCTYPE list [<!ENTITY e SYSTEM "{target}">]><list>&e;</list>',
        f'<!DOCTYPE list [<!ENTITY e SYSTEM "{url}">]><list>&e;</list>',
        f'<?xml version="1.0"?>\n<!-- c --><!DOCTYPE list SYSTEM "{url}"><list/>',
    ]


def test_a_fifo_blocks_whoever_opens_it(tmp_path: Path) -> None:
    # The control: the proof below means something only if opening the FIFO really blocks.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run(
            [sys.executable, "-c", f"open({str(fifo)!r}).read()"], timeout=3, check=False
        )


def test_no_doctype_resource_is_ever_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    bodies = _attacks(str(fifo))
    results = _decode_in_subprocess(bodies, timeout=60)
    offsets = [body.index("<!DOCTYPE") for body in bodies]
    assert results == [
        [DOCTYPE, body.count("\n", 0, offset) + 1, offset - body.rfind("\n", 0, offset), offset]
        for body, offset in zip(bodies, offsets, strict=True)
    ]


def test_dev_zero_as_a_parameter_entity_returns_at_once() -> None:
    # libxml2 read /dev/zero forever here before the DOCTYPE was refused ahead of the parser.
    bodies = _attacks("/dev/zero")
    results = _decode_in_subprocess(bodies, timeout=60)
    assert [r[0] for r in results] == [DOCTYPE] * len(bodies)


def test_xinclude_of_a_fifo_is_not_processed(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    body = (
        '<list xmlns:xi="http://www.w3.org/2001/XInclude">'
        f'<xi:include href="{fifo}" parse="text"/></list>'
    )
    assert _decode_in_subprocess([body], timeout=60) == [
        ["expected <sender>, found element <xi:include>", 1, 50, 49]
    ]


def test_the_parser_itself_refuses_every_external_load(tmp_path: Path) -> None:
    # Defence in depth: even handed a DOCTYPE directly, the library's parser opens nothing.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    script = textwrap.dedent(
        f"""
        from lxml import etree
        from smsc_wire._formats.fmt2_xml import hardened_parser
        for body in {_attacks(str(fifo))!r}:
            try:
                etree.fromstring(body.encode(), hardened_parser())
            except etree.XMLSyntaxError:
                pass
        print("done")
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert completed.stdout.strip() == "done"


# --- 2. bytes-like bodies decode like bytes(raw) (SPEC D10) ------------------------------------


class _Bytes(bytes):
    def __bytes__(self) -> bytes:
        return b"ERROR = 1 (injected)"


_BODIES: Final = [
    (GET3, b"[]"),
    (GET3, b'[{"sender": "A", "id": 1}]'),
    (GET3, b'[{"sender": "A", "id": x}]'),
    (GET2, b""),
    (GET2, b"<list/>"),
    (GET2, b'<list><sender id="1">\xd0\x81</sender></list>'),
    (GET0, b"name = A, id = 1\nname = B, id = 2"),
    (GET0, b"name = A, id = 1\nname = \xc1, id = 2"),
    (sw.Key(1, "add"), b"12345678"),
    (sw.Key(0, "del"), b"\xef\xbb\xbfOK"),
]


@pytest.mark.parametrize(("key", "raw"), _BODIES, ids=[f"{k}-{r!r}" for k, r in _BODIES])
@pytest.mark.parametrize("form", ["bytearray", "memoryview", "typed-memoryview", "subclass"])
def test_bytes_like_bodies_decode_like_bytes(key: sw.Key, raw: bytes, form: str) -> None:
    if form == "bytearray":
        body: Any = bytearray(raw)
    elif form == "memoryview":
        body = memoryview(raw)
    elif form == "subclass":
        body = _Bytes(raw)
    else:
        raw += b" " * (-len(raw) % 8)  # an array of 8-byte items holds a multiple of 8 bytes
        body = memoryview(array.array("Q", raw))
    assert outcome(lambda: sw.decode(body, key)) == outcome(lambda: sw.decode(bytes(raw), key))


class _Short(bytes):
    def __len__(self) -> int:
        return 0


def test_a_bytes_subclass_is_measured_by_its_buffer() -> None:
    # Regression (fuzz_decode): a subclass's __len__ decided the size limit.
    body = b"name = a, id = 7"
    with pytest.raises(sw.InputTooLargeError) as info:
        sw.decode(_Short(body), GET0, max_size=len(body) - 1)
    assert (info.value.size, info.value.limit) == (len(body), len(body) - 1)


def test_a_typed_memoryview_is_measured_in_bytes() -> None:
    body = memoryview(array.array("Q", [0, 0, 0]))  # 3 items, 24 bytes
    with pytest.raises(sw.InputTooLargeError) as info:
        sw.decode(body, GET0, max_size=10)
    assert (info.value.size, info.value.limit) == (24, 10)
    assert info.value.reason == "input of 24 bytes is over the limit of 10 (max_size)"


@pytest.mark.parametrize(
    ("charset", "body"),
    [("utf-7", b"name = +2AA-, id = 7"), ("unicode-escape", b"name = \\ud800, id = 7")],
)
def test_a_codec_giving_a_lone_surrogate_is_a_format_error(charset: str, body: bytes) -> None:
    # Regression (fuzz_decode): these codecs decode bytes to a lone surrogate, which no fmt
    # carries and encode refuses.
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(body, GET0, charset=charset)
    assert info.value.reason == "a lone surrogate is not a character"
    assert (info.value.line, info.value.column) == (1, 8)


def test_a_body_that_is_not_bytes_like_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"^raw must be bytes or str, not int$"):
        sw.decode(12, GET0)  # type: ignore[arg-type]


# --- 3. charsets: only our errors, never a UnicodeError (SPEC D10) -----------------------------


def _text_codecs() -> list[str]:
    names = set()
    for module in pkgutil.iter_modules(encodings.__path__):
        try:
            info = codecs.lookup(module.name)
        except LookupError:
            continue
        names.add(info.name)
    return sorted(names)


_NOT_TEXT: Final = ["hex", "zlib", "base64", "bz2", "rot13", "uu", "quopri", "undefined"]


@pytest.mark.parametrize("charset", _NOT_TEXT)
def test_codecs_that_are_not_charsets_are_refused(charset: str) -> None:
    with pytest.raises(sw.UnsupportedCharsetError) as info:
        sw.decode(b"OK", sw.Key(0, "del"), charset=charset)
    assert info.value.reason == (
        f"unknown charset {charset!r}: expected a text encoding such as utf-8, "
        "windows-1251 or koi8-r"
    )


@pytest.mark.parametrize("charset", _text_codecs())
def test_every_text_codec_gives_a_reply_or_our_error(charset: str) -> None:
    bodies = [b"", b"OK", b"\xff" * 7, bytes(range(256)), b"a" * 100, b"a.b-", b"xn--", b"\x00"]
    for body in bodies:
        with contextlib.suppress(sw.WireFormatError, sw.UnsupportedCharsetError):
            sw.decode(body, sw.Key(0, "del"), charset=charset)


@pytest.mark.parametrize(
    ("charset", "body", "reason"),
    [
        ("idna", b"xn--a-.x", "the body is not valid idna: \"('IDNA does not round-trip', "),
        ("idna", b"xn--", "the body is not valid idna: \"decoding with 'idna' codec failed "),
        ("punycode", b"zz", "the body is not valid punycode: \"decoding with 'punycode' "),
    ],
)
def test_a_codec_failing_in_its_own_way_is_a_format_error(
    charset: str, body: bytes, reason: str
) -> None:
    # These raise a bare UnicodeError, not a UnicodeDecodeError with a position.
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(body, sw.Key(0, "del"), charset=charset)
    assert info.value.reason.startswith(reason)
    assert (info.value.line, info.value.offset) == (None, None)
    assert len(info.value.reason) < 150


# --- 4. a sign is a format error, -0 included (SPEC D9) ----------------------------------------

_SIGNED: Final = [
    (ADD3, '{"sender": -0}', 11),
    (ADD3, '{\n"error": "x",\n"error_code": -0\n}', 30),
    (GET3, '[{"sender": "A", "id": -0}]', 23),
    (GET3_ALL, '[{"sender": "A", "status": -0, "id": 1}]', 27),
    (GET3_OPS, '[{"sender": "A", "mega_step": -0, "id": "1"}]', 30),
    (GET3_OPS, '[{"sender": "A", "mega_step": "1", "id": -0}]', 41),
    (GET3_ALL_OPS, '[{"sender": "A-0", "status": -0, "id": "1"}]', 29),
]


@pytest.mark.parametrize(("key", "body", "offset"), _SIGNED)
def test_json_minus_zero_is_a_format_error(key: sw.Key, body: str, offset: int) -> None:
    for raw in (body, body.encode()):
        with pytest.raises(sw.WireFormatError) as info:
            sw.decode(raw, key)
        assert info.value.reason == "a number with a sign is not an unsigned integer (SPEC D9)"
        assert info.value.offset == offset
        assert body[offset] == "-"


def test_a_minus_inside_a_string_is_no_sign() -> None:
    assert sw.decode(b'[{"sender": "A-0", "id": 0}]', GET3) == sw.SenderList([sw.Sender("A-0", 0)])


# --- 5. every exception survives pickle (SPEC D11) ---------------------------------------------


def _raised() -> list[Exception]:
    caught: list[Exception] = []
    calls: list[Callable[[], object]] = [
        lambda: sw.decode(b"x" * 11, GET0, max_size=10),
        lambda: sw.decode(b"name = A, id = x", GET0),
        lambda: sw.decode(b"", sw.Key(1, "get", operators=True)),
        lambda: sw.decode(b"", GET0, charset="no-such"),
        lambda: sw.encode(sw.SenderList([sw.Sender("", 1)]), GET0),
        lambda: sw.ErrorReply(sw.ErrorCode.SENDER_NOT_FOUND, "record not found").raise_for_error(),
    ]
    for call in calls:
        try:
            call()
        except sw.SmscWireError as exc:
            caught.append(exc)
    return caught


def test_every_exception_round_trips_through_pickle() -> None:
    caught = _raised()
    assert [type(exc).__name__ for exc in caught] == [
        "InputTooLargeError",
        "WireFormatError",
        "UnsupportedKeyError",
        "UnsupportedCharsetError",
        "EncodeError",
        "ServerError",
    ]
    for exc in caught:
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc)
        assert str(back) == str(exc)
        assert back.args == exc.args
        assert vars(back) == vars(exc)


def _worker(size: int) -> str:
    if size > 10:
        sw.decode(b"x" * size, GET0, max_size=10)
    return "ok"


def test_errors_cross_a_process_pool_without_breaking_it() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        failing = pool.submit(_worker, 11)
        with pytest.raises(sw.InputTooLargeError) as info:
            failing.result(timeout=60)
        assert (info.value.size, info.value.limit) == (11, 10)
        assert pool.submit(_worker, 1).result(timeout=60) == "ok"


# --- 6. encode writes values, never their format() or str() (SPEC D11) ------------------------


class _Id(int, enum.Enum):
    A = 5


class _Name(str, enum.Enum):  # noqa: UP042 - the (str, Enum) mix of the issue
    A = "nm"


class _Sneaky(str):
    def __str__(self) -> str:
        return "x, id = 99\nname = injected"

    def __format__(self, spec: str) -> str:
        return "x, id = 99\nname = injected"

    def __repr__(self) -> str:
        return "x, id = 99\nname = injected"


class _SneakyInt(int):
    def __int__(self) -> int:
        return 99

    def __index__(self) -> int:
        return 98

    def __format__(self, spec: str) -> str:
        return "97"

    def __repr__(self) -> str:
        return "96"


def _model(key: sw.Key, name: str, number: int, text: str) -> sw.Reply:
    if key.operation is sw.Operation.ADD:
        return sw.SenderAdded(number)
    if key.operation is not sw.Operation.GET:
        return sw.Ok()
    return sw.SenderList(
        [
            sw.Sender(
                name,
                number,
                number if key.all else None,
                {text: number, "mega_step": number, "raw": text} if key.operators else None,
            )
        ]
    )


@pytest.mark.parametrize("key", list(sw.registry), ids=str)
def test_subclasses_and_enums_are_written_as_their_values(key: sw.Key) -> None:
    plain = _model(key, "nm", 5, "val")
    expected = sw.encode(plain, key)
    for name, number, text in [
        (_Name.A, _Id.A, _Sneaky("val")),
        (_Sneaky("nm"), _SneakyInt(5), _Sneaky("val")),
    ]:
        assert sw.encode(_model(key, name, number, text), key) == expected
    description = None if key.fmt == 1 else "d"
    error = sw.encode(sw.ErrorReply(5, description), key)
    sneaky = sw.ErrorReply(_SneakyInt(5), None if key.fmt == 1 else _Sneaky("d"))
    assert sw.encode(sneaky, key) == error
    assert sw.encode(sw.ErrorReply(_Id.A, description), key) == error


def test_the_injection_of_the_issue_writes_one_record() -> None:
    text = sw.encode(sw.SenderList([sw.Sender(_Sneaky("ok"), 1)]), GET0)
    assert text == "name = ok, id = 1"


# --- 7. encode never writes what decode refuses (SPEC D11) -------------------------------------


def test_xml_text_past_libxml2s_default_limit_reads_back() -> None:
    reply = sw.SenderList([sw.Sender("a" * 10_000_001, 1)])
    assert sw.decode(sw.encode(reply, GET2), GET2) == reply


def test_xml_attribute_name_past_libxml2s_default_limit_reads_back() -> None:
    reply = sw.SenderList([sw.Sender("a", 1, None, {"b" * 50_001: 1})])
    assert sw.decode(sw.encode(reply, GET2_OPS), GET2_OPS) == reply


def test_xml_nesting_is_still_bounded() -> None:
    body = "<list>" + "<a>" * 5000 + "</a>" * 5000 + "</list>"
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(body, GET2)
    assert info.value.reason.startswith("not well-formed XML: Excessive depth in document: 2048")


@pytest.mark.parametrize("key", [GET0, GET2, GET3], ids=str)
def test_encode_refuses_a_body_over_the_default_size_limit(key: sw.Key) -> None:
    reply = sw.SenderList([sw.Sender("Ё" * (sw.DEFAULT_MAX_SIZE // 2), 1)])
    with pytest.raises(sw.EncodeError) as info:
        sw.encode(reply, key)
    assert info.value.reason.startswith("the body would be ")
    assert info.value.reason.endswith(
        f"bytes, over the default size limit of decode ({sw.DEFAULT_MAX_SIZE} bytes, SPEC D11)"
    )


# --- 8. namespace declarations are attributes no key defines (SPEC D6) ------------------------

_NAMESPACED: Final = [
    (sw.Key(2, "chg"), '<result xmlns:a="urn:x">OK</result>', "<result> has no attribute 'xmlns:a'", 8),
    (sw.Key(2, "del"), '<result xmlns="">OK</result>', "<result> has no attribute 'xmlns'", 8),
    (sw.Key(2, "add"), '<sender>\n<id xmlns:b="u">1</id>\n</sender>', "<id> has no attribute 'xmlns:b'", 13),
    (GET2, '<list>\n<sender xmlns:p="u" id="1">A</sender>\n</list>', "<sender> has no attribute 'xmlns:p'", 15),
    (GET2_OPS, '<list>\n<sender id="1" xmlns:p="u">A</sender>\n</list>', "<sender> has no attribute 'xmlns:p'", 22),
    (sw.Key(2, "chg"), '<result xmlns:e="u">\n<error>x</error>\n<error_code>1</error_code>\n</result>', "<result> has no attribute 'xmlns:e'", 8),
]  # fmt: skip


@pytest.mark.parametrize(("key", "body", "reason", "offset"), _NAMESPACED)
def test_namespace_declarations_are_refused(
    key: sw.Key, body: str, reason: str, offset: int
) -> None:
    for raw in (body, body.encode()):
        with pytest.raises(sw.WireFormatError) as info:
            sw.decode(raw, key)
        assert (info.value.reason, info.value.offset) == (reason, offset)


# --- 9. a str subclass is decoded as its characters (SPEC D11) --------------------------------


class _Text(str):
    def __str__(self) -> str:
        return "ERROR = 1 (injected)"

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return b"ERROR = 1 (injected)"


@pytest.mark.parametrize("key", list(sw.registry), ids=str)
def test_a_str_subclass_body_decodes_as_its_characters(key: sw.Key) -> None:
    reply = _model(key, "nm", 5, "val")
    text = sw.encode(reply, key)
    assert sw.decode(_Text(text), key) == reply


# --- 10. the registry refuses what would break it ----------------------------------------------


def test_registering_a_non_key_or_a_non_codec_is_a_type_error() -> None:
    before = list(sw.registry)
    with pytest.raises(TypeError, match=r"^key must be a smsc_wire\.Key, not str$"):
        sw.registry.register("oops", object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^codec must have a callable decode\(\)"):
        sw.registry.register(sw.Key(9, "get"), object())  # type: ignore[arg-type]
    assert list(sw.registry) == before
    assert sw.sniff(b"OK")


# --- 11. decode refuses operator fields that encode refuses (SPEC D4) --------------------------

_FIELDS: Final = [
    (GET2_OPS, '<list><sender x="a&#10;b" id="1">A</sender></list>', "operator value 'a\\nb' holds CR, LF or NUL, which no fmt can carry (SPEC D4)", 14),
    (GET2_OPS, '<list><sender x="a&#13;" id="1">A</sender></list>', "operator value 'a\\r' holds CR, LF or NUL, which no fmt can carry (SPEC D4)", 14),
    (GET2_OPS, '<list><sender xmlop="2" id="1">A</sender></list>', "<sender> has no attribute 'xmlop' under this key", 14),
    (GET3_OPS, '[{"sender": "a", "": "1", "id": "1"}]', "an operator field name is empty (SPEC D4)", 17),
    (GET3_OPS, '[{"sender": "a", "x\\u0000": "1", "id": "1"}]', "operator field name 'x\\x00' holds CR, LF or NUL (SPEC D4)", 17),
    (GET3_OPS, '[{"sender": "a", "x\\n": 1, "id": "1"}]', "operator field name 'x\\n' holds CR, LF or NUL (SPEC D4)", 17),
    (GET3_OPS, '[{"sender": "a", "x": "v\\u0000", "id": "1"}]', "operator value 'v\\x00' holds CR, LF or NUL, which no fmt can carry (SPEC D4)", 17),
    (GET3_ALL_OPS, '[{"sender": "a", "status": "1", "x": "\\r", "id": "1"}]', "operator value '\\r' holds CR, LF or NUL, which no fmt can carry (SPEC D4)", 32),
]  # fmt: skip


@pytest.mark.parametrize(("key", "body", "reason", "offset"), _FIELDS)
def test_decode_refuses_operator_fields_encode_refuses(
    key: sw.Key, body: str, reason: str, offset: int
) -> None:
    for raw in (body, body.encode()):
        with pytest.raises(sw.WireFormatError) as info:
            sw.decode(raw, key)
        assert (info.value.reason, info.value.offset) == (reason, offset)


# --- 12. messages are bounded (SPEC D11) -------------------------------------------------------

_HUGE: Final = "n" * 1_000_000


@pytest.mark.parametrize(
    ("key", "body"),
    [
        (GET3_OPS, f'[{{"sender": "a", "{_HUGE}": "1.5", "id": "1"}}]'),
        (GET3, f'[{{"sender": "a", "{_HUGE}": 1, "id": 1}}]'),
        (GET3, f'[{{"sender": "a", "id": 1, "{_HUGE}": 1, "{_HUGE}": 2}}]'),
        (GET3, f'[{{"sender": 1, "id": "{_HUGE}"}}]'),
        (GET2, f'<list><sender id="1" {_HUGE}="1">A</sender></list>'),
        (GET2, f"<list><{_HUGE}/></list>"),
        (GET2, f'<list><sender id="{_HUGE}">A</sender></list>'),
        (GET2_OPS, f'<list><sender id="1" a="{"1" * 1_000_000}.5">A</sender></list>'),
        (GET0, f"name = A, id = {_HUGE}"),
        (sw.Key(0, "get", operators=True), f"name = A, x = {'1' * 1_000_000}.5, id = 1"),
    ],
    ids=range(10),
)
def test_error_messages_are_bounded(key: sw.Key, body: str) -> None:
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(body, key)
    assert len(str(info.value)) < 400, str(info.value)[:400]


def test_encode_error_messages_are_bounded() -> None:
    name = "x, a = " + _HUGE
    with pytest.raises(sw.EncodeError) as info:
        sw.encode(sw.SenderList([sw.Sender(name, 1, None, {})]), sw.Key(0, "get", operators=True))
    assert len(str(info.value)) < 400
    with pytest.raises(sw.EncodeError) as info:
        sw.encode(sw.SenderList([sw.Sender("A", 1, None, {"x": _HUGE + "\n"})]), GET3_OPS)
    assert len(str(info.value)) < 400
    with pytest.raises(sw.UnsupportedCharsetError) as charset:
        sw.decode(b"", GET0, charset=_HUGE)
    assert len(str(charset.value)) < 400


def test_server_error_messages_are_bounded() -> None:
    with pytest.raises(sw.ServerError) as info:
        sw.ErrorReply(sw.ErrorCode.SAVE_ERROR, _HUGE).raise_for_error()
    assert str(info.value) == f"error 5 (SAVE_ERROR): {'n' * 200}… (1000000 characters)"
    assert info.value.description == _HUGE


# --- 13. fmt 2 positions come from the markup, not a text search -------------------------------

_POSITIONS: Final = [
    ('<list><sender id="1"><![CDATA[<sender id="y">]]></sender><sender id="x">B</sender></list>', 1, 66),
    ('<list>\r<sender id="x">A</sender></list>', 1, 16),
    ('<list>\r\n<sender id="1">A</sender>\r<sender id="x">B</sender></list>', 2, 35),
    ('<list><sender id="1">A</sender><sender id="2">B</sender><sender id="x">C</sender></list>', 1, 65),
    ('<?xml version="1.0"?><list><sender id="1"><![CDATA[<?x?>]]></sender><sender id="x">B</sender></list>', 1, 77),
    ('<list><sender a=">" id="x">B</sender></list>', 1, 21),
    ("<list><sender id = 'x'>B</sender></list>", 1, 15),
]  # fmt: skip


@pytest.mark.parametrize(("body", "line", "column"), _POSITIONS)
def test_xml_positions_come_from_the_markup(body: str, line: int, column: int) -> None:
    key = GET2_OPS if " a=" in body else GET2
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(body, key)
    assert info.value.reason == "id 'x' is not an unsigned integer"
    assert (info.value.line, info.value.column) == (line, column)
    assert body[info.value.offset or 0 :].startswith("id")
