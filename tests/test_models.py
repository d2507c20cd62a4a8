"""Keys, models, codes and the registry."""

from __future__ import annotations

import copy
import dataclasses

import pytest

import smsc_wire as sw
from smsc_wire import Key, Operation


def test_key_normalises_the_operation_and_ignored_flags() -> None:
    assert Key(fmt=3, operation="get") == Key(fmt=3, operation=Operation.GET)
    assert Key(0, "del", all=True, operators=True) == Key(0, "del")
    assert Key(0, "del", all=True).all is False
    assert Key(2, "get", all=1, operators=0).all is True  # type: ignore[call-overload]
    assert hash(Key(3, "get", True)) == hash(Key(3, Operation.GET, True))
    assert str(Key(1, "get", True)) == "fmt=1 get all=1 operators=0"
    assert str(Key(2, "send_code")) == "fmt=2 send_code"
    assert Key(3, "add").as_dict() == {"fmt": 3, "operation": "add", "all": False,
                                       "operators": False}  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((3, "list"), "unknown operation 'list': expected one of get, add, chg, send_code, "
                      "check_code, del"),
        ((3, ["get"]), "unknown operation ['get']: expected one of get, add, chg, send_code, "
                       "check_code, del"),
        ((-1, "get"), "fmt must be a non-negative int, not -1"),
        ((True, "get"), "fmt must be a non-negative int, not True"),
        (("3", "get"), "fmt must be a non-negative int, not '3'"),
    ],
)  # fmt: skip
def test_key_rejects(args: tuple[object, object], message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("[", r"\[").replace("]", r"\]")):
        Key(*args)  # type: ignore[call-overload]


def test_key_is_frozen() -> None:
    key = Key(0, "get")
    with pytest.raises(AttributeError):
        key.fmt = 1  # type: ignore[misc]


def test_operators_mapping() -> None:
    ops = sw.Operators({"zz": 1, "mega_step": sw.OperatorStatus.APPROVED})
    assert list(ops) == ["zz", "mega_step"]
    assert ops == {"mega_step": 2, "zz": 1}
    assert ops == sw.Operators([("mega_step", 2), ("zz", 1)])
    assert hash(ops) == hash(sw.Operators({"mega_step": 2, "zz": 1}))
    assert ops != sw.Operators({"mega_step": 2})
    assert ops != [("zz", 1)]
    assert "zz" in ops and "id" not in ops
    assert len(ops) == 2
    assert repr(sw.Operators({"a": "x"})) == "Operators({'a': 'x'})"
    with pytest.raises(TypeError):
        ops["zz"] = 3  # type: ignore[index]


def test_sender_wraps_a_plain_dict() -> None:
    sender = sw.Sender("A", 1, None, {"mega_step": 2})
    assert type(sender.operators) is sw.Operators
    assert hash(sender) == hash(sw.Sender("A", 1, None, sw.Operators({"mega_step": 2})))


def test_sender_list_is_a_sequence() -> None:
    a, b = sw.Sender("A", 1), sw.Sender("B", 2)
    senders = sw.SenderList(iter([a, b]))
    assert len(senders) == 2 and senders[1] == b and list(senders) == [a, b]
    assert senders[:1] == sw.SenderList([a])
    assert senders.index(b) == 1 and b in senders
    assert sw.SenderList() == sw.SenderList([])
    assert senders != [a, b]  # type: ignore[comparison-overlap]
    assert hash(senders) == hash(sw.SenderList((a, b)))


def test_codes_keep_unknown_values() -> None:
    reply = sw.decode("name = X, status = 9, id = 1", Key(0, "get", all=True))
    assert isinstance(reply, sw.SenderList)
    assert type(reply[0].status) is int and reply[0].status == 9
    reply = sw.decode("name = X, status = 2, id = 1", Key(0, "get", all=True))
    assert isinstance(reply, sw.SenderList)
    assert reply[0].status is sw.SenderStatus.DISABLED
    error = sw.decode("0,-6", Key(1, "add"))
    assert isinstance(error, sw.ErrorReply)
    assert type(error.code) is int and error.code == 6
    assert sw.OperatorStatus(255) is sw.OperatorStatus.APPROVED_MARKED_FOR_DEREGISTRATION


def test_registry_lists_the_34_documented_keys() -> None:
    keys = list(sw.registry)
    assert len(keys) == len(sw.registry) == 34
    assert keys == sorted(keys, key=lambda k: k.sort_key)
    get_keys = [k for k in keys if k.operation is Operation.GET]
    assert len(get_keys) == 14
    assert {k.fmt for k in get_keys if k.operators} == {0, 2, 3}
    assert all(k.fmt in (0, 1, 2, 3) for k in keys)


class _Upper:
    """A toy codec for a key of another SDK's own: fmt 9, the OK reply in upper case."""

    def decode(self, text: str) -> sw.Reply:
        if text != "DONE":
            raise sw.WireFormatError("expected DONE", key=Key(9, "del"))
        return sw.Ok()

    def encode(self, reply: sw.Reply) -> str:
        return "DONE"


def test_registering_a_codec_of_ones_own() -> None:
    registry = sw.Registry()
    key = Key(9, "del")
    registry.register(key, _Upper())
    assert key in registry and len(registry) == 35
    assert registry[key].decode("DONE") == sw.Ok()
    with pytest.raises(ValueError, match=r"^fmt=9 del: a codec is already registered"):
        registry.register(key, _Upper())
    registry.register(key, _Upper(), replace=True)
    with pytest.raises(sw.UnsupportedKeyError, match=r"not a smsc_wire\.Key"):
        registry["nope"]  # type: ignore[index]


def test_import_does_not_load_lark() -> None:
    import subprocess
    import sys

    code = "import sys, smsc_wire; print('lark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_operators_read_lazily_behave_like_converted_ones() -> None:
    # fmt 2 and 3 keep checked wire text and convert it on first use; fmt 0 converts at once.
    key3, key0 = Key(3, "get", operators=True), Key(0, "get", operators=True)
    lazy = sw.decode(b'[{"sender": "A", "mega_step": "2", "zz": "255", "id": "1"}]', key3)
    eager = sw.decode(b"name = A, mega_step = 2, zz = 255, id = 1", key0)
    assert isinstance(lazy, sw.SenderList)
    assert isinstance(eager, sw.SenderList)
    ops = lazy[0].operators
    assert ops is not None
    assert list(ops) == ["mega_step", "zz"] and len(ops) == 2 and "zz" in ops
    assert hash(lazy) == hash(eager)
    assert lazy == eager
    assert ops["mega_step"] is sw.OperatorStatus.APPROVED
    assert ops["zz"] is sw.OperatorStatus.APPROVED_MARKED_FOR_DEREGISTRATION
    assert repr(ops) == (
        "Operators({'mega_step': <OperatorStatus.APPROVED: 2>, "
        "'zz': <OperatorStatus.APPROVED_MARKED_FOR_DEREGISTRATION: 255>})"
    )


def test_a_used_key_lists_and_copies_only_its_values() -> None:
    # decode and encode remember a key's codec on the key; that memo is no field of the key's:
    # asdict would deep-copy a codec, and repr or equality would depend on what was decoded.
    key = Key(3, "get", all=True)
    sw.decode(b"[]", key)
    sw.encode(sw.SenderList([]), key)
    names = [f.name for f in dataclasses.fields(key)]
    assert names == ["fmt", "operation", "all", "operators", "_hash"]
    assert "_memo" not in dataclasses.asdict(key)
    assert copy.deepcopy(key) == key == Key(3, "get", all=True)
    assert repr(key) == repr(Key(3, "get", all=True))
