"""``decode`` and ``encode``: the public entry points, and the one error boundary.

Strategy: both are thin look-ups in the registry. ``decode`` does what every fmt shares before the
codec runs: the size limit (before anything else, SPEC D11), the charset (SPEC D10), the UTF-8
byte-order mark (SPEC D6); and after it, the translation of a codec's :class:`DecodeFailure` into a
:class:`WireFormatError` whose offset indexes the caller's own input.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ._errors import (
    DecodeFailure,
    EncodeError,
    InputTooLargeError,
    UnsupportedCharsetError,
    WireFormatError,
    locate,
)
from ._registry import registry

if TYPE_CHECKING:
    from ._key import Key
    from ._models import Reply

DEFAULT_MAX_SIZE: Final = 16 * 1024 * 1024
"""The default size limit of :func:`decode`: 16 MiB (SPEC D11)."""

_UTF8_NAMES: Final = frozenset({"utf-8", "utf-8-sig"})
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=64)
def codec_name(charset: str) -> str:
    """The Python codec of ``charset`` (UTF-8 with or without a signature is ``utf-8``)."""
    try:
        info = codecs.lookup(charset)
    except LookupError:
        raise UnsupportedCharsetError(charset) from None
    if not getattr(info, "_is_text_encoding", True):
        raise UnsupportedCharsetError(charset)
    return "utf-8" if info.name in _UTF8_NAMES else info.name


def decode(
    raw: bytes | str,
    key: Key,
    *,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
) -> Reply:
    """Decode the body of a ``senders.php`` reply under ``key``.

    ``raw`` is the body as ``bytes`` (decoded with ``charset``, the request's ``charset``
    parameter) or as ``str``. The server's error reply is returned as an :class:`ErrorReply`, never
    raised; call ``.raise_for_error()`` on the result to turn it into a :class:`ServerError`.

    Raises :class:`WireFormatError` (an ``InputTooLargeError`` past ``max_size`` bytes or
    characters) for a body that is not a valid reply under ``key``, :class:`UnsupportedKeyError`
    for a key with no codec and :class:`UnsupportedCharsetError` for an unknown charset.

    >>> from smsc_wire import Key, decode
    >>> decode(b"name = Shop, Inc, id = 7", Key(fmt=0, operation="get"))
    SenderList(senders=(Sender(name='Shop, Inc', id=7, status=None, operators=None),))
    """
    codec = registry[key]
    if not isinstance(raw, (str, bytes, bytearray, memoryview)):
        # A programming error, not a body: the usual TypeError of a wrong argument.
        raise TypeError(f"raw must be bytes or str, not {type(raw).__name__}")
    if isinstance(raw, str):
        if len(raw) > max_size:
            raise InputTooLargeError(len(raw), max_size, unit="characters", key=key)
        text = raw
        encoding = None
        surrogate = _SURROGATE.search(raw)
        if surrogate is not None:
            # No fmt can carry one (SPEC D8), and bytes never decode to one: refuse it here.
            raise _wire_error(
                DecodeFailure("a lone surrogate is not a character", surrogate.start()),
                key, raw, None, 0,
            )  # fmt: skip
    else:
        if len(raw) > max_size:
            raise InputTooLargeError(len(raw), max_size, unit="bytes", key=key)
        encoding = codec_name(charset)
        direct = getattr(codec, "decode_utf8", None)  # see Utf8Codec
        if direct is not None and encoding == "utf-8":
            reply: Reply | None = direct(raw[3:] if raw[:3] == b"\xef\xbb\xbf" else raw)
            if reply is not None:
                return reply
        try:
            text = str(raw, encoding)
        except UnicodeDecodeError as exc:
            raise _undecodable(exc, raw, encoding, key) from None
    bom = 0
    if text.startswith("\ufeff") and (encoding is None or encoding == "utf-8"):
        text = text[1:]
        bom = 1
    try:
        return codec.decode(text)
    except DecodeFailure as failure:
        raise _wire_error(failure, key, text, encoding, bom) from None


def _undecodable(
    exc: UnicodeDecodeError, raw: bytes | bytearray | memoryview, encoding: str, key: Key
) -> WireFormatError:
    prefix = bytes(raw[: exc.start]).decode(encoding, "replace")
    line, column, _ = locate(prefix, len(prefix))
    bad = bytes(raw[exc.start : exc.end])
    return WireFormatError(
        f"byte {bad.hex(' ')} at offset {exc.start} is not valid {encoding} ({exc.reason})",
        key=key,
        line=line,
        column=column,
        offset=exc.start,
    )


def _wire_error(
    failure: DecodeFailure, key: Key, text: str, encoding: str | None, bom: int
) -> WireFormatError:
    if failure.pos is None:
        return WireFormatError(failure.reason, key=key)
    pos = min(failure.pos, len(text))
    line, column, excerpt = locate(text, pos)
    # The offset indexes the caller's input: characters of a str, bytes of a bytes.
    offset = bom + pos if encoding is None else 3 * bom + len(text[:pos].encode(encoding))
    return WireFormatError(
        failure.reason, key=key, line=line, column=column, offset=offset, excerpt=excerpt
    )


def encode(reply: Reply, key: Key) -> str:
    """Write ``reply`` as the canonical body the server sends under ``key`` (SPEC D5).

    Raises :class:`EncodeError` for a model that does not fit the key or would read back as
    something else (SPEC D8), and :class:`UnsupportedKeyError` for a key with no codec.

    >>> from smsc_wire import Key, Sender, SenderList, encode
    >>> print(encode(SenderList([Sender("Shop, Inc", 7)]), Key(fmt=3, operation="get")))
    [{
    "sender": "Shop, Inc",
    "id": 7
    }]
    """
    text = registry[key].encode(reply)
    if text.startswith("\ufeff"):
        # decode drops a leading byte-order mark (SPEC D6): such a body would read back shorter.
        raise EncodeError(
            "the body would start with U+FEFF, which decode drops as a byte-order mark "
            "(SPEC D6, D8)",
            key=key,
        )
    return text
