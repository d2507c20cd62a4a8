"""The ``smsc-wire`` command line against hostile paths, streams and failures.

Undecodable bodies, FIFOs, devices, huge and endless files, unreadable folders, broken links,
strict or closed or full standard output, and bugs in a worker: each ends in a verdict or in one
line on standard error with exit status 2, never in a hang or a traceback. Whatever depends on
real processes and streams runs as ``python -m smsc_wire``, with a timeout so that a hang fails.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cli_run import run

import smsc_wire as sw
from smsc_wire._tools import cli as _cli
from smsc_wire._tools import files
from smsc_wire._tools.cli import main

ROOT = Path(__file__).parent.parent
CAPTURES = ROOT / "examples" / "captures"
TIMEOUT = 60
LIMIT = sw.DEFAULT_MAX_SIZE
BUG = "this is a bug in smsc_wire: please report it, with the file if you can"
UNDECODABLE = b"name = A, id = 1\nname = \xc1, id = 2"
"""Valid UTF-8 on its first line only: 0xc1 is at offset 24, line 2, column 8."""


def cli(
    *argv: str,
    stdin: Any = subprocess.DEVNULL,
    stdout: Any = subprocess.PIPE,
    env: Mapping[str, str] | None = None,
    shell_redirect: str = "",
) -> subprocess.CompletedProcess[bytes]:
    """``python -m smsc_wire ARGV`` in a process; ``shell_redirect`` is appended to it by sh."""
    command = [sys.executable, "-m", "smsc_wire", *argv]
    if shell_redirect:
        command = ["sh", "-c", f'exec "$@" {shell_redirect}', "sh", *command]
    return subprocess.run(
        command,
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=TIMEOUT,
        check=False,
    )


def lines(data: bytes) -> list[str]:
    return data.decode("utf-8", "surrogateescape").splitlines()


def no_traceback(done: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in done.stderr
    assert b"Exception ignored" not in done.stderr


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


# --- 14: a body that is not valid UTF-8 beyond its first line ------------------------------------


def test_undecodable_byte_after_the_first_line_is_invalid_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_bytes(UNDECODABLE)
    (tmp_path / "b.txt").write_bytes(b"OK")
    status, out, err = run(capsys, "validate", str(tmp_path))
    assert (status, err) == (1, "")
    bad, ok, summary = out.splitlines()
    assert bad.startswith(
        f"{tmp_path / 'a.txt'}: invalid [nearest: fmt=0 get all=0 operators=0]: line 2, column 8: "
        "valid under no key; the nearest key says: byte c1 at offset 24 is not valid utf-8"
    )
    assert ok == f"{tmp_path / 'b.txt'}: canonical [fmt=0: OK, valid under every OK operation]"
    assert summary == "2 files: 1 canonical, 0 valid, 1 invalid"
    status, out, _ = run(capsys, "validate", "--json", str(tmp_path / "a.txt"))
    (result,) = [json.loads(line) for line in out.splitlines()]
    assert status == 1
    assert (result["verdict"], result["line"], result["column"], result["offset"]) == (
        "invalid",
        2,
        8,
        24,
    )


def test_undecodable_byte_under_jobs(tmp_path: Path) -> None:
    for name in ("a.txt", "c.txt"):
        (tmp_path / name).write_bytes(UNDECODABLE)
    (tmp_path / "b.txt").write_bytes(b"OK")
    done = cli("validate", "--json", "--jobs", "2", str(tmp_path))
    no_traceback(done)
    assert (done.returncode, done.stderr) == (1, b"")
    results = [json.loads(line) for line in lines(done.stdout)]
    assert [(Path(r["path"]).name, r["verdict"], r.get("offset")) for r in results] == [
        ("a.txt", "invalid", 24),
        ("b.txt", "canonical", None),
        ("c.txt", "invalid", 24),
    ]


def test_sniff_of_an_undecodable_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_bytes(UNDECODABLE)
    status, out, err = run(capsys, "sniff", str(tmp_path / "a.txt"), "-", stdin=b"OK")
    assert (status, err) == (1, "")
    assert out.splitlines()[:2] == [
        f"{tmp_path / 'a.txt'}: not a valid reply under any key",
        "<stdin>:",
    ]


# --- 15: FIFOs, sockets and devices are never opened ---------------------------------------------


def test_fifo_argument_is_unreadable_not_a_hang(fifo: Path) -> None:
    done = cli("validate", str(fifo), str(CAPTURES / "add.fmt3.json"))
    no_traceback(done)
    assert done.returncode == 2
    assert lines(done.stdout) == [
        f"{fifo}: unreadable: not a regular file (a FIFO)",
        f"{CAPTURES / 'add.fmt3.json'}: canonical [fmt=3 add]",
        "2 files: 1 canonical, 0 valid, 0 invalid, 1 unreadable",
    ]
    assert done.stderr == b"smsc-wire validate: error: 1 path could not be read\n"
    done = cli("sniff", str(fifo))
    assert (done.returncode, lines(done.stdout)) == (
        2,
        [f"{fifo}: unreadable: not a regular file (a FIFO)"],
    )
    assert done.stderr == b"smsc-wire sniff: error: 1 path could not be read\n"
    done = cli("convert", "--fmt", "0", "--op", "chg", "--to-fmt", "3", str(fifo))
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode() == (
        f"smsc-wire convert: error: cannot read {str(fifo)!r}: not a regular file (a FIFO)\n"
    )


def test_fifo_inside_a_directory_is_reported(fifo: Path) -> None:
    (fifo.parent / "ok.txt").write_bytes(b"OK")
    done = cli("validate", "--jobs", "2", str(fifo.parent))
    no_traceback(done)
    assert done.returncode == 2
    assert lines(done.stdout) == [
        f"{fifo.parent / 'ok.txt'}: canonical [fmt=0: OK, valid under every OK operation]",
        f"{fifo}: unreadable: not a regular file (a FIFO)",
        "2 files: 1 canonical, 0 valid, 0 invalid, 1 unreadable",
    ]
    assert done.stderr == b"smsc-wire validate: error: 1 path could not be read\n"


def test_devices_are_not_read(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", "/dev/zero", "/dev/null")
    assert status == 2
    assert out.splitlines() == [
        "/dev/zero: unreadable: not a regular file (a character device)",
        "/dev/null: unreadable: not a regular file (a character device)",
        "2 files: 0 canonical, 0 valid, 0 invalid, 2 unreadable",
    ]
    assert err == "smsc-wire validate: error: 2 paths could not be read\n"


def test_a_fifo_swapped_in_after_the_stat_is_not_read(
    fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regular = fifo.parent / "regular.txt"
    regular.write_bytes(b"OK")
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        # The stat sees a regular file; the open then finds the FIFO (a race, made certain).
        return real_stat(regular if path == str(fifo) else path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    with pytest.raises(files.Unreadable, match=r"^not a regular file \(a FIFO\)$"):
        files.load(str(fifo), LIMIT)


# --- 16: the size is checked before reading, and reading is capped ------------------------------


def test_a_huge_sparse_file_is_invalid_without_being_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(1 << 30)

    def no_open(*args: Any, **kwargs: Any) -> int:
        raise AssertionError("opened a file over the limit")

    monkeypatch.setattr(os, "open", no_open)
    message = f"input of {1 << 30} bytes is over the limit of {LIMIT} (max_size)"
    status, out, err = run(capsys, "validate", str(path))
    assert (status, err) == (1, "")
    assert out.splitlines() == [
        f"{path}: invalid: {message}",
        "1 file: 0 canonical, 0 valid, 1 invalid",
    ]
    status, out, _ = run(capsys, "validate", "--fmt", "0", "--op", "get", str(path))
    assert out.splitlines()[0] == f"{path}: invalid [fmt=0 get all=0 operators=0]: {message}"
    status, out, _ = run(capsys, "validate", "--json", str(path))
    assert json.loads(out) == {
        "path": str(path),
        "verdict": "invalid",
        "key": None,
        "error": message,
        "line": None,
        "column": None,
        "offset": LIMIT,
        "excerpt": None,
    }
    status, out, _ = run(capsys, "sniff", str(path))
    assert (status, out) == (1, f"{path}: not a valid reply under any key: {message}\n")
    status, out, err = run(
        capsys, "convert", "--fmt", "0", "--op", "get", "--to-fmt", "3", str(path)
    )
    assert (status, out) == (1, "")
    assert err == f"smsc-wire convert: {path}: invalid [fmt=0 get all=0 operators=0]: {message}\n"


def test_the_limit_itself_is_read_and_one_byte_more_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cli, "MAX_SIZE", 16)
    (tmp_path / "a.txt").write_bytes(b"name = A, id = 1")  # 16 bytes
    (tmp_path / "b.txt").write_bytes(b"name = A, id = 12")
    _, out, _ = run(capsys, "validate", str(tmp_path))
    assert out.splitlines()[:2] == [
        f"{tmp_path / 'a.txt'}: canonical [fmt=0 get all=0 operators=0]",
        f"{tmp_path / 'b.txt'}: invalid: input of 17 bytes is over the limit of 16 (max_size)",
    ]
    # Standard input has no size to check first: at most the limit + 1 bytes are read.
    _, out, _ = run(capsys, "validate", "-", stdin=b"name = A, id = 12")
    assert out.splitlines()[0] == (
        "<stdin>: invalid: input of 17 bytes or more is over the limit of 16 (max_size)"
    )


def test_a_file_that_grows_after_the_stat_is_read_up_to_the_limit_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 100)
    real_stat = os.stat

    def stat(name: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        info = real_stat(name, *args, **kwargs)
        if name != str(path):
            return info
        fields = list(info)
        fields[6] = 5  # st_size as it was before the file grew
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", stat)
    reads: list[int] = []
    real_read = os.read

    def read(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", read)
    with pytest.raises(sw.InputTooLargeError) as caught:
        files.load(str(path), 10)
    assert str(caught.value) == "input of 11 bytes or more is over the limit of 10 (max_size)"
    assert sum(reads) <= 11


def test_endless_standard_input_is_capped() -> None:
    with open("/dev/zero", "rb") as zero:
        done = cli("validate", "-", stdin=zero)
    no_traceback(done)
    assert done.returncode == 1
    assert lines(done.stdout) == [
        f"<stdin>: invalid: input of {LIMIT + 1} bytes or more is over the limit of {LIMIT} "
        "(max_size)",
        "1 file: 0 canonical, 0 valid, 1 invalid",
    ]
    with open("/dev/zero", "rb") as zero:
        done = cli("sniff", "--json", "-", stdin=zero)
    assert (done.returncode, json.loads(done.stdout)["keys"]) == (1, [])


# --- 17: nothing in a directory walk is skipped silently ------------------------------------------


def test_unreadable_subdirectory_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_bytes(b"OK")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inside.txt").write_bytes(b"OK")
    (tmp_path / "z.txt").write_bytes(b"OK")
    real = os.scandir

    def scandir(path: Any) -> Any:
        # chmod 0 does not stop root, so the failure is simulated where the walk lists.
        if path == str(tmp_path / "locked"):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    status, out, err = run(capsys, "validate", str(tmp_path))
    assert status == 2
    assert out.splitlines() == [
        f"{tmp_path / 'a.txt'}: canonical [fmt=0: OK, valid under every OK operation]",
        f"{tmp_path / 'locked'}: unreadable: Permission denied",
        f"{tmp_path / 'z.txt'}: canonical [fmt=0: OK, valid under every OK operation]",
        "3 files: 2 canonical, 0 valid, 0 invalid, 1 unreadable",
    ]
    assert err == "smsc-wire validate: error: 1 path could not be read\n"


def test_broken_links_are_reported_hidden_files_and_links_to_folders_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "ok.txt").write_bytes(b"OK")
    (tmp_path / "d" / "loop").symlink_to("..")  # followed, it would never end
    (tmp_path / "d" / "link.txt").symlink_to("ok.txt")
    (tmp_path / "d" / "broken").symlink_to("nowhere")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_bytes(b"garbage")
    (tmp_path / "d" / ".broken").symlink_to("nowhere")
    status, out, err = run(capsys, "validate", str(tmp_path), str(tmp_path / "d" / "broken"))
    assert status == 2
    assert out.splitlines() == [
        f"{tmp_path / 'd' / 'broken'}: unreadable: broken symbolic link",
        f"{tmp_path / 'd' / 'link.txt'}: canonical [fmt=0: OK, valid under every OK operation]",
        f"{tmp_path / 'd' / 'ok.txt'}: canonical [fmt=0: OK, valid under every OK operation]",
        f"{tmp_path / 'd' / 'broken'}: unreadable: broken symbolic link",
        "4 files: 2 canonical, 0 valid, 0 invalid, 2 unreadable",
    ]
    assert err == "smsc-wire validate: error: 2 paths could not be read\n"


def test_a_deep_tree_is_walked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Deeper than the recursion limit: the walk keeps its own stack.
    made: list[Path] = []
    deep = tmp_path
    try:
        for _ in range(sys.getrecursionlimit() + 10):
            deep = deep / "d"
            deep.mkdir()
            made.append(deep)
        (deep / "ok.txt").write_bytes(b"OK")
        status, out, _ = run(capsys, "validate", str(tmp_path))
        assert status == 0
        assert out.splitlines()[-1] == "1 file: 1 canonical, 0 valid, 0 invalid"
    finally:
        # pytest's own clean-up recurses, and would fail on this tree.
        (deep / "ok.txt").unlink(missing_ok=True)
        for folder in reversed(made):
            folder.rmdir()


@pytest.mark.parametrize("top", [".", "./", "s", "s/", "./s//t/", "s/t", "ABS", "ABS/", "ABS//s/"])
def test_walked_paths_are_written_as_pathlib_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, top: str
) -> None:
    (tmp_path / "s" / "t").mkdir(parents=True)
    (tmp_path / "s" / "t" / "f").write_bytes(b"OK")
    (tmp_path / "g").write_bytes(b"OK")
    monkeypatch.chdir(tmp_path)
    top = top.replace("ABS", str(tmp_path))
    under = sorted(
        os.path.relpath(os.path.join(folder, name), top).split(os.sep)
        for folder, _, names in os.walk(top)
        for name in names
    )
    assert files.walk(top) == [(str(Path(top, *parts)), None) for parts in under]


# --- 18: no tracebacks, ever ---------------------------------------------------------------------


def test_charset_that_python_cannot_read_bytes_with(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("name = Ёлка, id = 1\nname = B, id = 2".encode())
    done = cli("validate", "--charset", "idna", str(path), str(CAPTURES / "add.fmt3.json"))
    no_traceback(done)
    # Either the charset is refused (a usage error) or the file is judged: never a crash.
    assert done.returncode in (1, 2)
    if done.returncode == 2:
        assert done.stdout == b""
        assert len(lines(done.stderr)) == 1
    else:
        assert lines(done.stdout)[-1] == "2 files: 1 canonical, 0 valid, 1 invalid"


def test_an_internal_error_costs_one_file_and_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_bytes(b"OK")
    (tmp_path / "b.txt").write_bytes(b"OK")
    (tmp_path / "c.txt").write_bytes(b"name = A, id = x")
    real = _cli.judge

    def judge(path: str, *args: Any) -> sw.Verdict:
        if path.endswith("b.txt"):
            raise UnicodeError("boom\nsecond line")
        return real(path, *args)

    monkeypatch.setattr(_cli, "judge", judge)
    b = tmp_path / "b.txt"
    expected_err = (
        f"smsc-wire validate: internal error while processing {str(b)!r}: UnicodeError: boom "
        f"second line; {BUG}\n"
    )
    for jobs in ("1", "2"):  # worker processes are forked: they see the patched judge
        status, out, err = run(capsys, "validate", "--jobs", jobs, str(tmp_path))
        assert status == 2  # not 1: the run went wrong, whatever the files say
        assert out.splitlines() == [
            f"{tmp_path / 'a.txt'}: canonical [fmt=0: OK, valid under every OK operation]",
            f"{b}: internal error: UnicodeError: boom second line",
            f"{tmp_path / 'c.txt'}: invalid [nearest: fmt=0 get all=0 operators=0]: line 1, "
            "column 16: valid under no key; the nearest key says: expected the id (digits), "
            "found 'x': 'name = A, id = x'",
            "3 files: 1 canonical, 0 valid, 1 invalid, 1 internal error",
        ]
        assert err == expected_err
    status, out, err = run(capsys, "validate", "--json", "--quiet", str(tmp_path))
    assert [json.loads(line)["verdict"] for line in out.splitlines()] == ["error", "invalid"]
    assert err == expected_err


def test_a_worker_that_dies_ends_the_run_with_one_line(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_bytes(b"OK")
    # The workers are forked from this process, so they run the patched judge.
    script = (
        "import os, sys\n"
        "from smsc_wire._tools import cli as _cli\n"
        "real = _cli.judge\n"
        "def judge(path, *args):\n"
        "    if path.endswith('b.txt'):\n"
        "        os._exit(3)\n"
        "    return real(path, *args)\n"
        "_cli.judge = judge\n"
        "sys.exit(_cli.main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "validate", "--jobs", "2", str(tmp_path)],
        capture_output=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    no_traceback(done)
    assert done.returncode == 2
    (line,) = lines(done.stderr)
    assert line.startswith("smsc-wire validate: internal error: a worker process died while ")
    assert line.endswith(f"; {BUG}")


def test_several_internal_errors_and_unreadable_files_still_make_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_bytes(b"OK")
    (tmp_path / "d").symlink_to("nowhere")

    def judge(*args: Any) -> dict[str, Any]:
        raise MemoryError

    monkeypatch.setattr(_cli, "judge", judge)
    status, out, err = run(capsys, "validate", str(tmp_path))
    assert status == 2
    assert (
        out.splitlines()[-1]
        == "4 files: 0 canonical, 0 valid, 0 invalid, 1 unreadable, 3 internal errors"
    )
    assert err == (
        f"smsc-wire validate: internal error while processing {str(tmp_path / 'a.txt')!r} "
        f"(and 2 other files): MemoryError; {BUG}; 1 path could not be read\n"
    )


def boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom")


def test_internal_errors_in_sniff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"OK")
    monkeypatch.setattr(_cli, "matches", boom)
    status, out, err = run(capsys, "sniff", str(path), str(path))
    assert status == 2
    assert out.splitlines() == [f"{path}: internal error: RuntimeError: boom"] * 2
    assert err == (
        f"smsc-wire sniff: internal error while processing {str(path)!r} (and 1 other file): "
        f"RuntimeError: boom; {BUG}\n"
    )
    status, out, err = run(capsys, "sniff", "--json", str(path))
    assert json.loads(out) == {
        "path": str(path),
        "keys": None,
        "internal_error": "RuntimeError: boom",
    }


def test_internal_error_in_convert(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"OK")
    monkeypatch.setattr(_cli, "decode", boom)
    status = main(["convert", "--fmt", "0", "--op", "chg", "--to-fmt", "3", str(path)])
    out, err = capsysbinary.readouterr()
    assert (status, out) == (2, b"")
    assert err.decode() == (
        f"smsc-wire convert: internal error while processing {str(path)!r}: RuntimeError: boom; "
        f"{BUG}\n"
    )


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    """A file whose name is not UTF-8, and an excerpt in Cyrillic."""
    folder = tmp_path / "odd"
    folder.mkdir()
    (Path(os.fsdecode(bytes(folder) + b"/\xff.txt"))).write_bytes(b"OK")
    (folder / "bad.txt").write_bytes("name = Ёл, id = x".encode())
    return folder


def test_a_strict_ascii_stdout_gets_escapes(odd_names: Path) -> None:
    env = {"PYTHONIOENCODING": "ascii:strict"}
    done = cli("validate", str(odd_names), env=env)
    no_traceback(done)
    assert (done.returncode, done.stderr) == (1, b"")
    assert done.stdout.decode("ascii").splitlines() == [
        f"{odd_names / 'bad.txt'}: invalid [nearest: fmt=0 get all=0 operators=0]: line 1, "
        "column 17: valid under no key; the nearest key says: expected the id (digits), found "
        "'x': 'name = \\u0401\\u043b, id = x'",
        f"{odd_names}/\\xff.txt: canonical [fmt=0: OK, valid under every OK operation]",
        "2 files: 1 canonical, 0 valid, 1 invalid",
    ]
    done = cli("validate", "--json", str(odd_names), env=env)
    no_traceback(done)
    paths = [json.loads(line)["path"] for line in done.stdout.decode("ascii").splitlines()]
    assert [os.fsencode(path) for path in paths] == [
        bytes(odd_names / "bad.txt"),
        bytes(odd_names) + b"/\xff.txt",
    ]
    done = cli("sniff", str(odd_names), env=env)
    no_traceback(done)
    assert (done.returncode, done.stderr) == (1, b"")
    assert f"{odd_names}/\\xff.txt:" in done.stdout.decode("ascii").splitlines()


def test_a_c_locale_writes_the_name_s_own_bytes(odd_names: Path) -> None:
    done = cli("validate", str(odd_names), env={"LC_ALL": "C", "PYTHONIOENCODING": ""})
    no_traceback(done)
    assert done.returncode == 1
    assert (
        bytes(odd_names) + b"/\xff.txt: canonical [fmt=0: OK, valid under every OK operation]\n"
        in done.stdout
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", str(CAPTURES)],
        ["validate", "--json", str(CAPTURES)],
        ["sniff", str(CAPTURES)],
        ["convert", "--fmt", "3", "--op", "add", "--to-fmt", "0", str(CAPTURES / "add.fmt3.json")],
        ["--version"],
        ["validate", "--help"],
    ],
)
def test_a_full_stdout_is_one_line_and_exit_2(argv: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = cli(*argv, stdout=full)
    no_traceback(done)
    command = f" {argv[0]}" if not argv[0].startswith("-") else ""
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"smsc-wire{command}: error: cannot write to standard output: No space left on device\n"
    )


def test_a_full_stdout_when_fixtures_are_written(tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        done = cli("fixtures", str(tmp_path / "fx"), "--count", "0", stdout=full)
    no_traceback(done)
    assert done.returncode == 2
    assert done.stderr == (
        b"smsc-wire fixtures: error: cannot write to standard output: No space left on device\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["convert", "--fmt", "3", "--op", "add", "--to-fmt", "0", str(CAPTURES / "add.fmt3.json")],
        ["validate", str(CAPTURES / "add.fmt3.json")],
        ["sniff", str(CAPTURES / "add.fmt3.json")],
    ],
)
def test_a_closed_stdout_is_one_line_and_exit_2(argv: list[str]) -> None:
    done = cli(*argv, stdout=None, shell_redirect=">&-")
    no_traceback(done)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"smsc-wire {argv[0]}: error: cannot write to standard output: it is closed\n"
    )


def test_a_reader_that_leaves_is_not_an_error(tmp_path: Path) -> None:
    assert main(["fixtures", str(tmp_path / "fx"), "--count", "1"]) == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "smsc_wire", "validate", "--json", str(tmp_path / "fx")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # `| head -1`
    assert process.wait(timeout=TIMEOUT) == 0
    assert process.stderr.read() == b""
    process.stderr.close()


def test_stdin_closed_is_unreadable() -> None:
    done = cli("validate", "-", stdin=None, shell_redirect="<&-")
    no_traceback(done)
    assert done.returncode == 2
    assert lines(done.stdout) == [
        "<stdin>: unreadable: standard input is closed",
        "1 file: 0 canonical, 0 valid, 0 invalid, 1 unreadable",
    ]
    assert done.stderr == b"smsc-wire validate: error: 1 path could not be read\n"


def test_fixtures_under_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_bytes(b"")
    target = tmp_path / "file" / "sub"
    status, out, err = run(capsys, "fixtures", str(target))
    assert (status, out) == (2, "")
    assert err == f"smsc-wire fixtures: error: cannot write {str(target)!r}: Not a directory\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["validate", ""],
            "smsc-wire validate: error: an empty path names no file (use . for this folder)",
        ),
        (
            ["validate", str(CAPTURES), ""],
            "smsc-wire validate: error: an empty path names no file (use . for this folder)",
        ),
        (
            ["sniff", ""],
            "smsc-wire sniff: error: an empty path names no file (use . for this folder)",
        ),
        (
            ["convert", "--fmt", "0", "--op", "chg", "--to-fmt", "3", ""],
            "smsc-wire convert: error: an empty path names no file",
        ),
        (["fixtures", ""], "smsc-wire fixtures: error: an empty path names no directory"),
    ],
)
def test_an_empty_path_is_a_usage_error(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, *argv) == (2, "", message + "\n")


# --- standard output in batches (issue 12): one write per batch, order kept --------------------


class _CountingStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.writes = 0
        self.tty = tty

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("tty", "most_writes"), [(False, 3), (True, 601)])
def test_lines_are_written_in_batches_unless_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tty: bool, most_writes: int
) -> None:
    for i in range(600):
        (tmp_path / f"{i:03}.txt").write_bytes(b"OK")
    # Time stands still: only the line count (256) ends a batch.
    monkeypatch.setattr(_cli, "time", SimpleNamespace(monotonic=lambda: 0.0))
    stream = _CountingStream(tty)
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["validate", "--jobs", "1", str(tmp_path)]) == 0
    out = stream.getvalue().splitlines()
    assert len(out) == 601 and out[-1] == "600 files: 600 canonical, 0 valid, 0 invalid"
    assert out[:600] == [
        f"{tmp_path / f'{i:03}.txt'}: canonical [fmt=0: OK, valid under every OK operation]"
        for i in range(600)
    ]
    assert stream.writes == most_writes  # 256 + 256 + 89 lines, or one write per line


def test_a_batch_is_written_once_its_time_is_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_bytes(b"OK")
    clock = iter([0.0, 0.0, 1.0, 1.0, 1.0, 1.0])  # the 2nd line comes after 50 ms
    monkeypatch.setattr(_cli, "time", SimpleNamespace(monotonic=lambda: next(clock, 1.0)))
    stream = _CountingStream(tty=False)
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["validate", "--jobs", "1", "--quiet", str(tmp_path)]) == 0
    assert stream.writes == 1 and stream.getvalue() == "3 files: 3 canonical, 0 valid, 0 invalid\n"
    stream = _CountingStream(tty=False)
    clock = iter([0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["sniff", "--json", *(str(tmp_path / f"{i}.txt") for i in range(3))]) == 0
    assert [json.loads(line)["path"] for line in stream.getvalue().splitlines()] == [
        str(tmp_path / f"{i}.txt") for i in range(3)
    ]
    assert stream.writes == 2  # the first two lines when the time was up, then the last


def test_batched_lines_come_before_the_error_line(tmp_path: Path) -> None:
    # stdout and stderr into one pipe: every verdict line, then the one line of exit status 2.
    for i in range(300):
        (tmp_path / f"{i:03}.txt").write_bytes(b"OK")
    os.mkfifo(tmp_path / "zzz")  # never opened: unreadable, and the run ends in status 2
    done = subprocess.run(
        [sys.executable, "-m", "smsc_wire", "validate", "--jobs", "1", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT, timeout=TIMEOUT, check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    out = lines(done.stdout)
    assert done.returncode == 2
    assert len(out) == 303
    assert all(line.endswith("canonical [fmt=0: OK, valid under every OK operation]")
               for line in out[:300])  # fmt: skip
    assert out[300].startswith(f"{tmp_path / 'zzz'}: unreadable")
    assert out[301] == "301 files: 300 canonical, 0 valid, 0 invalid, 1 unreadable"
    assert out[302].startswith("smsc-wire validate: error: ")
