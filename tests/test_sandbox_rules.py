"""Every rule of SPEC D15, through real HTTP, with httpx, requests and urllib.

Strategy: each test gets the ``smsc_sandbox`` fixture (a fresh sandbox on a free loopback port)
and an :class:`Api` bound to one of the three clients; every reply is read back with
``smsc_wire.decode`` under the request's key and charset and checked exactly (model, canonical
bytes, Content-Type). Rules that depend on time step the sandbox's clock instead of sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Final

import pytest
from sandbox_clients.calls import CLIENTS, Answer, Api, check, encoded, error

import smsc_wire as sw
from smsc_wire import ErrorReply, Ok, Sender, SenderAdded, SenderList
from smsc_wire.sandbox import IpBlock, RateLimit, Sandbox, md5_hex
from smsc_wire.sandbox._state import DEFAULT_OPERATORS

pytest_plugins = ["smsc_wire.sandbox.pytest_plugin"]

LOGIN: Final = "shop"
PSW: Final = "p@ss w0rd&Ё"
APIKEY: Final = "k3y+/="
AUTH: Final[dict[str, str | int]] = {"login": LOGIN, "psw": PSW}
PHONE: Final = "79991234567"


@pytest.fixture(params=CLIENTS)
def api(request: pytest.FixtureRequest, smsc_sandbox: Sandbox) -> Iterator[Api]:
    smsc_sandbox.add_account(LOGIN, PSW, apikey=APIKEY)
    api = Api(request.param, smsc_sandbox.endpoint)
    yield api
    api.close()


@pytest.fixture
def sandbox(smsc_sandbox: Sandbox) -> Sandbox:
    return smsc_sandbox


# --- authentication (SPEC §7, D15) ---------------------------------------------------------------


def test_password_digest_and_apikey_authenticate(api: Api) -> None:
    for fmt in range(4):
        api.expect({"get": 1, **AUTH, "fmt": fmt}, SenderList())
    api.expect({"get": 1, "login": LOGIN, "psw": md5_hex(PSW), "fmt": 3, "all": 1}, SenderList())
    api.expect({"get": 1, "apikey": APIKEY, "fmt": 2, "all": 1}, SenderList())
    # An API key decides alone: a wrong psw beside it is not looked at.
    api.expect({"get": 1, "login": LOGIN, "psw": "wrong", "apikey": APIKEY}, SenderList())


@pytest.mark.parametrize(
    "credentials",
    [
        {"login": LOGIN, "psw": "wrong"},
        {"login": "nobody", "psw": PSW},
        {"login": LOGIN},
        {"psw": PSW},
        {},
        {"login": LOGIN, "psw": md5_hex(PSW).upper()},  # the digest is lower-case hex
        {"apikey": "not-the-key"},
        {"apikey": ""},
        {"login": LOGIN, "psw": ""},
    ],
    ids=["wrong-psw", "unknown-login", "no-psw", "no-login", "none", "upper-md5", "bad-key",
         "empty-key", "empty-psw"],
)  # fmt: skip
def test_authentication_errors_are_error_2(
    api: Api, sandbox: Sandbox, credentials: dict[str, str]
) -> None:
    sandbox.configure(ip_block=None)
    for fmt in range(4):
        api.expect({"get": 1, **credentials, "fmt": fmt}, error(2, fmt))


def test_md5_rule_switched_off_refuses_the_digest(api: Api, sandbox: Sandbox) -> None:
    sandbox.configure(md5=False)
    api.expect({"get": 1, "login": LOGIN, "psw": md5_hex(PSW), "fmt": 3}, error(2, 3))
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList())


# --- the IP block (error 4) ----------------------------------------------------------------------


def test_fifth_failure_blocks_the_address_for_30_minutes(api: Api, sandbox: Sandbox) -> None:
    bad: dict[str, str | int] = {"get": 1, "login": LOGIN, "psw": "wrong", "fmt": 3}
    for _ in range(5):
        api.expect(bad, error(2, 3))
    assert set(sandbox.blocked()) == {"127.0.0.1"}
    good = {"get": 1, **AUTH, "fmt": 0}
    api.expect(good, error(4, 0))  # the right password does not help
    sandbox.clock.advance(1790)  # the fixture's clock also runs: ten seconds of margin
    api.expect(good, error(4, 0))
    sandbox.clock.advance(10)
    api.expect(good, SenderList())
    assert sandbox.blocked() == {}


def test_failures_outside_the_window_do_not_block(api: Api, sandbox: Sandbox) -> None:
    bad: dict[str, str | int] = {"get": 1, "login": LOGIN, "psw": "wrong", "fmt": 1}
    for _ in range(4):
        api.expect(bad, error(2, 1))
    sandbox.clock.advance(1801)
    api.expect(bad, error(2, 1))
    api.expect({"get": 1, **AUTH, "fmt": 1}, SenderList())


def test_ip_block_parameters_and_switch(api: Api, sandbox: Sandbox) -> None:
    sandbox.configure(ip_block=IpBlock(failures=2, window=60, duration=10))
    bad: dict[str, str | int] = {"get": 1, "login": LOGIN, "psw": "wrong", "fmt": 3}
    api.expect(bad, error(2, 3))
    api.expect(bad, error(2, 3))
    api.expect({"get": 1, **AUTH, "fmt": 3}, error(4, 3))
    sandbox.clock.advance(10)
    api.expect({"get": 1, **AUTH, "fmt": 3, "all": 1}, SenderList())
    sandbox.configure(ip_block=None)
    for _ in range(6):
        api.expect(bad, error(2, 3))
    api.expect({"get": 1, **AUTH, "fmt": 2}, SenderList())


# --- required parameters (error 1, SPEC §7) ------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"add": 1},
        {"add": 1, "sender": ""},
        {"chg": 1, "cmt": "x"},
        {"chg": 1, "sender": "Shop", "id": 1},
        {"chg": 1, "id": "x1"},
        {"chg": 1, "id": "99999999999999999999"},
        {"send_code": 1},
        {"check_code": 1, "sender": PHONE},
        {"check_code": 1, "code": "1234"},
        {"del": 1},
        {"del": 1, "sender": "Shop", "id": 1},
    ],
    ids=["add", "add-empty", "chg", "chg-both", "chg-id-not-digits", "chg-id-too-big",
         "send_code", "check_code-no-code", "check_code-no-sender", "del", "del-both"],
)  # fmt: skip
def test_missing_parameter_is_error_1(
    api: Api, sandbox: Sandbox, params: dict[str, str | int]
) -> None:
    sandbox.add_sender(LOGIN, "Shop")
    for fmt in (0, 1, 3):
        api.expect({**params, **AUTH, "fmt": fmt}, error(1, fmt))


# --- add, get, ids -------------------------------------------------------------------------------


def test_add_assigns_new_ids_never_reused(api: Api, sandbox: Sandbox) -> None:
    api.expect({"add": 1, **AUTH, "sender": "Alpha", "fmt": 3}, SenderAdded(1))
    api.expect({"add": 1, **AUTH, "sender": "Beta", "cmt": "b", "fmt": 0}, SenderAdded(2))
    api.expect({"del": 1, **AUTH, "sender": "Alpha", "fmt": 2}, Ok())
    api.expect({"add": 1, **AUTH, "sender": "Gamma", "fmt": 1}, SenderAdded(3))
    api.expect({"add": 1, **AUTH, "sender": "Alpha", "fmt": 2}, SenderAdded(4))
    records = sandbox.senders(LOGIN)
    assert [(r.id, r.name, r.status, r.cmt) for r in records] == [
        (2, "Beta", sw.SenderStatus.AWAITING_MODERATION, "b"),
        (3, "Gamma", 0, ""),
        (4, "Alpha", 0, ""),
    ]
    assert sandbox.next_id == 5


def test_get_lists_approved_names_with_all0_and_every_name_with_all1(
    api: Api, sandbox: Sandbox
) -> None:
    a = sandbox.add_sender(LOGIN, "Approved", status=1)
    w = sandbox.add_sender(LOGIN, "Waiting")
    d = sandbox.add_sender(LOGIN, "Disabled")
    sandbox.disable(LOGIN, "Disabled")
    sandbox.add_sender("demo", "Other", status=1)  # another account's: never listed here
    for fmt in range(4):
        api.expect({"get": 1, **AUTH, "fmt": fmt}, SenderList([Sender("Approved", a.id)]))
        every = SenderList(
            [Sender("Approved", a.id, 1), Sender("Waiting", w.id, 0), Sender("Disabled", d.id, 2)]
        )
        api.expect({"get": 1, **AUTH, "all": 1, "fmt": fmt}, every)


def test_get_operators_adds_per_operator_statuses(api: Api, sandbox: Sandbox) -> None:
    a = sandbox.add_sender(LOGIN, "Approved", status=1)
    w = sandbox.add_sender(LOGIN, "Waiting")
    sandbox.set_operator(LOGIN, "Approved", "mega_step", sw.OperatorStatus.APPROVED)
    sandbox.set_operator(LOGIN, a.id, "tele2", 255)
    sandbox.set_operator(LOGIN, "Approved", "kz_new", 7)  # SPEC D4: unknown field and code
    sandbox.set_operator(LOGIN, "Approved", "beeline_alt", "ShopAlt")  # a raw value
    ops = {**DEFAULT_OPERATORS, "mega_step": 2, "tele2": 255, "kz_new": 7, "beeline_alt": "ShopAlt"}
    for fmt in (0, 2, 3):
        api.expect(
            {"get": 1, **AUTH, "operators": 1, "fmt": fmt},
            SenderList([Sender("Approved", a.id, operators=ops)]),
        )
        both = SenderList(
            [Sender("Approved", a.id, 1, ops), Sender("Waiting", w.id, 0, DEFAULT_OPERATORS)]
        )
        api.expect({"get": 1, **AUTH, "all": 1, "operators": 1, "fmt": fmt}, both)


def test_chg_changes_the_comment_by_name_or_id(api: Api, sandbox: Sandbox) -> None:
    record = sandbox.add_sender(LOGIN, "Shop", cmt="old")
    api.expect({"chg": 1, **AUTH, "sender": "Shop", "cmt": "new", "fmt": 3}, Ok())
    assert sandbox.sender(LOGIN, "Shop").cmt == "new"
    api.expect({"chg": 1, **AUTH, "id": record.id, "cmt": "newer", "mega_step": 1}, Ok())
    assert sandbox.sender(LOGIN, record.id).cmt == "newer"
    api.expect({"chg": 1, **AUTH, "id": record.id, "fmt": 1}, Ok())  # nothing to change
    assert sandbox.sender(LOGIN, record.id).status == sw.SenderStatus.AWAITING_MODERATION


# --- names and ids the account does not have (error 3) -------------------------------------------


def test_names_and_ids_of_other_accounts_are_error_3(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_account("rival", "rival")
    theirs = sandbox.add_sender("rival", PHONE, status=1)
    mine = sandbox.add_sender(LOGIN, "Mine")
    for target in ({"sender": PHONE}, {"id": theirs.id}, {"id": 999}):
        for op in ("chg", "del"):
            api.expect({op: 1, **AUTH, **target, "fmt": 3}, error(3, 3))
    api.expect({"send_code": 1, **AUTH, "sender": PHONE, "fmt": 2}, error(3, 2))
    api.expect({"check_code": 1, **AUTH, "sender": PHONE, "code": "1", "fmt": 0}, error(3, 0))
    assert [r.name for r in sandbox.senders("rival")] == [PHONE]
    api.expect({"del": 1, **AUTH, "id": mine.id, "fmt": 3}, Ok())
    api.expect({"del": 1, **AUTH, "id": mine.id, "fmt": 3}, error(3, 3))


# --- name rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["TwelveChars1", "Шоп", "Shop, Inc", "Shop Inc", "a/b", "+7999", "Shop!", "a = b"]
)
def test_names_outside_the_published_rule_are_error_1(
    api: Api, sandbox: Sandbox, name: str
) -> None:
    params = {"add": 1, **AUTH, "sender": name, "fmt": 3, "charset": "utf-8"}
    api.expect(params, error(1, 3))
    assert sandbox.senders(LOGIN) == ()


@pytest.mark.parametrize(
    "name", ["Shop.Co-1_x", "ElevenChars", "7", "+79991234567", "7999123456789"]
)
def test_names_inside_the_published_rule_are_added(api: Api, sandbox: Sandbox, name: str) -> None:
    api.expect({"add": 1, **AUTH, "sender": name, "fmt": 0}, SenderAdded(1))
    assert sandbox.sender(LOGIN, 1).name == name


def test_any_names_switch_allows_what_every_fmt_can_carry(api: Api, sandbox: Sandbox) -> None:
    sandbox.configure(names=None, add_limit=None, list_limit=None)
    names = ["Shop, Inc", "Ёлка", "a = b", "名字", "x" * 40]
    for i, name in enumerate(names, 1):
        api.expect({"add": 1, **AUTH, "sender": name, "charset": "utf-8", "fmt": 3}, SenderAdded(i))
    listed = SenderList(Sender(n, i, 0) for i, n in enumerate(names, 1))
    for fmt in range(4):
        api.expect({"get": 1, **AUTH, "all": 1, "fmt": fmt, "charset": "utf-8"}, listed)
    # SPEC D10: windows-1251 cannot carry Chinese; the sandbox writes '?' for it.
    cp1251 = SenderList(Sender("??" if n == "名字" else n, i, 0) for i, n in enumerate(names, 1))
    for fmt in range(4):
        api.expect({"get": 1, **AUTH, "all": 1, "fmt": fmt}, cp1251)
    # A name some fmt cannot carry (SPEC D8) is refused even so.
    for bad in ("a\x01b", "Shop, tele2 = 1"):
        api.expect({"add": 1, **AUTH, "sender": bad, "charset": "utf-8", "fmt": 3}, error(1, 3))


def test_a_name_the_account_has_already_is_error_5(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_sender(LOGIN, "Shop")
    api.expect({"add": 1, **AUTH, "sender": "Shop", "fmt": 3}, error(5, 3))
    sandbox.add_account("rival", "rival")
    api.expect({"add": 1, "login": "rival", "psw": "rival", "sender": "Shop"}, SenderAdded(2))


# --- confirmation codes --------------------------------------------------------------------------


def test_send_code_to_something_not_a_phone_number_is_error_7(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_sender(LOGIN, "Shop")
    for name in ("Shop", "NotMine", "+7999"):  # the number is checked before the owner
        api.expect({"send_code": 1, **AUTH, "sender": name, "fmt": 3}, error(7, 3))
        api.expect({"check_code": 1, **AUTH, "sender": name, "code": "1", "fmt": 3}, error(7, 3))
    assert sandbox.sent_codes() == ()


def test_send_code_to_an_undeliverable_number_is_error_8(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_sender(LOGIN, PHONE)
    sandbox.set_undeliverable(PHONE)
    api.expect({"send_code": 1, **AUTH, "sender": PHONE, "fmt": 2}, error(8, 2))
    assert sandbox.sent_codes(PHONE) == ()
    sandbox.set_undeliverable(PHONE, False)
    api.expect({"send_code": 1, **AUTH, "sender": PHONE, "fmt": 2}, Ok())


def test_second_code_within_8_hours_is_error_10(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_sender(LOGIN, PHONE)
    send = {"send_code": 1, **AUTH, "sender": PHONE, "fmt": 3}
    api.expect(send, Ok())
    first = sandbox.last_code(PHONE)
    assert first.isdigit() and len(first) == 6
    sandbox.clock.advance(8 * 3600 - 10)  # the fixture's clock also runs: ten seconds of margin
    api.expect(send, error(10, 3))
    sandbox.clock.advance(10)
    api.expect(send, Ok())
    assert sandbox.sent_codes(PHONE)[0].code == first
    assert len(sandbox.sent_codes(PHONE)) == 2


def test_check_code_confirms_the_digital_name(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_sender(LOGIN, PHONE)
    api.expect({"send_code": 1, **AUTH, "sender": PHONE, "fmt": 0}, Ok())
    code = sandbox.last_code(PHONE)
    wrong = str((int(code) + 1) % 10**6).zfill(6)
    check = {"check_code": 1, **AUTH, "sender": PHONE, "fmt": 3}
    api.expect({**check, "code": wrong}, error(11, 3))
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList())  # not approved yet
    api.expect({**check, "code": code}, Ok())
    record = sandbox.sender(LOGIN, PHONE)
    assert record.confirmed and record.status == sw.SenderStatus.APPROVED
    assert sandbox.sent_codes(PHONE)[-1].used
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList([Sender(PHONE, record.id)]))
    api.expect({**check, "code": code}, error(11, 3))  # used up


def test_check_code_without_a_code_sent_is_error_11(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_sender(LOGIN, PHONE)
    api.expect({"check_code": 1, **AUTH, "sender": PHONE, "code": "123456"}, error(11, 0))


# --- rate limits (error 9) -----------------------------------------------------------------------


def test_fourth_identical_list_request_within_a_minute_is_error_9(
    api: Api, sandbox: Sandbox
) -> None:
    same = {"get": 1, **AUTH, "fmt": 3}
    for _ in range(3):
        api.expect(same, SenderList())
    api.expect(same, error(9, 3))
    api.expect({**same, "all": 1}, SenderList())  # not identical
    api.expect({"get": 1, "apikey": APIKEY, "fmt": 3}, error(9, 3))  # same request, same login
    sandbox.clock.advance(60)
    api.expect(same, SenderList())


def test_list_limit_parameters_and_switch(api: Api, sandbox: Sandbox) -> None:
    sandbox.configure(list_limit=RateLimit(1, window=5))
    same = {"get": 1, **AUTH, "fmt": 2}
    api.expect(same, SenderList())
    api.expect(same, error(9, 2))
    sandbox.clock.advance(5)
    api.expect(same, SenderList())
    sandbox.configure(list_limit=None)
    for _ in range(6):
        api.expect(same, SenderList())


def test_sixth_add_within_a_minute_is_error_9(api: Api, sandbox: Sandbox) -> None:
    for i in range(1, 6):
        api.expect({"add": 1, **AUTH, "sender": f"Name{i}", "fmt": 3}, SenderAdded(i))
    api.expect({"add": 1, **AUTH, "sender": "Name6", "fmt": 3}, error(9, 3))
    # Under another login the count is its own.
    api.expect({"add": 1, "login": "demo", "psw": "demo", "sender": "Name6"}, SenderAdded(6))
    sandbox.clock.advance(60)
    api.expect({"add": 1, **AUTH, "sender": "Name6", "fmt": 3}, SenderAdded(7))
    sandbox.configure(add_limit=None)
    for i in range(7, 14):
        api.expect({"add": 1, **AUTH, "sender": f"Name{i}", "fmt": 1}, SenderAdded(i + 1))


def test_fifteenth_simultaneous_request_under_one_login_is_error_9(
    api: Api, sandbox: Sandbox
) -> None:
    from smsc_wire.sandbox import Latency

    sandbox.configure(list_limit=None)
    sandbox.inject(Latency(1.5), times=None, when=lambda r: r.params.get("login") == LOGIN)
    answers: list[Answer] = []
    lock = threading.Lock()

    def one() -> None:
        answer, _ = api.call({"get": 1, **AUTH, "fmt": 3})
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=one) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    request = sw.Request.from_url("?" + encoded({"get": 1, **AUTH, "fmt": 3}))
    refused = [a for a in answers if b'"error_code": 9' in a.body]
    served = [a for a in answers if a not in refused]
    assert (len(refused), len(served)) == (1, 14)
    check(refused[0], request, error(9, 3))
    for answer in served:
        check(answer, request, SenderList())
    # Another login is not held back, and the limit is a parameter.
    api.expect({"get": 1, "login": "demo", "psw": "demo"}, SenderList())
    assert sandbox.configure(max_in_flight=None).max_in_flight is None


# --- fmt and charset -----------------------------------------------------------------------------


@pytest.mark.parametrize("charset", [None, "utf-8", "windows-1251", "koi8-r", "UTF-8", "cp1251"])
def test_replies_are_in_the_requested_fmt_and_charset(
    api: Api, sandbox: Sandbox, charset: str | None
) -> None:
    sandbox.configure(names=None)
    first = sandbox.add_sender(LOGIN, "Ёлка, Inc", status=1)
    second = sandbox.add_sender(LOGIN, "Shop")
    extra = {} if charset is None else {"charset": charset}
    for fmt in range(4):
        body = api.expect(
            {"get": 1, **AUTH, "all": 1, "fmt": fmt, **extra},
            SenderList([Sender("Ёлка, Inc", first.id, 1), Sender("Shop", second.id, 0)]),
        )
        # The bytes are the charset's: windows-1251 when the request names none (SPEC D10).
        assert "Ёлка".encode(charset or "windows-1251") in body


def test_bare_ok_switch(api: Api, sandbox: Sandbox) -> None:
    sandbox.configure(bare_ok=True)
    record = sandbox.add_sender(LOGIN, "Shop")
    for fmt in (2, 3):
        answer, request = api.call({"chg": 1, **AUTH, "id": record.id, "cmt": "x", "fmt": fmt})
        assert (answer.status, answer.body) == (200, b"OK")
        assert answer.content_type == "text/plain; charset=windows-1251"
        assert request.decode(answer.body) == Ok()
    for fmt in (0, 1):  # there OK is the canonical reply anyway
        api.expect({"chg": 1, **AUTH, "id": record.id, "fmt": fmt}, Ok())
    api.expect({"chg": 1, **AUTH, "id": 999, "fmt": 3}, error(3, 3))  # errors stay as they are
    api.expect({"add": 1, **AUTH, "sender": "Other", "fmt": 3}, SenderAdded(record.id + 1))


# --- requests the request code refuses, and other fmts -------------------------------------------


@pytest.mark.parametrize(
    ("query", "fmt", "charset"),
    [
        ("login=shop&fmt=3", 3, "windows-1251"),  # no operation
        ("get=1&del=1&fmt=2", 2, "windows-1251"),  # two operations
        ("get=2&fmt=1", 1, "windows-1251"),  # a flag that is not 1
        ("get=1&fmt=x", 0, "windows-1251"),  # fmt not digits
        ("get=1&fmt=3&fmt=3", 3, "windows-1251"),  # a parameter twice
        ("get=1&fmt=3&charset=nope", 3, "windows-1251"),  # an unknown charset
        ("get=1&fmt=3&charset=utf-8&sender=%FF", 3, "utf-8"),  # a value that does not decode
    ],
)
def test_requests_the_request_code_refuses_are_error_1(
    api: Api, query: str, fmt: int, charset: str
) -> None:
    answer = api.send("GET", f"{api.endpoint}?{query}&login=shop&psw=x")
    assert answer.status == 200
    assert answer.content_type == f"{sw.wire_formats[fmt].media_type}; charset={charset}"
    key = sw.Key(fmt, "del")
    assert sw.decode(answer.body, key, charset=charset) == error(1, fmt)
    assert answer.body == sw.encode_bytes(error(1, fmt), key, charset=charset)


def test_fmt_without_a_reply_form_is_error_1(api: Api) -> None:
    answer, _ = api.call({"get": 1, **AUTH, "fmt": 7})
    assert (answer.content_type, answer.body) == (
        "text/plain; charset=windows-1251",
        b"ERROR = 1 (parameters error)",
    )
    answer, _ = api.call({"get": 1, **AUTH, "operators": 1, "fmt": 1})  # SPEC D1
    assert (answer.content_type, answer.body) == ("text/plain; charset=windows-1251", b"0,-1")


# --- GET, POST and documents ---------------------------------------------------------------------


def test_post_urlencoded_and_with_a_query_string(api: Api, sandbox: Sandbox) -> None:
    api.expect({"add": 1, **AUTH, "sender": "Posted", "fmt": 3}, SenderAdded(1), method="POST")
    body = encoded({"sender": "Second", "fmt": 2}).encode("ascii")
    answer = api.send(
        "POST",
        f"{api.endpoint}?add=1&{encoded(AUTH)}",
        body=body,
        content_type="application/x-www-form-urlencoded; charset=windows-1251",
    )
    request = sw.Request.from_form(
        body, "application/x-www-form-urlencoded", url=f"?add=1&{encoded(AUTH)}"
    )
    check(answer, request, SenderAdded(2))
    assert [r.name for r in sandbox.senders(LOGIN)] == ["Posted", "Second"]


def test_get_reads_the_query_string_only(api: Api) -> None:
    # As the service (PHP) does: a body sent with a GET is not read.
    answer = api.send(
        "GET",
        f"{api.endpoint}?fmt=3",
        body=encoded({"get": 1, **AUTH}).encode("ascii"),
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.body == sw.encode_bytes(error(1, 3), sw.Key(3, "get"), charset="windows-1251")


def test_multipart_with_a_document(api: Api, sandbox: Sandbox) -> None:
    limit = sw.MAX_DOCUMENT_SIZE
    pdf = b"%PDF-1.4\n" + b"\x00\xff" * ((limit - 9) // 2)
    request = sw.Request.add(
        "Documented",
        cmt="with a certificate",
        document=sw.Document("cert.pdf", pdf[:limit]),
        doc_info="trademark",
        charset="utf-8",
        fmt=3,
        login=LOGIN,
        psw=PSW,
    )
    check(api.send_request(request, multipart=True), request, SenderAdded(1))
    assert sandbox.sender(LOGIN, 1).cmt == "with a certificate"
    small = sw.Request.chg(id=1, cmt="small", fmt=2, apikey=APIKEY)
    check(api.send_request(small, multipart=True), small, Ok())


def test_a_document_over_3_mb_is_error_1(api: Api, sandbox: Sandbox) -> None:
    boundary = "sandbox-test-boundary"
    parts = [(b"add", b"1"), (b"login", LOGIN.encode()), (b"sender", b"Big"), (b"fmt", b"3")]
    chunks = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (boundary.encode(), name, value)
        for name, value in parts
    ]
    chunks.append(
        b'--%s\r\nContent-Disposition: form-data; name="psw"\r\n\r\n%s\r\n'
        % (boundary.encode(), PSW.encode("cp1251"))
    )
    chunks.append(
        b'--%s\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%s\r\n--%s--\r\n"
        % (boundary.encode(), b"x" * (sw.MAX_DOCUMENT_SIZE + 1), boundary.encode())
    )
    answer = api.send(
        "POST",
        api.endpoint,
        body=b"".join(chunks),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert answer.body == sw.encode_bytes(error(1, 3), sw.Key(3, "add"), charset="windows-1251")
    assert sandbox.senders(LOGIN) == ()


def test_other_paths_and_methods(api: Api) -> None:
    answer = api.send("GET", api.endpoint.replace("/sys/senders.php", "/sys/send.php"))
    assert (answer.status, answer.body) == (
        404,
        b"not found: the sandbox answers at /sys/senders.php",
    )
    answer = api.send("PUT", api.endpoint + "?get=1", body=b"")
    assert (answer.status, answer.body) == (405, b"method not allowed: GET or POST")


def test_error_replies_compare_equal_to_the_servers_texts() -> None:
    # SPEC §2: the descriptions of the live service, and the sandbox's own for 4, 10 and 11.
    assert [error(code, 0).description for code in (1, 2, 3, 5, 7, 8, 9)] == [
        "parameters error",
        "authorise error",
        "record not found",
        "save error",
        "invalid number",
        "can't to deliver",
        "duplicate request, wait a minute",
    ]
    assert [error(code, 3).description for code in (4, 10, 11)] == [
        "ip address blocked, wait 30 minutes",
        "code already sent, wait 8 hours",
        "invalid code",
    ]
    assert error(2, 1) == ErrorReply(2, None)
