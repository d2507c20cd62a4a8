"""Injected faults (SPEC D15), through real HTTP with httpx, requests and urllib.

Strategy: each fault is injected into a served sandbox and a request is sent with each client;
the test checks what the client sees (the held reply, the 5xx status, the connection that fails,
the valid-but-not-canonical bytes), what the state did (a fault before serving changes nothing,
one on the transport comes after the change), and how the injection was used up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any, Final

import pytest
from sandbox_clients.calls import CLIENTS, Api, TransportError, check, encoded, error

import smsc_wire as sw
from smsc_wire import Ok, Sender, SenderAdded, SenderList
from smsc_wire.sandbox import (
    BareOk,
    CloseMidBody,
    ErrorAnswer,
    HttpStatus,
    Latency,
    Layout,
    NonCanonical,
    Sandbox,
    SandboxError,
    TruncatedBody,
)

pytest_plugins = ["smsc_wire.sandbox.pytest_plugin"]


def BAD(value: object) -> Any:
    """A value of the wrong type, passed on purpose."""
    return value


AUTH: Final[dict[str, str | int]] = {"login": "demo", "psw": "demo"}


@pytest.fixture(params=CLIENTS)
def api(request: pytest.FixtureRequest, smsc_sandbox: Sandbox) -> Iterator[Api]:
    smsc_sandbox.configure(list_limit=None, add_limit=None)
    api = Api(request.param, smsc_sandbox.endpoint)
    yield api
    api.close()


@pytest.fixture
def sandbox(smsc_sandbox: Sandbox) -> Sandbox:
    return smsc_sandbox


def is_add(request: sw.Request) -> bool:
    return request.operation == "add"


def test_latency_holds_the_reply(api: Api, sandbox: Sandbox) -> None:
    injection = sandbox.inject(Latency(0.3))
    started = time.monotonic()
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList())
    assert time.monotonic() - started >= 0.3
    assert (injection.remaining, injection.used, injection.active) == (0, 1, False)
    assert sandbox.history[-1].faults == ("Latency(seconds=0.3)",)


def test_http_status_answers_instead_of_serving(api: Api, sandbox: Sandbox) -> None:
    sandbox.inject(HttpStatus(503), when=is_add)
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList())  # not an add: not matched
    answer, _ = api.call({"add": 1, **AUTH, "sender": "Shop", "fmt": 3})
    assert (answer.status, answer.content_type, answer.body) == (
        503,
        "text/plain; charset=utf-8",
        b"503 Service Unavailable (injected by the sandbox)",
    )
    assert sandbox.senders("demo") == ()  # not served: nothing changed
    api.expect({"add": 1, **AUTH, "sender": "Shop", "fmt": 3}, SenderAdded(1))
    sandbox.inject(HttpStatus(500, b"boom"))
    answer, _ = api.call({"get": 1, **AUTH})
    assert (answer.status, answer.body) == (500, b"boom")


def test_error_answer_replies_an_error_instead_of_serving(api: Api, sandbox: Sandbox) -> None:
    sandbox.inject(ErrorAnswer(5), when=is_add)
    api.expect({"add": 1, **AUTH, "sender": "Shop", "fmt": 2}, error(5, 2))
    assert sandbox.senders("demo") == ()
    sandbox.inject(ErrorAnswer(42, "new error"))
    api.expect({"get": 1, **AUTH, "fmt": 3}, sw.ErrorReply(42, "new error"))
    sandbox.inject(ErrorAnswer(12))
    api.expect({"get": 1, **AUTH, "fmt": 0}, sw.ErrorReply(12, "error 12"))


@pytest.mark.parametrize("fault", [CloseMidBody(), TruncatedBody()], ids=["close", "truncate"])
def test_transport_faults_lose_the_reply_after_the_change(
    api: Api,
    sandbox: Sandbox,
    fault: CloseMidBody | TruncatedBody,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="waitress")
    injection = sandbox.inject(fault, when=is_add)
    with pytest.raises(TransportError):
        api.call({"add": 1, **AUTH, "sender": "Shop", "fmt": 3})
    assert [r.name for r in sandbox.senders("demo")] == ["Shop"]  # served, the reply lost
    assert injection.used == 1
    # The connection is gone, not the server; the next reply is whole.
    api.expect({"add": 1, **AUTH, "sender": "Shop2", "fmt": 3}, SenderAdded(2))
    # waitress's report of the deliberate fault is dropped: not a server error. (Its queue's
    # notice that a request waited for a busy thread is about load, not faults: on a loaded
    # machine the next request can arrive before the cut one's thread is free.)
    assert not [
        r for r in caplog.records if r.levelno >= logging.WARNING and r.name != "waitress.queue"
    ]


def test_transport_faults_need_a_body_to_cut(api: Api, sandbox: Sandbox) -> None:
    close = sandbox.inject(CloseMidBody())
    truncate = sandbox.inject(TruncatedBody())
    api.expect({"get": 1, **AUTH}, SenderList())  # fmt 0, an empty list: an empty body
    assert (close.remaining, truncate.remaining) == (1, 1)
    sandbox.add_sender("demo", "A", status=1)
    for remaining in ((0, 1), (0, 0)):
        with pytest.raises(TransportError):
            api.call({"get": 1, **AUTH, "fmt": 1})
        assert (close.remaining, truncate.remaining) == remaining
    api.expect({"get": 1, **AUTH, "fmt": 0, "all": 1}, SenderList([Sender("A", 1, 1)]))


@pytest.mark.parametrize(
    ("layout", "fmt"),
    [
        ("auto", 0), ("auto", 1), ("auto", 2), ("auto", 3),
        ("crlf", 0), ("crlf", 1), ("crlf", 2), ("crlf", 3),
        ("trailing_newline", 0), ("trailing_newline", 2), ("trailing_newline", 3),
        ("xml_declaration", 2), ("compact_json", 3), ("indented_json", 3), ("bom", 3),
    ],
)  # fmt: skip
def test_non_canonical_layouts_decode_to_the_same_reply(
    api: Api, sandbox: Sandbox, layout: Layout, fmt: int
) -> None:
    sandbox.add_sender("demo", "Shop", status=1)
    sandbox.add_sender("demo", "Second")
    expected = SenderList([Sender("Shop", 1, 1), Sender("Second", 2, 0)])
    charset = "utf-8" if layout == "bom" else "windows-1251"
    params = {"get": 1, **AUTH, "all": 1, "fmt": fmt, "charset": charset}
    sandbox.inject(NonCanonical(layout))
    answer, request = api.call(params)
    key = request.key
    canonical = sw.encode_bytes(expected, key, charset=charset)
    assert answer.status == 200
    assert answer.body != canonical
    assert sw.decode(answer.body, key, charset=charset) == expected
    assert sw.judge(answer.body, key=key, charset=charset).kind == sw.Kind.VALID
    api.expect({**params, "operators": 0}, expected)  # used up: canonical again


def test_a_layout_that_does_not_apply_is_not_used_up(api: Api, sandbox: Sandbox) -> None:
    injection = sandbox.inject(NonCanonical("xml_declaration"))
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList())
    api.expect({"del": 1, **AUTH, "id": 1, "fmt": 0}, error(3, 0))
    assert injection.remaining == 1
    answer, request = api.call({"del": 1, **AUTH, "id": 1, "fmt": 2})
    assert answer.body.startswith(b'<?xml version="1.0"?>\n')
    assert request.decode(answer.body) == error(3, 2)
    assert injection.remaining == 0


def test_bare_ok_fault(api: Api, sandbox: Sandbox) -> None:
    injection = sandbox.inject(BareOk(), times=2)
    sandbox.add_sender("demo", "Shop")
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList())  # a list: no bare OK for it
    api.expect({"chg": 1, **AUTH, "id": 1, "fmt": 1}, Ok())  # fmt 1's OK is bare anyway
    assert injection.remaining == 2
    for fmt in (2, 3):
        answer, request = api.call({"chg": 1, **AUTH, "id": 1, "fmt": fmt})
        assert (answer.body, answer.content_type) == (b"OK", "text/plain; charset=windows-1251")
        assert request.decode(answer.body) == Ok()
    assert injection.remaining == 0
    api.expect({"chg": 1, **AUTH, "id": 1, "fmt": 3}, Ok())


def test_faults_combine_and_match_predicates(api: Api, sandbox: Sandbox) -> None:
    sandbox.inject(Latency(0.2), times=None, when=lambda r: r.key.fmt == 3)
    sandbox.inject(NonCanonical(), when=lambda r: r.params.get("sender") == "B")
    started = time.monotonic()
    answer, request = api.call({"add": 1, **AUTH, "sender": "B", "fmt": 3})
    assert time.monotonic() - started >= 0.2
    assert answer.body == b'{"sender":1}'
    assert request.decode(answer.body) == SenderAdded(1)
    assert sandbox.history[-1].faults == ("Latency(seconds=0.2)", "NonCanonical(layout='auto')")
    sandbox.clear_faults()
    started = time.monotonic()
    api.expect({"add": 1, **AUTH, "sender": "C", "fmt": 3}, SenderAdded(2))
    last = sandbox.history[-1]
    assert last.faults == ()


def test_predicates_that_fail_or_unparsed_requests_do_not_match(api: Api, sandbox: Sandbox) -> None:
    def broken(request: sw.Request) -> bool:
        raise RuntimeError("a test's own bug")

    failing = sandbox.inject(HttpStatus(502), when=broken)
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList())
    assert failing.remaining == 1
    failing.cancel()
    picky = sandbox.inject(HttpStatus(502), when=lambda r: True)
    answer = api.send("GET", f"{api.endpoint}?fmt=3&{encoded(AUTH)}")  # no operation
    check(answer, sw.Request.from_url("?get=1&fmt=3"), error(1, 3))
    assert picky.remaining == 1
    picky.cancel()
    anything = sandbox.inject(HttpStatus(504))
    answer = api.send("GET", f"{api.endpoint}?fmt=3")
    assert (answer.status, anything.remaining) == (504, 0)
    every = sandbox.inject(ErrorAnswer(5), times=None)
    for _ in range(3):
        api.expect({"get": 1, **AUTH, "fmt": 3}, error(5, 3))
    assert (every.remaining, every.used, every.active) == (None, 3, True)
    every.cancel()
    api.expect({"get": 1, **AUTH, "fmt": 3}, SenderList())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Latency(-1), "Latency.seconds must be a finite number from 0, not -1"),
        (lambda: Latency(True), "Latency.seconds must be a finite number from 0, not True"),
        (lambda: Latency(float("inf")), "Latency.seconds must be a finite number from 0, not inf"),
        (lambda: HttpStatus(404), "HttpStatus.status must be from 500 to 599, not 404"),
        (lambda: HttpStatus(500, BAD("x")), "HttpStatus.body must be bytes"),
        (lambda: ErrorAnswer(0), "ErrorAnswer.code must be a positive int, not 0"),
        (lambda: ErrorAnswer(5, BAD(3)), "ErrorAnswer.description must be a str or None"),
        (
            lambda: NonCanonical(BAD("tabs")),
            "NonCanonical.layout must be one of auto, crlf, trailing_newline, xml_declaration, "
            "compact_json, indented_json, bom, not 'tabs'",
        ),
        (lambda: Sandbox().inject(BAD("slow")), "not a fault: str"),
        (lambda: Sandbox().inject(Latency(1), times=0), "times must be an int of at least 1 or None, not 0"),
        (lambda: Sandbox().inject(Latency(1), when=BAD(3)), "when must be a function of the Request, or None"),
    ],
)  # fmt: skip
def test_bad_faults_are_refused(make: object, message: str) -> None:
    assert callable(make)
    with pytest.raises(SandboxError) as caught:
        make()
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)
