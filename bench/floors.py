"""The floors: what a reply costs with no validation and no models, per fmt and direction.

Strategy: each floor is the least code that does the same job on the same data: to read, what the
vendor's own client does with the bytes (split, ``lxml``, ``orjson``); to write, an f-string join
or plain dicts for ``orjson.dumps`` made from the model's senders. The library's time is divided
by these. The module imports nothing of the library but the hardened XML parser (the fmt 2 floor
parses with the library's settings), so that bench/probe.py can use it in a fresh process.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final

import orjson
from lxml import etree

# The repository is not necessarily installed: import the working tree that holds this file.
_ROOT: Final = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import smsc_wire as sw  # noqa: E402
from smsc_wire._formats.fmt2_xml import hardened_parser  # noqa: E402

DECODE_FLOOR_NAMES: Final = {
    0: "naive split",
    1: "naive split",
    2: "lxml.etree.fromstring",
    3: "orjson.loads",
}
ENCODE_FLOOR_NAMES: Final = {
    0: "f-string join",
    1: "f-string join",
    2: "f-string join + str.translate",
    3: "dicts + orjson.dumps",
}

# --- decode floors ------------------------------------------------------------------------------


def naive_fmt0(body: bytes) -> list[list[list[str]]]:
    """What the vendor's own client does with fmt 0: split, no validation, no models."""
    text = body.decode()
    return [[part.split(" = ") for part in line.split(", ")] for line in text.split("\n")]


def naive_fmt1(body: bytes) -> list[list[str]]:
    """What the vendor's own client does with fmt 1: split, no validation, no models."""
    text = body.decode()
    return [line.split(",") for line in text.split("\n")]


PARSER: Final = hardened_parser()
"""A parser configured exactly like the library's (SPEC D11)."""


def xml_fmt2(body: bytes) -> Any:
    """``lxml.etree.fromstring`` with a parser configured exactly like the library's."""
    return etree.fromstring(body, PARSER)


DECODE_FLOORS: Final[dict[int, Callable[[bytes], object]]] = {
    0: naive_fmt0,
    1: naive_fmt1,
    2: xml_fmt2,
    3: orjson.loads,
}


def read_operator_values(reply: sw.Reply) -> None:
    """Read every operator value of a decoded list (the library side of the 'read' figure)."""
    assert isinstance(reply, sw.SenderList)
    for sender in reply:
        assert sender.operators is not None
        for _name, _value in sender.operators.items():
            pass


def read_dict_values(data: Any) -> None:
    """Read every value of ``orjson.loads``'s dicts (the floor side of the 'read' figure)."""
    for record in data:
        for _value in record.values():
            pass


# --- encode floors ------------------------------------------------------------------------------
# Each writes the fmt's layout from the model's senders; bench/run.py checks that the fmt 0, 1 and
# 2 floors write exactly what encode writes, so that they are floors of the same work.

_XML_TEXT: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def fmt0_all(senders: Iterable[sw.Sender]) -> str:
    return "\n".join(f"name = {s.name}, status = {s.status}, id = {s.id}" for s in senders)


def fmt0_ops(senders: Iterable[sw.Sender]) -> str:
    lines = []
    for s in senders:
        assert s.operators is not None
        fields = ", ".join([f"{k} = {v}" for k, v in s.operators.items()])
        lines.append(f"name = {s.name}, {fields}, id = {s.id}")
    return "\n".join(lines)


def fmt1_all(senders: Iterable[sw.Sender]) -> str:
    return "\n".join(f"{s.name},{s.status},{s.id}" for s in senders)


def fmt2_all(senders: Iterable[sw.Sender]) -> str:
    body = "\n".join(
        f'<sender status="{s.status}" id="{s.id}">{s.name.translate(_XML_TEXT)}</sender>'
        for s in senders
    )
    return f"<list>\n{body}\n</list>"


def fmt2_ops(senders: Iterable[sw.Sender]) -> str:
    lines = ["<list>"]
    for s in senders:
        assert s.operators is not None
        attrs = " ".join([f'{k}="{v}"' for k, v in s.operators.items()])
        lines.append(f'<sender {attrs} id="{s.id}">{s.name.translate(_XML_TEXT)}</sender>')
    lines.append("</list>")
    return "\n".join(lines)


def fmt3_all(senders: Iterable[sw.Sender]) -> bytes:
    return orjson.dumps([{"sender": s.name, "status": s.status, "id": s.id} for s in senders])


def fmt3_ops(senders: Iterable[sw.Sender]) -> bytes:
    # The operators=1 form writes every value as a JSON string, the id included (SPEC §3).
    return orjson.dumps(
        [
            {"sender": s.name, **{k: str(v) for k, v in s.operators.items()}, "id": str(s.id)}  # type: ignore[union-attr]
            for s in senders
        ]
    )


ENCODE_FLOORS: Final[dict[tuple[int, str], Callable[[Iterable[sw.Sender]], str | bytes]]] = {
    (0, "all"): fmt0_all,
    (0, "ops"): fmt0_ops,
    (1, "all"): fmt1_all,
    (2, "all"): fmt2_all,
    (2, "ops"): fmt2_ops,
    (3, "all"): fmt3_all,
    (3, "ops"): fmt3_ops,
}
"""(fmt, shape) -> the encode floor of a 50-sender list of that shape."""
