"""Verdicts on captured bodies: canonical, valid (and where it first differs) or invalid (where).

Strategy: a verdict is a typed, frozen value computed by the library, for the command line and
for Python callers alike; JSON and human-readable lines are made at the command line's edge. A
body is judged under the key its context gives — a request (SPEC D13), a HAR entry's request
(D14), a fixture manifest, a key given by hand — and only without context is the key sniffed; a
sniffed verdict says what the body alone shows (an error reply, an OK, an empty body) rather than
pretend one key is known. Verdicts never raise for a body: a body that cannot be judged is a
verdict too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from smsc_wire._api import DEFAULT_MAX_SIZE, codec_name, decode
from smsc_wire._checks import fits_decoded
from smsc_wire._errors import EncodeError, WireFormatError, locate
from smsc_wire._models import SenderList
from smsc_wire._registry import registry
from smsc_wire._tools.sniff import is_canonical, matches, nearest, text_of_body, what_it_is

if TYPE_CHECKING:
    from smsc_wire._key import Key
    from smsc_wire._models import Reply

_SNIPPET: Final = 24


class Kind(StrEnum):
    """What a verdict says of a body."""

    CANONICAL = "canonical"
    """Byte for byte what ``encode`` writes (SPEC D5)."""
    VALID = "valid"
    """It decodes, but is laid out otherwise (SPEC D6)."""
    INVALID = "invalid"
    """It is not a valid reply under the key."""
    UNREADABLE = "unreadable"
    """It could not be read (a file, or a capture entry whose request cannot be read)."""
    ERROR = "error"
    """Judging it failed unexpectedly: a bug of this library."""


class KeySource(StrEnum):
    """Where the key a body was judged under came from."""

    GIVEN = "given"
    REQUEST = "request"
    MANIFEST = "manifest"
    SNIFFED = "sniffed"
    NEAREST = "nearest"
    """No key accepts the body: the one under which decoding got furthest."""


@dataclass(frozen=True, slots=True)
class Difference:
    """Where a valid body first differs from its canonical form (SPEC D5)."""

    line: int
    column: int
    offset: int
    """Into the body as given: bytes for bytes, characters for text."""
    found: str
    expected: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a body is invalid (or could not be judged), and where, when a position applies."""

    reason: str
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    excerpt: str | None = None

    @classmethod
    def of(cls, exc: WireFormatError, prefix: str = "") -> Problem:
        return cls(prefix + exc.reason, exc.line, exc.column, exc.offset, exc.excerpt)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict on one body.

    ``kind`` says what it is; ``key`` and ``key_source`` the key it was judged under and where
    that came from; ``reply`` the decoded model of a valid body; ``difference`` where a valid
    body first differs from its canonical form, or ``no_canonical_form`` why it has none;
    ``problem`` what is wrong with an invalid one; ``sniffed`` what a body judged without context
    shows beyond its key (an error reply, OK, an empty body); ``notes`` anything else worth
    knowing (a capture's text re-encoded, a disagreeing Content-Type charset).

    >>> from smsc_wire import Key, judge
    >>> verdict = judge(b"name = A, id = 1\\r\\n", key=Key(0, "get"))
    >>> verdict.kind, verdict.difference.line, verdict.difference.column
    (<Kind.VALID: 'valid'>, 1, 17)
    """

    kind: Kind
    key: Key | None = None
    key_source: KeySource | None = None
    reply: Reply | None = None
    difference: Difference | None = None
    no_canonical_form: str | None = None
    problem: Problem | None = None
    sniffed: str | None = None
    notes: tuple[str, ...] = ()


def judge(
    raw: bytes | str,
    *,
    key: Key | None = None,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
    key_source: KeySource = KeySource.GIVEN,
    notes: tuple[str, ...] = (),
) -> Verdict:
    """The verdict on one body, under ``key`` (from ``key_source``), or sniffed without one.

    ``raw`` is the body as the server sent it: bytes in the request's ``charset``, or text.
    Raises only :class:`~smsc_wire.UnsupportedCharsetError` for an unknown charset; anything
    wrong with the body is in the verdict.

    >>> from smsc_wire import judge
    >>> verdict = judge(b"ERROR = 3 (record not found)")
    >>> verdict.kind, verdict.key_source
    (<Kind.CANONICAL: 'canonical'>, <KeySource.SNIFFED: 'sniffed'>)
    >>> verdict.sniffed
    'an error reply, valid under every key'
    """
    codec_name(charset)
    if key is None:
        try:
            found = matches(raw, charset=charset, max_size=max_size)
        except WireFormatError as exc:  # over the size limit
            return Verdict(Kind.INVALID, problem=Problem.of(exc), notes=notes)
        if not found:
            near, error = nearest(raw, charset=charset)
            prefix = "valid under no key; the nearest key says: "
            return Verdict(
                Kind.INVALID,
                near,
                KeySource.NEAREST,
                problem=Problem.of(error, prefix),
                notes=notes,
            )
        best = found[0]
        key, reply, key_source = best.key, best.reply, KeySource.SNIFFED
        sniffed = what_it_is(found)
    else:
        try:
            reply = decode(raw, key, charset=charset, max_size=max_size)
        except WireFormatError as exc:
            return Verdict(Kind.INVALID, key, key_source, problem=Problem.of(exc), notes=notes)
        if type(reply) is SenderList and registry.is_builtin(key):
            fits_decoded(reply, key)  # encode, below, need not check what decode has
        sniffed = None
    canonical, text = is_canonical(raw, reply, key, charset)
    if canonical:
        return Verdict(Kind.CANONICAL, key, key_source, reply, sniffed=sniffed, notes=notes)
    if isinstance(text, EncodeError):
        return Verdict(
            Kind.VALID,
            key,
            key_source,
            reply,
            no_canonical_form=text.reason,
            sniffed=sniffed,
            notes=notes,
        )
    difference = _difference(raw, text, charset)
    return Verdict(
        Kind.VALID, key, key_source, reply, difference=difference, sniffed=sniffed, notes=notes
    )


def _difference(raw: bytes | str, canonical: str, charset: str) -> Difference:
    text = text_of_body(raw, charset)
    pos = next(
        (i for i, (a, b) in enumerate(zip(text, canonical, strict=False)) if a != b),
        min(len(text), len(canonical)),
    )
    line, column, _ = locate(text, pos)
    offset = pos
    if not isinstance(raw, str):
        try:
            offset = len(text[:pos].encode(codec_name(charset)))
        except UnicodeError:  # a codec that cannot write what it read: count characters
            offset = pos
    return Difference(line, column, offset, _snippet(text, pos), _snippet(canonical, pos))


def _snippet(text: str, pos: int) -> str:
    part = text[pos : pos + _SNIPPET]
    return part + "…" if len(text) > pos + _SNIPPET else part


def unreadable(reason: str, *, key: Key | None = None, notes: tuple[str, ...] = ()) -> Verdict:
    """The verdict on a body that could not be read."""
    source = None if key is None else KeySource.GIVEN
    return Verdict(Kind.UNREADABLE, key, source, problem=Problem(reason), notes=notes)


def internal_error(description: str) -> Verdict:
    """The verdict on a body whose judging failed unexpectedly (a bug)."""
    return Verdict(Kind.ERROR, problem=Problem(description))


def too_large(exc: WireFormatError, key: Key | None) -> Verdict:
    """A body over the size limit: invalid, judged unread."""
    source = None if key is None else KeySource.GIVEN
    return Verdict(Kind.INVALID, key, source, problem=Problem.of(exc))
