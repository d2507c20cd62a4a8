"""How a request's parameters travel: query strings, form bodies and the document file.

Strategy: everything here works on bytes, as the server does. A query string or an
``application/x-www-form-urlencoded`` body is split on ``&`` and ``=`` and percent-decoded to raw
bytes (``+`` is a space) with :mod:`urllib.parse`; a ``multipart/form-data`` body is parsed by
the standard library's :mod:`email` parser, never by hand; only then does
:mod:`smsc_wire._exchange.request` decode the bytes with the request's own charset (SPEC D13).
Writing is the mirror image: every byte that is not unreserved is percent-encoded, and a
multipart body is written part by part around a boundary that occurs nowhere in it.

Every input is hostile (SPEC D11): its size is checked before anything is parsed
(:data:`MAX_SIZE`), the number of parameters is bounded (:data:`MAX_PARAMETERS`), every step is
linear, and anything the email parser raises or reports as a defect becomes a
:class:`RequestError`.
"""

from __future__ import annotations

import email.parser
import email.policy
import re
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Final, NamedTuple
from urllib.parse import quote_plus, unquote_to_bytes

from smsc_wire._api import body_bytes, codec_name
from smsc_wire._errors import UnsupportedCharsetError, shown

from .errors import RequestError, named

MAX_SIZE: Final = 4 * 1024 * 1024
"""The largest URL (in characters or bytes) or form body (in bytes) a parser reads: 4 MiB.

Room for the largest document (:data:`MAX_DOCUMENT_SIZE`) and its parameters; checked before
anything is parsed (SPEC D11). A built request whose URL or body would be larger is refused, so
that whatever is built can be read back.
"""

MAX_DOCUMENT_SIZE: Final = 3 * 1024 * 1024
"""The largest document the service accepts: 3 MB, taken as 3 MiB (SPEC §7)."""

MAX_PARAMETERS: Final = 1000
"""The most parameters one request may hold: PHP's default ``max_input_vars``, past which the
server drops parameters silently (so such a request is ambiguous, SPEC D13)."""

DEFAULT_CHARSET: Final = "windows-1251"
"""The charset of a request that names none: the service's default (SPEC D10)."""

DOCUMENT_TYPES: Final = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "pdf": "application/pdf",
    "png": "image/png",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
}
"""The document types the service takes (SPEC §7: jpg, tif, pdf, png, zip, rar; ``jpeg`` and
``tiff`` are the same types), by file extension, with the content type written by default."""

URLENCODED: Final = "application/x-www-form-urlencoded"
MULTIPART: Final = "multipart/form-data"

# Bytes that cannot stand inside a quoted multipart header parameter in a way every reader
# agrees on: browsers percent-escape some of them and PHP does not undo that (SPEC D13: a
# request must not be ambiguous).
_HEADER_UNSAFE: Final = re.compile(rb'["\\\r\n\x00]')
_BOUNDARY: Final = re.compile(r"[0-9A-Za-z'()+_,\-./:=?]{1,70}")
_CONTENT_TYPE: Final = re.compile(
    r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+/[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:;[\x20-\x7e]*[\x21-\x7e])?"
)
SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_ASCII: Final = bytes(range(128))
_ALLOWED_CTE: Final = frozenset({"7bit", "8bit", "binary"})


def is_str(value: object) -> bool:
    """Whether ``value`` is a str: an argument typed ``str`` is still checked (SPEC D11)."""
    return isinstance(value, str)


# --- charsets -----------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def request_codec(charset: str) -> str:
    """The Python codec of a request's ``charset`` parameter; a RequestError names ``charset``.

    Looked up with :func:`smsc_wire._api.codec_name`, so names are validated as everywhere
    (SPEC D10). The codec must also read and write every ASCII byte as itself: the server finds
    parameter names, ``&``, ``=`` and ``%`` in the raw bytes, so a charset such as UTF-16 or
    EBCDIC would make every request ambiguous (SPEC D13).
    """
    try:
        encoding = codec_name(charset)
    except UnsupportedCharsetError:
        raise RequestError(
            f"unknown charset {shown(charset, 40)}: expected a text encoding such as "
            "windows-1251, utf-8 or koi8-r (SPEC D10)",
            parameter="charset",
        ) from None
    if not _ascii_compatible(encoding):
        raise RequestError(
            f"charset {shown(charset, 40)} does not write ASCII as ASCII, so the server could not "
            "read the parameter names: use windows-1251, utf-8, koi8-r or another ASCII-based "
            "charset (SPEC D13)",
            parameter="charset",
        )
    return encoding


def _ascii_compatible(encoding: str) -> bool:
    text = _ASCII.decode("ascii")
    try:
        return _ASCII.decode(encoding) == text and text.encode(encoding) == _ASCII
    except Exception:  # a codec may fail any way it likes: then it is not ASCII-compatible
        return False


# --- query strings and urlencoded bodies --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawPair:
    """One parameter as it came: still percent-encoded (``quoted``) or raw bytes (multipart).

    A ``str`` piece (from a ``str`` URL) may hold characters outside ASCII: they stand for
    themselves and are written in the request's charset before percent-decoding.
    """

    name: str | bytes
    value: str | bytes
    quoted: bool

    def name_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The name's bytes; ``encoding`` writes the characters of a ``str`` piece."""
        return _bytes(self.name, self.quoted, encoding, errors)

    def value_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The value's bytes; ``encoding`` writes the characters of a ``str`` piece."""
        return _bytes(self.value, self.quoted, encoding, errors)


def _bytes(piece: str | bytes, quoted: bool, encoding: str, errors: str) -> bytes:
    data = piece.encode(encoding, errors) if isinstance(piece, str) else piece
    # SPEC D13: `+` is a space (form encoding, which PHP applies to query strings as well); a `%`
    # not followed by two hex digits stays as it is, as the server reads it.
    if not quoted or (b"%" not in data and b"+" not in data):
        return data  # nothing to decode: the common case, kept out of unquote_to_bytes
    return unquote_to_bytes(data.replace(b"+", b" "))


def split_query(query: str | bytes) -> list[RawPair]:
    """The parameters of a query string or urlencoded body, in order; empty pieces skipped.

    >>> [(p.name, p.value) for p in split_query("get=1&&sender=a%20b&x")]
    [('get', '1'), ('sender', 'a%20b'), ('x', '')]
    """
    pairs: list[RawPair] = []
    if isinstance(query, str):
        for piece in query.split("&"):
            if piece:
                name, _, value = piece.partition("=")
                pairs.append(RawPair(name, value, quoted=True))
    else:
        for bpiece in query.split(b"&"):
            if bpiece:
                bname, _, bvalue = bpiece.partition(b"=")
                pairs.append(RawPair(bname, bvalue, quoted=True))
    if len(pairs) > MAX_PARAMETERS:
        raise too_many(len(pairs))
    return pairs


def too_many(count: int) -> RequestError:
    """The error of a request with more than :data:`MAX_PARAMETERS` parameters."""
    return RequestError(
        f"{count} parameters: more than {MAX_PARAMETERS}, past which the server drops them "
        "(PHP's max_input_vars; SPEC D13)"
    )


def query_of(url: str | bytes | bytearray | memoryview) -> str | bytes:
    """The query string of a full URL, a path with a query, or a bare query string.

    A ``?`` starts the query and a ``#`` ends it; a URL or path without ``?`` has an empty
    query; anything else is taken as a bare query string. The path is not checked (a proxy may
    serve ``senders.php`` anywhere).
    """
    if isinstance(url, str):
        text = str.__str__(url)  # a subclass cannot change what is parsed
        if len(text) > MAX_SIZE:
            raise too_large(len(text), "URL", "characters")
        text = text.partition("#")[0]
        if "?" in text:
            return text.partition("?")[2]
        return "" if text.startswith("/") or SCHEME.match(text) else text
    data = body_bytes(url)
    if data is None:
        raise TypeError(f"url must be str or bytes, not {type(url).__name__}")
    if len(data) > MAX_SIZE:
        raise too_large(len(data), "URL", "bytes")
    data = data.partition(b"#")[0]
    if b"?" in data:
        return data.partition(b"?")[2]
    return b"" if data.startswith(b"/") or SCHEME.match(data.decode("latin-1")) else data


def too_large(size: int, what: str, unit: str) -> RequestError:
    """The error of an input over :data:`MAX_SIZE`, raised before it is parsed (SPEC D11)."""
    return RequestError(f"the {what} is {size} {unit}, over the limit of {MAX_SIZE} (SPEC D11)")


def quote(data: bytes) -> str:
    """``data`` percent-encoded for a query string or urlencoded body (a space as ``+``)."""
    if _UNRESERVED.fullmatch(data):
        return data.decode("ascii")  # most names and values: nothing to encode, and 10x faster
    return quote_plus(data, safe="")


_UNRESERVED: Final = re.compile(rb"[A-Za-z0-9_.~-]*")
"""The bytes quote_plus never encodes (RFC 3986's unreserved characters)."""


def query_string(pairs: Iterable[tuple[bytes, bytes]]) -> str:
    """``pairs`` (names and values in the request's charset) as a query string.

    >>> query_string([(b"get", b"1"), (b"sender", b"a b&c")])
    'get=1&sender=a+b%26c'
    """
    pairs = tuple(pairs)
    if _UNRESERVED.fullmatch(b"".join(chain.from_iterable(pairs))):
        # Nothing to percent-encode (most requests): joined in C, not quoted piece by piece.
        return b"&".join(map(b"=".join, pairs)).decode("ascii")
    return "&".join(f"{quote(name)}={quote(value)}" for name, value in pairs)


# --- the document -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Document:
    """A document for the operators, sent with ``add`` or ``chg`` (SPEC §7).

    ``filename`` must end in ``.jpg``, ``.tif``, ``.pdf``, ``.png``, ``.zip`` or ``.rar``
    (``.jpeg`` and ``.tiff`` too, any case); ``content`` is at most 3 MiB
    (:data:`MAX_DOCUMENT_SIZE`); ``content_type`` defaults to the extension's type. ``field`` is
    the name of the multipart part that carries the file (the service's page does not name it;
    ``file`` is the name the vendor's own clients give uploads). Anything else raises
    :class:`RequestError` naming ``field``. The repr shows the size, never the content.

    >>> Document("trademark.pdf", b"%PDF-1.4")
    Document(filename='trademark.pdf', content=<8 bytes>, content_type='application/pdf', field='file')
    >>> Document("virus.exe", b"MZ")
    Traceback (most recent call last):
      ...
    smsc_wire._exchange.errors.RequestError: the document 'virus.exe' is not a jpg, tif, pdf, png, zip or rar file (SPEC §7)
    """  # noqa: E501

    filename: str
    content: bytes
    content_type: str
    field: str

    def __init__(
        self,
        filename: str,
        content: bytes | bytearray | memoryview,
        content_type: str | None = None,
        *,
        field: str = "file",
    ) -> None:
        field = _header_text(field, "field", "file")
        filename = _header_text(filename, "filename", field)
        extension = filename.rpartition(".")[2].lower() if "." in filename else ""
        if extension not in DOCUMENT_TYPES:
            raise RequestError(
                f"the document {shown(filename, 60)} is not a jpg, tif, pdf, png, zip or rar "
                "file (SPEC §7)",
                parameter=field,
            )
        data = body_bytes(content)
        if data is None:
            raise RequestError(
                f"the document's content must be bytes, not {type(content).__name__}",
                parameter=field,
            )
        if len(data) > MAX_DOCUMENT_SIZE:
            raise RequestError(
                f"the document is {len(data)} bytes, over the service's limit of "
                f"{MAX_DOCUMENT_SIZE} (3 MB, SPEC §7)",
                parameter=field,
            )
        if content_type is None:
            content_type = DOCUMENT_TYPES[extension]
        elif not is_str(content_type) or not _CONTENT_TYPE.fullmatch(content_type):
            raise RequestError(
                f"the document's content type {shown(content_type, 60)} is not of the form "
                "type/subtype",
                parameter=field,
            )
        object.__setattr__(self, "filename", filename)
        object.__setattr__(self, "content", data)
        object.__setattr__(self, "content_type", str.__str__(content_type))
        object.__setattr__(self, "field", field)

    def __repr__(self) -> str:
        return (
            f"Document(filename={self.filename!r}, content=<{len(self.content)} bytes>, "
            f"content_type={self.content_type!r}, field={self.field!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_document, (self.filename, self.content, self.content_type, self.field))


def _document(filename: str, content: bytes, content_type: str, field: str) -> Document:
    return Document(filename, content, content_type, field=field)


def _header_text(value: object, what: str, field: str) -> str:
    if not isinstance(value, str):
        raise RequestError(
            f"the document's {what} must be a str, not {type(value).__name__}", parameter=field
        )
    text = str.__str__(value)
    if not text or _HEADER_UNSAFE.search(text.encode("utf-8", "surrogatepass")):
        raise RequestError(
            f"the document's {what} {shown(text, 60)} must be non-empty, without a quote, "
            "backslash, CR, LF or NUL (it is written in a multipart header)",
            parameter=field,
        )
    return text


# --- forms --------------------------------------------------------------------------------------


class Form(NamedTuple):
    """A POST body and its content type, as :meth:`Request.form` writes it.

    Unpacks as ``(body, content_type)``, so ``Request.from_form(*request.form())`` reads it
    back; ``headers`` is the one header to send with it.

    >>> Form(b"get=1", "application/x-www-form-urlencoded").headers
    {'Content-Type': 'application/x-www-form-urlencoded'}
    """

    body: bytes
    content_type: str

    @property
    def headers(self) -> dict[str, str]:
        """``{"Content-Type": content_type}``: the header that goes with the body."""
        return {"Content-Type": self.content_type}


@dataclass(frozen=True, slots=True)
class FilePart:
    """The document's part of a multipart body, as read: its bytes, not yet decoded."""

    field: bytes
    filename: bytes
    content_type: str | None
    content: bytes


def header_safe(data: bytes) -> bool:
    """Whether ``data`` can stand in a quoted multipart header parameter unambiguously."""
    return _HEADER_UNSAFE.search(data) is None


def new_boundary() -> str:
    """A random boundary (SPEC D11: the writer makes sure it occurs nowhere in the body)."""
    return "smsc-wire-" + secrets.token_hex(16)


def check_boundary(boundary: str) -> str:
    """``boundary`` if RFC 2046 allows it, else a RequestError."""
    if not is_str(boundary) or not _BOUNDARY.fullmatch(boundary):
        raise RequestError(
            f"boundary {shown(boundary, 80)} must be 1 to 70 letters, digits or '()+_,-./:=? "
            "(RFC 2046)"
        )
    return str.__str__(boundary)


def multipart_chunks(
    fields: Sequence[tuple[bytes, bytes]], document: FilePart | None, boundary: bytes
) -> Iterator[bytes]:
    """The pieces of a multipart/form-data body: each field, then the document's part."""
    for name, value in fields:
        yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="'
        yield name
        yield b'"\r\n\r\n'
        yield value
        yield b"\r\n"
    if document is not None:
        yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="'
        yield document.field
        yield b'"; filename="'
        yield document.filename
        yield b'"\r\nContent-Type: ' + (document.content_type or "").encode("ascii") + b"\r\n\r\n"
        yield document.content
        yield b"\r\n"
    yield b"--" + boundary + b"--\r\n"


def content_type_of(value: object) -> tuple[str, str]:
    """The lower-case media type of a Content-Type header, and the header as given."""
    if not isinstance(value, str):
        raise TypeError(f"content_type must be a str, not {type(value).__name__}")
    text = str.__str__(value)
    if len(text) > 1000 or any(c not in "\t" and not " " <= c <= "~" for c in text):
        raise RequestError(
            f"content type {shown(text, 60)} is not a header value (printable ASCII, at most "
            "1000 characters)"
        )
    return text.partition(";")[0].strip().lower(), text


def parse_multipart(body: bytes, content_type: str) -> tuple[list[RawPair], FilePart | None]:
    """The fields and the file part of a ``multipart/form-data`` body, by the email parser.

    Strict where the server and a client could read the body differently (SPEC D13): a body the
    parser reports a defect in (no boundary, no closing boundary...), a part without
    ``Content-Disposition: form-data`` and a name, a nested multipart, a ``Content-Transfer-
    Encoding`` other than 7bit/8bit/binary (the server does not decode one), RFC 2231 encoded
    names, and more than one file are errors.
    """
    message = _parse_message(body, content_type)
    if not message.is_multipart() or message.defects:
        raise RequestError(f"the body is not a valid multipart/form-data body{_defects(message)}")
    parts = message.get_payload()
    assert isinstance(parts, list)
    pairs: list[RawPair] = []
    document: FilePart | None = None
    for index, part in enumerate(parts, 1):
        where = f"part {index} of the multipart body"
        if part.defects or part.is_multipart():
            raise RequestError(f"{where} is not a form field{_defects(part)}")
        dispositions = part.get_all("content-disposition") or []
        if len(dispositions) != 1 or part.get_content_disposition() != "form-data":
            raise RequestError(f"{where} has no single Content-Disposition: form-data header")
        name = _param(part, "name", where)
        if name is None:
            raise RequestError(f"{where} has no name")
        filename = _param(part, "filename", where)
        shown_name = named(name.decode("utf-8", "backslashreplace"))
        encoding = part.get("content-transfer-encoding")
        if encoding is not None and str(encoding).strip().lower() not in _ALLOWED_CTE:
            raise RequestError(
                f"{where} ({shown_name}) has Content-Transfer-Encoding "
                f"{shown(str(encoding), 30)}, which the server does not decode (SPEC D13)",
                parameter=name.decode("utf-8", "backslashreplace"),
            )
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        if filename is None:
            pairs.append(RawPair(name, content, quoted=False))
            continue
        if document is not None:
            raise RequestError(
                f"{where} ({shown_name}) is a second file: a request carries one document "
                "(SPEC §7)",
                parameter=name.decode("utf-8", "backslashreplace"),
            )
        part_type = part.get("content-type")
        document = FilePart(name, filename, None if part_type is None else str(part_type), content)
        if len(pairs) + 1 > MAX_PARAMETERS:
            raise too_many(len(pairs) + 1)
    if len(pairs) > MAX_PARAMETERS:
        raise too_many(len(pairs))
    return pairs, document


class _RawHeaders(email.policy.Compat32):
    """The compat32 policy, but header values come back as read: ``Compat32`` turns a value with
    bytes outside ASCII into a ``Header`` whose text replaces them with U+FFFD, which would lose
    the bytes of a name or file name written in the request's charset."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_POLICY: Final = _RawHeaders()


def _parse_message(body: bytes, content_type: str) -> email.message.Message:
    parser = email.parser.BytesParser(policy=_POLICY)
    head = b"Content-Type: " + content_type.encode("ascii") + b"\r\n\r\n"
    probe = parser.parsebytes(head, headersonly=True)
    boundary = probe.get_boundary()
    if boundary is None:
        raise RequestError("the multipart/form-data content type names no boundary")
    # Bounded before parsing: the parts cannot outnumber the boundary's occurrences.
    count = body.count(b"--" + boundary.encode("ascii", "surrogateescape"))
    if count > MAX_PARAMETERS + 2:
        raise too_many(count - 1)
    try:
        return parser.parsebytes(head + body)
    except RecursionError:  # nested multiparts deep enough to exhaust the stack
        raise RequestError("the multipart body nests too deep") from None
    except Exception as exc:  # the parser's own failure is the body's (SPEC D11)
        raise RequestError(
            f"the body is not a valid multipart/form-data body ({type(exc).__name__})"
        ) from None


def _defects(message: email.message.Message) -> str:
    names = sorted({type(defect).__name__ for defect in message.defects})
    return f" ({', '.join(names)})" if names else ""


def _param(part: email.message.Message, name: str, where: str) -> bytes | None:
    try:
        value = part.get_param(name, header="content-disposition")
    except Exception:  # a header the parser cannot take apart
        raise RequestError(
            f"{where} has a Content-Disposition header that does not parse"
        ) from None
    if value is None:
        return None
    if not isinstance(value, str):
        # RFC 2231 (name*=utf-8''...): the server does not decode it, so client and server
        # would read different names (SPEC D13).
        raise RequestError(
            f"{where} encodes its {name} by RFC 2231, which the server does not read"
        )
    # The parser reads header bytes as ASCII with surrogate escapes: this gives them back.
    return value.encode("ascii", "surrogateescape")
