"""Requests as values (SPEC §7, D13): builders, parsers, writing, secrets, limits, typing.

Strategy: table-driven. Each table row is one request (or one way to fail) with the exact
bytes, message and ``parameter`` expected; the round-trip properties then check every request
the builders can make, and a garbage property that the parsers raise nothing but
``RequestError``. The ``check_*`` functions are read by mypy (``assert_type``) and run by pytest.
"""

from __future__ import annotations

import doctest
import importlib
import pickle
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, assert_type

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smsc_wire as sw
from smsc_wire._exchange import (
    MAX_DOCUMENT_SIZE,
    MAX_REQUEST_SIZE,
    OPERATOR_FLAGS,
    REGISTRATION_FIELDS,
    Document,
    Form,
    Request,
    RequestError,
)
from smsc_wire._exchange import errors as errors_module
from smsc_wire._exchange import form as form_module
from smsc_wire._exchange import request as request_module

BASE: Final = "https://smsc.ru/sys/senders.php?"
SECRET: Final = "hunter2-Sekret"
KEY: Final = "ApiKey-0f9e8d"
AUTH: Final[dict[str, Any]] = {"login": "shop", "psw": SECRET}

# --- building -----------------------------------------------------------------------------------

BUILT: Final[list[tuple[str, Callable[[], Request[Any]], str]]] = [
    ("get", lambda: Request.get(**AUTH), "get=1&login=shop&psw=hunter2-Sekret"),
    (
        "get-all-operators-fmt-charset",
        lambda: Request.get(all=True, operators=True, fmt=3, charset="utf-8", apikey=KEY),
        "get=1&apikey=ApiKey-0f9e8d&all=1&operators=1&fmt=3&charset=utf-8",
    ),
    ("get-flags-off", lambda: Request.get(all=False, fmt=0, apikey=KEY), "get=1&apikey=ApiKey-0f9e8d&fmt=0"),
    (
        "get-params-in-order",
        lambda: Request.get(apikey=KEY, params=[("user", "sub"), ("cnt", 5), ("from_date", "01.01.2024")]),
        "get=1&apikey=ApiKey-0f9e8d&user=sub&cnt=5&from_date=01.01.2024",
    ),
    (
        "add-cyrillic-cp1251",
        lambda: Request.add("Ёлка", cmt="наш магазин", **AUTH),
        "add=1&login=shop&psw=hunter2-Sekret&sender=%A8%EB%EA%E0&cmt=%ED%E0%F8+%EC%E0%E3%E0%E7%E8%ED",
    ),
    (
        "add-cyrillic-utf8",
        lambda: Request.add("Ёлка", charset="utf-8", apikey=KEY),
        "add=1&apikey=ApiKey-0f9e8d&sender=%D0%81%D0%BB%D0%BA%D0%B0&charset=utf-8",
    ),
    (
        "add-koi8",
        lambda: Request.add("Ёлка", charset="koi8-r", apikey=KEY),
        "add=1&apikey=ApiKey-0f9e8d&sender=%B3%CC%CB%C1&charset=koi8-r",
    ),
    (
        "add-reserved-characters",
        lambda: Request.add("Shop, Inc & Co = 100%+", cmt="a/b?c#d~e_f.g-h*", apikey=KEY),
        "add=1&apikey=ApiKey-0f9e8d&sender=Shop%2C+Inc+%26+Co+%3D+100%25%2B&cmt=a%2Fb%3Fc%23d~e_f.g-h%2A",
    ),
    (
        "add-everything-in-documented-order",
        lambda: Request.add(
            "Shop",
            cmt="c",
            operators=("tele2", "zz_new", "mega_step", "by_reg"),
            fields={"inn": "7701", "by_ocup": "retail", "fio": "Иванов"},
            mail=True,
            name="Shop mail",
            fmt=2,
            charset="utf-8",
            params={"user": "sub"},
            **AUTH,
        ),
        "add=1&login=shop&psw=hunter2-Sekret&sender=Shop&cmt=c&mega_step=1&tele2=1&by_reg=1&zz_new=1"
        "&fio=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2&inn=7701&by_ocup=retail&mail=1&name=Shop+mail"
        "&fmt=2&charset=utf-8&user=sub",
    ),
    ("add-empty-cmt", lambda: Request.add("Shop", cmt="", apikey=KEY), "add=1&apikey=ApiKey-0f9e8d&sender=Shop&cmt="),
    ("chg-by-sender", lambda: Request.chg(sender="Shop", cmt="x", **AUTH), "chg=1&login=shop&psw=hunter2-Sekret&sender=Shop&cmt=x"),
    ("chg-by-id", lambda: Request.chg(id=42, cmt="x", apikey=KEY), "chg=1&apikey=ApiKey-0f9e8d&id=42&cmt=x"),
    ("chg-by-id-digits", lambda: Request.chg(id="0042", apikey=KEY), "chg=1&apikey=ApiKey-0f9e8d&id=0042"),
    (
        "chg-flags",
        lambda: Request.chg(id=1, operators=["ua_reg"], fields={"site": "x.ua"}, apikey=KEY),
        "chg=1&apikey=ApiKey-0f9e8d&id=1&ua_reg=1&site=x.ua",
    ),
    ("send_code", lambda: Request.send_code("79991234567", fmt=1, **AUTH), "send_code=1&login=shop&psw=hunter2-Sekret&sender=79991234567&fmt=1"),
    ("check_code", lambda: Request.check_code("79991234567", "0451", apikey=KEY), "check_code=1&apikey=ApiKey-0f9e8d&sender=79991234567&code=0451"),
    ("check_code-int", lambda: Request.check_code("79991234567", 451, apikey=KEY), "check_code=1&apikey=ApiKey-0f9e8d&sender=79991234567&code=451"),
    ("delete-by-sender", lambda: Request.delete(sender="Shop", **AUTH), "del=1&login=shop&psw=hunter2-Sekret&sender=Shop"),
    ("delete-by-id", lambda: Request.delete(id=7, fmt=3, apikey=KEY), "del=1&apikey=ApiKey-0f9e8d&id=7&fmt=3"),
    (
        "send_code-site_name",
        lambda: Request.send_code("79991234567", apikey=KEY, params={"site_name": "shop.ru"}),
        "send_code=1&apikey=ApiKey-0f9e8d&sender=79991234567&site_name=shop.ru",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "query"), [row[1:] for row in BUILT], ids=[row[0] for row in BUILT]
)
def test_builders_write_the_documented_order(build: Callable[[], Request[Any]], query: str) -> None:
    request = build()
    assert request.url() == BASE + query
    assert request.form() == Form(query.encode("ascii"), "application/x-www-form-urlencoded")
    assert Request.from_url(request.url()) == request
    assert Request.from_url(query) == request
    assert Request.from_form(*request.form()) == request


@pytest.mark.parametrize("build", [row[1] for row in BUILT], ids=[row[0] for row in BUILT])
def test_every_built_request_reads_back_from_a_multipart_form(
    build: Callable[[], Request[Any]],
) -> None:
    request = build()
    form = request.form(multipart=True)
    assert form.content_type.startswith("multipart/form-data; boundary=smsc-wire-")
    assert Request.from_form(*form) == request


BUILD_ERRORS: Final[list[tuple[str, Callable[[], object], str | None, str]]] = [
    ("no-auth", Request.get, "login", "no authentication: give login and psw, or apikey (SPEC §7)"),
    ("both-auth", lambda: Request.get(apikey=KEY, **AUTH), "apikey", "give login and psw, or apikey, not both (SPEC §7)"),
    ("apikey-and-login", lambda: Request.get(apikey=KEY, login="a"), "apikey", "give login and psw, or apikey, not both (SPEC §7)"),
    ("login-no-psw", lambda: Request.get(login="shop"), "psw", "login needs psw (SPEC §7)"),
    ("psw-no-login", lambda: Request.get(psw=SECRET), "login", "psw needs login (SPEC §7)"),
    ("empty-psw", lambda: Request.get(login="a", psw=""), "psw", "psw must not be empty (SPEC §7)"),
    ("empty-apikey", lambda: Request.get(apikey=""), "apikey", "apikey must not be empty (SPEC §7)"),
    ("psw-not-str", lambda: Request.get(login="a", psw=123), "psw", "psw must be a str, not int"),  # type: ignore[arg-type]
    ("fmt-4", lambda: Request.get(fmt=4, apikey=KEY), "fmt", "fmt must be 0, 1, 2 or 3, not 4 (SPEC §1)"),
    ("fmt-bool", lambda: Request.get(fmt=True, apikey=KEY), "fmt", "fmt must be 0, 1, 2 or 3, not True (SPEC §1)"),
    ("fmt-str", lambda: Request.get(fmt="3", apikey=KEY), "fmt", "fmt must be 0, 1, 2 or 3, not '3' (SPEC §1)"),  # type: ignore[arg-type]
    ("fmt1-operators", lambda: Request.get(fmt=1, operators=True, apikey=KEY), "operators", "fmt=1 with operators=1 has no documented reply form: use fmt 0, 2 or 3 (SPEC D1)"),
    ("charset-unknown", lambda: Request.get(charset="x-nope", apikey=KEY), "charset", "unknown charset 'x-nope': expected a text encoding such as windows-1251, utf-8 or koi8-r (SPEC D10)"),
    ("charset-bytes-codec", lambda: Request.get(charset="hex", apikey=KEY), "charset", "unknown charset 'hex': expected a text encoding such as windows-1251, utf-8 or koi8-r (SPEC D10)"),
    ("charset-utf16", lambda: Request.get(charset="utf-16", apikey=KEY), "charset", "charset 'utf-16' does not write ASCII as ASCII, so the server could not read the parameter names: use windows-1251, utf-8, koi8-r or another ASCII-based charset (SPEC D13)"),
    ("charset-ebcdic", lambda: Request.get(charset="cp037", apikey=KEY), "charset", "charset 'cp037' does not write ASCII as ASCII, so the server could not read the parameter names: use windows-1251, utf-8, koi8-r or another ASCII-based charset (SPEC D13)"),
    ("charset-not-str", lambda: Request.get(charset=1251, apikey=KEY), "charset", "charset must be a str, not int"),  # type: ignore[arg-type]
    ("add-no-sender", lambda: Request.add(None, apikey=KEY), "sender", "add needs sender (SPEC §7)"),  # type: ignore[arg-type]
    ("add-empty-sender", lambda: Request.add("", apikey=KEY), "sender", "sender must not be empty (SPEC §7)"),
    ("add-sender-not-in-cp1251", lambda: Request.add("漢字", apikey=KEY), "sender", "the value of 'sender' cannot be written in windows-1251 ('漢字' at position 0): the request's charset cannot carry it (SPEC D13)"),
    ("add-cmt-not-in-koi8", lambda: Request.add("Shop", cmt="ab€", charset="koi8-r", apikey=KEY), "cmt", "the value of 'cmt' cannot be written in koi8-r ('€' at position 2): the request's charset cannot carry it (SPEC D13)"),
    ("add-lone-surrogate", lambda: Request.add("a\ud800", charset="utf-8", apikey=KEY), "sender", "the value of 'sender' cannot be written in utf-8 ('\\ud800' at position 1): the request's charset cannot carry it (SPEC D13)"),
    ("operators-str", lambda: Request.add("Shop", operators="tele2", apikey=KEY), "operators", "operators must be an iterable of flag names, such as ('mega_step', 'tele2')"),
    ("operators-bad-name", lambda: Request.add("Shop", operators=["Tele 2"], apikey=KEY), "operators", "operator flag 'Tele 2' must be lower-case letters, digits and _ (SPEC §7, D4)"),
    ("operators-twice", lambda: Request.add("Shop", operators=["tele2", "tele2"], apikey=KEY), "tele2", "operator flag 'tele2' is given twice"),
    ("operators-reserved", lambda: Request.add("Shop", operators=["sender"], apikey=KEY), "sender", "'sender' is not an operator flag: it is a parameter of its own"),
    ("operators-op-flag", lambda: Request.add("Shop", operators=["del"], apikey=KEY), "del", "'del' is not an operator flag: it is a parameter of its own"),
    ("operators-field", lambda: Request.add("Shop", operators=["fio"], apikey=KEY), "fio", "'fio' is a registration field: pass it in fields="),
    ("fields-unknown", lambda: Request.add("Shop", fields={"phone": "1"}, apikey=KEY), "fields", "'phone' is not a registration field: expected one of fio, inn, site, email, address, desc, subj, by_fio, by_inn, by_address, by_ocup; pass other parameters in params="),
    ("fields-not-mapping", lambda: Request.add("Shop", fields=[("fio", "x")], apikey=KEY), "fields", "fields must be a mapping such as {'fio': ..., 'inn': ...}"),  # type: ignore[arg-type]
    ("fields-value-not-str", lambda: Request.add("Shop", fields={"inn": 7701}, apikey=KEY), "inn", "inn must be a str, not int"),  # type: ignore[dict-item]
    ("mail-no-name", lambda: Request.add("Shop", mail=True, apikey=KEY), "name", "mail=True needs the e-mail sender's name (SPEC §7)"),
    ("name-no-mail", lambda: Request.add("Shop", name="x", apikey=KEY), "mail", "name is the e-mail sender's name: it needs mail=True (SPEC §7)"),
    ("doc_info-no-document", lambda: Request.add("Shop", doc_info="tm", apikey=KEY), "doc_info", "doc_info describes a document: pass document= too"),
    ("document-no-doc_info", lambda: Request.add("Shop", document=Document("a.pdf", b""), apikey=KEY), "doc_info", "a document needs doc_info, its description (SPEC §7)"),
    ("document-not-document", lambda: Request.add("Shop", document=b"%PDF", doc_info="x", apikey=KEY), "document", "document must be a Document, not bytes"),  # type: ignore[arg-type]
    ("chg-neither", lambda: Request.chg(cmt="x", apikey=KEY), "sender", "chg needs sender or id (SPEC §7)"),
    ("chg-both", lambda: Request.chg(sender="Shop", id=1, apikey=KEY), "id", "chg takes sender or id, not both (SPEC §7)"),
    ("del-neither", lambda: Request.delete(apikey=KEY), "sender", "del needs sender or id (SPEC §7)"),
    ("del-both", lambda: Request.delete(sender="Shop", id=1, apikey=KEY), "id", "del takes sender or id, not both (SPEC §7)"),
    ("del-id-negative", lambda: Request.delete(id=-1, apikey=KEY), "id", "id must be an int from 0 to 2**63-1 or decimal digits, not -1"),
    ("del-id-huge", lambda: Request.delete(id=2**63, apikey=KEY), "id", "id must be an int from 0 to 2**63-1 or decimal digits, not 9223372036854775808"),
    ("del-id-bool", lambda: Request.delete(id=True, apikey=KEY), "id", "id must be an int from 0 to 2**63-1 or decimal digits, not True"),
    ("del-id-text", lambda: Request.delete(id="7a", apikey=KEY), "id", "id must be decimal digits, not '7a'"),
    ("del-id-fullwidth", lambda: Request.delete(id="７", apikey=KEY), "id", "id must be decimal digits, not '７'"),
    ("send_code-empty", lambda: Request.send_code("", apikey=KEY), "sender", "sender must not be empty (SPEC §7)"),
    ("check_code-no-code", lambda: Request.check_code("7999", "", apikey=KEY), "code", "code must not be empty (SPEC §7)"),
    ("check_code-code-negative", lambda: Request.check_code("7999", -5, apikey=KEY), "code", "code must be an int from 0 to 2**63-1 or decimal digits, not -5"),
    ("params-str", lambda: Request.get(apikey=KEY, params="user=sub"), "params", "params must be a mapping or pairs of name and value"),  # type: ignore[arg-type]
    ("params-not-iterable", lambda: Request.get(apikey=KEY, params=5), "params", "params must be a mapping or pairs of name and value"),  # type: ignore[arg-type]
    ("params-not-pairs", lambda: Request.get(apikey=KEY, params=[("a", "b", "c")]), "params", "params must hold pairs of name and value, not <tuple>"),  # type: ignore[list-item]
    ("params-empty-name", lambda: Request.get(apikey=KEY, params={"": "x"}), "params", "a parameter name must be a non-empty str, not ''"),
    ("params-psw", lambda: Request.get(apikey=KEY, params={"psw": SECRET}), "psw", "'psw' has a keyword of its own: pass it there, not in params="),
    ("params-op-flag", lambda: Request.get(apikey=KEY, params={"del": "1"}), "del", "'del' has a keyword of its own: pass it there, not in params="),
    ("params-keyword", lambda: Request.add("Shop", apikey=KEY, params={"cmt": "x"}), "cmt", "'cmt' has a keyword of its own: pass it there, not in params="),
    ("params-flag", lambda: Request.add("Shop", apikey=KEY, params={"tele2": "1"}), "tele2", "'tele2' has a keyword of its own: pass it there, not in params="),
    ("params-field", lambda: Request.chg(id=1, apikey=KEY, params={"inn": "1"}), "inn", "'inn' has a keyword of its own: pass it there, not in params="),
    ("params-get-all", lambda: Request.get(apikey=KEY, params={"all": "1"}), "all", "'all' has a keyword of its own: pass it there, not in params="),
    ("params-twice", lambda: Request.get(apikey=KEY, params=[("user", "a"), ("user", "b")]), "user", "'user' is given twice: one value per parameter (SPEC D13)"),
    ("params-value-bool", lambda: Request.get(apikey=KEY, params={"x": True}), "x", "the value of 'x' must be a str or an int, not bool"),
    ("params-value-none", lambda: Request.get(apikey=KEY, params={"x": None}), "x", "the value of 'x' must be a str or an int, not NoneType"),  # type: ignore[arg-type]
    ("params-name-not-in-charset", lambda: Request.get(apikey=KEY, params={"名": "x"}), "名", "the name '名' cannot be written in windows-1251 ('名' at position 0): the request's charset cannot carry it (SPEC D13)"),
    ("too-large", lambda: Request.add("Shop", cmt="x" * MAX_REQUEST_SIZE, apikey=KEY), None, "the request would be 4194347 bytes written out, over the limit of 4194304 that from_url and from_form read (SPEC D11)"),
    ("too-many", lambda: Request.get(apikey=KEY, params=[(f"p{i}", "") for i in range(999)]), None, "1001 parameters: more than 1000, past which the server drops them (PHP's max_input_vars; SPEC D13)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "parameter", "message"),
    [row[1:] for row in BUILD_ERRORS],
    ids=[row[0] for row in BUILD_ERRORS],
)
def test_building_is_strict(
    build: Callable[[], object], parameter: str | None, message: str
) -> None:
    with pytest.raises(RequestError) as caught:
        build()
    assert type(caught.value) is RequestError
    assert str(caught.value) == message
    assert caught.value.reason == message
    assert caught.value.parameter == parameter
    assert SECRET not in str(caught.value) and KEY not in str(caught.value)


def test_a_subclass_of_str_or_int_is_written_as_its_value() -> None:
    class Lying(str):
        def __str__(self) -> str:
            return "injected&del=1"

    class LyingInt(int):
        def __repr__(self) -> str:
            return "9&del=1"

        __str__ = __repr__

    request = Request.chg(id=LyingInt(5), cmt=Lying("real"), apikey=Lying(KEY))
    assert request.url() == BASE + "chg=1&apikey=ApiKey-0f9e8d&id=5&cmt=real"


def test_the_request_cannot_be_made_directly() -> None:
    with pytest.raises(TypeError, match=r"build a Request with Request\.get\(\)"):
        Request()


# --- what a request says ------------------------------------------------------------------------

KEYS: Final[list[tuple[str, Request[Any], sw.Key, str]]] = [
    ("get-defaults", Request.get(apikey=KEY), sw.Key(0, "get"), "windows-1251"),
    ("get-all-ops", Request.get(all=True, operators=True, fmt=2, apikey=KEY), sw.Key(2, "get", all=True, operators=True), "windows-1251"),
    ("add-fmt3-utf8", Request.add("S", fmt=3, charset="utf-8", apikey=KEY), sw.Key(3, "add"), "utf-8"),
    ("chg-koi8", Request.chg(id=1, charset="koi8-r", apikey=KEY), sw.Key(0, "chg"), "koi8-r"),
    ("del-as-spelled", Request.delete(id=1, charset="UTF8", apikey=KEY), sw.Key(0, "del"), "UTF8"),
    ("parsed-flags-of-add", Request.from_url("add=1&all=1&operators=1&fmt=1"), sw.Key(1, "add"), "windows-1251"),
    ("parsed-leading-zeros", Request.from_url("get=1&fmt=0003&all=00&operators=01"), sw.Key(3, "get", operators=True), "windows-1251"),
    ("parsed-fmt-without-codec", Request.from_url("get=1&fmt=7"), sw.Key(7, "get"), "windows-1251"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("request_", "key", "charset"), [row[1:] for row in KEYS], ids=[row[0] for row in KEYS]
)
def test_key_and_charset_follow_from_the_request(
    request_: Request[Any], key: sw.Key, charset: str
) -> None:
    assert request_.key == key
    assert request_.charset == charset
    assert request_.operation is key.operation


def test_params_hold_the_non_secret_parameters_in_order() -> None:
    request = Request.from_url("sender=S&psw=P&get=1&login=L&apikey=K&zz=1")
    assert list(request.params.items()) == [
        ("sender", "S"),
        ("get", "1"),
        ("login", "L"),
        ("zz", "1"),
    ]
    with pytest.raises(TypeError):
        request.params["x"] = "y"  # type: ignore[index]


def test_equality_compares_everything_that_is_sent() -> None:
    a = Request.get(apikey=KEY)
    assert a == Request.from_url("get=1&apikey=ApiKey-0f9e8d")
    assert hash(a) == hash(Request.from_url("get=1&apikey=ApiKey-0f9e8d"))
    assert a != Request.get(apikey=KEY + "x")  # a secret is sent, so it counts
    assert a != Request.from_url("apikey=ApiKey-0f9e8d&get=1")  # so does the order
    assert a != Request.get(apikey=KEY, fmt=0)  # fmt=0 is written, so it counts
    assert a != "get=1&apikey=ApiKey-0f9e8d"
    document = Document("a.pdf", b"1")
    with_document = Request.add("S", document=document, doc_info="d", apikey=KEY)
    assert with_document != Request.add(
        "S", document=Document("a.pdf", b"2"), doc_info="d", apikey=KEY
    )
    assert with_document == Request.add(
        "S", document=Document("a.pdf", b"1"), doc_info="d", apikey=KEY
    )


def test_a_request_pickles_and_is_immutable() -> None:
    request = Request.add("Ёлка", document=Document("a.png", b"\x89PNG"), doc_info="d", **AUTH)
    assert pickle.loads(pickle.dumps(request)) == request
    with pytest.raises(AttributeError):
        request.operation = sw.Operation.DEL  # type: ignore[misc]


# --- parsing ------------------------------------------------------------------------------------

PARSED: Final[list[tuple[str, str | bytes, list[tuple[str, str]]]]] = [
    ("full-url", "https://smsc.ru/sys/senders.php?get=1&login=a&psw=b", [("get", "1"), ("login", "a"), ("psw", "b")]),
    ("bare-query", "get=1&login=a", [("get", "1"), ("login", "a")]),
    ("leading-question-mark", "?get=1", [("get", "1")]),
    ("path-and-query", "/sys/senders.php?del=1&id=3", [("del", "1"), ("id", "3")]),
    ("fragment-dropped", "https://x/senders.php?get=1&login=a#psw=zzz", [("get", "1"), ("login", "a")]),
    ("other-host-and-path", "http://127.0.0.1:8080/api?get=1", [("get", "1")]),
    ("bytes-url", b"https://smsc.ru/sys/senders.php?get=1&fmt=3", [("get", "1"), ("fmt", "3")]),
    ("missing-sender-is-still-a-request", "add=1&login=a&psw=b", [("add", "1"), ("login", "a"), ("psw", "b")]),
    ("both-auths-are-the-servers-business", "get=1&login=a&psw=b&apikey=k", [("get", "1"), ("login", "a"), ("psw", "b"), ("apikey", "k")]),
    ("unknown-kept-in-order", "zz=9&get=1&aa=1&user=sub", [("zz", "9"), ("get", "1"), ("aa", "1"), ("user", "sub")]),
    ("plus-is-space", "add=1&sender=Shop+Inc&cmt=a%2Bb", [("add", "1"), ("sender", "Shop Inc"), ("cmt", "a+b")]),
    ("cp1251-by-default", "add=1&sender=%A8%EB%EA%E0", [("add", "1"), ("sender", "Ёлка")]),
    ("utf8-when-named", "add=1&sender=%D0%81%D0%BB%D0%BA%D0%B0&charset=utf-8", [("add", "1"), ("sender", "Ёлка"), ("charset", "utf-8")]),
    ("charset-named-after-the-value", "charset=koi8-r&add=1&sender=%B3%CC%CB%C1", [("charset", "koi8-r"), ("add", "1"), ("sender", "Ёлка")]),
    ("charset-percent-encoded", "add=1&sender=%D0%81&%63harset=utf%2D8", [("add", "1"), ("sender", "Ё"), ("charset", "utf-8")]),
    ("raw-characters-stand-for-themselves", "add=1&sender=Ёлка", [("add", "1"), ("sender", "Ёлка")]),
    ("raw-characters-in-utf8", "add=1&sender=Ёлка&charset=utf-8", [("add", "1"), ("sender", "Ёлка"), ("charset", "utf-8")]),
    ("raw-bytes-as-sent", b"add=1&sender=\xa8\xeb\xea\xe0", [("add", "1"), ("sender", "Ёлка")]),
    ("bad-percent-kept", "get=1&cmt=100%&x=%zz%4", [("get", "1"), ("cmt", "100%"), ("x", "%zz%4")]),
    ("empty-pieces-skipped", "&&get=1&&x&=y&", [("get", "1"), ("x", ""), ("", "y")]),
    ("value-with-equals", "get=1&cmt=a=b", [("get", "1"), ("cmt", "a=b")]),
    ("control-characters-kept", "get=1&cmt=%00%0D%0A", [("get", "1"), ("cmt", "\x00\r\n")]),
    ("flags-of-other-operations-kept", "del=1&all=1&mega_step=2", [("del", "1"), ("all", "1"), ("mega_step", "2")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "pairs"), [row[1:] for row in PARSED], ids=[row[0] for row in PARSED]
)
def test_parsing_reads_what_the_server_reads(
    url: str | bytes, pairs: list[tuple[str, str]]
) -> None:
    request = Request.from_url(url)
    assert request == Request.from_url(
        "&".join(
            f"{form_module.quote(n.encode(_enc(pairs)))}={form_module.quote(v.encode(_enc(pairs)))}"
            for n, v in pairs
        )
    )
    expected = {n: ("***" if n in ("psw", "apikey") else v) for n, v in pairs}
    assert (
        repr(request)
        == f"Request(operation={request.operation.value!r}, parameters={expected!r}, document=None)"
    )
    assert Request.from_url(request.url()) == request
    assert Request.from_form(*request.form()) == request


def _enc(pairs: list[tuple[str, str]]) -> str:
    return {"utf-8": "utf-8", "koi8-r": "koi8-r"}.get(dict(pairs).get("charset", ""), "cp1251")


PARSE_ERRORS: Final[list[tuple[str, str | bytes, str | None, str]]] = [
    ("no-operation", "login=a&psw=b", None, "no operation: a request needs one of get=1, add=1, chg=1, send_code=1, check_code=1 or del=1 (SPEC D13)"),
    ("empty", "", None, "no operation: a request needs one of get=1, add=1, chg=1, send_code=1, check_code=1 or del=1 (SPEC D13)"),
    ("url-without-query", "https://smsc.ru/sys/senders.php", None, "no operation: a request needs one of get=1, add=1, chg=1, send_code=1, check_code=1 or del=1 (SPEC D13)"),
    ("two-operations", "get=1&del=1", "del", "two operations, get=1 and del=1: a request names exactly one (SPEC D13)"),
    ("flag-zero", "get=0", "get", "the operation flag get must be 1, not '0' (SPEC D13)"),
    ("flag-empty", "del=1&get", "get", "the operation flag get must be 1, not '' (SPEC D13)"),
    ("flag-01", "chg=01", "chg", "the operation flag chg must be 1, not '01' (SPEC D13)"),
    ("flag-repeated", "get=1&get=1", "get", "'get' is given twice: one value per parameter (SPEC D13)"),
    ("fmt-letters", "get=1&fmt=json", "fmt", "fmt must be decimal digits, not 'json' (SPEC D13)"),
    ("fmt-empty", "get=1&fmt=", "fmt", "fmt must be decimal digits, not '' (SPEC D13)"),
    ("fmt-signed", "get=1&fmt=-1", "fmt", "fmt must be decimal digits, not '-1' (SPEC D13)"),
    ("fmt-superscript", "get=1&fmt=%C2%B2&charset=utf-8", "fmt", "fmt must be decimal digits, not '²' (SPEC D13)"),
    ("fmt-huge", "get=1&fmt=" + "9" * 19, "fmt", "fmt '9999999999999999999' is out of range"),
    ("all-yes", "get=1&all=yes", "all", "all must be decimal digits, not 'yes' (SPEC D13)"),
    ("operators-space", "get=1&operators=1+", "operators", "operators must be decimal digits, not '1 ' (SPEC D13)"),
    ("repeat", "get=1&sender=a&sender=b", "sender", "'sender' is given twice: one value per parameter (SPEC D13)"),
    ("repeat-by-encoding", "get=1&sender=a&%73ender=b", "sender", "'sender' is given twice: one value per parameter (SPEC D13)"),
    ("charset-repeat", "get=1&charset=utf-8&charset=utf-8", "charset", "'charset' is given twice: one value per parameter (SPEC D13)"),
    ("charset-unknown", "get=1&charset=x-nope", "charset", "unknown charset 'x-nope': expected a text encoding such as windows-1251, utf-8 or koi8-r (SPEC D10)"),
    ("charset-undefined", "get=1&charset=undefined", "charset", "unknown charset 'undefined': expected a text encoding such as windows-1251, utf-8 or koi8-r (SPEC D10)"),
    ("charset-empty", "get=1&charset=", "charset", "unknown charset '': expected a text encoding such as windows-1251, utf-8 or koi8-r (SPEC D10)"),
    ("charset-not-ascii", "get=1&charset=utf-%D0%81", "charset", "unknown charset 'utf-Ё': a charset name is ASCII (SPEC D10)"),
    ("charset-utf-7", "get=1&charset=utf-7", "charset", "charset 'utf-7' does not write ASCII as ASCII, so the server could not read the parameter names: use windows-1251, utf-8, koi8-r or another ASCII-based charset (SPEC D13)"),
    ("value-not-utf8", "add=1&sender=%A8%EB&charset=utf-8", "sender", "the value of 'sender' is not valid utf-8 (byte a8 at offset 0) (SPEC D13)"),
    ("value-not-cp1251", "add=1&cmt=ab%98", "cmt", "the value of 'cmt' is not valid windows-1251 (byte 98 at offset 2) (SPEC D13)"),
    ("name-not-utf8", "get=1&%FFx=1&charset=utf-8", "\\xffx", "a parameter name is not valid utf-8 (byte ff at offset 0) (SPEC D13)"),
    ("raw-character-not-in-charset", "add=1&sender=漢字", "sender", "the value of 'sender' holds a character windows-1251 cannot carry: percent-encode it (SPEC D13)"),
    ("raw-character-in-name", "get=1&名=1", "名", "the name '名' holds a character windows-1251 cannot carry: percent-encode it (SPEC D13)"),
    ("lone-surrogate-in-str", "add=1&sender=\ud800&charset=utf-8", "sender", "the value of 'sender' holds a character utf-8 cannot carry: percent-encode it (SPEC D13)"),
    ("encoded-surrogate", "add=1&sender=%ED%A0%80&charset=utf-8", "sender", "the value of 'sender' is not valid utf-8 (byte ed at offset 0) (SPEC D13)"),
    ("too-many-parameters", "get=1&" + "&".join(f"p{i}=" for i in range(1000)), None, "1001 parameters: more than 1000, past which the server drops them (PHP's max_input_vars; SPEC D13)"),
    ("too-large-str", "get=1&x=" + "a" * MAX_REQUEST_SIZE, None, "the URL is 4194312 characters, over the limit of 4194304 (SPEC D11)"),
    ("too-large-bytes", b"get=1&x=" + b"a" * MAX_REQUEST_SIZE, None, "the URL is 4194312 bytes, over the limit of 4194304 (SPEC D11)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [row[1:] for row in PARSE_ERRORS],
    ids=[row[0] for row in PARSE_ERRORS],
)
def test_parsing_is_strict_about_ambiguity(
    url: str | bytes, parameter: str | None, message: str
) -> None:
    with pytest.raises(RequestError) as caught:
        Request.from_url(url)
    assert type(caught.value) is RequestError
    assert str(caught.value) == message
    assert caught.value.parameter == parameter


@pytest.mark.parametrize("url", [None, 3, ["get=1"], object()])
def test_a_url_of_another_type_is_a_type_error(url: object) -> None:
    with pytest.raises(TypeError, match="url must be str or bytes, not"):
        Request.from_url(url)  # type: ignore[arg-type]


def test_bytes_like_urls_parse_like_bytes() -> None:
    url = b"get=1&sender=%A8"
    assert (
        Request.from_url(bytearray(url))
        == Request.from_url(memoryview(url))
        == Request.from_url(url)
    )


# --- forms --------------------------------------------------------------------------------------

URLENCODED: Final = "application/x-www-form-urlencoded"


def test_urlencoded_body_with_parameters_in_the_url() -> None:
    request = Request.from_form(
        b"sender=Shop&cmt=a+b", URLENCODED, url="https://smsc.ru/sys/senders.php?add=1&apikey=k"
    )
    assert list(request.params.items()) == [("add", "1"), ("sender", "Shop"), ("cmt", "a b")]
    assert request == Request.from_url("add=1&apikey=k&sender=Shop&cmt=a+b")


def test_the_body_charset_parameter_decides_not_the_content_type() -> None:
    body = b"add=1&sender=%D0%81&charset=utf-8"
    assert Request.from_form(body, URLENCODED + "; charset=koi8-r").params["sender"] == "Ё"
    assert (
        Request.from_form(b"add=1&sender=%A8", URLENCODED + "; charset=utf-8").params["sender"]
        == "Ё"
    )


def test_the_charset_may_come_from_the_url_for_the_body() -> None:
    request = Request.from_form(
        b"add=1&sender=%D0%81", "Application/X-WWW-Form-Urlencoded", url="?charset=utf-8"
    )
    assert request.params["sender"] == "Ё"
    assert request.charset == "utf-8"


def test_a_str_urlencoded_body() -> None:
    assert Request.from_form("get=1&cmt=Ёлка", URLENCODED).params["cmt"] == "Ёлка"


def test_a_document_travels_in_a_multipart_body() -> None:
    document = Document("Свидетельство.pdf", b"%PDF-1.4\r\n\x00\xff--\r\n", field="file")
    request = Request.add(
        "Ёлка", cmt="c", document=document, doc_info="ТЗ", charset="utf-8", **AUTH
    )
    form = request.form(boundary="BOUNDARY")
    assert form.content_type == "multipart/form-data; boundary=BOUNDARY"
    assert form.body == (
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="add"\r\n\r\n1\r\n'
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="login"\r\n\r\nshop\r\n'
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="psw"\r\n\r\nhunter2-Sekret\r\n'
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="sender"\r\n\r\n\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0\r\n'
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="cmt"\r\n\r\nc\r\n'
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="doc_info"\r\n\r\n\xd0\xa2\xd0\x97\r\n'
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="charset"\r\n\r\nutf-8\r\n'
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="'
        + "Свидетельство.pdf".encode()
        + b'"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n\x00\xff--\r\n\r\n'
        b"--BOUNDARY--\r\n"
    )
    back = Request.from_form(*form)
    assert back == request
    assert back.document == document
    assert Request.from_form(*request.form()) == request  # a random boundary
    with pytest.raises(RequestError) as caught:
        request.url()
    assert (
        str(caught.value)
        == "a document travels only in a multipart/form-data POST body: send .form() (SPEC §7)"
    )
    assert caught.value.parameter == "file"
    with pytest.raises(RequestError, match="a document travels only in a multipart/form-data body"):
        request.form(multipart=False)


def test_multipart_parameters_in_the_url_count_too() -> None:
    body = b'--b\r\nContent-Disposition: form-data; name="sender"\r\n\r\nShop\r\n--b--\r\n'
    request = Request.from_form(body, "multipart/form-data; boundary=b", url="?add=1&apikey=k")
    assert request == Request.add("Shop", apikey="k")


def test_a_parsed_file_part_without_content_type_gets_the_extensions() -> None:
    body = (
        b'--b\r\nContent-Disposition: form-data; name="chg"\r\n\r\n1\r\n'
        b'--b\r\nContent-Disposition: form-data; name="doc"; filename="scan.JPG"\r\n\r\n\xff\xd8\r\n--b--\r\n'
    )
    request = Request.from_form(body, 'multipart/form-data; boundary="b"')
    assert request.document == Document("scan.JPG", b"\xff\xd8", "image/jpeg", field="doc")
    assert Request.from_form(*request.form()) == request


def _part(headers: str, value: bytes = b"1") -> bytes:
    return b"--b\r\n" + headers.encode("latin-1") + b"\r\n\r\n" + value + b"\r\n"


MP: Final = "multipart/form-data; boundary=b"
FORM_ERRORS: Final[list[tuple[str, bytes | str, str, str | None, str]]] = [
    ("not-a-form", b"get=1", "text/plain", None, "content type 'text/plain' is not a form: expected application/x-www-form-urlencoded or multipart/form-data"),
    ("json", b"{}", "application/json; charset=utf-8", None, "content type 'application/json; charset=utf-8' is not a form: expected application/x-www-form-urlencoded or multipart/form-data"),
    ("header-injection", b"get=1", URLENCODED + "\r\nX: y", None, "content type 'application/x-www-form-urlencoded\\r\\nX: y' is not a header value (printable ASCII, at most 1000 characters)"),
    ("no-boundary", b"get=1", "multipart/form-data", None, "the multipart/form-data content type names no boundary"),
    ("str-multipart", "--b--", MP, None, "a multipart/form-data body must be given as bytes: its parts may hold any bytes"),
    ("no-start-boundary", b"get=1", MP, None, "the body is not a valid multipart/form-data body (MultipartInvariantViolationDefect, StartBoundaryNotFoundDefect)"),
    ("no-close-boundary", _part('Content-Disposition: form-data; name="get"'), MP, None, "the body is not a valid multipart/form-data body (CloseBoundaryNotFoundDefect)"),
    ("no-disposition", _part("Content-Type: text/plain") + b"--b--", MP, None, "part 1 of the multipart body has no single Content-Disposition: form-data header"),
    ("attachment", _part('Content-Disposition: attachment; name="get"') + b"--b--", MP, None, "part 1 of the multipart body has no single Content-Disposition: form-data header"),
    ("two-dispositions", _part('Content-Disposition: form-data; name="get"\r\nContent-Disposition: form-data; name="del"') + b"--b--", MP, None, "part 1 of the multipart body has no single Content-Disposition: form-data header"),
    ("no-name", _part("Content-Disposition: form-data") + b"--b--", MP, None, "part 1 of the multipart body has no name"),
    ("rfc2231-name", _part("Content-Disposition: form-data; name*=utf-8''get") + b"--b--", MP, None, "part 1 of the multipart body encodes its name by RFC 2231, which the server does not read"),
    ("base64", _part('Content-Disposition: form-data; name="get"\r\nContent-Transfer-Encoding: base64', b"MQ==") + b"--b--", MP, "get", "part 1 of the multipart body ('get') has Content-Transfer-Encoding 'base64', which the server does not decode (SPEC D13)"),
    ("nested", _part('Content-Disposition: form-data; name="get"\r\nContent-Type: multipart/mixed; boundary=c', b"--c\r\n\r\nx\r\n--c--") + b"--b--", MP, None, "part 1 of the multipart body is not a form field"),
    (
        "two-files",
        _part('Content-Disposition: form-data; name="a"; filename="a.pdf"') + _part('Content-Disposition: form-data; name="b"; filename="b.pdf"') + b"--b--",
        MP, "b", "part 2 of the multipart body ('b') is a second file: a request carries one document (SPEC §7)",
    ),
    ("file-bad-type", _part('Content-Disposition: form-data; name="get"') + _part('Content-Disposition: form-data; name="f"; filename="x.exe"') + b"--b--", MP, "f", "the document 'x.exe' is not a jpg, tif, pdf, png, zip or rar file (SPEC §7)"),
    ("file-empty-name", _part('Content-Disposition: form-data; name="get"') + _part('Content-Disposition: form-data; name="f"; filename=""') + b"--b--", MP, "f", "the document's filename '' must be non-empty, without a quote, backslash, CR, LF or NUL (it is written in a multipart header)"),
    ("file-twice-as-field", _part('Content-Disposition: form-data; name="get"') + _part('Content-Disposition: form-data; name="file"') + _part('Content-Disposition: form-data; name="file"; filename="a.pdf"') + b"--b--", MP, "file", "'file' is given twice: as a parameter and as the document's part (SPEC D13)"),
    ("name-with-backslash-and-file", _part('Content-Disposition: form-data; name="get"') + _part('Content-Disposition: form-data; name="a\\\\b"') + _part('Content-Disposition: form-data; name="f"; filename="a.pdf"') + b"--b--", MP, "a\\b", "the name 'a\\\\b' cannot be written in a multipart/form-data part header (a quote, backslash, CR, LF or NUL)"),
    ("too-many-parts", b"".join(_part(f'Content-Disposition: form-data; name="p{i}"') for i in range(1001)) + b"--b--", MP, None, "1001 parameters: more than 1000, past which the server drops them (PHP's max_input_vars; SPEC D13)"),
    ("too-large", b"x" * (MAX_REQUEST_SIZE + 1), URLENCODED, None, "the body is 4194305 bytes, over the limit of 4194304 (SPEC D11)"),
    ("too-large-str", "x" * (MAX_REQUEST_SIZE + 1), URLENCODED, None, "the body is 4194305 characters, over the limit of 4194304 (SPEC D11)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "content_type", "parameter", "message"),
    [row[1:] for row in FORM_ERRORS],
    ids=[row[0] for row in FORM_ERRORS],
)
def test_form_bodies_that_are_refused(
    body: bytes | str, content_type: str, parameter: str | None, message: str
) -> None:
    with pytest.raises(RequestError) as caught:
        Request.from_form(body, content_type)
    assert type(caught.value) is RequestError
    assert str(caught.value) == message
    assert caught.value.parameter == parameter


def test_a_body_or_content_type_of_another_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="body must be bytes or str, not int"):
        Request.from_form(5, URLENCODED)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="content_type must be a str, not NoneType"):
        Request.from_form(b"get=1", None)  # type: ignore[arg-type]


def test_form_options() -> None:
    request = Request.get(apikey=KEY)
    assert request.form().headers == {"Content-Type": URLENCODED}
    form = request.form(multipart=True, boundary="x")
    assert form == Form(
        b'--x\r\nContent-Disposition: form-data; name="get"\r\n\r\n1\r\n--x\r\nContent-Disposition: form-data; name="apikey"\r\n\r\nApiKey-0f9e8d\r\n--x--\r\n',
        "multipart/form-data; boundary=x",
    )
    with pytest.raises(RequestError, match=r"boundary 'Key' occurs in the body"):
        request.form(multipart=True, boundary="Key")
    with pytest.raises(RequestError, match=r"boundary 'a b' must be 1 to 70 letters"):
        request.form(multipart=True, boundary="a b")
    odd = Request.from_url("get=1&a%22b=1")
    assert Request.from_form(*odd.form()) == odd
    with pytest.raises(RequestError) as caught:
        odd.form(multipart=True)
    assert caught.value.parameter == 'a"b'


def test_endpoint_and_url_base() -> None:
    assert Request.endpoint() == "https://smsc.ru/sys/senders.php"
    assert Request.endpoint("http://127.0.0.1:8000/") == "http://127.0.0.1:8000/sys/senders.php"
    assert Request.endpoint("http://proxy/smsc/senders.php") == "http://proxy/smsc/senders.php"
    assert (
        Request.get(apikey="k").url("https://smsc.kz")
        == "https://smsc.kz/sys/senders.php?get=1&apikey=k"
    )
    with pytest.raises(RequestError) as caught:
        Request.get(apikey="k").url("https://x/?a=1")
    assert (
        str(caught.value) == "base must be a URL without a query or fragment, not 'https://x/?a=1'"
    )


# --- the document -------------------------------------------------------------------------------

DOCUMENT_ERRORS: Final[list[tuple[str, Callable[[], object], str, str]]] = [
    ("exe", lambda: Document("virus.exe", b""), "file", "the document 'virus.exe' is not a jpg, tif, pdf, png, zip or rar file (SPEC §7)"),
    ("no-extension", lambda: Document("pdf", b""), "file", "the document 'pdf' is not a jpg, tif, pdf, png, zip or rar file (SPEC §7)"),
    ("empty-name", lambda: Document("", b""), "file", "the document's filename '' must be non-empty, without a quote, backslash, CR, LF or NUL (it is written in a multipart header)"),
    ("quote", lambda: Document('a".pdf', b""), "file", "the document's filename 'a\".pdf' must be non-empty, without a quote, backslash, CR, LF or NUL (it is written in a multipart header)"),
    ("newline", lambda: Document("a\n.pdf", b""), "file", "the document's filename 'a\\n.pdf' must be non-empty, without a quote, backslash, CR, LF or NUL (it is written in a multipart header)"),
    ("name-not-str", lambda: Document(b"a.pdf", b""), "file", "the document's filename must be a str, not bytes"),  # type: ignore[arg-type]
    ("content-not-bytes", lambda: Document("a.pdf", "text"), "file", "the document's content must be bytes, not str"),  # type: ignore[arg-type]
    ("too-large", lambda: Document("a.zip", b"\0" * (MAX_DOCUMENT_SIZE + 1)), "file", "the document is 3145729 bytes, over the service's limit of 3145728 (3 MB, SPEC §7)"),
    ("bad-content-type", lambda: Document("a.pdf", b"", "pdf"), "file", "the document's content type 'pdf' is not of the form type/subtype"),
    ("content-type-injection", lambda: Document("a.pdf", b"", "a/b\r\nX: 1"), "file", "the document's content type 'a/b\\r\\nX: 1' is not of the form type/subtype"),
    ("bad-field", lambda: Document("a.pdf", b"", field=""), "file", "the document's field '' must be non-empty, without a quote, backslash, CR, LF or NUL (it is written in a multipart header)"),
    ("field-named", lambda: Document("a.exe", b"", field="doc"), "doc", "the document 'a.exe' is not a jpg, tif, pdf, png, zip or rar file (SPEC §7)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "parameter", "message"),
    [row[1:] for row in DOCUMENT_ERRORS],
    ids=[row[0] for row in DOCUMENT_ERRORS],
)
def test_documents_that_are_refused(
    make: Callable[[], object], parameter: str, message: str
) -> None:
    with pytest.raises(RequestError) as caught:
        make()
    assert str(caught.value) == message
    assert caught.value.parameter == parameter


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("a.jpg", "image/jpeg"), ("a.JPEG", "image/jpeg"), ("a.tif", "image/tiff"), ("a.Tiff", "image/tiff"),
     ("a.pdf", "application/pdf"), ("a.png", "image/png"), ("a.zip", "application/zip"), ("a.rar", "application/vnd.rar")],
)  # fmt: skip
def test_documents_of_every_documented_type(filename: str, content_type: str) -> None:
    document = Document(filename, bytearray(b"x"))
    assert (document.content_type, document.content) == (content_type, b"x")
    assert (
        Document(filename, b"", "application/octet-stream").content_type
        == "application/octet-stream"
    )
    assert pickle.loads(pickle.dumps(document)) == document


def test_a_document_of_the_largest_size_travels() -> None:
    document = Document("a.zip", b"\r\n" * (MAX_DOCUMENT_SIZE // 2))
    request = Request.chg(id=1, document=document, doc_info="d", apikey=KEY)
    assert Request.from_form(*request.form()) == request


def test_a_document_name_the_charset_cannot_carry() -> None:
    with pytest.raises(RequestError) as caught:
        Request.add("S", document=Document("漢字.pdf", b""), doc_info="d", apikey=KEY)
    assert (
        str(caught.value)
        == "the value of 'file' cannot be written in windows-1251 ('漢字' at position 0): the request's charset cannot carry it (SPEC D13)"
    )
    assert caught.value.parameter == "file"


# --- decoding the reply -------------------------------------------------------------------------


def test_decode_uses_the_requests_key_and_charset() -> None:
    request = Request.get(all=True, fmt=1, apikey=KEY)
    assert request.decode("Ёлка,1,7".encode("cp1251")) == sw.SenderList(
        [sw.Sender("Ёлка", 7, sw.SenderStatus.APPROVED)]
    )
    utf8 = Request.get(all=True, fmt=1, charset="utf-8", apikey=KEY)
    assert utf8.decode("Ёлка,1,7".encode()) == request.decode("Ёлка,1,7".encode("cp1251"))
    assert Request.delete(id=1, apikey=KEY).decode(
        b"ERROR = 3 (record not found)"
    ) == sw.ErrorReply(sw.ErrorCode.SENDER_NOT_FOUND, "record not found")
    assert Request.add("S", fmt=3, apikey=KEY).decode(b'{\n"sender": 42\n}') == sw.SenderAdded(42)


def test_a_content_type_charset_never_overrides_the_requests() -> None:
    request = Request.get(fmt=1, charset="utf-8", apikey=KEY)
    body = "Ёлка,7".encode()
    assert request.decode(body, content_type="text/plain; charset=windows-1251") == request.decode(
        body
    )


def test_a_failed_decode_says_what_the_content_type_named() -> None:
    request = Request.get(fmt=1, charset="utf-8", apikey=KEY)
    with pytest.raises(sw.WireFormatError) as caught:
        request.decode("Ёлка,7".encode("cp1251"), content_type='text/plain; charset="windows-1251"')
    assert type(caught.value) is sw.WireFormatError
    assert caught.value.reason == (
        "byte a8 at offset 0 is not valid utf-8 (invalid start byte); the body reads as windows-1251, "
        "the service's default charset: decode it with the charset the request named (SPEC D10); "
        "the reply's Content-Type names charset 'windows-1251', but the request's charset (utf-8) is "
        "what the server writes in (SPEC D10)"
    )
    assert (caught.value.offset, caught.value.key) == (0, sw.Key(1, "get"))
    assert isinstance(caught.value.__cause__, sw.WireFormatError)


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "text/plain; charset=UTF-8",
        "text/plain; charset=utf8",
        "\x00;;=\r\n",
        "x" * 5000,
    ],
)
def test_a_content_type_that_names_the_same_or_no_charset_changes_no_error(
    content_type: str | None,
) -> None:
    request = Request.get(fmt=1, charset="utf-8", apikey=KEY)
    with pytest.raises(sw.WireFormatError) as caught:
        request.decode(b"\xff", content_type=content_type)
    assert "Content-Type" not in caught.value.reason


def test_too_large_replies_are_not_blamed_on_the_charset() -> None:
    request = Request.get(fmt=1, charset="utf-8", apikey=KEY)
    with pytest.raises(sw.InputTooLargeError):
        request.decode(b"x" * 11, content_type="text/plain; charset=koi8-r", max_size=10)
    with pytest.raises(sw.UnsupportedKeyError):
        Request.from_url("get=1&fmt=9").decode(b"OK")


# --- secrets ------------------------------------------------------------------------------------


def _secret_free(*texts: object) -> None:
    for text in texts:
        assert SECRET not in str(text) and KEY not in str(text), text


@pytest.mark.parametrize("build", [row[1] for row in BUILT], ids=[row[0] for row in BUILT])
def test_secrets_never_show_in_a_built_request(build: Callable[[], Request[Any]]) -> None:
    request = build()
    _secret_free(
        repr(request), str(request), f"{request}", request.params, dict(request.params), request.key
    )
    assert "psw" not in request.params and "apikey" not in request.params
    assert SECRET in request.url() or KEY in request.url()  # only url() and form() write them
    assert SECRET.encode() in request.form().body or KEY.encode() in request.form().body


def test_secrets_never_show_in_a_parsed_request() -> None:
    request = Request.from_url(
        f"https://smsc.ru/sys/senders.php?get=1&login=shop&psw={SECRET}&apikey={KEY}"
    )
    _secret_free(repr(request), str(request), request.params, pickle.loads(pickle.dumps(request)))
    assert (
        repr(request)
        == "Request(operation='get', parameters={'get': '1', 'login': 'shop', 'psw': '***', 'apikey': '***'}, document=None)"
    )
    body = Request.add("S", document=Document("a.pdf", b""), doc_info="d", **AUTH).form()
    _secret_free(repr(Request.from_form(*body)))


SECRET_ERRORS: Final[list[tuple[str, Callable[[], object], str | None, str]]] = [
    ("psw-not-utf8", lambda: Request.from_url(f"get=1&charset=utf-8&psw={SECRET}%FF"), "psw", "the value of 'psw' is not valid utf-8 (SPEC D13)"),
    ("apikey-not-cp1251", lambda: Request.from_url(f"get=1&apikey={KEY}%98"), "apikey", "the value of 'apikey' is not valid windows-1251 (SPEC D13)"),
    ("psw-raw-character", lambda: Request.from_url(f"get=1&psw={SECRET}漢"), "psw", "the value of 'psw' holds a character windows-1251 cannot carry: percent-encode it (SPEC D13)"),
    ("psw-lone-surrogate", lambda: Request.from_url(f"get=1&charset=utf-8&psw={SECRET}\udc80"), "psw", "the value of 'psw' holds a character utf-8 cannot carry: percent-encode it (SPEC D13)"),
    ("psw-twice", lambda: Request.from_url(f"get=1&psw={SECRET}&psw={SECRET}"), "psw", "'psw' is given twice: one value per parameter (SPEC D13)"),
    ("psw-as-flag", lambda: Request.from_url(f"get={SECRET}&psw={SECRET}"), "get", "the operation flag get must be 1, not 'hunter2-Sekret' (SPEC D13)"),
    ("psw-not-in-charset", lambda: Request.get(login="a", psw=SECRET + "漢"), "psw", "the value of 'psw' cannot be written in windows-1251: the request's charset cannot carry it (SPEC D13)"),
    ("apikey-not-in-koi8", lambda: Request.get(apikey=KEY + "€", charset="koi8-r"), "apikey", "the value of 'apikey' cannot be written in koi8-r: the request's charset cannot carry it (SPEC D13)"),
    ("psw-surrogate", lambda: Request.get(login="a", psw=SECRET + "\ud800", charset="utf-8"), "psw", "the value of 'psw' cannot be written in utf-8: the request's charset cannot carry it (SPEC D13)"),
    ("psw-in-multipart-not-utf8", lambda: Request.from_form(_part('Content-Disposition: form-data; name="psw"', SECRET.encode() + b"\xff") + b"--b--", MP, url="?get=1&charset=utf-8"), "psw", "the value of 'psw' is not valid utf-8 (SPEC D13)"),
    ("psw-in-url-with-bad-body", lambda: Request.from_form(b"x", MP, url=f"?get=1&psw={SECRET}"), None, "the body is not a valid multipart/form-data body (MultipartInvariantViolationDefect, StartBoundaryNotFoundDefect)"),
    ("psw-with-two-operations", lambda: Request.from_url(f"get=1&psw={SECRET}&del=1"), "del", "two operations, get=1 and del=1: a request names exactly one (SPEC D13)"),
    ("psw-with-unknown-charset", lambda: Request.from_url(f"get=1&psw={SECRET}&charset={SECRET}"), "charset", "unknown charset 'hunter2-Sekret': expected a text encoding such as windows-1251, utf-8 or koi8-r (SPEC D10)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "parameter", "message"),
    [row[1:] for row in SECRET_ERRORS],
    ids=[row[0] for row in SECRET_ERRORS],
)
def test_secrets_never_show_in_an_error(
    make: Callable[[], object], parameter: str | None, message: str
) -> None:
    with pytest.raises(RequestError) as caught:
        make()
    error = caught.value
    assert (str(error), error.parameter) == (message, parameter)
    if "psw=" + SECRET in message or "not '" + SECRET in message or "charset '" + SECRET in message:
        return  # the secret stood where a flag or charset belongs: it is shown as that value
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is RequestError
    assert (str(back), back.reason, back.parameter, back.args) == (
        message,
        message,
        parameter,
        error.args,
    )
    _secret_free(
        str(error),
        repr(error),
        error.args,
        error.__dict__,
        str(back),
        repr(back),
        pickle.dumps(error),
    )


def test_request_error_is_a_value_error_of_the_library() -> None:
    error = RequestError("x", parameter="sender")
    assert issubclass(RequestError, sw.SmscWireError)
    assert issubclass(RequestError, ValueError)
    assert (error.reason, error.parameter, str(error)) == ("x", "sender", "x")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.reason, back.parameter) == (RequestError, "x", "sender")


def test_messages_are_bounded() -> None:
    long_value = "x" * 10_000
    for make in (
        lambda: Request.from_url("get=1&fmt=" + long_value),
        lambda: Request.from_url(f"get=1&{long_value}=1&{long_value}=2"),
        lambda: Request.from_url("get=" + long_value),
        lambda: Request.from_url("get=1&charset=" + long_value),
        lambda: Request.from_form(b"", "text/" + long_value[:900]),
        lambda: Request.add("S", operators=[long_value + " "], apikey=KEY),
        lambda: Document(long_value, b""),
    ):
        with pytest.raises(RequestError) as caught:
            make()
        assert len(str(caught.value)) < 300, str(caught.value)


# --- round trips and garbage --------------------------------------------------------------------

_TEXT: Final = st.text(st.characters(codec="utf-8"), max_size=12)
_CP1251_TEXT: Final = st.text(st.sampled_from(string.printable + "ЁёАБВгдеЖз№«»€ "), max_size=12)


@st.composite
def built_requests(draw: st.DrawFn) -> Request[Any]:
    charset = draw(st.sampled_from([None, "utf-8", "windows-1251"]))
    text = _TEXT if charset == "utf-8" else _CP1251_TEXT
    nonempty = text.filter(bool)
    auth: dict[str, Any] = draw(
        st.one_of(
            st.builds(lambda login, psw: {"login": login, "psw": psw}, nonempty, nonempty),
            st.builds(lambda key: {"apikey": key}, nonempty),
        )
    )
    common: dict[str, Any] = {
        "fmt": draw(st.sampled_from([None, 0, 1, 2, 3])),
        "charset": charset,
        "params": draw(
            st.lists(
                st.tuples(st.sampled_from(["user", "x", "zz_1", "прочее"]), text),
                max_size=3,
                unique_by=lambda p: p[0],
            )
        ),
        **auth,
    }
    operation = draw(st.sampled_from(["get", "add", "chg", "send_code", "check_code", "delete"]))
    if operation == "get":
        operators = draw(st.booleans()) and common["fmt"] != 1
        return Request.get(all=draw(st.booleans()), operators=operators, **common)
    if operation in ("add", "chg"):
        registration: dict[str, Any] = {
            "cmt": draw(st.none() | text),
            "operators": draw(
                st.lists(st.sampled_from([*OPERATOR_FLAGS, "new_op"]), unique=True, max_size=4)
            ),
            "fields": draw(st.dictionaries(st.sampled_from(REGISTRATION_FIELDS), text, max_size=3)),
        }
        if draw(st.booleans()):
            registration.update(mail=True, name=draw(nonempty))
        if draw(st.booleans()):
            registration.update(
                document=Document(
                    draw(st.sampled_from(["a.pdf", "Скан.JPG", "b.zip"])),
                    draw(st.binary(max_size=64)),
                ),
                doc_info=draw(nonempty),
            )
        if operation == "add":
            return Request.add(draw(nonempty), **registration, **common)
        target = (
            {"sender": draw(nonempty)}
            if draw(st.booleans())
            else {"id": draw(st.integers(0, 2**63 - 1))}
        )
        return Request.chg(**target, **registration, **common)
    if operation == "send_code":
        return Request.send_code(draw(nonempty), **common)
    if operation == "check_code":
        return Request.check_code(draw(nonempty), draw(nonempty | st.integers(0, 10**6)), **common)
    target = (
        {"sender": draw(nonempty)}
        if draw(st.booleans())
        else {"id": draw(st.integers(0, 2**63 - 1))}
    )
    return Request.delete(**target, **common)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(built_requests())
def test_every_built_request_round_trips(request: Request[Any]) -> None:
    if request.document is None:
        assert Request.from_url(request.url()) == request
        assert Request.from_url(request.url()).url() == request.url()  # the same bytes
        assert Request.from_form(*request.form()).form() == request.form()
    assert Request.from_form(*request.form()) == request
    assert Request.from_form(*request.form(multipart=True)) == request
    assert pickle.loads(pickle.dumps(request)) == request


_HOSTILE: Final = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=100),
    st.lists(
        st.sampled_from(["get=1", "add=1", "del=0", "&", "=", "%", "%FF", "%zz", "+", "charset=utf-8", "charset=koi8-r",
                         "charset=x", "fmt=9", "fmt=a", "psw=s", "psw=t", "?", "#", "\u0416", "\ud800", "\x00", "\r\n"]),
        max_size=12,
    ).map("".join),
)  # fmt: skip


@settings(max_examples=400)
@given(
    _HOSTILE,
    st.sampled_from(
        [
            URLENCODED,
            MP,
            "multipart/form-data; boundary=",
            "text/plain",
            "",
            "multipart/form-data; boundary=b; boundary=c",
        ]
    ),
)
def test_only_request_error_escapes_a_parser(garbage: str | bytes, content_type: str) -> None:
    parsers: list[Callable[[], Request[Any]]] = [
        lambda: Request.from_url(garbage),
        lambda: Request.from_form(garbage, content_type),
        lambda: Request.from_form(
            b"--b\r\n"
            + (garbage.encode("utf-8", "surrogatepass") if isinstance(garbage, str) else garbage),
            MP,
            url=garbage,
        ),
    ]
    for parse in parsers:
        try:
            request = parse()
        except RequestError:
            continue
        if request.document is None:
            assert Request.from_url(request.url()) == request
        assert Request.from_form(*request.form()) == request


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda n: (
                "get=1&" + "&".join(f"p{i}=v" for i in range(min(n, 998))) + "&x=" + "%41" * n
            ),
            id="url-escapes",
        ),
        pytest.param(lambda n: "get=1&x=" + "+" * (4 * n), id="url-pluses"),
        pytest.param(lambda n: b"get=1&x=" + b"%" * (4 * n), id="url-percents"),
    ],
)
def test_parsing_is_linear(make: Callable[[int], str | bytes]) -> None:
    # SPEC D11: ten times the input may take about ten times as long, never a hundred.
    def timed(n: int) -> float:
        url = make(n)
        start = time.perf_counter()
        Request.from_url(url)
        return time.perf_counter() - start

    small, large = min(timed(20_000) for _ in range(3)), min(timed(200_000) for _ in range(3))
    assert large < max(small * 40, 0.05), (small, large)


def test_the_largest_multipart_body_parses_in_reasonable_time() -> None:
    document = Document("a.zip", b"\n" * MAX_DOCUMENT_SIZE)
    form = Request.add("S", document=document, doc_info="d", apikey=KEY).form()
    start = time.perf_counter()
    assert Request.from_form(*form).document == document
    assert time.perf_counter() - start < 20


# --- fuzz regressions and doctests --------------------------------------------------------------

FUZZ: Final = Path(__file__).resolve().parents[1] / "fuzz"
REGRESSIONS: Final = sorted((FUZZ / "corpus" / "regressions" / "request").iterdir())


def _harness() -> Any:
    sys.path.insert(0, str(FUZZ))
    try:
        return importlib.import_module("fuzz_request")
    finally:
        sys.path.remove(str(FUZZ))


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_fuzz_regression_input_passes(path: Path) -> None:
    pytest.importorskip("atheris", reason="the harness needs atheris (pip install '.[fuzz]')")
    _harness().test_one_input(path.read_bytes())


def test_fuzz_regressions_in_plain_words() -> None:
    # multipart-name-outside-ascii: compat32 replaced a header's bytes outside ASCII by U+FFFD.
    body = (
        _part('Content-Disposition: form-data; name="get"')
        + b'--b\r\nContent-Disposition: form-data; name="\xd1\xe0\xe9\xf2"\r\n\r\nx\r\n--b--\r\n'
    )
    assert Request.from_form(body, MP).params["Сайт"] == "x"
    # lone-surrogate-in-str-url: looking for the charset parameter met a lone surrogate.
    with pytest.raises(RequestError) as caught:
        Request.from_url("\ud800get=1")
    assert (
        str(caught.value)
        == "the name '\\ud800get' holds a character windows-1251 cannot carry: percent-encode it (SPEC D13)"
    )


def test_seed_corpus_is_what_make_seeds_writes() -> None:
    pytest.importorskip("atheris", reason="the harness needs atheris (pip install '.[fuzz]')")
    directory = FUZZ / "corpus" / "request"
    assert {p.name: p.read_bytes() for p in directory.iterdir()} == _harness().seeds()


@pytest.mark.parametrize(
    "module", [errors_module, form_module, request_module], ids=lambda m: m.__name__
)
def test_docstring_examples_run(module: object) -> None:
    names = {"Request": Request, "Document": Document, "Form": Form}
    result = doctest.testmod(module, extraglobs=names, optionflags=doctest.ELLIPSIS, report=True)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


# --- typing (read by mypy) ----------------------------------------------------------------------


def check_builders_are_typed_by_their_reply() -> None:
    assert_type(Request.get(apikey=KEY), Request[sw.SenderList])
    assert_type(Request.add("S", apikey=KEY), Request[sw.SenderAdded])
    assert_type(Request.chg(id=1, apikey=KEY), Request[sw.Ok])
    assert_type(Request.send_code("7999", apikey=KEY), Request[sw.Ok])
    assert_type(Request.check_code("7999", "1", apikey=KEY), Request[sw.Ok])
    assert_type(Request.delete(id=1, apikey=KEY), Request[sw.Ok])


def check_decode_gives_the_success_model_or_an_error() -> None:
    assert_type(Request.get(fmt=3, apikey=KEY).decode(b"[]"), sw.SenderList | sw.ErrorReply)
    assert_type(Request.add("S", apikey=KEY).decode(b"ID = 1"), sw.SenderAdded | sw.ErrorReply)
    assert_type(Request.delete(id=1, apikey=KEY).decode(b"OK"), sw.Ok | sw.ErrorReply)
    assert_type(Request.get(fmt=3, apikey=KEY).decode(b"[]").raise_for_error(), sw.SenderList)
    assert_type(Request.get(apikey=KEY).key, sw.Key[sw.SenderList])


def check_parsed_requests_give_any_reply() -> None:
    parsed = Request.from_url("del=1")
    assert_type(parsed, Request[sw.SenderList | sw.SenderAdded | sw.Ok])
    assert_type(parsed.decode(b"OK"), sw.SenderList | sw.SenderAdded | sw.Ok | sw.ErrorReply)
    assert_type(
        Request.from_form(b"get=1", URLENCODED), Request[sw.SenderList | sw.SenderAdded | sw.Ok]
    )
    assert_type(parsed.operation, sw.Operation)
    assert_type(parsed.charset, str)
    assert_type(parsed.document, Document | None)
    assert_type(parsed.form(), Form)
    assert_type(parsed.url(), str)


def test_the_checks_run() -> None:
    check_builders_are_typed_by_their_reply()
    check_decode_gives_the_success_model_or_an_error()
    check_parsed_requests_give_any_reply()


@given(
    st.binary(max_size=40)
    | st.text(string.ascii_letters + string.digits + "_.-~ +%&=/\xe9", max_size=40).map(
        lambda text: text.encode("utf-8")
    )
)
def test_quote_writes_what_quote_plus_writes(data: bytes) -> None:
    # quote's shortcut for bytes with nothing to encode must agree with the standard library.
    from urllib.parse import quote_plus

    assert form_module.quote(data) == quote_plus(data, safe="")


_PIECES: Final = st.binary(max_size=12) | st.text(
    string.ascii_letters + string.digits + "_.-~ +%&=/\xe9", max_size=12
).map(lambda text: text.encode("utf-8"))


@given(st.lists(st.tuples(_PIECES, _PIECES), max_size=6))
def test_query_string_writes_what_urlencode_writes(pairs: list[tuple[bytes, bytes]]) -> None:
    # The shortcut for pairs with nothing to encode (joined in C) must agree with the library.
    from urllib.parse import urlencode

    assert form_module.query_string(pairs) == urlencode(pairs, safe="")


@given(st.binary(max_size=40) | st.text("ab%+2F0 é", max_size=20), st.booleans())
def test_raw_pair_bytes_are_what_unquote_to_bytes_gives(piece: bytes | str, quoted: bool) -> None:
    from urllib.parse import unquote_to_bytes

    data = piece.encode("utf-8") if isinstance(piece, str) else piece
    expected = unquote_to_bytes(data.replace(b"+", b" ")) if quoted else data
    assert form_module.RawPair(piece, piece, quoted).value_bytes() == expected


@settings(max_examples=400)
@given(_HOSTILE)
def test_a_parsed_request_holds_the_bytes_its_text_is_written_in(garbage: str | bytes) -> None:
    """A parsed request keeps the bytes it read where they are sure to be its text written again
    (UTF-8, or ASCII): the same bytes as writing every name and value anew."""
    try:
        parsed = Request.from_url(garbage)
    except RequestError:
        return
    rebuilt = Request._make(parsed._pairs, parsed.document)
    assert parsed._wire == rebuilt._wire
    assert parsed.url() == rebuilt.url()


@settings(max_examples=400)
@given(_HOSTILE, st.sampled_from(["", "charset=koi8-r&", "charset=utf-8&", "charset=cp1251&"]))
def test_plain_pieces_read_as_the_general_path_reads_them(garbage: str | bytes, head: str) -> None:
    """ASCII pieces with nothing to unquote skip the general reading, and a query made of them
    alone is read whole: the same request, or the same error, as without the shortcuts."""
    from smsc_wire._exchange import request as request_module

    url = head + garbage if isinstance(garbage, str) else head.encode() + garbage

    def outcome() -> object:
        try:
            parsed = Request.from_url(url)
        except RequestError as exc:
            return (type(exc), str(exc), exc.parameter)
        return (parsed, parsed._wire, parsed.url())

    fast = outcome()
    original, whole = request_module._plain, request_module._parse_ascii
    request_module._plain = lambda piece, quoted: None
    request_module._parse_ascii = lambda query: None
    try:
        general = outcome()
    finally:
        request_module._plain, request_module._parse_ascii = original, whole
    assert fast == general
