"""fmt 2: the XML replies (SPEC §2-§5, D6-D8, D11).

Strategy: one hardened lxml parser per thread (no DTD, no entities, no network, no huge trees),
always fed UTF-8 with the encoding forced, so the caller's charset wins over any XML declaration
(SPEC D10). A parse that succeeds is then checked against the key's shape element by element:
anything XML allows but the reply does not define (a DOCTYPE, a comment, a processing instruction,
an unknown element or attribute, text where none belongs) is a format error (SPEC D6, D11).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from functools import cache
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, NamedTuple, cast

# Both already loaded with the package (smsc_wire._formats): module-level names, not an import
# statement per call, which cost a small reply a tenth of its time (issue 12).
import orjson
from lxml import etree

from smsc_wire._checks import (
    added_id_of,
    documented_codes,
    error_of,
    ordered_operators,
    senders_of,
)
from smsc_wire._codes import STATUS_TEXT, code_digits, error_code, sender_status
from smsc_wire._errors import DecodeFailure, EncodeError, shown
from smsc_wire._fast import Declined, Rejected, operators_from_wire
from smsc_wire._models import (
    NO_OPERATORS,
    OK_REPLY,
    ErrorReply,
    Ok,
    Operators,
    OperatorValue,
    Reply,
    Sender,
    SenderAdded,
    SenderList,
    draft_senders,
    new_added,
    new_error,
    new_sender,
)
from smsc_wire._shapes import OK, SENDER_ADDED, SENDER_LIST, ReplyShape, shape_of
from smsc_wire._values import (
    OPERATOR_FIELDS,
    RESERVED_FIELDS,
    error_code_text,
    operator_value,
    parse_uint,
    uint_text,
)

from . import FORMATS, XML_ATTRIBUTE_NAME, shape_writers

if TYPE_CHECKING:
    from smsc_wire._key import Key

    from . import WireFormat

_WHITESPACE: Final = " \t\r\n"
_DIGITS: Final = re.compile(r"[0-9]+")
# Compiled on first use: their Unicode classes cost a first decode milliseconds to compile, and
# a sender list of the common form needs neither (issue 12).
_NOT_XML_CHAR: Final = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
_TEXT_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
     "\r": "&#13;"}
)  # fmt: skip
_ATTR_NAME: Final = XML_ATTRIBUTE_NAME


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# What may precede the root element besides a DOCTYPE: whitespace, the XML declaration, comments
# and processing instructions. Each match is linear in its length and the scan never backtracks
# over a match, so finding a DOCTYPE is linear in the body.
_PROLOG_ITEM: Final = re.compile(rb"[ \t\r\n]++|<\?.*?\?>|<!--.*?-->", re.S)
_DOCTYPE: Final = b"<!DOCTYPE"
_PROLOG_MARKS: Final = (b"?", b"!")

# The markup of a well-formed body, one token per node or tag: comments, CDATA sections, processing
# instructions (the XML declaration among them), end tags and start tags (whose quoted attribute
# values may hold '>'). Used only on a body lxml has parsed, to find where a node starts.
_MARKUP: Final = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</[^>]*+>|<(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>",
    re.S,
)
_TAG_ATTRIBUTE: Final = re.compile(r"""[ \t\r\n]++([^ \t\r\n=/>]++)[ \t\r\n]*+=""")
_NAMESPACE_DECLARATION: Final = re.compile(r"xmlns(?::|$)")
_DECLARATION: Final = re.compile(r"<\?xml[ \t\r\n]")

_local = threading.local()

# SPEC D11, for every parser of the module: the encoding forced to UTF-8 (SPEC D10), no entity but
# the core set, no DTD, no network; comments and processing instructions kept, to be refused.
_PARSER_OPTIONS: Final[dict[str, Any]] = {
    "encoding": "utf-8",
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": True,
    "remove_comments": False,
    "remove_pis": False,
    "strip_cdata": True,
    "collect_ids": False,
}


def doctype_at(data: bytes) -> int | None:
    """The byte offset of a DOCTYPE before the root element, or ``None`` (SPEC D11).

    Checked before lxml sees the body: libxml2 loads a DOCTYPE's external subset and parameter
    entities even with ``load_dtd=False`` (opening files, devices and FIFOs), so a body with a
    DOCTYPE must never reach the parser at all.
    """
    if data[:1] == b"<" and data[1:2] not in _PROLOG_MARKS:
        return None  # a start tag first: no prolog, so no DOCTYPE (and no scan of the prolog)
    pos = 0
    match = _PROLOG_ITEM.match(data, pos)
    while match is not None:
        pos = match.end()
        match = _PROLOG_ITEM.match(data, pos)
    return pos if data.startswith(_DOCTYPE, pos) else None


def _refusing_resolver() -> etree.Resolver:
    class RefuseEverything(etree.Resolver):
        """Resolves every external resource to nothing: no file, URL or device is ever opened."""

        def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
            return self.resolve_string("", context)

    return RefuseEverything()


def hardened_parser() -> etree.XMLParser:
    """A new parser with the settings of SPEC D11: no DTD, no entities, no network, no file.

    The body is always UTF-8 here (SPEC D10: the caller's charset decoded it, or it was UTF-8),
    so the encoding is forced and an XML declaration cannot change it. ``huge_tree`` lifts
    libxml2's limits on the length of one text node (10,000,000 characters) and one name
    (50,000), which ``encode`` can legitimately reach: the size limit of ``decode`` already
    bounds memory, and libxml2 still refuses nesting deeper than 2,048 elements. A resolver
    that resolves everything to an empty string backs up :func:`doctype_at`.
    """
    parser: etree.XMLParser = etree.XMLParser(**_PARSER_OPTIONS)
    parser.resolvers.add(_refusing_resolver())
    return parser


def _streaming_parser() -> etree.XMLPullParser:
    """A new push parser with exactly the settings of :func:`hardened_parser`, reporting the
    start of each ``<list>`` element (the root of a sender list, to read as it grows)."""
    parser = etree.XMLPullParser(events=("start",), tag="list", **_PARSER_OPTIONS)
    parser.resolvers.add(_refusing_resolver())
    return parser


def _parser() -> etree.XMLParser:
    # lxml parsers keep state between parses and must not be shared between threads.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = hardened_parser()
    return parser


def _line_start(text: str, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return len(text)
    return pos


def _clean_root(raw: bytes) -> etree._Element:
    """The root of a UTF-8 body with no DOCTYPE (the caller has looked) if it parses and holds
    nothing besides the root element.

    Raises :class:`Rejected` for a body that is not well-formed or has something besides the
    root element (each an error under every key, SPEC D6, D11).
    """
    # _parser() written out: a call is a tenth of the time of reading an error reply.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    try:
        root = etree.fromstring(raw, _parser() if parser is None else parser)
    except etree.XMLSyntaxError:
        raise Rejected from None
    if root.getprevious() is not None or root.getnext() is not None:
        raise Rejected  # a comment or processing instruction beside the root (SPEC D6)
    return root


def _only_root(root: etree._Element) -> None:
    """Raise :class:`Rejected` if a comment or processing instruction is beside the root."""
    if root.getprevious() is not None or root.getnext() is not None:
        raise Rejected


def _parse(text: str) -> etree._Element:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DecodeFailure("a lone surrogate is not a character", exc.start) from None
    doctype = doctype_at(data)
    if doctype is not None:
        # SPEC D11: refused before the parser sees it (the prolog before it is ASCII markup).
        raise DecodeFailure("a DOCTYPE is not allowed (SPEC D11)", doctype)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        # libxml2 counts lines by LF and columns in characters, as locate() does.
        line, column = exc.position
        pos = _line_start(text, line) + max(column - 1, 0) if line else None
        message = (exc.msg or "not well-formed").split(", line ")[0].strip()
        raise DecodeFailure(f"not well-formed XML: {message[:200]}", pos) from None
    for sibling in (root.getprevious(), root.getnext()):
        if sibling is not None:
            raise DecodeFailure(
                f"{_what(sibling)} is not allowed outside the root element", _pos(text, sibling)
            )
    return root


def _namespace_declaration(text: str) -> DecodeFailure | None:
    """The first namespace declaration in a parsed body, if any (SPEC D6: an attribute no key
    defines). Found in the markup, since lxml keeps declarations out of ``attrib``."""
    for match in _MARKUP.finditer(text):
        token = match.group()
        if token[1] in "!?/":
            continue
        for attribute in _TAG_ATTRIBUTE.finditer(token):
            name = attribute.group(1)
            if _NAMESPACE_DECLARATION.match(name):
                tag = _TAG_ATTRIBUTE.split(token, 1)[0][1:].rstrip("/>")
                return DecodeFailure(
                    f"<{_bounded(tag)}> has no attribute {shown(name)}",
                    match.start() + attribute.start(1),
                )
    return None


def _what(node: etree._Element) -> str:
    tag: object = node.tag
    if tag is etree.Comment:
        return "a comment"
    if tag is etree.ProcessingInstruction:
        return "a processing instruction"
    if tag is etree.Entity:
        return "an entity reference"
    tag_name = _tag(node)
    if isinstance(tag, str) and tag.startswith("{") and not node.prefix:
        # A default namespace: the tag alone would read like the expected one.
        return f'element <{tag_name} xmlns="{_bounded(tag[1 : tag.index("}")])}">'
    return f"element <{tag_name}>"


def _tag(node: etree._Element) -> str:
    """The tag as the body spells it: ``xi:include``, not lxml's ``{uri}include``."""
    tag: object = node.tag
    if not isinstance(tag, str):
        return "?"
    if tag.startswith("{"):
        local = tag[tag.index("}") + 1 :]
        return _bounded(f"{node.prefix}:{local}" if node.prefix else local)
    return _bounded(tag)


def _document_order(node: etree._Element) -> list[etree._Element]:
    """Every node of ``node``'s document (comments and processing instructions included), in
    document order: the order of their markup in the body."""
    root = node.getroottree().getroot()
    before = list(root.itersiblings(preceding=True))
    before.reverse()
    return [*before, *root.iter(), *root.itersiblings()]


def _token(text: str, node: etree._Element) -> re.Match[str] | None:
    """The markup of ``node`` in ``text``: its start tag, comment or processing instruction.

    Positions come from the body's own markup, in the parser's document order, so they are
    exact whatever the body holds: CDATA that looks like a tag, lone CRs, several elements on
    one line (a text search for the tag would find the wrong one).
    """
    try:
        index = _document_order(node).index(node)
    except ValueError:  # pragma: no cover - a node is always in its own document
        return None
    seen = -1
    for match in _MARKUP.finditer(text):
        token = match.group()
        if token.startswith(("</", "<![CDATA[")) or (
            match.start() == 0 and _DECLARATION.match(token)
        ):
            continue  # end tags, CDATA and the XML declaration are no nodes
        seen += 1
        if seen == index:
            return match
    return None


def _pos(text: str, node: etree._Element) -> int | None:
    """Where ``node`` starts in ``text``."""
    match = _token(text, node)
    return None if match is None else match.start()


def _attr_pos(text: str, node: etree._Element, name: str) -> int | None:
    """Where the attribute ``name`` (as lxml names it) of ``node`` starts in ``text``."""
    match = _token(text, node)
    if match is None:
        return None
    local = name.rpartition("}")[2]
    for attribute in _TAG_ATTRIBUTE.finditer(match.group()):
        if attribute.group(1).rpartition(":")[2] == local:
            return match.start() + attribute.start(1)
    return match.start()


def _text_pos(text: str, node: etree._Element) -> int | None:
    """Where the text of ``node`` starts: right after its start tag."""
    match = _token(text, node)
    return None if match is None else match.end()


def _bounded(tag: str) -> str:
    return tag if len(tag) <= 40 else f"{tag[:40]}…"


def _attributes(node: etree._Element) -> list[tuple[str, str]]:
    """The attributes of ``node`` in document order, in time linear in their number."""
    attrib = node.attrib
    if len(attrib) <= 32:
        return attrib.items()
    # lxml finds each value by a search of the attribute list, so items() is quadratic in their
    # number, and libxml2 lets one element carry a million (SPEC D11). XPath walks it once.
    values = cast("list[etree._ElementUnicodeResult[etree._Element]]", node.xpath("@*"))
    return [(value.attrname or "", str(value)) for value in values]


def _blank(value: str | None) -> bool:
    return value is None or not value.strip(_WHITESPACE)


def _no_attributes(text: str, node: etree._Element) -> None:
    for name in node.attrib:
        raise DecodeFailure(
            f"<{_tag(node)}> has no attribute {shown(name)}", _attr_pos(text, node, name)
        )


def _children(text: str, node: etree._Element) -> list[etree._Element]:
    """The child elements of ``node``, which may be separated only by whitespace."""
    if not _blank(node.text):
        raise DecodeFailure(
            f"<{_tag(node)}> holds text where elements belong", _text_pos(text, node)
        )
    children = list(node)
    for child in children:
        if not isinstance(child.tag, str):
            raise DecodeFailure(f"{_what(child)} is not allowed", _pos(text, child))
        if not _blank(child.tail):
            raise DecodeFailure(f"text after </{_tag(child)}> is not allowed", _pos(text, child))
    return children


def _leaf_text(text: str, node: etree._Element) -> str:
    """The text of an element that may hold text only."""
    for child in node:
        raise DecodeFailure(
            f"{_what(child)} is not allowed inside <{_tag(node)}>", _pos(text, child)
        )
    return node.text or ""


def _uint(text: str, value: str, what: str, pos: int | None) -> int:
    if not _DIGITS.fullmatch(value):
        raise DecodeFailure(f"{what} {shown(value)} is not an unsigned integer", pos)
    return parse_uint(value, pos, what)


def _error(text: str, root: etree._Element) -> ErrorReply:
    _no_attributes(text, root)
    children = _children(text, root)
    tags = [child.tag for child in children]
    if tags != ["error", "error_code"]:
        raise DecodeFailure("an error reply holds <error> then <error_code>", _pos(text, root))
    description, code = children
    _no_attributes(text, description)
    _no_attributes(text, code)
    value = _uint(text, _leaf_text(text, code), "error code", _text_pos(text, code))
    return new_error(error_code(value), _leaf_text(text, description))


def _expect_root(text: str, root: etree._Element, tag: str) -> None:
    if root.tag != tag:
        raise DecodeFailure(
            f"expected <{tag}> or an error reply, found {_what(root)}", _pos(text, root)
        )


def _fast_number(raw: str) -> int | None:
    """An id or status for the fast reader: ``None`` for a long number (the checked reader checks
    its range), :class:`Rejected` for anything but ASCII digits."""
    number = uint_text(raw)
    if number is None and not (raw.isascii() and raw.isdigit()):
        raise Rejected
    return number


def _fast_leaf(node: etree._Element, tag: str) -> str | None:
    """The text of an element ``tag`` with no attributes, children or text after it."""
    if node.tag != tag or len(node) or node.keys():
        return None
    tail = node.tail
    if tail and tail.strip(_WHITESPACE):
        return None
    return node.text or ""


def _fast_error(root: etree._Element) -> ErrorReply | None:
    """The error reply of a ``<result>`` root with children, or ``None`` for the checked path.

    :func:`_fast_leaf` written out for both children: an error reply is as common as a list, and
    function calls were a fifth of reading one (issue 12).
    """
    if len(root) != 2 or root.keys():
        return None
    text = root.text
    first, second = root[0], root[1]
    if (
        (text and text.strip(_WHITESPACE))
        or first.tag != "error"
        or second.tag != "error_code"
        or len(first)
        or len(second)
        or first.keys()
        or second.keys()
    ):
        return None
    tails = (first.tail or "") + (second.tail or "")
    number = error_code_text(second.text or "")
    if number is None or (tails and tails.strip(_WHITESPACE)):
        return None
    return new_error(number, first.text or "")


# The sender records of a list are read a list of them at a time, each step mapped over all of them
# in C (lxml's accessors, the models' slot setters): a Python loop over the records cost more than
# parsing them (issue 12).
_TAG: Final = attrgetter("tag")
_TEXT: Final = attrgetter("text")
_TAIL: Final = attrgetter("tail")
_KEYS: Final = etree._Element.keys
_VALUES: Final = etree._Element.values
# Ids joined by commas that are all JSON integers needing no range check (ASCII digits, fewer
# than 19, as uint_text reads them; no leading zero, which JSON refuses): orjson converts them all
# in one call, faster than int() one at a time. A comma inside an id shows as one id too many.
_JSON_IDS: Final = re.compile(r"(?:0|[1-9][0-9]{0,17})(?:,(?:0|[1-9][0-9]{0,17}))*")

_CHUNK: Final = 1 << 16
"""A sender list longer than this many bytes is parsed in pieces of this size (issue 12)."""


# --- readers ------------------------------------------------------------------------------------


def _fast_list(codec: XmlCodec, root: etree._Element) -> SenderList | None:
    if root.tag != "list" or root.keys() or not _blank(root.text):
        raise Rejected
    nodes = list(root.iterchildren("sender"))  # the records, found in C
    if len(nodes) != len(root):
        raise Rejected  # another element, a comment or a processing instruction (SPEC D6)
    senders = codec._fast_records(nodes)
    return None if senders is None else SenderList(senders)


def _checked_list(codec: XmlCodec, text: str, root: etree._Element) -> SenderList:
    _expect_root(text, root, "list")
    _no_attributes(text, root)
    senders: list[Sender] = []
    for node in _children(text, root):
        try:
            senders.append(codec._sender(text, node, locate=False))
        except DecodeFailure:
            # Finding a position costs a scan of the text: do it only for the one error
            # (SPEC D11: computing it for every record made decoding quadratic).
            codec._sender(text, node, locate=True)
            raise
    return SenderList(senders)


def _fast_added(codec: XmlCodec, root: etree._Element) -> SenderAdded | None:
    if root.tag != "sender" or len(root) != 1 or len(root.attrib) or not _blank(root.text):
        raise Rejected
    value = _fast_leaf(root[0], "id")
    if value is None:
        raise Rejected
    number = _fast_number(value)
    return None if number is None else new_added(number)


def _checked_added(codec: XmlCodec, text: str, root: etree._Element) -> SenderAdded:
    _expect_root(text, root, "sender")
    _no_attributes(text, root)
    children = _children(text, root)
    if [child.tag for child in children] != ["id"]:
        raise DecodeFailure("<sender> holds exactly one <id>", _pos(text, root))
    _no_attributes(text, children[0])
    value = _leaf_text(text, children[0])
    return new_added(_uint(text, value, "id", _text_pos(text, children[0])))


def _fast_ok(codec: XmlCodec, root: etree._Element) -> Ok | None:
    if root.tag != "result" or len(root) or len(root.attrib) or root.text != "OK":
        raise Rejected
    return OK_REPLY


def _checked_ok(codec: XmlCodec, text: str, root: etree._Element) -> Ok:
    _expect_root(text, root, "result")
    _no_attributes(text, root)
    if root.text != "OK":
        raise DecodeFailure("expected <result>OK</result>", _text_pos(text, root))
    return OK_REPLY


class XmlReader(NamedTuple):
    """The readers of one reply shape: a fast one that may decline, and the checked one."""

    fast: Callable[[XmlCodec, etree._Element], Reply | None]
    checked: Callable[[XmlCodec, str, etree._Element], Reply]


READERS: Final[Mapping[ReplyShape, XmlReader]] = {
    SENDER_LIST: XmlReader(_fast_list, _checked_list),
    SENDER_ADDED: XmlReader(_fast_added, _checked_added),
    OK: XmlReader(_fast_ok, _checked_ok),
}
"""The readers of each reply shape (the error reply is read first, under every key)."""


# --- writers ------------------------------------------------------------------------------------


def _write_error(codec: XmlCodec, reply: ErrorReply) -> str:
    code, description = error_of(reply, codec.key, description=True)
    escaped = _escape(description or "", "description", codec.key)
    return f"<result>\n<error>{escaped}</error>\n<error_code>{code}</error_code>\n</result>"


def _write_list(codec: XmlCodec, reply: Reply) -> str:
    lines = ["<list>"]
    element = codec._element
    lines.extend(element(i, sender) for i, sender in enumerate(senders_of(reply, codec.key)))
    lines.append("</list>")
    return "\n".join(lines)


def _write_added(codec: XmlCodec, reply: Reply) -> str:
    return f"<sender>\n<id>{added_id_of(reply, codec.key)}</id>\n</sender>"


WRITERS: Final[Mapping[ReplyShape, Callable[[XmlCodec, Reply], str]]] = shape_writers(
    _write_list, _write_added, "<result>OK</result>"
)
"""The writer of each reply shape (the error reply has its own, :func:`_write_error`)."""


_NOT_SHARED: Final = object()
"""What :func:`parse_utf8` returns for a body each codec reads in its own way."""
_NO_ROOT: Final = object()
"""What :func:`parse_utf8` returns for a body that is no well-formed XML of one root."""


def parse_utf8(raw: bytes) -> Any:
    """The root of a UTF-8 body for :meth:`XmlCodec.decode_parsed`: sniff parses a body once
    for every key of the fmt (the readers never change the tree). A body with a DOCTYPE,
    namespaces or over a chunk long is left to each codec, as its decode_utf8 reads it."""
    if (raw[:1] != b"<" or raw[1:2] in _PROLOG_MARKS) and doctype_at(raw) is not None:
        return _NO_ROOT
    if b"xmlns" in raw or len(raw) > _CHUNK:
        return _NOT_SHARED
    try:
        return _clean_root(raw)
    except Rejected:
        return _NO_ROOT


class XmlCodec:
    """The fmt 2 codec of one key: the error reply, then the shape's tables."""

    __slots__ = ("_bare_ok", "_fixed", "_in_order", "_lists", "_reader", "_write", "key")

    def __init__(self, key: Key, wire_format: WireFormat) -> None:
        shape = shape_of(key.operation)
        assert shape is not None
        self.key = key
        self._reader = READERS[shape]
        self._write = WRITERS[shape]
        self._fixed = frozenset({"id", "status"} if key.all else {"id"})
        # The attribute names of a record as encode writes them (SPEC §3), which the fast reader
        # reads by position; any other order is read by name.
        self._in_order = ["status", "id"] if key.all else ["id"]
        self._lists = shape is SENDER_LIST
        # SPEC D6: the live service has been seen to answer a bare OK to the OK operations.
        self._bare_ok = wire_format.bare_ok and shape is OK

    def decode_utf8(self, raw: bytes, root: Any = None) -> Reply | None:
        """Decode a UTF-8 body without a str copy of it, or ``None`` for the text path.

        Only a body every part of which passes the fast readers is decoded here; any other
        body is left to :meth:`decode`, which explains what is wrong with it. ``root``: the
        body as :func:`parse_utf8` parsed it, if it has been.
        """
        if self._bare_ok and raw in _BARE_OK_BYTES:
            return OK_REPLY
        if root is None:
            # SPEC D11: a DOCTYPE is never parsed. The test before the call is doctype_at's
            # own first one, written out: most bodies start with their root's start tag.
            if (raw[:1] != b"<" or raw[1:2] in _PROLOG_MARKS) and doctype_at(raw) is not None:
                raise Rejected
            if b"xmlns" in raw:
                return None  # the text path looks for namespace declarations (SPEC D6)
            if self._lists and len(raw) > _CHUNK:
                return self._streamed(raw, _CHUNK)
            root = _clean_root(raw)
        elif root is _NOT_SHARED:
            return self.decode_utf8(raw)
        elif root is _NO_ROOT:
            raise Rejected
        if len(root) and root.tag == "result":  # _fast_root, written out
            return _fast_error(root)
        return self._reader.fast(self, root)

    def decode_parsed(self, raw: bytes, root: Any) -> Reply | None:
        """:meth:`decode_utf8` of ``raw``, which :func:`parse_utf8` has parsed to ``root``."""
        return self.decode_utf8(raw, root)

    parse_utf8 = staticmethod(parse_utf8)
    """The parser of :meth:`decode_parsed`, the same for every codec of the fmt."""

    def fast(self, text: str) -> Reply | None:
        """The fast reader alone: the reply, or ``None`` where the checked reader must decide;
        :class:`Rejected` for a body the checked reader certainly refuses."""
        return self.decode_utf8(text.encode("utf-8"))

    def _fast_root(self, root: etree._Element) -> Reply | None:
        if len(root) and root.tag == "result":
            return _fast_error(root)
        return self._reader.fast(self, root)

    def decode(self, text: str) -> Reply:
        return self._decode(text, fast=True)

    def checked(self, text: str) -> Reply:
        """The checked reader alone: every valid body, and the error of every other one."""
        return self._decode(text, fast=False)

    def _decode(self, text: str, *, fast: bool) -> Reply:
        if self._bare_ok and text in _BARE_OK:
            return OK_REPLY
        root = _parse(text)
        namespaces = "xmlns" in text
        reply = None
        if fast and not namespaces:
            try:
                reply = self._fast_root(root)
            except Rejected:
                reply = None  # the checked reader explains
        if reply is None:
            if root.tag == "result" and len(root):
                reply = _error(text, root)
            else:
                reply = self._reader.checked(self, text, root)
        if namespaces:
            failure = _namespace_declaration(text)
            if failure is not None:
                raise failure
        return reply

    def _fast_senders(self, nodes: list[etree._Element]) -> list[Sender] | None:
        """:meth:`_fast_records` of children of a ``<list>`` that may be anything."""
        if list(map(_TAG, nodes)).count("sender") != len(nodes):
            raise Rejected  # another element, a comment or a processing instruction (SPEC D6)
        return self._fast_records(nodes)

    def _fast_records(self, nodes: list[etree._Element]) -> list[Sender] | None:
        """The records of ``<sender>`` children ``nodes`` of a ``<list>``, in C a step at a time,
        or ``None`` where the checked reader must decide; :class:`Rejected` as
        :meth:`_fast_sender`."""
        count = len(nodes)
        # Rejected: what _checked_list refuses (an element inside a record, text between
        # records, an empty name or one with a line break).
        if any(map(len, nodes)):
            raise Rejected
        if "".join(filter(None, map(_TAIL, nodes))).strip(_WHITESPACE):
            raise Rejected
        names = list(map(_TEXT, nodes))
        if not all(names):
            raise Rejected
        joined = "".join(names)
        if "\n" in joined or "\r" in joined:
            raise Rejected
        del joined
        key = self.key
        # The fixed attributes alone, in order: under operators=1 too, as records with no operator
        # fields (a body of operators=0, which sniff reads under operators=1; issue 12).
        if count and list(map(_KEYS, nodes)).count(self._in_order) == count:
            operators = NO_OPERATORS if key.operators else None
            values = list(map(_VALUES, nodes))
            status_texts: tuple[str, ...] = ()
            if key.all:
                status_texts, id_texts = zip(*values, strict=True)
            else:
                (id_texts,) = zip(*values, strict=True)
            del values
            joined = ",".join(id_texts)
            ids: list[int] = orjson.loads(f"[{joined}]") if _JSON_IDS.fullmatch(joined) else []
            if len(ids) == count:
                if not key.all:
                    return draft_senders(names, ids, repeat(None), repeat(operators))
                statuses = list(map(STATUS_TEXT.get, status_texts))
                if None not in statuses:
                    return draft_senders(names, ids, statuses, repeat(operators))
        # Attributes in another order, operator fields, or a value the tables above do not read.
        senders = list(map(self._fast_sender, nodes))
        return None if None in senders else senders  # type: ignore[return-value]

    def _streamed(self, raw: bytes, chunk: int) -> Reply | None:
        """:meth:`decode_utf8` of a long body: a sender list is read as it is parsed, ``chunk``
        bytes at a time, and each record's elements freed once read, so that the parsed tree
        never holds more than a chunk of the body beside the models (issue 12: the whole tree
        and the models together took 1.2 times the memory of the tree alone).

        A body whose root is no ``<list>`` is parsed whole and read as :meth:`_fast_root` reads
        it. Exactly the checks of the whole-tree reader, made on each piece of the list.
        """
        parser = _streaming_parser()
        root: etree._Element | None = None
        nested = False  # the first <list> is inside another element: the tree is read whole
        text_read = False
        senders: list[Sender] = []
        failed = False
        try:
            for at in range(0, len(raw), chunk):
                parser.feed(raw[at : at + chunk])
                for _event, element in parser.read_events():
                    if root is None and not nested:
                        if element.getparent() is not None:
                            nested = True
                        elif element.keys():
                            raise Rejected
                        else:
                            root = element
                if root is None:
                    continue
                nodes = list(root)
                # The last child may still be growing (its text, its tail): it is read with the
                # next piece. Every earlier one is complete, and so is the list's own text.
                done = len(nodes) - 1
                if done < 1:
                    continue
                if not text_read:
                    if not _blank(root.text):
                        raise Rejected
                    text_read = True
                del nodes[done:]
                records = self._fast_senders(nodes)
                if records is None:
                    return None
                senders += records
                del nodes, records
                del root[:done]  # no proxy left: libxml2 frees the records' nodes now
            whole = parser.close()
        except etree.XMLSyntaxError:
            failed = True
        if failed:
            # Outside the except clause, so that its traceback no longer holds the records read
            # so far: the parser that reads the whole body decides, with all the memory.
            del parser, root, senders
            return self._fast_root(_clean_root(raw))
        _only_root(whole)
        if root is None:
            return self._fast_root(whole)
        if not _blank(root.text):
            raise Rejected
        records = self._fast_senders(list(root))
        if records is None:
            return None
        senders += records
        return SenderList(senders)

    def _fast_sender(self, node: etree._Element) -> Sender | None:
        # Rejected: what the checked reader refuses under this key (an empty name or one with a
        # line break, a missing or non-digit id or status, an attribute the key does not have).
        name = node.text
        if not name or "\n" in name or "\r" in name:
            raise Rejected
        attrib = node.attrib
        if not self.key.operators:
            # The fixed attributes only: read by name, no dict of them all.
            if len(attrib) != len(self._fixed):
                raise Rejected
            id_ = _fast_number(attrib.get("id", ""))
            status = None
            if self.key.all:
                number = _fast_number(attrib.get("status", ""))
                if number is None:
                    return None
                status = sender_status(number)
            return None if id_ is None else new_sender(name, id_, status, None)
        if len(attrib) > 32:
            return None  # see _attributes
        fields: dict[str, str] = dict(attrib.items())
        id_ = _fast_number(fields.pop("id", ""))
        status = None
        if self.key.all:
            number = _fast_number(fields.pop("status", ""))
            if number is None:
                return None
            status = sender_status(number)
        if id_ is None:
            return None
        if "name" in fields or "sender" in fields or "status" in fields:
            raise Rejected
        try:
            operators = operators_from_wire(fields)
        except Declined:
            return None
        joined = " " + " ".join(fields)
        if "{" in joined:
            raise Rejected  # a namespaced name
        if (" x" in joined or " X" in joined) and any(n[:3].lower() == "xml" for n in fields):
            raise Rejected  # xml* is no operator field (SPEC D4)
        return new_sender(name, id_, status, operators)

    def _sender(self, text: str, node: etree._Element, *, locate: bool) -> Sender:
        key = self.key

        def at(name: str) -> int | None:
            return _attr_pos(text, node, name) if locate else None

        if node.tag != "sender":
            raise DecodeFailure(f"expected <sender>, found {_what(node)}", _pos(text, node))
        name = _leaf_text(text, node)
        if not name:
            raise DecodeFailure("a sender name is empty", _text_pos(text, node))
        if "\n" in name or "\r" in name:
            raise DecodeFailure("a sender name cannot hold a line break", _text_pos(text, node))
        attrib = node.attrib
        fixed = self._fixed
        missing = [attr for attr in sorted(fixed) if attr not in attrib]
        if missing:
            raise DecodeFailure(f"<sender> lacks the attribute {missing[0]!r}", _pos(text, node))
        id_ = _uint(text, attrib["id"], "id", at("id"))
        status = None
        if key.all:
            status = sender_status(_uint(text, attrib["status"], "status", at("status")))
        operators = None
        if key.operators:
            fields: dict[str, OperatorValue] = {}
            for name_, value in _attributes(node):
                if name_ in fixed:
                    continue
                if name_ in RESERVED_FIELDS or not _compiled(_ATTR_NAME).fullmatch(name_):
                    # Namespaced names and xml* are no operator fields: encode could not write
                    # them back (SPEC D4).
                    raise DecodeFailure(
                        f"<sender> has no attribute {shown(name_)} under this key",
                        _attr_pos(text, node, name_),
                    )
                fields[name_] = operator_value(value, at(name_))
            operators = Operators._adopt(fields)
        elif len(attrib) != len(fixed):
            extra = next(attr for attr in attrib if attr not in fixed)
            raise DecodeFailure(
                f"<sender> has no attribute {shown(extra)} under this key",
                _attr_pos(text, node, extra),
            )
        return Sender(name, id_, status, operators)

    def encode(self, reply: Reply) -> str:
        if isinstance(reply, ErrorReply):
            return _write_error(self, reply)
        return self._write(self, reply)

    def _element(self, i: int, sender: Sender) -> str:
        key = self.key
        attrs = []
        if key.all:
            attrs.append(f'status="{code_digits(sender.status)}"')
        operators = sender.operators
        plain = documented_codes(operators, OPERATOR_FIELDS) if operators else None
        if plain is not None:  # documented names, codes: nothing to check or escape
            attrs.extend([f'{name}="{value}"' for name, value in plain])
        elif operators:
            for name, value in ordered_operators(operators, OPERATOR_FIELDS):
                where = f"senders[{i}].operators[{shown(name)}]"
                if not _compiled(_ATTR_NAME).fullmatch(name):
                    raise EncodeError(
                        f"{where}: {shown(name)} is not an XML attribute name", key=key
                    )
                if isinstance(value, str):
                    attrs.append(f'{name}="{_escape(value, where, key, _ATTR_ESCAPES)}"')
                else:
                    attrs.append(f'{name}="{int(value)}"')
        attrs.append(f'id="{sender.id}"')
        name = _escape(sender.name, f"senders[{i}].name", key)
        return f"<sender {' '.join(attrs)}>{name}</sender>"


def _escape(value: str, where: str, key: Key, table: dict[int, str] = _TEXT_ESCAPES) -> str:
    if value.isprintable():
        # No control character, surrogate or noncharacter (what XML 1.0 cannot carry), and no
        # CR, LF or tab: only the markup characters can need escaping.
        if "&" in value or "<" in value or ">" in value or '"' in value:
            return value.translate(table)
        return value
    bad = _compiled(_NOT_XML_CHAR).search(value)
    if bad is not None:
        raise EncodeError(f"{where} holds {bad.group()!r}, which XML 1.0 cannot carry", key=key)
    return value.translate(table)


_BARE_OK: Final = ("OK", "OK\n", "OK\r\n")
_BARE_OK_BYTES: Final = (b"OK", b"OK\n", b"OK\r\n")

__all__ = ["READERS", "WRITERS", "codec"]


def codec(key: Key, wire_format: WireFormat) -> XmlCodec:
    """The fmt 2 codec of ``key``."""
    return XmlCodec(key, wire_format)


FORMATS[2].check_tables(READERS, WRITERS)
