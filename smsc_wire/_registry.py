"""The codec registry: one codec per key, populated by the four format modules.

Strategy: a mapping from :class:`Key` to an object with ``decode(text) -> Reply`` and
``encode(reply) -> str``. The built-in codecs are registered lazily, on the first look-up, so that
``import smsc_wire`` stays cheap; a missing key is an :class:`UnsupportedKeyError` that says which
keys would have worked (SPEC D1). Other SDKs may register codecs for keys of their own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Protocol

from ._errors import UnsupportedKeyError
from ._key import Key

if TYPE_CHECKING:
    from ._models import Reply


class Codec(Protocol):
    """Reads and writes the reply shape of one key.

    ``decode`` gets the body already size-checked and decoded to ``str`` (byte-order mark removed)
    and raises :class:`~smsc_wire.WireFormatError` for a body it does not accept; ``encode`` returns
    the canonical text and raises :class:`~smsc_wire.EncodeError` for a model it cannot write.
    """

    def decode(self, text: str) -> Reply: ...

    def encode(self, reply: Reply) -> str: ...


class Utf8Codec(Codec, Protocol):
    """A codec that can also read a UTF-8 body directly, without a ``str`` copy of it.

    ``decode_utf8`` gets the bytes (byte-order mark removed) and returns the reply, or ``None``
    whenever it is in any doubt; :func:`smsc_wire.decode` then decodes the text as usual, so
    errors and their positions come from ``decode`` alone.
    """

    def decode_utf8(self, raw: bytes) -> Reply | None: ...


class Registry(Mapping[Key, Codec]):
    """Maps each supported :class:`Key` to its :class:`Codec`.

    >>> from smsc_wire import Key, registry
    >>> Key(fmt=3, operation="get", all=True) in registry
    True
    >>> len(registry)
    34
    """

    def __init__(self) -> None:
        self._codecs: dict[Key, Codec] = {}
        self._lock = threading.Lock()
        self._loaded = False

    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            from . import _fmt0_text, _fmt1_csv, _fmt2_xml, _fmt3_json

            for module in (_fmt0_text, _fmt1_csv, _fmt2_xml, _fmt3_json):
                for key, codec in module.codecs():
                    self._codecs.setdefault(key, codec)
            self._loaded = True

    def register(self, key: Key, codec: Codec, *, replace: bool = False) -> None:
        """Add ``codec`` for ``key``; replacing an existing codec needs ``replace=True``.

        Raises ``TypeError`` for a key that is not a :class:`Key` or a codec without callable
        ``decode`` and ``encode``: a bad entry would break every later look-up and ``sniff``.
        """
        if not isinstance(key, Key):
            raise TypeError(f"key must be a smsc_wire.Key, not {type(key).__name__}")
        for method in ("decode", "encode"):
            if not callable(getattr(codec, method, None)):
                raise TypeError(
                    f"codec must have a callable {method}() (see smsc_wire.Codec), "
                    f"and a {type(codec).__name__} has none"
                )
        if not self._loaded:
            self._load()
        if key in self._codecs and not replace:
            raise ValueError(f"{key}: a codec is already registered (pass replace=True)")
        self._codecs[key] = codec

    def __getitem__(self, key: Key) -> Codec:
        if not self._loaded:
            self._load()
        try:
            return self._codecs[key]
        except KeyError:
            raise UnsupportedKeyError(key, _why_unsupported(key, self._codecs)) from None
        except TypeError:
            raise UnsupportedKeyError(key, "not a smsc_wire.Key") from None

    def __iter__(self) -> Iterator[Key]:
        if not self._loaded:
            self._load()
        return iter(sorted(self._codecs, key=lambda k: k.sort_key))

    def __len__(self) -> int:
        if not self._loaded:
            self._load()
        return len(self._codecs)

    def __contains__(self, key: object) -> bool:
        if not self._loaded:
            self._load()
        return key in self._codecs


def _why_unsupported(key: object, codecs: Mapping[Key, Codec]) -> str:
    if not isinstance(key, Key):
        return "not a smsc_wire.Key"
    if key.fmt == 1 and key.operators:
        alternatives = [k.fmt for k in codecs if k.operators and k.all == key.all]
        named = ", ".join(str(f) for f in sorted(set(alternatives)))
        return (
            "fmt 1 has no documented form with operators=1 (SPEC D1); "
            f"ask the server for fmt {named} instead"
        )
    fmts = sorted({k.fmt for k in codecs})
    if key.fmt not in fmts:
        return f"no codec for fmt {key.fmt}: the documented fmts are {', '.join(map(str, fmts))}"
    return "no codec is registered for this key"


registry = Registry()
"""Every supported key and its codec: the four documented fmts populate it (34 keys)."""
