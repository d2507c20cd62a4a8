"""What the harnesses and ``make_corpus.py`` agree on: the layout of a fuzz input, and the values
that pretend to be something else.

Input layout (both harnesses). Every seed and regression input is written in it, so a byte value
never changes meaning: the tables below only ever grow at their end, and a missing byte reads as 0.

====== =====================================================================================
byte 0 ``fmt``: 0-3 the documented fmts; any other value is that fmt, which has no codec
byte 1 operation: an index into :data:`OPERATIONS` (``get, add, chg, send_code, check_code,
       del``); 6 and above an operation nobody registered (:data:`UNKNOWN_OPERATION`)
byte 2 flags: bit 0 ``all=1``, bit 1 ``operators=1``; bits 2-3 the decode size limit
       (:data:`LIMIT_DEFAULT`, :data:`LIMIT_EXACT` the body's own size, :data:`LIMIT_BELOW`
       one less, 3 the default); bit 4 (round trip only) stretches the model's texts past
       50,000 characters; bits 5-7 are free
byte 3 body: 0 a ``str`` (decode) or the UTF-8 check only (round trip); ``n`` >= 1 the
       charset ``CHARSETS[n - 1]``, past the table an unknown charset name
rest   decode: the body; round trip: the bytes ``FuzzedDataProvider`` builds a model from
====== =====================================================================================
"""

from __future__ import annotations

import array
import codecs
import enum
import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, NamedTuple, cast

# Fuzz the working tree, not whatever copy of smsc_wire happens to be installed.
ROOT: Final = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import smsc_wire as sw  # noqa: E402

# Entry points that decode and encode never run: the command line, strategies (hypothesis), the
# sandbox server (its extra's dependencies); prefixes of module names.
_NOT_LIBRARY: Final = (
    "smsc_wire.__main__",
    "smsc_wire._tools.cli",
    "smsc_wire.strategies",
    "smsc_wire.sandbox",
)


def import_library() -> None:
    """Import every module of smsc_wire, so that a harness instruments all of them for coverage.

    Walked rather than named, so that moving a codec to another module never leaves it
    uninstrumented (the registry would import it lazily, outside ``instrument_imports``).
    """
    for module in pkgutil.walk_packages(sw.__path__, "smsc_wire."):
        if not module.name.startswith(_NOT_LIBRARY):
            importlib.import_module(module.name)


HEADER_SIZE: Final = 4

# Never reorder: byte 1 of every committed input indexes this tuple.
OPERATIONS: Final = ("get", "add", "chg", "send_code", "check_code", "del")
UNKNOWN_OPERATION: Final = "frobnicate"

FLAG_ALL: Final = 0x01
FLAG_OPERATORS: Final = 0x02
LIMIT_SHIFT: Final = 2
LIMIT_DEFAULT: Final = 0
LIMIT_EXACT: Final = 1
LIMIT_BELOW: Final = 2
FLAG_STRETCH: Final = 0x10

# Names that are not text encodings (SPEC D10: decode must raise UnsupportedCharsetError), kept
# apart so the harness can insist on that error rather than merely tolerate it.
NOT_TEXT: Final = frozenset(
    {"hex", "zlib", "base64", "rot13", "bz2", "quopri", "uu", "undefined", "x-smsc-wire-unknown"}
)

# Never reorder, only append: byte 3 of every committed input indexes this tuple (plus one).
# The API's own charsets first; then names decode must refuse, and two text codecs (idna,
# punycode) that decode bytes in ways of their own; then other spellings of the same codecs; then
# every other text codec of CPython 3.11 (tests/test_fuzz_smoke.py checks none is missing).
CHARSETS: Final = (
    "utf-8", "windows-1251", "koi8-r",
    "hex", "zlib", "base64", "rot13", "undefined", "idna", "punycode", "x-smsc-wire-unknown",
    "bz2", "quopri", "uu",
    "UTF8", "utf_8_sig", "cp65001", "latin-1", "CP1251",
    "ascii", "big5", "big5hkscs", "charmap", "cp037", "cp1006", "cp1026", "cp1125", "cp1140",
    "cp1250", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp273",
    "cp424", "cp437", "cp500", "cp720", "cp737", "cp775", "cp850", "cp852", "cp855", "cp856",
    "cp857", "cp858", "cp860", "cp861", "cp862", "cp863", "cp864", "cp865", "cp866", "cp869",
    "cp874", "cp875", "cp932", "cp949", "cp950", "euc_jis_2004", "euc_jisx0213", "euc_jp",
    "euc_kr", "gb18030", "gb2312", "gbk", "hp-roman8", "hz", "iso2022_jp", "iso2022_jp_1",
    "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3", "iso2022_jp_ext", "iso2022_kr",
    "iso8859-1", "iso8859-10", "iso8859-11", "iso8859-13", "iso8859-14", "iso8859-15",
    "iso8859-16", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7",
    "iso8859-8", "iso8859-9", "johab", "koi8-t", "koi8-u", "kz1048", "mac-arabic",
    "mac-croatian", "mac-cyrillic", "mac-farsi", "mac-greek", "mac-iceland", "mac-latin2",
    "mac-roman", "mac-romanian", "mac-turkish", "palmos", "ptcp154", "raw-unicode-escape",
    "shift_jis", "shift_jis_2004", "shift_jisx0213", "tis-620", "unicode-escape", "utf-16",
    "utf-16-be", "utf-16-le", "utf-32", "utf-32-be", "utf-32-le", "utf-7",
)  # fmt: skip


def is_text_charset(name: str) -> bool:
    """Whether decode must accept ``name`` (SPEC D10): a text codec, and not ``undefined``."""
    if name in NOT_TEXT:
        return False
    try:
        return bool(getattr(codecs.lookup(name), "_is_text_encoding", True))
    except LookupError:
        return False


class UnknownOperationKey(NamedTuple):
    """Stands in for a key with an operation :class:`smsc_wire.Key` refuses to hold."""

    fmt: int
    operation: str
    all: bool
    operators: bool


@dataclass(frozen=True, slots=True)
class Header:
    """The four leading bytes of an input, read."""

    fmt: int
    operation: int
    flags: int
    body: int

    @classmethod
    def split(cls, data: bytes) -> tuple[Header, bytes]:
        head = data[:HEADER_SIZE].ljust(HEADER_SIZE, b"\0")
        return cls(*head), data[HEADER_SIZE:]

    @property
    def known_operation(self) -> bool:
        return self.operation < len(OPERATIONS)

    @property
    def key(self) -> sw.Key:
        """The key the input names; for an unknown operation, a look-alike decode must refuse."""
        all_ = bool(self.flags & FLAG_ALL)
        operators = bool(self.flags & FLAG_OPERATORS)
        if not self.known_operation:
            try:
                return sw.Key(self.fmt, UNKNOWN_OPERATION, all_, operators)
            except (ValueError, LookupError):  # Key refuses it: decode gets a look-alike
                return cast(
                    "sw.Key", UnknownOperationKey(self.fmt, UNKNOWN_OPERATION, all_, operators)
                )
        return sw.Key(self.fmt, OPERATIONS[self.operation], all_, operators)

    @property
    def supported(self) -> bool:
        return self.known_operation and self.key in sw.registry

    @property
    def limit(self) -> int:
        return (self.flags >> LIMIT_SHIFT) & 0x03

    def max_size(self, size: int) -> int:
        """The decode limit for a body of ``size`` bytes (or characters, for a str body)."""
        if self.limit == LIMIT_EXACT:
            return size
        if self.limit == LIMIT_BELOW:
            return max(size - 1, 0)  # an empty body cannot be over any limit
        return sw.DEFAULT_MAX_SIZE

    @property
    def stretch(self) -> bool:
        return bool(self.flags & FLAG_STRETCH)

    @property
    def charset(self) -> str | None:
        """The charset of a bytes body, or ``None`` for a str body."""
        if self.body == 0:
            return None
        if self.body <= len(CHARSETS):
            return CHARSETS[self.body - 1]
        return f"x-smsc-wire-unknown-{self.body}"


def header(
    key: sw.Key | None = None,
    *,
    fmt: int | None = None,
    operation: int | None = None,
    all: bool = False,
    operators: bool = False,
    limit: int = LIMIT_DEFAULT,
    stretch: bool = False,
    charset: str | None = "utf-8",
) -> bytes:
    """The four leading bytes naming ``key`` (or the raw ``fmt``/``operation``) and the body."""
    if key is not None:
        fmt, operation = key.fmt, OPERATIONS.index(str(key.operation))
        all, operators = key.all, key.operators
    assert fmt is not None
    assert operation is not None
    flags = (FLAG_ALL if all else 0) | (FLAG_OPERATORS if operators else 0)
    flags |= limit << LIMIT_SHIFT | (FLAG_STRETCH if stretch else 0)
    return bytes([fmt, operation, flags, 0 if charset is None else CHARSETS.index(charset) + 1])


def seed(key: sw.Key, body: str | bytes, charset: str | None = "utf-8", **flags: Any) -> bytes:
    """A decode input: ``body`` under ``key``, as a str (``charset=None``) or in ``charset``."""
    if isinstance(body, str):
        # A str body travels as UTF-8 (lone surrogates too) and the harness reads it back so.
        body = body.encode(charset or "utf-8", "strict" if charset else "surrogatepass")
    return header(key, charset=charset, **flags) + body


def str_body(raw: bytes) -> str:
    """A str body from input bytes: invalid UTF-8 becomes lone surrogates, which decode refuses."""
    errors = "surrogatepass" if _valid_with_surrogates(raw) else "surrogateescape"
    return raw.decode("utf-8", errors)


def _valid_with_surrogates(raw: bytes) -> bool:
    try:
        raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return False
    return True


# --- values that pretend ------------------------------------------------------------------------

# What a lying value shows instead of itself: if it reaches the wire it forges a record.
INJECTION: Final = "x, id = 99\nname = injected"
INJECTION_BYTES: Final = INJECTION.encode()

_STR_METHODS: Final = (
    "__len__", "__iter__", "__getitem__", "__contains__", "__add__", "__mul__", "__mod__",
    "encode", "startswith", "endswith", "find", "rfind", "index", "rindex", "count", "split",
    "rsplit", "splitlines", "partition", "rpartition", "strip", "lstrip", "rstrip", "replace",
    "translate", "lower", "upper", "casefold", "isascii", "isdigit", "isdecimal", "isnumeric",
    "isprintable", "isspace", "isalnum", "isalpha", "isidentifier", "removeprefix",
    "removesuffix", "expandtabs", "format", "join", "ljust", "rjust", "center", "zfill",
)  # fmt: skip
_BYTES_METHODS: Final = (
    "__len__", "__iter__", "__getitem__", "__contains__", "__add__", "decode", "startswith",
    "endswith", "find", "rfind", "index", "count", "split", "splitlines", "strip", "lstrip",
    "rstrip", "replace", "removeprefix", "hex", "isascii", "lower", "upper", "join",
)  # fmt: skip


def _as(base: type, stand_in: object, name: str) -> Callable[..., object]:
    method = getattr(base, name)

    def pretend(self: object, *args: object, **kwargs: object) -> object:
        return method(stand_in, *args, **kwargs)

    pretend.__name__ = name
    return pretend


class PlainStr(str):
    """A str subclass that changes nothing."""


class LyingStr(str):
    """Shows :data:`INJECTION` to ``str()``, ``format()`` and ``repr()``."""

    def __str__(self) -> str:
        return INJECTION

    def __format__(self, spec: str) -> str:
        return INJECTION

    def __repr__(self) -> str:
        return INJECTION


class ShapeShiftingStr(LyingStr):
    """Behaves as :data:`INJECTION` in every str method a codec might call (equality excepted)."""


for _name in _STR_METHODS:
    setattr(ShapeShiftingStr, _name, _as(str, INJECTION, _name))


class PlainBytes(bytes):
    """A bytes subclass that changes nothing."""


class ShapeShiftingBytes(bytes):
    """Behaves as :data:`INJECTION_BYTES` in every bytes method (its buffer stays the real one)."""

    def __str__(self) -> str:
        return INJECTION

    def __repr__(self) -> str:
        return INJECTION


for _name in _BYTES_METHODS:
    setattr(ShapeShiftingBytes, _name, _as(bytes, INJECTION_BYTES, _name))


class PlainInt(int):
    """An int subclass that changes nothing."""


class LyingInt(int):
    """Shows :data:`INJECTION` to ``str()``, ``format()`` and ``repr()``."""

    def __str__(self) -> str:
        return INJECTION

    def __format__(self, spec: str) -> str:
        return INJECTION

    def __repr__(self) -> str:
        return INJECTION


class ShapeShiftingInt(LyingInt):
    """Also answers 99 to ``int()``, ``operator.index()`` and ``float()``."""

    def __int__(self) -> int:
        return 99

    def __index__(self) -> int:
        return 99

    def __float__(self) -> float:
        return 99.0


@lru_cache(maxsize=4096)
def int_enum(value: int, mixin: bool) -> int:
    """``value`` as the one member of an ``IntEnum`` (or, with ``mixin``, an ``(int, Enum)``)."""
    # The functional API: mypy cannot see the members of a class made at run time.
    members: Any = (
        enum.Enum("FuzzIntMixin", [("V", value)], type=int)
        if mixin
        else enum.IntEnum("FuzzIntEnum", [("V", value)])
    )
    return cast("int", members.V)


@lru_cache(maxsize=4096)
def str_enum(value: str, mixin: bool) -> str:
    """``value`` as the one member of a ``StrEnum`` (or, with ``mixin``, a ``(str, Enum)``)."""
    members: Any = (
        enum.Enum("FuzzStrMixin", [("V", value)], type=str)
        if mixin
        else enum.StrEnum("FuzzStrEnum", [("V", value)])
    )
    return cast("str", members.V)


STR_BODIES: Final[tuple[tuple[str, Callable[[str], str]], ...]] = (
    ("PlainStr", PlainStr),
    ("LyingStr", LyingStr),
    ("ShapeShiftingStr", ShapeShiftingStr),
)
"""Every str subclass a str body is also given as (SPEC D11: decoded as its characters)."""


def bytes_forms(raw: bytes) -> Iterator[tuple[str, bytes | bytearray | memoryview]]:
    """Every bytes-like form of ``raw`` (SPEC D10); ``bytes(form)`` is the reference to match.

    The typed and two-dimensional views pad ``raw`` with spaces to a whole number of items, so
    their ``bytes()`` is longer than ``raw``; a strided view is not contiguous.
    """
    yield "bytearray", bytearray(raw)
    yield "memoryview", memoryview(raw)
    yield "memoryview(bytearray)", memoryview(bytearray(raw))
    yield "memoryview[1:]", memoryview(b" " + raw)[1:]
    for code in ("Q", "H"):
        item = array.array(code).itemsize
        yield f"memoryview(array({code!r}))", memoryview(array.array(code, _pad(raw, item)))
    if raw:
        yield "memoryview 2-D", memoryview(_pad(raw, 4)).cast("B", (len(_pad(raw, 4)) // 4, 4))
    yield "memoryview[::2]", memoryview(bytes(b for c in raw for b in (c, 0x20)))[::2]
    yield "PlainBytes", PlainBytes(raw)
    yield "ShapeShiftingBytes", ShapeShiftingBytes(raw)


def _pad(raw: bytes, item: int) -> bytes:
    return raw + b" " * (-len(raw) % item)
