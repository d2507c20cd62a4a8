"""The four wire formats: what each fmt is and can carry, declared once.

Strategy: a :class:`WireFormat` is data (a file extension, whether error replies carry a
description, which characters a name cannot hold, the order of operator fields, whether it has
``operators=1`` forms), read by the registry, the fixtures, the strategies, the command line, the
benchmark and the fuzzers instead of each re-deriving it. The code of a format lives in its own
module (``fmt0_text``, ``fmt1_csv``, ``fmt2_xml``, ``fmt3_json``), imported the first time one of
its keys is used. Each such module provides a reader and
a writer per reply shape (:mod:`smsc_wire._shapes`) and reads the error reply once.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

# The two C parsers load with the package (about 15 ms together): a process's first decode of
# fmt 2 or 3 then costs milliseconds, not their import (issue 12). lark, ten times dearer, still
# loads only when a body needs the grammar.
import lxml.etree  # noqa: F401
import orjson  # noqa: F401

from smsc_wire._checks import success_of
from smsc_wire._errors import DecodeFailure
from smsc_wire._key import Key
from smsc_wire._models import ErrorReply, Reply
from smsc_wire._shapes import OK, SENDER_ADDED, SENDER_LIST, ReplyShape
from smsc_wire._values import OPERATOR_FIELDS, OPERATOR_FIELDS_JSON

if TYPE_CHECKING:
    from smsc_wire._registry import Codec

# Characters XML 1.0 cannot hold at all (besides NUL, which no fmt carries).
NOT_XML_CHARS: Final = "".join(
    map(chr, [*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])
)
# XML 1.0 (5th ed.) NameStartChar and NameChar, as libxml2 checks them (Python's \w is wider).
_NAME_START: Final = (
    "A-Z_a-z\xc0-\xd6\xd8-\xf6\xf8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
XML_ATTRIBUTE_NAME: Final = (
    f"(?!(?i:xml))[{_NAME_START}][{_NAME_START}\\-.0-9\xb7\u0300-\u036f\u203f\u2040]*"
)
"""An attribute name that lxml writes and reads back unchanged: no namespace prefix, no xml*."""


@dataclass(frozen=True, slots=True)
class WireFormat:
    """One ``fmt`` of ``senders.php`` and what it can carry (SPEC §1-§6).

    >>> from smsc_wire import wire_formats
    >>> fmt1 = wire_formats[1]
    >>> fmt1.extension, fmt1.error_description, fmt1.operators
    ('csv', False, False)
    """

    fmt: int
    name: str
    extension: str
    """The file extension of a body in this fmt (fixture corpora use it)."""
    media_type: str
    """The ``Content-Type`` the sandbox sends with a body in this fmt (with a charset)."""
    error_description: bool
    """Whether an error reply carries its description (fmt 1 carries none, SPEC §2)."""
    operators: bool
    """Whether the fmt has ``operators=1`` forms (fmt 1 has none, SPEC D1)."""
    operator_order: tuple[str, ...]
    """The documented operator fields in the order the fmt writes them (SPEC §3)."""
    not_in_text: str
    """Characters a name cannot hold here, beyond CR, LF and NUL (SPEC D8)."""
    not_in_descriptions: str
    """Characters an error description cannot hold here (the line fmts end it at a line break)."""
    operator_name: str | None
    """A regular expression every operator field name must match to be written, if any."""
    field_start_ends_names: bool
    """Whether ``, <word> = `` ends a name under ``operators=1`` (fmt 0, SPEC D8)."""
    bare_ok: bool
    """Whether a bare ``OK`` body is a valid reply to the OK operations (SPEC D6)."""
    module: str
    """The module holding the readers and writers, imported on first use."""
    shapes: frozenset[ReplyShape] = frozenset({SENDER_LIST, SENDER_ADDED, OK})
    """The reply shapes the module has a reader and a writer for."""

    def supports(self, key: Key) -> bool:
        """Whether the fmt has a form for ``key`` (its fmt, and ``operators`` where it has it)."""
        return key.fmt == self.fmt and (self.operators or not key.operators)

    def can_carry(self, text: str, *, operators: bool = False) -> bool:
        """Whether a name (under a key with ``operators`` as given) reads back in this fmt."""
        if not text or "\r" in text or "\n" in text or "\x00" in text:
            return False
        if any(char in self.not_in_text for char in text):
            return False
        return not (operators and self.field_start_ends_names and _FIELD_START.search(text))

    def can_name_operator(self, name: str) -> bool:
        """Whether an operator field name can be written in this fmt."""
        if not name or "\r" in name or "\n" in name or "\x00" in name:
            return False
        return self.operator_name is None or re.fullmatch(self.operator_name, name) is not None

    def codec(self, key: Key) -> Codec:
        """The codec of ``key`` (one of this fmt's keys), built from the format's tables."""
        module = importlib.import_module(self.module)
        make: Callable[[Key, WireFormat], Codec] = module.codec
        return make(key, self)

    def read_error(self, text: str) -> ErrorReply | None:
        """The error reply (SPEC §2) that ``text`` is in this fmt, or ``None`` if it is none.

        For codecs of other operations (see :class:`smsc_wire.Codec`): every key's reply may be
        the error reply, and this reads it as the built-in codecs do.
        """
        try:
            reply = self.codec(Key(self.fmt, "del")).decode(text)
        except DecodeFailure:
            return None
        return reply if isinstance(reply, ErrorReply) else None

    def write_error(self, reply: ErrorReply) -> str:
        """The canonical text of an error reply in this fmt (raises ``EncodeError``)."""
        return self.codec(Key(self.fmt, "del")).encode(reply)

    def check_tables(
        self, readers: Mapping[ReplyShape, object], writers: Mapping[ReplyShape, object]
    ) -> None:
        """Refuse a format module whose tables are not the shapes it declares (at its import)."""
        if set(readers) != self.shapes or set(writers) != self.shapes:
            raise ImportError(
                f"fmt {self.fmt}: the readers and writers of {self.module} are not the declared "
                "shapes"
            )


class _KeyedCodec(Protocol):
    @property
    def key(self) -> Key: ...


_C = TypeVar("_C", bound=_KeyedCodec)


def shape_writers(
    write_list: Callable[[_C, Reply], str], write_added: Callable[[_C, Reply], str], ok: str
) -> Mapping[ReplyShape, Callable[[_C, Reply], str]]:
    """A format's writer of each reply shape: its own list and added writers, and the fixed
    text of its success reply, written once the reply is checked to be ``Ok``."""

    def write_ok(codec: _C, reply: Reply) -> str:
        success_of(reply, codec.key, OK)
        return ok

    return {SENDER_LIST: write_list, SENDER_ADDED: write_added, OK: write_ok}


_FIELD_START: Final = re.compile(r", [a-z0-9_]+ = ")

FORMATS: Final[Mapping[int, WireFormat]] = {
    0: WireFormat(
        fmt=0,
        name="text",
        extension="txt",
        media_type="text/plain",
        error_description=True,
        operators=True,
        operator_order=OPERATOR_FIELDS,
        not_in_text="",
        not_in_descriptions="\r\n\x00",
        operator_name=r"[a-z0-9_]+",
        field_start_ends_names=True,
        bare_ok=False,
        module="smsc_wire._formats.fmt0_text",
    ),
    1: WireFormat(
        fmt=1,
        name="comma-separated values",
        extension="csv",
        media_type="text/plain",
        error_description=False,
        operators=False,
        operator_order=(),
        not_in_text="",
        not_in_descriptions="\r\n\x00",
        operator_name=None,
        field_start_ends_names=False,
        bare_ok=False,
        module="smsc_wire._formats.fmt1_csv",
    ),
    2: WireFormat(
        fmt=2,
        name="XML",
        extension="xml",
        media_type="application/xml",
        error_description=True,
        operators=True,
        operator_order=OPERATOR_FIELDS,
        not_in_text=NOT_XML_CHARS,
        not_in_descriptions="\x00" + NOT_XML_CHARS,
        operator_name=XML_ATTRIBUTE_NAME,
        field_start_ends_names=False,
        bare_ok=True,
        module="smsc_wire._formats.fmt2_xml",
    ),
    3: WireFormat(
        fmt=3,
        name="JSON",
        extension="json",
        media_type="application/json",
        error_description=True,
        operators=True,
        operator_order=OPERATOR_FIELDS_JSON,
        not_in_text="",
        not_in_descriptions="",
        operator_name=None,
        field_start_ends_names=False,
        bare_ok=True,
        module="smsc_wire._formats.fmt3_json",
    ),
}
"""Every documented fmt, by number."""
