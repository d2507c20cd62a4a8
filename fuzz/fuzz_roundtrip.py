"""Fuzz ``encode`` against ``decode``: models built from the input, written and read back.

Usage: ``python fuzz/fuzz_roundtrip.py [libFuzzer flags] [corpus dir ...]`` (see fuzz/README.md).

Invariant (SPEC D5, D8, D12): ``encode`` either refuses a model with ``EncodeError`` or writes
text that decodes to an equal model and re-encodes to the same text, under the key and under
every other fmt of the same shape that accepts the model. A model is built from the input
by :func:`build_reply`, mostly valid, but mixing in the pieces that make names and values
ambiguous on the wire (``, x = ``, commas, digits, markup, line ends, NUL, surrogates, values
past 2**63-1) and now and then a model of the wrong kind for the key.
"""

from __future__ import annotations

import sys
from typing import Final

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    import _common
    import lark  # noqa: F401  (instrumented for coverage: the fmt 0/1 parsers run inside it)

    import smsc_wire as sw
    from smsc_wire import _fmt0_text, _fmt1_csv, _fmt2_xml, _fmt3_json  # noqa: F401

_PIECES: Final = (
    "SMSC", "Shop", ", ", ",", " = ", "=", "name = ", ", id = ", ", status = ", ", mega_step = ",
    "id", "7", "-5", "0", "007", "1.5", "1e3", " ", "\t", "Ёлка", "😀", "&", "<", ">", "&amp;",
    "]]>", "<![CDATA[", '"', "\\", "\\u0041", "/", "ERROR = 1 (x)", "OK", "0,-5", "(", ")",
    "\r", "\n", "\r\n", "\x00", "\x01", "\x7f", "\u2028", "\ufeff", "\ufffe", "\ud800", "\udc00",
    "true", "null", "NaN",
)  # fmt: skip
_INTS: Final = (0, 1, 2, 3, 5, 8, 9, 255, 404, sw.MAX_UINT, sw.MAX_UINT + 1, 2**64, -1)
_FIELDS: Final = (*sw.OPERATOR_FIELDS, "name", "sender", "status", "id", "xml", "a", "Mega", "")


class RoundTripError(AssertionError):
    """encode accepted a model that does not read back as itself (SPEC D5, D8)."""


def _text(fdp: atheris.FuzzedDataProvider, *, allow_empty: bool = True) -> str:
    parts: list[str] = []
    for _ in range(fdp.ConsumeIntInRange(0 if allow_empty else 1, 4)):
        if fdp.ConsumeBool():
            parts.append(fdp.PickValueInList(list(_PIECES)))
        else:
            parts.append(fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 8)))
    return "".join(parts)


def _int(fdp: atheris.FuzzedDataProvider) -> int:
    if fdp.ConsumeBool():
        return int(fdp.PickValueInList(list(_INTS)))
    return int(fdp.ConsumeIntInRange(0, 100_000))


def _field(fdp: atheris.FuzzedDataProvider) -> str:
    if fdp.ConsumeBool():
        return str(fdp.PickValueInList(list(_FIELDS)))
    return str(fdp.ConsumeUnicode(fdp.ConsumeIntInRange(1, 6)))


def _operators(fdp: atheris.FuzzedDataProvider) -> sw.Operators:
    fields: dict[str, sw.OperatorValue] = {}
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        fields[_field(fdp)] = _int(fdp) if fdp.ConsumeBool() else _text(fdp)
    return sw.Operators(fields)


def _sender(fdp: atheris.FuzzedDataProvider, key: sw.Key) -> sw.Sender:
    odd = fdp.ConsumeIntInRange(0, 15) == 0  # now and then a record of another key's shape
    return sw.Sender(
        name=_text(fdp, allow_empty=False),
        id=_int(fdp),
        status=_int(fdp) if key.all != odd else None,
        operators=_operators(fdp) if key.operators != odd else None,
    )


def build_reply(fdp: atheris.FuzzedDataProvider, key: sw.Key) -> sw.Reply:
    kind = fdp.ConsumeIntInRange(0, 9)
    if kind == 0:
        description = None if key.fmt == 1 or fdp.ConsumeBool() else _text(fdp)
        return sw.ErrorReply(_int(fdp), description)
    if kind == 1:  # any kind of model, whatever the key
        operation = fdp.PickValueInList(list(sw.Operation))
        key = sw.Key(key.fmt, operation, key.all, key.operators)
    if key.operation is sw.Operation.GET:
        return sw.SenderList(_sender(fdp, key) for _ in range(fdp.ConsumeIntInRange(0, 4)))
    if key.operation is sw.Operation.ADD:
        return sw.SenderAdded(_int(fdp))
    return sw.Ok()


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    key = _common.KEYS[fdp.ConsumeBytes(1).ljust(1, b"\0")[0] % _common.REGISTRY_KEYS]
    reply = build_reply(fdp, key)
    try:
        text = sw.encode(reply, key)
    except sw.EncodeError:
        return
    try:
        back = sw.decode(text, key)
    except sw.WireFormatError as exc:
        raise RoundTripError(f"{key}: encode({reply!r}) = {text!r} does not decode: {exc}") from exc
    if back != reply:
        raise RoundTripError(f"{key}: {reply!r} -> {text!r} -> {back!r}")
    again = sw.encode(back, key)
    if again != text:
        raise RoundTripError(f"{key}: {text!r} re-encodes as {again!r}")
    # The bytes a server would send: the same text in UTF-8 must decode the same way.
    encoded = text.encode("utf-8", "surrogatepass")
    try:
        from_bytes = sw.decode(encoded, key)
    except sw.WireFormatError:
        if text.isascii() or not any("\ud800" <= c <= "\udfff" for c in text):
            raise
        return
    if from_bytes != reply:
        raise RoundTripError(f"{key}: {text!r} decodes differently from its UTF-8 bytes")
    _same_in_every_fmt(reply, key)


def _same_in_every_fmt(reply: sw.Reply, key: sw.Key) -> None:
    """SPEC D12: wherever another fmt of the same shape writes the model, it reads back equal."""
    for fmt in range(4):
        other = sw.Key(fmt, key.operation, key.all, key.operators)
        if other == key or other not in sw.registry:
            continue
        try:
            text = sw.encode(reply, other)
        except sw.EncodeError:
            continue
        back = sw.decode(text, other)
        if back != reply:
            raise RoundTripError(f"{key} -> {other}: {reply!r} -> {text!r} -> {back!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
