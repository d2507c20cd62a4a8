"""Format sniffing: which keys a captured body is a valid reply under, best first.

Strategy: a body alone does not say which request produced it, so :func:`sniff` finds every key
that accepts it and ranks them. It does not decode under all 34 keys. The body is decoded to text
once; its first significant character then rules out whole fmts (a fmt 2 body starts with ``<``,
a fmt 3 one with ``[`` or ``{``, a fmt 0 one with a word of its own; fmt 1 names may start with
anything, but its lines end in digits). Keys that read a body alike form a group, read once; the
four list groups of fmt 2 and 3 read one parse of the body. Under each group the fast reader
decides the common case; only where it declines does the checked reader run, and no failure is
explained (no position, no message) unless it is the one reported: :func:`nearest` computes
those, for the keys of the fmt the body looks like, only when no key accepts the body. What a
group accepts is encoded to tell whether the body is canonical; a list a built-in reader
returned is not checked again for that (SPEC D4: decode refuses what encode refuses).

The rank prefers what the body *shows* over what it merely tolerates: canonical before valid, a
success shape before the error reply that every key of a fmt shares (SPEC §2), keys whose optional
fields (``status``, operator fields) were actually present before keys that would also accept them
absent, and among equals the key that assumes least. The registry's own order breaks the
remaining ties, so the result is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeAlias

from smsc_wire._api import DEFAULT_MAX_SIZE, body_bytes, codec_name, decode, encode, text_of
from smsc_wire._checks import fits_decoded
from smsc_wire._errors import DecodeFailure, EncodeError, InputTooLargeError, WireFormatError
from smsc_wire._fast import Rejected
from smsc_wire._models import OK_REPLY, ErrorReply, Ok, SenderList, new_error
from smsc_wire._registry import registry
from smsc_wire._shapes import BUILTIN_OPERATIONS, OK, SENDER_ADDED, SENDER_LIST, ReplyShape

if TYPE_CHECKING:
    from smsc_wire._key import Key
    from smsc_wire._models import Reply


Rank: TypeAlias = tuple[int, int, int, int, tuple[int | str | bool, ...]]
"""The rules of :func:`sniff`, then the key's own ``sort_key``."""

_WHITESPACE: Final = " \t\r\n"
_BARE_OK: Final = frozenset({"OK", "OK\n", "OK\r\n"})


class Match(NamedTuple):
    """One key under which a body decodes: the reply, and whether the body is its canonical form."""

    key: Key
    reply: Reply
    canonical: bool
    rank: Rank


def text_of_body(raw: bytes | str, charset: str) -> str:
    """``raw`` as the text :func:`decode` sees before the byte-order mark is removed.

    ``raw`` must already have decoded under ``charset``; ``utf-8-sig`` is read as plain UTF-8 so
    that a byte-order mark stays visible (a body with one is valid, never canonical: SPEC D5, D6).
    """
    if isinstance(raw, str):
        return str.__str__(raw)
    data = body_bytes(raw)
    assert data is not None
    return text_of(data, codec_name(charset))


def is_canonical(
    raw: bytes | str, reply: Reply, key: Key, charset: str
) -> tuple[bool, str | EncodeError]:
    """Whether ``raw`` is byte for byte what :func:`encode` writes for ``reply``; and that text.

    Where :func:`encode` refuses the decoded model, the body has no canonical form under ``key``
    and the second item is the :class:`EncodeError` that says why.
    """
    try:
        canonical = encode(reply, key)
    except EncodeError as exc:
        return False, exc
    return text_of_body(raw, charset) == canonical, canonical


def _base_rank(key: Key, reply: Reply, canonical: bool) -> tuple[int, int, int, int]:
    """The rules of :func:`sniff` but the last: the same for every key of a group."""
    used = unused = 0
    if (key.all or key.operators) and isinstance(reply, SenderList):
        # A flag is "used" when some record carries what it adds: a status, an operator field.
        senders = reply.senders
        if key.all:
            statuses = list(map(_STATUS, senders))
            if statuses.count(None) == len(statuses):
                unused += 1
            else:
                used += 1
        if key.operators:
            if any(map(bool, map(_OPERATORS, senders))):
                used += 1
            else:
                unused += 1
    return (0 if canonical else 1, 1 if isinstance(reply, ErrorReply) else 0, -used, unused)


_STATUS: Final = attrgetter("status")
_OPERATORS: Final = attrgetter("operators")


def _could_be(fmt: int, text: str) -> bool:
    """Whether a body could be a reply in ``fmt`` at all: a necessary condition, cheap."""
    return fmt not in _BUILTIN_FMTS or _shapes_of(fmt, text) != _NO_SHAPE


_BUILTIN_FMTS: Final = frozenset({0, 1, 2, 3})
"""The fmts whose bodies _shapes_of knows; a fmt registered by other code could be anything."""


def _shapes_of(fmt: int, text: str) -> tuple[str, ...] | None:
    """The names of the shapes a body of built-in ``fmt`` could have, from its first words;
    ``None``: any, an error reply included; ``()``: none, the body cannot be in ``fmt`` at all
    (``_could_be`` is false). A superset, cheap: the readers decide.
    """
    return _likely(text)[fmt]


def _likely(text: str) -> tuple[tuple[str, ...] | None, ...]:
    """:func:`_shapes_of` for fmt 0, 1, 2 and 3 at once: sniffing a small reply costs as much as
    these tests do (issue 12), so each is made once per body."""
    if text in _BARE_OK:
        return _EVERY_FMT_OK  # SPEC D6: the live service answers a bare OK even in fmt 2 and 3
    # fmt 0, SPEC §2-§5: every reply starts with one of its own words (or is an empty list).
    fmt0: tuple[str, ...] | None
    if not text or text.startswith("name = "):
        fmt0 = _LIST_ONLY
    elif text.startswith("ERROR = "):
        fmt0 = None
    elif text.startswith("ID = "):
        fmt0 = _ADDED_ONLY
    else:
        fmt0 = _OK_ONLY if text.startswith("OK") else _NO_SHAPE
    # fmt 1: an empty list, OK, an id, or lines that end in digits after a comma (SPEC §2-§5;
    # the error reply "0,-N" too).
    fmt1: tuple[str, ...] | None
    last = text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith("\n") else text
    if not text:
        fmt1 = _LIST_ONLY
    elif last == "OK":
        fmt1 = _OK_ONLY
    elif not last[-1:].isdigit():
        fmt1 = _NO_SHAPE
    elif text.startswith("0,-"):
        fmt1 = None  # an error reply, or a sender whose name starts so
    elif last.isdigit():
        fmt1 = _ADDED_ONLY
    else:
        fmt1 = _LIST_ONLY if "," in text else _NO_SHAPE
    # fmt 2 and 3 by the first significant character.
    fmt2: tuple[str, ...] | None = _NO_SHAPE
    fmt3: tuple[str, ...] | None = _NO_SHAPE
    start = text.lstrip(_WHITESPACE)[:1]
    if start == "<":
        if "<error" in text:
            fmt2 = None
        else:
            root = _XML_ROOT.search(text)
            tag = None if root is None else root.group(1)
            fmt2 = _LIST_ONLY if tag == "list" else _ADDED_ONLY if tag == "sender" else _OK_ONLY
    elif start in ("[", "{"):
        if '"error' in text:
            fmt3 = None
        elif start == "[":
            fmt3 = _LIST_ONLY
        else:
            fmt3 = _ADDED_ONLY if '"sender"' in text else _OK_ONLY
    return (fmt0, fmt1, fmt2, fmt3)


# Shapes by name: a str caches its hash, a shape (a dataclass) computes it on every lookup.
_LIST_NAME: Final = SENDER_LIST.name
_LIST_ONLY: Final = (_LIST_NAME,)
_ADDED_ONLY: Final = (SENDER_ADDED.name,)
_OK_ONLY: Final = (OK.name,)
_NO_SHAPE: Final[tuple[str, ...]] = ()
_EVERY_FMT_OK: Final = (_OK_ONLY,) * 4
_XML_ROOT: Final = re.compile(r"<(list|sender|result)[\s/>]")


class _Entry(NamedTuple):
    """What sniffing needs of one registry key, worked out once per registry state."""

    key: Key
    fmt: int
    shape: ReplyShape | None
    """The shape of a built-in codec's key; ``None`` for another's codec (read as it reads)."""
    group: int | None
    """Built-in keys of one fmt, shape and flags (one number) read every body alike."""
    utf8: Callable[[bytes], Reply | None] | None
    fast: Callable[[str], Reply | None] | None
    checked: Callable[[str], Reply] | None
    parse: Callable[[bytes], object] | None
    """The fmt's parser of UTF-8 bodies, where the codec reads what it parsed (``parsed``):
    the keys of a fmt then share one parse of a list (issue 12)."""
    parsed: Callable[[bytes, object], Reply | None] | None
    sort_key: tuple[int | str | bool, ...]
    order: int
    """The key's place by ``sort_key`` among the registry's keys (the last rule of a rank)."""


class _Plan(NamedTuple):
    """The registry arranged for sniffing: built-in keys by fmt, shape and flags; the rest."""

    entries: tuple[_Entry, ...]
    """Every key, in registry order."""
    by_fmt: dict[int, dict[str, list[list[_Entry]]]]
    """Built-in keys: per fmt, per shape (by name), the groups of keys that read a body alike."""
    of_fmt: dict[int, list[_Entry]]
    """Built-in keys per fmt: every one of them accepts the fmt's error reply."""
    others: tuple[_Entry, ...]
    """Keys of codecs registered by others: each is asked about every body."""
    ok_texts: dict[int, str | None]
    """Per group of OK keys (by its first entry's ``group``): what encode writes for ``Ok()``,
    ``None`` if it refuses. ``Ok`` has no fields, so its canonical body is the key's constant."""
    ok_ranks: dict[int, dict[bool, _Shared]]
    """Per group of OK keys, canonical or not: each key's rank for the built-in readers' Ok
    reply (``OK_REPLY``, which has no fields)."""
    error_ranks: dict[int, dict[bool, _Shared]]
    """Per fmt, canonical or not: each built-in key's rank for the fmt's error reply."""
    merged: dict[tuple[int, ...], tuple[Key, ...]]
    """The keys of several shared parts, merged by rank, by the parts' ids (the plan holds
    the parts, so their ids stay theirs): a bare OK matches the OK keys of every fmt."""


class _Shared(NamedTuple):
    """The ranks of a group of keys that match a body alike whatever it holds (an error
    reply, OK), made once per plan and sorted: the part of a sniff that needs no sorting."""

    ranks: list[tuple[int, Key, _Base, _Entry]]
    keys: tuple[Key, ...]


def _shared(ranks: list[tuple[int, Key, _Base, _Entry]]) -> _Shared:
    ranks = sorted(ranks, key=_RANK)
    return _Shared(ranks, tuple(map(_KEY, ranks)))


_plans: dict[int, _Plan] = {}
"""The plan of each registry version (the registry only grows: one entry, rarely two)."""


def _plan() -> _Plan:
    version = registry.version
    cached = _plans.get(version)
    if cached is not None:
        return cached
    entries: list[_Entry] = []
    groups: dict[tuple[object, ...], list[_Entry]] = {}
    by_fmt: dict[int, dict[str, list[list[_Entry]]]] = {}
    of_fmt: dict[int, list[_Entry]] = {}
    for key in registry:
        codec = registry[key]
        builtin = registry.is_builtin(key)
        shape = BUILTIN_OPERATIONS.get(str(key.operation)) if builtin else None
        entry = _Entry(
            key,
            key.fmt,
            shape,
            None if shape is None else len(entries),
            getattr(codec, "decode_utf8", None),
            getattr(codec, "fast", None),
            getattr(codec, "checked", None),
            getattr(codec, "parse_utf8", None),
            getattr(codec, "decode_parsed", None),
            key.sort_key,
            0,  # set below, once every key is known
        )
        entries.append(entry)
        if shape is None:
            continue
        of_fmt.setdefault(key.fmt, []).append(entry)
        group = groups.get((key.fmt, shape.name, key.all, key.operators))
        if group is None:
            group = groups[(key.fmt, shape.name, key.all, key.operators)] = []
            by_fmt.setdefault(key.fmt, {}).setdefault(shape.name, []).append(group)
        group.append(entry)
    by_order = sorted(range(len(entries)), key=lambda i: entries[i].sort_key)
    for order, i in enumerate(by_order):
        entries[i] = entries[i]._replace(order=order)
    for shapes in by_fmt.values():  # the groups hold the entries as they were: replace them too
        for groups_of_shape in shapes.values():
            for group in groups_of_shape:
                group[:] = [entries[e.group] for e in group if e.group is not None]
    for fmt, fmt_entries in of_fmt.items():
        of_fmt[fmt] = [entries[e.group] for e in fmt_entries if e.group is not None]
    count = len(entries)
    ok_texts: dict[int, str | None] = {}
    ok_ranks: dict[int, dict[bool, _Shared]] = {}
    for shapes in by_fmt.values():
        for group in shapes.get(OK.name, ()):
            first = group[0]
            assert first.group is not None
            ok_texts[first.group] = _canonical_text("", Ok(), first.key)[1]
            ok_ranks[first.group] = {
                canonical: _shared(
                    [
                        (_order(base, e, count), e.key, base, e)
                        for e in group
                        for base in [_base_rank(e.key, OK_REPLY, canonical)]
                    ]
                )
                for canonical in (True, False)
            }
    error = new_error(0, None)  # any error reply ranks alike: no list, an error
    error_ranks = {
        fmt: {
            canonical: _shared(
                [
                    (_order(base, e, count), e.key, base, e)
                    for e in fmt_entries
                    for base in [_base_rank(e.key, error, canonical)]
                ]
            )
            for canonical in (True, False)
        }
        for fmt, fmt_entries in of_fmt.items()
    }
    others = tuple(e for e in entries if e.shape is None)
    plan = _Plan(tuple(entries), by_fmt, of_fmt, others, ok_texts, ok_ranks, error_ranks, {})
    _plans.clear()
    _plans[version] = plan
    return plan


def candidates(text: str) -> list[Key]:
    """The registry keys under which ``text`` could be valid, in registry order."""
    possible: dict[int, bool] = {}
    found = []
    for entry in _plan().entries:
        if entry.group is None:
            found.append(entry.key)  # another's codec: no knowledge of what it reads
            continue
        able = possible.get(entry.fmt)
        if able is None:
            able = possible[entry.fmt] = _could_be(entry.fmt, text)
        if able:
            found.append(entry.key)
    return found


def matches(
    raw: bytes | str, *, charset: str = "utf-8", max_size: int = DEFAULT_MAX_SIZE
) -> list[Match]:
    """The keys ``raw`` decodes under, ranked as in :func:`sniff`.

    Raises :class:`InputTooLargeError` for a body over ``max_size`` and
    :class:`UnsupportedCharsetError` for an unknown charset; a body that does not decode in the
    charset at all is valid under no key (an empty list).
    """
    return [Match(key, reply, canonical, (*base, entry.sort_key)) for _, key, base, entry, reply,
            canonical in _ranked(raw, charset, max_size)]  # fmt: skip


_Base: TypeAlias = tuple[int, int, int, int]
"""A rank without its last rule (see _base_rank)."""

# A match as a plain tuple, its rank as one int first (see _order), sorted by that int alone:
# sorting sixteen of them compared nested tuples of mixed types, and cost more than reading the
# body did. No two ints are equal (each ends in its key's place). The key comes next, for sniff
# to take out in C.
_Ranked: TypeAlias = "tuple[int, Key, _Base, _Entry, Reply, bool]"
_RANK: Final = itemgetter(0)
_KEY: Final = itemgetter(1)


def _order(base: _Base, entry: _Entry, count: int) -> int:
    """The rank ``(*base, entry.sort_key)`` as one int that sorts alike, for ``count`` keys."""
    canonical, error, used, unused = base  # 0-1, 0-1, -2-0, 0-2
    return (((canonical * 2 + error) * 3 + used + 2) * 3 + unused) * count + entry.order


def _ranked(raw: bytes | str, charset: str, max_size: int) -> list[_Ranked]:
    found, shared, _ = _collect(raw, charset, max_size)
    for part, reply, canonical in shared:
        found.extend([(order, k, base, e, reply, canonical) for order, k, base, e in part.ranks])
    found.sort(key=_RANK)
    return found


def _collect(
    raw: bytes | str, charset: str, max_size: int
) -> tuple[list[_Ranked], list[tuple[_Shared, Reply, bool]], _Plan | None]:
    """The matches of ``raw``, unsorted: those made for this body, and the shared parts with
    the reply they are for (see _ranked); and the plan, ``None`` for a body that is no text."""
    # An unknown charset is the caller's error, not the body's.
    encoding = "utf-8" if charset == "utf-8" else codec_name(charset)
    data: bytes | None
    original = ""
    if type(raw) is bytes:
        data, size = raw, len(raw)
    elif isinstance(raw, str):
        original = str.__str__(raw)  # SPEC D11: a str subclass is read as its characters
        data, size = None, len(original)
    else:
        data = body_bytes(raw)
        if data is None:
            raise TypeError(f"raw must be bytes or str, not {type(raw).__name__}")
        size = len(data)
    if size > max_size:
        unit = "characters" if data is None else "bytes"
        raise InputTooLargeError(size, max_size, unit=unit)
    if data is not None:
        try:
            # As text_of_body reads it: a BOM stays. UTF-8 is text_of's own first step.
            original = data.decode() if encoding == "utf-8" else text_of(data, encoding)
        except (UnicodeDecodeError, WireFormatError):
            return [], [], None
    text = original
    utf8 = data if encoding == "utf-8" else None
    if text.startswith("\ufeff") and (data is None or utf8 is not None):
        text = text[1:]  # SPEC D6: decode drops a UTF-8 byte-order mark
        if utf8 is not None:
            utf8 = utf8[3:]
    found: list[_Ranked] = []
    shared: list[tuple[_Shared, Reply, bool]] = []
    plan = _plans.get(registry.version) or _plan()
    shapes_of = _likely(text)
    for fmt, shapes in plan.by_fmt.items():
        likely = shapes_of[fmt]
        if likely == _NO_SHAPE:
            continue  # the body's first words rule the fmt out
        error = None
        parser: object = None
        parsed: object = None
        for shape in shapes if likely is None else likely:
            # One read per group: the built-in keys of one shape and flags read alike (the OK
            # operations all read OK), and the error reply, read first, is every key's.
            for group in shapes.get(shape, ()):
                first = group[0]
                direct = first.utf8
                if utf8 is None or direct is None:
                    read = _read(first, raw, text, utf8, charset=charset, max_size=max_size)
                else:  # _read, its first step written out: most bodies end here
                    try:
                        parse = first.parse if shape == _LIST_NAME else None
                        if parse is not None and first.parsed is not None:
                            # The four list groups of a fmt read one parse of the body.
                            if parser is not parse:
                                parser, parsed = parse, parse(utf8)
                            read = first.parsed(utf8, parsed)
                        else:
                            read = direct(utf8)
                    except Rejected:
                        continue
                    except Exception:
                        read = None
                    if read is None:
                        read = _checked(first, raw, text, charset, max_size)
                if read is None:
                    continue
                if read is OK_REPLY:
                    canonical = original == plan.ok_texts[first.group]  # type: ignore[index]
                    shared.append((plan.ok_ranks[first.group][canonical], read, canonical))  # type: ignore[index]
                    continue
                if type(read) is SenderList:
                    fits_decoded(read, first.key)  # a built-in reader's: encode need not check
                canonical = _canonical_text(original, read, first.key)[0]
                if isinstance(read, ErrorReply):
                    error = (read, canonical)
                    break
                base = _base_rank(first.key, read, canonical)
                count = len(plan.entries)
                found.extend(
                    [(_order(base, e, count), e.key, base, e, read, canonical) for e in group]
                )
            if error is not None:
                break
        if error is not None:
            reply, canonical = error
            shared.append((plan.error_ranks[fmt][canonical], reply, canonical))
    for entry in plan.others:
        read = _read(entry, raw, text, utf8, charset=charset, max_size=max_size)
        if read is not None:
            canonical = _canonical_text(original, read, entry.key)[0]
            base = _base_rank(entry.key, read, canonical)
            order = _order(base, entry, len(plan.entries))
            found.append((order, entry.key, base, entry, read, canonical))
    return found, shared, plan


def _read(
    entry: _Entry, raw: bytes | str, text: str, utf8: bytes | None, *, charset: str, max_size: int
) -> Reply | None:
    """The reply under the entry's key, or ``None`` if it refuses the body (never explained)."""
    try:
        if utf8 is not None and entry.utf8 is not None:
            reply = entry.utf8(utf8)
        elif entry.fast is not None:
            reply = entry.fast(text)
        else:
            reply = None
    except Rejected:
        return None  # certainly invalid under this key: nothing to explain, nothing to do
    except Exception:  # a fast reader that fails is declining: the checked one decides
        reply = None
    if reply is not None:
        return reply
    return _checked(entry, raw, text, charset, max_size)


def _checked(
    entry: _Entry, raw: bytes | str, text: str, charset: str, max_size: int
) -> Reply | None:
    """The reply under the entry's key by its checked reader, or ``None`` if it refuses."""
    try:
        if entry.checked is None:
            return decode(raw, entry.key, charset=charset, max_size=max_size)
        return entry.checked(text)
    except (DecodeFailure, WireFormatError):
        return None
    except Exception:  # a codec's bug: decode reports it; here it simply does not accept
        return None


def _canonical_text(text: str, reply: Reply, key: Key) -> tuple[bool, str | None]:
    try:
        canonical = encode(reply, key)
    except EncodeError:
        return False, None
    return text == canonical, canonical


def nearest(raw: bytes | str, *, charset: str = "utf-8") -> tuple[Key, WireFormatError]:
    """For a body valid under no key: the key under which decoding got furthest, and its error.

    Only the keys of the fmts the body could be in are tried (every key if it could be in none),
    so the error names the likeliest mistake of the likeliest fmt.
    """
    try:
        text = text_of_body(raw, charset)
    except WireFormatError:
        text = ""
    keys = candidates(text.removeprefix("\ufeff")) or list(registry)
    failures: dict[Key, WireFormatError] = {}
    for key in keys:
        try:
            decode(raw, key, charset=charset)
        except WireFormatError as exc:
            exc.__traceback__ = None
            failures[key] = exc

    def reach(exc: WireFormatError) -> int:
        return -1 if exc.offset is None else exc.offset

    if not failures:  # pragma: no cover - nearest is asked only about a body no key accepts
        raise DecodeFailure("the body is valid under some key")
    far = max(reach(exc) for exc in failures.values())
    tied = [key for key, exc in failures.items() if reach(exc) == far]
    line = failures[tied[0]].line
    if len(tied) > 1 and line is not None and line > 1 and far >= 0:
        # In fmt 0 and 1 an all=0 name swallows a status (SPEC D8), so several keys fail at the
        # same place; the lines before it tell them apart, ranked as sniff ranks keys. They
        # precede every error, an undecodable byte's included, so they decode on their own.
        try:
            head = text_of_body(raw[:far], charset)
        except WireFormatError:  # a codec that cannot decode a cut body: no tie-break
            return tied[0], failures[tied[0]]
        prefix = "\n".join(head.split("\n")[: line - 1]).rstrip("\r\n")
        ranked = [m.key for m in matches(prefix) if m.key in tied]
        if ranked:
            return ranked[0], failures[ranked[0]]
    return tied[0], failures[tied[0]]


def what_it_is(found: list[Match]) -> str | None:
    """What a sniffed body is, where its key alone would say more than the body does.

    An error reply is valid under every key of its fmt; ``OK`` under every
    OK operation; an empty body is an empty sender list in the line fmts, and nothing else: a
    truncated capture looks the same. ``None`` where the best key says it all.
    """
    if not found:
        return None
    best = found[0]
    if isinstance(best.reply, ErrorReply):
        return "an error reply, valid under every key"
    if isinstance(best.reply, Ok):
        return "OK, valid under every OK operation"
    if isinstance(best.reply, SenderList) and not best.reply and best.key.fmt in (0, 1):
        return "an empty body, an empty sender list"
    return None


def sniff(raw: bytes | str, *, charset: str = "utf-8") -> list[Key]:
    """Every registry key under which ``raw`` is a valid reply, best first.

    The order, rule by rule (each rule only breaks the ties of the one before):

    1. keys under which ``raw`` is canonical (``encode(decode(raw)) == raw``) before keys under
       which it is merely valid;
    2. keys under which a success reply decoded before keys under which only the error reply,
       shared by every key of a fmt, matched;
    3. for sender lists, keys whose extra fields were present (``all=1`` with a ``status`` in some
       record, ``operators=1`` with an operator field in some record) before keys that merely
       tolerate them absent — ``name = A, status = 1, id = 2`` is also a canonical ``all=0``
       reply for a sender named ``A, status = 1``, but ``all=1`` explains it better;
    4. keys with fewer such flags set but unused (an empty list reads as ``all=0 operators=0``);
    5. the registry's order (by fmt, then operation, then ``all``, ``operators``).

    An empty list means the body is a valid reply under no key. ``bytes`` are decoded with
    ``charset``; an unknown charset raises :class:`UnsupportedCharsetError`.

    >>> from smsc_wire import sniff
    >>> [str(key) for key in sniff(b"name = Shop, Inc, status = 1, id = 42")[:2]]
    ['fmt=0 get all=1 operators=0', 'fmt=0 get all=1 operators=1']
    >>> sniff(b'{"sender": 42}')[0]
    Key(fmt=3, operation=<Operation.ADD: 'add'>, all=False, operators=False)
    """
    found, shared, plan = _collect(raw, charset, DEFAULT_MAX_SIZE)
    if found or plan is None or not shared:
        ranks: list[tuple[Any, ...]] = [*found]
        for part, _, _ in shared:
            ranks.extend(part.ranks)
        ranks.sort(key=_RANK)
        return list(map(_KEY, ranks))
    if len(shared) == 1:
        return list(shared[0][0].keys)  # an error reply, say: its keys are sorted already
    parts = tuple([id(part) for part, _, _ in shared])
    keys = plan.merged.get(parts)
    if keys is None:
        ranks = [rank for part, _, _ in shared for rank in part.ranks]
        keys = tuple(map(_KEY, sorted(ranks, key=_RANK)))
        if len(plan.merged) >= _MERGED:
            plan.merged.clear()
        plan.merged[parts] = keys
    return list(keys)


_MERGED: Final = 256
"""How many merged orders a plan keeps (a body matches few combinations of shared parts)."""
