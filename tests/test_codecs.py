"""The documented forms, decoded and encoded from one table (tests/cases.py)."""

from __future__ import annotations

import orjson
import pytest
from cases import ALL_VALID, CANONICAL, INVALID, NON_CANONICAL, UNKNOWN_CODES, Case, Invalid
from hypothesis import given
from hypothesis import strategies as st

import smsc_wire as sw
from smsc_wire._formats.fmt3_json import _json_string


def _ids(cases: list[Case] | list[Invalid]) -> list[str]:
    return [case.id for case in cases]


@pytest.mark.parametrize("case", ALL_VALID, ids=_ids(ALL_VALID))
def test_decode_bytes(case: Case) -> None:
    assert sw.decode(case.text.encode("utf-8"), case.key) == case.model


@pytest.mark.parametrize("case", ALL_VALID, ids=_ids(ALL_VALID))
def test_decode_str(case: Case) -> None:
    assert sw.decode(case.text, case.key) == case.model


@pytest.mark.parametrize("case", CANONICAL + UNKNOWN_CODES, ids=_ids(CANONICAL + UNKNOWN_CODES))
def test_encode_canonical(case: Case) -> None:
    assert sw.encode(case.model, case.key) == case.text


@pytest.mark.parametrize("case", NON_CANONICAL, ids=_ids(NON_CANONICAL))
def test_non_canonical_reencodes_to_canonical(case: Case) -> None:
    canonical = sw.encode(sw.decode(case.text, case.key), case.key)
    assert canonical != case.text
    assert sw.decode(canonical, case.key) == case.model
    assert sw.encode(sw.decode(canonical, case.key), case.key) == canonical


@pytest.mark.parametrize("case", INVALID, ids=_ids(INVALID))
def test_invalid(case: Invalid) -> None:
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(case.body, case.key)
    error = info.value
    assert type(error) is sw.WireFormatError
    assert case.line is not None
    assert case.column is not None
    assert (error.reason, error.line, error.column) == (case.reason, case.line, case.column)
    assert error.key == case.key
    assert str(error).startswith(f"{case.key}: {case.reason} (at line {case.line}, column ")
    # A str input is indexed in characters: the offset is the position in the body.
    assert isinstance(case.body, str)
    assert error.offset is not None
    lines = case.body.split("\n")
    assert error.offset == sum(len(line) + 1 for line in lines[: case.line - 1]) + case.column - 1
    assert error.excerpt is not None
    assert error.excerpt.strip("…") in case.body


@pytest.mark.parametrize("case", INVALID, ids=_ids(INVALID))
def test_invalid_as_bytes_gives_byte_offset(case: Invalid) -> None:
    assert isinstance(case.body, str)
    with pytest.raises(sw.WireFormatError) as info:
        sw.decode(case.body.encode("utf-8"), case.key)
    error = info.value
    assert (error.reason, error.line, error.column) == (case.reason, case.line, case.column)
    assert case.line is not None
    assert case.column is not None
    prefix = "\n".join(case.body.split("\n")[: case.line - 1])
    chars = len(prefix) + (1 if case.line > 1 else 0) + case.column - 1
    assert error.offset == len(case.body[:chars].encode("utf-8"))


@pytest.mark.parametrize("key", list(sw.registry), ids=str)
def test_error_reply_is_valid_under_every_key(key: sw.Key) -> None:
    errors = {
        0: ("ERROR = 5 (save error)", sw.ErrorReply(sw.ErrorCode.SAVE_ERROR, "save error")),
        1: ("0,-5", sw.ErrorReply(sw.ErrorCode.SAVE_ERROR, None)),
        2: (
            "<result>\n<error>save error</error>\n<error_code>5</error_code>\n</result>",
            sw.ErrorReply(sw.ErrorCode.SAVE_ERROR, "save error"),
        ),
        3: (
            '{\n"error": "save error",\n"error_code": 5\n}',
            sw.ErrorReply(sw.ErrorCode.SAVE_ERROR, "save error"),
        ),
    }
    text, model = errors[key.fmt]
    assert sw.decode(text, key) == model
    assert sw.encode(model, key) == text


def test_every_key_has_a_canonical_case() -> None:
    covered = {case.key for case in CANONICAL if not isinstance(case.model, sw.ErrorReply)}
    assert covered == set(sw.registry)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (sw.Key(0, "get", all=True), "name = Ёлка, status = 1, id = 5"),
        (sw.Key(1, "get"), "Ёлка, ООО,5"),
        (sw.Key(2, "get"), '<?xml version="1.0" encoding="koi8-r"?><list><sender id="5">Ёлка'
         "</sender></list>"),
        (sw.Key(3, "get"), '[{"sender": "Ёлка", "id": 5}]'),
    ],
)  # fmt: skip
@pytest.mark.parametrize("charset", ["utf-8", "windows-1251", "koi8-r", "cp1251", "UTF8"])
def test_charsets(key: sw.Key, text: str, charset: str) -> None:
    # SPEC D10: the caller's charset decodes the bytes; an XML declaration does not override it.
    expected = sw.decode(text, key)
    assert sw.decode(text.encode(charset), key, charset=charset) == expected


@pytest.mark.parametrize(
    ("body", "reason", "column"),
    [
        # Records in the documented order are taken apart by the fast reader; when it declines,
        # the checked reader must see them exactly as they were.
        ('[{"sender": "A", "status": "1", "x": "-1", "id": "5"}]',
         "operator status '-1' is not an unsigned integer (SPEC D9)", 33),
        ('[{"sender": "A", "x": "1", "id": "5"}]', "the member 'status' is missing", 2),
        ('[{"sender": "A", "status": "01", "name": "1", "id": "5"}]',
         "the member 'name' is not defined under this key", 34),
    ],
)  # fmt: skip
def test_fmt3_declined_records_keep_their_members(body: str, reason: str, column: int) -> None:
    key = sw.Key(3, "get", all=True, operators=True)
    for raw in (body, body.encode()):
        with pytest.raises(sw.WireFormatError) as info:
            sw.decode(raw, key)
        assert (info.value.reason, info.value.column) == (reason, column)


def test_fmt3_records_in_any_member_order() -> None:
    key = sw.Key(3, "get", all=True, operators=True)
    body = '[{"id": "5", "x": "1", "status": "1", "sender": "A"}]'
    expected = sw.SenderList([sw.Sender("A", 5, sw.SenderStatus.APPROVED, {"x": 1})])
    assert sw.decode(body, key) == sw.decode(body.encode(), key) == expected


def test_fmt3_names_are_escaped_as_orjson_escapes_them() -> None:
    """fmt 3 writes a name with the standard library's JSON escaper, which must write every
    string a name may be (anything but a lone surrogate, SPEC D8) exactly as orjson does."""
    ascii_ = [chr(c) for c in range(128)]  # every escape is in here: compared one by one
    assert [_json_string(c) for c in ascii_] == [orjson.dumps(c).decode() for c in ascii_]
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert _json_string(every) == orjson.dumps(every).decode("utf-8")


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_fmt3_any_name_is_escaped_as_orjson_escapes_it(name: str) -> None:
    assert _json_string(name) == orjson.dumps(name).decode("utf-8")
