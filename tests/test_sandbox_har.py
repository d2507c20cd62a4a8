"""A HAR recorded by a real tool (mitmproxy's mitmdump) in front of the sandbox validates clean.

Strategy: mitmdump runs as a reverse proxy to a served sandbox and writes a HAR on exit; httpx
and urllib send a get/add/chg/del/send_code/check_code sequence in every fmt and several
charsets through it; then ``smsc-wire validate`` judges each senders.php entry under its own
request's key and charset (SPEC D14) and must find every one canonical. mitmproxy is large and
not a test dependency: ``SMSC_WIRE_MITMDUMP`` names the executable (or it is found on PATH), and
the test skips when it is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Final

import httpx
import pytest
from sandbox_clients.calls import encoded
from sandbox_clients.serve import ROOT

if TYPE_CHECKING:
    from smsc_wire.sandbox import Sandbox

pytest_plugins = ["smsc_wire.sandbox.pytest_plugin"]

PHONE: Final = "79991234567"


def mitmdump() -> str:
    path = os.environ.get("SMSC_WIRE_MITMDUMP") or shutil.which("mitmdump")
    if not path or not Path(path).is_file():
        pytest.skip(
            "mitmdump is not installed: set SMSC_WIRE_MITMDUMP to its path (python3 -m venv V && "
            "V/bin/pip install mitmproxy) or put it on PATH"
        )
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"mitmdump exited: {proc.communicate()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"mitmdump did not listen on {port} within {seconds} s")


def record(sandbox: Sandbox, folder: Path, sequence: list[dict[str, str | int]]) -> Path:
    """Send ``sequence`` through mitmdump to ``sandbox``; the HAR it wrote on exit."""
    executable = mitmdump()
    port = free_port()
    har = folder / "sandbox.har"
    proc = subprocess.Popen(
        [executable, "--mode", f"reverse:{sandbox.url}", "--listen-host", "127.0.0.1",
         "--listen-port", str(port), "--set", f"hardump={har}",
         "--set", f"confdir={folder / 'mitmproxy'}", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(port, proc)
        endpoint = f"http://127.0.0.1:{port}/sys/senders.php"
        with httpx.Client(timeout=30) as client:
            for index, step in enumerate(sequence):
                params = {**step, "login": "har", "psw": "secret"}
                if params.get("code") == "CODE":  # the code the sandbox "sent" by SMS
                    params["code"] = sandbox.last_code(PHONE)
                query = encoded(params)
                if index % 3 == 0:  # urllib, GET
                    with urllib.request.urlopen(f"{endpoint}?{query}", timeout=30) as response:
                        assert response.status == 200
                elif index % 3 == 1:  # httpx, GET
                    assert client.get(f"{endpoint}?{query}").status_code == 200
                else:  # httpx, POST urlencoded
                    posted = client.post(
                        endpoint,
                        content=query.encode("ascii"),
                        headers={"Content-Type": "application/x-www-form-urlencoded"},
                    )
                    assert posted.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)  # mitmdump writes the HAR on exit
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, (out, err)
    entries = json.loads(har.read_text(), strict=False)["log"]["entries"]
    assert len(entries) == len(sequence)
    return har


def validates_clean(har: Path, count: int) -> None:
    """``smsc-wire validate`` judges every entry canonical, under its own request's key."""
    done = subprocess.run(
        [sys.executable, "-m", "smsc_wire", "validate", "--json", str(har)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    verdicts = [json.loads(line) for line in done.stdout.splitlines()]
    assert [v["entry"] for v in verdicts] == list(range(count))
    assert {v["verdict"] for v in verdicts} == {"canonical"}
    assert {v["key_source"] for v in verdicts} == {"request"}
    assert "secret" not in done.stdout
    human = subprocess.run(
        [sys.executable, "-m", "smsc_wire", "validate", str(har)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert human.returncode == 0
    assert human.stdout.splitlines()[-1] == f"{count} files: {count} canonical, 0 valid, 0 invalid"


def test_a_har_recorded_by_mitmdump_validates_clean(smsc_sandbox: Sandbox, tmp_path: Path) -> None:
    mitmdump()
    smsc_sandbox.configure(names=None, list_limit=None, add_limit=None)
    smsc_sandbox.add_account("har", "secret")
    # Requests outside ASCII only in UTF-8 here (see the next test); the replies hold Cyrillic
    # in every charset.
    sequence: list[dict[str, str | int]] = [
        {"add": 1, "sender": "Ёлка, Inc", "cmt": "ёлка", "charset": "utf-8", "fmt": 3},
        {"add": 1, "sender": PHONE, "fmt": 0},
        {"add": 1, "sender": "Shop", "fmt": 1, "charset": "koi8-r"},
        {"get": 1, "fmt": 2},
        {"get": 1, "all": 1, "fmt": 0, "charset": "utf-8"},
        {"get": 1, "all": 1, "fmt": 1},
        {"get": 1, "all": 1, "operators": 1, "fmt": 3, "charset": "koi8-r"},
        {"get": 1, "operators": 1, "fmt": 2, "charset": "utf-8"},
        {"chg": 1, "sender": "Shop", "cmt": "новый", "fmt": 2, "charset": "utf-8"},
        {"chg": 1, "id": 99, "fmt": 3},
        {"send_code": 1, "sender": PHONE, "fmt": 3},
        {"send_code": 1, "sender": PHONE, "fmt": 1},
        {"check_code": 1, "sender": PHONE, "code": "x", "fmt": 2, "charset": "utf-8"},
        {"check_code": 1, "sender": PHONE, "code": "CODE", "fmt": 0},
        {"del": 1, "sender": "Shop", "fmt": 3},
        {"del": 1, "id": 1, "fmt": 1, "charset": "utf-8"},
        {"get": 1, "all": 1, "fmt": 3},
    ]
    validates_clean(record(smsc_sandbox, tmp_path, sequence), len(sequence))


def test_a_har_with_windows_1251_parameters_validates_clean(
    smsc_sandbox: Sandbox, tmp_path: Path
) -> None:
    mitmdump()
    smsc_sandbox.configure(names=None)
    smsc_sandbox.add_account("har", "secret")
    sequence: list[dict[str, str | int]] = [
        {"add": 1, "sender": "Ёлка", "fmt": 3},
        {"get": 1, "all": 1, "fmt": 0},
        {"chg": 1, "sender": "Ёлка", "cmt": "новый", "fmt": 2},
    ]
    validates_clean(record(smsc_sandbox, tmp_path, sequence), len(sequence))
