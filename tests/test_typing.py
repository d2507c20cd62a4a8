"""What a type checker sees of the public API: checked by mypy (part of the test command).

Strategy (after msgspec's typing tests): each ``check_*`` function states, with
``typing.assert_type``, the type mypy must infer for an expression of the public API. mypy fails
the test command if any differs. pytest runs them too (``assert_type`` returns its argument), so
the expressions are also proven to work at run time.
"""

from __future__ import annotations

from typing import assert_type

import smsc_wire as sw

LIST = b"[]"


def check_get_decodes_to_a_sender_list_or_an_error() -> None:
    reply = sw.decode(LIST, sw.Key(fmt=3, operation="get", all=True))
    assert_type(reply, sw.SenderList | sw.ErrorReply)
    assert_type(sw.decode(LIST, sw.Key(3, sw.Operation.GET)), sw.SenderList | sw.ErrorReply)


def check_raise_for_error_narrows_to_the_success_model() -> None:
    senders = sw.decode(LIST, sw.Key(fmt=3, operation="get")).raise_for_error()
    assert_type(senders, sw.SenderList)
    assert_type(senders[0:1], sw.SenderList)


def check_add_decodes_to_sender_added_or_an_error() -> None:
    body = b'{"sender": 7}'
    assert_type(sw.decode(body, sw.Key(3, "add")), sw.SenderAdded | sw.ErrorReply)
    assert_type(sw.decode(body, sw.Key(3, sw.Operation.ADD)).raise_for_error(), sw.SenderAdded)


def check_the_ok_operations_decode_to_ok_or_an_error() -> None:
    body = b"OK"
    assert_type(sw.decode(body, sw.Key(0, "chg")), sw.Ok | sw.ErrorReply)
    assert_type(sw.decode(body, sw.Key(0, "send_code")), sw.Ok | sw.ErrorReply)
    assert_type(sw.decode(body, sw.Key(0, "check_code")), sw.Ok | sw.ErrorReply)
    assert_type(sw.decode(body, sw.Key(0, "del")), sw.Ok | sw.ErrorReply)
    assert_type(sw.decode(body, sw.Key(0, sw.Operation.DEL)).raise_for_error(), sw.Ok)


def check_an_operation_unknown_statically_gives_any_reply(operation: str) -> None:
    reply = sw.decode(b"OK", sw.Key(0, operation))
    assert_type(reply, sw.SenderList | sw.SenderAdded | sw.Ok | sw.ErrorReply)


def check_a_bare_key_annotation_means_any_documented_reply(key: sw.Key) -> None:
    assert_type(sw.decode(b"OK", key), sw.SenderList | sw.SenderAdded | sw.Ok | sw.ErrorReply)


def check_sniff_and_encode() -> None:
    assert_type(sw.sniff(b"OK"), list[sw.Key])
    assert_type(sw.encode(sw.Ok(), sw.Key(0, "del")), str)
    assert_type(sw.encode_bytes(sw.Ok(), sw.Key(0, "del"), charset="windows-1251"), bytes)


def test_the_checks_run() -> None:
    check_get_decodes_to_a_sender_list_or_an_error()
    check_add_decodes_to_sender_added_or_an_error()
    check_the_ok_operations_decode_to_ok_or_an_error()
    check_an_operation_unknown_statically_gives_any_reply("del")
    check_a_bare_key_annotation_means_any_documented_reply(sw.Key(0, "del"))
    check_sniff_and_encode()
