"""Keeping the sandbox's state in SQLite (``serve --state PATH``), durable before each reply.

Strategy: the state in memory is what the sandbox serves from; the store is its write-ahead
copy. Every change is a short list of SQL statements that the state applies here in one
transaction *before* it changes memory and before the reply is written, so a reply the client
received is on disk, and a change the disk refused is answered ``save error`` (5) and never
happened. On start, :meth:`SqliteStore.load` gives the whole state back, the id counter
included, so ids are never reused across restarts.

Durability: WAL journal with ``synchronous=FULL``: each commit is fsynced before the reply, so
an acknowledged change survives not only ``kill -9`` (which ``NORMAL`` would already cover, the
WAL being in the OS's cache) but a power cut too. The cost is one fsync per change, measured by
``bench/sandbox.py``; reads never touch the disk. The connection is used under the state's lock
only, so one connection serves every thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from ._errors import SandboxError

SCHEMA_VERSION: Final = 1

Statement = tuple[str, tuple[object, ...]]

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    login TEXT PRIMARY KEY, password TEXT NOT NULL, apikey TEXT UNIQUE
);
CREATE TABLE IF NOT EXISTS senders (
    id INTEGER PRIMARY KEY, login TEXT NOT NULL, name TEXT NOT NULL,
    status INTEGER NOT NULL, cmt TEXT NOT NULL, confirmed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS operators (
    sender_id INTEGER NOT NULL, position INTEGER NOT NULL, field TEXT NOT NULL, value,
    PRIMARY KEY (sender_id, field)
);
CREATE TABLE IF NOT EXISTS codes (
    seq INTEGER PRIMARY KEY, number TEXT NOT NULL, code TEXT NOT NULL, sent_at REAL NOT NULL,
    login TEXT NOT NULL, consumed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS undeliverable (number TEXT PRIMARY KEY);
"""


class StoreFailure(Exception):
    """The store could not make a change durable (the state answers error 5, ``save error``)."""


class Store(Protocol):
    """Where changes go before they are made in memory."""

    def apply(self, statements: Sequence[Statement]) -> None:
        """Make ``statements`` durable together, or raise :class:`StoreFailure`."""

    def close(self) -> None:
        """Release the store."""


class MemoryStore:
    """No store: the state lives in memory only."""

    def apply(self, statements: Sequence[Statement]) -> None:
        """Nothing to make durable."""

    def close(self) -> None:
        """Nothing to release."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a state file holds, as rows."""

    next_id: int
    accounts: list[tuple[str, str, str | None]]
    senders: list[tuple[int, str, str, int, str, int]]
    operators: list[tuple[int, str, int | str]]
    codes: list[tuple[int, str, str, float, str, int]]
    undeliverable: list[str]


class SqliteStore:
    """The state in a SQLite file (stdlib ``sqlite3``), WAL, ``synchronous=FULL``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            # Autocommit mode: transactions are begun and committed explicitly in apply().
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise SandboxError(f"cannot open the state file {str(self.path)!r}: {exc}") from None
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if version not in (0, SCHEMA_VERSION) or (version == 0 and tables):
                raise SandboxError(
                    f"{str(self.path)!r} is not a sandbox state file of version {SCHEMA_VERSION}"
                )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.executescript(_SCHEMA)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise SandboxError(
                f"{str(self.path)!r} is not a sandbox state file (SQLite: {exc})"
            ) from None
        except SandboxError:
            conn.close()
            raise
        self._conn = conn

    def load(self) -> Snapshot:
        """Every row, in id and sequence order."""
        c = self._conn
        row = c.execute("SELECT value FROM meta WHERE key = 'next_id'").fetchone()
        return Snapshot(
            next_id=1 if row is None else int(row[0]),
            accounts=c.execute("SELECT login, password, apikey FROM accounts").fetchall(),
            senders=c.execute(
                "SELECT id, login, name, status, cmt, confirmed FROM senders ORDER BY id"
            ).fetchall(),
            operators=c.execute(
                "SELECT sender_id, field, value FROM operators ORDER BY sender_id, position"
            ).fetchall(),
            codes=c.execute(
                "SELECT seq, number, code, sent_at, login, consumed FROM codes ORDER BY seq"
            ).fetchall(),
            undeliverable=[r[0] for r in c.execute("SELECT number FROM undeliverable")],
        )

    def apply(self, statements: Sequence[Statement]) -> None:
        """Run ``statements`` in one transaction and commit (fsynced) before returning."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self._conn.execute(sql, params)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreFailure(str(exc)) from exc

    def close(self) -> None:
        """Close the connection (every change is already committed)."""
        self._conn.close()


# --- the statements of each change --------------------------------------------------------------


def next_id(value: int) -> Statement:
    """The id the next ``add`` gets."""
    return ("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_id', ?)", (value,))


def account(login: str, password: str, apikey: str | None) -> Statement:
    """An account, new or changed."""
    return (
        "INSERT OR REPLACE INTO accounts (login, password, apikey) VALUES (?, ?, ?)",
        (login, password, apikey),
    )


def sender(id: int, login: str, name: str, status: int, cmt: str, *, confirmed: bool) -> Statement:
    """A sender name, new or changed."""
    return (
        "INSERT OR REPLACE INTO senders (id, login, name, status, cmt, confirmed) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (id, login, name, int(status), cmt, int(confirmed)),
    )


def operators(id: int, fields: Sequence[tuple[str, int | str]]) -> list[Statement]:
    """A sender name's operator statuses, replaced whole (in their order)."""
    statements: list[Statement] = [("DELETE FROM operators WHERE sender_id = ?", (id,))]
    statements.extend(
        (
            "INSERT INTO operators (sender_id, position, field, value) VALUES (?, ?, ?, ?)",
            (id, position, field, value if isinstance(value, str) else int(value)),
        )
        for position, (field, value) in enumerate(fields)
    )
    return statements


def delete_sender(id: int) -> list[Statement]:
    """A sender name deleted (its id is not reused: the counter is in ``meta``)."""
    return [
        ("DELETE FROM senders WHERE id = ?", (id,)),
        ("DELETE FROM operators WHERE sender_id = ?", (id,)),
    ]


def code(seq: int, number: str, value: str, sent_at: float, login: str) -> Statement:
    """A confirmation code sent."""
    return (
        "INSERT INTO codes (seq, number, code, sent_at, login, consumed) VALUES (?, ?, ?, ?, ?, 0)",
        (seq, number, value, sent_at, login),
    )


def code_consumed(seq: int) -> Statement:
    """A confirmation code used up by a right ``check_code``."""
    return ("UPDATE codes SET consumed = 1 WHERE seq = ?", (seq,))


def undeliverable(number: str, on: bool) -> Statement:
    """A number that codes cannot be delivered to (or no longer)."""
    if on:
        return ("INSERT OR IGNORE INTO undeliverable (number) VALUES (?)", (number,))
    return ("DELETE FROM undeliverable WHERE number = ?", (number,))
