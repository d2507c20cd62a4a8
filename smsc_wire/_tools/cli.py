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
import importlib
import json
import os
import stat
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager
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
from smsc_wire._errors import locate as _locate
from smsc_wire._key import Key, Operation
from smsc_wire._models import ErrorReply
from smsc_wire._registry import registry
from smsc_wire._tools.sniff import is_canonical, matches, text_of

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

PROG: Final = "smsc-wire"
STDIN: Final = "-"
STDIN_NAME: Final = "<stdin>"
"""How standard input is named in every output, text and JSON alike."""
MAX_SIZE: Final = DEFAULT_MAX_SIZE
"""The size limit of every body the command line reads: decode's own (SPEC D11)."""
_BAR_MIN_FILES: Final = 100
"""A progress bar is worth its noise only for a run that takes a noticeable time."""
_SNIPPET: Final = 24
_CHUNK: Final = 1 << 20
_MESSAGE_MAX: Final = 300
"""An internal error's own message is cut here, so that the report stays one readable line."""
_BUG: Final = "this is a bug in smsc_wire: please report it, with the file if you can"
_OPEN_FLAGS: Final = (
    os.O_RDONLY
    # Should a FIFO replace the file between the stat and the open, the open must not block.
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_NOT_REGULAR: Final = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)

Result = dict[str, Any]
KeyFields = tuple[int, str, bool, bool]
Entry = tuple[str, str | None]
"""A path to judge as given or found in a walk, and why it cannot be read (None: not known yet)."""


class Task(NamedTuple):
    """One file to judge; picklable, for the worker processes of ``--jobs``."""

    path: str
    """As shown in the output."""
    data: bytes | None
    """Standard input's body (the parent reads it), or None: read ``path``."""
    key: KeyFields | None
    charset: str


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


class _Unreadable(Exception):
    """A path that names no readable regular file; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


def _offset_of(raw: bytes | str, text: str, pos: int, charset: str) -> int:
    if isinstance(raw, str):
        return pos
    name = codec_name(charset)
    return len(text[:pos].encode("utf-8" if name == "utf-8-sig" else name))


def _difference(raw: bytes | str, canonical: str, charset: str) -> Result:
    text = text_of(raw, charset)
    pos = next(
        (i for i, (a, b) in enumerate(zip(text, canonical, strict=False)) if a != b),
        min(len(text), len(canonical)),
    )
    line, column, _ = _locate(text, pos)
    return {
        "line": line,
        "column": column,
        "offset": _offset_of(raw, text, pos, charset),
        "found": _snippet(text, pos),
        "expected": _snippet(canonical, pos),
    }


def _snippet(text: str, pos: int) -> str:
    part = text[pos : pos + _SNIPPET]
    return part + "…" if len(text) > pos + _SNIPPET else part


def _invalid(result: Result, exc: WireFormatError, prefix: str = "") -> Result:
    result.update(
        verdict="invalid",
        error=prefix + exc.reason,
        line=exc.line,
        column=exc.column,
        offset=exc.offset,
        excerpt=exc.excerpt,
    )
    return result


def judge(path: str, raw: bytes | str, key: Key | None, charset: str = "utf-8") -> Result:
    """The verdict on one body as a JSON-ready dict (see ``smsc-wire validate --help``).

    With ``key`` None the body is judged under the first key :func:`sniff` gives; a body valid
    under no key is invalid, and is reported with the error of the key under which decoding got
    furthest (``key_source`` is then ``"nearest"``).
    """
    result: Result = {"path": path, "verdict": None}
    if key is None:
        found, failures = matches(raw, charset=charset)
        if not found:
            key, exc = _nearest(raw, failures, charset)
            result.update(key=key.as_dict(), key_source="nearest")
            return _invalid(result, exc, "valid under no key; the nearest key says: ")
        best = found[0]
        key, reply = best.key, best.reply
        result.update(key=key.as_dict(), key_source="sniffed")
    else:
        result.update(key=key.as_dict(), key_source="given")
        try:
            reply = decode(raw, key, charset=charset)
        except WireFormatError as exc:
            return _invalid(result, exc)
    canonical, text = is_canonical(raw, reply, key, charset)
    if canonical:
        result["verdict"] = "canonical"
    elif isinstance(text, EncodeError):
        result.update(verdict="valid", difference={"reason": f"no canonical form: {text.reason}"})
    else:
        result.update(verdict="valid", difference=_difference(raw, text, charset))
    return result


def _nearest(
    raw: bytes | str, failures: dict[Key, WireFormatError], charset: str
) -> tuple[Key, WireFormatError]:
    """The key under which decoding got furthest: its error names the likeliest mistake."""

    def reach(exc: WireFormatError) -> int:
        return -1 if exc.offset is None else exc.offset

    far = max(reach(exc) for exc in failures.values())
    tied = [key for key, exc in failures.items() if reach(exc) == far]
    line = failures[tied[0]].line
    if len(tied) > 1 and line is not None and line > 1 and far >= 0:
        # In fmt 0 and 1 an all=0 name swallows a status (SPEC D8), so several keys fail at the
        # same place; the lines before it tell them apart, ranked as sniff ranks keys. They
        # precede every error, an undecodable byte's included, so they decode on their own.
        try:
            text = text_of(raw[:far], charset)
        except UnicodeError:  # a codec that cannot decode a cut body: no tie-break
            return tied[0], failures[tied[0]]
        prefix = "\n".join(text.split("\n")[: line - 1]).rstrip("\r\n")
        found, _ = matches(prefix)
        ranked = [m.key for m in found if m.key in tied]
        if ranked:
            return ranked[0], failures[ranked[0]]
    return tied[0], failures[tied[0]]


def _unreadable(path: str, reason: str) -> Result:
    return {"path": path, "verdict": "unreadable", "error": reason}


def _internal(path: str, exc: BaseException) -> Result:
    return {"path": path, "verdict": "error", "error": _describe(exc)}


def _too_large(path: str, exc: InputTooLargeError, key: Key | None) -> Result:
    """A body over the limit: invalid, judged unread (without a key unless one was given)."""
    result: Result = {"path": path, "verdict": None, "key": None}
    if key is not None:
        result.update(key=key.as_dict(), key_source="given")
    return _invalid(result, exc)


def _describe(exc: BaseException) -> str:
    """An unexpected exception as one bounded line: its type and message."""
    try:
        message = str(exc)
    except Exception:  # an exception whose own __str__ fails
        message = "(no message)"
    text = " ".join(f"{type(exc).__name__}: {message}".split()).removesuffix(":")
    return text if len(text) <= _MESSAGE_MAX else text[: _MESSAGE_MAX - 1] + "…"


def _judge_task(task: Task) -> Result:
    """The verdict on one task.

    It never raises: under ``--jobs`` an exception escaping a worker would end the whole
    ``map``, losing the results of every file after it. An unexpected one becomes this file's
    ``error`` verdict instead, and :func:`_cmd_validate` reports it as a bug.
    """
    try:
        key = None if task.key is None else Key(*task.key)
        try:
            raw = _load(task.path, MAX_SIZE) if task.data is None else task.data
        except _Unreadable as exc:
            return _unreadable(task.path, exc.reason)
        except InputTooLargeError as exc:
            return _too_large(task.path, exc, key)
        return judge(task.path, raw, key, task.charset)
    except Exception as exc:
        return _internal(task.path, exc)


def _human(result: Result) -> str:
    path, verdict = result["path"], result["verdict"]
    if verdict == "unreadable":
        return f"{path}: unreadable: {result['error']}"
    if verdict == "error":
        return f"{path}: internal error: {result['error']}"
    head = f"{path}: {verdict}"
    if result.get("key") is not None:
        nearest = "nearest: " if result.get("key_source") == "nearest" else ""
        head += f" [{nearest}{Key(**result['key'])}]"
    if verdict == "canonical":
        return head
    if verdict == "valid":
        diff = result["difference"]
        if "reason" in diff:
            return f"{head}: {diff['reason']}"
        expected = repr(diff["expected"]) if diff["expected"] else "the end of the text"
        return (
            f"{head}: differs from the canonical form at line {diff['line']}, column "
            f"{diff['column']} (offset {diff['offset']}): found {diff['found']!r}, "
            f"expected {expected}"
        )
    where = "" if result["line"] is None else f"line {result['line']}, column {result['column']}: "
    excerpt = "" if result["excerpt"] is None else f": {result['excerpt']!r}"
    return f"{head}: {where}{result['error']}{excerpt}"


# --- reading files, safely ----------------------------------------------------------------------


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _not_regular(mode: int) -> _Unreadable:
    kind = next((f" ({name})" for is_kind, name in _NOT_REGULAR if is_kind(mode)), "")
    return _Unreadable(f"not a regular file{kind}")


def _read_capped(read: Callable[[int], bytes], cap: int, first: int = _CHUNK) -> bytes:
    """At most ``cap`` bytes from ``read``, asking for ``first`` bytes, then a chunk at a time.

    Asking for the whole cap at once would allocate it up front, for every small file.
    """
    parts: list[bytes] = []
    total = 0
    size = max(first, 1)
    while total < cap:
        chunk = read(min(size, cap - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        size = _CHUNK
    return b"".join(parts)


def _load(path: str, max_size: int) -> bytes:
    """The bytes of the regular file ``path``.

    Raises :class:`_Unreadable` for anything else (nothing else is opened, so a FIFO or a device
    cannot block the run or stream endless bytes into it) and :class:`InputTooLargeError` for a
    file over ``max_size``, found by its size before reading, or by reading ``max_size + 1``
    bytes of a file that grew since.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise _Unreadable("broken symbolic link") from None
        raise _Unreadable(_reason(exc)) from None
    except ValueError:  # a NUL in the name
        raise _Unreadable("not a valid path") from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(info.st_mode)
    if info.st_size > max_size:
        raise InputTooLargeError(info.st_size, max_size, unit="bytes")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _Unreadable(_reason(exc)) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # replaced since the stat: judge what was opened
            raise _not_regular(opened.st_mode)
        data = _read_capped(functools.partial(os.read, fd), max_size + 1, opened.st_size + 1)
    except OSError as exc:
        raise _Unreadable(_reason(exc)) from None
    finally:
        os.close(fd)
    if len(data) > max_size:
        raise InputTooLargeError(len(data), max_size, unit="bytes or more")
    return data


def _read_stdin(max_size: int) -> bytes:
    """Standard input's bytes, read with the same cap as a file's (a pipe has no size to stat)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        raise _Unreadable("standard input is closed")
    try:
        data = _read_capped(buffer.read, max_size + 1)
    except OSError as exc:
        raise _Unreadable(_reason(exc)) from None
    except ValueError as exc:  # a closed stream
        raise _Unreadable(str(exc)) from None
    if len(data) > max_size:
        raise InputTooLargeError(len(data), max_size, unit="bytes or more")
    return data


def _stdin_body(entries: Iterable[Entry]) -> bytes | _Unreadable | InputTooLargeError | None:
    """Standard input's body if ``-`` is among the paths (read once, however often named)."""
    if all(path != STDIN for path, _ in entries):
        return None
    try:
        return _read_stdin(MAX_SIZE)
    except (_Unreadable, InputTooLargeError) as exc:
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
            entries.extend(_walk(name))
        else:
            entries.append((name, None))
    return entries


def _walk(top: str) -> list[Entry]:
    """Every non-hidden entry under ``top`` that is not a directory, in sorted order.

    Sorted by path components, so that a folder's files stay together and the order does not
    depend on the file system. Hidden files and folders (.DS_Store, .git) are skipped. Nothing
    else is: a folder that cannot be listed is an entry with its reason, and a broken link, a FIFO
    or a device is an entry that reading reports. Links to folders are not followed (no loops).
    """
    found: list[tuple[tuple[str, ...], str | None]] = []
    pending: list[tuple[str, ...]] = [()]
    while pending:
        parts = pending.pop()
        folder = os.path.join(top, *parts)
        try:
            with os.scandir(folder) as listing:
                children = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError as exc:
            found.append((parts, _reason(exc)))
            continue
        for entry in children:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                link_to_dir = not is_dir and entry.is_symlink() and entry.is_dir()
            except OSError:  # reading it says what is wrong
                is_dir = link_to_dir = False
            if is_dir:
                pending.append((*parts, entry.name))
            elif not link_to_dir:
                found.append(((*parts, entry.name), None))
    found.sort(key=lambda item: item[0])
    return [(str(Path(top, *parts)), problem) for parts, problem in found]


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
        raise _OutputError(_reason(exc)) from None
    except ValueError:  # the stream was closed
        raise _OutputError("it is closed") from None


def _out(text: str, plain: Callable[[], str] | None = None, bar: Any = None) -> None:
    """One line on standard output (above the progress bar, if there is one)."""
    stream = _stdout()
    line = _fit(stream, text, plain)
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


def _entries(files: list[Entry], key: Key | None, charset: str) -> list[Task | Result]:
    """A task per file to judge; a ready verdict where the file is known to be unreadable."""
    fields = None if key is None else (key.fmt, str(key.operation), key.all, key.operators)
    stdin = _stdin_body(files)
    entries: list[Task | Result] = []
    for path, problem in files:
        if problem is not None:
            entries.append(_unreadable(path, problem))
        elif path != STDIN:
            entries.append(Task(path, None, fields, charset))
        elif isinstance(stdin, bytes):
            entries.append(Task(STDIN_NAME, stdin, fields, charset))
        elif isinstance(stdin, _Unreadable):
            entries.append(_unreadable(STDIN_NAME, stdin.reason))
        else:
            assert stdin is not None
            entries.append(_too_large(STDIN_NAME, stdin, key))
    return entries


def _results(entries: list[Task | Result], jobs: int) -> Generator[Result, None, None]:
    tasks = [entry for entry in entries if isinstance(entry, Task)]
    if jobs <= 1 or len(tasks) <= 1:
        judged: Iterator[Result] = map(_judge_task, tasks)
        for entry in entries:
            yield next(judged) if isinstance(entry, Task) else entry
        return
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


_VERDICTS: Final = ("canonical", "valid", "invalid", "unreadable", "error")
_QUIET_HIDES: Final = frozenset({"canonical", "valid"})


def _out_result(result: Result, as_json: bool, bar: Any) -> None:
    if as_json:
        _out(json.dumps(result, ensure_ascii=False), functools.partial(json.dumps, result), bar)
    else:
        _out(_human(result), bar=bar)


def _cmd_validate(args: argparse.Namespace) -> int:
    key = _key(args)
    charset = _charset(args.prog, args.charset)
    if args.jobs < 0:
        raise UsageError(f"{args.prog}: error: --jobs must be 0 (every CPU) or more")
    jobs = args.jobs or os.cpu_count() or 1
    entries = _entries(_files(args.prog, args.paths), key, charset)
    counts = dict.fromkeys(_VERDICTS, 0)
    errors: list[tuple[str, str]] = []
    bar = _progress(len(entries))
    try:
        with closing(_results(entries, jobs)) as results:
            for entry in entries:
                args.current = entry.path if isinstance(entry, Task) else entry["path"]
                try:
                    result = next(results)
                except BrokenProcessPool as exc:
                    # A worker died (a signal, not an exception): the files it held are lost,
                    # and which one killed it is unknown.
                    raise ExitError(
                        f"{args.prog}: internal error: a worker process died while judging "
                        f"{args.current!r} or a file after it ({_describe(exc)}); {_BUG}"
                    ) from None
                verdict = result["verdict"]
                counts[verdict] += 1
                if verdict == "error":
                    errors.append((result["path"], result["error"]))
                if not (args.quiet and verdict in _QUIET_HIDES):
                    _out_result(result, args.json, bar)
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()
    args.current = None
    if not args.json:
        parts = [f"{counts[verdict]} {verdict}" for verdict in ("canonical", "valid", "invalid")]
        if counts["unreadable"]:
            parts.append(f"{counts['unreadable']} unreadable")
        if counts["error"]:
            parts.append(_plural(counts["error"], "internal error"))
        _out(f"{_plural(sum(counts.values()), 'file')}: {', '.join(parts)}")
    trouble = _trouble(args.prog, counts["unreadable"], errors)
    if trouble is not None:
        raise ExitError(trouble)
    return 1 if counts["invalid"] else 0


def _sniffed(
    path: str, problem: str | None, stdin: bytes | Exception | None, charset: str
) -> tuple[str, Result]:
    """What ``sniff`` says of one file: ``(kind, JSON object)``, ``kind`` one of ``found``,
    ``none`` (valid under no key), ``unreadable`` and ``error`` (an internal error)."""
    shown = STDIN_NAME if path == STDIN else path
    try:
        if problem is not None:
            raise _Unreadable(problem)
        if path != STDIN:
            raw = _load(path, MAX_SIZE)
        elif isinstance(stdin, bytes):
            raw = stdin
        else:
            assert isinstance(stdin, Exception)
            raise stdin
        found, _ = matches(raw, charset=charset)
    except _Unreadable as exc:
        return "unreadable", {"path": shown, "keys": None, "unreadable": exc.reason}
    except InputTooLargeError as exc:
        return "none", {"path": shown, "keys": [], "error": exc.reason}
    except Exception as exc:
        return "error", {"path": shown, "keys": None, "internal_error": _describe(exc)}
    keys = [{**m.key.as_dict(), "canonical": m.canonical} for m in found]
    return ("found" if found else "none"), {"path": shown, "keys": keys}


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
    charset = _charset(args.prog, args.charset)
    files = _files(args.prog, args.paths)
    stdin = _stdin_body(files)
    unreadable = 0
    errors: list[tuple[str, str]] = []
    status = 0
    for path, problem in files:
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
    charset = _charset(prog, args.charset)
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
        raw = _read_stdin(MAX_SIZE) if path == STDIN else _load(path, MAX_SIZE)
    except _Unreadable as exc:
        raise ExitError(f"{prog}: error: cannot read {shown!r}: {exc.reason}") from None
    except InputTooLargeError as exc:
        _err(f"{prog}: {_human(_too_large(shown, exc, key))}")
        return 1
    try:
        reply = decode(raw, key, charset=charset)
    except WireFormatError as exc:
        result = _invalid({"path": shown, "key": key.as_dict()}, exc)
        _err(f"{prog}: {_human(result)}")
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
        raise ExitError(f"{prog}: error: cannot use {args.outdir!r}: {_reason(exc)}") from None
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
        raise ExitError(f"{prog}: error: cannot write {where!r}: {_reason(exc)}") from None
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
        "--charset", default="utf-8", metavar="CS",
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
            "Files that cannot be read are listed as unreadable. " + _EXIT_STATUS
        ),
    )
    _key_options(validate, required=False)
    _charset_option(validate)
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
