"""The README's HTTP recipes, run against a loopback server: httpx (sync and async) and requests.

Strategy: each recipe below is a function written exactly as the README and docs/cookbook.md show
it (tests/test_docs.py compares them). A stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (a free
port, stopped after each test) stands in for the service: it reads each request with
``Request.from_url``/``from_form``, answers the canonical reply of the operation in the request's
fmt and charset (SPEC D5, D10), and records the raw query and body, so each test checks the bytes
the recipe sent — secrets included, since those are what authenticates (SPEC D13).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Final, assert_type

import httpx
import pytest
import requests

import smsc_wire as sw
from smsc_wire import Document, Request, RequestError

LOGIN: Final = "shop"
PSW: Final = "p@ss w0rd&Ё"
APIKEY: Final = "k3y+/="

# --- the recipes, as the README and docs/cookbook.md show them ---------------------------------


def list_senders(base: str, login: str, psw: str) -> sw.SenderList:
    """httpx, GET: every sender name with its status."""
    request = Request.get(all=True, fmt=3, login=login, psw=psw)
    response = httpx.get(request.url(base), timeout=30)
    response.raise_for_status()
    reply = request.decode(response.content, content_type=response.headers.get("Content-Type"))
    return reply.raise_for_error()  # a SenderList, or ServerError for an error reply


def add_sender(base: str, apikey: str, sender: str, certificate: bytes) -> int:
    """httpx, POST multipart/form-data: a new sender name with a document for the operators."""
    request = Request.add(
        sender,
        cmt="our shop",
        operators=("mega_step", "tele2"),
        document=Document("certificate.pdf", certificate),
        doc_info="trademark certificate",
        charset="utf-8",
        apikey=apikey,
    )
    form = request.form()  # multipart/form-data: a document is attached
    response = httpx.post(Request.endpoint(base), content=form.body, headers=form.headers)
    response.raise_for_status()
    return request.decode(response.content).raise_for_error().id


async def list_senders_async(base: str, apikey: str) -> sw.SenderList:
    """httpx.AsyncClient, GET: the per-operator registration status of every name."""
    request = Request.get(operators=True, fmt=2, apikey=apikey)
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.get(request.url(base))
    response.raise_for_status()
    return request.decode(response.content).raise_for_error()


async def delete_sender_async(base: str, apikey: str, sender_id: int) -> None:
    """httpx.AsyncClient, POST application/x-www-form-urlencoded: delete a name by its id."""
    request = Request.delete(id=sender_id, fmt=1, apikey=apikey)
    form = request.form()
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            Request.endpoint(base), content=form.body, headers=form.headers
        )
    response.raise_for_status()
    request.decode(response.content).raise_for_error()  # Ok, or ServerError


def confirm_code(base: str, login: str, psw: str, phone: str, code: str) -> sw.Ok | sw.ErrorReply:
    """requests, GET: confirm a digital sender name; the error reply is a value to look at."""
    request = Request.check_code(phone, code, fmt=0, login=login, psw=psw)
    response = requests.get(request.url(base), timeout=30)
    response.raise_for_status()
    return request.decode(response.content)


def change_comment(base: str, login: str, psw: str, sender: str, comment: str) -> None:
    """requests, POST application/x-www-form-urlencoded: change a name's comment."""
    request = Request.chg(sender=sender, cmt=comment, charset="koi8-r", login=login, psw=psw)
    form = request.form()
    response = requests.post(
        Request.endpoint(base), data=form.body, headers=form.headers, timeout=30
    )
    response.raise_for_status()
    request.decode(response.content).raise_for_error()


def add_sender_requests(base: str, apikey: str, sender: str, scan: bytes) -> int:
    """requests, POST multipart/form-data: a new sender name with a scanned document."""
    request = Request.add(
        sender, document=Document("scan.png", scan), doc_info="scan", apikey=apikey
    )
    form = request.form()
    response = requests.post(
        Request.endpoint(base), data=form.body, headers=form.headers, timeout=30
    )
    response.raise_for_status()
    return request.decode(response.content).raise_for_error().id


# --- the loopback service ------------------------------------------------------------------------

SENDERS: Final = (
    sw.Sender("Ёлка", 7, sw.SenderStatus.APPROVED),
    sw.Sender("Shop, Inc", 8, sw.SenderStatus.AWAITING_MODERATION),
)
WRONG_CODE: Final = "0000"
CONTENT_TYPES: Final = {
    0: "text/plain",
    1: "text/plain",
    2: "application/xml",
    3: "application/json",
}


@dataclass
class Received:
    """One request as the server saw it: method, raw path and body, and what they parse to."""

    method: str
    path: str
    content_type: str | None
    body: bytes
    request: Request | None = None


@dataclass
class Service:
    """The loopback server, its base URL, and every request it received."""

    base: str
    received: list[Received] = field(default_factory=list)

    @property
    def last(self) -> Received:
        assert len(self.received) == 1, self.received
        return self.received[0]


def _reply(request: Request, raw: bytes) -> sw.Reply:
    # Authentication is judged on the raw bytes: the recipe must have sent the secret itself.
    secret_sent = any(
        form_bytes in raw for form_bytes in _secret_forms(PSW) + _secret_forms(APIKEY)
    )
    if not secret_sent:
        return sw.ErrorReply(sw.ErrorCode.AUTHORISATION_ERROR, "authorise error")
    operation = request.operation
    if operation is sw.Operation.GET:
        key = request.key
        return sw.SenderList(
            sw.Sender(
                s.name,
                s.id,
                s.status if key.all else None,
                {"mega_step": 2, "tele2": 0} if key.operators else None,
            )
            for s in SENDERS
        )
    if operation is sw.Operation.ADD:
        return sw.SenderAdded(42)
    if operation is sw.Operation.CHECK_CODE and request.params.get("code") == WRONG_CODE:
        return sw.ErrorReply(11, "invalid code")
    return sw.Ok()


def _secret_forms(secret: str) -> list[bytes]:
    # As a query or urlencoded body writes it, and as a multipart part holds it.
    from urllib.parse import quote_plus

    encoded = [
        quote_plus(secret.encode(c), safe="").encode() for c in ("cp1251", "utf-8", "koi8-r")
    ]
    return [secret.encode("utf-8"), *encoded]


class _Handler(BaseHTTPRequestHandler):
    service: Service

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self._answer(self.rfile.read(length))

    def _answer(self, body: bytes) -> None:
        content_type = self.headers.get("Content-Type")
        seen = Received(self.command, self.path, content_type, body)
        self.service.received.append(seen)
        try:
            if self.command == "POST":
                request = Request.from_form(body, content_type or "", url=self.path)
            else:
                request = Request.from_url(self.path)
        except RequestError as exc:
            self._send(400, str(exc).encode(), "text/plain; charset=utf-8")
            return
        seen.request = request
        reply = _reply(request, self.path.encode("latin-1") + body)
        data = sw.encode_bytes(reply, request.key, charset=request.charset)
        self._send(200, data, f"{CONTENT_TYPES[request.key.fmt]}; charset={request.charset}")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)  # loopback is never proxied
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    state = Service(f"http://127.0.0.1:{server.server_address[1]}")
    _Handler.service = state
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _query(received: Received) -> str:
    assert received.path.startswith("/sys/senders.php"), received.path
    return received.path.partition("?")[2]


# --- the tests -----------------------------------------------------------------------------------


def test_httpx_get(service: Service) -> None:
    senders = list_senders(service.base, LOGIN, PSW)
    assert_type(senders, sw.SenderList)
    assert senders == sw.SenderList(SENDERS)
    received = service.last
    expected = Request.get(all=True, fmt=3, login=LOGIN, psw=PSW)
    assert received.method == "GET"
    assert _query(received) == "get=1&login=shop&psw=p%40ss+w0rd%26%A8&all=1&fmt=3"
    assert received.request == expected


def test_httpx_post_multipart_with_a_document(service: Service) -> None:
    certificate = b"%PDF-1.4\r\n\x00\xff\r\n--\r\n"
    assert add_sender(service.base, APIKEY, "Ёлка", certificate) == 42
    received = service.last
    assert received.method == "POST"
    assert received.path == "/sys/senders.php"
    assert received.content_type is not None
    assert received.content_type.startswith("multipart/form-data; boundary=smsc-wire-")
    assert received.request is not None
    assert received.request.document == Document("certificate.pdf", certificate)
    assert received.request.params["sender"] == "Ёлка"
    assert b'name="apikey"\r\n\r\nk3y+/=\r\n' in received.body  # the secret, as sent
    assert received.request == Request.add(
        "Ёлка",
        cmt="our shop",
        operators=("mega_step", "tele2"),
        document=Document("certificate.pdf", certificate),
        doc_info="trademark certificate",
        charset="utf-8",
        apikey=APIKEY,
    )


def test_httpx_async_get(service: Service) -> None:
    senders = asyncio.run(list_senders_async(service.base, APIKEY))
    assert_type(senders, sw.SenderList)
    assert [s.operators for s in senders] == [{"mega_step": 2, "tele2": 0}] * 2
    assert _query(service.last) == "get=1&apikey=k3y%2B%2F%3D&operators=1&fmt=2"


def test_httpx_async_post_urlencoded(service: Service) -> None:
    assert asyncio.run(delete_sender_async(service.base, APIKEY, 8)) is None
    received = service.last
    assert (received.method, received.content_type) == ("POST", "application/x-www-form-urlencoded")
    assert received.body == b"del=1&apikey=k3y%2B%2F%3D&id=8&fmt=1"


def test_requests_get(service: Service) -> None:
    reply = confirm_code(service.base, LOGIN, PSW, "79991234567", "0451")
    assert_type(reply, sw.Ok | sw.ErrorReply)
    assert reply == sw.Ok()
    assert _query(service.last) == (
        "check_code=1&login=shop&psw=p%40ss+w0rd%26%A8&sender=79991234567&code=0451&fmt=0"
    )


def test_requests_get_error_reply_is_a_value(service: Service) -> None:
    reply = confirm_code(service.base, LOGIN, PSW, "79991234567", WRONG_CODE)
    assert reply == sw.ErrorReply(11, "invalid code")
    with pytest.raises(sw.ServerError, match=r"error 11 \(INVALID_CODE\): invalid code"):
        reply.raise_for_error()


def test_requests_post_urlencoded_in_koi8(service: Service) -> None:
    change_comment(service.base, LOGIN, PSW, "Ёлка", "новый")
    received = service.last
    assert received.content_type == "application/x-www-form-urlencoded"
    assert received.body == (
        b"chg=1&login=shop&psw=p%40ss+w0rd%26%B3&sender=%B3%CC%CB%C1&cmt=%CE%CF%D7%D9%CA"
        b"&charset=koi8-r"
    )
    assert received.request == Request.chg(
        sender="Ёлка", cmt="новый", charset="koi8-r", login=LOGIN, psw=PSW
    )


def test_requests_post_multipart(service: Service) -> None:
    scan = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    assert add_sender_requests(service.base, APIKEY, "Shop", scan) == 42
    received = service.last
    assert received.request is not None
    assert received.request.document == Document("scan.png", scan)


def test_a_wrong_secret_gets_the_servers_error_reply(service: Service) -> None:
    with pytest.raises(sw.ServerError, match=r"error 2 \(AUTHORISATION_ERROR\): authorise error"):
        list_senders(service.base, LOGIN, "wrong")


def test_the_server_saw_what_url_and_form_write(service: Service) -> None:
    # The clients send .url() and .form() unchanged: no re-quoting, no reordering.
    request = Request.add("a b+c/d?e#f&g=h~i*j%", cmt="Ёлка", login=LOGIN, psw=PSW)
    httpx.get(request.url(service.base), timeout=30)
    requests.get(request.url(service.base), timeout=30)
    form = request.form()
    httpx.post(Request.endpoint(service.base), content=form.body, headers=form.headers)
    requests.post(Request.endpoint(service.base), data=form.body, headers=form.headers, timeout=30)
    query = request.url().partition("?")[2]
    assert [_query(r) for r in service.received[:2]] == [query, query]
    assert [r.body for r in service.received[2:]] == [form.body, form.body]
    assert all(r.request == request for r in service.received)
