"""Write the seed corpora of the fuzz harnesses: ``python fuzz/make_corpus.py``.

Strategy: every seed is made from the library's own canonical output (``encode`` of a few models
per key) and then varied by hand the ways SPEC D6 allows (CRLF, a trailing newline, a BOM,
compact JSON, indented XML, an XML declaration, escapes, CDATA, character references, leading
zeros, a bare OK, numbers as strings) and the ways it forbids (D9, D11: DOCTYPEs, entities,
duplicate members, integers past 2**64, deep nesting, NUL, lone CR...). The decode seeds use the
``[key][mode][body]`` layout of ``_common.seed``; the round-trip seeds are a key selector and
a few fixed pseudo-random bytes, which ``fuzz_roundtrip.build_reply`` turns into models. Files
are small and the output is deterministic, so the committed corpus only changes with this script.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import _common

import smsc_wire as sw

CORPUS: Final = Path(__file__).resolve().parent / "corpus"

_GET: Final = sw.Operation.GET
_OPS: Final = sw.Operators([("mega_step", 2), ("tele2", 0), ("new_op", 7), ("ua_reg", "ALT-NAME")])


def _models(key: sw.Key) -> Iterator[tuple[str, sw.Reply]]:
    yield "error", sw.ErrorReply(sw.ErrorCode.SENDER_NOT_FOUND, None if key.fmt == 1 else "x (y)")
    yield "error404", sw.ErrorReply(404, None if key.fmt == 1 else "")
    if key.operation is _GET:
        status = 1 if key.all else None
        ops = _OPS if key.operators else None
        yield "empty", sw.SenderList()
        yield "one", sw.SenderList([sw.Sender("SMSC", 7, status, ops)])
        names = ["Shop, Inc", "Магазин", "a = b", "A&B <Co>", "0,-5", ' say "hi" ']
        if key.fmt == 0 and key.operators:
            names[2] = "a=b"
        senders = [sw.Sender(n, i, status, ops) for i, n in enumerate(names)]
        yield "many", sw.SenderList([*senders, sw.Sender("Max", sw.MAX_UINT, status, ops)])
    elif key.operation is sw.Operation.ADD:
        yield "added", sw.SenderAdded(12345)
    else:
        yield "ok", sw.Ok()


def _valid_variants(key: sw.Key, text: str) -> Iterator[tuple[str, str | bytes]]:
    """Bodies that SPEC D6 accepts besides the canonical ``text``."""
    yield "crlf", text.replace("\n", "\r\n")
    yield "trailing-lf", text + "\n"
    yield "bom", b"\xef\xbb\xbf" + text.encode("utf-8")
    if key.fmt in (0, 1):
        yield "leading-zeros", text.replace("= 7", "= 007").replace(",7", ",007")
    if key.fmt == 2:
        yield "declaration", '<?xml version="1.0" encoding="windows-1251"?>\n' + text
        yield "indented", text.replace("\n<", "\n  <")
        yield "charrefs", text.replace("SMSC", "&#83;&#x4D;SC").replace("Shop", "&#x53;hop")
        yield "cdata", text.replace(">SMSC<", "><![CDATA[SMSC]]><")
        yield "entities", text.replace("SMSC", "&quot;&apos;S&amp;&lt;&gt;")
        yield "leading-zeros", text.replace('id="7"', 'id="0007"')
        yield "list-open-close", text.replace("<list>\n</list>", "<list></list>")
        yield "list-empty-tag", text.replace("<list>\n</list>", "<list/>")
    if key.fmt == 3:
        yield "compact", "".join(text.split("\n")).replace('": ', '":')
        yield "spaced", text.replace("\n", "\n  \t").replace(": ", " :  ")
        escaped = text.replace("SMSC", "\\u0053M\\/SC").replace("Магазин", "\\u041c\\u0430")
        yield "u-escapes", escaped
        if key.operators:
            yield "numbers-as-numbers", text.replace('"7"', "7").replace('"2"', "2")
        else:
            yield "numbers-as-strings", text.replace(": 7", ': "7"').replace(": 1\n", ': "01"\n')
    if key.operation not in (_GET, sw.Operation.ADD) and key.fmt in (2, 3):
        yield "bare-ok", "OK"
        yield "bare-ok-crlf", "OK\r\n"


def _invalid_variants(key: sw.Key, text: str) -> Iterator[tuple[str, str | bytes]]:
    """Malformed bodies: each must end in WireFormatError (SPEC D6, D9, D11)."""
    yield "lone-cr", text.replace("\n", "\r") + "\rx"
    yield "nul", text.replace("SMSC", "SM\x00SC") + "\x00"
    yield "two-trailing-lf", text + "\n\n"
    yield "bom-middle", text[:5] + "\ufeff" + text[5:]
    yield "invalid-utf8", text.encode("utf-8")[:8] + b"\xc3\x28\xff" + text.encode("utf-8")[8:]
    yield "truncated", text[: len(text) // 2]
    if key.fmt in (0, 1):
        yield "spacing", text.replace(" = ", "=").replace(",", ", ")
        yield "sign", text.replace("= 7", "= -7").replace(",7", ",+7")
        yield "field-repeat", text.replace("name = ", "name = " + ", a = " * 40)
        yield "big", text.replace("7", "99999999999999999999")
    if key.fmt == 2:
        yield "doctype", "<!DOCTYPE list>\n" + text
        yield (
            "billion-laughs",
            (
                '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
                + text.replace("SMSC", "&lol2;")
            ),
        )
        yield (
            "xxe",
            (
                '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                + text.replace("SMSC", "&x;")
            ),
        )
        yield "external-dtd", '<!DOCTYPE list SYSTEM "http://127.0.0.1:9/x.dtd">\n' + text
        yield (
            "parameter-entity",
            ('<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p">%p;]>\n' + text),
        )
        yield (
            "xinclude",
            text.replace(
                "<list>",
                '<list xmlns:xi="http://www.w3.org/2001/XInclude">'
                '<xi:include href="/etc/passwd" parse="text"/>',
            ),
        )
        yield "pi", "<?evil x?>\n" + text
        yield "comment", text + "\n<!-- c -->"
        yield "undefined-entity", text.replace("SMSC", "&nbsp;")
        yield "deep", "<list>" + "<a>" * 300 + "</a>" * 300 + "</list>"
        yield "attributes", text.replace("<sender ", '<sender a1="1" a2="2" a3="3" ')
        yield "namespaced", text.replace("<list>", '<list xmlns="urn:x">')
        yield "utf16", text.encode("utf-16")
    if key.fmt == 3:
        yield "deep", "[" * 2000 + "]" * 2000
        yield "big-int", text.replace(": 7", ": 18446744073709551616").replace('"7"', '"1e400"')
        yield "nan", text.replace(": 7", ": NaN").replace('"7"', "Infinity")
        yield "float", text.replace(": 7", ": 7.0").replace('"7"', '"7e0"')
        duplicated = text.replace('"id":', '"id": 1, "id":')
        yield "duplicate", duplicated.replace('"error":', '"error":1,"error":')
        yield "lone-surrogate", text.replace("SMSC", "\\ud800SMSC").replace("x (y)", "\\udc00")
        yield "trailing-garbage", text + " x"
        yield "two-values", text + text
        yield "not-object-record", text.replace("[{", "[1,{")
        yield "null", text.replace(": 7", ": null").replace('"7"', "true")


def _write(directory: Path, name: str, data: bytes) -> None:
    # Identical bodies (an error reply is the same under many keys) are kept once.
    (directory / name).write_bytes(data)


def decode_corpus() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for key in _common.KEYS[: _common.REGISTRY_KEYS]:
        label = f"fmt{key.fmt}-{key.operation.value}"
        if key.operation is _GET:
            label += f"-all{int(key.all)}-ops{int(key.operators)}"
        for model_name, model in _models(key):
            text = sw.encode(model, key)
            files[f"{label}-{model_name}"] = _common.seed(key, text)
            if model_name not in ("many", "ok", "added"):
                continue
            for variant, body in _valid_variants(key, text):
                files[f"{label}-{model_name}-valid-{variant}"] = _common.seed(key, body)
            for variant, body in _invalid_variants(key, text):
                if body != text:  # some changes do not apply to every shape
                    files[f"{label}-{model_name}-hostile-{variant}"] = _common.seed(key, body)
            if model_name == "many":
                files[f"{label}-many-str"] = _common.seed(key, text, mode=0)
                files[f"{label}-many-cp1251"] = _common.seed(key, text, mode=2)
                files[f"{label}-many-koi8r"] = _common.seed(key, text, mode=3)
                # The right bytes under the wrong charset: must decode to other names or fail.
                files[f"{label}-many-cp1251-as-utf8"] = _common.seed(
                    key, text.encode("windows-1251", "replace"), mode=1
                )
    for i, key in enumerate(_common.KEYS[_common.REGISTRY_KEYS :]):
        files[f"unsupported-key-{i}"] = _common.seed(key, "")
    return files


def roundtrip_corpus() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    rng = random.Random(20240601)
    for index in range(_common.REGISTRY_KEYS):
        for size in (8, 32, 128):
            data = bytes([index]) + rng.randbytes(size)
            files[f"key{index:02d}-{size}-{hashlib.sha1(data).hexdigest()[:8]}"] = data
    return files


def main() -> None:
    for name, files in (("decode", decode_corpus()), ("roundtrip", roundtrip_corpus())):
        directory = CORPUS / name
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        for filename, data in sorted(files.items()):
            _write(directory, filename, data)
        print(f"{directory}: {len(files)} files, {sum(map(len, files.values()))} bytes")


if __name__ == "__main__":
    main()
