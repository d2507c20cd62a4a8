"""The ``smsc-wire`` command line: ``validate``, ``sniff``, ``convert`` and ``fixtures``.

Strategy: every subcommand is a thin loop over the public API (:func:`decode`, :func:`encode`,
:func:`sniff`) and the fixture corpus. A file's verdict is computed by one pure, picklable function
of ``(path, bytes, key, charset)`` returning a JSON-ready dict, so a serial run and a ``--jobs N``
run (``ProcessPoolExecutor.map``, which keeps input order) print the same lines in the same order.
The exit status follows linters: 0 when no file is invalid, 1 when one is, 2 for a usage error.
Every usage error — an argparse complaint, a missing file, an unknown charset or fmt — is one line
on standard error; :class:`UsageError` carries it to :func:`main`, the only place that prints it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Final, NoReturn

from ._api import codec_name, decode, encode
from ._errors import EncodeError, UnsupportedCharsetError, UnsupportedKeyError, WireFormatError
from ._errors import locate as _locate
from ._key import Key, Operation
from ._models import ErrorReply
from ._registry import registry
from ._sniff import is_canonical, matches, text_of

PROG: Final = "smsc-wire"
STDIN: Final = "-"
_BAR_MIN_FILES: Final = 100
"""A progress bar is worth its noise only for a run that takes a noticeable time."""
_SNIPPET: Final = 24

Result = dict[str, Any]
# (path as shown, body read by the parent (stdin) or None, key or None, charset)
Task = tuple[str, bytes | None, tuple[int, str, bool, bool] | None, str]


class UsageError(Exception):
    """A mistake on the command line: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse would print the whole usage and exit; one line is easier to act on.
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


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
    if len(tied) > 1 and line is not None and line > 1:
        # In fmt 0 and 1 an all=0 name swallows a status (SPEC D8), so several keys fail at the
        # same place; the lines before it tell them apart, ranked as sniff ranks keys.
        prefix = "\n".join(text_of(raw, charset).split("\n")[: line - 1]).rstrip("\r\n")
        found, _ = matches(prefix)
        ranked = [m.key for m in found if m.key in tied]
        if ranked:
            return ranked[0], failures[ranked[0]]
    return tied[0], failures[tied[0]]


def _judge_task(task: Task) -> Result:
    path, data, key_fields, charset = task
    key = None if key_fields is None else Key(*key_fields)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            return {"path": path, "verdict": "unreadable", "error": exc.strerror or str(exc)}
    return judge(path, data, key, charset)


def _human(result: Result) -> str:
    path, verdict = result["path"], result["verdict"]
    if verdict == "unreadable":
        return f"{path}: unreadable: {result['error']}"
    key = Key(**result["key"])
    nearest = "nearest: " if result.get("key_source") == "nearest" else ""
    head = f"{path}: {verdict} [{nearest}{key}]"
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


# --- command-line plumbing ----------------------------------------------------------------------


def _key(args: argparse.Namespace, *, required: bool) -> Key | None:
    if args.fmt is None and args.op is None:
        if required:
            raise UsageError(f"{args.prog}: error: --fmt and --op are required")
        if args.all or args.operators:
            raise UsageError(f"{args.prog}: error: --all and --operators need --fmt and --op")
        return None
    if args.fmt is None or args.op is None:
        given, missing = ("--fmt", "--op") if args.op is None else ("--op", "--fmt")
        raise UsageError(f"{args.prog}: error: {given} needs {missing} as well")
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


def _files(prog: str, paths: Iterable[str]) -> list[str]:
    files: list[str] = []
    for name in paths:
        if name == STDIN:
            files.append(STDIN)
            continue
        path = Path(name)
        if path.is_dir():
            # Sorted by path components, so that a folder's files stay together and the order
            # does not depend on the file system. Hidden files (.DS_Store, .git) are skipped.
            found = [
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            files.extend(str(p) for p in sorted(found, key=lambda p: p.relative_to(path).parts))
        elif path.exists():
            files.append(name)
        else:
            raise UsageError(f"{prog}: error: no such file or directory: {name!r}")
    return files


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def _tasks(files: list[str], key: Key | None, charset: str) -> list[Task]:
    fields = None if key is None else (key.fmt, key.operation.value, key.all, key.operators)
    stdin = _read_stdin() if STDIN in files else None
    return [(f, stdin if f == STDIN else None, fields, charset) for f in files]


def _results(tasks: list[Task], jobs: int) -> Iterator[Result]:
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(_judge_task, tasks)
        return
    chunksize = max(1, min(64, len(tasks) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_judge_task, tasks, chunksize=chunksize)


def _progress(total: int) -> Any:
    if total < _BAR_MIN_FILES or not sys.stderr.isatty():
        return None
    try:
        # Imported by name: tqdm is an optional extra ("cli") and ships no type stubs.
        tqdm = importlib.import_module("tqdm").tqdm
    except ImportError:  # the extra is not installed: no bar
        return None
    return tqdm(total=total, file=sys.stderr, unit="file", leave=False)


def _cmd_validate(args: argparse.Namespace) -> int:
    key = _key(args, required=False)
    charset = _charset(args.prog, args.charset)
    if args.jobs < 0:
        raise UsageError(f"{args.prog}: error: --jobs must be 0 (every CPU) or more")
    jobs = args.jobs or os.cpu_count() or 1
    tasks = _tasks(_files(args.prog, args.paths), key, charset)
    counts = {"canonical": 0, "valid": 0, "invalid": 0, "unreadable": 0}
    bar = _progress(len(tasks))
    try:
        for result in _results(tasks, jobs):
            counts[result["verdict"]] += 1
            if result["path"] == STDIN and not args.json:
                result["path"] = "<stdin>"
            line = json.dumps(result, ensure_ascii=False) if args.json else _human(result)
            if bar is None:
                print(line)
            else:
                bar.write(line, file=sys.stdout)
                bar.update()
    finally:
        if bar is not None:
            bar.close()
    if not args.json:
        total = sum(counts.values())
        parts = [f"{n} {verdict}" for verdict, n in counts.items() if n or verdict != "unreadable"]
        print(f"{total} file{'s' * (total != 1)}: {', '.join(parts)}")
    if counts["unreadable"]:
        print(
            f"{args.prog}: error: {counts['unreadable']} file(s) could not be read", file=sys.stderr
        )
        return 2
    return 1 if counts["invalid"] else 0


def _cmd_sniff(args: argparse.Namespace) -> int:
    charset = _charset(args.prog, args.charset)
    files = _files(args.prog, args.paths)
    stdin = _read_stdin() if STDIN in files else b""
    status = 0
    for name in files:
        raw = stdin if name == STDIN else _read(args.prog, name)
        found, _ = matches(raw, charset=charset)
        if not found:
            status = 1
        if args.json:
            keys = [{**m.key.as_dict(), "canonical": m.canonical} for m in found]
            print(json.dumps({"path": name, "keys": keys}, ensure_ascii=False))
            continue
        shown = "<stdin>" if name == STDIN else name
        if not found:
            print(f"{shown}: not a valid reply under any key")
            continue
        print(f"{shown}:")
        for m in found:
            print(f"  {'canonical' if m.canonical else 'valid':9}  {m.key}")
    return status


def _read(prog: str, name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise UsageError(f"{prog}: error: cannot read {name!r}: {exc.strerror or exc}") from None


def _carries_description(key: Key) -> bool:
    try:
        encode(ErrorReply(1, "x"), key)
    except EncodeError:
        return False
    return True


def _cmd_convert(args: argparse.Namespace) -> int:
    prog = args.prog
    key = _key(args, required=True)
    assert key is not None
    target = _checked_key(prog, args.to_fmt, key.operation.value, key.all, key.operators)
    charset = _charset(prog, args.charset)
    if args.path != STDIN and Path(args.path).is_dir():
        raise UsageError(f"{prog}: error: {args.path!r} is a directory; convert reads one file")
    if args.path != STDIN and not Path(args.path).exists():
        raise UsageError(f"{prog}: error: no such file: {args.path!r}")
    raw = _read_stdin() if args.path == STDIN else _read(prog, args.path)
    shown = "<stdin>" if args.path == STDIN else args.path
    try:
        reply = decode(raw, key, charset=charset)
    except WireFormatError as exc:
        result = _invalid({"path": shown, "key": key.as_dict()}, exc)
        print(f"{prog}: {_human(result)}", file=sys.stderr)
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
        data = encode(reply, target).encode(charset)
    except EncodeError as exc:
        print(f"{prog}: error: cannot write this reply as {target}: {exc.reason}", file=sys.stderr)
        return 1
    except UnicodeEncodeError as exc:
        print(f"{prog}: error: the reply cannot be written in {charset}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.flush()
    out = sys.stdout.buffer
    # The canonical form has no trailing newline (SPEC D5); add one only for a human's terminal.
    out.write(data + (b"\n" if sys.stdout.isatty() else b""))
    out.flush()
    return 0


def _cmd_fixtures(args: argparse.Namespace) -> int:
    from ._fixtures import write

    outdir = Path(args.outdir)
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        raise UsageError(
            f"{args.prog}: error: {args.outdir!r} exists and is not an empty directory; "
            "fixtures writes into a new or empty one"
        )
    if args.count < 0:
        raise UsageError(f"{args.prog}: error: --count must be 0 or more")
    written = write(outdir, seed=args.seed, count=args.count)
    print(f"wrote {written} fixtures for {len(registry)} keys and manifest.jsonl to {outdir}")
    return 0


def _key_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    hint = "" if required else " (without --fmt/--op the key of each file is sniffed)"
    parser.add_argument(
        "--fmt", type=int, metavar="N", help="the request's fmt: 0, 1, 2 or 3" + hint
    )
    parser.add_argument(
        "--op", choices=[op.value for op in Operation], metavar="OP",
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``smsc-wire``."""
    parser = _Parser(
        prog=PROG,
        description="Validate, identify, convert and generate replies of the SMSC senders.php API.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="judge captured replies: canonical, valid or invalid",
        description=(
            "Judge each file: canonical (byte-identical to what encode writes), valid (decodes, "
            "but is not canonical: where it first differs) or invalid (line, column, message). "
            "Exit status 0 when no file is invalid, 1 when one is, 2 for a usage error."
        ),
    )
    _key_options(validate, required=False)
    _charset_option(validate)
    validate.add_argument("--json", action="store_true", help="one JSON object per file")
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
            "the most specific. Exit status 1 when some body is valid under no key."
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
            "fmt M to standard output. A fmt 1 error reply has no description: converting it to "
            "fmt 0, 2 or 3 needs --description; converting an error with a description to fmt 1 "
            "needs --drop-description. Nothing is invented or dropped silently."
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
    """Run ``smsc-wire`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help
            return exc.code if isinstance(exc.code, int) else 0
        args.prog = f"{PROG} {args.command}"
        status: int = args.handler(args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `smsc-wire validate … | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    return status
