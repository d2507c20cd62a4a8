"""Real third-party SMSC clients against the sandbox: node-smsc 0.2.3 (npm) and smsc-client 0.0.1.

Strategy: the clients are used as their users use them, against a sandbox served by the
``smsc_sandbox`` fixture. node-smsc runs in node (``tests/sandbox_clients/node_smsc.js``), found
through ``SMSC_WIRE_NODE_MODULES`` (a ``node_modules`` folder holding it: ``npm install --prefix
DIR node-smsc@0.2.3`` makes ``DIR/node_modules``); smsc-client is imported if installed. Each
test skips with the reason when its client is not there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

from smsc_wire.sandbox import DESCRIPTIONS

if TYPE_CHECKING:
    from smsc_wire.sandbox import Sandbox

pytest_plugins = ["smsc_wire.sandbox.pytest_plugin"]

SCRIPT: Final = Path(__file__).parent / "sandbox_clients" / "node_smsc.js"
NODE_VERSION: Final = "0.2.3"
LOGIN: Final = "node"
PASSWORD: Final = "Secret-пароль"
PHONE: Final = "79991234567"


def node_modules() -> tuple[str, str]:
    """``node`` and the node_modules folder holding node-smsc 0.2.3, or a skip saying why."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (node-smsc is a node package)")
    folder = os.environ.get("SMSC_WIRE_NODE_MODULES")
    if not folder:
        pytest.skip(
            "SMSC_WIRE_NODE_MODULES is not set: `npm install --prefix DIR node-smsc@0.2.3`, then "
            "SMSC_WIRE_NODE_MODULES=DIR/node_modules"
        )
    package = Path(folder) / "node-smsc" / "package.json"
    if not package.is_file():
        pytest.skip(f"node-smsc is not installed in SMSC_WIRE_NODE_MODULES ({folder})")
    version = json.loads(package.read_text())["version"]
    if version != NODE_VERSION:
        pytest.skip(f"node-smsc {version} is installed; this test drives {NODE_VERSION}")
    return node, folder


def node_smsc(sandbox: Sandbox, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    node, folder = node_modules()
    done = subprocess.run(
        [node, str(SCRIPT), f"{sandbox.url}/sys/", LOGIN, PASSWORD, json.dumps(calls)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NODE_PATH": folder},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def smsc_error(code: int) -> dict[str, Any]:
    """How node-smsc rejects an error reply: SmscApiError with the parsed JSON."""
    description = DESCRIPTIONS[code]
    return {
        "error": {
            "name": "SmscApiError",
            "message": f"{description} ({code})",
            "response": {"error": description, "error_code": code},
        }
    }


def test_node_smsc_drives_every_operation(smsc_sandbox: Sandbox) -> None:
    node_modules()
    smsc_sandbox.add_account(LOGIN, PASSWORD)
    results = node_smsc(
        smsc_sandbox,
        [
            {"get": 1},
            {"add": 1, "sender": "NodeShop", "cmt": "из node"},
            {"add": 1, "sender": PHONE},
            {"get": 1, "all": 1},
            {"chg": 1, "sender": "NodeShop", "cmt": "changed"},
            {"add": 1, "sender": "Bad name!"},
            {"del": 1, "id": 999},
            {"send_code": 1, "sender": "NodeShop"},
            {"send_code": 1, "sender": PHONE},
            {"get": 1, "operators": 1},
        ],
    )
    assert results == [
        {"ok": []},
        {"ok": {"sender": 1}},
        {"ok": {"sender": 2}},
        {
            "ok": [
                {"sender": "NodeShop", "status": 0, "id": 1},
                {"sender": PHONE, "status": 0, "id": 2},
            ]
        },
        {"ok": {"result": "OK"}},
        smsc_error(1),
        smsc_error(3),
        smsc_error(7),
        {"ok": {"result": "OK"}},
        {"ok": []},
    ]
    assert smsc_sandbox.sender(LOGIN, "NodeShop").cmt == "changed"
    code = smsc_sandbox.last_code(PHONE)
    smsc_sandbox.configure(bare_ok=True)  # node-smsc reads a bare OK as {result: 'OK'}
    results = node_smsc(
        smsc_sandbox,
        [
            {"check_code": 1, "sender": PHONE, "code": "000000" if code != "000000" else "1"},
            {"check_code": 1, "sender": PHONE, "code": code},
            {"get": 1},
            {"del": 1, "sender": "NodeShop"},
        ],
    )
    assert results == [
        smsc_error(11),
        {"ok": {"result": "OK"}},
        {"ok": [{"sender": PHONE, "id": 2}]},
        {"ok": {"result": "OK"}},
    ]
    # What node-smsc sent: fmt=3, charset=utf-8 and psw as the MD5 digest, never shown.
    targets = [exchange.target for exchange in smsc_sandbox.history]
    assert len(targets) == 14
    for target in targets:
        assert "&psw=***&charset=utf-8" in target and "fmt=3" in target
    assert smsc_sandbox.history[1].target == (
        "/sys/senders.php?add=1&sender=NodeShop&cmt=%D0%B8%D0%B7%20node&fmt=3&login=node"
        "&psw=***&charset=utf-8"
    )


def test_smsc_client_post_works_and_get_sends_a_body_the_service_ignores(
    smsc_sandbox: Sandbox,
) -> None:
    api_module = pytest.importorskip(
        "smsc_client", reason="smsc-client 0.0.1 is not installed (pip install smsc-client==0.0.1)"
    )
    smsc_sandbox.add_account(LOGIN, PASSWORD)
    api = api_module.SMSCAPI(LOGIN, PASSWORD)
    api._domain = f"{smsc_sandbox.url}/"
    # It writes the form in UTF-8 but names no charset, so the service reads windows-1251
    # (SPEC D10): a password outside ASCII does not match, unless the request says utf-8.
    refused = api.request("senders.php", "POST", {"get": 1, "fmt": 3})
    assert refused == '{\n"error": "authorise error",\n"error_code": 2\n}'
    assert api.request("senders.php", "POST", {"get": 1, "charset": "utf-8"}) == ""
    smsc_sandbox.add_account("ascii", "plain-password")
    api = api_module.SMSCAPI("ascii", "plain-password")
    api._domain = f"{smsc_sandbox.url}/"
    # POST: the form body is read.
    added = api.request("senders.php", "POST", {"add": 1, "sender": "PyShop", "fmt": 3})
    assert added == '{\n"sender": 1\n}'
    listed = api.request("senders.php", "POST", {"get": 1, "all": 1, "fmt": 1})
    assert listed == "PyShop,0,1"
    # GET: smsc-client sends the parameters as a body, which the service (PHP) never reads for
    # a GET; the sandbox does the same, so the request names no operation: error 1, fmt 0.
    assert api.request("senders.php", "GET", {"get": 1, "fmt": 3}) == "ERROR = 1 (parameters error)"
