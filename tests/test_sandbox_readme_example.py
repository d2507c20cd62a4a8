import httpx
import pytest

from smsc_wire.sandbox import CloseMidBody, Sandbox

# Not needed once smsc_wire[sandbox] is installed: its pytest11 entry point loads the plugin.
pytest_plugins = ["smsc_wire.sandbox.pytest_plugin"]


def create_sender(endpoint: str, login: str, psw: str, name: str) -> int:
    """Stands for your SDK: add a sender name, return its id."""
    query = {"add": "1", "login": login, "psw": psw, "sender": name, "fmt": "3", "charset": "utf-8"}
    data = httpx.get(endpoint, params=query).json()
    if "error_code" in data:
        raise LookupError(data["error_code"], data["error"])
    return int(data["sender"])


def test_create_sender(smsc_sandbox: Sandbox) -> None:
    smsc_sandbox.add_account("shop", "secret")
    sender_id = create_sender(smsc_sandbox.endpoint, "shop", "secret", "MyShop")
    assert smsc_sandbox.sender("shop", sender_id).name == "MyShop"


def test_sixth_add_within_a_minute_is_refused(smsc_sandbox: Sandbox) -> None:
    for i in range(5):
        create_sender(smsc_sandbox.endpoint, "demo", "demo", f"Shop{i}")
    with pytest.raises(LookupError) as refused:
        create_sender(smsc_sandbox.endpoint, "demo", "demo", "Shop5")
    assert refused.value.args == (9, "duplicate request, wait a minute")
    smsc_sandbox.clock.advance(60)  # a minute passes, without sleeping
    create_sender(smsc_sandbox.endpoint, "demo", "demo", "Shop5")


def test_a_reply_lost_on_the_way(smsc_sandbox: Sandbox) -> None:
    smsc_sandbox.inject(CloseMidBody())  # the next reply is cut off mid-body
    with pytest.raises(httpx.RemoteProtocolError):
        create_sender(smsc_sandbox.endpoint, "demo", "demo", "Shop")
    # The add did happen: an SDK that retries blindly would get error 5 for the same name.
    assert [s.name for s in smsc_sandbox.senders("demo")] == ["Shop"]
