"""The sandbox under load, bounded: many clients at once, 32 requests held at once, the drain.

Strategy: a served sandbox (waitress, loopback) takes 16 client threads × 50 mixed requests over
four accounts, each thread with its own client (httpx, requests or urllib); every reply must be
well-formed and canonical, and afterwards the state must hold every acknowledged add — none
lost, no id given twice. Then 32 requests each held by an injected latency must be served side
by side, and closing the server mid-request must still deliver that request's reply.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

import pytest
from sandbox_clients.calls import CLIENTS, Api, Clients, encoded, send

import smsc_wire as sw
from smsc_wire.sandbox import Latency, Rules, Sandbox

ACCOUNTS: Final = [("acct0", "pw0"), ("acct1", "pw1"), ("acct2", "pw2"), ("acct3", "pw3")]
THREADS: Final = 16
REQUESTS: Final = 50


@pytest.fixture
def served() -> Iterator[Sandbox]:
    with Sandbox(rules=Rules.without_limits(), accounts=ACCOUNTS) as sandbox:
        sandbox.serve()
        yield sandbox


@dataclass
class Tally:
    added: list[tuple[str, int, str]] = field(default_factory=list)  # login, id, name
    deleted: list[int] = field(default_factory=list)
    replies: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def worker(endpoint: str, index: int, tally: Tally) -> None:
    login, psw = ACCOUNTS[index % len(ACCOUNTS)]
    client = CLIENTS[index % len(CLIENTS)]
    clients = Clients()
    rng = random.Random(index)
    mine: list[int] = []
    try:
        for i in range(REQUESTS):
            kind = i % 5
            params: dict[str, str | int] = {"login": login, "psw": psw, "fmt": rng.randrange(4)}
            if kind in (0, 1):
                params.update({"add": 1, "sender": f"T{index}N{i}"})
            elif kind == 2:
                params.update({"get": 1, "all": 1, "charset": rng.choice(["utf-8", "koi8-r"])})
            elif kind == 3 and mine:
                params.update({"chg": 1, "id": rng.choice(mine), "cmt": f"c{i}"})
            elif kind == 4 and len(mine) > 2:
                params.update({"del": 1, "id": mine.pop(0)})
            else:
                params.update({"get": 1, "operators": 1, "fmt": rng.choice([0, 2, 3])})
            query = encoded(params)
            answer = send(client, "GET", f"{endpoint}?{query}", clients=clients)
            request = sw.Request.from_url("?" + query)
            try:
                reply = request.decode(answer.body)
                canonical = sw.encode_bytes(reply, request.key, charset=request.charset)
            except sw.SmscWireError as exc:
                with tally.lock:
                    tally.problems.append(f"{query}: {exc}")
                continue
            with tally.lock:
                tally.replies += 1
                if answer.status != 200 or answer.body != canonical:
                    tally.problems.append(f"{query}: {answer.status} {answer.body!r}")
                elif isinstance(reply, sw.ErrorReply):
                    tally.problems.append(f"{query}: {reply}")
                elif isinstance(reply, sw.SenderAdded):
                    tally.added.append((login, reply.id, str(params["sender"])))
                    mine.append(reply.id)
                elif "del" in params:
                    tally.deleted.append(int(params["id"]))
    finally:
        clients.close()


def test_many_clients_over_several_accounts(served: Sandbox) -> None:
    tally = Tally()
    threads = [
        threading.Thread(target=worker, args=(served.endpoint, i, tally)) for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    assert tally.problems == []
    assert tally.replies == THREADS * REQUESTS
    ids = [record_id for _, record_id, _ in tally.added]
    assert len(ids) == len(set(ids))  # no id given twice
    expected = {
        login: [
            (i, name) for owner, i, name in tally.added if owner == login and i not in tally.deleted
        ]
        for login, _ in ACCOUNTS
    }
    for login, _ in ACCOUNTS:
        assert [(r.id, r.name) for r in served.senders(login)] == sorted(expected[login])
    assert served.next_id == max(ids) + 1
    assert len(served.history) == THREADS * REQUESTS


def test_32_requests_are_served_at_once(served: Sandbox) -> None:
    served.inject(Latency(0.5), times=None)
    answers: list[bytes] = []
    lock = threading.Lock()

    def one(index: int) -> None:
        login, psw = ACCOUNTS[index % len(ACCOUNTS)]
        answer = send(
            CLIENTS[index % 3],
            "GET",
            f"{served.endpoint}?{encoded({'get': 1, 'login': login, 'psw': psw, 'fmt': 3})}",
        )
        with lock:
            answers.append(answer.body)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(32)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    elapsed = time.monotonic() - started
    assert answers == [b"[]"] * 32
    # One after another, 32 × 0.5 s = 16 s; side by side, about 0.5 s.
    assert elapsed < 4.0, elapsed


def test_closing_waits_for_the_request_under_way() -> None:
    sandbox = Sandbox(accounts=ACCOUNTS)
    server = sandbox.serve()
    sandbox.inject(Latency(0.8))
    api = Api("httpx", server.endpoint)
    got: list[bytes] = []
    thread = threading.Thread(
        target=lambda: got.append(
            api.call({"get": 1, "login": "acct0", "psw": "pw0", "fmt": 3})[0].body
        )
    )
    thread.start()
    deadline = time.monotonic() + 10
    while sandbox.active == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    sandbox.close()
    assert time.monotonic() - started > 0.3  # it waited for the held request
    thread.join(10)
    assert got == [b"[]"]
    api.close()
    with pytest.raises(sw.SmscWireError):
        _ = sandbox.url
