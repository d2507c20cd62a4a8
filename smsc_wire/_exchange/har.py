"""Captured exchanges: HAR 1.2 files, each senders.php entry judged under its own request (D14).

Strategy: browsers' developer tools, mitmproxy, Charles, Fiddler and proxies all write HAR. An
entry is a senders.php exchange when its request URL's path ends in ``/senders.php``; its key and
charset come from its own request (the query string, or the POST body in ``postData``), never from
sniffing. The reply body is ``response.content.text``: base64-decoded when ``encoding`` is
``base64`` — the server's bytes, judged byte for byte — or, when the tool wrote decoded text,
re-encoded with the request's charset first, which the verdict notes. An entry whose request
cannot be read is reported as such. A HAR file is untrusted JSON like any body: orjson parses
it (no recursion, no I/O), within a size limit, and a malformed entry is that entry's problem.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote_plus, urlsplit

import orjson

from smsc_wire._api import codec_name
from smsc_wire._errors import SmscWireError, shown
from smsc_wire._exchange.errors import MASK, RequestError
from smsc_wire._exchange.form import SCHEME
from smsc_wire._exchange.request import Request
from smsc_wire._tools.verdicts import KeySource, Kind, Problem, Verdict, judge

MAX_HAR_SIZE: Final = 256 * 1024 * 1024
"""The largest HAR file read (bytes): a capture holds many bodies of up to 16 MiB each."""

_SECRETS: Final = frozenset({"psw", "apikey"})
_FORM: Final = ("application/x-www-form-urlencoded", "multipart/form-data")


class HarError(SmscWireError, ValueError):
    """A file that is not a HAR 1.2 log (``log.entries``); ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Capture:
    """One senders.php exchange of a HAR file.

    ``index`` is the entry's index in ``log.entries``; ``url`` the request URL with secrets
    shown as ``***``. ``request`` is the parsed request, or ``None`` with ``request_error``
    saying why it cannot be read; ``body`` the reply's bytes (``None`` if the entry has none),
    ``base64`` whether the HAR held them as base64 (else as decoded text, re-encoded in the
    request's charset); ``content_type`` the reply's ``Content-Type``.
    """

    index: int
    method: str
    url: str
    request: Request | None
    request_error: str | None
    body: bytes | None
    base64: bool
    content_type: str | None
    body_problem: str | None = None


@dataclass(frozen=True, slots=True)
class HarLog:
    """The senders.php exchanges of a HAR file, and how many other entries it holds."""

    captures: tuple[Capture, ...]
    skipped: int


def redact(url: str) -> str:
    """``url`` with the values of ``psw`` and ``apikey`` shown as ``***`` (SPEC D13).

    >>> redact("https://smsc.ru/sys/senders.php?get=1&login=a&psw=secret")
    'https://smsc.ru/sys/senders.php?get=1&login=a&psw=***'
    """
    head, mark, rest = url.partition("?")
    if not mark:
        # As query_of reads it: a URL or path without "?" has no query, else it is one.
        return url if url.startswith("/") or SCHEME.match(url) else _redact_query(url)
    # Only the query changes: the rest of the URL is shown as it was captured, not normalised.
    query, hash_mark, fragment = rest.partition("#")
    return f"{head}?{_redact_query(query)}{hash_mark}{fragment}"


def _redact_query(query: str) -> str:
    if not _MAYBE_SECRET.search(query):
        return query  # most URLs: no name that could be a secret's, however it is encoded
    pairs = []
    for pair in query.split("&"):
        name, sep, _ = pair.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)  # the server reads "ps%77" as psw
        pairs.append(
            f"{pair.partition('=')[0]}={MASK}" if sep and name.lower() in _SECRETS else pair
        )
    return "&".join(pairs)


# A query that might name a secret: its name, or any percent-escape (which could spell one).
_MAYBE_SECRET: Final = re.compile(r"(?i)psw|apikey|%")


def read_har(data: bytes) -> HarLog:
    """The senders.php exchanges of a HAR file's bytes (SPEC D14).

    Raises :class:`HarError` for a file that is not a HAR log; anything wrong with one entry is
    in that entry's :class:`Capture`.
    """
    if len(data) > MAX_HAR_SIZE:
        raise HarError(f"a HAR file of {len(data)} bytes is over the limit of {MAX_HAR_SIZE}")
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        document = _lenient(data, exc)
    log = document.get("log") if isinstance(document, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise HarError("not a HAR log: no log.entries array")
    captures: list[Capture] = []
    skipped = 0
    for index, entry in enumerate(entries):
        capture = _capture(index, entry)
        if capture is None:
            skipped += 1
        else:
            captures.append(capture)
    return HarLog(tuple(captures), skipped)


def _lenient(data: bytes, error: orjson.JSONDecodeError) -> Any:
    """A HAR that orjson refuses for a lone surrogate escape (``"\\udced"``), read by ``json``.

    mitmproxy writes the bytes of a windows-1251 query value that do not decode as UTF-8 as
    escaped lone surrogates in ``queryString`` and ``postData.params``; strict JSON parsers
    refuse them, the standard library's reads them. The fields judged (the URL, ``postData.text``
    and the reply) are not among those, so such a file is read, not refused.
    """
    if b"\\ud" not in data.lower():
        raise HarError(f"not JSON: {error.msg} (at byte {error.pos})")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise HarError(f"not JSON: {shown(str(exc), 80)}") from None


def _capture(index: int, entry: object) -> Capture | None:
    request = entry.get("request") if isinstance(entry, dict) else None
    url = request.get("url") if isinstance(request, dict) else None
    if not isinstance(url, str) or not _is_senders(url):
        return None
    assert isinstance(request, dict)
    assert isinstance(entry, dict)
    method = request.get("method")
    method = method if isinstance(method, str) else "?"
    parsed, request_error = _request(url, method, request)
    response = entry.get("response")
    content = response.get("content") if isinstance(response, dict) else None
    content_type = _header(response, "content-type") if isinstance(response, dict) else None
    body: bytes | None = None
    is_base64 = False
    body_problem = None
    if isinstance(content, dict) and isinstance(content.get("text"), str):
        text = content["text"]
        if content.get("encoding") == "base64":
            is_base64 = True
            try:
                body = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError) as exc:
                body_problem = f"response.content.text is not valid base64 ({exc})"
        elif parsed is not None:
            body, body_problem = _reencoded(text, parsed.charset)
    elif isinstance(content, dict) and content.get("size") == 0:
        body = b""
    else:
        body_problem = "the entry holds no response body (response.content.text)"
    return Capture(
        index, method, redact(url), parsed, request_error, body, is_base64, content_type,
        body_problem,
    )  # fmt: skip


def _is_senders(url: str) -> bool:
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return path.endswith("/senders.php")


def _request(
    url: str, method: str, request: Mapping[str, Any]
) -> tuple[Request | None, str | None]:
    post = request.get("postData")
    try:
        if method.upper() == "POST" and isinstance(post, dict):
            mime = post.get("mimeType")
            mime = mime if isinstance(mime, str) else ""
            text = post.get("text")
            if isinstance(text, str) and mime.split(";")[0].strip().lower() in _FORM:
                return Request.from_form(_raw_text(text), mime, url=url), None
            params = post.get("params")
            if isinstance(params, list) and params:
                body = "&".join(
                    f"{p.get('name', '')}={p.get('value', '')}"
                    for p in params
                    if isinstance(p, dict)
                )
                return Request.from_form(body, _FORM[0], url=url), None
        return Request.from_url(url), None
    except RequestError as exc:
        return None, exc.reason


def _raw_text(text: str) -> bytes:
    """A HAR's ``postData.text`` as the bytes that were sent.

    Tools that cannot tell the charset of a body decode it as latin-1 (mitmproxy does), which
    gives the bytes back exactly; a text with characters past latin-1 was decoded as UTF-8.
    """
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _reencoded(text: str, charset: str) -> tuple[bytes | None, str | None]:
    try:
        return text.encode(codec_name(charset)), None
    except UnicodeEncodeError as exc:
        return None, (
            f"the capture's text cannot be written in {charset}, the request's charset "
            f"({shown(text[exc.start : exc.end], 20)} at character {exc.start})"
        )
    except UnicodeError as exc:  # a codec failing in a way of its own
        return None, f"the capture's text cannot be written in {charset}: {shown(str(exc), 60)}"


def _header(message: Mapping[str, Any], name: str) -> str | None:
    headers = message.get("headers")
    if not isinstance(headers, list):
        return None
    for header in headers:
        if isinstance(header, dict) and str(header.get("name", "")).lower() == name:
            value = header.get("value")
            return value if isinstance(value, str) else None
    content = message.get("content")
    if name == "content-type" and isinstance(content, dict):
        mime = content.get("mimeType")
        return mime if isinstance(mime, str) else None
    return None


def _declared_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset" and value:
            return value.strip().strip('"')
    return None


def judge_capture(capture: Capture) -> Verdict:
    """The verdict on one captured exchange, under its request's key and charset (SPEC D14)."""
    request = capture.request
    if request is None:
        return Verdict(
            Kind.UNREADABLE, problem=Problem(f"its request cannot be read: {capture.request_error}")
        )
    notes: list[str] = []
    declared = _declared_charset(capture.content_type)
    if declared is not None and _same_charset(declared, request.charset) is False:
        notes.append(
            f"the reply's Content-Type names charset {shown(declared, 30)}, the request's is "
            f"{request.charset}: the request's was used (SPEC D10)"
        )
    if capture.body is None:
        return Verdict(
            Kind.UNREADABLE,
            request.key,
            KeySource.REQUEST,
            problem=Problem(capture.body_problem or "no response body"),
            notes=tuple(notes),
        )
    if not capture.base64:
        notes.insert(
            0,
            f"the HAR held decoded text, re-encoded in {request.charset} before it was judged "
            "(SPEC D14)",
        )
    return judge(
        capture.body,
        key=request.key,
        charset=request.charset,
        key_source=KeySource.REQUEST,
        notes=tuple(notes),
    )


def _same_charset(a: str, b: str) -> bool | None:
    try:
        return codec_name(a) == codec_name(b)
    except SmscWireError:
        return False


def judge_har(data: bytes) -> Iterator[tuple[Capture, Verdict]]:
    """Every senders.php exchange of a HAR file's bytes and its verdict (SPEC D14).

    Raises :class:`HarError` for a file that is not a HAR log.
    """
    for capture in read_har(data).captures:
        yield capture, judge_capture(capture)
