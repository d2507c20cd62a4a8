"""Fuzz ``smsc_wire.decode``: any body under every key, as str and as bytes in every charset.

Usage: ``python fuzz/fuzz_decode.py [libFuzzer flags] [corpus dir ...]`` (see fuzz/README.md).

Invariant (SPEC D11): decode returns a reply or raises ``WireFormatError`` (size limit included)
or ``UnsupportedKeyError``, nothing else, and no single decode takes more than a second. A reply
it returns must also be one that ``encode`` either writes or refuses with ``EncodeError``.
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import Final

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    import _common
    import lark  # noqa: F401  (instrumented for coverage: the fmt 0/1 parsers run inside it)

    import smsc_wire as sw
    from smsc_wire import _fmt0_text, _fmt1_csv, _fmt2_xml, _fmt3_json  # noqa: F401

SLOW_SECONDS: Final = 1.0


class SlowDecodeError(AssertionError):
    """A single decode took longer than SLOW_SECONDS: a hang in the making (SPEC D11)."""


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    selectors = fdp.ConsumeBytes(2).ljust(2, b"\0")
    key = _common.KEYS[selectors[0] % len(_common.KEYS)]
    body, charset = _common.body_as(fdp.ConsumeBytes(fdp.remaining_bytes()), selectors[1])
    start = time.perf_counter()
    try:
        reply = sw.decode(body, key, charset=charset)
    except (sw.WireFormatError, sw.UnsupportedKeyError):
        reply = None
    elapsed = time.perf_counter() - start
    if elapsed > SLOW_SECONDS:
        raise SlowDecodeError(f"{key}: decode of {len(body)} took {elapsed:.2f} s")
    if reply is not None:
        with contextlib.suppress(sw.EncodeError):
            sw.encode(reply, key)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
