"""The design holds: a new reply shape joins through the public extension points only (issue 9).

``examples/extension_balance.py`` defines a toy ``balance = X`` reply — a model, a
``ReplyShape``, an operation and a fmt 0 codec — using nothing but ``smsc_wire``'s public
names, and never edits the package. Run in a fresh process (registering an operation is global),
it gets registry membership, decode, encode, the fmt's own error reply and positioned errors.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import smsc_wire as sw

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "extension_balance.py"


def test_a_new_shape_through_the_public_extension_points() -> None:
    completed = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=60, check=True
    )
    assert completed.stdout.splitlines() == [
        f"fmt=0 balance True {len(sw.registry) + 1}",
        "Balance(kopecks=1250)",
        "ErrorReply(code=<ErrorCode.AUTHORISATION_ERROR: 2>, description='authorise error')",
        "balance = 99",
        "expected digits, found '12x' 1 11 10",
    ]


def test_the_example_uses_public_names_only() -> None:
    source = EXAMPLE.read_text(encoding="utf-8")
    assert "smsc_wire._" not in source
    assert "sw._" not in source


def test_an_operation_nobody_registered_is_no_key() -> None:
    with pytest.raises(ValueError, match=r"^unknown operation 'balance': expected one of get, "):
        sw.Key(0, "balance")


def test_registering_an_operation_checks_its_name_and_shape() -> None:
    with pytest.raises(ValueError, match=r"^an operation is an identifier, not 'a b'$"):
        sw.register_operation("a b", sw.shape_of("del"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^shape must be a smsc_wire\.ReplyShape, not str$"):
        sw.register_operation("x", "OK")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^operation 'get' is already known, with the shape "):
        sw.register_operation("get", sw.ReplyShape("list", sw.SenderList))


def test_a_format_missing_a_shape_fails_when_the_registry_is_built() -> None:
    # The registry is the product of the tables: a documented shape a format does not declare
    # is an error when the keys are computed, never a codec that accepts another shape.
    from dataclasses import replace

    from smsc_wire._formats import FORMATS
    from smsc_wire._registry import RegistryError, builtin_keys
    from smsc_wire._shapes import SENDER_LIST

    lacking = replace(FORMATS[2], shapes=FORMATS[2].shapes - {SENDER_LIST})
    with pytest.raises(RegistryError, match=r"^fmt 2 has no reader and writer for the sender list"):
        builtin_keys({2: lacking})
    assert len(builtin_keys()) == 34


def test_a_format_module_whose_tables_disagree_with_its_declaration_fails_at_import() -> None:
    from dataclasses import replace

    from smsc_wire._formats import FORMATS
    from smsc_wire._shapes import OK, SENDER_ADDED, SENDER_LIST

    more = replace(FORMATS[3], shapes=FORMATS[3].shapes | {sw.ReplyShape("balance", object)})
    with pytest.raises(ImportError, match=r"^fmt 3: the readers and writers of "):
        more.check_tables({SENDER_LIST: 1, SENDER_ADDED: 1, OK: 1}, {SENDER_LIST: 1})


def test_sniff_finds_a_registered_operation() -> None:
    # A codec of another's is asked about every body: the built-in fmts' first-word rules say
    # nothing about what it reads.
    script = (
        "import runpy, smsc_wire as sw\n"
        f"runpy.run_path({str(EXAMPLE)!r})\n"
        "print([str(key) for key in sw.sniff(b'balance = 12')])\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert completed.stdout.strip() == "['fmt=0 balance']"


def test_decode_uses_a_codec_registered_after_the_key_was_used() -> None:
    # decode remembers a key's reader of UTF-8 bytes on the key itself; a registration after
    # that (here replacing a built-in codec, process-wide) must be seen by the same key object,
    # and a codec of one's own gets the body without its byte-order mark (Utf8Codec).
    script = """
import smsc_wire as sw
key = sw.Key(3, "del")
print(sw.decode(b'{"result": "OK"}', key))
class Shout:
    def decode(self, text):
        return sw.Ok() if text == "DONE" else sw.ErrorReply(sw.ErrorCode(1), text)
    def decode_utf8(self, raw):
        return sw.ErrorReply(sw.ErrorCode(2), raw.decode())
    def encode(self, reply):
        return "DONE"
sw.registry.register(sw.Key(3, "del"), Shout(), replace=True)
print(sw.decode(b'\\xef\\xbb\\xbf{"result": "OK"}', key))
print(sw.decode(b"DONE", key, charset="ascii"))
"""
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert completed.stdout.splitlines() == [
        "Ok()",
        'ErrorReply(code=<ErrorCode.AUTHORISATION_ERROR: 2>, description=\'{"result": "OK"}\')',
        "Ok()",
    ]
