#!/usr/bin/env python3
"""Fuzz ``smsc_wire.decode``: any body under any key, in every form and charset it may come in.

Usage: ``python fuzz/fuzz_decode.py [libFuzzer flags] [corpus dir ...]`` (see fuzz/README.md;
the input layout is in ``_common.py``).

Invariants, each checked on every input:

- SPEC D11: decode returns a reply or raises ``WireFormatError`` (``InputTooLargeError``
  included) or ``UnsupportedKeyError`` (``UnsupportedCharsetError`` included), nothing else,
  and no single decode takes more than a second.
- SPEC D10, D11: every bytes-like form of a bytes body (bytearray, memoryviews plain, typed,
  strided and two-dimensional, bytes subclasses) gives the result of ``bytes(form)``; every str
  subclass form of a str body gives the result of the plain str. A result is the reply, or the
  error's type, reason, line, column and offset.
- SPEC D11: a body over the size limit is refused with ``InputTooLargeError``, one at the limit
  is not (the limit counts bytes, or characters for a str).
- SPEC D10: a charset that is no text encoding (``hex``, ``zlib``, ``undefined``, an unknown
  name...) is an ``UnsupportedCharsetError``.
- For a reply decode returns: no name, operator field name or value holds CR, LF, NUL or a lone
  surrogate, and no operator field name is empty (SPEC D4, D8); ``encode`` writes it or refuses
  it with ``EncodeError``, and what it writes decodes to the same reply (SPEC D5); and the body
  holds no number with a sign, fraction or exponent (SPEC D9), and in fmt 2 no DOCTYPE (SPEC
  D11) and no namespace declaration (SPEC D6).
"""

from __future__ import annotations

import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    import _common
    import lark  # noqa: F401  (instrumented for coverage: the fmt 0/1 parsers run inside it)

    import smsc_wire as sw

    _common.import_library()

SLOW_SECONDS: Final = 1.0

# The shape of a number the SPEC refuses (D9) when it is not plain ASCII digits.
_NUMBER_LIKE: Final = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_FORBIDDEN: Final = re.compile(r"[\r\n\x00\ud800-\udfff]")
_REFUSALS: Final = ("UnsupportedKeyError", "UnsupportedCharsetError", "InputTooLargeError")


class DecodeInvariantError(AssertionError):
    """decode broke one of the invariants in this module's docstring."""


class SlowDecodeError(DecodeInvariantError):
    """A single decode took longer than SLOW_SECONDS: a hang in the making (SPEC D11)."""


class UnexpectedExceptionError(DecodeInvariantError):
    """decode (or encode of what decode returned) raised an exception it must not raise."""


@dataclass(frozen=True, slots=True)
class Result:
    """What one decode gave: the reply, or the error's identity and position."""

    reply: sw.Reply | None
    error: tuple[str, str, int | None, int | None, int | None] | None = None

    @property
    def kind(self) -> str:
        return "reply" if self.error is None else self.error[0]


def run(
    what: str,
    key: sw.Key,
    body: str | bytes | bytearray | memoryview,
    charset: str = "utf-8",
    max_size: int = sw.DEFAULT_MAX_SIZE,
) -> Result:
    start = time.perf_counter()
    try:
        result = Result(sw.decode(body, key, charset=charset, max_size=max_size))
    except sw.WireFormatError as exc:
        error = (type(exc).__name__, exc.reason, exc.line, exc.column, exc.offset)
        result = Result(None, error)
    except sw.UnsupportedKeyError as exc:
        result = Result(None, (type(exc).__name__, exc.reason, None, None, None))
    except Exception as exc:
        raise UnexpectedExceptionError(
            f"{key}, {what} ({charset}, max_size={max_size}): decode raised "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    elapsed = time.perf_counter() - start
    if elapsed > SLOW_SECONDS:
        raise SlowDecodeError(f"{key}, {what}: decode took {elapsed:.2f} s")
    return result


def _same(what: str, key: sw.Key, got: Result, expected: Result, reference: str) -> None:
    if got != expected:
        raise DecodeInvariantError(
            f"{key}: the body as {what} decodes to {got} but as {reference} to {expected}"
        )


def test_one_input(data: bytes) -> None:
    header, raw = _common.Header.split(data)
    key = header.key
    charset = header.charset
    if charset is None:
        text = _common.str_body(raw)
        limit = header.max_size(len(text))
        result = run("str", key, text, max_size=limit)
        for name, subclass in _common.STR_BODIES:
            _same(name, key, run(name, key, subclass(text), max_size=limit), result, "str")
        size = len(text)
        seen: str | None = text
    else:
        limit = header.max_size(len(raw))
        result = run("bytes", key, raw, charset, limit)
        for name, form in _common.bytes_forms(raw):
            reference = bytes(form)
            expected = result if reference == raw else run("bytes", key, reference, charset, limit)
            got = run(name, key, form, charset, limit)
            _same(name, key, got, expected, f"bytes({name})")
        size = len(raw)
        seen = _text_of(raw, charset)
    if not header.supported:
        # SPEC D11 does not order the key, charset and size checks: any of the three will do.
        if result.kind not in _REFUSALS:
            raise DecodeInvariantError(f"{key}: decode under a key with no codec gave {result}")
        return
    text_charset = charset is None or _common.is_text_charset(charset)
    _check_limit(header, key, result, size, text_charset)
    if not text_charset and result.kind not in ("UnsupportedCharsetError", "InputTooLargeError"):
        raise DecodeInvariantError(f"{key}: charset {charset!r} is no text encoding: {result}")
    if result.reply is not None:
        _check_reply(key, result.reply)
        if seen is not None:
            _check_text(key, seen.removeprefix("\ufeff"))


def _text_of(raw: bytes, charset: str) -> str | None:
    """The text decode saw, where the harness can tell (for the checks on an accepted body)."""
    try:
        return str(raw, charset)
    except Exception:  # a codec may fail any way it likes (SPEC D10): then there is no text
        return None


def _check_limit(
    header: _common.Header, key: sw.Key, result: Result, size: int, text_charset: bool
) -> None:
    too_large = result.kind == "InputTooLargeError"
    refused = too_large or (not text_charset and result.kind == "UnsupportedCharsetError")
    if header.limit == _common.LIMIT_BELOW and size > 0 and not refused:
        raise DecodeInvariantError(f"{key}: a body of {size} with max_size={size - 1}: {result}")
    if header.limit == _common.LIMIT_EXACT and too_large:
        raise DecodeInvariantError(f"{key}: a body of {size} with max_size={size}: {result}")


def _check_reply(key: sw.Key, reply: sw.Reply) -> None:
    if isinstance(reply, sw.SenderList):
        for i, sender in enumerate(reply):
            _no_forbidden(key, f"senders[{i}].name", sender.name)
            for name, value in (sender.operators or {}).items():
                if not name:
                    raise DecodeInvariantError(f"{key}: senders[{i}] has an empty operator name")
                _no_forbidden(key, f"senders[{i}] operator name", name)
                if isinstance(value, str):
                    _no_forbidden(key, f"senders[{i}].operators[{name!r}]", value)
    try:
        text = sw.encode(reply, key)
    except sw.EncodeError:
        return
    except Exception as exc:
        raise UnexpectedExceptionError(
            f"{key}: encode of the decoded {reply!r} raised {type(exc).__name__}: {exc}"
        ) from exc
    back = run("re-encoded", key, text)
    if back.reply != reply:
        raise DecodeInvariantError(f"{key}: {reply!r} encodes as {text!r}, which gives {back}")


def _no_forbidden(key: sw.Key, where: str, value: str) -> None:
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        raise DecodeInvariantError(f"{key}: decode accepted {where} holding {bad.group()!r}")


# --- what an accepted body may not hold ---------------------------------------------------------


def _bad_number(value: str) -> bool:
    return bool(_NUMBER_LIKE.fullmatch(value)) and not (value.isascii() and value.isdigit())


def _check_text(key: sw.Key, text: str) -> None:
    """SPEC D6, D9, D11 on a body decode accepted, read here independently of the codec."""
    checks: dict[int, Callable[[sw.Key, str], str | None]] = {
        0: _fmt0_numbers,
        1: _fmt1_numbers,
        2: _fmt2_problem,
        3: _fmt3_numbers,
    }
    problem = checks[key.fmt](key, text)
    if problem is not None:
        raise DecodeInvariantError(f"{key}: decode accepted {problem}: {text[:200]!r}")


def _lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


_FMT0_ERROR: Final = re.compile(r"ERROR = (.*?) \(")
_FMT0_FIELD: Final = re.compile(r", ([a-z0-9_]+) = ")


def _fmt0_numbers(key: sw.Key, text: str) -> str | None:
    for line in _lines(text):
        values: list[str] = []
        error = _FMT0_ERROR.match(line)
        if error is not None:
            values.append(error.group(1))
        elif line.startswith("ID = "):
            values.append(line[5:])
        elif key.operators:
            fields = list(_FMT0_FIELD.finditer(line))
            for here, after in zip(fields, [*fields[1:], None], strict=True):
                values.append(line[here.end() : None if after is None else after.start()])
        elif line.startswith("name = "):
            count = 2 if key.all else 1
            values.extend(part.partition(" = ")[2] for part in line.split(", ")[-count:])
        bad = [value for value in values if _bad_number(value)]
        if bad:
            return f"the number {bad[0]!r} (SPEC D9)"
    return None


def _fmt1_numbers(key: sw.Key, text: str) -> str | None:
    lines = _lines(text)
    for line in lines:
        if line.startswith("0,-") and len(lines) == 1:
            values = [line[3:]]
        elif str(key.operation) == "add":
            values = [line]
        elif str(key.operation) == "get":
            values = line.split(",")[-(2 if key.all else 1) :]
        else:
            continue
        bad = [value for value in values if _bad_number(value)]
        if bad:
            return f"the number {bad[0]!r} (SPEC D9)"
    return None


_XML_HIDDEN: Final = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.DOTALL)
_XML_PROLOG_DOCTYPE: Final = re.compile(r"(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
_XMLNS: Final = re.compile(r"<[^\s<>!?/][^<>]*?\sxmlns(?::[^\s=]*)?\s*=")


def _fmt2_problem(key: sw.Key, text: str) -> str | None:
    if _XML_PROLOG_DOCTYPE.match(text):
        return "a DOCTYPE (SPEC D11)"
    if _XMLNS.search(_XML_HIDDEN.sub("", text)):
        return "a namespace declaration (SPEC D6)"
    try:
        # Safe here: a body with a DOCTYPE was refused just above, so nothing can be loaded.
        root = ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    except ET.ParseError:
        return None
    for element in root.iter():
        values = list(element.attrib.values())
        if element.tag in ("id", "error_code") and element.text is not None:
            values.append(element.text)
        bad = [value for value in values if _bad_number(value)]
        if bad:
            return f"the number {bad[0]!r} (SPEC D9)"
    return None


class _BadNumber(Exception):
    pass


def _refuse(literal: str) -> object:
    raise _BadNumber(literal)


def _fmt3_numbers(key: sw.Key, text: str) -> str | None:
    texts = {"error", "result"} | ({"sender"} if str(key.operation) == "get" else set())

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        for name, value in items:
            if name not in texts and isinstance(value, str) and _bad_number(value):
                raise _BadNumber(value)
        return {}

    def integer(literal: str) -> int:
        if not literal.isdigit():
            raise _BadNumber(literal)
        return 0

    try:
        json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=integer,
            parse_float=_refuse,
            parse_constant=_refuse,
        )
    except _BadNumber as bad:
        return f"the number {bad.args[0]!r} (SPEC D9)"
    except (ValueError, RecursionError):
        return None
    return None


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
