"""The Lark grammars of fmt 0 and fmt 1: loading, building once, and translating their errors.

Strategy: the ``.lark`` files are the definition of the text formats. They ship inside the package
(``smsc_wire/grammars`` in a wheel) and are read from the repository's ``grammars/`` in a checkout.
Each parser is built on first use, once per process, behind a lock, so ``import smsc_wire`` never
imports lark. Values are built during the parse by a stateless transformer (no tree, no walk).
Lark's own cache is never used: it loads a pickle from a guessable path in the temp directory.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from smsc_wire._errors import DecodeFailure

if TYPE_CHECKING:
    from lark import Lark


def grammar_text(filename: str) -> str:
    """The text of ``grammars/<filename>``, from the installed package or else the checkout.

    A wheel ships the grammars as ``smsc_wire/grammars``; a checkout keeps them at the top of
    the repository. Plain paths: ``importlib.resources`` costs more to import than this takes.
    """
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    packaged = os.path.join(package, "grammars", filename)
    if not os.path.isfile(packaged):
        packaged = os.path.join(os.path.dirname(package), "grammars", filename)
    with open(packaged, encoding="utf-8") as file:
        return file.read()


class GrammarParser:
    """One grammar file with several start rules, built on first use."""

    def __init__(
        self,
        filename: str,
        starts: Sequence[str],
        transformer: Callable[[], object],
        terminals: Mapping[str, str],
        diagnose: Callable[[str, int, frozenset[str]], DecodeFailure | None] | None = None,
    ) -> None:
        self._filename = filename
        self._starts = list(starts)
        self._transformer = transformer
        self._terminals = terminals
        self._diagnose = diagnose
        self._lark: Lark | None = None
        self._lock = threading.Lock()

    def lark(self) -> Lark:
        lark = self._lark
        if lark is None:
            with self._lock:
                lark = self._lark
                if lark is None:
                    from lark import Lark

                    lark = Lark(
                        grammar_text(self._filename),
                        parser="lalr",
                        lexer="contextual",
                        start=self._starts,
                        transformer=self._transformer(),
                        maybe_placeholders=False,
                    )
                    self._lark = lark
        return lark

    def parse(self, text: str, start: str) -> Any:
        """Parse ``text`` from rule ``start``; any lark error becomes a :class:`DecodeFailure`."""
        from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

        lark = self.lark()
        try:
            return lark.parse(text, start=start)
        except UnexpectedCharacters as exc:
            # lark declares pos_in_stream as None on the base class; the lexer always sets it.
            pos: int = getattr(exc, "pos_in_stream", 0)
            failure = self._failure(exc.allowed, text, pos)
        except UnexpectedToken as exc:
            token = exc.token
            pos = len(text) if token.type == "$END" else (token.start_pos or 0)
            failure = self._failure(exc.expected, text, pos)
        except UnexpectedEOF as exc:
            failure = self._failure(exc.expected, text, len(text))
        raise failure

    def _failure(self, names: object, text: str, pos: int) -> DecodeFailure:
        expected = (
            frozenset(names) if isinstance(names, (set, frozenset, list, tuple)) else frozenset()
        )
        if self._diagnose is not None:
            # A failed name terminal says only "no name here": the codec can say which part of
            # the line is wrong, and where.
            refined = self._diagnose(text, pos, expected)
            if refined is not None:
                return refined
        return DecodeFailure(self._expected(expected, text, pos), pos)

    def _expected(self, names: frozenset[str], text: str, pos: int | None) -> str:
        lark = self.lark()
        described: set[str] = set()
        for name in names:
            if name in ("$END", "<END-OF-FILE>"):
                described.add("the end of the body")
            elif name in self._terminals:
                described.add(self._terminals[name])
            else:
                try:
                    described.add(repr(lark.get_terminal(name).pattern.value))
                except KeyError:
                    described.add(name)
        found = found_at(text, pos)
        if not described:
            return f"unexpected {found}"
        return f"expected {' or '.join(sorted(described))}, found {found}"


def found_at(text: str, pos: int | None) -> str:
    if pos is None or pos >= len(text):
        return "the end of the body"
    char = text[pos]
    if char in "\r\n":
        return "a line ending" if char == "\n" or text.startswith("\r\n", pos) else "a lone CR"
    return repr(char)
