"""The ``smsc-wire`` command line, run in-process through ``main(argv)`` and once as a process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_run import run

import smsc_wire as sw
from smsc_wire._tools import cli as _cli
from smsc_wire._tools.cli import main

CAPTURES = Path(__file__).parent.parent / "examples" / "captures"
KEY_FIELDS = {"fmt", "operation", "all", "operators"}


def jsonl(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of every verdict, nested, with a hidden file that must be skipped."""
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "a.txt").write_bytes(b"name = Shop, Inc, status = 1, id = 4021")
    (tmp_path / "b" / "crlf.txt").write_bytes(b"name = A, id = 1\r\nname = B, id = 2")
    (tmp_path / "b" / "deep" / "bad.json").write_bytes(b'[{\n"sender": "A",\n"id": -1\n}]')
    (tmp_path / "b" / "z.xml").write_bytes(b'<?xml version="1.0"?>\n<result>OK</result>')
    (tmp_path / ".hidden").write_bytes(b"garbage")
    return tmp_path


# --- validate -----------------------------------------------------------------------------------


def test_validate_examples_human(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", str(CAPTURES))
    assert status == 1  # the invalid sample
    assert err == ""
    lines = out.splitlines()
    assert lines[-1] == "11 files: 8 canonical, 2 valid, 1 invalid, 1 other HAR entry skipped"
    by_name = {line.split(":")[0].rsplit("/", 1)[-1]: line for line in lines[:-1]}
    assert by_name["get_all.fmt0.txt"].endswith(": canonical [fmt=0 get all=1 operators=0]")
    assert by_name["get_operators.fmt2.xml"].endswith("canonical [fmt=2 get all=0 operators=1]")
    assert by_name["add.fmt3.json"].endswith("canonical [fmt=3 add]")
    assert by_name["get.fmt1.csv"].endswith("canonical [fmt=1 get all=0 operators=0]")
    noncanonical = by_name["get_all.fmt3.noncanonical.json"]
    assert ": valid [fmt=3 get all=1 operators=0]: differs from the canonical form at line 1, " in (
        noncanonical
    )
    assert 'column 3 (offset 2): found \'"sender":"SMSC"' in noncanonical
    invalid = by_name["get_all.fmt0.invalid.txt"]
    assert ": invalid [nearest: fmt=0 get all=1 operators=0]: line 2, column 31: " in invalid
    assert "valid under no key; the nearest key says: id '99999999999999999999' is over" in invalid


def test_validate_walks_directories_in_sorted_order(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "validate", "--json", str(corpus))
    results = jsonl(out)
    assert [Path(str(r["path"])).relative_to(corpus).as_posix() for r in results] == [
        "a.txt",
        "b/crlf.txt",
        "b/deep/bad.json",
        "b/z.xml",
    ]
    assert [r["verdict"] for r in results] == ["canonical", "valid", "invalid", "valid"]
    assert status == 1


def test_validate_json_fields(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "validate", "--json", str(corpus))
    canonical, crlf, bad, ok = jsonl(out)
    for result in (canonical, crlf, bad, ok):
        assert {"path", "verdict", "key"} <= set(result)
        key = result["key"]
        assert isinstance(key, dict)
        assert set(key) == KEY_FIELDS
    assert canonical["key"] == {"fmt": 0, "operation": "get", "all": True, "operators": False}
    assert canonical["key_source"] == "sniffed"
    assert crlf["difference"] == {
        "line": 1,
        "column": 17,
        "offset": 16,
        "found": "\r\nname = B, id = 2",
        "expected": "\nname = B, id = 2",
    }
    assert bad["key"] == {"fmt": 3, "operation": "get", "all": False, "operators": False}
    assert bad["key_source"] == "nearest"
    assert bad["line"] == 3
    # The JSON codec points at the member that holds the bad value.
    assert bad["column"] == 1
    assert bad["offset"] == 18
    assert isinstance(bad["error"], str)
    assert bad["error"].startswith("valid under no key; the nearest key says: ")
    assert ok["key"] == {"fmt": 2, "operation": "chg", "all": False, "operators": False}


def test_validate_under_a_given_key(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(CAPTURES / "get_all.fmt0.txt")
    status, out, _ = run(capsys, "validate", "--json", "--fmt", "0", "--op", "get", "--all", path)
    (result,) = jsonl(out)
    assert status == 0
    assert result["verdict"] == "canonical"
    assert result["key_source"] == "given"
    # Under fmt 3 the same file is invalid at its first character.
    status, out, _ = run(capsys, "validate", "--json", "--fmt", "3", "--op", "get", path)
    (result,) = jsonl(out)
    assert status == 1
    assert result["verdict"] == "invalid"
    assert (result["line"], result["column"], result["offset"]) == (1, 1, 0)
    assert result["error"] == "invalid JSON: invalid literal, expected 'null'"


def test_validate_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "-", stdin=b"ERROR = 3 (record not found)\n")
    assert status == 0
    assert out == (
        "<stdin>: valid [fmt=0: an error reply, valid under every key]: differs from the canonical form at line 1,"
        " column 29 (offset 28): found '\\n', expected the end of the text\n"
        "1 file: 0 canonical, 1 valid, 0 invalid\n"
    )


def test_stdin_is_named_the_same_in_every_output(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "validate", "--json", "-", stdin=b"OK")
    assert jsonl(out)[0]["path"] == "<stdin>"
    _, out, _ = run(capsys, "sniff", "--json", "-", stdin=b"OK")
    assert jsonl(out)[0]["path"] == "<stdin>"
    _, out, _ = run(capsys, "sniff", "-", stdin=b"OK")
    assert out.splitlines()[0] == "<stdin>:"


def test_quiet_lists_only_the_files_that_need_attention(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "b" / "missing").symlink_to("nowhere")
    _, everything, _ = run(capsys, "validate", str(corpus))
    bad = str(corpus / "b" / "deep" / "bad.json")
    (invalid,) = [line for line in everything.splitlines() if line.startswith(bad + ": ")]
    assert invalid.startswith(f"{bad}: invalid [nearest: fmt=3 get all=0 operators=0]: line 3")
    for flag in ("--quiet", "-q"):
        status, out, err = run(capsys, "validate", flag, str(corpus))
        assert status == 2
        assert out.splitlines() == [
            invalid,
            f"{corpus / 'b' / 'missing'}: unreadable: broken symbolic link",
            "5 files: 1 canonical, 2 valid, 1 invalid, 1 unreadable",
        ]
        assert err == "smsc-wire validate: error: 1 path could not be read\n"
    status, out, _ = run(capsys, "validate", "--quiet", "--json", str(corpus))
    assert [(Path(str(r["path"])).name, r["verdict"]) for r in jsonl(out)] == [
        ("bad.json", "invalid"),
        ("missing", "unreadable"),
    ]
    (corpus / "b" / "missing").unlink()
    assert run(capsys, "validate", "-q", str(corpus / "a.txt")) == (
        0,
        "1 file: 1 canonical, 0 valid, 0 invalid\n",
        "",
    )


def test_validate_charset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cp1251.txt"
    path.write_bytes("name = Ёлка, id = 1".encode("windows-1251"))
    status, out, _ = run(capsys, "validate", "--json", "--charset", "windows-1251", str(path))
    assert status == 0
    assert jsonl(out)[0]["verdict"] == "canonical"
    status, out, _ = run(capsys, "validate", "--json", "--fmt", "0", "--op", "get", str(path))
    (result,) = jsonl(out)
    assert status == 1
    assert result["offset"] == 7
    assert str(result["error"]).startswith("byte ")


def test_jobs_gives_the_same_results_as_a_serial_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fixtures", str(tmp_path / "fx"), "--count", "1"]) == 0
    (tmp_path / "fx" / "fmt0" / "zz-bad.txt").write_bytes(b"name = A, id = x")
    (tmp_path / "fx" / "fmt3" / "zz-compact.json").write_bytes(b'{"sender":1}')
    capsys.readouterr()
    serial = run(capsys, "validate", "--json", str(tmp_path / "fx" / "fmt0"), str(tmp_path / "fx"))
    parallel = run(
        capsys,
        "validate",
        "--json",
        "--jobs",
        "2",
        str(tmp_path / "fx" / "fmt0"),
        str(tmp_path / "fx"),
    )
    assert parallel == serial
    status, out, _ = serial
    verdicts = [r["verdict"] for r in jsonl(out)]
    assert status == 1
    # zz-bad twice; manifest.jsonl is the folder's context, never judged itself (issue 10)
    assert verdicts.count("invalid") == 2
    assert verdicts.count("valid") == 1
    assert len(verdicts) > 600


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert _cli._progress(10_000) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert _cli._progress(3) is None
    bar = _cli._progress(10_000)
    assert bar is not None
    bar.close()
    # Without the optional tqdm there is simply no bar.
    monkeypatch.setitem(sys.modules, "tqdm", None)
    assert _cli._progress(10_000) is None


# --- sniff --------------------------------------------------------------------------------------


def test_sniff_human_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(CAPTURES / "get_all.fmt3.noncanonical.json")
    status, out, _ = run(capsys, "sniff", path)
    assert status == 0
    assert out == (
        f"{path}:\n  valid      fmt=3 get all=1 operators=0\n  valid      fmt=3 get all=1 operators=1\n"
    )
    status, out, _ = run(capsys, "sniff", "--json", str(CAPTURES / "get_all.fmt0.txt"))
    (result,) = jsonl(out)
    keys = result["keys"]
    assert isinstance(keys, list)
    assert keys[0] == {
        "fmt": 0,
        "operation": "get",
        "all": True,
        "operators": False,
        "canonical": True,
    }
    assert [sw.Key(**{f: k[f] for f in KEY_FIELDS}) for k in keys] == sw.sniff(
        (CAPTURES / "get_all.fmt0.txt").read_bytes()
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("get_all.fmt0.txt", 0),
        ("get.fmt1.csv", 1),
        ("get_operators.fmt2.xml", 2),
        ("add.fmt3.json", 3),
    ],
)
def test_sniff_each_fmt(name: str, fmt: int, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "sniff", "--json", str(CAPTURES / name))
    keys = jsonl(out)[0]["keys"]
    assert isinstance(keys, list)
    assert status == 0
    assert keys[0]["fmt"] == fmt
    assert keys[0]["canonical"] is True


def test_sniff_of_garbage(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "sniff", "-", stdin=b"<html>502</html>")
    assert status == 1
    assert out == "<stdin>: not a valid reply under any key\n"


# --- convert ------------------------------------------------------------------------------------


def convert(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, str]:
    status = main(["convert", *argv])
    out, err = capsysbinary.readouterr()
    return status, out, err.decode()


def test_convert_fmt0_to_fmt3(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = str(CAPTURES / "get_all.fmt0.txt")
    status, out, err = convert(
        capsysbinary, "--fmt", "0", "--op", "get", "--all", "--to-fmt", "3", path
    )
    assert (status, err) == (0, "")
    source, target = sw.Key(fmt=0, operation="get", all=True), sw.Key(3, "get", all=True)
    assert out.decode() == sw.encode(sw.decode(Path(path).read_bytes(), source), target) + "\n"
    assert out.startswith(b'[{\n"sender": "Shop, Inc",\n"status": 1,\n"id": 4021\n}')


def test_convert_writes_a_line_and_exact_writes_the_canonical_bytes_only(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    path = str(CAPTURES / "get_all.fmt0.txt")
    argv = ["--fmt", "0", "--op", "get", "--all", "--to-fmt", "1", path]
    canonical = sw.encode(
        sw.decode(Path(path).read_bytes(), sw.Key(0, "get", all=True)), sw.Key(1, "get", all=True)
    ).encode()
    assert canonical.startswith(b"Shop, Inc,1,4021\n") and not canonical.endswith(b"\n")
    assert convert(capsysbinary, *argv) == (0, canonical + b"\n", "")
    assert convert(capsysbinary, "--exact", *argv) == (0, canonical, "")


def test_convert_fmt1_error_needs_a_description(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = str(CAPTURES / "del_error.fmt1.csv")
    status, out, err = convert(capsysbinary, "--fmt", "1", "--op", "del", "--to-fmt", "0", path)
    assert (status, out) == (2, b"")
    assert err == (
        "smsc-wire convert: error: the error reply (code 3) has no description (fmt 1 carries "
        "none) and fmt 0 needs one: pass --description TEXT\n"
    )
    status, out, err = convert(
        capsysbinary,
        "--fmt",
        "1",
        "--op",
        "del",
        "--to-fmt",
        "0",
        "--description",
        "record not found",
        path,
    )
    assert (status, out, err) == (0, b"ERROR = 3 (record not found)\n", "")


def test_convert_to_fmt1_drops_a_description_only_when_asked(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    sys.stdin = io.TextIOWrapper(io.BytesIO(b'{\n"error": "save error",\n"error_code": 5\n}'))
    try:
        status, out, err = convert(capsysbinary, "--fmt", "3", "--op", "chg", "--to-fmt", "1")
    finally:
        sys.stdin = sys.__stdin__
    assert (status, out) == (2, b"")
    assert err == (
        "smsc-wire convert: error: fmt 1 error replies carry no description: pass "
        "--drop-description to drop 'save error'\n"
    )
    sys.stdin = io.TextIOWrapper(io.BytesIO(b'{\n"error": "save error",\n"error_code": 5\n}'))
    try:
        status, out, err = convert(
            capsysbinary, "--fmt", "3", "--op", "chg", "--to-fmt", "1", "--drop-description", "-"
        )
    finally:
        sys.stdin = sys.__stdin__
    assert (status, out, err) == (0, b"0,-5\n", "")


def test_convert_invalid_input(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = str(CAPTURES / "get_all.fmt0.invalid.txt")
    status, out, err = convert(
        capsysbinary, "--fmt", "0", "--op", "get", "--all", "--to-fmt", "3", path
    )
    assert (status, out) == (1, b"")
    assert err.startswith(
        f"smsc-wire convert: {path}: invalid [fmt=0 get all=1 operators=0]: line 2,"
    )
    assert err.count("\n") == 1


def test_convert_model_the_target_cannot_hold(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "ctl.json"
    path.write_bytes(b'[{\n"sender": "A\\u0001",\n"id": 1\n}]')  # fine in JSON, not in XML 1.0
    status, out, err = convert(
        capsysbinary, "--fmt", "3", "--op", "get", "--to-fmt", "2", str(path)
    )
    assert (status, out) == (1, b"")
    assert err.startswith("smsc-wire convert: error: cannot write this reply as fmt=2 get all=0")
    assert err.count("\n") == 1


# --- usage errors: one line on stderr, exit 2, never a traceback ---------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["validate", "no/such/file"],
            "smsc-wire validate: error: no such file or directory: 'no/such/file'",
        ),
        (
            ["validate", "--charset", "klingon", str(CAPTURES)],
            "smsc-wire validate: error: unknown charset 'klingon': expected a text encoding such as "
            "utf-8, windows-1251 or koi8-r",
        ),
        (
            ["validate", "--fmt", "7", "--op", "get", str(CAPTURES)],
            "smsc-wire validate: error: fmt=7 get all=0 operators=0: no codec for fmt 7: the "
            "documented fmts are 0, 1, 2, 3",
        ),
        (
            ["validate", "--fmt", "1", "--op", "get", "--operators", str(CAPTURES)],
            "smsc-wire validate: error: fmt=1 get all=0 operators=1: fmt 1 has no documented form "
            "with operators=1 (SPEC D1); ask the server for fmt 0, 2, 3 instead",
        ),
        (
            ["validate", "--fmt", "-1", "--op", "get", str(CAPTURES)],
            "smsc-wire validate: error: fmt must be a non-negative int, not -1",
        ),
        (
            ["validate", "--fmt", "1", str(CAPTURES)],
            "smsc-wire validate: error: --fmt needs --op as well",
        ),
        (
            ["validate", "--op", "get", str(CAPTURES)],
            "smsc-wire validate: error: --op needs --fmt as well",
        ),
        (
            ["validate", "--all", str(CAPTURES)],
            "smsc-wire validate: error: --all and --operators need --fmt and --op",
        ),
        (
            ["validate", "--fmt", "0", "--op", "add", "--all", str(CAPTURES)],
            "smsc-wire validate: error: --all applies to --op get only, not to --op add",
        ),
        (
            ["validate", "--fmt", "3", "--op", "del", "--operators", str(CAPTURES)],
            "smsc-wire validate: error: --operators applies to --op get only, not to --op del",
        ),
        (
            ["convert", "--fmt", "0", "--op", "chg", "--all", "--operators", "--to-fmt", "3"],
            "smsc-wire convert: error: --all and --operators apply to --op get only, not to "
            "--op chg",
        ),
        (
            ["validate", "--jobs", "-3", str(CAPTURES)],
            "smsc-wire validate: error: --jobs must be 0 (every CPU) or more",
        ),
        (
            ["validate", "--fmt", "x", "--op", "get", "f"],
            "smsc-wire validate: error: argument --fmt: invalid int value: 'x' "
            "(see smsc-wire validate --help)",
        ),
        (
            ["validate", "--op", "list", "f"],
            "smsc-wire validate: error: argument --op: invalid choice: 'list' (choose from 'get', "
            "'add', 'chg', 'send_code', 'check_code', 'del') (see smsc-wire validate --help)",
        ),
        (
            ["validate"],
            "smsc-wire validate: error: the following arguments are required: PATH "
            "(see smsc-wire validate --help)",
        ),
        (
            [],
            "smsc-wire: error: the following arguments are required: COMMAND (see smsc-wire --help)",
        ),
        (
            ["sniff", "missing.txt"],
            "smsc-wire sniff: error: no such file or directory: 'missing.txt'",
        ),
        (
            ["convert", "--to-fmt", "3", "x"],
            "smsc-wire convert: error: the following arguments are required: --fmt, --op "
            "(see smsc-wire convert --help)",
        ),
        (
            ["convert", "--fmt", "0", "--to-fmt", "3", "x"],
            "smsc-wire convert: error: the following arguments are required: --op "
            "(see smsc-wire convert --help)",
        ),
        (
            ["convert", "--fmt", "0", "--op", "get", "--operators", "--to-fmt", "1", "x"],
            "smsc-wire convert: error: fmt=1 get all=0 operators=1: fmt 1 has no documented form "
            "with operators=1 (SPEC D1); ask the server for fmt 0, 2, 3 instead",
        ),
        (
            ["convert", "--fmt", "0", "--op", "get", "--to-fmt", "3", "missing.txt"],
            "smsc-wire convert: error: no such file: 'missing.txt'",
        ),
        (
            ["convert", "--fmt", "0", "--op", "get", "--to-fmt", "3", str(CAPTURES)],
            f"smsc-wire convert: error: {str(CAPTURES)!r} is a directory; convert reads one file",
        ),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err == message + "\n"


def test_unreadable_file_is_listed_and_exits_2_with_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.txt"
    path.write_bytes(b"OK")
    real = os.open

    def fake_open(name: object, flags: int, *args: Any, **kwargs: Any) -> int:
        # chmod 0 does not stop root, so the failure is simulated where the CLI opens.
        if name == str(path):
            raise PermissionError(13, "Permission denied")
        return real(name, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)
    status, out, err = run(capsys, "validate", str(path), str(CAPTURES / "add.fmt3.json"))
    assert status == 2
    assert out.splitlines()[0] == f"{path}: unreadable: Permission denied"
    assert out.splitlines()[-1] == "2 files: 1 canonical, 0 valid, 0 invalid, 1 unreadable"
    assert err == "smsc-wire validate: error: 1 path could not be read\n"
    status, out, err = run(capsys, "validate", "--json", str(path))
    assert (status, jsonl(out)) == (
        2,
        [{"path": str(path), "verdict": "unreadable", "error": "Permission denied"}],
    )
    assert err == "smsc-wire validate: error: 1 path could not be read\n"
    # sniff lists it in its stream too, and goes on with the other files.
    status, out, err = run(capsys, "sniff", str(path), str(CAPTURES / "add.fmt3.json"))
    assert status == 2
    assert out.splitlines()[:2] == [
        f"{path}: unreadable: Permission denied",
        f"{CAPTURES / 'add.fmt3.json'}:",
    ]
    assert err == "smsc-wire sniff: error: 1 path could not be read\n"
    status, out, err = run(capsys, "sniff", "--json", str(path))
    assert (status, jsonl(out)) == (
        2,
        [{"path": str(path), "keys": None, "unreadable": "Permission denied"}],
    )
    status, out, err = run(
        capsys, "convert", "--fmt", "0", "--op", "chg", "--to-fmt", "3", str(path)
    )
    assert (status, out) == (2, "")
    assert err == f"smsc-wire convert: error: cannot read {str(path)!r}: Permission denied\n"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"smsc-wire {sw.__version__}\n", "")


def test_convert_help_shows_fmt_and_op_as_required(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "convert", "--help")
    assert status == 0
    usage = " ".join(out.split("\n\n", 1)[0].split())
    assert usage.startswith("usage: smsc-wire convert [-h] --fmt N --op OP [--all] [--operators]")
    assert "--to-fmt M" in usage
    assert "--exact" in out


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "--help")
    assert status == 0
    assert "--jobs N" in out


# --- as a process -------------------------------------------------------------------------------


def test_python_m_smsc_wire(tmp_path: Path) -> None:
    root = Path(__file__).parent.parent
    ok = subprocess.run(
        [sys.executable, "-m", "smsc_wire", "validate", "--json", str(CAPTURES / "add.fmt3.json")],
        capture_output=True,
        cwd=root,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["verdict"] == "canonical"
    bad = subprocess.run(
        [sys.executable, "-m", "smsc_wire", "validate", str(tmp_path / "missing")],
        capture_output=True,
        cwd=root,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == b""
    assert bad.stderr.decode() == (
        f"smsc-wire validate: error: no such file or directory: {str(tmp_path / 'missing')!r}\n"
    )


# --- the README --------------------------------------------------------------------------------


def test_readme_sdk_example_runs() -> None:
    path = Path(__file__).parent.parent / "README.md"
    readme = path.read_text(encoding="utf-8")
    section = readme.split("## Testing your SDK with smsc_wire", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    # Padded to the block's own lines: hypothesis reads the test's source through its file name.
    padding = "\n" * readme[: readme.index(code)].count("\n")
    namespace: dict[str, object] = {}
    exec(compile(padding + code, str(path), "exec"), namespace)
    test = namespace["test_sdk_reads_every_reply"]
    assert callable(test)
    test()  # hypothesis runs it over replies of every shape


def test_readme_command_line_output_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ smsc-wire validate examples/captures\n", 1)[1].split("$ echo", 1)[0]
    root = Path(__file__).parent.parent
    status, out, _ = run(capsys, "validate", str(CAPTURES))
    assert status == 1
    assert out.replace(str(root) + "/", "") == block
