"""``decode`` and ``encode``: the public entry points, and the one error boundary.

Strategy: both are thin look-ups in the registry. ``decode`` does what every fmt shares before the
codec runs: the size limit (before anything else, SPEC D11), the charset (SPEC D10), the UTF-8
byte-order mark (SPEC D6); and after it, the translation of a codec's :class:`DecodeFailure` into a
:class:`WireFormatError` whose offset indexes the caller's own input.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ._errors import (
    DecodeFailure,
    EncodeError,
    InputTooLargeError,
    UnsupportedCharsetError,
    UnsupportedKeyError,
    WireFormatError,
    locate,
    shown,
)
from ._key import Key
from ._registry import registry

if TYPE_CHECKING:
    from ._models import ErrorReply, Ok, Reply, SenderAdded, SenderList
    from ._registry import Codec

R = TypeVar("R", bound="SenderList | SenderAdded | Ok")


DEFAULT_MAX_SIZE: Final = 16 * 1024 * 1024
"""The default size limit of :func:`decode`: 16 MiB (SPEC D11)."""

_UTF8_NAMES: Final = frozenset({"utf-8", "utf-8-sig"})
_BOM: Final = b"\xef\xbb\xbf"
_BOM_LEAD: Final = _BOM[:1]


def _without_bom(raw: bytes) -> bytes:
    """``raw`` without its byte-order mark, if it has one (SPEC D6)."""
    return raw[3:] if raw.startswith(_BOM) else raw


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


# Text codecs that Python registers but that decode nothing: naming one is the caller's mistake.
_NOT_CHARSETS: Final = frozenset({"undefined"})


@lru_cache(maxsize=64)
def codec_name(charset: str) -> str:
    """The Python codec of ``charset`` (UTF-8 with or without a signature is ``utf-8``).

    Raises :class:`UnsupportedCharsetError` for a name that is no text encoding (SPEC D10): an
    unknown name, a bytes-to-bytes codec such as ``hex`` or ``zlib``, or ``undefined``.
    """
    if type(charset) is not str:
        if not isinstance(charset, str):
            raise UnsupportedCharsetError(charset)
        charset = str.__str__(charset)
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):  # ValueError: a name holding NUL
        raise UnsupportedCharsetError(charset) from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        raise UnsupportedCharsetError(charset)
    return "utf-8" if info.name in _UTF8_NAMES else info.name


def body_bytes(raw: object) -> bytes | None:
    """``raw`` as ``bytes`` if it is bytes-like (SPEC D10: measured and read in bytes), else None.

    ``bytes`` itself is returned as it is; any other object with the buffer protocol (a
    ``bytearray``, a ``memoryview`` of any item type, a ``bytes`` subclass) is copied through
    its buffer, so that it decodes exactly like ``bytes(raw)`` and no method of a subclass runs.
    """
    if type(raw) is bytes:
        return raw
    if isinstance(raw, str):
        return None
    try:
        view = memoryview(raw)  # type: ignore[arg-type]
    except TypeError:
        return None
    with view:
        return view.tobytes()


def decode(
    raw: bytes | bytearray | memoryview | str,
    key: Key[R],
    *,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
) -> R | ErrorReply:
    """Decode the body of a ``senders.php`` reply under ``key``.

    ``raw`` is the body as bytes (or any bytes-like object), decoded with ``charset``, the
    request's ``charset`` parameter; or as ``str``. The server's error reply is returned as an
    :class:`ErrorReply`, never raised; call ``.raise_for_error()`` on the result to turn it
    into a :class:`ServerError`.

    Raises :class:`WireFormatError` (an ``InputTooLargeError`` past ``max_size`` bytes or
    characters) for a body that is not a valid reply under ``key``, :class:`UnsupportedKeyError`
    for a key with no codec and :class:`UnsupportedCharsetError` for an unknown charset.

    >>> from smsc_wire import Key, decode
    >>> decode(b"name = Shop, Inc, id = 7", Key(fmt=0, operation="get"))
    SenderList(senders=(Sender(name='Shop, Inc', id=7, status=None, operators=None),))
    """
    # The common case first, in as few steps as can be: small replies are decoded by the
    # thousand, and each step here costs as much as reading one of them.
    codec: Codec | None = None
    if type(raw) is bytes and type(key) is Key and charset == "utf-8" and len(raw) <= max_size:
        memo = key._memo  # _memo_of(key), written out: a call costs as much as this whole test
        if memo[0] != registry.version:
            memo = _remember(key)
        direct = memo[2]
        if direct is not None:
            try:
                # One byte tells most bodies from a byte-order mark, for less than startswith.
                reply = direct(raw if raw[:1] != _BOM_LEAD else _without_bom(raw))
            except Exception:  # the path below decides, and explains
                reply = None
            if reply is not None:
                return reply  # type: ignore[no-any-return]
        codec = memo[1]
        tried = True
    else:
        tried = False
    if codec is None:
        codec = registry[key]  # raises UnsupportedKeyError for a key without one
    if isinstance(raw, str):
        if type(raw) is not str:
            raw = str.__str__(raw)  # SPEC D11: a str subclass is decoded as its characters
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
        if type(raw) is bytes or type(raw) is bytearray:
            size = len(raw)  # a subclass could lie in __len__: it is measured by its buffer
        else:
            try:
                with memoryview(raw) as view:
                    size = view.nbytes  # SPEC D10: a typed memoryview is measured in bytes
            except TypeError:
                # A programming error, not a body: the usual TypeError of a wrong argument.
                raise TypeError(f"raw must be bytes or str, not {type(raw).__name__}") from None
        if size > max_size:
            raise InputTooLargeError(size, max_size, unit="bytes", key=key)
        data = body_bytes(raw)
        assert data is not None
        encoding = codec_name(charset)
        direct = getattr(codec, "decode_utf8", None)  # see Utf8Codec
        if direct is not None and encoding == "utf-8" and not tried:
            try:
                reply = direct(_without_bom(data))
            except Exception:  # the text path below decides, and explains
                reply = None
            if reply is not None:
                return reply  # type: ignore[no-any-return]
        text = text_of(data, encoding, key)
        if encoding != "utf-8":
            # Some codecs (utf-16, utf-7, unicode_escape...) can produce lone surrogates, which
            # no fmt can carry (SPEC D8); strict UTF-8 never does.
            surrogate = _SURROGATE.search(text)
            if surrogate is not None:
                raise _wire_error(
                    DecodeFailure("a lone surrogate is not a character", surrogate.start()),
                    key, text, encoding, 0,
                )  # fmt: skip
    bom = 0
    if text.startswith("\ufeff") and (encoding is None or encoding == "utf-8"):
        text = text[1:]
        bom = 1
    try:
        return codec.decode(text)  # type: ignore[return-value]
    except DecodeFailure as failure:
        raise _wire_error(failure, key, text, encoding, bom) from None
    except WireFormatError:
        raise
    except Exception as exc:
        # SPEC D11: decode raises only the library's errors. Anything else is a bug of the
        # codec; it is reported as such, with the original as the cause.
        raise WireFormatError(
            f"the codec of this key failed ({type(exc).__name__}: {shown(str(exc), 60)}); "
            "this is a bug of the codec, not of the body",
            key=key,
        ) from exc


def _memo_of(key: Key) -> tuple[int, Any, Callable[[bytes], Any] | None]:
    """``key``'s memo of its codec (see Key), renewed if the registry changed since it was made."""
    memo = key._memo
    return memo if memo[0] == registry.version else _remember(key)


def _remember(key: Key) -> tuple[int, Any, Callable[[bytes], Any] | None]:
    """Remember on ``key`` its codec in this version of the registry, and the codec's reader of
    UTF-8 bytes (see Utf8Codec); ``None`` for what it lacks (no codec: the caller looks the key
    up again, which raises)."""
    version = registry.version  # read first: a registration meanwhile leaves the memo stale
    try:
        codec: Codec | None = registry[key]
    except UnsupportedKeyError:
        codec = None
    memo = (version, codec, getattr(codec, "decode_utf8", None))
    object.__setattr__(key, "_memo", memo)
    return memo


def text_of(data: bytes, encoding: str, key: Key | None = None) -> str:
    """``data`` decoded with the Python codec ``encoding``; a failure is a WireFormatError.

    A codec may fail in a way of its own (``punycode`` raises a bare ``UnicodeError``, a
    third-party codec anything): that is a format error of the body too (SPEC D10), never an
    exception of the codec's.
    """
    try:
        return str(data, encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(exc, data, encoding, key) from None
    except Exception as exc:  # any failure of a codec is the body's (SPEC D10)
        raise WireFormatError(
            f"the body is not valid {encoding}: {shown(str(exc), 80)}", key=key
        ) from None


def _undecodable(
    exc: UnicodeDecodeError, data: bytes, encoding: str, key: Key | None
) -> WireFormatError:
    start = exc.start if 0 <= exc.start <= len(data) else None
    line = column = None
    if start is None:
        where = ""
    else:
        where = f"byte {data[start : max(exc.end, start + 1)][:8].hex(' ')} at offset {start} "
        try:
            prefix = data[:start].decode(encoding, "replace")
        except Exception:  # some codecs know only "strict": no line then
            prefix = None
        if prefix is not None:
            line, column, _ = locate(prefix, len(prefix))
    reason = f"{where}is not valid {encoding} ({str(exc.reason)[:60]})"
    if encoding == "utf-8" and _plain_windows_1251(data):
        reason += (
            "; the body reads as windows-1251, the service's default charset: decode it with "
            "the charset the request named (SPEC D10)"
        )
    return WireFormatError(reason, key=key, line=line, column=column, offset=start)


# Cyrillic in UTF-8 is a lead byte D0 or D1 and a continuation byte; in windows-1251 that pair is
# a capital Р and a rare symbol, so its absence with Cyrillic letters present says windows-1251.
_UTF8_CYRILLIC: Final = re.compile(rb"[\xd0\xd1][\x80-\xbf]")
_CP1251_LETTERS: Final = re.compile(rb"[\xa8\xb8\xc0-\xff]")


def _plain_windows_1251(data: bytes) -> bool:
    if _UTF8_CYRILLIC.search(data) or not _CP1251_LETTERS.search(data):
        return False
    try:
        data.decode("cp1251")
    except UnicodeDecodeError:
        return False
    return True


def _wire_error(
    failure: DecodeFailure, key: Key, text: str, encoding: str | None, bom: int
) -> WireFormatError:
    if failure.pos is None:
        return WireFormatError(failure.reason, key=key)
    pos = min(failure.pos, len(text))
    line, column, excerpt = locate(text, pos)
    # The offset indexes the caller's input: characters of a str, bytes of a bytes.
    offset: int | None = bom + pos
    if encoding is not None:
        try:
            offset = 3 * bom + len(text[:pos].encode(encoding))
        except Exception:  # a codec that cannot encode what it decoded
            offset = None
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
    codec = _memo_of(key)[1] if type(key) is Key else None
    if codec is None:
        codec = registry[key]  # raises UnsupportedKeyError for a key without one
    try:
        text = codec.encode(reply)
    except EncodeError:
        raise
    except Exception as exc:
        raise EncodeError(
            f"the codec of this key failed ({type(exc).__name__}: {shown(str(exc), 60)}); "
            "this is a bug of the codec, not of the model",
            key=key,
        ) from exc
    if len(text) > DEFAULT_MAX_SIZE // 4 and len(text.encode("utf-8")) > DEFAULT_MAX_SIZE:
        # SPEC D11: encode never writes a body that decode, with its default limit, refuses.
        raise EncodeError(
            f"the body would be {len(text.encode('utf-8'))} bytes, over the default size limit "
            f"of decode ({DEFAULT_MAX_SIZE} bytes, SPEC D11)",
            key=key,
        )
    if text.startswith("\ufeff"):
        # decode drops a leading byte-order mark (SPEC D6): such a body would read back shorter.
        raise EncodeError(
            "the body would start with U+FEFF, which decode drops as a byte-order mark "
            "(SPEC D6, D8)",
            key=key,
        )
    return text


def encode_bytes(reply: Reply, key: Key, *, charset: str = "utf-8") -> bytes:
    """The exact bytes the server sends for ``reply`` under ``key`` in ``charset`` (SPEC D5, D10).

    ``charset`` is the request's ``charset`` parameter; the service's own default, when the
    request names none, is ``windows-1251``. Raises :class:`EncodeError` for a model the
    charset cannot represent (a name in Chinese under windows-1251, say) and
    :class:`UnsupportedCharsetError` for a name that is no text encoding.

    >>> from smsc_wire import Key, Sender, SenderList, encode_bytes
    >>> encode_bytes(SenderList([Sender("Ёлка", 7)]), Key(1, "get"), charset="windows-1251")
    b'\\xa8\\xeb\\xea\\xe0,7'
    """
    encoding = codec_name(charset)
    text = encode(reply, key)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        line, column, _ = locate(text, exc.start)
        raise EncodeError(
            f"{shown(text[exc.start : exc.end], 20)} at line {line}, column {column} cannot be "
            f"written in {encoding} (SPEC D10): the request's charset cannot carry this reply",
            key=key,
        ) from None
    except Exception as exc:  # a codec failing in a way of its own
        raise EncodeError(
            f"the reply cannot be written in {encoding}: {shown(str(exc), 60)}", key=key
        ) from None
    if len(data) > DEFAULT_MAX_SIZE:
        raise EncodeError(
            f"the body would be {len(data)} bytes, over the default size limit of decode "
            f"({DEFAULT_MAX_SIZE} bytes, SPEC D11)",
            key=key,
        )
    if encoding != "utf-8" and _round_trip(data, encoding) != text:
        # A codec that writes what it does not read back the same (a stateful one, say): the
        # bytes would not decode to this reply.
        raise EncodeError(f"{encoding} does not read this reply back unchanged", key=key)
    return data


def _round_trip(data: bytes, encoding: str) -> str | None:
    try:
        return str(data, encoding)
    except Exception:  # any failure means: not the same text
        return None
