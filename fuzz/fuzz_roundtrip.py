#!/usr/bin/env python3
"""Fuzz ``encode`` against ``decode``: models built from the input, written and read back.

Usage: ``python fuzz/fuzz_roundtrip.py [libFuzzer flags] [corpus dir ...]`` (see fuzz/README.md;
the input layout is in ``_common.py``).

A model is built from the input by :func:`build_reply`, mostly valid, but mixing in the pieces
that make names and values ambiguous on the wire (``, x = ``, commas, digits, markup, line ends,
NUL, surrogates, values past 2**63-1) and now and then a model of the wrong kind for the key.
Then :func:`dress` makes a twin of it whose ints and strs are subclasses and enum members of the
same values: plain subclasses, ones whose ``str()``, ``format()`` and ``repr()`` (and, for the
shape-shifting ones, every str method, or ``int()`` and ``index()``) show something else.

Invariants:

- SPEC D5, D8, D12: ``encode`` either refuses a model with ``EncodeError`` or writes text that
  decodes to an equal model and re-encodes to the same text, under the key and under every other
  fmt of the same shape that accepts the model; under a key with no codec it raises
  ``UnsupportedKeyError``.
- SPEC D11: what ``encode`` writes, ``decode`` with the default limits accepts, as a str and as
  UTF-8 bytes, and as bytes in the charset byte 3 names wherever that charset carries the text.
- SPEC D11: the dressed twin encodes exactly like the plain model (the same text, or
  ``EncodeError`` for both), under the key and under every other fmt of the same shape.
"""

from __future__ import annotations

import sys
from enum import IntEnum
from typing import Final

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    import _common
    import lark  # noqa: F401  (instrumented for coverage: the fmt 0/1 parsers run inside it)

    import smsc_wire as sw

    _common.import_library()

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


# Where the stretched texts cross libxml2's default limit on a name (XML_MAX_NAME_LENGTH).
STRETCH: Final = 50_001


def _stretched(text: str) -> str:
    return (text * (STRETCH // len(text) + 1))[:STRETCH] if text else text


def stretch(reply: sw.Reply) -> sw.Reply:
    """The model with its first name, operator field and description past :data:`STRETCH`."""
    if isinstance(reply, sw.ErrorReply) and reply.description is not None:
        return sw.ErrorReply(reply.code, _stretched(reply.description))
    if not isinstance(reply, sw.SenderList) or not reply.senders:
        return reply
    first, *others = reply.senders
    ops = first.operators
    if ops:
        name, value = next(iter(ops.items()))
        fields = dict(ops)
        del fields[name]
        value = _stretched(value) if isinstance(value, str) else value
        ops = sw.Operators([(_stretched(name), value), *fields.items()])
    head = sw.Sender(_stretched(first.name), first.id, first.status, ops)
    return sw.SenderList([head, *others])


# --- dressing: the same values in other clothes (SPEC D11) --------------------------------------

_INT_KINDS: Final = ("int", "PlainInt", "LyingInt", "ShapeShiftingInt", "IntEnum", "(int, Enum)",
                     "library enum")  # fmt: skip
_STR_KINDS: Final = ("str", "PlainStr", "LyingStr", "ShapeShiftingStr", "StrEnum", "(str, Enum)")


class _Dresser:
    """Replaces each int and str of a model by a twin chosen by the input; records its choices."""

    def __init__(self, fdp: atheris.FuzzedDataProvider) -> None:
        self.fdp = fdp
        self.worn: list[str] = []

    def int_(self, value: int, where: str, library: type[IntEnum] | None = None) -> int:
        kind = _INT_KINDS[self.fdp.ConsumeIntInRange(0, len(_INT_KINDS) - 1)]
        if type(value) is not int:  # a library enum member already, or a bool
            return value
        if kind != "int":
            self.worn.append(f"{where}: {kind}")
        if kind == "PlainInt":
            return _common.PlainInt(value)
        if kind == "LyingInt":
            return _common.LyingInt(value)
        if kind == "ShapeShiftingInt":
            return _common.ShapeShiftingInt(value)
        if kind == "(int, Enum)":
            return _common.int_enum(value, mixin=True)
        if kind == "library enum" and library is not None and value in library._value2member_map_:
            return library(value)
        if kind in ("IntEnum", "library enum"):
            return _common.int_enum(value, mixin=False)
        return value

    def str_(self, value: str, where: str) -> str:
        kind = _STR_KINDS[self.fdp.ConsumeIntInRange(0, len(_STR_KINDS) - 1)]
        if type(value) is not str:
            return value
        if kind != "str":
            self.worn.append(f"{where}: {kind}")
        if kind == "PlainStr":
            return _common.PlainStr(value)
        if kind == "LyingStr":
            return _common.LyingStr(value)
        if kind == "ShapeShiftingStr":
            return _common.ShapeShiftingStr(value)
        if kind in ("StrEnum", "(str, Enum)"):
            return _common.str_enum(value, mixin=kind == "(str, Enum)")
        return value

    def value(self, value: sw.OperatorValue, where: str) -> sw.OperatorValue:
        if isinstance(value, str):
            return self.str_(value, where)
        return self.int_(value, where, sw.OperatorStatus)

    def reply(self, reply: sw.Reply) -> sw.Reply:
        if isinstance(reply, sw.ErrorReply):
            code = self.int_(reply.code, "code", sw.ErrorCode)
            description = reply.description
            if description is not None:
                description = self.str_(description, "description")
            return sw.ErrorReply(code, description)
        if isinstance(reply, sw.SenderAdded):
            return sw.SenderAdded(self.int_(reply.id, "id"))
        if isinstance(reply, sw.Ok):
            return reply
        senders = []
        for i, sender in enumerate(reply):
            where = f"senders[{i}]"
            status = sender.status
            if status is not None:
                status = self.int_(status, f"{where}.status", sw.SenderStatus)
            ops = None
            if sender.operators is not None:
                ops = sw.Operators(
                    (self.str_(name, f"{where} operator {name!r}"),
                     self.value(value, f"{where}.operators[{name!r}]"))
                    for name, value in sender.operators.items()
                )  # fmt: skip
            name = self.str_(sender.name, f"{where}.name")
            senders.append(sw.Sender(name, self.int_(sender.id, f"{where}.id"), status, ops))
        return sw.SenderList(senders)


def dress(fdp: atheris.FuzzedDataProvider, reply: sw.Reply) -> tuple[sw.Reply, list[str]]:
    """A twin of ``reply`` in subclasses and enum members, and what each value wears."""
    dresser = _Dresser(fdp)
    return dresser.reply(reply), dresser.worn


def _write(reply: sw.Reply, key: sw.Key) -> str | None:
    """``encode``'s text, or ``None`` where it refuses the model."""
    try:
        return sw.encode(reply, key)
    except sw.EncodeError:
        return None


def test_one_input(data: bytes) -> None:
    header, rest = _common.Header.split(data)
    fdp = atheris.FuzzedDataProvider(rest)
    key = header.key
    if not header.supported:
        _check_unsupported(header, fdp)
        return
    reply = build_reply(fdp, key)
    if header.stretch:
        reply = stretch(reply)
    dressed, worn = dress(fdp, reply)
    text = _write(reply, key)
    for other in _same_shape(key):
        _check_dressed(reply, dressed, worn, other, text if other == key else _write(reply, other))
    if text is None:
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
    if header.charset is not None:
        _check_charset(reply, key, text, header.charset)
    _same_in_every_fmt(reply, key)


def _same_shape(key: sw.Key) -> list[sw.Key]:
    """The key and every other registered key of the same shape in another fmt."""
    keys = (sw.Key(fmt, key.operation, key.all, key.operators) for fmt in range(4))
    return [other for other in keys if other in sw.registry]


def _check_unsupported(header: _common.Header, fdp: atheris.FuzzedDataProvider) -> None:
    key = header.key
    reply: sw.Reply = build_reply(fdp, key) if header.known_operation else sw.Ok()
    try:
        text = sw.encode(reply, key)
    except sw.UnsupportedKeyError:
        return
    raise RoundTripError(f"{key} has no codec, yet encode({reply!r}) wrote {text!r}")


def _check_dressed(
    reply: sw.Reply, dressed: sw.Reply, worn: list[str], key: sw.Key, text: str | None
) -> None:
    """SPEC D11: encode writes the values, never their ``format()`` or ``str()``."""
    if not worn:
        return
    try:
        got = _write(dressed, key)
    except Exception as exc:
        raise RoundTripError(
            f"{key}: {reply!r} wearing {worn}: encode raised {type(exc).__name__}: {exc}"
        ) from exc
    if got != text:
        raise RoundTripError(f"{key}: {reply!r} encodes as {text!r}, but wearing {worn} as {got!r}")


def _check_charset(reply: sw.Reply, key: sw.Key, text: str, charset: str) -> None:
    """SPEC D10, D11: the text in any charset that carries it decodes as the text does."""
    if not _common.is_text_charset(charset):
        return
    try:
        raw = text.encode(charset)
        carried = raw.decode(charset) == text
    except (UnicodeError, ValueError, LookupError, TypeError):
        return
    if not carried:
        return
    try:
        back = sw.decode(raw, key, charset=charset)
    except sw.WireFormatError as exc:
        raise RoundTripError(
            f"{key}: {text!r} in {charset} ({raw[:200]!r}) does not decode: {exc}"
        ) from exc
    if back != reply:
        raise RoundTripError(f"{key}: {text!r} in {charset} decodes as {back!r}")


def _same_in_every_fmt(reply: sw.Reply, key: sw.Key) -> None:
    """SPEC D12: wherever another fmt of the same shape writes the model, it reads back equal."""
    for other in _same_shape(key):
        text = _write(reply, other) if other != key else None
        if text is None:
            continue
        try:
            back = sw.decode(text, other)
        except sw.WireFormatError as exc:
            raise RoundTripError(f"{key} -> {other}: {reply!r} -> {text!r}: {exc}") from exc
        if back != reply:
            raise RoundTripError(f"{key} -> {other}: {reply!r} -> {text!r} -> {back!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
