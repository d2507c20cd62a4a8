"""The sandbox as a WSGI application, and its control API (SPEC D15).

Strategy: :class:`Sandbox` is the one public object. As a WSGI callable it reads each request
with the request code (:meth:`Request.from_url` for GET and HEAD, :meth:`Request.from_form` for
POST: urlencoded or multipart), lets the state (:mod:`._state`) serve it under the current
:class:`Rules`, and writes the reply with :func:`smsc_wire.encode_bytes` in the request's fmt and
charset — canonical bytes, with a ``Content-Type`` naming that charset. Injected faults act
before, on or after that reply (:mod:`._faults`). Its methods are the control API tests use:
accounts, names, statuses, codes, the clock, the rules, the faults. It runs in-process (httpx's
``WSGITransport``) or under any WSGI server; :meth:`Sandbox.serve` runs it under waitress.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

from smsc_wire._api import encode_bytes
from smsc_wire._codes import ErrorCode, OperatorStatus, SenderStatus
from smsc_wire._errors import EncodeError
from smsc_wire._exchange import MAX_REQUEST_SIZE, Request, RequestError
from smsc_wire._exchange.form import (
    DEFAULT_CHARSET,
    RawPair,
    parse_multipart,
    request_codec,
    split_query,
)
from smsc_wire._formats import FORMATS
from smsc_wire._key import Key
from smsc_wire._models import ErrorReply, Reply, Sender, SenderAdded, SenderList
from smsc_wire._registry import registry

from ._errors import SandboxError, is_path, is_tuple
from ._faults import (
    BareOk,
    CloseMidBody,
    ErrorAnswer,
    Fault,
    HttpStatus,
    Injection,
    Latency,
    NonCanonical,
    Predicate,
    TruncatedBody,
    bare_ok_applies,
    relayout,
)
from ._rules import DESCRIPTIONS, Rules, error
from ._state import Account, Clock, SenderRecord, SentCode, Served, State
from ._store import MemoryStore, SqliteStore

if TYPE_CHECKING:
    from ._server import SandboxServer

PATH: Final = "/sys/senders.php"
"""Where the sandbox answers, as the service does."""

DEFAULT_ACCOUNT: Final = ("demo", "demo")
"""The account ``smsc-wire serve`` and the ``smsc_sandbox`` fixture start with: login
``demo``, password ``demo``."""

_HISTORY: Final = 10_000
_SECRET_NAMES: Final = (b"psw", b"apikey")
_SHOWN_VALUE: Final = 100
_SHOWN_TARGET: Final = 1000

StartResponse = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request the sandbox answered, as its log shows it (secrets as ``***``).

    ``target`` is the path and query string (and an urlencoded POST body after a space), with
    the values of ``psw`` and ``apikey`` replaced by ``***``; ``outcome`` says what the reply
    was (``OK``, ``id 7``, ``3 senders``, ``error 2 (authorise error)``, ``HTTP 503``).
    """

    at: float
    address: str
    method: str
    target: str
    operation: str | None
    login: str | None
    status: int
    outcome: str
    faults: tuple[str, ...]
    seconds: float

    def __str__(self) -> str:
        faults = f" [faults: {', '.join(self.faults)}]" if self.faults else ""
        return (
            f"{self.address} {self.method} {self.target} -> {self.status} {self.outcome} "
            f"({self.seconds * 1000:.1f} ms){faults}"
        )


class _ClosedMidBody(Exception):
    """Raised inside the body iterator on purpose: the server then drops the connection."""


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    reason: str
    content_type: str
    body: bytes
    cut: str | None = None  # "close" or "truncate": a transport fault


class _Body:
    """The response body as WSGI iterates it; acts out a transport fault; counts as active
    until the server closes it (so a server can wait for replies being written)."""

    def __init__(self, response: _Response, done: Callable[[], None]) -> None:
        self._response = response
        self._done: Callable[[], None] | None = done

    def __iter__(self) -> Iterator[bytes]:
        body = self._response.body
        if self._response.cut is None:
            yield body
            return
        yield body[: len(body) // 2]
        if self._response.cut == "close":
            raise _ClosedMidBody("connection closed mid-body (a fault injected in the sandbox)")

    def close(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done()


class Sandbox:
    """A stateful, in-memory model of ``senders.php`` for testing clients offline (SPEC D15).

    A WSGI application: serve it in-process (``httpx.WSGITransport(app=sandbox)``), under any
    WSGI server, or with :meth:`serve` (waitress, in a background thread). Its methods set up
    and inspect the state: accounts, sender names and their statuses, confirmation codes sent,
    undeliverable numbers, the clock, the rules and injected faults.

    >>> import httpx
    >>> import smsc_wire as sw
    >>> sandbox = Sandbox()
    >>> sandbox.add_account("shop", "secret")
    Account(login='shop', password='***', apikey=None)
    >>> client = httpx.Client(transport=httpx.WSGITransport(app=sandbox))
    >>> reply = client.get("http://sandbox/sys/senders.php",
    ...                    params={"add": 1, "login": "shop", "psw": "secret", "sender": "Shop"})
    >>> reply.content, reply.headers["content-type"]
    (b'ID = 1', 'text/plain; charset=windows-1251')
    >>> sandbox.senders("shop")[0].status
    <SenderStatus.AWAITING_MODERATION: 0>

    ``rules`` are the service's by default (:class:`Rules`); ``clock`` follows the system's time
    and can be advanced (:class:`Clock`); ``state`` is a SQLite file to keep everything in
    (created if absent, taken up again if present); ``seed`` makes the random confirmation codes
    reproducible; ``on_exchange`` is called with each :class:`Exchange` (the command line logs
    them). ``accounts`` are ``(login, password)`` or ``(login, password, apikey)`` tuples.
    """

    def __init__(
        self,
        *,
        rules: Rules | None = None,
        clock: Clock | None = None,
        state: str | Path | None = None,
        seed: int | None = None,
        accounts: Iterable[tuple[str, str] | tuple[str, str, str | None]] = (),
        on_exchange: Callable[[Exchange], None] | None = None,
    ) -> None:
        if rules is not None and not isinstance(rules, Rules):
            raise SandboxError(f"rules must be a Rules, not {type(rules).__name__}")
        if clock is not None and not isinstance(clock, Clock):
            raise SandboxError(f"clock must be a Clock, not {type(clock).__name__}")
        self._rules = Rules() if rules is None else rules
        self.clock: Final = Clock() if clock is None else clock
        """The sandbox's time: ``sandbox.clock.advance(60)`` steps past a rate limit's minute."""
        if state is None:
            self._store: MemoryStore | SqliteStore = MemoryStore()
        elif is_path(state):
            self._store = SqliteStore(state)
        else:
            raise SandboxError(
                f"state must be a path (str or os.PathLike), not {type(state).__name__}"
            )
        self._state = State(self.clock, self._store, random.Random(seed))
        if isinstance(self._store, SqliteStore):
            self._state.load(self._store.load())
        self._injections: list[Injection] = []
        self._faults_lock = threading.Lock()
        self._history: deque[Exchange] = deque(maxlen=_HISTORY)
        self._on_exchange = on_exchange
        self._active = 0
        self._active_lock = threading.Lock()
        self._server: SandboxServer | None = None
        for entry in accounts:
            if not is_tuple(entry) or len(entry) not in (2, 3):
                raise SandboxError("accounts are (login, password) or (login, password, apikey)")
            self.add_account(entry[0], entry[1], apikey=entry[2] if len(entry) == 3 else None)

    def __repr__(self) -> str:
        where = "" if self._server is None else f" at {self._server.url}"
        return f"<Sandbox{where}: {len(self._state.accounts())} accounts>"

    # --- rules and clock -------------------------------------------------------------------------

    @property
    def rules(self) -> Rules:
        """The rules in force (a frozen :class:`Rules`; assign another to switch)."""
        return self._rules

    @rules.setter
    def rules(self, rules: Rules) -> None:
        if not isinstance(rules, Rules):
            raise SandboxError(f"rules must be a Rules, not {type(rules).__name__}")
        self._rules = rules

    def configure(self, **changes: object) -> Rules:
        """Switch rules or their parameters; return the rules now in force.

        >>> from smsc_wire.sandbox import RateLimit
        >>> sandbox = Sandbox()
        >>> sandbox.configure(names=None, add_limit=RateLimit(10, window=60)).add_limit
        RateLimit(limit=10, window=60.0)
        """
        self._rules = self._rules.replace(**changes)
        return self._rules

    # --- accounts and sender names ---------------------------------------------------------------

    def add_account(self, login: str, password: str, *, apikey: str | None = None) -> Account:
        """Add an account (or change the password and API key of the account ``login``)."""
        return self._state.add_account(login, password, apikey)

    def account(self, login: str) -> Account:
        """The account ``login``."""
        return self._state.account(login)

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Every account, in the order they were added."""
        return self._state.accounts()

    def senders(self, login: str) -> tuple[SenderRecord, ...]:
        """The sender names of the account ``login``, in id order (every status)."""
        return self._state.senders(login)

    def sender(self, login: str, sender: str | int) -> SenderRecord:
        """The sender name of ``login`` called ``sender`` (a str) or with id ``sender`` (an int)."""
        return self._state.find(login, sender)

    def add_sender(
        self,
        login: str,
        name: str,
        *,
        status: SenderStatus | int = SenderStatus.AWAITING_MODERATION,
        cmt: str = "",
    ) -> SenderRecord:
        """Give ``login`` a sender name directly, with a new id (no name rule, no rate limit).

        >>> sandbox = Sandbox(accounts=[("shop", "secret")])
        >>> sandbox.add_sender("shop", "Shop", status=1).id
        1
        """
        return self._state.add_sender(login, name, status, cmt)

    def set_status(self, login: str, sender: str | int, status: SenderStatus | int) -> SenderRecord:
        """Set the moderation status of a sender name (0 awaiting, 1 approved, 2 disabled...)."""
        return self._state.set_status(login, sender, status)

    def approve(self, login: str, sender: str | int) -> SenderRecord:
        """Approve a sender name (status 1): ``get`` with ``all=0`` lists it from now on."""
        return self._state.set_status(login, sender, SenderStatus.APPROVED)

    def disable(self, login: str, sender: str | int) -> SenderRecord:
        """Disable a sender name (status 2)."""
        return self._state.set_status(login, sender, SenderStatus.DISABLED)

    def set_operator(
        self,
        login: str,
        sender: str | int,
        operator: str,
        status: OperatorStatus | int | str,
    ) -> SenderRecord:
        """Set a sender name's status at one operator (``operators=1``); a field the sandbox
        does not know (SPEC D4) is added, an int status need not be a known code, and a str
        is a raw value (a replacement name)."""
        return self._state.set_operator(login, sender, operator, status)

    # --- confirmation codes ----------------------------------------------------------------------

    def sent_codes(self, number: str | None = None) -> tuple[SentCode, ...]:
        """The confirmation codes "sent" by SMS, oldest first: to ``number``, or all."""
        return self._state.codes(number)

    def last_code(self, number: str) -> str:
        """The last confirmation code sent to ``number`` (what the user would type in)."""
        codes = self._state.codes(number)
        if not codes:
            raise SandboxError(f"no code was sent to {number!r}")
        return codes[-1].code

    def set_undeliverable(self, number: str, undeliverable: bool = True) -> None:
        """Make codes to ``number`` undeliverable (``send_code``: error 8), or deliverable."""
        self._state.set_undeliverable(number, bool(undeliverable))

    # --- blocks ----------------------------------------------------------------------------------

    def blocked(self) -> dict[str, float]:
        """The client addresses blocked now (error 4), and until when (sandbox clock time)."""
        return self._state.blocked()

    def unblock(self, address: str | None = None) -> None:
        """Lift the block of ``address`` (of every address with ``None``)."""
        self._state.unblock(address)

    @property
    def next_id(self) -> int:
        """The id the next sender name will get (ids are never reused)."""
        return self._state.next_id()

    # --- faults ----------------------------------------------------------------------------------

    def inject(
        self, fault: Fault, *, times: int | None = 1, when: Predicate | None = None
    ) -> Injection:
        """Inject ``fault`` into the next ``times`` requests (every one with ``None``) for which
        ``when(request)`` is true (every request without ``when``).

        ``request`` is the parsed :class:`smsc_wire.Request` (its ``operation``, ``key``,
        ``params``); a request that did not parse matches only an injection without ``when``.

        >>> from smsc_wire.sandbox import HttpStatus
        >>> sandbox = Sandbox()
        >>> sandbox.inject(HttpStatus(503), times=2, when=lambda r: r.operation == "add")
        <Injection HttpStatus(status=503, body=b'503 Service Unavailable (injected by the sandbox)'): 2 more, used 0>
        """  # noqa: E501
        injection = Injection(fault, times, when)
        with self._faults_lock:
            self._injections = [i for i in self._injections if i.active] + [injection]
        return injection

    def clear_faults(self) -> None:
        """Cancel every injected fault."""
        with self._faults_lock:
            for injection in self._injections:
                injection.cancel()
            self._injections = []

    # --- history ---------------------------------------------------------------------------------

    @property
    def history(self) -> tuple[Exchange, ...]:
        """The last 10,000 exchanges, oldest first."""
        return tuple(self._history)

    # --- serving ---------------------------------------------------------------------------------

    def serve(self, host: str = "127.0.0.1", port: int = 0, *, threads: int = 48) -> SandboxServer:
        """Serve over real HTTP (waitress) in a background thread until :meth:`close`.

        ``port=0`` takes a free port; :attr:`url` and :attr:`endpoint` say where. Needs the
        ``sandbox`` extra (``pip install 'smsc_wire[sandbox]'``). Use it as a context manager,
        or close the returned server (or the sandbox).
        """
        from ._server import SandboxServer

        if self._server is not None:
            raise SandboxError(f"the sandbox is served at {self._server.url} already")
        self._server = SandboxServer(self, host, port, threads=threads)
        self._server.start()
        return self._server

    def _forget(self, server: SandboxServer) -> None:
        if self._server is server:
            self._server = None

    @property
    def url(self) -> str:
        """The base URL it is served at (``http://127.0.0.1:PORT``), while :meth:`serve` runs."""
        if self._server is None:
            raise SandboxError("the sandbox is not served: call serve() first")
        return self._server.url

    @property
    def endpoint(self) -> str:
        """The full ``senders.php`` URL it is served at, while :meth:`serve` runs."""
        return self.url + PATH

    def close(self) -> None:
        """Stop serving (after the requests under way) and close the state file."""
        if self._server is not None:
            self._server.close()
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def active(self) -> int:
        """How many requests are being answered now (the server waits for none on close)."""
        return self._active

    # --- the WSGI application --------------------------------------------------------------------

    def __call__(
        self, environ: Mapping[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        started = time.perf_counter()
        with self._active_lock:
            self._active += 1
        try:
            response, exchange = self._respond(environ, started)
        except BaseException:
            self._finished()
            raise
        self._record(exchange)
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            ("Cache-Control", "no-store"),
        ]
        start_response(f"{response.status} {response.reason}", headers)
        return _Body(response, self._finished)

    def _finished(self) -> None:
        with self._active_lock:
            self._active -= 1

    def _record(self, exchange: Exchange) -> None:
        self._history.append(exchange)
        if self._on_exchange is not None:
            with contextlib.suppress(Exception):  # a log that fails must not fail the reply
                self._on_exchange(exchange)

    def _respond(self, environ: Mapping[str, Any], started: float) -> tuple[_Response, Exchange]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        path = str(environ.get("PATH_INFO", ""))
        address = str(environ.get("REMOTE_ADDR") or "-")
        query = str(environ.get("QUERY_STRING", "")).encode("latin-1", "replace")
        target = path + ("?" + _masked(query) if query else "")

        def done(response: _Response, outcome: str, **what: Any) -> tuple[_Response, Exchange]:
            exchange = Exchange(
                at=self.clock.now(),
                address=address,
                method=method,
                target=target,
                operation=what.get("operation"),
                login=what.get("login"),
                status=response.status,
                outcome=outcome,
                faults=tuple(what.get("faults", ())),
                seconds=time.perf_counter() - started,
            )
            return response, exchange

        if path != PATH:
            body = f"not found: the sandbox answers at {PATH}".encode("ascii")
            return done(_Response(404, "Not Found", "text/plain; charset=utf-8", body), "HTTP 404")
        if method not in ("GET", "HEAD", "POST"):
            body = b"method not allowed: GET or POST"
            return done(
                _Response(405, "Method Not Allowed", "text/plain; charset=utf-8", body), "HTTP 405"
            )

        incoming = _read(environ, method, query)
        if incoming.shown_body:
            target += " " + incoming.shown_body
        request = incoming.request
        plan = self._plan(request)
        operation = None if request is None else str(request.operation.value)
        answer = plan.answer
        if isinstance(answer, HttpStatus):
            _pause(plan.hold)
            assert answer.body is not None
            response = _Response(
                answer.status, answer.reason, "text/plain; charset=utf-8", answer.body
            )
            return done(response, f"HTTP {answer.status}", operation=operation, faults=plan.applied)

        rules = self._rules
        served: Served | None = None
        refusal = incoming.refusal
        if request is None:
            key, charset = _fallback(query, incoming.form, incoming.content_type)
            reply: Reply = error(ErrorCode.PARAMETERS_ERROR)
        elif request.key not in registry:
            # fmt outside 0-3, or fmt=1 with operators=1 (SPEC D1): a parameters error, in the
            # fmt asked for where there is one.
            fmt = request.key.fmt
            key, charset = Key(fmt if fmt in FORMATS else 0, "del"), request.charset
            reply = error(ErrorCode.PARAMETERS_ERROR)
            refusal = "no reply form for this fmt and flags (SPEC D1)"
        elif isinstance(answer, ErrorAnswer):
            key, charset = request.key, request.charset
            description = answer.description
            if description is None:
                description = DESCRIPTIONS.get(answer.code, f"error {answer.code}")
            reply = ErrorReply(answer.code, description)
        else:
            key, charset = request.key, request.charset
            served = self._state.serve(request, address, rules, plan.hold)
            reply = served.reply
        if served is None:
            _pause(plan.hold)  # the state holds what it serves itself, while in flight

        body = _encode(reply, key, charset)
        bare = rules.bare_ok and bare_ok_applies(reply, key)
        if bare:
            body = b"OK"
        body, bare, cut = _reshape(plan, reply, key, charset, body, bare=bare)
        media = "text/plain" if bare else FORMATS[key.fmt].media_type
        response = _Response(200, "OK", f"{media}; charset={charset}", body, cut)
        outcome = _outcome(reply, refusal, None if served is None else served.code)
        login = None if served is None else served.login
        return done(response, outcome, operation=operation, login=login, faults=plan.applied)

    def _plan(self, request: Request | None) -> _Plan:
        """The injected faults that act on this request: those before serving it are taken
        now; those on its reply are taken later, if they can act on it."""
        plan = _Plan()
        held = False
        for injection in self._active_injections():
            if not injection.matches(request):
                continue
            fault = injection.fault
            if isinstance(fault, Latency):
                if not held and injection.take():
                    plan.hold, held = fault.seconds, True
                    plan.applied.append(repr(fault))
            elif isinstance(fault, HttpStatus | ErrorAnswer):
                if plan.answer is None and injection.take():
                    plan.answer = fault
                    plan.applied.append(repr(fault))
            else:
                plan.later.append(injection)
        return plan

    def _active_injections(self) -> list[Injection]:
        with self._faults_lock:
            return [i for i in self._injections if i.active]


@dataclass(slots=True)
class _Plan:
    """The faults acting on one request: a hold, an answer instead of serving it, and those
    that act on its reply (``applied`` lists what acted, for the log)."""

    hold: float = 0.0
    answer: HttpStatus | ErrorAnswer | None = None
    later: list[Injection] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Incoming:
    """A request as read: the parsed request or why the request code refused it."""

    request: Request | None
    refusal: str | None
    form: bytes | None
    content_type: str
    shown_body: str


def _read(environ: Mapping[str, Any], method: str, query: bytes) -> _Incoming:
    """Parse the request with the request code (SPEC D13). A GET reads its query string alone,
    as the service (PHP) does, even if the client sent a body with it."""
    content_type = str(environ.get("CONTENT_TYPE") or "")
    form: bytes | None = None
    shown = ""
    try:
        if method != "POST":
            return _Incoming(Request.from_url(b"?" + query), None, None, content_type, "")
        form = _read_body(environ)
        if form is None:
            refusal = f"the body is over {MAX_REQUEST_SIZE} bytes (SPEC D11)"
            return _Incoming(None, refusal, None, content_type, "")
        if content_type.lower().startswith("application/x-www-form-urlencoded"):
            shown = _masked(form)
        request = Request.from_form(form, content_type, url=b"?" + query)
        return _Incoming(request, None, form, content_type, shown)
    except RequestError as exc:
        return _Incoming(None, exc.reason, form, content_type, shown)


def _reshape(
    plan: _Plan, reply: Reply, key: Key, charset: str, body: bytes, *, bare: bool
) -> tuple[bytes, bool, str | None]:
    """The reply's body after the text faults (bare OK, a layout) and which transport fault
    cuts it, if any. A fault that cannot act on this reply is not used up."""
    cut: str | None = None
    relaid = False
    for injection in plan.later:
        fault = injection.fault
        if isinstance(fault, BareOk):
            if not bare and bare_ok_applies(reply, key) and injection.take():
                body, bare = b"OK", True
                plan.applied.append(repr(fault))
        elif isinstance(fault, NonCanonical):
            if bare or relaid:
                continue
            changed = relayout(fault, reply, key, charset, body)
            if changed is not None and injection.take():
                body, relaid = changed, True
                plan.applied.append(repr(fault))
        elif isinstance(fault, CloseMidBody | TruncatedBody) and cut is None:
            # Closing mid-body needs a byte to send first; a short body, one to hold back.
            enough = len(body) >= (2 if isinstance(fault, CloseMidBody) else 1)
            if enough and injection.take():
                cut = "close" if isinstance(fault, CloseMidBody) else "truncate"
                plan.applied.append(repr(fault))
    return body, bare, cut


def _pause(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


def _read_body(environ: Mapping[str, Any]) -> bytes | None:
    """The POST body, or ``None`` if it is over the request code's limit (not read then)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_SIZE:
        return None
    stream = environ.get("wsgi.input")
    if length <= 0 or stream is None:
        return b""
    data: bytes = stream.read(length)
    return data


def _masked(data: bytes) -> str:
    """A query string or urlencoded body as a log shows it: ``psw`` and ``apikey`` as ``***``
    (SPEC D13), each value bounded."""
    try:
        pairs = split_query(data)
    except RequestError:
        return f"<{len(data)} bytes>"
    parts: list[str] = []
    for pair in pairs:
        name = pair.name if isinstance(pair.name, bytes) else pair.name.encode("latin-1", "replace")
        value = (
            pair.value if isinstance(pair.value, bytes) else pair.value.encode("latin-1", "replace")
        )
        shown_name = name.decode("ascii", "backslashreplace")
        try:
            decoded = pair.name_bytes()
        except Exception:  # a name that does not percent-decode is shown as it came
            decoded = name
        if decoded.lower() in _SECRET_NAMES:
            parts.append(f"{shown_name}=***")
            continue
        text = value.decode("ascii", "backslashreplace")
        if len(text) > _SHOWN_VALUE:
            text = text[:_SHOWN_VALUE] + "…"
        parts.append(f"{shown_name}={text}")
    shown = "&".join(parts)
    return shown if len(shown) <= _SHOWN_TARGET else shown[:_SHOWN_TARGET] + "…"


def _fallback(query: bytes, form: bytes | None, content_type: str) -> tuple[Key, str]:
    """The fmt and charset to answer a request the request code refused in: those it names,
    where they can be read, else fmt 0 and windows-1251 (the service's defaults)."""
    fmt, charset = 0, DEFAULT_CHARSET
    media = content_type.partition(";")[0].strip().lower()
    sources: list[list[RawPair]] = []
    with contextlib.suppress(RequestError):
        sources.append(split_query(query))
    with contextlib.suppress(RequestError, UnicodeError):
        # The request code's own readers of the body, for its fmt and charset only.
        if form is not None and media == "application/x-www-form-urlencoded":
            sources.append(split_query(form))
        elif form is not None and media == "multipart/form-data":
            sources.append(parse_multipart(form, content_type)[0])
    for pairs in sources:
        for pair in pairs:
            name = pair.name_bytes()
            value = pair.value_bytes()
            if name == b"fmt" and value in (b"0", b"1", b"2", b"3"):
                fmt = int(value)
            elif name == b"charset":
                try:
                    request_codec(value.decode("ascii"))
                except (RequestError, UnicodeDecodeError):
                    continue
                charset = value.decode("ascii")
    return Key(fmt, "del"), charset


def _encode(reply: Reply, key: Key, charset: str) -> bytes:
    """The canonical bytes of ``reply`` (SPEC D5) in the request's charset (SPEC D10).

    A name the charset cannot carry (Chinese asked for in windows-1251) is written with ``?``
    for each such character, as the service's own conversion does, rather than failing the
    whole list. fmt 1 errors carry no description (SPEC §2): it is dropped there.
    """
    if isinstance(reply, ErrorReply) and not FORMATS[key.fmt].error_description:
        reply = ErrorReply(reply.code, None)
    try:
        return encode_bytes(reply, key, charset=charset)
    except EncodeError:
        if not isinstance(reply, SenderList):
            raise
    codec = request_codec(charset)
    replaced = SenderList(
        Sender(s.name.encode(codec, "replace").decode(codec), s.id, s.status, s.operators)
        for s in reply
    )
    return encode_bytes(replaced, key, charset=charset)


def _outcome(reply: Reply, refusal: str | None, code: SentCode | None) -> str:
    if isinstance(reply, ErrorReply):
        text = f"error {int(reply.code)} ({reply.description})"
        return f"{text}: {refusal}" if refusal else text
    if isinstance(reply, SenderList):
        return f"{len(reply)} sender{'s' if len(reply) != 1 else ''}"
    if isinstance(reply, SenderAdded):
        return f"id {reply.id}"
    if code is not None:
        return f"OK (code {code.code} sent to {code.number})"
    return "OK"
