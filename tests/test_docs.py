"""The documentation is checked like code: README.md, every page under docs/, the docstrings.

Strategy: the Markdown files are read as a sequence of fenced blocks, and each kind of block is
checked by what it claims. The conventions, which every page under docs/ and README.md follow:

- A ```` ```python ```` or ```` ```pycon ```` block runs (indented in a list item too). The blocks of one file run in order in one
  namespace (a later block may use an earlier block's names), from the repository's root. A block whose first line starts
  with ``>>>`` (and every ``pycon`` block) is a doctest: its output must match, with ``...``
  (ELLIPSIS) allowed and the module path of an exception shown by its public name
  (``smsc_wire.WireFormatError``, whatever private module defines it). Any other block is run as
  a script; if every top-level ``print(`` line of it is followed by ``# `` comment lines, those
  comments are the exact output. No other info string starting with ``py`` is allowed, so no
  Python example escapes the tests. A page whose examples change process-wide tables (one that
  registers an operation, ``ISOLATED``) runs in a fresh interpreter.
- A block of wire bytes is checked when the line before it (blank lines aside) is an HTML comment
  ``<!-- wire: KEY | MODEL -->`` or ``<!-- valid: KEY | MODEL -->``. ``KEY`` is a key as the
  library prints it (``fmt=0 get all=1 operators=0``, ``fmt=2 del``), ``MODEL`` a Python
  expression evaluated in the page's namespace after its Python blocks ran. ``wire`` means the
  block is the canonical body: ``encode(MODEL, KEY)`` is exactly its text (the text between the
  fences, without the last newline), and decoding the text, as str and as UTF-8 bytes, gives
  ``MODEL``. ``valid`` means the text decodes to ``MODEL`` but is not what ``encode`` writes. On
  the pages that quote wire bytes or messages (``CHECKED_PAGES``) every fenced block is one of
  these or Python, so nothing there is quoted unchecked; error messages are quoted as doctests.
- ``docs/decisions.md`` has one section per decision of the SPEC, anchored ``{ #dN }``; every
  ``SPEC Dn`` that the package's source cites must have one.
- ``docs/reference.md`` has one ``::: smsc_wire.NAME`` per name of ``smsc_wire.__all__``, and one
  ``::: smsc_wire.sandbox.NAME`` per name of ``smsc_wire.sandbox.__all__``.
- No link leaves the repository (a page under docs/ links only inside docs/), and every file
  link resolves. A path under tests/, fuzz/, bench/ or examples/, or a test name (test_x),
  written as inline code, exists; an extra named in an install command (``'.[cli]'``) is one of
  pyproject.toml, and the extras table of docs/index.md lists every one.
- A ```` ```console ```` block is a transcript, and it runs: each line starting with ``$ `` is a
  command, the lines up to the next ``$ `` are its output (standard output and standard error,
  as a terminal shows them). The commands of one page run in order, in one scratch folder that
  holds a copy of examples/, with ``smsc-wire`` and ``python3`` the ones under test; only the
  commands of ``TRANSCRIBED`` may appear. Commands to type that are not run (installing, the
  test command) go in ```` ```sh ```` blocks.
- A recipe function of tests/test_http_recipes.py, or a function of
  tests/test_sandbox_readme_example.py (the sandbox's example, shown whole), shown on a page is
  shown exactly as the test file has it, and docs/cookbook.md shows every one of them.
- ``mkdocs build --strict`` succeeds (skipped without the ``docs`` extra).
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import functools
import importlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import pytest

import smsc_wire
import smsc_wire as sw
import smsc_wire.sandbox

ROOT: Final = Path(__file__).resolve().parents[1]
README: Final = ROOT / "README.md"
DOCS: Final = ROOT / "docs"
# Every page of the site (folders named _x or .x hold no pages), and the README.
PAGES: Final = [
    README,
    *sorted(
        page
        for page in DOCS.rglob("*.md")
        if not any(part.startswith(("_", ".")) for part in page.relative_to(DOCS).parts)
    ),
]
FORMATS: Final = DOCS / "formats.md"
DECISIONS: Final = DOCS / "decisions.md"
REFERENCE: Final = DOCS / "reference.md"
# Pages whose every fenced block is checked: nothing on them may be quoted unchecked.
CHECKED_PAGES: Final = [FORMATS, DECISIONS]
# The decisions of SPEC.md; a new one needs its section on docs/decisions.md.
DECISION_COUNT: Final = 15
# The shared folder beside the repository (present for developers and CI, not in a wheel).
SPEC: Final = ROOT.parent / "shared" / "SPEC.md"

MODULES = [
    "smsc_wire",
    "smsc_wire._api",
    "smsc_wire._key",
    "smsc_wire._models",
    "smsc_wire._registry",
]


# --- reading Markdown ----------------------------------------------------------------------------

# A fence may be indented (inside a list item); its text is then dedented by as much.
_FENCE: Final = re.compile(r"^( *)(`{3,}|~{3,})\s*([\w+-]*)")
_CHECK: Final = re.compile(r"^<!--\s*(wire|valid):\s*(.+?)\s*\|\s*(.+?)\s*-->$")
_ANY_CHECK: Final = re.compile(r"<!--\s*(?:wire|valid)\b")
RUN: Final = ("python", "pycon")  # the info strings of blocks that run


@dataclass(frozen=True)
class Block:
    """One fenced block: where it starts, its info string, its text and its check comment."""

    path: Path
    line: int  # 1-based line of the first line of text, after the opening fence
    info: str
    text: str
    check: tuple[str, str, str] | None  # (kind, key, model expression)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass(frozen=True)
class Page:
    blocks: list[Block]
    dangling: list[int] = field(default_factory=list)  # check comments followed by no block
    prose: str = ""  # the text outside fenced blocks


def _dedent(line: str, indent: int) -> str:
    return line[min(indent, len(line) - len(line.lstrip(" "))) :]


@functools.cache
def read_page(path: Path) -> Page:
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    dangling: list[int] = []
    prose: list[str] = []
    pending: tuple[int, tuple[str, str, str] | None] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence is None:
            prose.append(line)
            if _ANY_CHECK.search(line):
                if pending is not None:
                    dangling.append(pending[0])
                match = _CHECK.match(line.strip())
                pending = (i + 1, None if match is None else (match[1], match[2], match[3]))
            elif line.strip() and pending is not None:
                dangling.append(pending[0])
                pending = None
            i += 1
            continue
        indent, marker, info = len(fence[1]), fence[2], fence[3]
        end = i + 1
        while end < len(lines) and not lines[end].lstrip(" ").startswith(marker):
            end += 1
        text = "\n".join(_dedent(line, indent) for line in lines[i + 1 : end])
        check = None
        if pending is not None:
            if pending[1] is None:
                dangling.append(pending[0])  # a malformed comment checks nothing
            check = pending[1]
            pending = None
        blocks.append(Block(path, i + 2, info, text, check))
        i = end + 1
    if pending is not None:
        dangling.append(pending[0])
    return Page(blocks, dangling, "\n".join(prose))


# --- running Python blocks -----------------------------------------------------------------------

# "smsc_wire._errors.WireFormatError:" and "smsc_wire.WireFormatError:" name the same exception;
# the docs show the public name, which survives a move of the class to another private module.
_EXCEPTION_PATH: Final = re.compile(r"^smsc_wire(?:\.\w+)*\.(\w+):", re.MULTILINE)


def _public_names(text: str) -> str:
    return _EXCEPTION_PATH.sub(r"smsc_wire.\1:", text)


class _Checker(doctest.OutputChecker):
    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return super().check_output(_public_names(want), _public_names(got), optionflags)


def is_doctest(block: Block) -> bool:
    first = next((line for line in block.text.split("\n") if line.strip()), "")
    return block.info == "pycon" or first.startswith(">>>")


def printed(code: str) -> str | None:
    """The output a script block states in ``# `` comments after its prints, if it states it."""
    lines = code.split("\n")
    expected: list[str] = []
    prints = 0
    for i, line in enumerate(lines):
        if not line.startswith("print("):
            continue
        prints += 1
        comments = []
        for after in lines[i + 1 :]:
            if not after.startswith("# "):
                break
            comments.append(after[2:])
        if not comments:
            return None  # a print without its output: nothing to compare
        expected += comments
    return "".join(f"{line}\n" for line in expected) if prints else None


@dataclass
class PageRun:
    namespace: dict[str, Any]
    failures: list[str]
    doctests: int


@functools.cache
def run_page(path: Path) -> PageRun:
    # The examples are written to be run from the repository's root, as a reader runs them.
    with contextlib.chdir(ROOT):
        return _run_blocks(path)


def _run_blocks(path: Path) -> PageRun:
    # The namespace is a module's, registered as one: a dataclass defined on a page looks its
    # module up in sys.modules, as any class defined in a real file can.
    module = ModuleType(f"docs.{path.stem}")
    sys.modules[module.__name__] = module
    namespace: dict[str, Any] = module.__dict__
    failures: list[str] = []
    attempted = 0
    for block in read_page(path).blocks:
        if block.info not in RUN:
            continue
        if is_doctest(block):
            test = doctest.DocTestParser().get_doctest(
                block.text, namespace, block.where, str(path), block.line - 1
            )
            runner = doctest.DocTestRunner(checker=_Checker(), optionflags=doctest.ELLIPSIS)
            report = io.StringIO()
            result = runner.run(test, out=report.write, clear_globs=False)
            namespace.update(test.globs)
            attempted += result.attempted
            if result.failed:
                failures.append(report.getvalue())
            continue
        # Padding with blank lines makes a traceback's line numbers those of the Markdown file.
        code = compile("\n" * (block.line - 1) + block.text, str(path), "exec")
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(code, namespace)
        except Exception as exc:
            failures.append(f"{block.where}: {type(exc).__name__}: {exc}")
            continue
        expected = printed(block.text)
        if expected is not None and out.getvalue() != expected:
            failures.append(
                f"{block.where}: printed {out.getvalue()!r}, the comments say {expected!r}"
            )
    return PageRun(namespace, failures, attempted)


# Pages whose examples change process-wide tables (register_operation): their blocks run in a
# fresh interpreter, so that the operation they add is not known to the other tests.
ISOLATED: Final = frozenset({DOCS / "extending.md"})


def run_isolated(path: Path) -> PageRun:
    """``run_page(path)`` in a fresh interpreter: its failures and doctest count, no namespace."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import test_docs\n"
        "run = test_docs.run_page(Path(sys.argv[1]))\n"
        "print(json.dumps([run.failures, run.doctests]))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        return PageRun(
            {}, [f"{_page_id(path)}: the isolated run failed:\n{done.stderr[-4000:]}"], 0
        )
    failures, doctests = json.loads(done.stdout.splitlines()[-1])
    return PageRun({}, failures, doctests)


def _page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", PAGES, ids=_page_id)
def test_python_blocks_run(path: Path) -> None:
    run = run_isolated(path) if path in ISOLATED else run_page(path)
    assert not run.failures, "\n".join(run.failures)
    if path == README:
        assert run.doctests >= 4  # what the README test checked before the docs site existed


@pytest.mark.parametrize("path", PAGES, ids=_page_id)
def test_every_python_block_is_run(path: Path) -> None:
    blocks = read_page(path).blocks
    strays = [b.where for b in blocks if b.info.startswith("py") and b.info not in RUN]
    assert not strays, f"use ```python or ```pycon, which the tests run: {strays}"
    prompts = [b.where for b in blocks if b.info not in RUN and re.search(r"(?m)^>>> ", b.text)]
    assert not prompts, f"doctest examples in blocks that do not run: {prompts}"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --- wire bytes ----------------------------------------------------------------------------------

_KEY: Final = re.compile(r"fmt=(\d+) (\w+)(?: all=([01]) operators=([01]))?")


def parse_key(text: str) -> sw.Key:
    match = _KEY.fullmatch(text)
    assert match is not None, f"{text!r} is not a key as the library prints it"
    fmt, operation, all_, operators = match.groups()
    key = sw.Key(int(fmt), operation, all=all_ == "1", operators=operators == "1")
    assert str(key) == text, f"write the key as the library prints it: {str(key)!r}"
    return key


def _checked_blocks() -> list[Block]:
    blocks = [b for page in PAGES for b in read_page(page).blocks if b.check is not None]
    assert not [b.where for b in blocks if b.path in ISOLATED], "no wire checks on isolated pages"
    return blocks


def _model(block: Block) -> tuple[sw.Key, sw.Reply]:
    assert block.check is not None
    _, key_text, expression = block.check
    run = run_page(block.path)
    assert not run.failures, "the page's Python blocks fail:\n" + "\n".join(run.failures)
    model = eval(expression, run.namespace)
    return parse_key(key_text), model


@pytest.mark.parametrize(
    "block", _checked_blocks(), ids=lambda b: f"{b.where} {b.check[0] if b.check else ''}"
)
def test_wire_block(block: Block) -> None:
    key, model = _model(block)
    assert block.check is not None
    if block.check[0] == "wire":
        assert sw.encode(model, key) == block.text, f"{block.where}: not the canonical form"
    else:
        assert sw.encode(model, key) != block.text, f"{block.where}: canonical, mark it 'wire'"
    assert sw.decode(block.text, key) == model
    assert sw.decode(block.text.encode("utf-8"), key) == model


def _shape(key: sw.Key, reply: object) -> tuple[int, str]:
    if isinstance(reply, sw.ErrorReply):
        return key.fmt, "error"
    if key.operation in (sw.Operation.GET, sw.Operation.ADD):
        return key.fmt, str(key)
    return key.fmt, "ok"


def test_formats_page_shows_every_shape() -> None:
    shown = {
        _shape(*_model(b)) for b in read_page(FORMATS).blocks if b.check and b.check[0] == "wire"
    }
    needed = {_shape(key, None) for key in sw.registry} | {(k.fmt, "error") for k in sw.registry}
    assert needed - shown == set(), "shapes with no canonical block on docs/formats.md"


@pytest.mark.parametrize("path", PAGES, ids=_page_id)
def test_check_comments_are_attached(path: Path) -> None:
    lines = read_page(path).dangling
    assert not lines, f"{_page_id(path)}: check comments on lines {lines} precede no block"


@pytest.mark.parametrize("path", CHECKED_PAGES, ids=_page_id)
def test_nothing_is_quoted_unchecked(path: Path) -> None:
    unchecked = [b.where for b in read_page(path).blocks if b.check is None and b.info not in RUN]
    assert not unchecked, (
        f"mark these blocks <!-- wire/valid: KEY | MODEL --> or make them doctests: {unchecked}"
    )


# --- decisions -----------------------------------------------------------------------------------

_DECISION_HEADING: Final = re.compile(r"^## D(\d+) — .+ \{ #d(\d+) \}$", re.MULTILINE)
_CITATION: Final = re.compile(r"SPEC (D\d+(?:(?:, | and |-|–)D\d+)*)")


def _anchored_decisions() -> list[int]:
    numbers = []
    for match in _DECISION_HEADING.finditer(read_page(DECISIONS).prose):
        assert match[1] == match[2], f"D{match[1]} is anchored #d{match[2]}"
        numbers.append(int(match[1]))
    return numbers


def test_every_decision_has_its_section() -> None:
    assert _anchored_decisions() == list(range(1, DECISION_COUNT + 1))


def test_every_decision_of_the_spec_is_on_the_page() -> None:
    if not SPEC.is_file():
        pytest.skip(f"SPEC.md not found at {SPEC}")
    spec = {int(n) for n in re.findall(r"\*\*D(\d+)\b", SPEC.read_text(encoding="utf-8"))}
    assert spec == set(_anchored_decisions())


def test_every_decision_the_package_cites_resolves() -> None:
    cited: dict[int, set[str]] = {}
    for source in sorted((ROOT / "smsc_wire").rglob("*.py")):
        for match in _CITATION.finditer(source.read_text(encoding="utf-8")):
            for number in re.findall(r"\d+", match[1]):
                cited.setdefault(int(number), set()).add(source.name)
    assert cited, "the package cites its decisions as 'SPEC Dn'"
    missing = {n: sorted(files) for n, files in cited.items() if n not in _anchored_decisions()}
    assert not missing, f"cited but with no section on docs/decisions.md: {missing}"


# --- the API reference ---------------------------------------------------------------------------


def test_reference_documents_every_public_name() -> None:
    documented = re.findall(r"^::: smsc_wire\.(\w+)$", REFERENCE.read_text(encoding="utf-8"), re.M)
    modules = {"strategies"}  # public submodules, documented whole
    names = [name for name in documented if name not in modules]
    assert len(names) == len(set(names)), "a name is documented twice"
    missing = sorted(set(smsc_wire.__all__) - set(names))
    assert not missing, "add to docs/reference.md: " + ", ".join(
        f"::: smsc_wire.{n}" for n in missing
    )
    assert set(names) <= set(smsc_wire.__all__), "docs/reference.md documents a non-public name"


def test_reference_documents_every_sandbox_name() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    names = re.findall(r"^::: smsc_wire\.sandbox\.(\w+)$", text, re.M)
    assert len(names) == len(set(names)), "a sandbox name is documented twice"
    missing = sorted(set(smsc_wire.sandbox.__all__) - set(names))
    assert not missing, "add to docs/reference.md: " + ", ".join(
        f"::: smsc_wire.sandbox.{n}" for n in missing
    )
    assert set(names) <= set(smsc_wire.sandbox.__all__), "a non-public sandbox name is documented"


# --- links ---------------------------------------------------------------------------------------

_LINK: Final = re.compile(
    r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|^\s*\[[^\]]+\]:\s*(\S+)|(?:href|src)=\"([^\"]+)\"", re.M
)


def outside_links(path: Path) -> set[str]:
    """The links of ``path`` that leave the repository (or docs/) or name no file."""
    bad = set()
    for match in _LINK.finditer(read_page(path).prose):
        target = next(group for group in match.groups() if group is not None)
        if re.match(r"(?:https?|mailto):", target) or target.startswith("#"):
            continue
        if target.startswith(("/", "file:")) or re.match(r"[A-Za-z]:\\", target):
            bad.add(target)
            continue
        resolved = (path.parent / target.split("#", 1)[0]).resolve()
        inside = DOCS if path.is_relative_to(DOCS) else ROOT
        if not resolved.is_relative_to(inside) or not resolved.exists():
            bad.add(target)
    return bad


@pytest.mark.parametrize("path", PAGES, ids=_page_id)
def test_no_link_leaves_the_repository(path: Path) -> None:
    assert not outside_links(path), "links that leave the repository (or docs/) or name no file"


# --- names of files, tests and extras -----------------------------------------------------------


def _extras() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        project: dict[str, Any] = tomllib.load(file)["project"]
    return set(project.get("optional-dependencies", {}))


def _named_extras(text: str) -> set[str]:
    """Extras named in install commands (``'.[cli,test]'``, ``smsc_wire[strategies]``)."""
    groups = re.findall(r"(?:\.|smsc_wire)\[([\w,-]+)\]", text)
    return {name for group in groups for name in group.split(",")}


@pytest.mark.parametrize("path", PAGES, ids=_page_id)
def test_named_extras_exist(path: Path) -> None:
    unknown = _named_extras(path.read_text(encoding="utf-8")) - _extras()
    assert not unknown, f"no such extra in pyproject.toml: {sorted(unknown)}"


def test_the_extras_table_lists_every_extra() -> None:
    prose = read_page(DOCS / "index.md").prose
    table = prose.split("| extra |", 1)[1].split("\n\n", 1)[0]
    listed = set(re.findall(r"^\| `([\w-]+)` \|", table, re.MULTILINE))
    assert listed == _extras()


_DEFINED_TESTS: Final = re.compile(r"^\s*(?:async )?def (test_\w+)", re.MULTILINE)


@pytest.mark.parametrize("path", PAGES, ids=_page_id)
def test_named_files_and_tests_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    files = re.findall(r"`((?:tests|fuzz|bench|examples|grammars)/[\w./-]*)`", text)
    missing = [name for name in files if not (ROOT / name).exists()]
    assert not missing, f"no such file or directory: {missing}"
    defined = {
        name
        for source in (ROOT / "tests").glob("*.py")
        for name in _DEFINED_TESTS.findall(source.read_text(encoding="utf-8"))
    }
    unknown = sorted(set(re.findall(r"`(test_\w+)`", text)) - defined)
    assert not unknown, f"no such test under tests/: {unknown}"


# --- command transcripts -------------------------------------------------------------------------

# The programs a transcript may run: the command under test, and the few a reader needs to look
# at what it wrote. Anything else (pip, git, venv) belongs in a ```sh block, which is not run.
TRANSCRIBED: Final = frozenset(
    {"smsc-wire", "python3", "echo", "printf", "head", "cat", "grep", "rm"}
)
_SHIMS: Final = {
    "smsc-wire": f'exec "{sys.executable}" -m smsc_wire "$@"\n',
    "python3": f'exec "{sys.executable}" "$@"\n',
}


@dataclass(frozen=True)
class Step:
    """One command of a transcript and the output the page shows for it."""

    where: str
    command: str
    output: str


def transcript(block: Block) -> list[Step]:
    """The steps of a ```console block; output before the first command has the command ''."""
    steps: list[Step] = []
    for number, line in enumerate(block.text.split("\n")):
        where = f"{block.path.relative_to(ROOT)}:{block.line + number}"
        if line.startswith("$ "):
            steps.append(Step(where, line[2:], ""))
        elif not steps:
            steps.append(Step(where, "", line + "\n"))
        else:
            last = steps[-1]
            steps[-1] = Step(last.where, last.command, last.output + line + "\n")
    return steps


def _transcribed(path: Path) -> list[Step]:
    return [
        step for block in read_page(path).blocks if block.info == "console"
        for step in transcript(block)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def shims(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the commands under test: this interpreter's smsc_wire and python3."""
    folder = tmp_path_factory.mktemp("bin")
    for name, script in _SHIMS.items():
        shim = folder / name
        shim.write_text("#!/bin/sh\n" + script, encoding="utf-8")
        shim.chmod(0o755)
    return folder


_PAGES_WITH_TRANSCRIPTS: Final = [page for page in PAGES if _transcribed(page)]


@pytest.mark.skipif(sys.platform == "win32", reason="transcripts are POSIX shell sessions")
@pytest.mark.parametrize("path", _PAGES_WITH_TRANSCRIPTS, ids=_page_id)
def test_transcripts_show_real_output(path: Path, shims: Path, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {
        **os.environ,
        "PATH": f"{shims}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "100",
    }
    status = 0
    failures = []
    for step in _transcribed(path):
        program = (step.command.split(maxsplit=1) or [""])[0]
        if not program:
            failures.append(f"{step.where}: a transcript starts with a command ('$ ')")
            continue
        if program not in TRANSCRIBED:
            failures.append(f"{step.where}: {program} is not run in transcripts: use ```sh")
            continue
        # `echo $?` shows the status of the command before, which ran in another shell.
        done = subprocess.run(
            ["/bin/sh", "-c", f"(exit {status}); {step.command}"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=120,
            check=False,
        )
        status = done.returncode
        shown = done.stdout.decode("utf-8", "backslashreplace")
        if shown != step.output:
            failures.append(
                f"{step.where}: $ {step.command}\n--- the page shows:\n{step.output}"
                f"--- it prints:\n{shown}"
            )
    assert not failures, "\n".join(failures)


# --- the HTTP recipes ----------------------------------------------------------------------------

RECIPES: Final = ROOT / "tests" / "test_http_recipes.py"
# The sandbox's pytest example: README.md and docs/cookbook.md show the whole file.
SANDBOX_EXAMPLE: Final = ROOT / "tests" / "test_sandbox_readme_example.py"
COOKBOOK: Final = DOCS / "cookbook.md"


def _functions(source: str, lines: range | None = None) -> dict[str, str]:
    """The top-level functions of ``source`` (starting within ``lines``) and their text."""
    return {
        node.name: ast.get_source_segment(source, node) or ""
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (lines is None or node.lineno in lines)
    }


def _recipes() -> dict[str, str]:
    """The recipes: the functions of the section "the recipes" of tests/test_http_recipes.py, and
    every function of tests/test_sandbox_readme_example.py."""
    source = RECIPES.read_text(encoding="utf-8")
    headings = [n for n, line in enumerate(source.split("\n"), 1) if line.startswith("# --- ")]
    start = next(n for n in headings if source.split("\n")[n - 1].startswith("# --- the recipes"))
    end = min((n for n in headings if n > start), default=len(source))
    recipes = _functions(source, range(start, end))
    sandbox = _functions(SANDBOX_EXAMPLE.read_text(encoding="utf-8"))
    assert not set(recipes) & set(sandbox), "a recipe's name is in both files"
    return recipes | sandbox


@pytest.mark.parametrize("path", PAGES, ids=_page_id)
def test_recipes_are_shown_as_tested(path: Path) -> None:
    recipes = _recipes()
    shown = {
        name: text
        for block in read_page(path).blocks
        if block.info == "python"
        for name, text in _functions(block.text).items()
        if name in recipes
    }
    differ = sorted(name for name, text in shown.items() if text != recipes[name])
    assert not differ, f"show these as their test file has them: {differ}"
    if path == COOKBOOK:
        assert set(shown) == set(recipes), f"missing recipes: {sorted(set(recipes) - set(shown))}"


# --- the site ------------------------------------------------------------------------------------


def _have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a missing parent package
        return False


def test_site_builds_strict(tmp_path: Path) -> None:
    missing = [m for m in ("mkdocs", "material", "mkdocstrings_handlers.python") if not _have(m)]
    if missing:
        pytest.skip(f"the docs build needs the docs extra (pip install '.[docs]'): {missing}")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        # Material prints a banner about MkDocs 2 on every build unless told not to.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    decisions = (site / "decisions" / "index.html").read_text(encoding="utf-8")
    for number in range(1, DECISION_COUNT + 1):
        assert f'id="d{number}"' in decisions
    reference = (site / "reference" / "index.html").read_text(encoding="utf-8")
    for name in smsc_wire.__all__:
        assert f'id="smsc_wire.{name}"' in reference, name
    for name in smsc_wire.sandbox.__all__:
        assert f'id="smsc_wire.sandbox.{name}"' in reference, name


# --- the docstring renderer ----------------------------------------------------------------------


def _renderer() -> ModuleType:
    if not _have("griffe"):
        pytest.skip("the docstring renderer needs griffe (pip install '.[docs]')")
    spec = importlib.util.spec_from_file_location("_docstrings", DOCS / "_griffe" / "docstrings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_renderer_fences_doctests_outside_fences() -> None:
    fence: Callable[[str], str] = _renderer().fence_doctests
    text = "Intro:\n>>> f()[:2]\n1\n\nAfter.\n```python\n>>> kept\n```"
    assert fence(text) == (
        "Intro:\n\n```pycon\n>>> f()[:2]\n1\n```\n\nAfter.\n```python\n>>> kept\n```"
    )


def test_renderer_links_public_names_only() -> None:
    replace: Callable[[str, frozenset[str]], str] = _renderer().replace_roles
    text = ":class:`~smsc_wire.Key`, :meth:`Registry.register`, :func:`_private`"
    assert replace(text, frozenset({"Key", "Registry"})) == (
        "[`Key`][smsc_wire.Key], [`Registry.register`][smsc_wire.Registry.register], `_private`"
    )


def test_renderer_links_decision_citations_outside_fences() -> None:
    link: Callable[[str], str] = _renderer().link_decisions
    text = "(SPEC D6, D8) and SPEC D10\n```pycon\n>>> 'SPEC D9'\n```"
    assert (
        link(text) == "(SPEC [D6][d6], [D8][d8]) and SPEC [D10][d10]\n```pycon\n>>> 'SPEC D9'\n```"
    )


def test_ci_runs_exactly_the_readme_test_command() -> None:
    # CI must prove what a contributor runs: the README's second quick-start command.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [
        line for line in readme.splitlines() if line.startswith("python3 -m venv .venv && ")
    ]
    test_command = next(line for line in commands if "pytest" in line)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci
    assert ci[-1] == test_command  # the last step: nothing after it can hide its status
