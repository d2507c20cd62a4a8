"""Captures judged in context (SPEC D13, D14): HAR files, ``--url``, fixture manifests, sniffing.

Strategy: each context gives the key and charset a body is judged under; the tests build small
captures by hand (a HAR is JSON), run ``smsc-wire validate`` in-process and through the Python
API, and check the exact verdicts, the names a report gives an entry (index, method, URL with
secrets as ``***``), the notes, and that no secret is ever printed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_run import run

import smsc_wire as sw
from smsc_wire._tools.cli import main

SECRET = "s3cr3t-Psw"
BASE = "https://smsc.ru/sys/senders.php"


def entry(
    url: str,
    body: bytes | str | None,
    *,
    method: str = "GET",
    encoding: str | None = None,
    content_type: str = "text/plain",
    post: dict[str, Any] | None = None,
) -> dict[str, Any]:
    content: dict[str, Any] = {"mimeType": content_type}
    if isinstance(body, bytes):
        content.update(text=base64.b64encode(body).decode("ascii"), encoding="base64")
    elif body is not None:
        content["text"] = body
    if encoding is not None:
        content["encoding"] = encoding
    request: dict[str, Any] = {"method": method, "url": url, "headers": []}
    if post is not None:
        request["postData"] = post
    return {
        "request": request,
        "response": {
            "status": 200,
            "headers": [{"name": "Content-Type", "value": content_type}],
            "content": content,
        },
    }


def har(*entries: dict[str, Any]) -> bytes:
    return json.dumps({"log": {"version": "1.2", "entries": list(entries)}}).encode("utf-8")


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    get3 = f"{BASE}?get=1&login=demo&psw={SECRET}&fmt=3"
    cp1251 = f"{BASE}?get=1&login=demo&psw={SECRET}&all=1"  # fmt 0, windows-1251 (no charset)
    path = tmp_path / "session.har"
    path.write_bytes(
        har(
            entry("https://smsc.ru/sys/send.php?login=demo&psw=x", b"OK - 1 SMS"),  # not ours
            entry(get3, b'[{\n"sender": "SMSC",\n"id": 1\n}]'),
            entry(cp1251, "name = Ёлка, status = 1, id = 2".encode("windows-1251")),
            entry(cp1251, "name = Ёлка, status = 1, id = 2"),  # decoded text: re-encoded
            entry(f"{BASE}?del=1&login=demo&psw={SECRET}&id=7&fmt=2", b"<result>OK</result>\n"),
            entry(f"{BASE}?get=1&add=1&apikey={SECRET}", b"OK"),  # two operation flags
            entry(
                f"{BASE}?add=1&apikey={SECRET}&sender=Shop&fmt=3&charset=utf-8",
                b'{\n"sender": 12\n}',
                content_type="application/json; charset=windows-1251",
            ),
            entry(
                BASE,
                b"ID = 5",
                method="POST",
                post={
                    "mimeType": "application/x-www-form-urlencoded",
                    "text": f"add=1&login=demo&psw={SECRET}&sender=Shop",
                },
            ),
            entry(get3, b'[{"sender": "A", "id": -1}]'),
        )
    )
    return path


def test_every_senders_entry_is_judged_under_its_own_request(capture: Path) -> None:
    log = sw.read_har(capture.read_bytes())
    assert log.skipped == 1
    assert [c.index for c in log.captures] == [1, 2, 3, 4, 5, 6, 7, 8]
    verdicts = [sw.judge_capture(c) for c in log.captures]
    assert [v.kind for v in verdicts] == [
        sw.Kind.CANONICAL,
        sw.Kind.CANONICAL,
        sw.Kind.CANONICAL,
        sw.Kind.VALID,
        sw.Kind.UNREADABLE,
        sw.Kind.CANONICAL,
        sw.Kind.CANONICAL,
        sw.Kind.INVALID,
    ]
    assert all(v.key_source is sw.KeySource.REQUEST for v in verdicts if v.key is not None)
    assert verdicts[0].key == sw.Key(3, "get")
    assert verdicts[1].reply == sw.SenderList([sw.Sender("Ёлка", 2, sw.SenderStatus.APPROVED)])
    assert verdicts[2].notes == (
        "the HAR held decoded text, re-encoded in windows-1251 before it was judged (SPEC D14)",
    )
    assert verdicts[3].key == sw.Key(2, "del")
    assert verdicts[3].difference == sw.Difference(1, 20, 19, "\n", "")
    assert verdicts[4].problem == sw.Problem(
        "its request cannot be read: two operations, get=1 and add=1: a request names exactly "
        "one (SPEC D13)"
    )
    assert verdicts[5].notes == (
        "the reply's Content-Type names charset 'windows-1251', the request's is utf-8: the "
        "request's was used (SPEC D10)",
    )
    assert verdicts[6].key == sw.Key(0, "add")  # from the POST body
    assert verdicts[7].problem is not None
    assert verdicts[7].problem.reason == "id -1 is out of range 0..2**63-1 (SPEC D9)"


def test_validate_reports_entries_by_index_method_and_url(
    capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "validate", str(capture))
    assert status == 2  # an entry whose request cannot be read: the run could not judge it
    assert SECRET not in out + err
    lines = out.splitlines()
    masked = f"{BASE}?get=1&login=demo&psw=***&fmt=3"
    assert lines[0] == (
        f"{capture} #1 GET {masked}: canonical [fmt=3 get all=0 operators=0, from the request]"
    )
    assert lines[4] == (
        f"{capture} #5 GET {BASE}?get=1&add=1&apikey=***: unreadable: its request cannot be "
        "read: two operations, get=1 and add=1: a request names exactly one (SPEC D13)"
    )
    assert lines[-1] == (
        "8 files: 5 canonical, 1 valid, 1 invalid, 1 unreadable, 1 other HAR entry skipped"
    )
    assert err == "smsc-wire validate: error: 1 path could not be read\n"


def test_validate_json_carries_the_entry(capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "--json", str(capture))
    assert status == 2  # an entry whose request cannot be read is reported, exit 2
    results = [json.loads(line) for line in out.splitlines()]
    assert SECRET not in out
    assert [r["entry"] for r in results] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert results[0] == {
        "path": str(capture),
        "entry": 1,
        "method": "GET",
        "url": f"{BASE}?get=1&login=demo&psw=***&fmt=3",
        "verdict": "canonical",
        "key": {"fmt": 3, "operation": "get", "all": False, "operators": False},
        "key_source": "request",
    }
    assert results[2]["notes"] == [
        "the HAR held decoded text, re-encoded in windows-1251 before it was judged (SPEC D14)"
    ]


def test_a_file_that_is_not_a_har_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.har"
    bad.write_bytes(b'{"log": {"pages": []}}')
    status, out, err = run(capsys, "validate", str(bad))
    assert (status, err) == (2, "smsc-wire validate: error: 1 path could not be read\n")
    assert out.splitlines()[0] == (
        f"{bad}: unreadable: not a HAR file: not a HAR log: no log.entries array"
    )
    with pytest.raises(sw.HarError, match=r"^not JSON: "):
        sw.read_har(b"{")


def test_an_entry_without_a_body_and_bad_base64(tmp_path: Path) -> None:
    data = har(
        entry(f"{BASE}?get=1&login=a&psw=b", None),
        entry(f"{BASE}?get=1&login=a&psw=b", "!!!", encoding="base64"),
    )
    judged = [verdict for _, verdict in sw.judge_har(data)]
    assert [v.kind for v in judged] == [sw.Kind.UNREADABLE, sw.Kind.UNREADABLE]
    assert judged[0].problem == sw.Problem(
        "the entry holds no response body (response.content.text)"
    )
    assert judged[1].problem is not None
    assert judged[1].problem.reason.startswith("response.content.text is not valid base64")


def test_text_that_the_request_charset_cannot_carry(tmp_path: Path) -> None:
    data = har(entry(f"{BASE}?get=1&login=a&psw=b", "name = 中文, id = 1"))
    ((capture, verdict),) = list(sw.judge_har(data))
    assert capture.body is None
    assert verdict.kind is sw.Kind.UNREADABLE
    assert verdict.problem == sw.Problem(
        "the capture's text cannot be written in windows-1251, the request's charset ('中文' at "
        "character 7)"
    )


# --- --url ---------------------------------------------------------------------------------------


def test_validate_under_a_request_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "reply.txt"
    body.write_bytes("name = Ёлка, id = 4".encode("windows-1251"))
    url = f"{BASE}?get=1&login=demo&psw={SECRET}"
    status, out, err = run(capsys, "validate", "--url", url, str(body))
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == (
        f"{body}: canonical [fmt=0 get all=0 operators=0, from the request]"
    )
    status, out, err = run(capsys, "validate", "--url", url + "&charset=utf-8", str(body))
    assert status == 1
    assert "is not valid utf-8" in out
    assert SECRET not in out + err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--url", f"{BASE}?login=a&psw={SECRET}"], "smsc-wire validate: error: --url: "),
        (
            ["--url", f"{BASE}?get=1", "--fmt", "0", "--op", "get"],
            "--fmt and --op would contradict",
        ),
        (["--url", f"{BASE}?get=1", "--charset", "utf-8"], "--charset would contradict it"),
    ],
)
def test_url_usage_errors(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x.txt").write_bytes(b"OK")
    status, out, err = run(capsys, "validate", *argv, str(tmp_path / "x.txt"))
    assert status == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1
    assert SECRET not in err


# --- fixture manifests ---------------------------------------------------------------------------


def test_a_fresh_fixtures_folder_validates_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "fx"
    assert main(["fixtures", str(folder), "--count", "1"]) == 0
    capsys.readouterr()
    status, out, err = run(capsys, "validate", "--json", str(folder))
    assert (status, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert all(r["key_source"] == "manifest" for r in results)
    assert all(r["verdict"] == "canonical" for r in results)
    assert not any(r["path"].endswith("manifest.jsonl") for r in results)
    manifest = (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(results) == len(manifest)
    # Each file was judged under the key it was written for, not a sniffed one.
    written = {str(folder / json.loads(line)["file"]): json.loads(line)["key"] for line in manifest}
    assert {r["path"]: r["key"] for r in results} == written


def test_manifest_changes_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "fx"
    assert main(["fixtures", str(folder), "--count", "0"]) == 0
    capsys.readouterr()
    changed = folder / "fmt0" / "get" / "0000-empty.txt"
    changed.write_bytes(b"name = A, id = 1")
    (folder / "fmt3" / "add" / "0000-id-0.json").unlink()
    (folder / "extra.txt").write_bytes(b"ERROR = 1 (x)")
    status, out, _ = run(capsys, "validate", "--json", str(folder))
    results = {r["path"]: r for r in map(json.loads, out.splitlines())}
    assert results[str(changed)]["notes"] == [
        "the file differs from the one the manifest recorded (sha256)"
    ]
    assert results[str(changed)]["verdict"] == "canonical"
    missing = results[str(folder / "fmt3" / "add" / "0000-id-0.json")]
    assert missing == {
        "path": str(folder / "fmt3" / "add" / "0000-id-0.json"),
        "verdict": "unreadable",
        "error": "listed in the manifest, but missing",
    }
    assert results[str(folder / "extra.txt")]["key_source"] == "sniffed"
    assert status == 2


def test_a_broken_manifest_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "manifest.jsonl").write_text('{"file": "a.txt"}\n', encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(b"OK")
    status, out, err = run(capsys, "validate", str(tmp_path))
    assert (status, out) == (2, "")
    assert err == (
        f"smsc-wire validate: error: {str(tmp_path / 'manifest.jsonl')!r} line 1 is no manifest "
        "entry: KeyError: 'key'\n"
    )


def test_the_manifest_records_the_bytes_written(tmp_path: Path) -> None:
    folder = tmp_path / "fx"
    assert main(["fixtures", str(folder), "--count", "0"]) == 0
    first = json.loads((folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[0])
    data = (folder / first["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == first["sha256"]


# --- sniffing says what it knows -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "sniffed", "key"),
    [
        (
            b"ERROR = 3 (record not found)",
            "an error reply, valid under every key",
            sw.Key(0, "get"),
        ),
        (b"0,-9", "an error reply, valid under every key", sw.Key(1, "get")),
        (b"OK", "OK, valid under every OK operation", sw.Key(0, "chg")),
        (b'{\n"result": "OK"\n}', "OK, valid under every OK operation", sw.Key(3, "chg")),
        (b"", "an empty body, an empty sender list", sw.Key(0, "get")),
        (b"name = A, id = 1", None, sw.Key(0, "get")),
    ],
)
def test_sniffing_says_what_the_body_shows(body: bytes, sniffed: str | None, key: sw.Key) -> None:
    verdict = sw.judge(body)
    assert verdict.kind is sw.Kind.CANONICAL
    assert verdict.key_source is sw.KeySource.SNIFFED
    assert (verdict.sniffed, verdict.key) == (sniffed, key)


def test_with_context_there_is_nothing_to_guess() -> None:
    # Sniffed, "0,-12,9" is a canonical list of one sender named "0,-12"; under add it is not.
    sniffed = sw.judge(b"0,-12,9")
    assert (sniffed.kind, sniffed.key) == (sw.Kind.CANONICAL, sw.Key(1, "get"))
    verdict = sw.judge(b"0,-12,9", key=sw.Key(1, "add"))
    assert verdict.kind is sw.Kind.INVALID
    request = sw.Request.from_url("?add=1&fmt=1&charset=utf-8&login=a&psw=b")
    assert sw.judge(b"0,-12,9", key=request.key).kind is sw.Kind.INVALID


def test_an_empty_stdin_is_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""))
    try:
        status, out, _ = run(capsys, "validate", "--json", "-")
    finally:
        sys.stdin = sys.__stdin__
    assert status == 0
    assert json.loads(out)["sniffed"] == "an empty body, an empty sender list"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://smsc.ru/sys/senders.php?get=1&login=a&psw=secret",
            "https://smsc.ru/sys/senders.php?get=1&login=a&psw=***",
        ),
        # A name the server decodes to a secret's is one (it was shown before: the fix's test).
        ("https://x/s.php?ps%77=s&ap%69key=k&x=1", "https://x/s.php?ps%77=***&ap%69key=***&x=1"),
        ("https://x/s.php?APIKEY=k&Psw=p", "https://x/s.php?APIKEY=***&Psw=***"),
        # Only the query changes: the URL is otherwise shown as captured.
        ("HTTPS://x//s.php?get=1#top", "HTTPS://x//s.php?get=1#top"),
        ("https://x/s.php?psw=p#f", "https://x/s.php?psw=***#f"),
        ("https://x/s.php?", "https://x/s.php?"),
        ("https://x/s.php", "https://x/s.php"),
        ("/s.php?psw=p", "/s.php?psw=***"),
        ("get=1&psw=p", "get=1&psw=***"),  # a bare query string, as query_of reads one
        ("https://x/s.php?psw&login=psw&p+sw=1", "https://x/s.php?psw&login=psw&p+sw=1"),
        ("https://[::1/?psw=p", "https://[::1/?psw=***"),  # no valid URL: still hidden
    ],
)
def test_redact_hides_every_secret_and_changes_nothing_else(url: str, shown: str) -> None:
    from smsc_wire._exchange.har import redact

    assert redact(url) == shown
