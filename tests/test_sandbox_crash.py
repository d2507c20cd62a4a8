"""``kill -9`` mid-load loses nothing acknowledged: ``serve --state`` commits before it replies.

Strategy: ``serve --state PATH`` runs as a process; six threads add sender names as fast as it
answers, each recording the adds whose whole reply it read; once enough are acknowledged, the
process is killed with SIGKILL while adds are still in flight. A new process on the same file
must list every acknowledged add under its id, and give the next add an id past every old one.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Final

import httpx
from sandbox_clients.serve import COMMAND, ROOT

import smsc_wire as sw

ACCOUNTS: Final = [("a0", "p0"), ("a1", "p1"), ("a2", "p2")]
WRITERS: Final = 6
ACKNOWLEDGED_BEFORE_KILL: Final = 60


def start(state: Path) -> tuple[subprocess.Popen[bytes], str]:
    accounts = [arg for login, psw in ACCOUNTS for arg in ("--account", f"{login}:{psw}")]
    proc = subprocess.Popen(
        [*COMMAND, "--port", "0", "--state", str(state), "--no-limits", *accounts],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        bufsize=0,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    assert ready, "serve did not start"
    line = proc.stdout.readline().decode()
    match = re.fullmatch(r"listening on (http://127\.0\.0\.1:\d+)\n", line)
    assert match, line
    return proc, match[1] + "/sys/senders.php"


def test_kill_9_mid_load_loses_nothing_acknowledged(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    proc, endpoint = start(state)
    acknowledged: list[tuple[str, int, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(index: int) -> None:
        login, psw = ACCOUNTS[index % len(ACCOUNTS)]
        with httpx.Client(timeout=10, verify=False, trust_env=False) as client:
            for i in range(10_000):
                if stop.is_set():
                    return
                name = f"W{index}N{i}"
                params = {"add": "1", "login": login, "psw": psw, "sender": name, "fmt": "3"}
                try:
                    body = client.get(endpoint, params=params).content
                except httpx.TransportError:
                    return  # the server is gone: this add may or may not have been saved
                reply = sw.decode(body, sw.Key(3, "add"), charset="windows-1251")
                assert isinstance(reply, sw.SenderAdded), reply
                with lock:
                    acknowledged.append((login, reply.id, name))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)  # mid-load: the writers are still sending
    proc.wait(30)
    assert proc.stdout is not None
    proc.stdout.close()
    stop.set()
    for thread in threads:
        thread.join(30)
    assert proc.returncode == -signal.SIGKILL
    assert len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL

    proc, endpoint = start(state)
    try:
        listed: dict[int, tuple[str, str]] = {}
        for login, psw in ACCOUNTS:
            body = httpx.get(
                endpoint, params={"get": "1", "all": "1", "login": login, "psw": psw, "fmt": "3"}
            ).content
            senders = sw.decode(body, sw.Key(3, "get", all=True), charset="windows-1251")
            assert isinstance(senders, sw.SenderList)
            for sender in senders:
                assert sender.id not in listed  # no id given twice
                listed[sender.id] = (login, sender.name)
        for login, record_id, name in acknowledged:
            assert listed.get(record_id) == (login, name)
        login, psw = ACCOUNTS[0]
        body = httpx.get(
            endpoint, params={"add": "1", "login": login, "psw": psw, "sender": "After", "fmt": "1"}
        ).content
        assert int(body) > max(listed)  # ids go on past every old one
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert proc.stdout is not None
        proc.stdout.close()
