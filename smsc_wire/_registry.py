"""The codec registry: the product of the wire formats and the reply shapes, one codec per key.

Strategy: the registry is computed, not listed. Its keys are every documented fmt
(:data:`smsc_wire._formats.FORMATS`) times every documented operation's reply shape
(:mod:`smsc_wire._shapes`) and that shape's flag variants, less the keys a format declares it has
no form for (SPEC D1). Building the key set checks that every format implements every shape, so a
missing table entry fails there, loudly, and never makes a codec silently accept another shape.
A key's codec is made on its first look-up, from its format's module, so that ``import smsc_wire``
loads no parser. Other code may register codecs for keys of its own: :class:`Codec` says how.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Protocol

from ._errors import UnsupportedKeyError
from ._formats import FORMATS, WireFormat
from ._key import Key
from ._shapes import BUILTIN_OPERATIONS

if TYPE_CHECKING:
    from ._models import Reply


class Codec(Protocol):
    """Reads and writes the reply shape of one key.

    ``decode`` gets the body already size-checked and decoded to ``str`` (byte-order mark
    removed) and returns the reply, the server's error reply included. For a body it does not
    accept it raises :class:`~smsc_wire.DecodeFailure` with a reason and the character position
    where the body goes wrong; :func:`smsc_wire.decode` turns that into a
    :class:`~smsc_wire.WireFormatError` with the key, line, column, offset (into the caller's
    bytes or str) and an excerpt. Any other exception escaping ``decode`` is a bug of the codec,
    reported as a ``WireFormatError`` that says so.

    ``encode`` returns the canonical text and raises :class:`~smsc_wire.EncodeError` for a model
    it cannot write.

    >>> import smsc_wire as sw
    >>> class Upper:  # a toy codec: the OK reply, shouted
    ...     def decode(self, text: str) -> sw.Reply:
    ...         if text != "OK!":
    ...             raise sw.DecodeFailure("expected 'OK!'", 0)
    ...         return sw.Ok()
    ...     def encode(self, reply: sw.Reply) -> str:
    ...         return "OK!"
    >>> registry = sw.Registry()
    >>> registry.register(sw.Key(9, "del"), Upper())
    >>> registry[sw.Key(9, "del")].decode("OK!")
    Ok()
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


class RegistryError(Exception):
    """The tables the registry is built from disagree: a bug of this library, never of a body."""


def builtin_keys(formats: Mapping[int, WireFormat] = FORMATS) -> dict[Key, WireFormat]:
    """Every documented key and the format that reads it: the product of the tables.

    Raises :class:`RegistryError` if a format has no reader or writer for a documented shape.
    """
    keys: dict[Key, WireFormat] = {}
    for wire_format in formats.values():
        for operation, shape in BUILTIN_OPERATIONS.items():
            if shape not in wire_format.shapes:
                raise RegistryError(
                    f"fmt {wire_format.fmt} has no reader and writer for the {shape.name} reply "
                    f"of {operation}"
                )
            for all_, operators in shape.variants():
                key = Key(wire_format.fmt, operation, all_, operators)
                if wire_format.supports(key):
                    keys[key] = wire_format
    return keys


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
        self._builtin: dict[Key, WireFormat] | None = None
        self._ordered: list[Key] | None = None
        self._lock = threading.Lock()
        self.version = 0
        """Counts the registrations: a cache of what the registry holds keys on it."""

    def _keys(self) -> dict[Key, WireFormat]:
        builtin = self._builtin
        if builtin is None:
            with self._lock:
                builtin = self._builtin
                if builtin is None:
                    builtin = self._builtin = builtin_keys()
        return builtin

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
        builtin = self._keys()  # outside the lock, which building the keys takes
        with self._lock:
            if (key in self._codecs or key in builtin) and not replace:
                raise ValueError(f"{key}: a codec is already registered (pass replace=True)")
            self._codecs[key] = codec
            self._ordered = None
            self.version += 1

    def __getitem__(self, key: Key) -> Codec:
        try:
            return self._codecs[key]
        except KeyError:
            pass
        except TypeError:
            raise UnsupportedKeyError(key, "not a smsc_wire.Key") from None
        wire_format = self._keys().get(key)
        if wire_format is None:
            raise UnsupportedKeyError(key, self._why_unsupported(key))
        codec = wire_format.codec(key)
        # Two threads may both make it; they make equal codecs and either one is kept.
        return self._codecs.setdefault(key, codec)

    def _all(self) -> list[Key]:
        ordered = self._ordered
        if ordered is None:
            keys = set(self._keys()) | set(self._codecs)
            ordered = self._ordered = sorted(keys, key=lambda k: k.sort_key)
        return ordered

    def is_builtin(self, key: Key) -> bool:
        """Whether ``key``'s codec is the library's own (not registered or replaced by others)."""
        codec = self._codecs.get(key)
        wire_format = self._keys().get(key)
        if wire_format is None:
            return False
        return codec is None or type(codec).__module__.startswith(
            wire_format.module.rpartition(".")[0]
        )

    def __iter__(self) -> Iterator[Key]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, key: object) -> bool:
        try:
            return key in self._codecs or key in self._keys()
        except TypeError:  # unhashable
            return False

    def _why_unsupported(self, key: object) -> str:
        if not isinstance(key, Key):
            return "not a smsc_wire.Key"
        wire_format = FORMATS.get(key.fmt)
        if wire_format is not None and key.operators and not wire_format.operators:
            alternatives = sorted(f.fmt for f in FORMATS.values() if f.operators)
            named = ", ".join(str(fmt) for fmt in alternatives)
            return (
                f"fmt {key.fmt} has no documented form with operators=1 (SPEC D1); "
                f"ask the server for fmt {named} instead"
            )
        fmts = sorted({k.fmt for k in self})
        if key.fmt not in fmts:
            return (
                f"no codec for fmt {key.fmt}: the documented fmts are {', '.join(map(str, fmts))}"
            )
        return "no codec is registered for this key"


registry = Registry()
"""Every supported key and its codec: the four documented fmts populate it (34 keys)."""
