"""``smsc-wire serve`` as a process: first line, log lines, signals, every option.

Strategy: each test starts the command with ``--port 0`` (or a port it found free), waits for
the first line of standard output, talks to it over HTTP, stops it with SIGINT or SIGTERM and
checks the exit status and both outputs — in which the password and API key never appear. The
command is ``python -m smsc_wire serve`` once the command line has the subcommand hooked in,
and ``python -m smsc_wire.sandbox serve`` (the same handler) until then.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

import httpx
import pytest
from sandbox_clients.serve import COMMAND, ROOT, cli_has_serve

from smsc_wire.sandbox import _cli

PASSWORD: Final = "Pa55-word-Ё"
APIKEY: Final = "api-key-123"


class Served:
    """A running ``serve`` process: its URL and the lines it wrote."""

    def __init__(self, args: Sequence[str]) -> None:
        self.proc = subprocess.Popen(
            [*COMMAND, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,  # unbuffered: what follows the first line stays for communicate()
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.first = self._line(30.0)
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:(\d+))", self.first)
        assert match, (self.first, self.stop())
        self.url = match[1]
        self.port = int(match[2])
        self.endpoint = self.url + "/sys/senders.php"
        self.out = ""
        self.err = ""

    def _line(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.proc.kill()
            raise AssertionError(f"no first line within {timeout} s: {self.proc.communicate()}")
        return self.proc.stdout.readline().decode().rstrip("\n")

    def get(self, **params: str | int) -> httpx.Response:
        return httpx.get(self.endpoint, params={k: str(v) for k, v in params.items()}, timeout=20)

    def stop(self, sig: int = signal.SIGINT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=30)
        self.out, self.err = out.decode(), err.decode()
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


@pytest.fixture
def serve() -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for served in started:
        served.kill()


def start(started: list[Served], *args: str) -> Served:
    served = Served(args)
    started.append(served)
    return served


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=60, cwd=ROOT, check=False
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_first_line_logs_secrets_masked_and_sigint_exits_0(serve: list[Served]) -> None:
    served = start(
        serve, "--port", "0", "--account", f"alice:{PASSWORD}:{APIKEY}", "--code", "4321"
    )
    assert served.port > 0
    refused = served.get(add=1, login="alice", psw="wrong", sender="79991234567", fmt=3)
    assert refused.content == b'{\n"error": "authorise error",\n"error_code": 2\n}'
    reply = httpx.get(
        served.endpoint,
        params={"add": "1", "login": "alice", "psw": PASSWORD, "sender": "79991234567",
                "fmt": "3", "charset": "utf-8"},
    )  # fmt: skip
    assert reply.content == b'{\n"sender": 1\n}'
    assert served.get(send_code=1, apikey=APIKEY, sender="79991234567").content == b"OK"
    form = httpx.post(
        served.endpoint,
        content=f"get=1&apikey={APIKEY}&all=1".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.content == b"name = 79991234567, status = 0, id = 1"
    assert served.stop(signal.SIGINT) == 0
    assert served.out.splitlines() == ["account alice (password ***, api key ***)"]
    log = served.err.splitlines()
    assert log[0].startswith("sandbox: names: the published rule; canonical replies; code: 4321")
    requests = [line for line in log if " -> " in line]
    assert len(requests) == 4
    assert re.fullmatch(
        r"127\.0\.0\.1 GET /sys/senders\.php\?add=1&login=alice&psw=\*\*\*&sender=79991234567"
        r"&fmt=3 -> 200 error 2 \(authorise error\) \(\d+\.\d ms\)",
        requests[0],
    ), requests[0]
    assert "&psw=***&sender=79991234567&fmt=3&charset=utf-8 -> 200 id 1 (" in requests[1]
    assert (
        "send_code=1&apikey=***&sender=79991234567 -> 200 OK (code 4321 sent to 79991234567)"
        in requests[2]
    )
    assert "POST /sys/senders.php get=1&apikey=***&all=1 -> 200 1 sender (" in requests[3]
    assert log[-1].endswith("serve: stopped")
    for text in (served.first, served.out, served.err):
        assert PASSWORD not in text and APIKEY not in text
        assert "Pa55" not in text and "%D0%81" not in text


def test_sigterm_exits_0_and_the_default_account(serve: list[Served]) -> None:
    served = start(serve, "--port", "0")
    reply = served.get(get=1, login="demo", psw="demo", fmt=2)
    assert reply.content == b"<list>\n</list>"
    assert reply.headers["content-type"] == "application/xml; charset=windows-1251"
    assert served.stop(signal.SIGTERM) == 0
    assert served.out == "account demo, password demo (the default)\n"
    assert "Traceback" not in served.err


def test_port_option_and_random_codes(serve: list[Served]) -> None:
    port = free_port()
    served = start(serve, "--port", str(port), "--account", "bob:pw")
    assert served.port == port
    assert served.get(add=1, login="bob", psw="pw", sender="79990000000").content == b"ID = 1"
    assert served.get(send_code=1, login="bob", psw="pw", sender="79990000000").content == b"OK"
    assert served.stop() == 0
    sent = re.search(r"OK \(code (\d{6}) sent to 79990000000\)", served.err)
    assert sent, served.err  # a random code is logged, so that a person can type it in


def test_any_names_and_bare_ok(serve: list[Served]) -> None:
    strict = start(serve, "--port", "0")
    refused = strict.get(add=1, login="demo", psw="demo", sender="Shop, Inc", fmt=3)
    assert refused.content == b'{\n"error": "parameters error",\n"error_code": 1\n}'
    assert strict.get(chg=1, login="demo", psw="demo", id=1, fmt=3).content == (
        b'{\n"error": "record not found",\n"error_code": 3\n}'
    )
    assert strict.stop() == 0
    loose = start(serve, "--port", "0", "--any-names", "--bare-ok")
    added = loose.get(add=1, login="demo", psw="demo", sender="Shop, Inc", fmt=3)
    assert added.content == b'{\n"sender": 1\n}'
    changed = loose.get(chg=1, login="demo", psw="demo", id=1, cmt="x", fmt=3)
    assert (changed.content, changed.headers["content-type"]) == (
        b"OK",
        "text/plain; charset=windows-1251",
    )
    assert loose.stop() == 0
    assert "sandbox: names: any; bare OK; codes: random" in loose.err


def test_state_survives_a_restart(serve: list[Served], tmp_path: Path) -> None:
    state = tmp_path / "sandbox.db"
    first = start(serve, "--port", "0", "--state", str(state), "--no-limits")
    for name in ("One", "Two", "Three"):
        assert first.get(add=1, login="demo", psw="demo", sender=name).status_code == 200
    assert first.get(**{"del": 1}, login="demo", psw="demo", id=3).content == b"OK"
    assert first.stop(signal.SIGTERM) == 0
    assert "no limits" in first.err
    second = start(serve, "--port", "0", "--state", str(state))
    assert second.get(add=1, login="demo", psw="demo", sender="Four").content == b"ID = 4"
    listed = second.get(get=1, login="demo", psw="demo", all=1, fmt=1)
    assert listed.content == b"One,0,1\nTwo,0,2\nFour,0,4"
    assert second.stop() == 0
    assert f"state {state}: 2 sender names, next id 4" in second.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", f"carol{PASSWORD}"], "argument --account: expected LOGIN:PASSWORD or LOGIN:PASSWORD:APIKEY, each non-empty and without ':' (the value is not shown: it holds a password)"),
        (["--account", f"carol:{PASSWORD}:{APIKEY}:x"], "argument --account: expected LOGIN:PASSWORD"),
        (["--port", "70000"], "argument --port: a port is a number from 0 to 65535, not '70000'"),
        (["--code", "12 34"], "error: CodeRule.fixed must be 1 to 20 ASCII letters or digits"),
        (["--state", "/"], "error: cannot open the state file '/': unable to open database file"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_without_echoing_secrets(args: list[str], message: str) -> None:
    done = run("--port", "0", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr
    assert PASSWORD not in done.stderr and APIKEY not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_port_in_use_exits_2(serve: list[Served]) -> None:
    served = start(serve, "--port", "0")
    done = run("--port", str(served.port))
    assert done.returncode == 2
    assert done.stderr.startswith("python -m smsc_wire") or done.stderr.startswith("smsc-wire")
    assert f"error: cannot listen on 127.0.0.1:{served.port}: " in done.stderr
    assert served.stop() == 0


def test_add_parser_hooks_into_any_command_line() -> None:
    parser = argparse.ArgumentParser(prog="tool")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = _cli.add_parser(commands)
    assert serve.prog == "tool serve"
    args = parser.parse_args(
        ["serve", "--account", "a:b", "--account", "c:d:k", "--any-names", "--state", "x.db"]
    )
    assert args.handler is _cli.run
    assert args.accounts == [("a", "b", None), ("c", "d", "k")]
    assert (args.host, args.port, args.any_names, args.bare_ok, args.state, args.code) == (
        "127.0.0.1", _cli.DEFAULT_PORT, True, False, "x.db", None
    )  # fmt: skip


def test_the_smsc_wire_command_has_serve() -> None:
    if not cli_has_serve():
        pytest.skip(
            "smsc_wire/_tools/cli.py does not hook in the serve subcommand yet: "
            "`add_parser(commands)` from smsc_wire.sandbox._cli"
        )
    done = subprocess.run(
        [sys.executable, "-m", "smsc_wire", "serve", "--help"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert "--any-names" in done.stdout and "--state PATH" in done.stdout


def test_help_describes_the_command() -> None:
    done = run("--help")
    assert done.returncode == 0
    for option in ("--host", "--port N", "--account LOGIN:PASSWORD[:APIKEY]", "--code CODE",
                   "--any-names", "--bare-ok", "--no-limits", "--state PATH"):  # fmt: skip
        assert option in done.stdout


def test_registering_serve_costs_the_other_subcommands_nothing() -> None:
    # The command line builds every subparser on each run: the sandbox loads on first use only.
    code = (
        "import sys, argparse, smsc_wire.sandbox._cli as c; "
        "c.add_parser(argparse.ArgumentParser().add_subparsers()); "
        "print(sorted(m for m in ('smsc_wire.sandbox._app', 'smsc_wire._exchange', 'sqlite3', "
        "'waitress') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "[]\n"
