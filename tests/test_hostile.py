"""The attack suite: hostile bodies in every fmt end in the exact error, quickly (SPEC D9, D11).

Strategy: each case names the attack, the key, the exact reason and position of the error, and a
generous time bound (a hang shows as a failure, not as a stuck run). The size limit is proven to
act before any codec runs by a spy codec; linear time is proven by growth, never by absolute
wall-clock times: each adversarial family is decoded at n and 4n characters, and the best of
several runs may grow by less than 10x (linear is 4x, quadratic 16x). Regressions found by the
fuzzers (fuzz/README.md) are pinned here with their exact errors.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Final

import pytest

import smsc_wire as sw
import smsc_wire._api as api

GET0: Final = sw.Key(0, "get")
GET0_ALL: Final = sw.Key(0, "get", all=True)
GET0_OPS: Final = sw.Key(0, "get", operators=True)
GET0_ALL_OPS: Final = sw.Key(0, "get", all=True, operators=True)
GET1: Final = sw.Key(1, "get")
GET1_ALL: Final = sw.Key(1, "get", all=True)
GET2: Final = sw.Key(2, "get")
GET2_ALL: Final = sw.Key(2, "get", all=True)
GET2_OPS: Final = sw.Key(2, "get", operators=True)
GET2_ALL_OPS: Final = sw.Key(2, "get", all=True, operators=True)
GET3: Final = sw.Key(3, "get")
GET3_ALL: Final = sw.Key(3, "get", all=True)
GET3_OPS: Final = sw.Key(3, "get", operators=True)
GET3_ALL_OPS: Final = sw.Key(3, "get", all=True, operators=True)

# Generous: every case here takes milliseconds to a few hundred; a hang takes forever.
BOUND: Final = 10.0
SECRET: Final = "TOP-SECRET-4f1c9b"


@contextmanager
def within(seconds: float = BOUND) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.2f} s"


def fails(
    raw: bytes | str, key: sw.Key, *, charset: str = "utf-8", max_size: int = sw.DEFAULT_MAX_SIZE
) -> sw.WireFormatError:
    """The WireFormatError that decoding ``raw`` raises, within the time bound."""
    with within(), pytest.raises(sw.WireFormatError) as info:
        sw.decode(raw, key, charset=charset, max_size=max_size)
    return info.value


def where(error: sw.WireFormatError) -> tuple[int | None, int | None, int | None]:
    return error.line, error.column, error.offset


# --- XML ---------------------------------------------------------------------------------------

_LIST: Final = '<list>\n<sender id="1">{}</sender>\n</list>'


def test_xml_billion_laughs() -> None:
    entities = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10)
    ).replace("&lol0;", "lol")
    body = f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{entities}]>\n' + _LIST.format("&lol9;")
    error = fails(body, GET2)
    # SPEC D11: a DOCTYPE is refused before the parser sees it, so nothing is expanded.
    assert error.reason == "a DOCTYPE is not allowed (SPEC D11)"
    assert where(error) == (2, 1, 22)
    assert "lol" * 100 not in str(error)


def test_xml_quadratic_blowup() -> None:
    body = f'<!DOCTYPE l [<!ENTITY a "{"x" * 50_000}">]>\n' + _LIST.format("&a;" * 50_000)
    error = fails(body, GET2)
    assert error.reason == "a DOCTYPE is not allowed (SPEC D11)"
    assert where(error) == (1, 1, 0)
    assert len(str(error)) < 200


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE list [<!ENTITY x SYSTEM "file://{path}">]>',
        '<!DOCTYPE list [<!ENTITY x SYSTEM "{path}">]>',
        '<!DOCTYPE list SYSTEM "file://{path}">',
    ],
    ids=["file-url", "path", "external-subset"],
)
def test_xml_external_entity_to_a_local_file(tmp_path: Path, doctype: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(f'{SECRET}<!ENTITY x "{SECRET}">', encoding="utf-8")
    body = doctype.format(path=secret) + "\n" + _LIST.format("&x;")
    for raw in (body, body.encode("utf-8")):
        error = fails(raw, GET2)
        assert SECRET not in str(error)
        assert SECRET not in repr(vars(error))
        assert error.reason.startswith(("a DOCTYPE is not allowed", "not well-formed XML: "))
        assert error.line == 1


def test_xml_parameter_entity_to_a_local_file(tmp_path: Path) -> None:
    dtd = tmp_path / "leak.dtd"
    dtd.write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    body = f'<!DOCTYPE list [<!ENTITY % p SYSTEM "file://{dtd}"> %p;]>\n' + _LIST.format("&leak;")
    error = fails(body, GET2)
    assert SECRET not in str(error)
    assert error.line == 1


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local TCP port that records whether anything connected to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server
    server.close()


def _nobody_connected(server: socket.socket) -> bool:
    server.settimeout(0.3)
    try:
        connection, _ = server.accept()
    except TimeoutError:
        return True
    connection.close()
    return False


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        (
            '<!DOCTYPE list SYSTEM "{url}/x.dtd">\n<list>\n</list>',
            "a DOCTYPE is not allowed (SPEC D11)",
        ),
        (
            '<!DOCTYPE list [<!ENTITY % p SYSTEM "{url}/p"> %p;]>\n<list>\n</list>',
            "a DOCTYPE is not allowed (SPEC D11)",
        ),
        (
            '<!DOCTYPE list [<!ENTITY e SYSTEM "{url}/e">]>\n' + _LIST.format("&e;"),
            "a DOCTYPE is not allowed (SPEC D11)",
        ),
        (
            '<list xmlns:xi="http://www.w3.org/2001/XInclude">\n'
            '<xi:include href="{url}/i" parse="text"/>\n</list>',
            "expected <sender>, found element <xi:include>",
        ),
    ],
    ids=["external-dtd", "parameter-entity", "external-entity", "xinclude"],
)
def test_xml_no_network_access_is_attempted(
    listener: socket.socket, template: str, reason: str
) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    error = fails(template.format(url=url), GET2)
    assert error.reason == reason.format(url=url)
    assert _nobody_connected(listener)


def test_xml_xinclude_of_a_local_file_is_not_processed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    body = (
        '<list xmlns:xi="http://www.w3.org/2001/XInclude">\n'
        f'<sender id="1"><xi:include href="{secret}" parse="text"/></sender>\n</list>'
    )
    error = fails(body, GET2)
    assert error.reason == ("element <xi:include> is not allowed inside <sender>")
    assert where(error) == (2, 16, 65)
    assert SECRET not in str(error)


@pytest.mark.parametrize(
    ("body", "reason", "position"),
    [
        ("<?pi x?>\n<list>\n</list>", "a processing instruction is not allowed outside the root "
         "element", (1, 1, 0)),
        ("<list>\n</list>\n<?pi?>", "a processing instruction is not allowed outside the root "
         "element", (3, 1, 15)),
        ("<list>\n<?pi x?>\n</list>", "a processing instruction is not allowed", (2, 1, 7)),
        ('<list>\n<sender id="1">a<?pi?></sender>\n</list>',
         "a processing instruction is not allowed inside <sender>", (2, 17, 23)),
        ('<?xml-stylesheet href="x.xsl"?>\n<list>\n</list>',
         "a processing instruction is not allowed outside the root element", (1, 1, 0)),
    ],
)  # fmt: skip
def test_xml_processing_instructions(
    body: str, reason: str, position: tuple[int, int, int]
) -> None:
    error = fails(body, GET2)
    assert error.reason == reason
    assert where(error) == position


@pytest.mark.parametrize(
    "doctype",
    [
        "<!DOCTYPE list>",
        "<!DOCTYPE list []>",
        '<!DOCTYPE list PUBLIC "-//X//Y" "x.dtd">',
        "<!DOCTYPE list [<!ELEMENT list ANY>]>",
        '<!DOCTYPE list [<!ATTLIST sender id CDATA "1">]>',
    ],
)
def test_xml_a_doctype_of_any_kind(doctype: str) -> None:
    error = fails(f"{doctype}\n<list>\n</list>", GET2)
    if error.reason.startswith("not well-formed XML: "):  # an external subset libxml2 refuses
        assert "network" in error.reason or "load" in error.reason
    else:
        assert error.reason == "a DOCTYPE is not allowed (SPEC D11)"
        assert where(error) == (1, 1, 0)


def test_xml_a_doctype_in_utf16_is_found() -> None:
    # A byte scan for "<!DOCTYPE" would miss this; the parsed document does not.
    raw = "<!DOCTYPE list>\n<list>\n</list>".encode("utf-16")
    error = fails(raw, GET2, charset="utf-16")
    assert error.reason == "a DOCTYPE is not allowed (SPEC D11)"
    assert (error.line, error.column) == (1, 1)


def test_xml_declaration_does_not_override_the_charset() -> None:
    body = '<?xml version="1.0" encoding="utf-16"?>\n' + _LIST.format("Ёлка")
    assert sw.decode(body.encode("utf-8"), GET2) == sw.SenderList([sw.Sender("Ёлка", 1)])


def test_xml_very_deep_nesting() -> None:
    error = fails("<list>" + "<a>" * 100_000 + "</a>" * 100_000 + "</list>", GET2)
    assert error.reason.startswith("not well-formed XML: Excessive depth in document")
    assert error.line == 1


@pytest.mark.parametrize("key", [GET2, GET2_OPS])
def test_xml_a_million_attributes(key: sw.Key) -> None:
    # libxml2's huge_tree mode reads them all (SPEC D11: the size limit bounds memory); the
    # reply is then judged in linear time.
    count = 300_000 if key.operators else 1_000_000  # each is an operator field to build
    attributes = " ".join(f'a{i}="1"' for i in range(count))
    body = f'<list>\n<sender {attributes} id="1">x</sender>\n</list>'
    if key.operators:
        with within():
            reply = sw.decode(body, key)
        assert isinstance(reply, sw.SenderList)
        assert len(reply[0].operators or ()) == count
        return
    error = fails(body, key)
    assert error.reason == "<sender> has no attribute 'a0' under this key"
    assert where(error) == (2, 9, 15)


def test_xml_many_attributes_under_operators_are_kept_in_order() -> None:
    # Regression: lxml's attrib.items() made this quadratic (200k attributes: minutes).
    attributes = " ".join(f'a{i}="{i % 7}"' for i in range(200_000))
    with within():
        reply = sw.decode(f'<list>\n<sender {attributes} id="1">x</sender>\n</list>', GET2_OPS)
    assert isinstance(reply, sw.SenderList)
    operators = reply[0].operators
    assert operators is not None
    assert list(operators)[:3] == ["a0", "a1", "a2"]
    assert len(operators) == 200_000
    assert operators["a199999"] == 199_999 % 7


def test_xml_namespaced_attribute_among_many_is_refused() -> None:
    attributes = " ".join(f'a{i}="1"' for i in range(100)) + ' xml:lang="ru"'
    error = fails(f'<list>\n<sender {attributes} id="1">x</sender>\n</list>', GET2_OPS)
    assert error.reason == (
        "<sender> has no attribute '{http://www.w3.org/XML/1998/namespace}lang' under this key"
    )
    # The position is the attribute's own, found in the markup (it was the element's).
    column = f"<sender {attributes}".index("xml:lang") + 1
    assert where(error) == (2, column, 6 + column)


def test_xml_attribute_names_that_libxml2_refuses_are_not_encoded() -> None:
    # Regression (fuzz_roundtrip): U+2492 is a Python word character but no XML name character.
    reply = sw.SenderList([sw.Sender("=", 1, None, sw.Operators({"⒒a": 1, "ﾒ": 2}))])
    with pytest.raises(sw.EncodeError) as info:
        sw.encode(reply, GET2_OPS)
    assert str(info.value) == (
        "fmt=2 get all=0 operators=1: senders[0].operators['⒒a']: '⒒a' is not an XML attribute name"
    )
    fine = sw.SenderList([sw.Sender("=", 1, None, sw.Operators({"ﾒ": 2, "a·b": 3}))])
    assert sw.decode(sw.encode(fine, GET2_OPS), GET2_OPS) == fine


def test_xml_lone_surrogate_in_a_str() -> None:
    error = fails(_LIST.format("a\ud800"), GET2)
    assert error.reason == "a lone surrogate is not a character"
    assert where(error) == (2, 17, 23)


# --- JSON --------------------------------------------------------------------------------------


def test_json_nested_brackets() -> None:
    error = fails("[" * 100_000 + "]" * 100_000, GET3)
    assert error.reason == "invalid JSON: depth limit exceeded"
    assert where(error) == (1, 1026, 1025)


def test_json_nesting_inside_a_record_never_reaches_a_model() -> None:
    error = fails('[{"sender": ' + "[" * 1000 + "]" * 1000 + ', "id": 1}]', GET3)
    assert error.reason == "a sender name must be a string, not an array"
    assert where(error) == (1, 3, 2)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("18446744073709551616", "id must be an unsigned integer, not the number "
         "1.8446744073709552e+19"),
        ("9223372036854775808", "id 9223372036854775808 is out of range 0..2**63-1 (SPEC D9)"),
        ("1" + "0" * 400, "invalid JSON: number is infinity when parsed as double"),
        ("1e400", "invalid JSON: number is infinity when parsed as double"),
        ("-1", "id -1 is out of range 0..2**63-1 (SPEC D9)"),
    ],
)  # fmt: skip
def test_json_integers_beyond_64_bits(value: str, reason: str) -> None:
    error = fails(f'[{{"sender": "a", "id": {value}}}]', GET3)
    assert error.reason == reason
    assert where(error) == ((1, 18, 17) if reason.startswith("id") else (1, 24, 23))


def test_json_big_integer_in_a_string_under_operators() -> None:
    body = '[{"sender": "a", "mega_step": "18446744073709551616", "id": "1"}]'
    error = fails(body, GET3_OPS)
    assert error.reason == "operator status '18446744073709551616' is over 2**63-1 (SPEC D9)"
    assert where(error) == (1, 18, 17)


@pytest.mark.parametrize(
    ("value", "reason", "column"),
    [
        ("NaN", "unexpected character, expected a JSON value", 24),
        ("Infinity", "unexpected character, expected a JSON value", 24),
        ("-Infinity", "no digit after sign", 25),
        ("nan", "invalid literal, expected 'null'", 24),
        ("inf", "unexpected character, expected a JSON value", 24),
    ],
)
def test_json_nan_and_infinity(value: str, reason: str, column: int) -> None:
    error = fails(f'[{{"sender": "a", "id": {value}}}]', GET3)
    assert error.reason == f"invalid JSON: {reason}"
    assert where(error) == (1, column, column - 1)


@pytest.mark.parametrize(
    ("key", "body", "member", "position"),
    [
        (GET3, '[{"sender": "a", "id": 1, "id": 1}]', "id", (1, 27, 26)),
        (GET3_OPS, '[{"sender": "a", "mega_step": "1", "mega_step": "1", "id": "1"}]',
         "mega_step", (1, 36, 35)),
        (GET3, '{"error": "a", "error_code": 1, "error": "b"}', "error", (1, 33, 32)),
        (sw.Key(3, "add"), '{"sender": 1, "sender": 1}', "sender", (1, 15, 14)),
        (sw.Key(3, "del"), '{"result": "OK", "result": "OK"}', "result", (1, 18, 17)),
    ],
)  # fmt: skip
def test_json_duplicate_members(
    key: sw.Key, body: str, member: str, position: tuple[int, int, int]
) -> None:
    error = fails(body, key)
    assert error.reason == f"the member {member!r} appears twice in one object"
    assert where(error) == position


@pytest.mark.parametrize(
    ("body", "reason", "position"),
    [
        ('[{"sender": "\\ud800", "id": 1}]', "invalid JSON: no low surrogate in string",
         (1, 14, 13)),
        ('[{"sender": "\\udc00", "id": 1}]', "invalid JSON: invalid high surrogate in string",
         (1, 14, 13)),
        ('[{"sender": "a\\ud800b", "id": 1}]', "invalid JSON: no low surrogate in string",
         (1, 15, 14)),
        ('[{"sender": "\ud800", "id": 1}]', "a lone surrogate is not a character", (1, 14, 13)),
    ],
)  # fmt: skip
def test_json_lone_surrogates(body: str, reason: str, position: tuple[int, int, int]) -> None:
    error = fails(body, GET3)
    assert error.reason == reason
    assert where(error) == position


def test_json_escaped_surrogate_pair_is_one_character() -> None:
    body = '[{"sender": "\\ud83d\\ude00", "id": 1}]'
    assert sw.decode(body, GET3) == sw.SenderList([sw.Sender("😀", 1)])


@pytest.mark.parametrize(
    ("body", "position"),
    [
        ('[{"sender": "a",\ufeff "id": 1}]', (1, 17, 16)),
        ("[\ufeff]", (1, 2, 1)),
        ("[]\ufeff", (1, 3, 2)),
        ("\ufeff\ufeff[]", (1, 1, 1)),
    ],
)
def test_json_bom_in_the_middle(body: str, position: tuple[int, int, int]) -> None:
    error = fails(body, GET3)
    assert error.reason.startswith("invalid JSON: ")
    assert where(error) == position


def test_json_bom_in_the_middle_of_bytes_counts_bytes() -> None:
    error = fails('[{"sender": "a",\ufeff "id": 1}]'.encode(), GET3)
    assert error.reason == "invalid JSON: unexpected character, expected a string key"
    assert where(error) == (1, 17, 16)


@pytest.mark.parametrize(
    ("key", "body", "position"),
    [
        (GET3, '[{"sender": "a", "id": 1}] x', (1, 28, 27)),
        (GET3, "[] []", (1, 4, 3)),
        (GET3, "[]\x00", (1, 3, 2)),
        (sw.Key(3, "del"), '{"result": "OK"}}', (1, 17, 16)),
        (sw.Key(3, "add"), '{"sender": 1}\n{"sender": 1}', (2, 1, 14)),
    ],
)
def test_json_trailing_garbage(key: sw.Key, body: str, position: tuple[int, int, int]) -> None:
    error = fails(body, key)
    assert error.reason == "invalid JSON: unexpected content after document"
    assert where(error) == position


# --- text (fmt 0 and fmt 1) ----------------------------------------------------------------------

_TEN_MB: Final = 10 * 1024 * 1024


def test_text_10mb_single_line() -> None:
    name = "x" * _TEN_MB
    with within():
        assert sw.decode(f"name = {name}, id = 1", GET0) == sw.SenderList([sw.Sender(name, 1)])
        assert sw.decode(f"{name},1", GET1) == sw.SenderList([sw.Sender(name, 1)])
    error = fails(f"name = {name}", GET0)
    assert error.reason == "expected ', id = <id>' at the end of the line"
    assert where(error) == (1, _TEN_MB + 8, _TEN_MB + 7)
    error = fails(name, GET1)
    assert error.reason == "expected ',<id>' at the end of the line"
    assert where(error) == (1, _TEN_MB + 1, _TEN_MB)


def test_text_100k_fields() -> None:
    fields = "".join(f", f{i} = {i % 10}" for i in range(100_000))
    with within():
        reply = sw.decode(f"name = a, status = 1{fields}, id = 1", GET0_ALL_OPS)
    assert isinstance(reply, sw.SenderList)
    assert reply[0].operators is not None
    assert len(reply[0].operators) == 100_000
    # Without operators=1 the fixed fields are found from the end: the rest is the name (D8).
    with within():
        reply = sw.decode(f"name = a{fields}, id = 1", GET0)
    assert reply == sw.SenderList([sw.Sender("a" + fields, 1)])
    with within():
        reply = sw.decode("a" + ",1" * 100_000, GET1)
    assert reply == sw.SenderList([sw.Sender("a" + ",1" * 99_999, 1)])


def test_text_field_start_repeated() -> None:
    body = "name = a" + ", a = " * 100_000
    error = fails(body, GET0_OPS)
    assert (
        error.reason == "expected ', <operator> = <status>' or ', id = ', found the end of the body"
    )
    assert where(error) == (1, 600_009, 600_008)
    error = fails(body + ", id = 1", GET0_OPS)
    assert error.reason == "field 'a' appears twice"
    assert where(error) == (1, 17, 16)
    error = fails(body, GET0_ALL)
    assert error.reason == "expected ', status = <status>, id = <id>' at the end of the line"
    assert where(error) == (1, 600_009, 600_008)
    error = fails(body + ", id = 1", GET0_ALL_OPS)
    assert error.reason == "expected ', status = ', found ','"
    assert where(error) == (1, 9, 8)


_LONE_CR: Final = "a lone CR is not a line ending"
_NOT_LINE_END: Final = "expected a line ending, found a lone CR"


@pytest.mark.parametrize(
    ("key", "body", "reason", "position"),
    [
        (GET0, "name = a, id = 1\rname = b, id = 2", _LONE_CR, (1, 17, 16)),
        (GET0, "name = a, id = 1\r", _LONE_CR, (1, 17, 16)),
        (GET1, "a,1\rb,2", _LONE_CR, (1, 4, 3)),
        (sw.Key(0, "del"), "OK\r", _NOT_LINE_END, (1, 3, 2)),
        (sw.Key(1, "add"), "7\r\r\n", _NOT_LINE_END, (1, 2, 1)),
    ],
)
def test_text_lone_cr(key: sw.Key, body: str, reason: str, position: tuple[int, int, int]) -> None:
    error = fails(body, key)
    assert error.reason == reason
    assert where(error) == position


_NUL: Final = "a NUL character is not allowed"


@pytest.mark.parametrize(
    ("key", "body", "reason", "position"),
    [
        (GET0, "name = a\x00b, id = 1", _NUL, (1, 9, 8)),
        (GET0, "\x00", "expected 'ERROR = ' or 'name = ', found '\\x00'", (1, 1, 0)),
        (GET1, "a\x00,1", _NUL, (1, 2, 1)),
        (sw.Key(1, "del"), "OK\x00", "expected a line ending, found '\\x00'", (1, 3, 2)),
        (sw.Key(0, "del"), "ERROR = 1 (\x00)",
         "expected a description closed by ')' at the end of the line, found '\\x00'",
         (1, 12, 11)),
    ],
)  # fmt: skip
def test_text_nul(key: sw.Key, body: str, reason: str, position: tuple[int, int, int]) -> None:
    for raw in (body, body.encode()):
        error = fails(raw, key)
        assert error.reason == reason
        assert where(error) == position


@pytest.mark.parametrize("key", [GET0, GET1, GET2, GET3])
def test_invalid_utf8(key: sw.Key) -> None:
    good = sw.encode(sw.SenderList([sw.Sender("Ёлка", 1)]), key).encode("utf-8")
    at = good.index("Ё".encode())
    error = fails(good[:at] + b"\xc3\x28" + good[at + 2 :], key)
    assert error.reason == f"byte c3 at offset {at} is not valid utf-8 (invalid continuation byte)"
    assert error.offset == at


@pytest.mark.parametrize("key", [GET0, GET1, GET2, GET3])
def test_wrong_charset(key: sw.Key) -> None:
    text = sw.encode(sw.SenderList([sw.Sender("Ёлка", 1)]), key)
    at = text.index("Ё")
    error = fails(text.encode("windows-1251"), key)
    assert error.reason == (
        f"byte a8 at offset {at} is not valid utf-8 (invalid start byte); the body reads as "
        "windows-1251, the service's default charset: decode it with the charset the request "
        "named (SPEC D10)"
    )
    assert error.offset == at
    # Single-byte charsets decode any byte: the wrong one gives other letters, never a crash.
    assert sw.decode(text.encode("utf-8"), key, charset="koi8-r") == sw.SenderList(
        [sw.Sender("Ёлка".encode().decode("koi8-r"), 1)]
    )


def test_a_body_starting_with_a_bom_is_not_encoded() -> None:
    # Regression (fuzz_roundtrip): decode drops a leading U+FEFF (SPEC D6), so a fmt 1 list whose
    # first name starts with one read back with a shorter name.
    reply = sw.SenderList([sw.Sender("\ufeffA", 1)])
    with pytest.raises(sw.EncodeError) as info:
        sw.encode(reply, GET1)
    assert str(info.value) == (
        "fmt=1 get all=0 operators=0: the body would start with U+FEFF, which decode drops as a "
        "byte-order mark (SPEC D6, D8)"
    )
    # Anywhere else the character is an ordinary part of a name.
    later = sw.SenderList([sw.Sender("A", 1), sw.Sender("\ufeffB", 2)])
    assert sw.decode(sw.encode(later, GET1), GET1) == later
    assert sw.decode(sw.encode(reply, GET0), GET0) == reply


# --- the size limit ----------------------------------------------------------------------------


class _Spy:
    """A codec that fails the test if anything reaches it."""

    def decode(self, text: str) -> sw.Reply:
        raise AssertionError("the codec ran on a body over the size limit")

    def encode(self, reply: sw.Reply) -> str:
        raise AssertionError("not used")


@pytest.mark.parametrize("key", [GET0, GET1, GET2, GET3, sw.Key(3, "del")])
def test_size_limit_acts_before_any_codec(monkeypatch: pytest.MonkeyPatch, key: sw.Key) -> None:
    monkeypatch.setattr(api, "registry", {key: _Spy()})
    over = sw.DEFAULT_MAX_SIZE + 1
    error = fails(b" " * over, key)
    assert isinstance(error, sw.InputTooLargeError)
    assert error.reason == f"input of {over} bytes is over the limit of 16777216 (max_size)"
    assert (error.size, error.limit, error.offset) == (over, sw.DEFAULT_MAX_SIZE, 16_777_216)
    error = fails(" " * 101, key, max_size=100)
    assert isinstance(error, sw.InputTooLargeError)
    assert error.reason == "input of 101 characters is over the limit of 100 (max_size)"
    assert str(error) == f"{key}: input of 101 characters is over the limit of 100 (max_size)"


def test_size_limit_counts_the_bom_and_bytes_not_characters() -> None:
    assert sw.decode(b"\xef\xbb\xbfOK", sw.Key(0, "del"), max_size=5) == sw.Ok()
    error = fails(b"\xef\xbb\xbfOK", sw.Key(0, "del"), max_size=4)
    assert error.reason == "input of 5 bytes is over the limit of 4 (max_size)"
    # Ten Cyrillic letters are ten characters of a str but twenty bytes of UTF-8.
    name = "Ё" * 10
    assert sw.decode(f"{name},1", GET1, max_size=12) == sw.SenderList([sw.Sender(name, 1)])
    error = fails(f"{name},1".encode(), GET1, max_size=12)
    assert error.reason == "input of 22 bytes is over the limit of 12 (max_size)"


@pytest.mark.parametrize("key", [GET0, GET1, GET2, GET3])
def test_overlong_input_is_rejected_faster_than_a_small_parse(key: sw.Key) -> None:
    # 17 MiB of an otherwise valid body is refused in far less time than a 1 MiB parse takes.
    record = sw.encode(sw.SenderList([sw.Sender("SMSC", 1)] * 2), key)
    small = record * (1024 * 1024 // len(record))
    huge = (record * (17 * 1024 * 1024 // len(record) + 1)).encode()

    def best(action: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            with suppress(sw.WireFormatError):
                action()
            times.append(time.perf_counter() - start)
        return min(times)

    refuse = best(lambda: sw.decode(huge, key))
    parse = best(lambda: sw.decode(small, key))
    with pytest.raises(sw.InputTooLargeError):
        sw.decode(huge, key)
    assert refuse * 10 < parse, (refuse, parse)


# --- linear time -------------------------------------------------------------------------------


def _list(key: sw.Key, count: int) -> str:
    fields: dict[str, sw.OperatorValue] = {"mega_step": 2, "zz": "x"}
    ops = sw.Operators(fields) if key.operators else None
    status = 1 if key.all else None
    return sw.encode(sw.SenderList([sw.Sender(f"S{i}", i, status, ops) for i in range(count)]), key)


# name -> (key, body of about n characters); each family aims at one terminal, lookahead or
# position search that could rescan the input.
FAMILIES: Final[dict[str, tuple[sw.Key, Callable[[int], str]]]] = {
    "fmt0 long name, no id": (GET0, lambda n: "name = " + "x" * n),
    "fmt0 ', id = 1' repeated then junk": (GET0, lambda n: "name = " + ", id = 1" * (n // 8) + "x"),
    "fmt0 ', status = 1, id = 1' repeated": (
        GET0_ALL, lambda n: "name = " + ", status = 1, id = 1" * (n // 20) + "x"
    ),
    "fmt0 ', a = ' repeated (operators)": (GET0_OPS, lambda n: "name = a" + ", a = " * (n // 6)),
    "fmt0 ', a = ' repeated (all)": (GET0_ALL, lambda n: "name = a" + ", a = " * (n // 6)),
    "fmt0 many operator fields": (
        GET0_ALL_OPS,
        lambda n: "name = a, status = 1"
        + "".join(f", f{i} = {i}" for i in range(n // 12))
        + ", id = 1",
    ),
    "fmt0 ')' repeated in a description": (
        sw.Key(0, "del"), lambda n: "ERROR = 1 (" + ")" * n + "x"
    ),
    "fmt0 long run of digits": (GET0, lambda n: "name = a, id = " + "0" * n + "x"),
    "fmt0 many lines, error at the end": (GET0_ALL, lambda n: _list(GET0_ALL, n // 30) + "\nx"),
    "fmt1 long name, no id": (GET1, lambda n: "x" * n),
    "fmt1 ',1' repeated then junk": (GET1_ALL, lambda n: "a" + ",1" * (n // 2) + "x"),
    "fmt1 '0,-' and digits": (sw.Key(1, "del"), lambda n: "0,-" + "1" * n + "x"),
    "fmt1 many lines, error at the end": (GET1_ALL, lambda n: _list(GET1_ALL, n // 12) + "\n,"),
    "fmt2 many senders": (GET2_ALL, lambda n: _list(GET2_ALL, n // 40)),
    "fmt2 many senders on one line": (
        GET2_ALL_OPS, lambda n: _list(GET2_ALL_OPS, n // 70).replace("\n", "")
    ),
    "fmt2 many senders, error at the end": (
        GET2_ALL,
        lambda n: _list(GET2_ALL, n // 40).replace("</list>", '<sender id="x">a</sender></list>'),
    ),
    "fmt2 many attributes": (
        GET2_OPS,
        lambda n: "<list><sender "
        + " ".join(f'a{i}="1"' for i in range(n // 10))
        + ' id="1">x</sender></list>',
    ),
    "fmt2 many siblings on one line, error at the end": (
        GET2, lambda n: "<list>" + '<sender id="1">a</sender>' * (n // 25) + "<x/></list>"
    ),
    "fmt2 character references": (
        GET2, lambda n: '<list><sender id="1">' + "&#65;&amp;" * (n // 10) + "</sender></list>"
    ),
    "fmt3 many records": (GET3_ALL, lambda n: _list(GET3_ALL, n // 45)),
    "fmt3 many records, duplicate at the end": (
        GET3_ALL, lambda n: _list(GET3_ALL, n // 45)[:-2] + ',\n"id": 1\n}]'
    ),
    "fmt3 many records, error at the end": (
        GET3_ALL_OPS, lambda n: _list(GET3_ALL_OPS, n // 80)[:-2] + ',\n"id": "x"\n}]'
    ),
    "fmt3 colons inside a string": (GET3, lambda n: '[{"sender": "' + ":" * n + '", "id": 1}]'),
    "fmt3 escapes inside a string": (
        GET3, lambda n: '[{"sender": "' + '\\"\\u0041' * (n // 8) + '", "id": 1}]'
    ),
    "fmt3 many members, duplicate at the end": (
        GET3_OPS,
        lambda n: '[{"sender": "a", '
        + "".join(f'"f{i}": "{i}", ' for i in range(n // 14))
        + '"f0": "1", "id": "1"}]',
    ),
}  # fmt: skip
N: Final = 40_000
LIMIT: Final = 10.0  # 4n over n: linear is 4, quadratic 16
RATIOS: dict[str, float] = {}


def _best_time(body: str, key: sw.Key, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        with suppress(sw.WireFormatError):
            sw.decode(body, key)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("family", list(FAMILIES))
def test_linear_time(family: str) -> None:
    key, make = FAMILIES[family]
    small, large = make(N), make(4 * N)
    _best_time(make(100), key, 1)  # build the parser outside the measurement
    ratio = float("inf")
    # A busy machine can slow one measurement; a super-linear decoder is slow in every round.
    for _ in range(3):
        ratio = min(ratio, _best_time(large, key, 5) / _best_time(small, key, 5))
        if ratio < LIMIT:
            break
    RATIOS[family] = ratio
    assert ratio < LIMIT, f"{family}: decode time grew {ratio:.1f}x from n={N} to 4n"


# --- concurrency -------------------------------------------------------------------------------


def _bodies() -> list[tuple[sw.Key, bytes | str]]:
    cases: list[tuple[sw.Key, bytes | str]] = []
    for key in sw.registry:
        if key.operation is sw.Operation.GET:
            reply: sw.Reply = sw.SenderList(
                sw.Sender(
                    f"Имя, {i}=x",
                    i,
                    i % 3 if key.all else None,
                    sw.Operators({"mega_step": i % 4, "new": 7}) if key.operators else None,
                )
                for i in range(20)
            )
        elif key.operation is sw.Operation.ADD:
            reply = sw.SenderAdded(42)
        else:
            reply = sw.Ok()
        text = sw.encode(reply, key)
        cases += [(key, text), (key, text.encode()), (key, text[: len(text) * 2 // 3] + "\x00")]
        error = sw.encode(sw.ErrorReply(3, None if key.fmt == 1 else "record not found"), key)
        cases += [(key, error), (key, error.replace("3", "-3"))]
    return cases


def _outcome(key: sw.Key, raw: bytes | str) -> object:
    try:
        return sw.decode(raw, key)
    except sw.WireFormatError as exc:
        return (type(exc), str(exc), exc.offset)


def test_eight_threads_decode_like_one() -> None:
    cases = _bodies()
    serial = [_outcome(key, raw) for key, raw in cases]
    barrier = threading.Barrier(8)
    results: dict[int, list[object]] = {}

    def work(index: int) -> None:
        barrier.wait()
        outcomes: list[object] = []
        for _ in range(5):
            outcomes = [_outcome(key, raw) for key, raw in cases[index:] + cases[:index]]
        results[index] = outcomes[len(cases) - index :] + outcomes[: len(cases) - index]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    with within(60):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == list(range(8))
    for outcomes in results.values():
        assert outcomes == serial


_COLD_START: Final = """
import sys, threading
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import smsc_wire as sw
from test_hostile import _bodies, _outcome
cases = _bodies()
barrier = threading.Barrier(8)
results = {}
def work(index):
    barrier.wait()
    results[index] = [_outcome(key, raw) for key, raw in cases]
threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
serial = [_outcome(key, raw) for key, raw in cases]
assert sorted(results) == list(range(8)), sorted(results)
assert all(outcomes == serial for outcomes in results.values())
print("same", len(cases))
"""


def test_eight_threads_building_the_parsers_at_once() -> None:
    # In a fresh process no parser is built yet: the first decodes race to build them.
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", _COLD_START, str(root), str(root / "tests")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("same ")
