"""The sandbox's state: accounts, sender names, confirmation codes, the clock (SPEC D15).

Strategy: one :class:`State` holds everything behind one lock; a request takes the lock twice,
briefly — to be admitted (IP block, authentication, the in-flight and rate limits) and to be
carried out — and sleeps an injected latency in between, outside the lock but counted as in
flight. Every change is first made durable through the store (:mod:`._store`), then made in
memory, so the two never disagree and a change the disk refused never happened (error 5).
Records handed out are frozen values (:class:`SenderRecord`, :class:`Account`,
:class:`SentCode`), so a snapshot never changes under its reader.
"""

from __future__ import annotations

import dataclasses
import hmac
import random
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from smsc_wire._codes import ErrorCode, OperatorStatus, SenderStatus, sender_status
from smsc_wire._formats import FORMATS
from smsc_wire._key import Key, Operation
from smsc_wire._models import (
    ErrorReply,
    Ok,
    Operators,
    Reply,
    SenderAdded,
    SenderList,
    new_sender,
)
from smsc_wire._values import MAX_UINT, OPERATOR_FIELDS

from . import _store as store
from ._errors import SandboxError, is_seconds, is_str
from ._rules import (
    Rules,
    admit,
    carried_everywhere,
    error,
    is_phone,
    list_signature,
    md5_hex,
    name_allowed,
    new_code,
    password_matches,
)

if TYPE_CHECKING:
    from smsc_wire._exchange import Request

    from ._store import Statement, Store

DEFAULT_OPERATORS: Final = Operators(
    dict.fromkeys(OPERATOR_FIELDS, OperatorStatus.AWAITING_REGISTRATION)
)
"""Every documented operator field, awaiting registration: a new sender name's statuses."""

_PRUNE_AT: Final = 10_000  # rate-limit windows kept before the expired ones are dropped


class Clock:
    """The sandbox's time: the system's (``time.time()``) or frozen, plus what was advanced.

    Tests step it instead of sleeping, past a rate limit's minute or the 8-hour rule:

    >>> clock = Clock(frozen=True, start=1000.0)
    >>> clock.advance(60)
    1060.0
    >>> clock.now()
    1060.0
    """

    def __init__(self, *, frozen: bool = False, start: float | None = None) -> None:
        if start is not None and not is_seconds(start):
            raise SandboxError(f"Clock start must be a finite number of seconds, not {start!r}")
        self._frozen = bool(frozen)
        self._base = time.time() if start is None else float(start)
        self._offset = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        kind = "frozen" if self._frozen else "running"
        return f"<Clock {kind} at {self.now():.3f} (advanced {self._offset:g} s)>"

    @property
    def frozen(self) -> bool:
        """Whether time stands still between :meth:`advance` calls."""
        return self._frozen

    def now(self) -> float:
        """Seconds since the epoch, as the sandbox sees them."""
        base = self._base if self._frozen else time.time()
        return base + self._offset

    def advance(self, seconds: float) -> float:
        """Move time forward by ``seconds`` (a finite number from 0); return the new time."""
        if not is_seconds(seconds):
            raise SandboxError(
                f"the clock advances by a finite number of seconds from 0, not {seconds!r}"
            )
        with self._lock:
            self._offset += float(seconds)
        return self.now()


@dataclass(frozen=True, slots=True, repr=False)
class Account:
    """An account of the sandbox: a login, its password and an optional API key.

    The password and key are never shown (SPEC D13):

    >>> Account("shop", "secret", apikey="k1")
    Account(login='shop', password='***', apikey='***')
    """

    login: str
    password: str
    apikey: str | None = None

    def __repr__(self) -> str:
        key = None if self.apikey is None else "***"
        return f"Account(login={self.login!r}, password='***', apikey={key!r})"


@dataclass(frozen=True, slots=True)
class SenderRecord:
    """A sender name as the sandbox holds it: its owner, id, moderation status, comment,
    per-operator statuses, and whether a confirmation code confirmed it (a digital name)."""

    id: int
    login: str
    name: str
    status: SenderStatus | int = SenderStatus.AWAITING_MODERATION
    cmt: str = ""
    operators: Operators = DEFAULT_OPERATORS
    confirmed: bool = False


@dataclass(frozen=True, slots=True)
class SentCode:
    """A confirmation code the sandbox "sent" by SMS: to ``number``, for ``login``, at ``sent_at``
    (the sandbox clock's time); ``used`` once a ``check_code`` gave it back."""

    number: str
    code: str
    sent_at: float
    login: str
    used: bool = False


@dataclass(frozen=True, slots=True)
class Served:
    """What a request came to: the reply, the login it was served under, a code it sent."""

    reply: Reply
    login: str | None = None
    code: SentCode | None = None


class _Book:
    """One account's sender names, in id order, with an index by name."""

    __slots__ = ("by_id", "by_name")

    def __init__(self) -> None:
        self.by_id: dict[int, SenderRecord] = {}
        self.by_name: dict[str, int] = {}

    def put(self, record: SenderRecord) -> None:
        old = self.by_id.get(record.id)
        if old is not None and old.name != record.name:
            del self.by_name[old.name]
        self.by_id[record.id] = record  # an id only grows: insertion order is id order
        self.by_name[record.name] = record.id

    def remove(self, record: SenderRecord) -> None:
        del self.by_id[record.id]
        del self.by_name[record.name]


def secret(request: Request, name: str) -> str | None:
    """The value of ``psw`` or ``apikey`` in ``request``.

    ``Request`` keeps its secrets out of ``params`` and offers no public accessor yet; the
    sandbox must compare them, so it reads the parsed pairs (the one private access, kept here).
    """
    for pair_name, value in request._pairs:
        if pair_name == name:
            return value
    return None


class State:
    """Accounts, sender names, codes and the rules' bookkeeping, behind one lock."""

    def __init__(self, clock: Clock, store_: Store, rng: random.Random) -> None:
        self.clock = clock
        self._store = store_
        self._rng = rng
        self._lock = threading.Lock()
        self._accounts: dict[str, Account] = {}
        self._digests: dict[str, str] = {}
        self._by_apikey: dict[str, str] = {}
        self._books: dict[str, _Book] = {}
        self._next_id = 1
        self._codes: list[SentCode] = []
        self._pending: dict[str, int] = {}  # number -> index in _codes of the code to check
        self._last_sent: dict[str, float] = {}
        self._undeliverable: set[str] = set()
        self._failures: dict[str, deque[float]] = {}
        self._blocked: dict[str, float] = {}
        self._list_hits: dict[tuple[str, tuple[tuple[str, str], ...]], deque[float]] = {}
        self._add_hits: dict[str, deque[float]] = {}
        self._in_flight: dict[str, int] = {}

    # --- loading ---------------------------------------------------------------------------------

    def load(self, snapshot: store.Snapshot) -> None:
        """Take over a state file's rows (before serving)."""
        with self._lock:
            for login, password, apikey in snapshot.accounts:
                self._set_account(Account(login, password, apikey))
            operators: dict[int, list[tuple[str, int | str]]] = {}
            for sender_id, field, value in snapshot.operators:
                operators.setdefault(sender_id, []).append((field, _operator_value(value)))
            for sender_id, login, name, status, cmt, confirmed in snapshot.senders:
                fields = operators.get(sender_id)
                self._book(login).put(
                    SenderRecord(
                        sender_id,
                        login,
                        name,
                        sender_status(status),
                        cmt,
                        DEFAULT_OPERATORS if fields is None else Operators(fields),
                        bool(confirmed),
                    )
                )
            top = max((row[0] for row in snapshot.senders), default=0)
            self._next_id = max(snapshot.next_id, top + 1)
            for _seq, number, value, sent_at, login, consumed in snapshot.codes:
                self._remember_code(SentCode(number, value, sent_at, login, bool(consumed)))
            self._undeliverable.update(snapshot.undeliverable)

    def _book(self, login: str) -> _Book:
        book = self._books.get(login)
        if book is None:
            book = self._books[login] = _Book()
        return book

    def _remember_code(self, sent: SentCode) -> None:
        self._codes.append(sent)
        self._last_sent[sent.number] = max(sent.sent_at, self._last_sent.get(sent.number, 0.0))
        if sent.used:
            self._pending.pop(sent.number, None)
        else:
            self._pending[sent.number] = len(self._codes) - 1

    def _apply(self, statements: Iterable[Statement]) -> None:
        self._store.apply(list(statements))

    # --- serving a request -----------------------------------------------------------------------

    def serve(self, request: Request, address: str, rules: Rules, hold: float) -> Served:
        """Serve ``request`` from ``address`` under ``rules``, held ``hold`` seconds first."""
        with self._lock:
            admitted = self._admit(request, address, rules, self.clock.now())
        if isinstance(admitted, ErrorReply):
            _sleep(hold)
            return Served(admitted)
        login = admitted.login
        try:
            _sleep(hold)
            with self._lock:
                return self._operate(request, admitted, rules, self.clock.now())
        finally:
            with self._lock:
                left = self._in_flight[login] - 1
                if left:
                    self._in_flight[login] = left
                else:
                    del self._in_flight[login]

    def _admit(
        self, request: Request, address: str, rules: Rules, now: float
    ) -> Account | ErrorReply:
        block = rules.ip_block
        if block is not None:
            until = self._blocked.get(address)
            if until is not None:
                if now < until:
                    return error(ErrorCode.IP_TEMPORARILY_BLOCKED)
                del self._blocked[address]
        account = self._authenticate(request, rules)
        if account is None:
            if block is not None:
                # SPEC D15: the fifth failure within the window blocks the address.
                failures = self._failures.setdefault(address, deque())
                while failures and failures[0] <= now - block.window:
                    failures.popleft()
                failures.append(now)
                if len(failures) >= block.failures:
                    self._blocked[address] = now + block.duration
                    del self._failures[address]
            return error(ErrorCode.AUTHORISATION_ERROR)
        login = account.login
        in_flight = self._in_flight.get(login, 0)
        if rules.max_in_flight is not None and in_flight >= rules.max_in_flight:
            return error(ErrorCode.TOO_MANY_REQUESTS)
        if request.operation is Operation.GET and rules.list_limit is not None:
            key = (login, list_signature(request.params))
            hits = self._list_hits.get(key)
            if hits is None:
                if len(self._list_hits) >= _PRUNE_AT:
                    self._prune(now, rules.list_limit.window)
                hits = self._list_hits[key] = deque()
            if not admit(hits, now, rules.list_limit):
                return error(ErrorCode.TOO_MANY_REQUESTS)
        elif request.operation is Operation.ADD and rules.add_limit is not None:
            hits = self._add_hits.setdefault(login, deque())
            if not admit(hits, now, rules.add_limit):
                return error(ErrorCode.TOO_MANY_REQUESTS)
        self._in_flight[login] = in_flight + 1
        return account

    def _prune(self, now: float, window: float) -> None:
        stale = [k for k, hits in self._list_hits.items() if not hits or hits[-1] <= now - window]
        for key in stale:
            del self._list_hits[key]

    def _authenticate(self, request: Request, rules: Rules) -> Account | None:
        apikey = secret(request, "apikey")
        if apikey is not None:
            # An API key decides alone; a login and psw beside it are not looked at.
            for key, login in self._by_apikey.items():
                if hmac.compare_digest(key.encode("utf-8"), apikey.encode("utf-8")):
                    return self._accounts[login]
            return None
        name = request.params.get("login")
        psw = secret(request, "psw")
        if name is None or psw is None:
            return None
        account = self._accounts.get(name)
        if account is None:
            return None
        if password_matches(psw, account.password, self._digests[name], rules):
            return account
        return None

    def _operate(self, request: Request, account: Account, rules: Rules, now: float) -> Served:
        operation = request.operation
        params = request.params
        book = self._book(account.login)
        if operation is Operation.GET:
            return Served(self._list(book, request.key), account.login)
        if operation is Operation.ADD:
            return Served(self._add(book, account.login, params, rules), account.login)
        if operation is Operation.CHG:
            return Served(self._chg(book, params), account.login)
        if operation is Operation.DEL:
            return Served(self._del(book, params), account.login)
        if operation is Operation.SEND_CODE:
            return self._send_code(book, account.login, params, rules, now)
        return Served(self._check_code(book, account.login, params, rules), account.login)

    @staticmethod
    def _list(book: _Book, key: Key) -> SenderList:
        # SPEC D15: all=0 lists the approved names, all=1 every name; operators=1 adds the
        # per-operator statuses (and with all=1 the status too, SPEC D2).
        # new_sender: the records hold checked values already (the dataclass __init__ would
        # cost more than the rest of the list).
        senders = [
            new_sender(
                record.name,
                record.id,
                record.status if key.all else None,
                record.operators if key.operators else None,
            )
            for record in book.by_id.values()
            if key.all or record.status == SenderStatus.APPROVED
        ]
        return SenderList(senders)

    def _add(self, book: _Book, login: str, params: Mapping[str, str], rules: Rules) -> Reply:
        name = params.get("sender")
        if not name or not name_allowed(name, rules):
            return error(ErrorCode.PARAMETERS_ERROR)
        if name in book.by_name:
            # The account has this name already: the service cannot save a second one.
            return error(ErrorCode.SAVE_ERROR)
        record = SenderRecord(self._next_id, login, name, cmt=params.get("cmt", ""))
        try:
            self._apply([_row(record), store.next_id(record.id + 1)])
        except store.StoreFailure:
            return error(ErrorCode.SAVE_ERROR)
        self._next_id = record.id + 1
        book.put(record)
        return SenderAdded(record.id)

    def _target(self, book: _Book, params: Mapping[str, str]) -> SenderRecord | ErrorReply:
        # SPEC §7: chg and del name the sender by `sender` or by `id` — one of them.
        name = params.get("sender") or None
        given_id = params.get("id") or None
        if (name is None) == (given_id is None):
            return error(ErrorCode.PARAMETERS_ERROR)
        if given_id is not None:
            number = _uint(given_id)
            if number is None:
                return error(ErrorCode.PARAMETERS_ERROR)
            record = book.by_id.get(number)
        else:
            assert name is not None
            found = book.by_name.get(name)
            record = None if found is None else book.by_id[found]
        return error(ErrorCode.SENDER_NOT_FOUND) if record is None else record

    def _chg(self, book: _Book, params: Mapping[str, str]) -> Reply:
        record = self._target(book, params)
        if isinstance(record, ErrorReply):
            return record
        cmt = params.get("cmt")
        if cmt is not None and cmt != record.cmt:
            changed = dataclasses.replace(record, cmt=cmt)
            try:
                self._apply([_row(changed)])
            except store.StoreFailure:
                return error(ErrorCode.SAVE_ERROR)
            book.put(changed)
        return Ok()

    def _del(self, book: _Book, params: Mapping[str, str]) -> Reply:
        record = self._target(book, params)
        if isinstance(record, ErrorReply):
            return record
        try:
            self._apply(store.delete_sender(record.id))
        except store.StoreFailure:
            return error(ErrorCode.SAVE_ERROR)
        book.remove(record)
        return Ok()

    def _send_code(
        self, book: _Book, login: str, params: Mapping[str, str], rules: Rules, now: float
    ) -> Served:
        number = params.get("sender")
        if not number:
            return Served(error(ErrorCode.PARAMETERS_ERROR), login)
        if not is_phone(number, rules):
            return Served(error(ErrorCode.INVALID_NUMBER), login)
        if number not in book.by_name:
            return Served(error(ErrorCode.SENDER_NOT_FOUND), login)
        if number in self._undeliverable:
            return Served(error(ErrorCode.CODE_NOT_DELIVERABLE), login)
        last = self._last_sent.get(number)
        wait = rules.codes.resend_after
        if wait is not None and last is not None and now - last < wait:
            return Served(error(ErrorCode.CODE_ALREADY_SENT), login)
        sent = SentCode(number, new_code(rules.codes, self._rng), now, login)
        try:
            self._apply([store.code(len(self._codes) + 1, number, sent.code, now, login)])
        except store.StoreFailure:
            return Served(error(ErrorCode.SAVE_ERROR), login)
        self._remember_code(sent)
        return Served(Ok(), login, sent)

    def _check_code(
        self, book: _Book, login: str, params: Mapping[str, str], rules: Rules
    ) -> Reply:
        number = params.get("sender")
        given = params.get("code")
        if not number or not given:
            return error(ErrorCode.PARAMETERS_ERROR)
        if not is_phone(number, rules):
            return error(ErrorCode.INVALID_NUMBER)
        found = book.by_name.get(number)
        if found is None:
            return error(ErrorCode.SENDER_NOT_FOUND)
        index = self._pending.get(number)
        sent = None if index is None else self._codes[index]
        if (
            index is None
            or sent is None
            or sent.login != login
            or not hmac.compare_digest(sent.code.encode(), given.encode("utf-8"))
        ):
            return error(ErrorCode.INVALID_CODE)
        # SPEC D15: the right code confirms the digital name (approved, usable at once).
        record = dataclasses.replace(
            book.by_id[found], status=SenderStatus.APPROVED, confirmed=True
        )
        try:
            self._apply([store.code_consumed(index + 1), _row(record)])
        except store.StoreFailure:
            return error(ErrorCode.SAVE_ERROR)
        self._codes[index] = dataclasses.replace(sent, used=True)
        del self._pending[number]
        book.put(record)
        return Ok()

    # --- the control API -------------------------------------------------------------------------

    def _set_account(self, account: Account) -> None:
        old = self._accounts.get(account.login)
        if old is not None and old.apikey is not None:
            del self._by_apikey[old.apikey]
        self._accounts[account.login] = account
        self._digests[account.login] = md5_hex(account.password)
        if account.apikey is not None:
            self._by_apikey[account.apikey] = account.login
        self._book(account.login)

    def add_account(self, login: str, password: str, apikey: str | None) -> Account:
        """Add an account, or change the password and key of an existing one."""
        _text("login", login)
        _text("password", password, secret=True)
        if apikey is not None:
            _text("apikey", apikey, secret=True)
        account = Account(str.__str__(login), str.__str__(password),
                          None if apikey is None else str.__str__(apikey))  # fmt: skip
        with self._lock:
            owner = None if apikey is None else self._by_apikey.get(account.apikey or "")
            if owner is not None and owner != account.login:
                raise SandboxError(f"that API key belongs to the account {owner!r} already")
            self._apply_or_refuse([store.account(account.login, account.password, account.apikey)])
            self._set_account(account)
        return account

    def _apply_or_refuse(self, statements: Iterable[Statement]) -> None:
        try:
            self._apply(statements)
        except store.StoreFailure as exc:
            raise SandboxError(f"the state file refused the change: {exc}") from None

    def account(self, login: str) -> Account:
        """The account ``login``."""
        with self._lock:
            return self._account(login)

    def _account(self, login: object) -> Account:
        account = self._accounts.get(login) if isinstance(login, str) else None
        if account is None:
            raise SandboxError(f"no account {login!r}")
        return account

    def accounts(self) -> tuple[Account, ...]:
        """Every account, in the order they were added."""
        with self._lock:
            return tuple(self._accounts.values())

    def senders(self, login: str) -> tuple[SenderRecord, ...]:
        """The sender names of ``login``, in id order."""
        with self._lock:
            self._account(login)
            return tuple(self._books[login].by_id.values())

    def find(self, login: str, sender: str | int) -> SenderRecord:
        """The sender name of ``login`` called ``sender`` (a str) or with id ``sender`` (an int)."""
        with self._lock:
            return self._find(login, sender)

    def _find(self, login: str, sender: object) -> SenderRecord:
        self._account(login)
        book = self._books[login]
        if isinstance(sender, str):
            found = book.by_name.get(sender)
        elif type(sender) is int:
            found = sender if sender in book.by_id else None
        else:
            raise SandboxError(f"a sender is named by its name (str) or id (int), not {sender!r}")
        if found is None:
            raise SandboxError(f"the account {login!r} has no sender name {sender!r}")
        return book.by_id[found]

    def add_sender(
        self, login: str, name: str, status: SenderStatus | int, cmt: str
    ) -> SenderRecord:
        """Add a sender name directly (no name rule but SPEC D8's; no rate limit)."""
        if not is_str(name) or not carried_everywhere(name):
            raise SandboxError(
                f"sender name {name!r} cannot be written in every fmt (SPEC D8): it must be "
                "non-empty, without CR, LF, NUL, XML-forbidden characters or ', word = '"
            )
        _text("cmt", cmt, empty=True)
        with self._lock:
            self._account(login)
            book = self._books[login]
            if name in book.by_name:
                raise SandboxError(f"the account {login!r} has a sender name {name!r} already")
            record = SenderRecord(self._next_id, login, name, sender_status(_code(status)), cmt)
            self._apply_or_refuse([_row(record), store.next_id(record.id + 1)])
            self._next_id = record.id + 1
            book.put(record)
            return record

    def set_status(self, login: str, sender: str | int, status: SenderStatus | int) -> SenderRecord:
        """Set the moderation status of a sender name."""
        value = sender_status(_code(status))
        with self._lock:
            record = dataclasses.replace(self._find(login, sender), status=value)
            self._apply_or_refuse([_row(record)])
            self._books[login].put(record)
            return record

    def set_operator(
        self, login: str, sender: str | int, operator: str, status: OperatorStatus | int | str
    ) -> SenderRecord:
        """Set one operator's status of a sender name (an unknown operator is added, SPEC D4)."""
        if not is_str(operator) or not all(
            wire.can_name_operator(operator) for wire in FORMATS.values() if wire.operators
        ):
            raise SandboxError(
                f"operator field {operator!r} cannot be written in every fmt: use lower-case "
                "letters, digits and _ (SPEC D4)"
            )
        if isinstance(status, str):
            if not carried_everywhere(status):
                raise SandboxError(f"operator value {status!r} cannot be written in every fmt")
            value: OperatorStatus | int | str = str.__str__(status)
        else:
            value = _operator_value(_code(status))
        with self._lock:
            record = self._find(login, sender)
            fields = dict(record.operators.items())
            fields[str.__str__(operator)] = value
            changed = dataclasses.replace(record, operators=Operators(fields))
            self._apply_or_refuse(store.operators(record.id, list(fields.items())))
            self._books[login].put(changed)
            return changed

    def codes(self, number: str | None) -> tuple[SentCode, ...]:
        """The codes sent, oldest first: to ``number``, or every one."""
        with self._lock:
            return tuple(c for c in self._codes if number is None or c.number == number)

    def set_undeliverable(self, number: str, on: bool) -> None:
        """Make codes to ``number`` undeliverable (error 8), or deliverable again."""
        _text("number", number)
        with self._lock:
            self._apply_or_refuse([store.undeliverable(number, on)])
            if on:
                self._undeliverable.add(number)
            else:
                self._undeliverable.discard(number)

    def blocked(self) -> dict[str, float]:
        """The blocked client addresses, and until when (the sandbox clock's time)."""
        now = self.clock.now()
        with self._lock:
            return {a: until for a, until in self._blocked.items() if until > now}

    def unblock(self, address: str | None) -> None:
        """Lift the block of ``address`` (every block with ``None``), and forget its failures."""
        with self._lock:
            if address is None:
                self._blocked.clear()
                self._failures.clear()
            else:
                self._blocked.pop(address, None)
                self._failures.pop(address, None)

    def in_flight(self) -> dict[str, int]:
        """The requests being served now, by login."""
        with self._lock:
            return dict(self._in_flight)

    def next_id(self) -> int:
        """The id the next sender name gets."""
        with self._lock:
            return self._next_id


def _row(record: SenderRecord) -> Statement:
    return store.sender(
        record.id, record.login, record.name, record.status, record.cmt, confirmed=record.confirmed
    )


def _sleep(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


def _uint(text: str) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= MAX_UINT else None


def _code(value: object) -> int:
    if type(value) is bool or not isinstance(value, int) or not 0 <= value <= MAX_UINT:
        raise SandboxError(f"a status is an int from 0 to 2**63-1, not {value!r}")
    return int(value)


def _operator_value(value: int | str) -> OperatorStatus | int | str:
    if isinstance(value, str):
        return value
    try:
        return OperatorStatus(value)
    except ValueError:
        return value


def _text(what: str, value: object, *, secret: bool = False, empty: bool = False) -> None:
    if not isinstance(value, str) or (not value and not empty):
        # A secret's value is never shown (SPEC D13), not even a wrong one: only its type.
        shown = type(value).__name__ if secret else repr(value)
        kind = "a str" if empty else "a non-empty str"
        raise SandboxError(f"{what} must be {kind}, not {shown}")
    if any(c in value for c in "\r\n\x00"):
        raise SandboxError(f"{what} must not hold CR, LF or NUL")
