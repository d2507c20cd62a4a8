"""What the harnesses and ``make_corpus.py`` agree on: how an input file names its key and charset.

Strategy: a fuzz input is ``[key selector][mode selector][body]``. The two leading bytes are read
with ``atheris.FuzzedDataProvider.ConsumeBytes`` (which consumes from the front), so a seed written
by :func:`seed` is decoded under exactly the key and charset it was written for, and a mutated
selector still lands on some key. Selectors wrap around, so every byte value means something.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

# Fuzz the working tree, not whatever copy of smsc_wire happens to be installed.
ROOT: Final = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import smsc_wire as sw  # noqa: E402

# Every registry key, in the registry's stable order, then two keys with no codec (fmt 1 with
# operators=1, SPEC D1, and an undocumented fmt) so that UnsupportedKeyError is exercised too.
KEYS: Final[tuple[sw.Key, ...]] = (
    *sw.registry,
    sw.Key(fmt=1, operation="get", operators=True),
    sw.Key(fmt=4, operation="get"),
)
REGISTRY_KEYS: Final = len(sw.registry)

# Mode 0: the body is handed over as a str (invalid UTF-8 becomes lone surrogates, which a str
# can hold and a decoder must survive); modes 1-3: bytes under the named charset (SPEC D10).
CHARSETS: Final[tuple[str | None, ...]] = (None, "utf-8", "windows-1251", "koi8-r")


def key_index(key: sw.Key) -> int:
    return KEYS.index(key)


def seed(key: sw.Key, body: str | bytes, mode: int = 1) -> bytes:
    """A corpus file that the decode harness reads as ``body`` under ``key`` in ``mode``."""
    charset = CHARSETS[mode]
    if isinstance(body, str):
        body = body.encode(charset or "utf-8", "surrogateescape")
    return bytes([key_index(key), mode]) + body


def body_as(raw: bytes, mode: int) -> tuple[bytes | str, str]:
    """The body as decode will get it under ``mode``, and the charset argument to pass."""
    charset = CHARSETS[mode % len(CHARSETS)]
    if charset is None:
        return raw.decode("utf-8", "surrogateescape"), "utf-8"
    return raw, charset
