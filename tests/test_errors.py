"""Errors at the boundary: charsets, offsets into bytes, limits, keys, and what encode refuses."""

from __future__ import annotations

import pytest

import smsc_wire as sw

GET0 = sw.Key(0, "get")
GET0_OPS = sw.Key(0, "get", operators=True)


def test_offset_counts_bytes_for_bytes_and_characters_for_str() -> None:
    body = "name = Ёлка, id = 1\nname = Ёлка, id = x"
    with pytest.raises(sw.WireFormatError) as as_str:
        sw.decode(body, GET0)
    with pytest.raises(sw.WireFormatError) as as_bytes:
        sw.decode(body.encode("utf-8"), GET0)
    assert (as_str.value.line, as_str.value.column) == (2, 19)
    assert (as_bytes.value.line, as_bytes.value.column) == (2, 19)
    assert as_str.value.offset == 38
    assert as_bytes.value.offset == 38 + 8  # eight two-byte letters before the error


def test_utf8_bom_counts_in_the_offset() -> None:
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(b"\xef\xbb\xbfname = A, id = x", GET0)
    assert (info.value.line, info.value.column, info.value.offset) == (1, 16, 18)
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode("\ufeffname = A, id = x", GET0)
    assert (info.value.line, info.value.column, info.value.offset) == (1, 16, 16)


def test_undecodable_bytes_name_the_byte_offset() -> None:
    body = "name = Ёлка, id = 1\nname = ".encode() + b"\xff\xfe, id = 2"
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(body, GET0)
    error = info.value
    assert error.reason == "byte ff at offset 31 is not valid utf-8 (invalid start byte)"
    assert (error.line, error.column, error.offset) == (2, 8, 31)


def test_wrong_charset_is_a_format_error() -> None:
    # windows-1251 text read as UTF-8: the first Cyrillic byte is not valid UTF-8.
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode("name = Ёлка, id = 1".encode("windows-1251"), GET0)
    assert info.value.reason == (
        "byte a8 at offset 7 is not valid utf-8 (invalid start byte); the body reads as "
        "windows-1251, the service's default charset: decode it with the charset the request "
        "named (SPEC D10)"
    )
    assert info.value.offset == 7


def test_a_bom_is_only_removed_for_utf8() -> None:
    # In windows-1251 the bytes EF BB BF are three letters, and "пїїname" is no valid line.
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(b"\xef\xbb\xbfOK", sw.Key(0, "del"), charset="windows-1251")
    assert (info.value.line, info.value.column, info.value.offset) == (1, 1, 0)


@pytest.mark.parametrize("charset", ["no-such-charset", "rot13", "base64"])
def test_unknown_charset(charset: str) -> None:
    with pytest.raises(sw.UnsupportedCharsetError) as info:
        sw.decode(b"OK", sw.Key(0, "del"), charset=charset)
    assert str(info.value) == (
        f"unknown charset {charset!r}: expected a text encoding such as utf-8, "
        "windows-1251 or koi8-r"
    )
    assert isinstance(info.value, sw.UnsupportedKeyError)  # SPEC D11: decode raises no other
    assert isinstance(info.value, LookupError)


def test_size_limit_is_checked_first() -> None:
    with pytest.raises(sw.InputTooLargeError) as info:
        sw.decode(b"\xff" * 11, sw.Key(3, "get"), max_size=10)
    error = info.value
    assert isinstance(error, sw.WireFormatError)
    assert (error.size, error.limit, error.offset, error.line) == (11, 10, 10, None)
    assert (
        str(error)
        == "fmt=3 get all=0 operators=0: input of 11 bytes is over the limit of 10 (max_size)"
    )
    with pytest.raises(sw.InputTooLargeError, match="input of 11 characters"):
        sw.decode("x" * 11, sw.Key(3, "get"), max_size=10)
    assert sw.decode(b"[]", sw.Key(3, "get"), max_size=2) == sw.SenderList()


def test_default_size_limit() -> None:
    assert sw.DEFAULT_MAX_SIZE == 16 * 1024 * 1024
    with pytest.raises(sw.InputTooLargeError):
        sw.decode(b" " * (sw.DEFAULT_MAX_SIZE + 1), sw.Key(3, "get"))


def test_fmt1_operators_has_no_codec() -> None:
    key = sw.Key(1, "get", all=True, operators=True)
    with pytest.raises(sw.UnsupportedKeyError) as info:
        sw.decode(b"", key)
    assert str(info.value) == (
        "fmt=1 get all=1 operators=1: fmt 1 has no documented form with operators=1 "
        "(SPEC D1); ask the server for fmt 0, 2, 3 instead"
    )
    with pytest.raises(sw.UnsupportedKeyError):
        sw.encode(sw.SenderList(), key)
    assert key not in sw.registry


def test_unknown_fmt_has_no_codec() -> None:
    with pytest.raises(sw.UnsupportedKeyError) as info:
        sw.decode(b"", sw.Key(7, "get"))
    assert str(info.value) == (
        "fmt=7 get all=0 operators=0: no codec for fmt 7: the documented fmts are 0, 1, 2, 3"
    )


def test_server_error_from_error_reply() -> None:
    reply = sw.decode("ERROR = 3 (record not found)", sw.Key(0, "del"))
    with pytest.raises(sw.ServerError) as info:
        reply.raise_for_error()
    assert str(info.value) == "error 3 (SENDER_NOT_FOUND): record not found"
    assert info.value.reply is reply
    assert info.value.code == 3
    with pytest.raises(sw.ServerError, match=r"^error 12$"):
        sw.ErrorReply(12, None).raise_for_error()
    ok = sw.decode("OK", sw.Key(0, "del"))
    assert ok.raise_for_error() is ok


E = sw.EncodeError
ENCODE_ERRORS = [
    (GET0, sw.SenderList([sw.Sender("", 1)]), "senders[0].name is empty"),
    (GET0, sw.SenderList([sw.Sender("a\nb", 1)]),
     "senders[0].name contains '\\n' at index 1, which no fmt can carry"),
    (sw.Key(3, "get"), sw.SenderList([sw.Sender("a\x00", 1)]),
     "senders[0].name contains '\\x00' at index 1, which no fmt can carry"),
    (GET0, sw.SenderList([sw.Sender("a", -1)]),
     "senders[0].id must be an int from 0 to 2**63-1, not -1"),
    (GET0, sw.SenderList([sw.Sender("a", 2**63)]),
     "senders[0].id must be an int from 0 to 2**63-1, not 9223372036854775808"),
    (GET0, sw.SenderList([sw.Sender("a", True)]),
     "senders[0].id must be an int from 0 to 2**63-1, not True"),
    (GET0, sw.SenderList([sw.Sender("a", 1, 1)]),
     "senders[0].status is 1, but all=0 has no status"),
    (sw.Key(0, "get", all=True), sw.SenderList([sw.Sender("a", 1)]),
     "senders[0].status must be an int from 0 to 2**63-1, not None"),
    (GET0, sw.SenderList([sw.Sender("a", 1, None, {})]),
     "senders[0].operators is set, but operators=0 has none"),
    (GET0_OPS, sw.SenderList([sw.Sender("a", 1)]),
     "senders[0].operators is None, but operators=1 needs them"),
    (GET0_OPS, sw.SenderList([sw.Sender("a, b = c", 1, None, {})]),
     "senders[0].name 'a, b = c' holds ', <word> = ', which fmt 0 with operators=1 would read "
     "as the start of a field (SPEC D8)"),
    (GET0_OPS, sw.SenderList([sw.Sender("a", 1, None, {}), sw.Sender("b, mts = 1", 2, None, {})]),
     "senders[1].name 'b, mts = 1' holds ', <word> = ', which fmt 0 with operators=1 would read "
     "as the start of a field (SPEC D8)"),
    (GET0_OPS, sw.SenderList([sw.Sender("a", 1, None, {"Mega": 1})]),
     "senders[0].operators['Mega']: fmt 0 field names are lower-case letters, digits and '_'"),
    (GET0_OPS, sw.SenderList([sw.Sender("a", 1, None, {"id": 1})]),
     "senders[0].operators['id']: 'id' is not an operator field name"),
    (GET0_OPS, sw.SenderList([sw.Sender("a", 1, None, {"x": "12"})]),
     "senders[0].operators['x'] is the text '12', which would read back as a number "
     "(write status codes as int)"),
    (GET0_OPS, sw.SenderList([sw.Sender("a", 1, None, {"x": "v, y = 1"})]),
     "senders[0].operators['x']: the text 'v, y = 1' would not read back in fmt 0"),
    (sw.Key(2, "get", operators=True), sw.SenderList([sw.Sender("a", 1, None, {"xmlns": 1})]),
     "senders[0].operators['xmlns']: 'xmlns' is not an XML attribute name"),
    (sw.Key(2, "get"), sw.SenderList([sw.Sender("a\x01", 1)]),
     "senders[0].name holds '\\x01', which XML 1.0 cannot carry"),
    (sw.Key(1, "get"), sw.SenderList(["x"]),  # type: ignore[list-item]
     "senders[0] must be a Sender, not str"),
    (sw.Key(0, "add"), sw.Ok(), "expected SenderAdded or ErrorReply, not Ok"),
    (sw.Key(3, "del"), sw.SenderAdded(1), "expected Ok or ErrorReply, not SenderAdded"),
    (sw.Key(2, "get"), sw.Ok(), "expected SenderList or ErrorReply, not Ok"),
    (sw.Key(1, "del"), sw.ErrorReply(3, "record not found"),
     "fmt 1 error replies carry no description: encode ErrorReply(code, None) "
     "(this one has 'record not found')"),
    (sw.Key(0, "del"), sw.ErrorReply(3, None),
     "fmt 0 error replies need a description and this one has none"),
    (sw.Key(0, "del"), sw.ErrorReply(3, "a\nb"),
     "description contains '\\n' at index 1, which no fmt can carry"),
    (sw.Key(3, "del"), sw.ErrorReply(-3, "x"), "code must be an int from 0 to 2**63-1, not -3"),
    (sw.Key(3, "del"), sw.ErrorReply(3, "\ud800"),
     "description cannot be written as JSON: str is not valid UTF-8: surrogates not allowed"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "reply", "reason"), ENCODE_ERRORS)
def test_encode_refuses(key: sw.Key, reply: sw.Reply, reason: str) -> None:
    with pytest.raises(sw.EncodeError) as info:
        sw.encode(reply, key)
    assert info.value.reason == reason
    assert info.value.key == key
    assert str(info.value) == f"{key}: {reason}"


def test_encode_allows_what_only_other_fmts_refuse() -> None:
    # A line feed in an error description is fine in fmt 2 and 3, and a name with ", x = "
    # is fine wherever fields are not open-ended.
    reply = sw.ErrorReply(1, "two\nlines\r")
    for fmt in (2, 3):
        key = sw.Key(fmt, "del")
        assert sw.decode(sw.encode(reply, key), key) == reply
    senders = sw.SenderList([sw.Sender("a, b = c", 1)])
    for fmt in (0, 1, 2, 3):
        get_key = sw.Key(fmt, "get")
        assert sw.decode(sw.encode(senders, get_key), get_key) == senders


def test_bytes_like_bodies_and_wrong_argument_types() -> None:
    for raw in (bytearray(b"<list/>"), memoryview(b"<list/>")):
        assert sw.decode(raw, sw.Key(2, "get")) == sw.SenderList()
    with pytest.raises(TypeError, match=r"^raw must be bytes or str, not int$"):
        sw.decode(5, sw.Key(2, "get"))  # type: ignore[arg-type]
