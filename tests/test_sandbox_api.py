"""The sandbox's control API, in-process (httpx's WSGITransport), and its SQLite state file.

Strategy: the control API is exercised directly and through requests served in-process; every
argument it refuses is checked for its type (``SandboxError``, a ``ValueError``) and its exact
message, which never shows a password or API key. The state file is checked by closing a
sandbox and opening another on the same file: everything comes back, ids go on.
"""

from __future__ import annotations

import doctest
import importlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest
from sandbox_clients.calls import encoded

import smsc_wire as sw
from smsc_wire import Ok, Sender, SenderAdded, SenderList
from smsc_wire.sandbox import (
    Account,
    Clock,
    CodeRule,
    IpBlock,
    NameRule,
    RateLimit,
    Rules,
    Sandbox,
    SandboxError,
    md5_hex,
)
from smsc_wire.sandbox._state import DEFAULT_OPERATORS
from smsc_wire.sandbox._store import StoreFailure

PSW: Final = "s3cret-Ё"
PHONE: Final = "79991234567"


def BAD(value: object) -> Any:
    """A value of the wrong type, passed on purpose."""
    return value


class InProcess:
    """Requests to a sandbox served in-process, read back exactly."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.client = httpx.Client(transport=httpx.WSGITransport(app=sandbox))

    def reply(self, **params: str | int) -> sw.Reply:
        query = encoded(params)  # in the request's charset, windows-1251 by default
        response = self.client.get(f"http://sandbox/sys/senders.php?{query}")
        request = sw.Request.from_url(f"?{query}")
        reply = request.decode(response.content)
        assert response.content == sw.encode_bytes(reply, request.key, charset=request.charset)
        return reply


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(accounts=[("shop", PSW, "key-1")], clock=Clock(frozen=True, start=1e9)) as box:
        yield box


@pytest.fixture
def web(sandbox: Sandbox) -> InProcess:
    return InProcess(sandbox)


# --- accounts ------------------------------------------------------------------------------------


def test_accounts_never_show_their_secrets(sandbox: Sandbox) -> None:
    account = sandbox.account("shop")
    assert repr(account) == "Account(login='shop', password='***', apikey='***')"
    assert (account.password, account.apikey) == (PSW, "key-1")
    assert sandbox.add_account("plain", "x") == Account("plain", "x")
    assert repr(sandbox.account("plain")) == "Account(login='plain', password='***', apikey=None)"
    assert [a.login for a in sandbox.accounts] == ["shop", "plain"]
    assert repr(sandbox) == "<Sandbox: 2 accounts>"


def test_add_account_again_changes_password_and_key(sandbox: Sandbox, web: InProcess) -> None:
    sandbox.add_sender("shop", "Kept", status=1)
    sandbox.add_account("shop", "new", apikey="key-2")
    assert web.reply(get=1, login="shop", psw=PSW, fmt=3) == sw.ErrorReply(2, "authorise error")
    assert web.reply(get=1, apikey="key-1", fmt=2) == sw.ErrorReply(2, "authorise error")
    assert web.reply(get=1, apikey="key-2") == SenderList([Sender("Kept", 1)])
    assert web.reply(get=1, login="shop", psw=md5_hex("new"), fmt=3) == SenderList(
        [Sender("Kept", 1)]
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.add_account("", "x"), "login must be a non-empty str, not ''"),
        (lambda s: s.add_account("a\nb", "x"), "login must not hold CR, LF or NUL"),
        (lambda s: s.add_account("a", BAD(1234)), "password must be a non-empty str, not int"),
        (lambda s: s.add_account("a", ""), "password must be a non-empty str, not str"),
        (lambda s: s.add_account("a", "x\r"), "password must not hold CR, LF or NUL"),
        (lambda s: s.add_account("a", "x", apikey=""), "apikey must be a non-empty str, not str"),
        (lambda s: s.add_account("a", "x", apikey="key-1"), "that API key belongs to the account 'shop' already"),
        (lambda s: s.account("nobody"), "no account 'nobody'"),
        (lambda s: s.senders("nobody"), "no account 'nobody'"),
        (lambda s: s.sender("shop", "Nope"), "the account 'shop' has no sender name 'Nope'"),
        (lambda s: s.sender("shop", 42), "the account 'shop' has no sender name 42"),
        (lambda s: s.sender("shop", BAD(1.5)), "a sender is named by its name (str) or id (int), not 1.5"),
        (lambda s: s.add_sender("nobody", "Shop"), "no account 'nobody'"),
        (lambda s: s.add_sender("shop", "a\nb"), "sender name 'a\\nb' cannot be written in every fmt (SPEC D8): it must be non-empty, without CR, LF, NUL, XML-forbidden characters or ', word = '"),
        (lambda s: s.add_sender("shop", ""), "sender name '' cannot be written in every fmt (SPEC D8): it must be non-empty, without CR, LF, NUL, XML-forbidden characters or ', word = '"),
        (lambda s: s.add_sender("shop", "Shop", status=-1), "a status is an int from 0 to 2**63-1, not -1"),
        (lambda s: s.add_sender("shop", "Shop", status=BAD(True)), "a status is an int from 0 to 2**63-1, not True"),
        (lambda s: s.add_sender("shop", "Shop", cmt=BAD(None)), "cmt must be a str, not None"),
        (lambda s: s.set_status("shop", "Nope", 1), "the account 'shop' has no sender name 'Nope'"),
        (lambda s: s.set_status("shop", "Taken", BAD("1")), "a status is an int from 0 to 2**63-1, not '1'"),
        (lambda s: s.set_operator("shop", "Taken", "Mega Step", 1), "operator field 'Mega Step' cannot be written in every fmt: use lower-case letters, digits and _ (SPEC D4)"),
        (lambda s: s.set_operator("shop", "Taken", "mega_step", "a\nb"), "operator value 'a\\nb' cannot be written in every fmt"),
        (lambda s: s.set_operator("shop", "Taken", "mega_step", -2), "a status is an int from 0 to 2**63-1, not -2"),
        (lambda s: s.last_code(PHONE), f"no code was sent to '{PHONE}'"),
        (lambda s: s.set_undeliverable(""), "number must be a non-empty str, not ''"),
        (lambda s: s.add_sender("shop", "Taken"), "the account 'shop' has a sender name 'Taken' already"),
    ],
)  # fmt: skip
def test_control_api_refuses_bad_input(
    sandbox: Sandbox, call: Callable[[Sandbox], object], message: str
) -> None:
    sandbox.add_sender("shop", "Taken")
    with pytest.raises(SandboxError) as caught:
        call(sandbox)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)
    assert PSW not in message and "key-1" not in message


def test_statuses_and_operators(sandbox: Sandbox, web: InProcess) -> None:
    record = sandbox.add_sender("shop", "Shop", cmt="ours")
    assert (record.id, record.status, record.cmt, record.operators) == (
        1,
        0,
        "ours",
        DEFAULT_OPERATORS,
    )
    assert sandbox.approve("shop", "Shop").status == sw.SenderStatus.APPROVED
    assert web.reply(get=1, login="shop", psw=PSW) == SenderList([Sender("Shop", 1)])
    assert sandbox.disable("shop", 1).status == sw.SenderStatus.DISABLED
    assert web.reply(get=1, login="shop", psw=PSW, fmt=3) == SenderList()
    assert sandbox.set_status("shop", "Shop", 7).status == 7  # a code the enum does not know
    changed = sandbox.set_operator("shop", "Shop", "mts_step", 3)
    assert changed.operators["mts_step"] == sw.OperatorStatus.REJECTED
    changed = sandbox.set_operator("shop", "Shop", "kz_new", 300)
    assert list(changed.operators)[-1] == "kz_new"
    assert web.reply(get=1, login="shop", psw=PSW, all=1, operators=1, fmt=3) == SenderList(
        [Sender("Shop", 1, 7, {**DEFAULT_OPERATORS, "mts_step": 3, "kz_new": 300})]
    )


# --- rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: RateLimit(0), "RateLimit.limit must be an int of at least 1, not 0"),
        (lambda: RateLimit(BAD(1.5)), "RateLimit.limit must be an int of at least 1, not 1.5"),
        (lambda: RateLimit(3, window=0), "RateLimit.window must be a finite number of seconds over 0, not 0"),
        (lambda: IpBlock(failures=0), "IpBlock.failures must be an int of at least 1, not 0"),
        (lambda: IpBlock(window=float("nan")), "IpBlock.window must be a finite number of seconds over 0, not nan"),
        (lambda: IpBlock(duration=-5), "IpBlock.duration must be a finite number of seconds over 0, not -5"),
        (lambda: NameRule("["), "NameRule.pattern '[' is not a regular expression: unterminated character set at position 0"),
        (lambda: NameRule(BAD(5)), "NameRule.pattern must be a regular expression (str), not 5"),
        (lambda: CodeRule(length=0), "CodeRule.length must be an int of at least 1, not 0"),
        (lambda: CodeRule(length=21), "CodeRule.length must be at most 20, not 21"),
        (lambda: CodeRule(fixed="12 34"), "CodeRule.fixed must be 1 to 20 ASCII letters or digits"),
        (lambda: CodeRule(fixed=""), "CodeRule.fixed must be 1 to 20 ASCII letters or digits"),
        (lambda: CodeRule(resend_after=0), "CodeRule.resend_after must be a finite number of seconds over 0, not 0"),
        (lambda: Rules(names=BAD("any")), "Rules.names must be a NameRule or None, not 'any'"),
        (lambda: Rules(codes=BAD(None)), "Rules.codes must be CodeRule, not None"),
        (lambda: Rules(add_limit=BAD(5)), "Rules.add_limit must be a RateLimit or None, not 5"),
        (lambda: Rules(max_in_flight=0), "Rules.max_in_flight must be an int of at least 1, not 0"),
        (lambda: Rules(md5=BAD(1)), "Rules.md5 must be True or False"),
        (lambda: Rules(phone="("), "Rules.phone '(' is not a regular expression: missing ), unterminated subpattern at position 0"),
        (lambda: Rules().replace(any_names=True), "unknown rule 'any_names': the rules are md5, ip_block, list_limit, add_limit, max_in_flight, names, phone, codes, bare_ok"),
        (lambda: Sandbox(rules=BAD("strict")), "rules must be a Rules, not str"),
        (lambda: Sandbox(clock=BAD(0)), "clock must be a Clock, not int"),
        (lambda: Sandbox(accounts=[BAD(("a",))]), "accounts are (login, password) or (login, password, apikey)"),
        (lambda: Sandbox(state=BAD(3)), "state must be a path (str or os.PathLike), not int"),
        (lambda: Sandbox().serve(host=BAD(3)), "host must be a str, not int"),
        (lambda: setattr(Sandbox(), "rules", None), "rules must be a Rules, not NoneType"),
        (lambda: Clock(start=BAD("now")), "Clock start must be a finite number of seconds, not 'now'"),
        (lambda: Clock().advance(-1), "the clock advances by a finite number of seconds from 0, not -1"),
        (lambda: Clock().advance(float("inf")), "the clock advances by a finite number of seconds from 0, not inf"),
    ],
)  # fmt: skip
def test_rules_and_clock_refuse_bad_parameters(make: Callable[[], object], message: str) -> None:
    with pytest.raises(SandboxError) as caught:
        make()
    assert str(caught.value) == message


def test_rules_replace_and_without_limits() -> None:
    rules = Rules.without_limits()
    assert (rules.ip_block, rules.list_limit, rules.add_limit, rules.max_in_flight) == (None,) * 4
    assert rules.names == NameRule() and rules.codes == CodeRule()
    sandbox = Sandbox(rules=rules)
    assert sandbox.configure(bare_ok=True) is sandbox.rules
    assert sandbox.rules.bare_ok and sandbox.rules.ip_block is None


def test_clock_frozen_and_running() -> None:
    frozen = Clock(frozen=True, start=100.0)
    assert (frozen.now(), frozen.advance(0.5), frozen.now(), frozen.frozen) == (
        100.0,
        100.5,
        100.5,
        True,
    )
    assert repr(frozen) == "<Clock frozen at 100.500 (advanced 0.5 s)>"
    running = Clock()
    before = time.time()
    assert running.advance(3600) >= before + 3600
    assert not running.frozen and repr(running).startswith("<Clock running at ")


def test_codes_fixed_length_and_seeded(web: InProcess, sandbox: Sandbox) -> None:
    sandbox.add_sender("shop", PHONE)
    sandbox.configure(codes=CodeRule(length=4))
    assert web.reply(send_code=1, apikey="key-1", sender=PHONE) == Ok()
    assert len(sandbox.last_code(PHONE)) == 4
    sandbox.configure(codes=CodeRule(fixed="0000", resend_after=None))
    assert web.reply(send_code=1, apikey="key-1", sender=PHONE) == Ok()
    assert sandbox.last_code(PHONE) == "0000"
    assert [c.number for c in sandbox.sent_codes()] == [PHONE, PHONE]
    # The same seed draws the same codes.
    codes = []
    for _ in range(2):
        box = Sandbox(seed=7, accounts=[("a", "b")])
        box.add_sender("a", PHONE)
        InProcess(box).reply(send_code=1, login="a", psw="b", sender=PHONE)
        codes.append(box.last_code(PHONE))
    assert codes[0] == codes[1]


def test_history_masks_secrets(sandbox: Sandbox) -> None:
    client = httpx.Client(transport=httpx.WSGITransport(app=sandbox))
    url = "http://sandbox/sys/senders.php"
    client.get(f"{url}?{encoded({'get': 1, 'login': 'shop', 'psw': PSW, 'fmt': 3})}")
    client.get(url + "?get=1&ps%77=" + PSW.encode("cp1251").hex() + "&apikey=key-1&PSW=x")
    client.post(url, content=encoded({"get": 1, "login": "shop", "psw": PSW}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    client.get(url + "?del=1&get=1&psw=hunter2")  # refused: still masked
    lines = [str(e) for e in sandbox.history]
    assert [e.outcome for e in sandbox.history] == [
        "0 senders",
        "0 senders",
        "0 senders",
        "error 1 (parameters error): two operations, del=1 and get=1: a request names exactly one (SPEC D13)",
    ]
    assert lines[0].startswith(
        "127.0.0.1 GET /sys/senders.php?get=1&login=shop&psw=***&fmt=3 -> 200 0 senders ("
    )
    assert "ps%77=***&apikey=***&PSW=***" in lines[1]
    assert lines[2].startswith("127.0.0.1 POST /sys/senders.php get=1&login=shop&psw=*** -> 200")
    for line in lines:
        assert "s3cret" not in line and "key-1" not in line and "hunter2" not in line
    assert sandbox.history[0].login == "shop" and sandbox.history[0].operation == "get"


# --- serving -------------------------------------------------------------------------------------


def test_serve_once_at_a_time() -> None:
    sandbox = Sandbox()
    with pytest.raises(SandboxError) as caught:
        _ = sandbox.url
    assert str(caught.value) == "the sandbox is not served: call serve() first"
    with sandbox.serve() as server:
        assert sandbox.url == server.url == f"http://127.0.0.1:{server.port}"
        assert sandbox.endpoint == server.endpoint == server.url + "/sys/senders.php"
        assert repr(server) == f"<SandboxServer serving at {server.url}>"
        with pytest.raises(SandboxError) as caught:
            sandbox.serve()
        assert str(caught.value) == f"the sandbox is served at {server.url} already"
        with pytest.raises(SandboxError) as caught:
            Sandbox().serve(port=server.port)
        assert str(caught.value).startswith(f"cannot listen on 127.0.0.1:{server.port}: ")
    assert repr(server) == f"<SandboxServer closed at {server.url}>"
    server.close()  # idempotent
    with sandbox.serve() as again:  # served anew after close
        assert again.port != 0
    for port, threads, message in (
        (-1, 4, "port must be an int from 0 to 65535, not -1"),
        (0, 0, "threads must be an int of at least 1, not 0"),
    ):
        with pytest.raises(SandboxError) as caught:
            sandbox.serve(port=port, threads=threads)
        assert str(caught.value) == message


def test_serve_on_ipv6_loopback() -> None:
    try:
        with Sandbox(accounts=[("a", "b")]) as sandbox, sandbox.serve("::1"):
            assert sandbox.url.startswith("http://[::1]:")
            reply = httpx.get(sandbox.endpoint, params={"get": 1, "login": "a", "psw": "b"})
            assert reply.content == b""
    except SandboxError as exc:  # a machine without IPv6
        pytest.skip(f"no IPv6 loopback here: {exc}")


# --- the state file ------------------------------------------------------------------------------


def test_state_file_keeps_everything_and_ids_go_on(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    clock = Clock(frozen=True, start=1e9)
    with Sandbox(state=path, clock=clock, accounts=[("shop", PSW, "key-1")]) as first:
        web = InProcess(first)
        assert web.reply(add=1, apikey="key-1", sender="Alpha", cmt="a") == SenderAdded(1)
        assert web.reply(add=1, apikey="key-1", sender=PHONE) == SenderAdded(2)
        assert web.reply(add=1, apikey="key-1", sender="Gone") == SenderAdded(3)
        assert web.reply(**{"del": 1}, apikey="key-1", id=3) == Ok()
        assert web.reply(send_code=1, apikey="key-1", sender=PHONE) == Ok()
        first.approve("shop", "Alpha")
        first.set_operator("shop", "Alpha", "tele2", 2)
        first.set_operator("shop", "Alpha", "alt", "AlphaAlt")
        first.set_undeliverable("70000000000")
        code = first.last_code(PHONE)
    with Sandbox(state=path, clock=clock) as second:
        assert second.account("shop") == Account("shop", PSW, "key-1")
        records = second.senders("shop")
        assert [(r.id, r.name, r.status, r.cmt) for r in records] == [
            (1, "Alpha", 1, "a"),
            (2, PHONE, 0, ""),
        ]
        assert records[0].operators == {**DEFAULT_OPERATORS, "tele2": 2, "alt": "AlphaAlt"}
        assert list(records[0].operators)[-1] == "alt"
        assert second.next_id == 4
        web = InProcess(second)
        assert web.reply(add=1, apikey="key-1", sender="Beta") == SenderAdded(4)
        # The 8-hour rule and the code survive the restart; so does the undeliverable number.
        assert web.reply(send_code=1, apikey="key-1", sender=PHONE) == sw.ErrorReply(
            10, "code already sent, wait 8 hours"
        )
        assert web.reply(check_code=1, apikey="key-1", sender=PHONE, code=code) == Ok()
        second.add_sender("shop", "70000000000")
        assert web.reply(send_code=1, apikey="key-1", sender="70000000000") == sw.ErrorReply(
            8, "can't to deliver"
        )
    with Sandbox(state=path, clock=clock) as third:
        assert third.sender("shop", PHONE).confirmed
        assert [c.used for c in third.sent_codes(PHONE)] == [True]
        assert third.next_id == 6
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_file_that_is_not_a_state_file_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    with pytest.raises(SandboxError) as caught:
        Sandbox(state=garbage)
    assert (
        str(caught.value)
        == f"{str(garbage)!r} is not a sandbox state file (SQLite: file is not a database)"
    )
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(SandboxError) as caught:
        Sandbox(state=other)
    assert str(caught.value) == f"{str(other)!r} is not a sandbox state file of version 1"
    with pytest.raises(SandboxError) as caught:
        Sandbox(state=tmp_path)
    assert str(caught.value).startswith(f"cannot open the state file {str(tmp_path)!r}: ")


def test_a_change_the_disk_refuses_is_error_5_and_never_happened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox(state=tmp_path / "s.db", accounts=[("shop", PSW)]) as sandbox:
        sandbox.add_sender("shop", PHONE)
        web = InProcess(sandbox)

        def refuse(statements: object) -> None:
            raise StoreFailure("disk I/O error")

        monkeypatch.setattr(sandbox._store, "apply", refuse)
        save_error = sw.ErrorReply(5, "save error")
        assert web.reply(add=1, login="shop", psw=PSW, sender="New", fmt=3) == save_error
        assert web.reply(chg=1, login="shop", psw=PSW, id=1, cmt="x") == save_error
        assert web.reply(**{"del": 1}, login="shop", psw=PSW, id=1) == save_error
        assert web.reply(send_code=1, login="shop", psw=PSW, sender=PHONE) == save_error
        assert [(r.name, r.cmt) for r in sandbox.senders("shop")] == [(PHONE, "")]
        assert sandbox.sent_codes() == () and sandbox.next_id == 2
        with pytest.raises(SandboxError) as caught:
            sandbox.approve("shop", PHONE)
        assert str(caught.value) == "the state file refused the change: disk I/O error"
        monkeypatch.undo()
        assert web.reply(send_code=1, login="shop", psw=PSW, sender=PHONE) == Ok()
        code = sandbox.last_code(PHONE)
        monkeypatch.setattr(sandbox._store, "apply", refuse)
        assert web.reply(check_code=1, login="shop", psw=PSW, sender=PHONE, code=code) == save_error
        assert not sandbox.sender("shop", PHONE).confirmed


@pytest.mark.parametrize(
    "name",
    ["smsc_wire.sandbox", "smsc_wire.sandbox._app", "smsc_wire.sandbox._rules",
     "smsc_wire.sandbox._state", "smsc_wire.sandbox._faults", "smsc_wire.sandbox._errors"],
)  # fmt: skip
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
