"""Three HTTP clients (httpx, requests, urllib) behind one call, and the exact-reply check.

Strategy: a test names its request as parameter pairs; :class:`Api` writes them as the service's
clients do (percent-encoded in the request's charset, in a GET query string or an urlencoded or
multipart POST body), sends them with the client under test over real HTTP, and
:meth:`Api.expect` reads the reply back with :func:`smsc_wire.decode` under the key and charset
the request code gives the request, and checks it exactly: the model, the canonical bytes
(:func:`smsc_wire.encode_bytes`) and the ``Content-Type``.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

import httpx
import requests

import smsc_wire as sw
from smsc_wire._exchange.form import request_codec
from smsc_wire.sandbox import DESCRIPTIONS

CLIENTS: Final = ("httpx", "requests", "urllib")

Params = Mapping[str, str | int]


@dataclass(frozen=True)
class Answer:
    """What came back: the status, the Content-Type and the body."""

    status: int
    content_type: str | None
    body: bytes


class TransportError(Exception):
    """The client saw the connection fail (closed mid-body, a short body...)."""


class Clients:
    """One ``httpx.Client`` and one ``requests.Session`` (connections kept alive, as SDKs do);
    urllib opens a connection per request."""

    def __init__(self) -> None:
        # Plain HTTP to loopback: no certificates to load (that alone costs 50 ms a client).
        self.httpx = httpx.Client(timeout=20.0, verify=False, trust_env=False)
        self.requests = requests.Session()

    def close(self) -> None:
        self.httpx.close()
        self.requests.close()


def send(
    client: str,
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    content_type: str | None = None,
    timeout: float = 20.0,
    clients: Clients | None = None,
) -> Answer:
    """Send one request with ``client``; a transport failure is a :class:`TransportError`."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    if client == "httpx":
        try:
            if clients is None:
                r = httpx.request(
                    method, url, content=body, headers=headers, timeout=timeout, verify=False
                )
            else:
                r = clients.httpx.request(method, url, content=body, headers=headers)
        except httpx.TransportError as exc:
            raise TransportError(f"httpx: {type(exc).__name__}") from exc
        return Answer(r.status_code, r.headers.get("content-type"), r.content)
    if client == "requests":
        session = requests if clients is None else clients.requests
        try:
            rr = session.request(method, url, data=body, headers=headers, timeout=timeout)
        except requests.RequestException as exc:
            raise TransportError(f"requests: {type(exc).__name__}") from exc
        return Answer(rr.status_code, rr.headers.get("content-type"), rr.content)
    assert client == "urllib"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.headers.get("content-type"), response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Answer(exc.code, exc.headers.get("content-type"), exc.read())
    except (http.client.HTTPException, OSError) as exc:
        raise TransportError(f"urllib: {type(exc).__name__}") from exc


def encoded(params: Params) -> str:
    """``params`` as a query string, percent-encoded in their own ``charset`` (SPEC D13)."""
    charset = str(params.get("charset", "windows-1251"))
    return urlencode([(k, str(v)) for k, v in params.items()], encoding=request_codec(charset))


def error(code: int, fmt: int) -> sw.ErrorReply:
    """The sandbox's error reply ``code`` as it reads back in ``fmt`` (fmt 1: no description)."""
    return sw.ErrorReply(sw.ErrorCode(code), DESCRIPTIONS[code] if fmt != 1 else None)


class Api:
    """Requests to one sandbox with one client."""

    def __init__(self, client: str, endpoint: str) -> None:
        self.client = client
        self.endpoint = endpoint
        self.clients = Clients()

    def close(self) -> None:
        """Close the client's connections."""
        self.clients.close()

    def send(
        self, method: str, url: str, *, body: bytes | None = None, content_type: str | None = None
    ) -> Answer:
        """:func:`send` with this API's client and connections."""
        return send(
            self.client, method, url, body=body, content_type=content_type, clients=self.clients
        )

    def call(self, params: Params, *, method: str = "GET") -> tuple[Answer, sw.Request]:
        """Send ``params`` (GET: a query string; POST: an urlencoded body)."""
        query = encoded(params)
        if method == "POST":
            answer = self.send(
                "POST",
                self.endpoint,
                body=query.encode("ascii"),
                content_type="application/x-www-form-urlencoded",
            )
            request = sw.Request.from_form(
                query.encode("ascii"), "application/x-www-form-urlencoded"
            )
        else:
            answer = self.send(method, f"{self.endpoint}?{query}")
            request = sw.Request.from_url("?" + query)
        return answer, request

    def send_request(self, request: sw.Request, *, multipart: bool = False) -> Answer:
        """Send a request built by the request code (a form POST when ``multipart``)."""
        if multipart:
            form = request.form(multipart=True)
            return self.send("POST", self.endpoint, body=form.body, content_type=form.content_type)
        return self.send("GET", request.url(self.endpoint))

    def expect(self, params: Params, expected: sw.Reply, *, method: str = "GET") -> bytes:
        """Send ``params`` and check the reply is exactly ``expected``; return its bytes."""
        answer, request = self.call(params, method=method)
        check(answer, request, expected)
        return answer.body


def check(answer: Answer, request: sw.Request, expected: sw.Reply) -> None:
    """``answer`` is ``expected`` under the request's key and charset: model, bytes, media type."""
    key, charset = request.key, request.charset
    assert answer.status == 200, answer
    media = sw.wire_formats[key.fmt].media_type
    assert answer.content_type == f"{media}; charset={charset}", answer.content_type
    assert sw.decode(answer.body, key, charset=charset) == expected, answer.body
    assert answer.body == sw.encode_bytes(expected, key, charset=charset)
