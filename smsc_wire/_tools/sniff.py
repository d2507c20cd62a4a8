"""Format sniffing: which keys a captured body is a valid reply under, best first.

Strategy: a body alone does not say which request produced it, so :func:`sniff` simply decodes it
under every key of the registry and ranks the keys that accept it. The rank prefers what the body
*shows* over what it merely tolerates: canonical before valid, a success shape before the error
reply that every key of a fmt shares (SPEC §2), keys whose optional fields (``status``, operator
fields) were actually present before keys that would also accept them absent, and among equals the
key that assumes least. The registry's own order breaks the remaining ties, so the result is
deterministic. This costs one decode per key; the codecs reject a foreign fmt at its first
character, which keeps the whole sniff near a millisecond for a typical capture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from smsc_wire._api import DEFAULT_MAX_SIZE, codec_name, decode, encode
from smsc_wire._errors import EncodeError, WireFormatError
from smsc_wire._models import ErrorReply, SenderList
from smsc_wire._registry import registry

if TYPE_CHECKING:
    from smsc_wire._key import Key
    from smsc_wire._models import Reply


Rank: TypeAlias = tuple[int, int, int, int, tuple[int | str | bool, ...]]
"""The rules of :func:`sniff`, then the key's own ``sort_key``."""


@dataclass(frozen=True, slots=True)
class Match:
    """One key under which a body decodes: the reply, and whether the body is its canonical form."""

    key: Key
    reply: Reply
    canonical: bool
    rank: Rank


def text_of(raw: bytes | str, charset: str) -> str:
    """``raw`` as the text :func:`decode` sees before the byte-order mark is removed.

    ``raw`` must already have decoded under ``charset``; ``utf-8-sig`` is read as plain UTF-8 so
    that a byte-order mark stays visible (a body with one is valid, never canonical: SPEC D5, D6).
    """
    return raw if isinstance(raw, str) else str(raw, codec_name(charset))


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
    if isinstance(raw, str):
        return raw == canonical, canonical
    return text_of(raw, charset) == canonical, canonical


def _rank(key: Key, reply: Reply, canonical: bool) -> Rank:
    used = unused = 0
    if isinstance(reply, SenderList):
        # A flag is "used" when some record carries what it adds: a status, an operator field.
        has_status = any(s.status is not None for s in reply)
        has_operators = any(s.operators for s in reply)
        used = (key.all and has_status) + (key.operators and has_operators)
        unused = (key.all and not has_status) + (key.operators and not has_operators)
    return (
        0 if canonical else 1,
        1 if isinstance(reply, ErrorReply) else 0,
        -used,
        unused,
        key.sort_key,
    )


def matches(
    raw: bytes | str, *, charset: str = "utf-8", max_size: int = DEFAULT_MAX_SIZE
) -> tuple[list[Match], dict[Key, WireFormatError]]:
    """The keys ``raw`` decodes under, ranked as in :func:`sniff`, and the other keys' errors."""
    codec_name(charset)  # an unknown charset is the caller's error, not the body's
    found: list[Match] = []
    failures: dict[Key, WireFormatError] = {}
    for key in registry:
        try:
            reply = decode(raw, key, charset=charset, max_size=max_size)
        except WireFormatError as exc:
            failures[key] = exc
            continue
        canonical, _ = is_canonical(raw, reply, key, charset)
        found.append(Match(key, reply, canonical, _rank(key, reply, canonical)))
    found.sort(key=lambda m: m.rank)
    return found, failures


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
    >>> [str(key) for key in sniff(b"name = Shop, Inc, status = 1, id = 42")][:2]
    ['fmt=0 get all=1 operators=0', 'fmt=0 get all=1 operators=1']
    >>> sniff(b'{"sender": 42}')[0]
    Key(fmt=3, operation=<Operation.ADD: 'add'>, all=False, operators=False)
    """
    found, _ = matches(raw, charset=charset)
    return [m.key for m in found]
