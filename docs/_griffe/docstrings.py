"""A Griffe extension: render the package's reST-flavoured docstrings as Markdown.

Strategy: the docstrings of ``smsc_wire`` are written for ``help()`` and doctest, not for a
Markdown renderer: doctest examples stand bare after a blank line, cross-references use Sphinx
roles (``:class:`Key```) and a literal block is introduced by ``::``. Rendered as they are,
``>>>`` lines become nested block quotes, roles print verbatim, and an example such as
``sniff(...)[:2]`` even reads as a reference link that fails the strict build. Rather than
rewrite the package's docstrings, this extension rewrites their *rendered copy* once the package
is loaded: each doctest paragraph is fenced as ``pycon``, each role becomes a code span (linked
to the reference when it names a public object), ``text::`` becomes ``text:``, and a citation
``SPEC D8`` links to the decision's section (``decisions.md#d8``, registered by autorefs). A
docstring already written in Markdown passes through unchanged, so the extension can stay when
the package's docstrings change style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import griffe

# A Sphinx role with a target: :class:`Key`, :meth:`~smsc_wire.Registry.register`, ...
_ROLE: Final = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj):`(~?)([\w.]+)`")
_FENCE: Final = re.compile(r"^\s*(```|~~~)")
# "SPEC D8", "SPEC D6, D8", "SPEC D9-D11": each decision number becomes a link.
_CITATION: Final = re.compile(r"SPEC D\d+(?:(?:, | and |-|–)D\d+)*")


def _walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        # Aliases point at objects documented where they are defined (or outside the package).
        if not member.is_alias:
            assert isinstance(member, griffe.Object)
            yield from _walk(member)


def fence_doctests(text: str) -> str:
    """Wrap each paragraph that starts with ``>>>`` in a ``pycon`` fence."""
    out: list[str] = []
    in_fence = in_doctest = False
    for line in text.split("\n"):
        if in_doctest and not line.strip():
            out.append("```")
            in_doctest = False
        elif not in_doctest and _FENCE.match(line):
            in_fence = not in_fence
        elif not (in_fence or in_doctest) and line.lstrip().startswith(">>>"):
            # A blank line ends a doctest's expected output, and so the fence: give it one.
            if out and out[-1].strip():
                out.append("")
            out.append("```pycon")
            in_doctest = True
        out.append(line)
    if in_doctest:
        out.append("```")
    return "\n".join(out)


def replace_roles(text: str, public: frozenset[str]) -> str:
    """Turn Sphinx roles into code spans, linked where they name a public object."""

    def code(match: re.Match[str]) -> str:
        tilde, target = match.groups()
        shown = target.rsplit(".", 1)[-1] if tilde else target
        path = target.removeprefix("smsc_wire.")
        if path.split(".", 1)[0] in public:
            return f"[`{shown}`][smsc_wire.{path}]"
        return f"`{shown}`"

    return _ROLE.sub(code, text)


def literal_block_markers(text: str) -> str:
    """``text::`` before an indented block reads ``text:`` (the block is code in Markdown too)."""
    return re.sub(r"(?m)(\S)::$", r"\1:", text)


def link_decisions(text: str) -> str:
    """``SPEC D8`` becomes ``SPEC [D8][d8]``: a cross-reference to that decision's section."""

    def links(match: re.Match[str]) -> str:
        return re.sub(r"D(\d+)", r"[D\1][d\1]", match[0])

    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        out.append(line if in_fence else _CITATION.sub(links, line))
    return "\n".join(out)


class RestDocstrings(griffe.Extension):
    """Rewrites every docstring of the loaded package (see the module's docstring)."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        public = frozenset(str(name) for name in pkg.exports or ())
        for obj in _walk(pkg):
            docstring = obj.docstring
            if docstring is None:
                continue
            text = fence_doctests(docstring.value)
            text = replace_roles(text, public)
            text = literal_block_markers(text)
            docstring.value = link_decisions(text)
