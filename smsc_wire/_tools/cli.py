"""The ``smsc-wire`` command line: ``validate``, ``sniff``, ``convert`` and ``fixtures``.

Strategy: every subcommand is a thin loop over the public API (:func:`decode`, :func:`encode`,
:func:`sniff`) and the fixture corpus. A file's verdict is computed by one picklable function of a
:class:`Task` that returns a JSON-ready dict and never raises, so a serial run and a ``--jobs N``
run (``ProcessPoolExecutor.map``, which keeps input order) print the same lines in the same order,
and a file that trips a bug costs its own verdict only.

Every path is untrusted, like every body (SPEC D11): only a regular file is ever opened, so a FIFO
or a device cannot hang the run or feed it endless bytes; its size is checked before it is read and
no more than the size limit + 1 bytes are read; a directory walk reports what it cannot read
instead of skipping it.

Exit status, as linters have it: 0 when no file is invalid, 1 when one is, 2 when the run itself
went wrong — a usage error, a file that could not be read, standard output that could not be
written, or an internal error (a bug). Exit status 2 always comes with exactly one line on standard
error, written by :func:`main` alone: :class:`ExitError` and :class:`_OutputError` carry it there,
and any other exception becomes one line that names the file being processed. Files that cannot be
read are also listed on standard output, in the per-file stream, like every other verdict. No
traceback is ever printed.
"""

from __future__ import annotations

import argparse
import errno
import functools
import hashlib
import importlib
import json
import os
import stat
import sys
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple, NoReturn, TextIO

from smsc_wire._api import DEFAULT_MAX_SIZE, codec_name, decode, encode
from smsc_wire._errors import (
    EncodeError,
    InputTooLargeError,
    UnsupportedCharsetError,
    UnsupportedKeyError,
    WireFormatError,
)
from smsc_wire._key import Key, Operation
from smsc_wire._models import ErrorReply
from smsc_wire._registry import registry
from smsc_wire._tools import files, verdicts
from smsc_wire._tools.sniff import matches, what_it_is
from smsc_wire._tools.verdicts import KeySource, Kind, Problem, Verdict

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from smsc_wire._exchange.request import Request
    from smsc_wire._tools.files import Entry

PROG: Final = "smsc-wire"
STDIN: Final = "-"
STDIN_NAME: Final = "<stdin>"
"""How standard input is named in every output, text and JSON alike."""
MAX_SIZE: Final = DEFAULT_MAX_SIZE
"""The size limit of every body the command line reads: decode's own (SPEC D11)."""
_BAR_MIN_FILES: Final = 100
"""A progress bar is worth its noise only for a run that takes a noticeable time."""
_MESSAGE_MAX: Final = 300
"""An internal error's own message is cut here, so that the report stays one readable line."""
_BUG: Final = "this is a bug in smsc_wire: please report it, with the file if you can"

Result = dict[str, Any]
KeyFields = tuple[int, str, bool, bool]
Label = tuple[int, str, str]
"""How a HAR entry is named: its index in ``log.entries``, method and URL (secrets as ***)."""
MANIFEST: Final = "manifest.jsonl"
"""The manifest ``fixtures`` writes: each file's key (SPEC D14's context for fixture folders)."""
MAX_HAR_SIZE: Final = 256 * 1024 * 1024


class Task(NamedTuple):
    """One file to judge; picklable, for the worker processes of ``--jobs``."""

    path: str
    """As shown in the output."""
    data: bytes | None
    """Standard input's body (the parent reads it), or None: read ``path``."""
    key: KeyFields | None
    charset: str
    source: KeySource = KeySource.GIVEN
    """Where the key came from: given, a request (``--url``) or the fixtures manifest."""
    notes: tuple[str, ...] = ()
    label: Label | None = None
    sha256: str | None = None
    """The digest the fixtures manifest recorded for the file."""


class ExitError(Exception):
    """The run cannot go on, or went wrong: one line for standard error, exit status 2."""


class UsageError(ExitError):
    """A mistake on the command line: printed as one line, exit status 2."""


class _OutputError(Exception):
    """Standard output cannot be written: it is closed, full, or its reader has left."""

    def __init__(self, reason: str, *, reader_left: bool = False, prog: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reader_left = reader_left
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse would print the whole usage and exit; one line is easier to act on.
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse swallows a failed write: --help or --version into a full disk would exit 0.
        if not message:
            return
        if file is not None and file is sys.stderr:
            _err(message.rstrip("\n"))
            return
        try:
            stream = _stdout()
            with _writing():
                stream.write(_fit(stream, message))
                stream.flush()
        except _OutputError as exc:
            exc.prog = self.prog
            raise


# --- judging one body ---------------------------------------------------------------------------


def judge(path: str, raw: bytes | str, key: Key | None, charset: str = "utf-8") -> Verdict:
    """The verdict on one body under ``key`` (sniffed when None); ``path`` is for the report."""
    return verdicts.judge(raw, key=key, charset=charset)


class Outcome(NamedTuple):
    """One file's (or capture entry's) verdict, with how the report names it; picklable."""

    path: str
    label: Label | None
    verdict: Verdict


def _describe(exc: BaseException) -> str:
    """An unexpected exception as one bounded line: its type and message."""
    try:
        message = str(exc)
    except Exception:  # an exception whose own __str__ fails
        message = "(no message)"
    text = " ".join(f"{type(exc).__name__}: {message}".split()).removesuffix(":")
    return text if len(text) <= _MESSAGE_MAX else text[: _MESSAGE_MAX - 1] + "…"


def _judge_task(task: Task) -> Outcome:
    """The verdict on one task.

    It never raises: under ``--jobs`` an exception escaping a worker would end the whole
    ``map``, losing the results of every file after it. An unexpected one becomes this file's
    ``error`` verdict instead, and :func:`_cmd_validate` reports it as a bug.
    """
    try:
        key = None if task.key is None else Key(*task.key)
        try:
            raw = files.load(task.path, MAX_SIZE) if task.data is None else task.data
        except files.Unreadable as exc:
            return Outcome(task.path, task.label, verdicts.unreadable(exc.reason, key=key))
        except InputTooLargeError as exc:
            return Outcome(task.path, task.label, verdicts.too_large(exc, key))
        if key is not None and task.source != KeySource.GIVEN:
            verdict = verdicts.judge(
                raw, key=key, charset=task.charset, key_source=task.source, notes=task.notes
            )
        else:
            verdict = judge(task.path, raw, key, task.charset)
        if task.sha256 is not None and hashlib.sha256(raw).hexdigest() != task.sha256:
            note = "the file differs from the one the manifest recorded (sha256)"
            verdict = replace(verdict, notes=(*verdict.notes, note))
        return Outcome(task.path, task.label, verdict)
    except Exception as exc:
        return Outcome(task.path, task.label, verdicts.internal_error(_describe(exc)))


def _where(outcome: Outcome) -> str:
    """How the report names a file, or a capture entry by its index, method and URL."""
    if outcome.label is None:
        return outcome.path
    index, method, url = outcome.label
    return f"{outcome.path} #{index} {method} {url}"


def _key_text(verdict: Verdict) -> str:
    key = verdict.key
    if key is None:
        return ""
    if verdict.key_source is KeySource.NEAREST:
        return f" [nearest: {key}]"
    if verdict.sniffed is not None:
        return f" [fmt={key.fmt}: {verdict.sniffed}]"
    if verdict.key_source in (KeySource.REQUEST, KeySource.MANIFEST):
        return f" [{key}, from the {verdict.key_source.value}]"
    return f" [{key}]"


def _human(outcome: Outcome) -> str:
    verdict = outcome.verdict
    where = _where(outcome)
    notes = "".join(f" (note: {note})" for note in verdict.notes)
    problem = verdict.problem
    if verdict.kind is Kind.UNREADABLE:
        assert problem is not None
        return f"{where}: unreadable: {problem.reason}{notes}"
    if verdict.kind is Kind.ERROR:
        assert problem is not None
        return f"{where}: internal error: {problem.reason}"
    head = f"{where}: {verdict.kind.value}{_key_text(verdict)}"
    if verdict.kind is Kind.CANONICAL:
        return head + notes
    if verdict.kind is Kind.VALID:
        if verdict.no_canonical_form is not None:
            return f"{head}: no canonical form: {verdict.no_canonical_form}{notes}"
        diff = verdict.difference
        assert diff is not None
        expected = repr(diff.expected) if diff.expected else "the end of the text"
        return (
            f"{head}: differs from the canonical form at line {diff.line}, column "
            f"{diff.column} (offset {diff.offset}): found {diff.found!r}, "
            f"expected {expected}{notes}"
        )
    assert problem is not None
    position = "" if problem.line is None else f"line {problem.line}, column {problem.column}: "
    excerpt = "" if problem.excerpt is None else f": {problem.excerpt!r}"
    return f"{head}: {position}{problem.reason}{excerpt}{notes}"


def _json(outcome: Outcome) -> Result:
    """The verdict as the JSON object of ``validate --json``."""
    verdict = outcome.verdict
    result: Result = {"path": outcome.path}
    if outcome.label is not None:
        result.update(entry=outcome.label[0], method=outcome.label[1], url=outcome.label[2])
    result["verdict"] = verdict.kind.value
    problem = verdict.problem
    if verdict.kind in (Kind.UNREADABLE, Kind.ERROR):
        assert problem is not None
        result["error"] = problem.reason
        if verdict.key is not None:
            result["key"] = verdict.key.as_dict()
        if verdict.notes:
            result["notes"] = list(verdict.notes)
        return result
    result["key"] = None if verdict.key is None else verdict.key.as_dict()
    if verdict.key_source is not None:
        result["key_source"] = verdict.key_source.value
    if verdict.sniffed is not None:
        result["sniffed"] = verdict.sniffed
    if verdict.kind is Kind.VALID:
        if verdict.no_canonical_form is not None:
            result["difference"] = {"reason": f"no canonical form: {verdict.no_canonical_form}"}
        else:
            diff = verdict.difference
            assert diff is not None
            result["difference"] = {
                "line": diff.line,
                "column": diff.column,
                "offset": diff.offset,
                "found": diff.found,
                "expected": diff.expected,
            }
    elif verdict.kind is Kind.INVALID:
        assert problem is not None
        result.update(
            error=problem.reason,
            line=problem.line,
            column=problem.column,
            offset=problem.offset,
            excerpt=problem.excerpt,
        )
    if verdict.notes:
        result["notes"] = list(verdict.notes)
    return result


# --- reading files, safely ----------------------------------------------------------------------


def _stdin_body(entries: Iterable[Entry]) -> bytes | files.Unreadable | InputTooLargeError | None:
    """Standard input's body if ``-`` is among the paths (read once, however often named)."""
    if all(path != STDIN for path, _ in entries):
        return None
    try:
        return files.read_stdin(MAX_SIZE)
    except (files.Unreadable, InputTooLargeError) as exc:
        return exc


def _files(prog: str, paths: Iterable[str]) -> list[Entry]:
    """The paths to judge, directories walked; a missing path is a usage error."""
    entries: list[Entry] = []
    for name in paths:
        if name == STDIN:
            entries.append((STDIN, None))
            continue
        if not name:
            # Path("") is the current directory: an empty variable in a script would walk it.
            raise UsageError(f"{prog}: error: an empty path names no file (use . for this folder)")
        try:
            info = os.stat(name)
        except ValueError:
            raise UsageError(f"{prog}: error: not a valid path: {name!r}") from None
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR) and not os.path.lexists(name):
                raise UsageError(f"{prog}: error: no such file or directory: {name!r}") from None
            entries.append((name, None))  # reading it says what is wrong
            continue
        if stat.S_ISDIR(info.st_mode):
            entries.extend(files.walk(name))
        else:
            entries.append((name, None))
    return entries


# --- writing output -----------------------------------------------------------------------------


def _fit(stream: TextIO, text: str, plain: Callable[[], str] | None = None) -> str:
    """``text`` in a form ``stream`` can encode, whatever the locale.

    A file name that is not valid UTF-8 reaches Python as lone surrogates, and a sender name in an
    excerpt may be Cyrillic under an ASCII locale: such characters are written as escapes
    (``\\xff``, ``\\u0401``), or ``plain()`` (JSON's ASCII form) is written instead.
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    errors = getattr(stream, "errors", None) or "strict"
    try:
        text.encode(encoding, errors)
    except UnicodeEncodeError:
        pass
    except LookupError:  # an encoding or handler unknown here: the stream knows better
        return text
    else:
        return text
    if plain is not None:
        return plain()
    return "".join(_escape(char, encoding) for char in text)


def _escape(char: str, encoding: str) -> str:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that did not decode
            return f"\\x{code - 0xDC00:02x}"
        return char.encode("ascii", "backslashreplace").decode("ascii")
    return char


def _stdout() -> TextIO:
    if sys.stdout is None:  # started with standard output closed (>&-)
        raise _OutputError("it is closed")
    return sys.stdout


@contextmanager
def _writing() -> Iterator[None]:
    """Turns a failure to write standard output into an :class:`_OutputError`."""
    try:
        yield
    except BrokenPipeError:
        raise _OutputError("its reader has left", reader_left=True) from None
    except OSError as exc:
        raise _OutputError(files.reason_of(exc)) from None
    except ValueError:  # the stream was closed
        raise _OutputError("it is closed") from None


class _Batch:
    """Lines of standard output held back to be written together."""

    __slots__ = ("lines", "since")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.since = time.monotonic()


_BATCH_LINES: Final = 256
_BATCH_SECONDS: Final = 0.05
_batches: list[_Batch] = []
"""The batch of the command under way (at most one), if its lines are batched."""


@contextmanager
def _batched() -> Iterator[None]:
    """Write the block's lines in batches, when standard output is no terminal.

    A line per file, written one by one, costs a system call each where the stream writes
    through (``PYTHONUNBUFFERED``, ``python -u``): more than judging a small file does. A batch
    is written at 256 lines or 50 ms after the last write, so a reader at the end of a pipe
    still sees the run progress; on a terminal every line is written as it comes.
    """
    stream = sys.stdout
    try:
        terminal = stream is None or stream.isatty()
    except (OSError, ValueError):  # closed or detached: the first write will say so
        terminal = True
    if terminal:
        yield
        return
    batch = _Batch()
    _batches.append(batch)
    try:
        yield
    except _OutputError:
        batch.lines.clear()  # the stream failed: what it holds cannot be written either
        raise
    finally:
        _batches.remove(batch)
        if batch.lines:  # also before an error's line on standard error: the order is kept
            _write_batch(batch)


def _write_batch(batch: _Batch) -> None:
    stream = _stdout()
    lines, batch.lines = batch.lines, []
    with _writing():
        stream.write("\n".join(lines) + "\n")
    batch.since = time.monotonic()


def _out(text: str, plain: Callable[[], str] | None = None, bar: Any = None) -> None:
    """One line on standard output (above the progress bar, if there is one)."""
    stream = _stdout()
    line = _fit(stream, text, plain)
    batch = _batches[-1] if _batches else None
    if batch is not None and bar is None:
        batch.lines.append(line)
        if len(batch.lines) >= _BATCH_LINES or time.monotonic() - batch.since >= _BATCH_SECONDS:
            _write_batch(batch)
        return
    with _writing():
        if bar is None:
            stream.write(line + "\n")
        else:
            bar.write(line, file=stream)


def _out_bytes(data: bytes, text: str) -> None:
    """``data`` (``text`` encoded) on standard output, exactly."""
    stream = _stdout()
    with _writing():
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # a text-only stream, as an in-process caller may set
            stream.write(text)
        else:
            buffer.write(data)
            buffer.flush()


def _flush_stdout() -> None:
    if sys.stdout is not None:
        with _writing():
            sys.stdout.flush()


def _discard_stdout() -> None:
    """Point standard output at the null device after it failed.

    The interpreter flushes ``sys.stdout`` once more at exit; the bytes still buffered would fail
    again and print an "Exception ignored" report after our one line.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # none, or not a file descriptor (in-process)
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    os.dup2(null, fd)
    os.close(null)


def _err(text: str) -> None:
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(_fit(stream, text) + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass  # standard error is gone too: the exit status is all that is left


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _trouble(prog: str, unreadable: int, errors: list[tuple[str, str]]) -> str | None:
    """The one line for standard error about files that could not be judged, if any."""
    read = f"{_plural(unreadable, 'path')} could not be read"
    if errors:
        path, desc = errors[0]
        more = f" (and {_plural(len(errors) - 1, 'other file')})" if len(errors) > 1 else ""
        also = f"; {read}" if unreadable else ""
        return f"{prog}: internal error while processing {path!r}{more}: {desc}; {_BUG}{also}"
    if unreadable:
        return f"{prog}: error: {read}"
    return None


# --- command-line plumbing ----------------------------------------------------------------------


def _key(args: argparse.Namespace) -> Key | None:
    if args.fmt is None and args.op is None:
        if args.all or args.operators:
            raise UsageError(f"{args.prog}: error: --all and --operators need --fmt and --op")
        return None
    if args.fmt is None or args.op is None:
        given, missing = ("--fmt", "--op") if args.op is None else ("--op", "--fmt")
        raise UsageError(f"{args.prog}: error: {given} needs {missing} as well")
    if args.op != Operation.GET.value and (args.all or args.operators):
        # Key would fold them to False (the server ignores them), hiding a wrong command line.
        flags = [flag for flag, on in (("--all", args.all), ("--operators", args.operators)) if on]
        verb = "apply" if len(flags) > 1 else "applies"
        raise UsageError(
            f"{args.prog}: error: {' and '.join(flags)} {verb} to --op get only, "
            f"not to --op {args.op}"
        )
    return _checked_key(args.prog, args.fmt, args.op, args.all, args.operators)


def _checked_key(prog: str, fmt: int, op: str, all: bool, operators: bool) -> Key:
    try:
        key = Key(fmt=fmt, operation=op, all=all, operators=operators)
        registry[key]
    except (ValueError, UnsupportedKeyError) as exc:
        raise UsageError(f"{prog}: error: {exc}") from None
    return key


def _charset(prog: str, charset: str) -> str:
    try:
        codec_name(charset)
    except UnsupportedCharsetError as exc:
        raise UsageError(f"{prog}: error: {exc}") from None
    return charset


def _request_of(prog: str, url: str | None) -> Request | None:
    if url is None:
        return None
    # Imported here: a run without --url does not pay for the request parser.
    from smsc_wire._exchange.errors import RequestError
    from smsc_wire._exchange.request import Request

    try:
        return Request.from_url(url)
    except RequestError as exc:  # its message never holds a secret (SPEC D13)
        raise UsageError(f"{prog}: error: --url: {exc.reason}") from None


def _manifest(prog: str, folder: str) -> dict[str, tuple[KeyFields, str, str | None]] | None:
    """The fixtures manifest of ``folder`` (``manifest.jsonl``): file -> (key, charset, sha256).

    ``None`` if the folder has none. A manifest that cannot be read is a usage error naming its
    line: judging the folder by sniffing instead would hide that its keys are lost.
    """
    path = os.path.join(folder, MANIFEST)
    if not os.path.isfile(path):
        return None
    try:
        data = files.load(path, MAX_SIZE)
    except (files.Unreadable, InputTooLargeError) as exc:
        raise ExitError(f"{prog}: error: cannot read {path!r}: {exc}") from None
    listed: dict[str, tuple[KeyFields, str, str | None]] = {}
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            fields = entry["key"]
            key = Key(fields["fmt"], fields["operation"], fields["all"], fields["operators"])
            name = os.path.normpath(os.path.join(folder, entry["file"]))
            charset = entry.get("charset", "utf-8")
            codec_name(charset)
            digest = entry.get("sha256")
        except (ValueError, KeyError, TypeError, AttributeError, UnsupportedCharsetError) as exc:
            raise ExitError(
                f"{prog}: error: {path!r} line {number} is no manifest entry: {_describe(exc)}"
            ) from None
        listed[name] = ((key.fmt, str(key.operation), key.all, key.operators), charset, digest)
    return listed


class Skipped(NamedTuple):
    """HAR entries that are not senders.php exchanges: counted, not judged (SPEC D14)."""

    path: str
    entries: int


def _is_har(path: str) -> bool:
    return path.lower().endswith(".har")


def _entries(
    prog: str, paths: list[str], key: Key | None, charset: str, request: Request | None
) -> list[Task | Outcome | Skipped]:
    """A task per file to judge; a ready verdict where the file is known to be unreadable.

    The key of a file comes from its context, best first: ``--url`` (the request's key and
    charset), the folder's fixtures manifest, the key given by ``--fmt``/``--op``; without any,
    it is sniffed. A HAR file is judged entry by entry, each under its own request.
    """
    source = KeySource.GIVEN
    if request is not None:
        key, charset, source = request.key, request.charset, KeySource.REQUEST
    fields = None if key is None else (key.fmt, str(key.operation), key.all, key.operators)
    found = _files(prog, paths)
    manifests: dict[str, tuple[KeyFields, str, str | None]] = {}
    manifest_files: set[str] = set()
    if key is None:
        for name in paths:
            if name != STDIN and name and os.path.isdir(name):
                listed = _manifest(prog, name)
                if listed is not None:
                    manifests.update(listed)
                    manifest_files.add(os.path.normpath(os.path.join(name, MANIFEST)))
    stdin = _stdin_body(found)
    entries: list[Task | Outcome | Skipped] = []
    for path, problem in found:
        shown = STDIN_NAME if path == STDIN else path
        if problem is not None:
            entries.append(Outcome(shown, None, verdicts.unreadable(problem, key=key)))
            continue
        normal = os.path.normpath(path)
        if normal in manifest_files:
            continue  # the manifest is the context of the others, no reply itself
        if path == STDIN:
            if isinstance(stdin, bytes):
                entries.append(Task(STDIN_NAME, stdin, fields, charset, source))
            elif isinstance(stdin, files.Unreadable):
                entries.append(Outcome(STDIN_NAME, None, verdicts.unreadable(stdin.reason)))
            else:
                assert stdin is not None
                entries.append(Outcome(STDIN_NAME, None, verdicts.too_large(stdin, key)))
            continue
        if normal in manifests:
            listed_key, listed_charset, digest = manifests.pop(normal)
            entries.append(
                Task(path, None, listed_key, listed_charset, KeySource.MANIFEST, sha256=digest)
            )
            continue
        if _is_har(path):  # a capture carries its own requests (SPEC D14)
            entries.extend(_har_entries(path))
            continue
        entries.append(Task(path, None, fields, charset, source))
    for missing in sorted(manifests):
        reason = "listed in the manifest, but missing"
        entries.append(Outcome(missing, None, verdicts.unreadable(reason)))
    return entries


def _har_entries(path: str) -> list[Task | Outcome | Skipped]:
    """The verdict on every senders.php exchange of a HAR file, under its own request (D14)."""
    from smsc_wire._exchange.har import HarError, judge_capture, read_har

    try:
        data = files.load(path, MAX_HAR_SIZE)
        log = read_har(data)
    except files.Unreadable as exc:
        return [Outcome(path, None, verdicts.unreadable(exc.reason))]
    except InputTooLargeError as exc:
        return [Outcome(path, None, verdicts.too_large(exc, None))]
    except HarError as exc:
        return [Outcome(path, None, verdicts.unreadable(f"not a HAR file: {exc.reason}"))]
    entries: list[Task | Outcome | Skipped] = [
        Outcome(path, (c.index, c.method, c.url), judge_capture(c)) for c in log.captures
    ]
    if log.skipped:
        entries.append(Skipped(path, log.skipped))
    return entries


def _results(
    entries: list[Task | Outcome | Skipped], jobs: int
) -> Generator[Outcome | Skipped, None, None]:
    tasks = [entry for entry in entries if isinstance(entry, Task)]
    if jobs <= 1 or len(tasks) <= 1:
        judged: Iterator[Outcome] = map(_judge_task, tasks)
        for entry in entries:
            yield next(judged) if isinstance(entry, Task) else entry
        return
    from concurrent.futures import ProcessPoolExecutor  # only a parallel run needs it

    chunksize = max(1, min(64, len(tasks) // (jobs * 4)))
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)))
    try:
        judged = pool.map(_judge_task, tasks, chunksize=chunksize)
        for entry in entries:
            yield next(judged) if isinstance(entry, Task) else entry
    finally:
        # A run cut short (its output failed, ^C) must not wait for files nobody will see.
        pool.shutdown(wait=True, cancel_futures=True)


def _progress(total: int) -> Any:
    if total < _BAR_MIN_FILES or sys.stderr is None or not sys.stderr.isatty():
        return None
    try:
        # Imported by name: tqdm is an optional extra ("cli") and ships no type stubs.
        tqdm = importlib.import_module("tqdm").tqdm
    except ImportError:  # the extra is not installed: no bar
        return None
    return tqdm(total=total, file=sys.stderr, unit="file", leave=False)


_QUIET_HIDES: Final = frozenset({Kind.CANONICAL, Kind.VALID})


def _out_result(outcome: Outcome, as_json: bool, bar: Any) -> None:
    if as_json:
        result = _json(outcome)
        _out(json.dumps(result, ensure_ascii=False), functools.partial(json.dumps, result), bar)
    else:
        _out(_human(outcome), bar=bar)


class _NeverRaised(Exception):
    """Stands for BrokenProcessPool in a serial run, which has no pool to break."""


def _broken_pool() -> type[Exception]:
    module = sys.modules.get("concurrent.futures.process")
    broken: type[Exception] = getattr(module, "BrokenProcessPool", _NeverRaised)
    return broken


def _cmd_validate(args: argparse.Namespace) -> int:
    with _batched():
        return _validate(args)


def _validate(args: argparse.Namespace) -> int:
    prog = args.prog
    key = _key(args)
    request = _request_of(prog, args.url)
    if request is not None and key is not None:
        raise UsageError(f"{prog}: error: --url names the key; --fmt and --op would contradict it")
    if request is not None and args.charset is not None:
        raise UsageError(f"{prog}: error: --url names the charset; --charset would contradict it")
    charset = _charset(prog, args.charset or "utf-8")
    if args.jobs < 0:
        raise UsageError(f"{prog}: error: --jobs must be 0 (every CPU) or more")
    jobs = args.jobs or os.cpu_count() or 1
    entries = _entries(prog, args.paths, key, charset, request)
    counts = dict.fromkeys(Kind, 0)
    skipped = 0
    errors: list[tuple[str, str]] = []
    bar = _progress(len(entries))
    try:
        with closing(_results(entries, jobs)) as results:
            for entry in entries:
                args.current = entry.path
                try:
                    outcome = next(results)
                except _broken_pool() as exc:
                    # A worker died (a signal, not an exception): the files it held are lost,
                    # and which one killed it is unknown.
                    raise ExitError(
                        f"{prog}: internal error: a worker process died while judging "
                        f"{args.current!r} or a file after it ({_describe(exc)}); {_BUG}"
                    ) from None
                if isinstance(outcome, Skipped):
                    skipped += outcome.entries
                    continue
                verdict = outcome.verdict
                counts[verdict.kind] += 1
                if verdict.kind is Kind.ERROR:
                    assert verdict.problem is not None
                    errors.append((_where(outcome), verdict.problem.reason))
                if not (args.quiet and verdict.kind in _QUIET_HIDES):
                    _out_result(outcome, args.json, bar)
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()
    args.current = None
    if not args.json:
        judged = sum(counts.values())
        shown = (Kind.CANONICAL, Kind.VALID, Kind.INVALID)
        parts = [f"{counts[kind]} {kind.value}" for kind in shown]
        if counts[Kind.UNREADABLE]:
            parts.append(f"{counts[Kind.UNREADABLE]} unreadable")
        if counts[Kind.ERROR]:
            parts.append(_plural(counts[Kind.ERROR], "internal error"))
        if skipped:
            noun = "entry" if skipped == 1 else "entries"
            parts.append(f"{skipped} other HAR {noun} skipped")
        _out(f"{_plural(judged, 'file')}: {', '.join(parts)}")
    trouble = _trouble(prog, counts[Kind.UNREADABLE], errors)
    if trouble is not None:
        raise ExitError(trouble)
    return 1 if counts[Kind.INVALID] else 0


def _sniffed(
    path: str, problem: str | None, stdin: bytes | Exception | None, charset: str
) -> tuple[str, Result]:
    """What ``sniff`` says of one file: ``(kind, JSON object)``, ``kind`` one of ``found``,
    ``none`` (valid under no key), ``unreadable`` and ``error`` (an internal error)."""
    shown = STDIN_NAME if path == STDIN else path
    try:
        if problem is not None:
            raise files.Unreadable(problem)
        if path != STDIN:
            raw = files.load(path, MAX_SIZE)
        elif isinstance(stdin, bytes):
            raw = stdin
        else:
            assert isinstance(stdin, Exception)
            raise stdin
        found = matches(raw, charset=charset)
    except files.Unreadable as exc:
        return "unreadable", {"path": shown, "keys": None, "unreadable": exc.reason}
    except InputTooLargeError as exc:
        return "none", {"path": shown, "keys": [], "error": exc.reason}
    except Exception as exc:
        return "error", {"path": shown, "keys": None, "internal_error": _describe(exc)}
    keys = [{**m.key.as_dict(), "canonical": m.canonical} for m in found]
    result: Result = {"path": shown, "keys": keys}
    what = what_it_is(found)
    if what is not None:
        result["sniffed"] = what
    return ("found" if found else "none"), result


def _sniff_lines(kind: str, result: Result) -> list[str]:
    path = result["path"]
    if kind == "unreadable":
        return [f"{path}: unreadable: {result['unreadable']}"]
    if kind == "error":
        return [f"{path}: internal error: {result['internal_error']}"]
    if kind == "none":
        why = f": {result['error']}" if "error" in result else ""
        return [f"{path}: not a valid reply under any key{why}"]
    lines = [f"{path}:"]
    for key in result["keys"]:
        fields = {name: key[name] for name in ("fmt", "operation", "all", "operators")}
        verdict = "canonical" if key["canonical"] else "valid"
        lines.append(f"  {verdict:9}  {Key(**fields)}")
    return lines


def _cmd_sniff(args: argparse.Namespace) -> int:
    with _batched():
        return _sniff(args)


def _sniff(args: argparse.Namespace) -> int:
    charset = _charset(args.prog, args.charset or "utf-8")
    found = _files(args.prog, args.paths)
    stdin = _stdin_body(found)
    unreadable = 0
    errors: list[tuple[str, str]] = []
    status = 0
    for path, problem in found:
        args.current = STDIN_NAME if path == STDIN else path
        kind, result = _sniffed(path, problem, stdin, charset)
        if kind == "none":
            status = 1
        elif kind == "unreadable":
            unreadable += 1
        elif kind == "error":
            errors.append((result["path"], result["internal_error"]))
        if args.json:
            _out(json.dumps(result, ensure_ascii=False), functools.partial(json.dumps, result))
        else:
            for line in _sniff_lines(kind, result):
                _out(line)
    args.current = None
    trouble = _trouble(args.prog, unreadable, errors)
    if trouble is not None:
        raise ExitError(trouble)
    return status


def _carries_description(key: Key) -> bool:
    try:
        encode(ErrorReply(1, "x"), key)
    except EncodeError:
        return False
    return True


def _cmd_convert(args: argparse.Namespace) -> int:
    prog = args.prog
    key = _key(args)
    assert key is not None  # argparse requires --fmt and --op
    target = _checked_key(prog, args.to_fmt, str(key.operation), key.all, key.operators)
    charset = _charset(prog, args.charset or "utf-8")
    path = args.path
    if not path:
        raise UsageError(f"{prog}: error: an empty path names no file")
    if path != STDIN and os.path.isdir(path):
        raise UsageError(f"{prog}: error: {path!r} is a directory; convert reads one file")
    if path != STDIN and not os.path.lexists(path):
        raise UsageError(f"{prog}: error: no such file: {path!r}")
    shown = STDIN_NAME if path == STDIN else path
    args.current = shown
    try:
        raw = files.read_stdin(MAX_SIZE) if path == STDIN else files.load(path, MAX_SIZE)
    except files.Unreadable as exc:
        raise ExitError(f"{prog}: error: cannot read {shown!r}: {exc.reason}") from None
    except InputTooLargeError as exc:
        _err(f"{prog}: {_human(Outcome(shown, None, verdicts.too_large(exc, key)))}")
        return 1
    try:
        reply = decode(raw, key, charset=charset)
    except WireFormatError as exc:
        invalid = Verdict(Kind.INVALID, key, KeySource.GIVEN, problem=Problem.of(exc))
        _err(f"{prog}: {_human(Outcome(shown, None, invalid))}")
        return 1
    if isinstance(reply, ErrorReply):
        wants = _carries_description(target)
        if wants and reply.description is None:
            if args.description is None:
                raise UsageError(
                    f"{prog}: error: the error reply (code {int(reply.code)}) has no description "
                    f"(fmt {key.fmt} carries none) and fmt {target.fmt} needs one: "
                    "pass --description TEXT"
                )
            reply = ErrorReply(reply.code, args.description)
        elif not wants and reply.description is not None:
            if not args.drop_description:
                raise UsageError(
                    f"{prog}: error: fmt {target.fmt} error replies carry no description: pass "
                    f"--drop-description to drop {reply.description!r}"
                )
            reply = ErrorReply(reply.code, None)
    try:
        # The canonical form ends without a newline (SPEC D5); a line of output ends with one.
        text = encode(reply, target) + ("" if args.exact else "\n")
    except EncodeError as exc:
        _err(f"{prog}: error: cannot write this reply as {target}: {exc.reason}")
        return 1
    try:
        data = text.encode(charset)
    except UnicodeError as exc:
        _err(f"{prog}: error: the reply cannot be written in {charset}: {exc}")
        return 1
    _out_bytes(data, text)
    return 0


def _cmd_fixtures(args: argparse.Namespace) -> int:
    from smsc_wire._tools.fixtures import write

    prog = args.prog
    if not args.outdir:
        raise UsageError(f"{prog}: error: an empty path names no directory")
    outdir = Path(args.outdir)
    args.current = args.outdir
    try:
        used = outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir()))
    except OSError as exc:
        raise ExitError(
            f"{prog}: error: cannot use {args.outdir!r}: {files.reason_of(exc)}"
        ) from None
    if used:
        raise UsageError(
            f"{prog}: error: {args.outdir!r} exists and is not an empty directory; "
            "fixtures writes into a new or empty one"
        )
    if args.count < 0:
        raise UsageError(f"{prog}: error: --count must be 0 or more")
    try:
        written = write(outdir, seed=args.seed, count=args.count)
    except OSError as exc:
        where = args.outdir if exc.filename is None else str(exc.filename)
        raise ExitError(f"{prog}: error: cannot write {where!r}: {files.reason_of(exc)}") from None
    args.current = None
    _out(f"wrote {written} fixtures for {len(registry)} keys and manifest.jsonl to {outdir}")
    return 0


def _key_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    hint = "" if required else " (without --fmt/--op the key of each file is sniffed)"
    parser.add_argument(
        "--fmt", type=int, metavar="N", required=required,
        help="the request's fmt: 0, 1, 2 or 3" + hint,
    )  # fmt: skip
    parser.add_argument(
        "--op", choices=[op.value for op in Operation], metavar="OP", required=required,
        help="the request's operation: " + ", ".join(op.value for op in Operation),
    )  # fmt: skip
    parser.add_argument("--all", action="store_true", help="the request had all=1 (get only)")
    parser.add_argument(
        "--operators", action="store_true", help="the request had operators=1 (get only)"
    )


def _charset_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--charset", metavar="CS",
        help="the request's charset, used to read the bytes (default utf-8)",
    )  # fmt: skip


_EXIT_STATUS: Final = (
    "Exit status 0 when no file is invalid, 1 when one is, 2 for a usage error, a file that "
    "could not be read or an internal error (then standard error holds one line)."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``smsc-wire``."""
    from smsc_wire import __version__

    parser = _Parser(
        prog=PROG,
        description="Validate, identify, convert and generate replies of the SMSC senders.php API.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="judge captured replies: canonical, valid or invalid",
        description=(
            "Judge each file: canonical (byte-identical to what encode writes), valid (decodes, "
            "but is not canonical: where it first differs) or invalid (line, column, message). "
            "Each is judged under the key its context gives: --url (the request), --fmt/--op, "
            "a HAR file's own requests (one verdict per senders.php entry), or the "
            "manifest.jsonl of a fixtures folder; without context the key is sniffed. "
            "Files that cannot be read are listed as unreadable. " + _EXIT_STATUS
        ),
    )
    _key_options(validate, required=False)
    _charset_option(validate)
    validate.add_argument(
        "--url", metavar="URL",
        help="the request the files answer: its key and charset judge them (SPEC D13)",
    )  # fmt: skip
    validate.add_argument("--json", action="store_true", help="one JSON object per file")
    validate.add_argument(
        "-q", "--quiet", action="store_true",
        help="list only the files that are invalid or unreadable (and the summary line)",
    )  # fmt: skip
    validate.add_argument(
        "--jobs", type=int, default=1, metavar="N",
        help="validate in N processes (0: one per CPU); same results, same order",
    )  # fmt: skip
    validate.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or -")
    validate.set_defaults(handler=_cmd_validate)

    sniff = commands.add_parser(
        "sniff",
        help="list the keys under which each body is valid, best first",
        description=(
            "List the keys under which each body is a valid reply: canonical before valid, then "
            "the most specific. Exit status 1 when some body is valid under no key, 2 for a "
            "usage error, a file that could not be read or an internal error."
        ),
    )
    _charset_option(sniff)
    sniff.add_argument(
        "--json", action="store_true", help='one {"path", "keys": [key objects]} per file'
    )
    sniff.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or -")
    sniff.set_defaults(handler=_cmd_sniff)

    convert = commands.add_parser(
        "convert",
        help="rewrite a reply in another fmt",
        description=(
            "Decode the body under the key and write the canonical form of the same reply in "
            "fmt M to standard output, followed by a newline (--exact: without it). A fmt 1 "
            "error reply has no description: converting it to fmt 0, 2 or 3 needs "
            "--description; converting an error with a description to fmt 1 needs "
            "--drop-description. Nothing is invented or dropped silently."
        ),
    )
    _key_options(convert, required=True)
    convert.add_argument("--to-fmt", type=int, required=True, metavar="M", help="the target fmt")
    _charset_option(convert)
    convert.add_argument(
        "--description", metavar="TEXT",
        help="the description to write for an error reply that has none (a fmt 1 source)",
    )  # fmt: skip
    convert.add_argument(
        "--drop-description", action="store_true",
        help="drop an error reply's description when the target fmt (1) cannot carry it",
    )  # fmt: skip
    convert.add_argument(
        "--exact", action="store_true",
        help="write exactly the canonical bytes, without the trailing newline",
    )  # fmt: skip
    convert.add_argument(
        "path", nargs="?", default=STDIN, metavar="PATH", help="file or - (default)"
    )
    convert.set_defaults(handler=_cmd_convert)

    fixtures = commands.add_parser(
        "fixtures",
        help="write a corpus of canonical replies for every key",
        description=(
            "Write canonical replies for every registry key (edge cases, every status and error "
            "code, and COUNT random replies per key) into OUTDIR, plus OUTDIR/manifest.jsonl. "
            "The same seed gives byte-identical output."
        ),
    )
    fixtures.add_argument("outdir", metavar="OUTDIR", help="a new or empty directory")
    fixtures.add_argument("--seed", type=int, default=0, metavar="N", help="default 0")
    fixtures.add_argument(
        "--count", type=int, default=5, metavar="K", help="random replies per key (default 5)"
    )
    fixtures.set_defaults(handler=_cmd_fixtures)

    from smsc_wire.sandbox._cli import add_parser as add_serve  # imports nothing heavy

    add_serve(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``smsc-wire`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Never raises and never prints a traceback: whatever goes wrong ends as one line on standard
    error and exit status 2 (130 for ^C).
    """
    prog = PROG
    args: argparse.Namespace | None = None
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help, --version
            status = exc.code if isinstance(exc.code, int) else 0
        else:
            prog = args.prog = f"{PROG} {args.command}"
            args.current = None
            status = args.handler(args)
        _flush_stdout()
        return status
    except ExitError as exc:
        try:
            _flush_stdout()  # the per-file lines before the line that sums them up
        except _OutputError as output:
            return _output_failed(prog, output)
        _err(str(exc))
        return 2
    except _OutputError as exc:
        return _output_failed(exc.prog or prog, exc)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        current = None if args is None else getattr(args, "current", None)
        where = "" if current is None else f" while processing {current!r}"
        _err(f"{prog}: internal error{where}: {_describe(exc)}; {_BUG}")
        return 2


def _output_failed(prog: str, exc: _OutputError) -> int:
    _discard_stdout()
    if exc.reader_left:
        # `smsc-wire validate … | head`: the reader chose to stop; that is not an error of ours.
        return 0
    _err(f"{prog}: error: cannot write to standard output: {exc.reason}")
    return 2
