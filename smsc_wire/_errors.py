"""The library's exceptions, and the one place where a position becomes line, column and excerpt.

Strategy (after h11 and tomli): a codec raises :class:`DecodeFailure` with a reason and a
character position in the decoded text; :func:`smsc_wire.decode` is the single boundary that
turns it into a :class:`WireFormatError` naming the key, the line, the column, the offset in the
caller's own input (bytes or characters) and an excerpt. No exception of lark, lxml or orjson gets
past a codec: each codec translates them into a ``DecodeFailure``, and ``decode`` reports anything
else that escapes a codec as a bug of that codec, still as a ``WireFormatError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ._codes import ErrorCode
from ._key import Key

if TYPE_CHECKING:
    from ._models import ErrorReply

_EXCERPT_RADIUS: Final = 30
_DESCRIPTION_LIMIT: Final = 200
_SHOWN_LIMIT: Final = 80


def shown(value: object, limit: int = _SHOWN_LIMIT) -> str:
    """``repr`` of a value from the input, bounded: a message never copies it whole (SPEC D11).

    >>> shown("x" * 100, limit=10)
    "'xxxxxxxxxx…' (100 characters)"
    """
    if isinstance(value, str):
        text = str.__str__(value)  # a subclass cannot change what is shown
        if len(text) <= limit:
            return repr(text)
        return f"{text[:limit] + '…'!r} ({len(text)} characters)"
    if type(value) is int or type(value) is bool or value is None:
        text = repr(value)
        return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} digits)"
    return f"<{type(value).__name__}>"


def _restore(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class SmscWireError(Exception):
    """Base of every exception this library raises on purpose.

    Every subclass survives ``pickle`` with its attributes (SPEC D11), so an error raised in a
    process pool's worker reaches the parent intact instead of breaking the pool.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # The default rebuilds an exception by calling its class with ``args``, which does not
        # match the keyword-only constructors here; restore the attributes instead.
        return (_restore, (type(self), self.args, self.__dict__))


class WireFormatError(SmscWireError, ValueError):
    """A body that is not a valid reply under the key it was decoded with.

    ``line`` and ``column`` are 1-based (the column counts characters); ``offset`` is 0-based and
    indexes the input as the caller gave it: a byte offset for ``bytes``, a character offset for
    ``str``. Each is ``None`` where it does not apply. ``reason`` is the message without the key
    and position; ``excerpt`` the input around the position.
    """

    def __init__(
        self,
        reason: str,
        *,
        key: Key | None = None,
        line: int | None = None,
        column: int | None = None,
        offset: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        self.reason = reason
        self.key = key
        self.line = line
        self.column = column
        self.offset = offset
        self.excerpt = excerpt
        message = reason if key is None else f"{key}: {reason}"
        if line is not None:
            message += f" (at line {line}, column {column})"
        if excerpt is not None:
            message += f": {excerpt!r}"
        super().__init__(message)


class InputTooLargeError(WireFormatError):
    """A body over the size limit, rejected before any parsing (SPEC D11)."""

    def __init__(self, size: int, limit: int, *, unit: str, key: Key | None = None) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"input of {size} {unit} is over the limit of {limit} (max_size)", key=key, offset=limit
        )


class EncodeError(SmscWireError, ValueError):
    """A model that cannot be written under the key without changing its meaning (SPEC D8)."""

    def __init__(self, reason: str, *, key: Key | None = None) -> None:
        self.reason = reason
        self.key = key
        super().__init__(reason if key is None else f"{key}: {reason}")


class UnsupportedKeyError(SmscWireError, LookupError):
    """A key for which no codec is registered (SPEC D1)."""

    def __init__(self, key: object, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"{key if isinstance(key, Key) else shown(key)}: {reason}")

    def __str__(self) -> str:
        # LookupError would otherwise render its argument with repr().
        return str(self.args[0])


class UnsupportedCharsetError(UnsupportedKeyError):
    """A ``charset`` that names no text encoding Python knows.

    A subclass of :class:`UnsupportedKeyError`: like the key, the charset selects how a body is
    read, and SPEC D11 promises that ``decode`` raises nothing but these two families.
    """

    def __init__(self, charset: str) -> None:
        self.charset = charset
        super().__init__(
            None,
            f"unknown charset {shown(charset)}: expected a text encoding such as utf-8, "
            "windows-1251 or koi8-r",
        )

    def __str__(self) -> str:
        return self.reason


class ServerError(SmscWireError):
    """The server's error reply, raised by :meth:`ErrorReply.raise_for_error`."""

    def __init__(self, reply: ErrorReply) -> None:
        self.reply = reply
        self.code = reply.code
        self.description = reply.description
        code = reply.code
        name = code.name if isinstance(code, ErrorCode) else None
        label = f"error {int.__repr__(code)}" + (f" ({name})" if name else "")
        description = reply.description
        if description is not None and len(description) > _DESCRIPTION_LIMIT:
            # The server's text is opaque (SPEC D3) but a message stays bounded (SPEC D11).
            description = description[:_DESCRIPTION_LIMIT] + f"… ({len(description)} characters)"
        super().__init__(label if description is None else f"{label}: {description}")


class DecodeFailure(Exception):
    """What a codec raises for a body it does not accept: ``reason`` at character ``pos``.

    ``pos`` indexes the text the codec was given (``None`` where no position applies). A codec
    of your own (see :class:`smsc_wire.Codec`) raises this rather than a ``WireFormatError``:
    :func:`smsc_wire.decode` adds the key, line, column, the offset into the caller's bytes or
    str, and an excerpt.

    >>> import smsc_wire as sw
    >>> raise sw.DecodeFailure("expected 'balance = '", 0)
    Traceback (most recent call last):
    ...
    smsc_wire._errors.DecodeFailure: ("expected 'balance = '", 0)
    """

    def __init__(self, reason: str, pos: int | None = None) -> None:
        super().__init__(reason, pos)
        self.reason = reason
        self.pos = pos


def line_at(text: str, pos: int) -> tuple[int, int]:
    """The start and end (before its line ending) of the line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    if end == -1:
        end = len(text)
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end


def locate(text: str, pos: int) -> tuple[int, int, str]:
    """Line, column (both 1-based) and an excerpt of the line around character ``pos``."""
    pos = max(0, min(pos, len(text)))
    line_start, line_end = line_at(text, pos)
    start = max(line_start, pos - _EXCERPT_RADIUS)
    end = min(line_end, max(pos, start) + _EXCERPT_RADIUS)
    excerpt = text[start:end]
    if start > line_start:
        excerpt = "…" + excerpt
    if end < line_end:
        excerpt += "…"
    return text.count("\n", 0, pos) + 1, pos - line_start + 1, excerpt
