"""Write the seed corpora of the fuzz harnesses: ``python fuzz/make_corpus.py``.

Strategy: every seed is made from the library's own canonical output (``encode`` of a few models
per key) and then varied by hand the ways SPEC D6 allows (CRLF, a trailing newline, a BOM,
compact JSON, indented XML, an XML declaration, escapes, CDATA, character references, leading
zeros, a bare OK, numbers as strings) and the ways it forbids: a sign, fraction or exponent in
each number in turn (D9); DOCTYPEs, external subsets, parameter and external entities and
XInclude (D11, naming only a file that does not exist); a namespace declaration on each element
in turn (D6); operator fields that are empty or hold CR, LF or NUL, also as character references
and JSON escapes (D4); duplicate members, integers past 2**64, deep nesting, NUL, lone CR... Then
bodies in every charset of ``_common.CHARSETS``, bodies that trip a codec (D10), bodies at and
over the size limit, and keys with no codec. Seeds use the input layout of ``_common.py``; the
round-trip seeds are a header and a few fixed pseudo-random bytes, which
``fuzz_roundtrip.build_reply`` turns into models. Files are small and the output is
deterministic, so the committed corpus only changes with this script.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import _common

import smsc_wire as sw

CORPUS: Final = Path(__file__).resolve().parent / "corpus"

# What hostile XML seeds point at. Never a real file, and above all never /dev/zero or a FIFO:
# until decode refuses every load (SPEC D11), libxml2 may open what a seed names, and hang on it.
NOWHERE: Final = "/nonexistent/smsc-wire-fuzz"

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
                f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{NOWHERE}">]>\n'
                + text.replace("SMSC", "&x;")
            ),
        )
        # Port 9 (discard) on the loopback: refused at once, should anything try it.
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
                f'<xi:include href="{NOWHERE}" parse="text"/>',
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


# Where each fmt writes a number: the seeds of SPEC D9 put a sign, a fraction or an exponent there.
_NUMBERS: Final = {
    0: re.compile(r"(?<= = )\d+"),
    1: re.compile(r"\d+"),
    2: re.compile(r'(?<=")\d+(?=")|(?<=>)\d+(?=<)'),
    3: re.compile(r'(?<=: )\d+|(?<=: ")\d+(?=")'),
}
_SIGNED: Final = {0: ("-0", "+1"), 1: ("-0", "+1"), 2: ("-0", "+1")}
_SIGNED_JSON: Final = ("-0", "-1", "+1", "1e0", "0.0", '"-0"', '"+1"', '"1e0"')


def _signed_variants(key: sw.Key, text: str) -> Iterator[tuple[str, str]]:
    """Every number of ``text`` in turn written with a sign, a fraction or an exponent (D9)."""
    for n, number in enumerate(_NUMBERS[key.fmt].finditer(text)):
        start, end = number.span()
        quoted = key.fmt == 3 and text[start - 1] == '"'
        for variant in _SIGNED.get(key.fmt, _SIGNED_JSON):
            if quoted and variant.startswith('"'):
                continue
            body = text[:start] + variant + text[end:]
            label = variant.strip('"').replace("+", "plus").replace("-", "minus")
            if quoted or variant.startswith('"'):
                label = "quoted-" + label
            yield f"{n}-{label}", body


def _doctype_variants(text: str) -> Iterator[tuple[str, str]]:
    """SPEC D11: DOCTYPEs, entities and XInclude, each naming only a file that does not exist."""
    root = re.match(r"<(\w+)", text)
    assert root is not None
    tag = root.group(1)
    yield "external-subset", f'<!DOCTYPE {tag} SYSTEM "{NOWHERE}">\n' + text
    yield "external-subset-url", f'<!DOCTYPE {tag} SYSTEM "file://{NOWHERE}.dtd">\n' + text
    yield "public", f'<!DOCTYPE {tag} PUBLIC "-//SMSC//FUZZ//EN" "{NOWHERE}.dtd">\n' + text
    yield (
        "parameter-entity",
        f'<!DOCTYPE {tag} [<!ENTITY % p SYSTEM "file://{NOWHERE}"> %p;]>\n' + text,
    )
    yield (
        "external-entity",
        f'<!DOCTYPE {tag} [<!ENTITY x SYSTEM "{NOWHERE}">]>\n'
        + re.sub(r">([^<>\n]+)<", r">&x;\1<", text, count=1),
    )
    yield (
        "external-entity-attribute",
        f'<!DOCTYPE {tag} [<!ENTITY x SYSTEM "{NOWHERE}">]>\n'
        + re.sub(r'="([^"]*)"', r'="&x;\1"', text, count=1),
    )
    yield (
        "attlist-default",
        f'<!DOCTYPE {tag} [<!ATTLIST {tag} extra CDATA "x"><!ATTLIST sender status CDATA "1">]>\n'
        + text,
    )
    yield (
        "declaration-then-doctype",
        f'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE {tag} SYSTEM "{NOWHERE}">\n' + text,
    )
    yield (
        "xinclude",
        text.replace(
            f"<{tag}>",
            f'<{tag} xmlns:xi="http://www.w3.org/2001/XInclude">'
            f'<xi:include href="{NOWHERE}" parse="text"/>',
            1,
        ),
    )


def _namespace_variants(text: str) -> Iterator[tuple[str, str]]:
    """SPEC D6: a namespace declaration on each element in turn is a field the key lacks."""
    for n, tag in enumerate(re.finditer(r"<\w+", text)):
        for label, declaration in (("default", ' xmlns="urn:smsc-wire-fuzz"'),
                                   ("prefix", ' xmlns:a="urn:smsc-wire-fuzz"')):  # fmt: skip
            yield f"{n}-{label}", text[: tag.end()] + declaration + text[tag.end() :]


_LINE_REFS: Final = ("&#10;", "&#13;", "&#0;", "&#x0;", "&#xD;&#xA;", "a&#10;b", "&#9;", "&#x85;")


def _operator_field_variants(key: sw.Key, text: str) -> Iterator[tuple[str, str]]:
    """SPEC D4, D8: operator fields and names that encode would refuse (empty, CR, LF, NUL)."""
    if key.fmt == 2:
        for n, ref in enumerate(_LINE_REFS):
            yield f"value-ref{n}", text.replace('mega_step="2"', f'mega_step="{ref}"', 1)
            yield f"raw-value-ref{n}", text.replace('ua_reg="ALT-NAME"', f'ua_reg="A{ref}"', 1)
            yield f"name-ref{n}", text.replace(">SMSC<", f">S{ref}C<", 1)
        yield "value-tab", text.replace('mega_step="2"', 'mega_step="\t"', 1)
        yield "value-newline", text.replace('mega_step="2"', 'mega_step="\n"', 1)
    if key.fmt == 3:
        for label, member in (
            ("empty-name", '"": "1"'),
            ("nul-name", '"a\\u0000b": "1"'),
            ("lf-name", '"a\\nb": "1"'),
            ("cr-name", '"\\r": "1"'),
            ("nul-value", '"new_op": "x\\u0000"'),
            ("lf-value", '"new_op": "\\n"'),
            ("empty-name-number", '"": 1'),
        ):
            yield label, text.replace('"mega_step":', member + ', "mega_step":', 1)
        yield "nul-sender", text.replace('"SMSC"', '"SM\\u0000SC"', 1)
        yield "lf-sender", text.replace('"SMSC"', '"SM\\nSC"', 1)
        yield "empty-sender", text.replace('"SMSC"', '""', 1)
    if key.fmt == 0:
        yield "nul-name", text.replace("mega_step = ", "mega\x00step = ", 1)
        yield "nul-value", text.replace("ua_reg = ALT-NAME", "ua_reg = ALT\x00NAME", 1)
        yield "cr-value", text.replace("ua_reg = ALT-NAME", "ua_reg = ALT\rNAME", 1)
        yield "empty-name", text.replace(", mega_step = ", ",  = 1, mega_step = ", 1)


def _in_charset(text: str, charset: str) -> bytes:
    """``text`` as bytes in ``charset``; UTF-8 where the charset is no text codec or fails."""
    if _common.is_text_charset(charset):
        for errors in ("strict", "replace"):
            try:
                return text.encode(charset, errors)
            except (UnicodeError, ValueError):
                continue
    return text.encode("utf-8")


# Bodies that make a codec fail in a way of its own, or decode bytes to what no str body can hold.
_CODEC_TRAPS: Final = (
    ("idna", b"name = " + b"a" * 70 + b", id = 7"),
    ("idna", b"name = a..b, id = 7"),
    ("idna", b"name = xn--zz-\xff, id = 7"),
    ("punycode", b"name = \xff-abc, id = 7"),
    ("punycode", b"abc-\x80"),
    ("unicode-escape", b"name = \\ud800, id = 7"),
    ("unicode-escape", b"name = \\N{NO SUCH NAME}, id = 7"),
    ("unicode-escape", b"name = a\\x4, id = 7"),
    ("unicode-escape", b"name = a\\u000a, id = 7"),
    ("raw-unicode-escape", b"name = \\udc80, id = 7"),
    ("utf-7", b"name = +2AA-, id = 7"),
    ("utf-7", b"name = +\xff, id = 7"),
    ("utf-16-le", b"n\x00a\x00\x00\xd8"),
    ("utf-16", b"\xff\xfen\x00a"),
    ("utf-32", b"\x00\x00\x11\x00"),
    ("undefined", b"OK"),
    ("hex", b"4f4b"),
    ("base64", b"T0s="),
    ("rot13", b"BX"),
    ("zlib", b"x\x9c\xf3\xf7\x06\x00\x01\x3f\x00\xc5"),
    ("utf_8_sig", b"\xef\xbb\xbf\xef\xbb\xbfname = a, id = 7"),
)


def _label(key: sw.Key) -> str:
    label = f"fmt{key.fmt}-{key.operation}"
    if key.operation is _GET:
        label += f"-all{int(key.all)}-ops{int(key.operators)}"
    return label


def decode_corpus() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    seed = _common.seed
    for key in sw.registry:
        label = _label(key)
        for model_name, model in _models(key):
            text = sw.encode(model, key)
            files[f"{label}-{model_name}"] = seed(key, text)
            if model_name in ("one", "error", "added"):
                for variant, body in _signed_variants(key, text):
                    files[f"{label}-{model_name}-signed-{variant}"] = seed(key, body)
            if key.fmt == 2 and model_name in ("one", "error", "added", "ok"):
                for variant, body in _doctype_variants(text):
                    files[f"{label}-{model_name}-doctype-{variant}"] = seed(key, body)
                for variant, body in _namespace_variants(text):
                    files[f"{label}-{model_name}-xmlns-{variant}"] = seed(key, body)
            if model_name == "one" and key.operators:
                for variant, body in _operator_field_variants(key, text):
                    files[f"{label}-one-operator-{variant}"] = seed(key, body)
            if model_name not in ("many", "ok", "added"):
                continue
            for variant, valid in _valid_variants(key, text):
                files[f"{label}-{model_name}-valid-{variant}"] = seed(key, valid)
            for variant, hostile in _invalid_variants(key, text):
                if hostile != text:  # some changes do not apply to every shape
                    files[f"{label}-{model_name}-hostile-{variant}"] = seed(key, hostile)
            if model_name == "many":
                files[f"{label}-many-str"] = seed(key, text, charset=None)
                files[f"{label}-many-cp1251"] = seed(key, text, charset="windows-1251")
                files[f"{label}-many-koi8r"] = seed(key, text, charset="koi8-r")
                # The right bytes under the wrong charset: must decode to other names or fail.
                files[f"{label}-many-cp1251-as-utf8"] = seed(
                    key, text.encode("windows-1251", "replace")
                )
                # SPEC D10, D11: the limit counts bytes (characters for a str); Cyrillic
                # makes the two differ.
                for limit in (_common.LIMIT_EXACT, _common.LIMIT_BELOW):
                    for charset in (None, "utf-8", "windows-1251"):
                        files[f"{label}-many-limit{limit}-{charset or 'str'}"] = seed(
                            key, text, charset=charset, limit=limit
                        )
    for key in (sw.Key(0, _GET), sw.Key(2, _GET), sw.Key(3, _GET, all=True)):
        canonical = sw.encode(dict(_models(key))["many"], key)
        for charset in _common.CHARSETS:
            encoded = _in_charset(canonical, charset)
            files[f"{_label(key)}-many-charset-{charset}"] = seed(key, encoded, charset=charset)
    trap_key = sw.Key(0, _GET)
    for n, (charset, trap) in enumerate(_CODEC_TRAPS):
        files[f"{_label(trap_key)}-codec-trap{n:02d}-{charset}"] = seed(
            trap_key, trap, charset=charset
        )
    header = _common.header
    ok = b"OK"
    files["unsupported-fmt4"] = header(fmt=4, operation=0) + b"name = SMSC, id = 7"
    files["unsupported-fmt255"] = header(fmt=255, operation=2) + ok
    files["unsupported-fmt1-operators"] = header(fmt=1, operation=0, operators=True) + b"S,7"
    files["unsupported-operation6"] = header(fmt=0, operation=6) + ok
    files["unsupported-operation255"] = header(fmt=3, operation=255, all=True) + ok
    files["unsupported-charset-past-table"] = header(fmt=0, operation=2)[:3] + b"\xff" + ok
    return files


def roundtrip_corpus() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    rng = random.Random(20240601)
    for key in sw.registry:
        for size in (8, 32, 128):
            data = _common.header(key) + rng.randbytes(size)
            files[f"{_label(key)}-{size}-{hashlib.sha1(data).hexdigest()[:8]}"] = data
        for charset in ("windows-1251", "koi8-r", "utf-16", "unicode-escape", "idna", "utf-7"):
            data = _common.header(key, charset=charset) + rng.randbytes(64)
            files[f"{_label(key)}-charset-{charset}"] = data
        data = _common.header(key, stretch=True) + rng.randbytes(64)
        files[f"{_label(key)}-stretch"] = data
    files["unsupported-fmt4"] = _common.header(fmt=4, operation=0) + rng.randbytes(32)
    files["unsupported-fmt1-operators"] = _common.header(fmt=1, operation=0, operators=True)
    files["unsupported-operation6"] = _common.header(fmt=2, operation=6)
    return files


def main() -> None:
    for name, files in (("decode", decode_corpus()), ("roundtrip", roundtrip_corpus())):
        directory = CORPUS / name
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        for filename, data in sorted(files.items()):
            (directory / filename).write_bytes(data)
        print(f"{directory}: {len(files)} files, {sum(map(len, files.values()))} bytes")


if __name__ == "__main__":
    main()
