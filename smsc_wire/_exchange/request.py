"""Requests as values: build, parse and write the request half of the exchange (SPEC §7, D13).

Strategy: a :class:`Request` is its parameters, in wire order, as decoded text, plus an optional
document. Every way to make one — the six builders and the two parsers — ends in one private
constructor that checks what makes the exchange ambiguous (exactly one operation flag, digits in
``fmt``/``all``/``operators``, one value per name, a known ASCII-based charset), writes every
parameter in the request's charset once, and refuses what it cannot write back; so a request
that exists can always be sent and read back equal. Builders are strict on top (the operation's
required parameters, the authentication); parsers are lenient about whatever the server itself
answers with an error reply. The request knows its key and charset, so it decodes its own reply.
Secrets (``psw``, ``apikey``) are written only by :meth:`Request.url` and :meth:`Request.form`.
"""

from __future__ import annotations

import email.message
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Generic, cast

from smsc_wire._api import DEFAULT_MAX_SIZE, body_bytes, codec_name, decode
from smsc_wire._errors import SmscWireError, WireFormatError, shown
from smsc_wire._key import Key, Operation, R_co
from smsc_wire._values import MAX_UINT

from .errors import MASK, SECRETS, RequestError, named
from .form import (
    DEFAULT_CHARSET,
    MAX_PARAMETERS,
    MAX_SIZE,
    MULTIPART,
    URLENCODED,
    Document,
    FilePart,
    Form,
    RawPair,
    check_boundary,
    content_type_of,
    header_safe,
    is_str,
    multipart_chunks,
    new_boundary,
    parse_multipart,
    query_of,
    query_string,
    request_codec,
    split_query,
    too_large,
    too_many,
)

if TYPE_CHECKING:
    from smsc_wire._models import ErrorReply, Ok, SenderAdded, SenderList

DEFAULT_BASE: Final = "https://smsc.ru"
"""The service's host that :meth:`Request.url` and :meth:`Request.endpoint` use by default."""

PATH: Final = "/sys/senders.php"

OPERATION_FLAGS: Final = tuple(op.value for op in Operation)
"""The query flags that name an operation (SPEC §1): ``get``, ``add``, ``chg``, ...``del``."""
_OPERATIONS: Final = {op.value: op for op in Operation}
"""The operation of each flag: a dict look-up, where calling the enum costs a microsecond."""

OPERATOR_FLAGS: Final = (
    "mega_step", "bee_step", "motiv_step", "sber_step", "winmob_step", "volnamob_step",
    "mts_step", "tele2_step", "tele2", "motiv", "mega_int", "motiv_int", "mts_int", "ua_reg",
    "ua_int", "by_reg",
)  # fmt: skip
"""The per-operator registration flags SPEC §7 lists, in its order (the list is open-ended)."""

REGISTRATION_FIELDS: Final = (
    "fio", "inn", "site", "email", "address", "desc", "subj",
    "by_fio", "by_inn", "by_address", "by_ocup",
)  # fmt: skip
"""The registration fields of ``ua_reg``/``ua_int`` and ``by_reg`` (SPEC §7), in its order."""

_FLAG_NAME: Final = re.compile(r"[a-z0-9_]+")
_NUMBERS: Final = ("fmt", "all", "operators")
_AUTH: Final = ("login", "psw", "apikey")
_DIGITS_LIMIT: Final = 18  # enough for any fmt and flag; int() of more is a cost, not a value
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_KEYWORDS: Final[dict[str, frozenset[str]]] = {
    "get": frozenset({"all", "operators"}),
    "add": frozenset({"sender", "cmt", "mail", "name", "doc_info", *OPERATOR_FLAGS}),
    "chg": frozenset({"sender", "id", "cmt", "mail", "name", "doc_info", *OPERATOR_FLAGS}),
    "send_code": frozenset({"sender"}),
    "check_code": frozenset({"sender", "code"}),
    "del": frozenset({"sender", "id"}),
}
_RESERVED: Final = frozenset({*OPERATION_FLAGS, *_AUTH, "fmt", "charset"})

Params = Mapping[str, str | int] | Iterable[tuple[str, str | int]]
"""Other parameters for a builder: a mapping or pairs, written in the order given."""


@dataclass(frozen=True, slots=True, init=False, eq=False, repr=False)
class Request(Generic[R_co]):
    """One request to ``senders.php``: the operation, its parameters in order, the
    authentication and an optional document (SPEC §7, D13). Immutable; generic in the success
    model of its reply like :class:`~smsc_wire.Key`.

    Build one with a builder — :meth:`get`, :meth:`add`, :meth:`chg`, :meth:`send_code`,
    :meth:`check_code`, :meth:`delete` — or read one with :meth:`from_url` or :meth:`from_form`.
    Send :meth:`url` (GET) or :meth:`form` (POST), and read the reply with :meth:`decode`, which
    knows the request's key and charset.

    >>> request = Request.get(all=True, fmt=3, login="shop", psw="secret")
    >>> request
    Request(operation='get', parameters={'get': '1', 'login': 'shop', 'psw': '***', 'all': '1', 'fmt': '3'}, document=None)
    >>> request.url()
    'https://smsc.ru/sys/senders.php?get=1&login=shop&psw=secret&all=1&fmt=3'
    >>> request.key
    Key(fmt=3, operation=<Operation.GET: 'get'>, all=True, operators=False)
    >>> request.decode(b'[{"sender": "Shop", "status": 1, "id": 7}]')
    SenderList(senders=(Sender(name='Shop', id=7, status=<SenderStatus.APPROVED: 1>, operators=None),))

    Equality compares everything that is sent: the parameters, in order, secrets included, and
    the document. Parsing keeps the order it reads; building writes the documented order.
    """  # noqa: E501

    operation: Operation
    document: Document | None
    _pairs: tuple[tuple[str, str], ...] = field(repr=False)
    _wire: tuple[tuple[bytes, bytes], ...] = field(repr=False)
    _query: str = field(repr=False)
    _params: MappingProxyType[str, str] = field(repr=False)
    _charset: str | None = field(repr=False)
    _numbers: tuple[int, int, int] = field(repr=False)

    def __init__(self) -> None:
        raise TypeError(
            "build a Request with Request.get(), .add(), ... or parse one with .from_url()"
        )

    # --- the one constructor --------------------------------------------------------------------

    @classmethod
    def _make(
        cls,
        pairs: Sequence[tuple[str, str]],
        document: Document | None,
        known: Sequence[tuple[bytes | None, bytes | None]] | None = None,
        *,
        whole: bool = False,
    ) -> Request:
        """Check ``pairs`` (SPEC D13), write them in the request's charset, and hold them.

        ``known`` (from a parsed request) holds the bytes a name or value was read from where
        writing its text again is sure to give them back: they are not written twice;
        ``whole`` says that it holds them all.
        """
        if len(pairs) > MAX_PARAMETERS:
            raise too_many(len(pairs))
        seen: set[str] = set()
        operation: str | None = None
        numbers = {"fmt": 0, "all": 0, "operators": 0}
        charset: str | None = None
        for name, value in pairs:
            if name in seen:
                raise RequestError(
                    f"{named(name)} is given twice: one value per parameter (SPEC D13)",
                    parameter=name,
                )
            seen.add(name)
            if name in OPERATION_FLAGS:
                if value != "1":
                    raise RequestError(
                        f"the operation flag {name} must be 1, not {shown(value, 20)} (SPEC D13)",
                        parameter=name,
                    )
                if operation is not None:
                    raise RequestError(
                        f"two operations, {operation}=1 and {name}=1: a request names exactly "
                        "one (SPEC D13)",
                        parameter=name,
                    )
                operation = name
            elif name in numbers:
                digit = _DIGIT.get(value)
                numbers[name] = _digits(name, value) if digit is None else digit
            elif name == "charset":
                charset = value
        if operation is None:
            raise RequestError(
                "no operation: a request needs one of get=1, add=1, chg=1, send_code=1, "
                "check_code=1 or del=1 (SPEC D13)"
            )
        label = DEFAULT_CHARSET if charset is None else charset
        encoding = request_codec(label)
        if known is None:
            known = [(None, None)] * len(pairs)
        wire: tuple[tuple[bytes, bytes], ...]
        if whole:
            wire = cast("tuple[tuple[bytes, bytes], ...]", tuple(known))
        else:
            wire = tuple(
                (
                    _encode(name, name, encoding, label) if name_data is None else name_data,
                    _encode(name, value, encoding, label, value=True)
                    if value_data is None
                    else value_data,
                )
                for (name, value), (name_data, value_data) in zip(pairs, known, strict=True)
            )
        query = query_string(wire)
        if len(query) > MAX_SIZE:
            raise RequestError(
                f"the request would be {len(query)} bytes written out, over the limit of "
                f"{MAX_SIZE} that from_url and from_form read (SPEC D11)"
            )
        if document is not None:
            _check_multipart(wire, document, encoding, label)
            part = _file_part(document, encoding, label)
            size = sum(map(len, multipart_chunks(wire, part, b"-" * 42)))
            if size > MAX_SIZE:
                raise RequestError(
                    f"the request would be {size} bytes written out, over the limit of "
                    f"{MAX_SIZE} that from_form reads (SPEC D11)",
                    parameter=document.field,
                )
        request: Request = object.__new__(Request)
        set_ = object.__setattr__
        set_(request, "operation", _OPERATIONS[operation])
        set_(request, "document", document)
        set_(request, "_pairs", tuple(pairs))
        set_(request, "_wire", wire)
        set_(request, "_query", query)
        set_(request, "_params", MappingProxyType({n: v for n, v in pairs if n not in SECRETS}))
        set_(request, "_charset", charset)
        set_(request, "_numbers", (numbers["fmt"], numbers["all"], numbers["operators"]))
        return request

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Request):
            return NotImplemented
        return self._pairs == other._pairs and self.document == other.document

    def __hash__(self) -> int:
        return hash((self._pairs, self.document))

    def __repr__(self) -> str:
        shown_pairs = {n: (MASK if n in SECRETS else v) for n, v in self._pairs}
        return (
            f"Request(operation={self.operation.value!r}, parameters={shown_pairs!r}, "
            f"document={self.document!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_restore, (self._pairs, self.document))

    # --- what the request says ------------------------------------------------------------------

    @property
    def key(self) -> Key[R_co]:
        """The key of the reply (SPEC §1, D13): the operation, ``fmt`` (0 when absent), and for
        ``get`` the ``all`` and ``operators`` flags (0 when absent)."""
        fmt, all_, operators = self._numbers
        return cast("Key[R_co]", _key(fmt, self.operation, bool(all_), bool(operators)))

    @property
    def charset(self) -> str:
        """The charset the request names, as written, or ``windows-1251`` when it names none
        (the service's default, SPEC D10)."""
        return DEFAULT_CHARSET if self._charset is None else self._charset

    @property
    def params(self) -> Mapping[str, str]:
        """Every parameter but ``psw`` and ``apikey``, in order, as decoded text (read-only)."""
        return self._params

    # --- writing --------------------------------------------------------------------------------

    @staticmethod
    def endpoint(base: str = DEFAULT_BASE) -> str:
        """The URL requests are sent to: ``base`` + ``/sys/senders.php``.

        ``base`` is the service's host (``https://smsc.ru``, ``https://smsc.kz``, a test
        server); one that already ends in ``senders.php`` is used as it is.

        >>> Request.endpoint("https://smsc.kz/")
        'https://smsc.kz/sys/senders.php'
        """
        if not is_str(base) or "?" in base or "#" in base:
            raise RequestError(
                f"base must be a URL without a query or fragment, not {shown(base, 60)}",
                parameter=None,
            )
        base = str.__str__(base)
        if base.endswith("senders.php"):
            return base
        return base.rstrip("/") + PATH

    def url(self, base: str = DEFAULT_BASE) -> str:
        """The URL of a GET request, secrets included: what is sent.

        A request with a document has no URL form (the file travels in a POST body): that
        raises :class:`RequestError`; send :meth:`form` instead.

        >>> Request.delete(id=7, apikey="k").url("https://smsc.kz")
        'https://smsc.kz/sys/senders.php?del=1&apikey=k&id=7'
        """
        if self.document is not None:
            raise RequestError(
                "a document travels only in a multipart/form-data POST body: send .form() "
                "(SPEC §7)",
                parameter=self.document.field,
            )
        return f"{Request.endpoint(base)}?{self._query}"

    def form(self, *, multipart: bool | None = None, boundary: str | None = None) -> Form:
        """The body of a POST request and its content type, secrets included: what is sent.

        ``application/x-www-form-urlencoded``, or ``multipart/form-data`` when a document is
        attached (or ``multipart=True``). ``boundary`` fixes the multipart boundary (a random
        one by default), for reproducible bytes. POST it to :meth:`endpoint`.

        >>> Request.send_code("79991234567", login="shop", psw="secret").form()
        Form(body=b'send_code=1&login=shop&psw=secret&sender=79991234567', content_type='application/x-www-form-urlencoded')
        """  # noqa: E501
        if multipart is None:
            multipart = self.document is not None
        if not multipart:
            if self.document is not None:
                raise RequestError(
                    "a document travels only in a multipart/form-data body (SPEC §7)",
                    parameter=self.document.field,
                )
            return Form(self._query.encode("ascii"), URLENCODED)
        encoding = request_codec(self.charset)
        if self.document is None:
            _check_multipart(self._wire, None, encoding, self.charset)
        part = None if self.document is None else _file_part(self.document, encoding, self.charset)
        contents = [value for _, value in self._wire]
        if part is not None:
            contents.append(part.content)
        if boundary is None:
            boundary = new_boundary()
            while any(boundary.encode("ascii") in value for value in contents):
                boundary = new_boundary()  # never in practice: 128 random bits
        else:
            boundary = check_boundary(boundary)
            if any(boundary.encode("ascii") in value for value in contents):
                raise RequestError(f"boundary {boundary!r} occurs in the body")
        body = b"".join(multipart_chunks(self._wire, part, boundary.encode("ascii")))
        if len(body) > MAX_SIZE:
            raise RequestError(
                f"the multipart body would be {len(body)} bytes, over the limit of {MAX_SIZE} "
                "that from_form reads (SPEC D11)"
            )
        return Form(body, f"{MULTIPART}; boundary={boundary}")

    # --- reading the reply ----------------------------------------------------------------------

    def decode(
        self,
        body: bytes | bytearray | memoryview | str,
        *,
        content_type: str | None = None,
        max_size: int = DEFAULT_MAX_SIZE,
    ) -> R_co | ErrorReply:
        """Decode the reply to this request: ``decode(body, self.key, charset=self.charset)``.

        ``content_type`` is the reply's ``Content-Type`` header, if you have it. Its charset
        never overrides the request's (SPEC D10); but when the body does not decode and the
        header named another charset, the :class:`~smsc_wire.WireFormatError` says so.

        >>> request = Request.add("Shop", cmt="our shop", apikey="k")
        >>> request.decode(b"ID = 42")
        SenderAdded(id=42)
        """
        try:
            return cast(
                "R_co | ErrorReply",
                decode(body, self.key, charset=self.charset, max_size=max_size),
            )
        except WireFormatError as exc:
            other = _other_charset(content_type, self.charset)
            if other is None or type(exc) is not WireFormatError:
                raise
            raise WireFormatError(
                f"{exc.reason}; the reply's Content-Type names charset {shown(other, 40)}, but "
                f"the request's charset ({self.charset}) is what the server writes in (SPEC D10)",
                key=exc.key,
                line=exc.line,
                column=exc.column,
                offset=exc.offset,
                excerpt=exc.excerpt,
            ) from exc

    # --- parsers --------------------------------------------------------------------------------

    @classmethod
    def from_url(
        cls, url: str | bytes | bytearray | memoryview
    ) -> Request[SenderList | SenderAdded | Ok]:
        """The request a URL, a path with a query, or a bare query string makes (SPEC D13).

        Values are percent-decoded (``+`` is a space) and decoded with the request's own
        charset, windows-1251 when it names none; characters outside ASCII in a ``str`` stand
        for themselves. Lenient about what the server answers with an error reply (a missing
        ``sender``), strict about what is ambiguous: :class:`RequestError` for no or two
        operation flags, a flag that is not ``1``, a ``fmt``/``all``/``operators`` that is not
        digits, a parameter given twice, a value that does not decode, an unknown charset, or a
        URL over 4 MiB (:data:`~smsc_wire.MAX_REQUEST_SIZE`). Nothing else escapes.

        >>> request = Request.from_url("https://smsc.ru/sys/senders.php?del=1&login=a&psw=b&sender=%C5%EB%EA%E0")
        >>> request.operation, request.params["sender"], request.key
        (<Operation.DEL: 'del'>, 'Елка', Key(fmt=0, operation=<Operation.DEL: 'del'>, all=False, operators=False))
        """  # noqa: E501
        query = query_of(url)
        parsed = _parse_ascii(query)
        return _parse(split_query(query), None) if parsed is None else parsed

    @classmethod
    def from_form(
        cls,
        body: bytes | bytearray | memoryview | str,
        content_type: str,
        *,
        url: str | bytes | bytearray | memoryview | None = None,
    ) -> Request[SenderList | SenderAdded | Ok]:
        """The request a POST body makes: ``application/x-www-form-urlencoded`` or
        ``multipart/form-data`` (with the document), as :meth:`form` writes or a client sends.

        ``url``, if given, is the URL the body was posted to: parameters in its query string
        count too, before the body's. The rules are :meth:`from_url`'s; a body over 4 MiB is
        refused before it is parsed, and a multipart body is read by the standard library's
        email parser (a defect it reports is a :class:`RequestError`). The Content-Type's
        charset, if any, is ignored: the ``charset`` parameter decides (SPEC D10).

        >>> Request.from_form(*Request.get(apikey="k").form()) == Request.get(apikey="k")
        True
        """
        media_type, header = content_type_of(content_type)
        pairs = [] if url is None else split_query(query_of(url))
        if isinstance(body, str):
            text = str.__str__(body)
            if len(text) > MAX_SIZE:
                raise too_large(len(text), "body", "characters")
            data: str | bytes = text
        else:
            raw = _bytes_of(body)
            if len(raw) > MAX_SIZE:
                raise too_large(len(raw), "body", "bytes")
            data = raw
        if media_type == URLENCODED:
            return _parse(pairs + split_query(data), None)
        if media_type == MULTIPART:
            if isinstance(data, str):
                raise RequestError(
                    "a multipart/form-data body must be given as bytes: its parts may hold any "
                    "bytes"
                )
            fields, part = parse_multipart(data, header)
            if len(pairs) + len(fields) > MAX_PARAMETERS:
                raise too_many(len(pairs) + len(fields))
            return _parse(pairs + fields, part)
        raise RequestError(
            f"content type {shown(header, 60)} is not a form: expected {URLENCODED} or {MULTIPART}"
        )

    # --- builders -------------------------------------------------------------------------------

    @classmethod
    def get(
        cls,
        *,
        all: bool = False,
        operators: bool = False,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        params: Params = (),
    ) -> Request[SenderList]:
        """List the sender names: ``get=1`` (SPEC §3, §7).

        ``all=True`` lists every name with its status; ``operators=True`` gives the
        per-operator registration status (not with ``fmt=1``, which has no such form, SPEC D1).

        >>> Request.get(operators=True, fmt=0, apikey="k").key
        Key(fmt=0, operation=<Operation.GET: 'get'>, all=False, operators=True)
        """
        builder = _Builder("get", login, psw, apikey)
        builder.flag("all", all)
        builder.flag("operators", operators)
        if operators and fmt == 1:
            raise RequestError(
                "fmt=1 with operators=1 has no documented reply form: use fmt 0, 2 or 3 (SPEC D1)",
                parameter="operators",
            )
        return cast("Request[SenderList]", builder.finish(fmt, charset, params, None))

    @classmethod
    def add(
        cls,
        sender: str,
        *,
        cmt: str | None = None,
        operators: Iterable[str] = (),
        fields: Mapping[str, str] | None = None,
        mail: bool = False,
        name: str | None = None,
        document: Document | None = None,
        doc_info: str | None = None,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        params: Params = (),
    ) -> Request[SenderAdded]:
        """Create a sender name: ``add=1&sender=S`` (SPEC §4, §7).

        ``operators`` names the per-operator registration flags to set (each written ``=1``:
        the documented ones in SPEC §7's order, then others in the order given); ``fields`` the
        registration fields (``fio``, ``inn``, ``site``, ``email``, ``address``, ``desc``,
        ``subj``, ``by_fio``, ``by_inn``, ``by_address``, ``by_ocup``); ``mail=True`` with
        ``name`` adds an e-mail sender; ``document`` with ``doc_info`` attaches a file.

        >>> Request.add("Shop", operators=("tele2", "mega_step"), fields={"inn": "7701"},
        ...             apikey="k").url()
        'https://smsc.ru/sys/senders.php?add=1&apikey=k&sender=Shop&mega_step=1&tele2=1&inn=7701'
        """
        builder = _Builder("add", login, psw, apikey)
        builder.text("sender", sender, required=True)
        builder.text("cmt", cmt)
        builder.registration(
            operators=operators,
            fields=fields,
            mail=mail,
            name=name,
            document=document,
            doc_info=doc_info,
        )
        return cast("Request[SenderAdded]", builder.finish(fmt, charset, params, document))

    @classmethod
    def chg(
        cls,
        *,
        sender: str | None = None,
        id: int | str | None = None,
        cmt: str | None = None,
        operators: Iterable[str] = (),
        fields: Mapping[str, str] | None = None,
        mail: bool = False,
        name: str | None = None,
        document: Document | None = None,
        doc_info: str | None = None,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        params: Params = (),
    ) -> Request[Ok]:
        """Change a sender name, found by ``sender`` or ``id`` (one of them): ``chg=1``.

        Takes what :meth:`add` takes besides.

        >>> Request.chg(id=7, cmt="new comment", apikey="k").params
        mappingproxy({'chg': '1', 'id': '7', 'cmt': 'new comment'})
        """
        builder = _Builder("chg", login, psw, apikey)
        builder.target(sender, id)
        builder.text("cmt", cmt)
        builder.registration(
            operators=operators,
            fields=fields,
            mail=mail,
            name=name,
            document=document,
            doc_info=doc_info,
        )
        return cast("Request[Ok]", builder.finish(fmt, charset, params, document))

    @classmethod
    def send_code(
        cls,
        sender: str,
        *,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        params: Params = (),
    ) -> Request[Ok]:
        """Send a confirmation code for a digital sender name (a phone number): ``send_code=1``.

        >>> Request.send_code("79991234567", apikey="k").operation
        <Operation.SEND_CODE: 'send_code'>
        """
        builder = _Builder("send_code", login, psw, apikey)
        builder.text("sender", sender, required=True)
        return cast("Request[Ok]", builder.finish(fmt, charset, params, None))

    @classmethod
    def check_code(
        cls,
        sender: str,
        code: str | int,
        *,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        params: Params = (),
    ) -> Request[Ok]:
        """Confirm a digital sender name with the code it received: ``check_code=1``.

        >>> Request.check_code("79991234567", "0451", apikey="k").params["code"]
        '0451'
        """
        builder = _Builder("check_code", login, psw, apikey)
        builder.text("sender", sender, required=True)
        builder.code(code)
        return cast("Request[Ok]", builder.finish(fmt, charset, params, None))

    @classmethod
    def delete(
        cls,
        *,
        sender: str | None = None,
        id: int | str | None = None,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        params: Params = (),
    ) -> Request[Ok]:
        """Delete a sender name, found by ``sender`` or ``id`` (one of them): ``del=1``.

        >>> Request.delete(sender="Shop", login="shop", psw="secret")
        Request(operation='del', parameters={'del': '1', 'login': 'shop', 'psw': '***', 'sender': 'Shop'}, document=None)
        """  # noqa: E501
        builder = _Builder("del", login, psw, apikey)
        builder.target(sender, id)
        return cast("Request[Ok]", builder.finish(fmt, charset, params, None))


def _restore(pairs: tuple[tuple[str, str], ...], document: Document | None) -> Request:
    return Request._make(pairs, document)


# --- checks shared by every way of making a request ---------------------------------------------


@lru_cache(maxsize=256)
def _key(fmt: int, operation: Operation, all_: bool, operators: bool) -> Key:
    # One Key object per key in use, not one per request: decode remembers a key's reader on
    # the Key object, and a HAR or a client's requests use few keys over and over.
    return Key(fmt, operation, all_, operators)


_DIGIT: Final = {str(n): n for n in range(10)}
"""What fmt, all and operators almost always are: read without _digits' checks."""


def _digits(name: str, value: str) -> int:
    # SPEC D13: fmt, all and operators are decimal digits (ASCII; str.isdigit alone takes '²').
    if not value or not value.isascii() or not value.isdigit():
        raise RequestError(
            f"{name} must be decimal digits, not {shown(value, 20)} (SPEC D13)", parameter=name
        )
    significant = value.lstrip("0")
    if len(significant) > _DIGITS_LIMIT:
        raise RequestError(f"{name} {shown(value, 20)} is out of range", parameter=name)
    return int(significant or "0")


def _encode(name: str, text: str, encoding: str, label: str, *, value: bool = False) -> bytes:
    """``text`` (the name, or the ``value`` of parameter ``name``) in the request's charset
    (the codec ``encoding``; ``label`` is the charset as the request names it, for messages)."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        what = f"the value of {named(name)}" if value else f"the name {named(name)}"
        if value and name in SECRETS:
            where = ""  # SPEC D13: not one character of a secret is shown
        else:
            where = f" ({shown(text[exc.start : exc.end], 10)} at position {exc.start})"
        raise RequestError(
            f"{what} cannot be written in {label}{where}: the request's charset cannot carry "
            "it (SPEC D13)",
            parameter=name,
        ) from None
    except Exception:  # a codec failing in a way of its own
        what = f"the value of {named(name)}" if value else f"the name {named(name)}"
        raise RequestError(f"{what} cannot be written in {label}", parameter=name) from None
    try:
        back = data.decode(encoding)
    except Exception:  # a codec that cannot read what it wrote
        back = None
    if back != text:
        raise RequestError(
            f"{what} does not read back unchanged in {label} (SPEC D13)", parameter=name
        )
    return data


def _check_multipart(
    wire: Sequence[tuple[bytes, bytes]], document: Document | None, encoding: str, label: str
) -> None:
    names = {name for name, _ in wire}
    for name, _ in wire:
        if not header_safe(name):
            text = name.decode(encoding)
            raise RequestError(
                f"the name {named(text)} cannot be written in a multipart/form-data part header "
                "(a quote, backslash, CR, LF or NUL)",
                parameter=text,
            )
    if document is not None:
        part = _file_part(document, encoding, label)
        if part.field in names:
            raise RequestError(
                f"{named(document.field)} is given twice: as a parameter and as the document's "
                "part (SPEC D13)",
                parameter=document.field,
            )


def _file_part(document: Document, encoding: str, label: str) -> FilePart:
    # Names and file names are written in the request's charset, as browsers write them in
    # the form's; the server reads header bytes as they are.
    field_bytes = _encode(document.field, document.field, encoding, label)
    filename = _encode(document.field, document.filename, encoding, label, value=True)
    for data, what in ((field_bytes, "field name"), (filename, "file name")):
        if not header_safe(data):
            raise RequestError(
                f"the document's {what} cannot be written in a multipart header in {label}",
                parameter=document.field,
            )
    return FilePart(field_bytes, filename, document.content_type, document.content)


def _other_charset(content_type: str | None, charset: str) -> str | None:
    """The Content-Type's charset if it names another codec than the request's, else None."""
    if content_type is None:
        return None
    try:
        message = email.message.Message()
        message["Content-Type"] = str.__str__(content_type)[:1000]
        named_charset = message.get_param("charset")
    except Exception:  # a header that does not parse names no charset
        return None
    if not isinstance(named_charset, str):
        return None
    try:
        if codec_name(named_charset) == codec_name(charset):
            return None
    except SmscWireError:
        pass  # an unknown name in the header is "another charset" all the same
    return named_charset


def _bytes_of(body: object) -> bytes:
    data = body_bytes(body)
    if data is None:
        raise TypeError(f"body must be bytes or str, not {type(body).__name__}")
    return data


# --- parsing ------------------------------------------------------------------------------------


def _parse(raw: list[RawPair], part: FilePart | None) -> Request:
    """Decode raw parameters with the request's own charset (SPEC D13), then check them."""
    charset = _charset_of(raw)
    label = DEFAULT_CHARSET if charset is None else charset
    encoding = request_codec(label)
    pairs: list[tuple[str, str]] = []
    # Bytes that are sure to be written back as they are, which _make then does not write
    # again: any in UTF-8 (strict decoding, no lone surrogate), ASCII in any request charset
    # (request_codec takes only charsets that read and write ASCII as itself). Reading a HAR's
    # requests spent a fifth of its time writing them back (issue 12).
    same = encoding == "utf-8"
    known: list[tuple[bytes | None, bytes | None]] = []
    for pair in raw:
        plain = _plain(pair.name, pair.quoted)
        if plain is None:
            name_data = _name_bytes(pair, encoding, label)
            name = _text(name_data, encoding, label, "a parameter name", None)
        else:
            name_data, name = plain
        plain = _plain(pair.value, pair.quoted)
        if plain is None:
            value_data = _value_bytes(pair, name, encoding, label)
            value = _text(value_data, encoding, label, None, name)
        else:
            value_data, value = plain
        pairs.append((name, value))
        known.append(
            (
                name_data if same or name_data.isascii() else None,
                value_data if same or value_data.isascii() else None,
            )
        )
    document = None
    if part is not None:
        field_name = _text(part.field, encoding, label, "the name of the document's part", None)
        filename = _text(part.filename, encoding, label, "the document's file name", field_name)
        document = Document(filename, part.content, part.content_type, field=field_name)
    return Request._make(pairs, document, known)


def _parse_ascii(query: str | bytes) -> Request | None:
    """:func:`_parse` of a query that is ASCII with nothing to unquote, or ``None`` for another.

    Every piece of such a query is plain (see :func:`_plain`): its text is its bytes in every
    request charset, so the query is read in a few calls, not a few per piece. Most URLs a
    client sends or a HAR holds are so (issue 12). Errors are :func:`_parse`'s, in its order.
    """
    if type(query) is not str or not query.isascii() or "%" in query or "+" in query:
        return None
    pieces = [piece.partition("=") for piece in query.split("&") if piece]
    pairs = [(name, value) for name, _, value in pieces]
    if len(pairs) > MAX_PARAMETERS:
        raise too_many(len(pairs))
    charset = None
    for name, value in pairs:
        if name == "charset":
            if charset is not None:
                raise RequestError(
                    "'charset' is given twice: one value per parameter (SPEC D13)",
                    parameter="charset",
                )
            charset = value
    request_codec(DEFAULT_CHARSET if charset is None else charset)  # its error comes first
    known = [(name.encode("ascii"), value.encode("ascii")) for name, value in pairs]
    return Request._make(pairs, None, known, whole=True)


def _plain(piece: str | bytes, quoted: bool) -> tuple[bytes, str] | None:
    """A piece that is ASCII with nothing to unquote, as its bytes and its text; else ``None``.

    Such a piece reads the same in every request charset (request_codec takes only charsets that
    read ASCII as itself) and holds no surrogate: most of a request's names and values are so,
    and each is then read in one call instead of four (issue 12).
    """
    if isinstance(piece, str):
        if piece.isascii() and not (quoted and ("%" in piece or "+" in piece)):
            return piece.encode("ascii"), piece
    elif piece.isascii() and not (quoted and (b"%" in piece or b"+" in piece)):
        return piece, piece.decode("ascii")
    return None


_CHARSET_NAMES: Final = frozenset({"charset", b"charset"})


def _charset_of(raw: list[RawPair]) -> str | None:
    # The charset parameter is found before anything is decoded: its name and value are ASCII
    # in every charset a request may use (a lone surrogate of a str URL is simply not ASCII).
    found: str | None = None
    for pair in raw:
        name = pair.name
        if name not in _CHARSET_NAMES and _plain(name, pair.quoted) is not None:
            continue  # plainly another name
        if pair.name_bytes(errors="surrogatepass") != b"charset":
            continue
        if found is not None:
            raise RequestError(
                "'charset' is given twice: one value per parameter (SPEC D13)", parameter="charset"
            )
        value = pair.value_bytes(errors="surrogatepass")
        if not value.isascii():
            raise RequestError(
                f"unknown charset {shown(value.decode('utf-8', 'replace'), 40)}: a charset name "
                "is ASCII (SPEC D10)",
                parameter="charset",
            )
        found = value.decode("ascii")
    return found


def _name_bytes(pair: RawPair, encoding: str, label: str) -> bytes:
    try:
        return pair.name_bytes(encoding)
    except UnicodeError:
        text = str(pair.name)
        raise RequestError(
            f"the name {named(text)} holds a character {label} cannot carry: percent-encode "
            "it (SPEC D13)",
            parameter=text,
        ) from None


def _value_bytes(pair: RawPair, name: str, encoding: str, label: str) -> bytes:
    try:
        return pair.value_bytes(encoding)
    except UnicodeError:
        raise RequestError(
            f"the value of {named(name)} holds a character {label} cannot carry: "
            "percent-encode it (SPEC D13)",
            parameter=name,
        ) from None


def _text(data: bytes, encoding: str, label: str, what: str | None, name: str | None) -> str:
    """``data`` decoded as the server reads it; a failure is a RequestError naming ``name``.

    ``what`` names the text in the message; ``None``: the value of ``name``. Messages are only
    written when there is one to give: a valid request is read by the thousand from captures.
    """
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        what, parameter = _what(data, encoding, what, name)
        if name in SECRETS:
            where = ""  # SPEC D13: not one byte of a secret is shown
        else:
            where = f" (byte {data[exc.start : exc.start + 1].hex()} at offset {exc.start})"
        raise RequestError(
            f"{what} is not valid {label}{where} (SPEC D13)", parameter=parameter
        ) from None
    except Exception:  # a codec failing in a way of its own
        what, parameter = _what(data, encoding, what, name)
        raise RequestError(f"{what} is not valid {label} (SPEC D13)", parameter=parameter) from None
    if _SURROGATE.search(text):
        what, parameter = _what(data, encoding, what, name)
        raise RequestError(
            f"{what} decodes to a lone surrogate in {label} (SPEC D13)", parameter=parameter
        )
    return text


def _what(data: bytes, encoding: str, what: str | None, name: str | None) -> tuple[str, str]:
    """How a message names the text ``data`` of :func:`_text`, and the parameter at fault."""
    parameter = name if name is not None else data.decode(encoding, "backslashreplace")
    return (f"the value of {named(str(name))}" if what is None else what), parameter


# --- building -----------------------------------------------------------------------------------


class _Builder:
    """Collects a built request's parameters in the documented order (SPEC D13)."""

    def __init__(self, operation: str, login: object, psw: object, apikey: object) -> None:
        self.operation = operation
        self.pairs: list[tuple[str, str]] = [(operation, "1")]
        if apikey is not None and (login is not None or psw is not None):
            raise RequestError(
                "give login and psw, or apikey, not both (SPEC §7)", parameter="apikey"
            )
        if apikey is not None:
            self.text("apikey", apikey, required=True)
        elif login is None and psw is None:
            raise RequestError(
                "no authentication: give login and psw, or apikey (SPEC §7)", parameter="login"
            )
        elif psw is None:
            raise RequestError("login needs psw (SPEC §7)", parameter="psw")
        elif login is None:
            raise RequestError("psw needs login (SPEC §7)", parameter="login")
        else:
            self.text("login", login, required=True)
            self.text("psw", psw, required=True)

    def text(self, name: str, value: object, *, required: bool = False) -> None:
        if value is None:
            if required:
                raise RequestError(f"{self.operation} needs {name} (SPEC §7)", parameter=name)
            return
        if not isinstance(value, str):
            raise RequestError(f"{name} must be a str, not {type(value).__name__}", parameter=name)
        text = str.__str__(value)  # a subclass cannot change what is written
        if required and not text:
            raise RequestError(f"{name} must not be empty (SPEC §7)", parameter=name)
        self.pairs.append((name, text))

    def flag(self, name: str, on: object) -> None:
        if on:
            self.pairs.append((name, "1"))

    def number(self, name: str, value: object) -> None:
        if isinstance(value, str):
            text = str.__str__(value)
            if not text or not text.isascii() or not text.isdigit():
                raise RequestError(
                    f"{name} must be decimal digits, not {shown(text, 20)}", parameter=name
                )
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_UINT:
            text = int.__repr__(value)  # the value, never a subclass's own str()
        else:
            raise RequestError(
                f"{name} must be an int from 0 to 2**63-1 or decimal digits, not "
                f"{shown(value, 30)}",
                parameter=name,
            )
        self.pairs.append((name, text))

    def target(self, sender: object, id: object) -> None:
        # SPEC §7: chg and del find the sender name by sender or by id, not both.
        if sender is not None and id is not None:
            raise RequestError(
                f"{self.operation} takes sender or id, not both (SPEC §7)", parameter="id"
            )
        if sender is None and id is None:
            raise RequestError(f"{self.operation} needs sender or id (SPEC §7)", parameter="sender")
        if id is None:
            self.text("sender", sender, required=True)
        else:
            self.number("id", id)

    def code(self, code: object) -> None:
        if isinstance(code, int) and not isinstance(code, bool):
            self.number("code", code)
        else:
            self.text("code", code, required=True)

    def registration(
        self,
        *,
        operators: object,
        fields: object,
        mail: object,
        name: object,
        document: object,
        doc_info: object,
    ) -> None:
        """The operator flags, registration fields, e-mail sender and document (SPEC §7)."""
        if isinstance(operators, (str, bytes)) or not isinstance(operators, Iterable):
            raise RequestError(
                "operators must be an iterable of flag names, such as ('mega_step', 'tele2')",
                parameter="operators",
            )
        given: list[str] = []
        for item in operators:
            if not isinstance(item, str) or not _FLAG_NAME.fullmatch(item):
                raise RequestError(
                    f"operator flag {shown(item, 40)} must be lower-case letters, digits and _ "
                    "(SPEC §7, D4)",
                    parameter="operators",
                )
            flag = str.__str__(item)
            if flag in given:
                raise RequestError(f"operator flag {flag!r} is given twice", parameter=flag)
            if flag in _RESERVED or flag in _KEYWORDS[self.operation] - set(OPERATOR_FLAGS):
                raise RequestError(
                    f"{flag!r} is not an operator flag: it is a parameter of its own",
                    parameter=flag,
                )
            if flag in REGISTRATION_FIELDS:
                raise RequestError(
                    f"{flag!r} is a registration field: pass it in fields=", parameter=flag
                )
            given.append(flag)
        # Documented flags in SPEC §7's order, then the others as given (like D4's encoder).
        ordered = [f for f in OPERATOR_FLAGS if f in given] + [
            f for f in given if f not in OPERATOR_FLAGS
        ]
        self.pairs.extend((flag, "1") for flag in ordered)
        if fields is not None:
            if not isinstance(fields, Mapping):
                raise RequestError(
                    "fields must be a mapping such as {'fio': ..., 'inn': ...}", parameter="fields"
                )
            for key in fields:
                if key not in REGISTRATION_FIELDS:
                    raise RequestError(
                        f"{shown(key, 40)} is not a registration field: expected one of "
                        f"{', '.join(REGISTRATION_FIELDS)}; pass other parameters in params=",
                        parameter="fields",
                    )
            for key in REGISTRATION_FIELDS:
                if key in fields:
                    self.text(key, fields[key], required=False)
        if mail and name is None:
            raise RequestError(
                "mail=True needs the e-mail sender's name (SPEC §7)", parameter="name"
            )
        if name is not None and not mail:
            raise RequestError(
                "name is the e-mail sender's name: it needs mail=True (SPEC §7)", parameter="mail"
            )
        if mail:
            self.pairs.append(("mail", "1"))
            self.text("name", name, required=True)
        if document is None and doc_info is not None:
            raise RequestError(
                "doc_info describes a document: pass document= too", parameter="doc_info"
            )
        if document is not None:
            if not isinstance(document, Document):
                raise RequestError(
                    f"document must be a Document, not {type(document).__name__}",
                    parameter="document",
                )
            if doc_info is None:
                raise RequestError(
                    "a document needs doc_info, its description (SPEC §7)", parameter="doc_info"
                )
            self.text("doc_info", doc_info, required=True)

    def finish(
        self, fmt: object, charset: object, params: Params, document: Document | None
    ) -> Request:
        if fmt is not None:
            if type(fmt) is not int or not 0 <= fmt <= 3:
                raise RequestError(
                    f"fmt must be 0, 1, 2 or 3, not {shown(fmt, 20)} (SPEC §1)", parameter="fmt"
                )
            self.pairs.append(("fmt", str(fmt)))
        if charset is not None:
            if not isinstance(charset, str):
                raise RequestError(
                    f"charset must be a str, not {type(charset).__name__}", parameter="charset"
                )
            request_codec(str.__str__(charset))
            self.pairs.append(("charset", str.__str__(charset)))
        self.others(params)
        return Request._make(self.pairs, document)

    def others(self, params: object) -> None:
        if isinstance(params, (str, bytes)):
            raise RequestError(
                "params must be a mapping or pairs of name and value", parameter="params"
            )
        try:
            items = list(params.items() if isinstance(params, Mapping) else params)  # type: ignore[call-overload]
        except TypeError:
            raise RequestError(
                "params must be a mapping or pairs of name and value", parameter="params"
            ) from None
        keywords = _KEYWORDS[self.operation] | (
            set(REGISTRATION_FIELDS) if self.operation in ("add", "chg") else set()
        )
        for item in items:
            if not isinstance(item, tuple) or len(item) != 2:
                raise RequestError(
                    f"params must hold pairs of name and value, not {shown(item, 40)}",
                    parameter="params",
                )
            name, value = item
            if not isinstance(name, str) or not name:
                raise RequestError(
                    f"a parameter name must be a non-empty str, not {shown(name, 40)}",
                    parameter="params",
                )
            name = str.__str__(name)
            if name in _RESERVED or name in keywords:
                raise RequestError(
                    f"{named(name)} has a keyword of its own: pass it there, not in params=",
                    parameter=name,
                )
            if isinstance(value, int) and not isinstance(value, bool):
                self.pairs.append((name, int.__repr__(value)))
            elif isinstance(value, str):
                self.pairs.append((name, str.__str__(value)))
            else:
                raise RequestError(
                    f"the value of {named(name)} must be a str or an int, not "
                    f"{type(value).__name__}",
                    parameter=name,
                )
