#!/usr/bin/env python3
"""Fuzz ``smsc_wire.Request``: hostile URLs and form bodies, and builders given anything.

Usage: ``python fuzz/fuzz_request.py [libFuzzer flags] [corpus dir ...]`` (see fuzz/README.md);
``python fuzz/fuzz_request.py --make-seeds DIR`` writes the committed seeds.

Input layout (a missing byte reads as 0; the tables below only ever grow at their end):

====== =====================================================================================
byte 0 mode: 0 ``from_url`` of a ``str`` (invalid UTF-8 becomes lone surrogates), 1
       ``from_url`` of bytes, 2 ``from_form`` urlencoded, 3 ``from_form`` multipart with the
       boundary ``BOUNDARIES[byte 2]``, 4 ``from_form`` with the content type
       ``CONTENT_TYPES[byte 2]``, 5 a builder driven by ``atheris.FuzzedDataProvider``
byte 1 where a secret is planted: ``PLANTS[byte 1]`` (parse modes; in mode 3 the planted
       parameters go in the ``url=`` query and a ``psw`` part leads the body)
byte 2 the boundary or content type (modes 3 and 4)
rest   the URL, body, or the builder's arguments
====== =====================================================================================

Invariants, each checked on every input:

- SPEC D11, D13: a parser returns a ``Request`` or raises ``RequestError``, nothing else, in at
  most a second; a builder given values of the right types does the same.
- SPEC D13: every request that exists round-trips: ``from_url(r.url()) == r`` (or ``url()``
  refuses a request with a document), ``from_form(*r.form()) == r``, and the multipart form
  reads back equal or is refused with ``RequestError``.
- SPEC D13: the planted secret (``psw`` or ``apikey``) never appears in ``repr``, ``str``,
  ``params``, or any error's message, ``repr`` or ``parameter``, before or after pickling; a
  ``RequestError`` survives pickling with its message and parameter, and its message is
  bounded.
- SPEC D10, D11: ``decode`` of a reply under a parsed request's key raises only the library's
  errors.
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path
from typing import Final

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    import _common

    import smsc_wire as sw
    from smsc_wire._exchange import Document, Request, RequestError
    from smsc_wire._exchange.request import OPERATOR_FLAGS, REGISTRATION_FIELDS

    _common.import_library()

SLOW_SECONDS: Final = 1.0
MESSAGE_LIMIT: Final = 600

# Letters a mutation will not assemble by chance; stripped from the input before planting.
SECRET: Final = "qZ7xK9wV2mP4tR8s"
SECRET_BYTES: Final = SECRET.encode()

MODES: Final = ("url-str", "url-bytes", "urlencoded", "multipart", "content-type", "build")

# Never reorder, only append: byte 1 of committed inputs indexes this tuple.
PLANTS: Final = (
    "",
    "&psw=" + SECRET,
    "psw=" + SECRET + "&",
    "&psw=" + SECRET + "%ff%fe",  # invalid UTF-8 (and one of windows-1251's holes, 0x98, not)
    "&apikey=" + SECRET,
    "&psw=" + SECRET + "&psw=" + SECRET + "x",  # the same secret parameter twice
    "&psw=" + SECRET + "Ж€",  # raw characters a charset may not carry
    "&apikey=" + SECRET + "%98",  # not windows-1251
    "&psw=" + SECRET + "&charset=utf-8",
    "&psw=" + SECRET + "&charset=koi8-r",
    "&psw=" + SECRET + "&charset=utf-16",
    "&psw=" + SECRET + "%00%0d%0a%22",
)

BOUNDARIES: Final = ("B", "smsc-wire-0123456789abcdef", "x" * 70, "a'()+_,-./:=?z", "")

CONTENT_TYPES: Final = (
    "application/x-www-form-urlencoded",
    "APPLICATION/X-WWW-FORM-URLENCODED; charset=utf-8",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    'multipart/form-data; boundary="B"',
    "multipart/form-data; boundary=B; charset=koi8-r",
    "multipart/mixed; boundary=B",
    "text/plain",
    "application/json",
    "",
    ";",
    "multipart/form-data; boundary*=utf-8''B",
    "multipart/form-data; boundary=B\r\nX-Injected: 1",
    "multipart/form-data; boundary=\u0416",
    "multipart/form-data; boundary=" + "B" * 2000,
)

CHARSETS: Final = (
    None, "utf-8", "windows-1251", "koi8-r", "UTF8", "cp1251", "latin-1", "shift_jis", "gb18030",
    "utf-16", "cp037", "utf-7", "hex", "undefined", "x-unknown", "", "utf-8\x00",
)  # fmt: skip

FILENAMES: Final = (
    "doc.pdf", "scan.JPG", "a.tif", "b.tiff", "c.png", "d.zip", "e.rar", "f.jpeg", "virus.exe",
    "noext", "", "quote\".pdf", "back\\slash.pdf", "line\n.pdf", "Ёлка.pdf", "漢字.png",
)  # fmt: skip

BUILDERS: Final = ("get", "add", "chg", "send_code", "check_code", "delete")


class RequestInvariantError(AssertionError):
    """A request parser or builder broke one of the invariants in this module's docstring."""


def test_one_input(data: bytes) -> None:
    head = data[:3].ljust(3, b"\0")
    mode = MODES[head[0] % len(MODES)]
    plant = PLANTS[head[1] % len(PLANTS)]
    choice = head[2]
    rest = data[3:].replace(SECRET_BYTES, b"")
    if mode == "build":
        _check_builder(rest)
        return
    start = time.perf_counter()
    outcome = _parse(mode, plant, choice, rest)
    elapsed = time.perf_counter() - start
    if elapsed > SLOW_SECONDS:
        raise RequestInvariantError(f"{mode}: parsing took {elapsed:.2f} s")
    if isinstance(outcome, RequestError):
        _check_error(outcome, mode)
    else:
        _check_request(outcome, mode)


def _parse(mode: str, plant: str, choice: int, rest: bytes) -> Request | RequestError:
    try:
        # A plant that starts with & goes last, any other first: either way & sets it apart.
        if mode == "url-str":
            text = _common.str_body(rest)
            return Request.from_url(text + plant if plant[:1] == "&" else plant + text)
        if mode == "url-bytes":
            raw = plant.encode("utf-8")
            return Request.from_url(rest + raw if plant[:1] == "&" else raw + rest)
        url = "https://smsc.ru/sys/senders.php?" + plant.lstrip("&")
        if mode == "urlencoded":
            return Request.from_form(rest, "application/x-www-form-urlencoded", url=url)
        if mode == "multipart":
            boundary = BOUNDARIES[choice % len(BOUNDARIES)]
            lead = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="psw"\r\n\r\n{SECRET}\r\n'
            ).encode()
            content_type = f"multipart/form-data; boundary={boundary}"
            return Request.from_form(lead + rest, content_type, url=url)
        content_type = CONTENT_TYPES[choice % len(CONTENT_TYPES)]
        return Request.from_form(rest, content_type, url=url)
    except RequestError as exc:
        return exc
    except Exception as exc:
        raise RequestInvariantError(
            f"{mode}: a parser raised {type(exc).__name__}: {exc}"[:2000]
        ) from exc


def _check_error(exc: RequestError, where: str) -> None:
    for form in (exc, pickle.loads(pickle.dumps(exc))):
        if not isinstance(form, RequestError):
            raise RequestInvariantError(f"{where}: a pickled RequestError came back as {form!r}")
        texts = (str(form), repr(form), form.reason, str(form.parameter))
        if any(SECRET in text for text in texts):
            raise RequestInvariantError(f"{where}: a secret in the error {form!r}")
        if len(str(form)) > MESSAGE_LIMIT:
            raise RequestInvariantError(f"{where}: a message of {len(str(form))} characters")
    back = pickle.loads(pickle.dumps(exc))
    if (str(back), back.parameter) != (str(exc), exc.parameter):
        raise RequestInvariantError(f"{where}: {exc!r} pickles as {back!r}")


def _check_request(request: Request, where: str) -> None:
    for text in (repr(request), str(request), *request.params.values()):
        if SECRET in text:
            raise RequestInvariantError(f"{where}: a secret shows in {request!r}")
    if "psw" in request.params or "apikey" in request.params:
        raise RequestInvariantError(f"{where}: params holds a secret's name: {request.params}")
    _round_trip(request, where)
    back = pickle.loads(pickle.dumps(request))
    if back != request or SECRET in repr(back):
        raise RequestInvariantError(f"{where}: {request!r} pickles as {back!r}")
    try:
        request.decode(b"OK")
    except (sw.WireFormatError, sw.UnsupportedKeyError):
        pass
    except Exception as exc:
        raise RequestInvariantError(
            f"{where}: decode under {request.key} raised {type(exc).__name__}: {exc}"
        ) from exc


def _round_trip(request: Request, where: str) -> None:
    try:
        if request.document is None:
            _same(where, "url()", request, Request.from_url(request.url()))
        else:
            try:
                request.url()
            except RequestError as exc:
                _check_error(exc, where)
            else:
                raise RequestInvariantError(f"{where}: url() of a request with a document")
        _same(where, "form()", request, Request.from_form(*request.form()))
        try:
            form = request.form(multipart=True, boundary="smsc-wire-fuzz")
        except RequestError as exc:
            _check_error(exc, where)
        else:
            _same(where, "form(multipart=True)", request, Request.from_form(*form))
    except RequestError as exc:
        raise RequestInvariantError(
            f"{where}: {request!r} does not read back: {exc} ({exc.parameter!r})"
        ) from exc


def _same(where: str, how: str, request: Request, back: Request) -> None:
    if back != request:
        raise RequestInvariantError(f"{where}: {request!r} written by {how} reads as {back!r}")


# --- builders -----------------------------------------------------------------------------------


def _text(fdp: atheris.FuzzedDataProvider, limit: int = 12) -> str | None:
    kind = fdp.ConsumeIntInRange(0, 5)
    if kind == 0:
        return None
    if kind == 1:
        return ""
    text: str = fdp.ConsumeUnicode(fdp.ConsumeIntInRange(1, limit))
    return text.replace(SECRET, "")


def _check_builder(rest: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(rest)
    builder = BUILDERS[fdp.ConsumeIntInRange(0, len(BUILDERS) - 1)]
    auth = fdp.ConsumeIntInRange(0, 4)
    kwargs: dict[str, object] = {}
    if auth in (0, 3, 4):
        kwargs["login"] = _text(fdp) or "login"
        kwargs["psw"] = SECRET + (_text(fdp) or "")
    if auth in (1, 3):
        kwargs["apikey"] = SECRET + (_text(fdp) or "")
    if auth == 4:
        del kwargs["login"]
    charset = CHARSETS[fdp.ConsumeIntInRange(0, len(CHARSETS) - 1)]
    if charset is not None:
        kwargs["charset"] = charset
    fmt = fdp.ConsumeIntInRange(-1, 5)
    if fmt != 5:
        kwargs["fmt"] = fmt
    params = [(_text(fdp, 6) or "p", _text(fdp) or "") for _ in range(fdp.ConsumeIntInRange(0, 3))]
    kwargs["params"] = params
    if builder == "get":
        kwargs["all"] = fdp.ConsumeBool()
        kwargs["operators"] = fdp.ConsumeBool()
    if builder in ("add", "send_code", "check_code"):
        kwargs["sender"] = _text(fdp)
    if builder in ("chg", "delete"):
        which = fdp.ConsumeIntInRange(0, 3)
        if which in (0, 2):
            kwargs["sender"] = _text(fdp)
        if which in (1, 2):
            kwargs["id"] = fdp.ConsumeIntInRange(-1, 2**64) if fdp.ConsumeBool() else _text(fdp)
    if builder == "check_code":
        kwargs["code"] = _text(fdp) if fdp.ConsumeBool() else fdp.ConsumeIntInRange(-1, 99999)
    if builder in ("add", "chg"):
        kwargs["cmt"] = _text(fdp, 40)
        flags = [OPERATOR_FLAGS[fdp.ConsumeIntInRange(0, len(OPERATOR_FLAGS) - 1)]]
        flags += [_text(fdp, 8) or "x" for _ in range(fdp.ConsumeIntInRange(0, 2))]
        kwargs["operators"] = flags[: fdp.ConsumeIntInRange(0, 3)]
        fields = {}
        for _ in range(fdp.ConsumeIntInRange(0, 3)):
            name = REGISTRATION_FIELDS[fdp.ConsumeIntInRange(0, len(REGISTRATION_FIELDS) - 1)]
            fields[name if fdp.ConsumeBool() else (_text(fdp, 6) or "f")] = _text(fdp) or ""
        kwargs["fields"] = fields
        if fdp.ConsumeBool():
            kwargs["mail"] = True
            kwargs["name"] = _text(fdp)
        if fdp.ConsumeBool():
            kwargs["doc_info"] = _text(fdp)
            try:
                kwargs["document"] = Document(
                    FILENAMES[fdp.ConsumeIntInRange(0, len(FILENAMES) - 1)],
                    fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 300)),
                    None if fdp.ConsumeBool() else (_text(fdp, 20) or "application/pdf"),
                    field=_text(fdp, 6) or "file",
                )
            except RequestError as exc:
                _check_error(exc, f"Document for {builder}")
    name = "delete" if builder == "delete" else builder
    method = getattr(Request, name)
    positional: list[object] = []
    if builder in ("add", "send_code", "check_code"):
        positional.append(kwargs.pop("sender"))
    if builder == "check_code":
        positional.append(kwargs.pop("code"))
    where = f"Request.{name}"
    try:
        request = method(*positional, **kwargs)
    except RequestError as exc:
        _check_error(exc, where)
        return
    except Exception as exc:
        raise RequestInvariantError(
            f"{where}({positional}, {sorted(kwargs)}) raised {type(exc).__name__}: {exc}"[:2000]
        ) from exc
    _check_request(request, where)


# --- seeds --------------------------------------------------------------------------------------


def seeds() -> dict[str, bytes]:
    """The committed seed corpus: name -> input, written by ``--make-seeds``."""
    out: dict[str, bytes] = {}

    def put(name: str, mode: int, plant: int, choice: int, body: bytes) -> None:
        out[name] = bytes([mode, plant, choice]) + body

    urls = {
        "get": "https://smsc.ru/sys/senders.php?get=1&login=a&all=1&operators=1&fmt=3",
        "add-cp1251": "add=1&login=a&sender=%C5%EB%EA%E0&cmt=a+b&mega_step=1&fio=x",
        "chg-utf8": "?chg=1&login=a&id=7&cmt=%D0%81&charset=utf-8",
        "del-apikey": "/sys/senders.php?del=1&sender=Shop%2C+Inc",
        "send-code": "send_code=1&login=a&sender=79991234567&fmt=0",
        "check-code": "check_code=1&login=a&sender=79991234567&code=0451#frag",
        "two-ops": "get=1&del=1",
        "no-op": "login=a",
        "flag-0": "get=0",
        "fmt-x": "get=1&fmt=x",
        "fmt-huge": "get=1&fmt=" + "9" * 40,
        "repeat": "get=1&login=a&login=b",
        "charset-unknown": "get=1&charset=x-nope",
        "charset-koi8": "get=1&charset=koi8-r&sender=%E5",
        "bad-percent": "get=1&sender=%zz%&x=%",
        "empty-pieces": "&&get=1&&=&x",
    }
    for index, (name, url) in enumerate(urls.items()):
        put(f"url-str-{name}", 0, index % len(PLANTS), 0, url.encode())
        put(f"url-bytes-{name}", 1, (index + 1) % len(PLANTS), 0, url.encode())
    put("url-str-raw-cyrillic", 0, 1, 0, "add=1&login=a&sender=Ёлка".encode())
    put("url-bytes-raw-high", 1, 1, 0, b"add=1&login=a&sender=\xc5\xeb\xea\xe0")
    put("urlencoded-get", 2, 1, 0, b"get=1&login=a&fmt=2")
    put("urlencoded-crlf", 2, 4, 0, b"del=1&login=a&id=1\r\n")
    document = Document("tm.pdf", b"%PDF-1.4\r\n-\r\n")
    built = Request.add(
        "Shop", cmt="c", document=document, doc_info="tm", login="a", psw="b", charset="utf-8"
    ).form(boundary="B")
    put("multipart-add-document", 3, 0, 0, built.body.replace(b"psw", b"pxw"))
    put(
        "multipart-field",
        3,
        0,
        0,
        b'--B\r\nContent-Disposition: form-data; name="get"\r\n\r\n1\r\n--B--\r\n',
    )
    put(
        "multipart-two-files",
        3,
        0,
        0,
        b'--B\r\nContent-Disposition: form-data; name="a"; filename="a.pdf"\r\n\r\nx\r\n'
        b'--B\r\nContent-Disposition: form-data; name="b"; filename="b.pdf"\r\n\r\ny\r\n--B--\r\n',
    )
    put(
        "multipart-base64",
        3,
        0,
        0,
        b'--B\r\nContent-Disposition: form-data; name="get"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nMQ==\r\n--B--\r\n",
    )
    put(
        "multipart-no-close", 3, 0, 0, b'--B\r\nContent-Disposition: form-data; name="get"\r\n\r\n1'
    )
    for index in range(len(CONTENT_TYPES)):
        put(f"content-type-{index:02d}", 4, index % len(PLANTS), index, b"get=1&login=a")
    for index in range(12):
        put(f"build-{index:02d}", 5, 0, 0, bytes((index * 37 + k * 11) % 256 for k in range(64)))
    return out


def make_seeds(directory: Path) -> None:
    """Write :func:`seeds` to ``directory`` (deterministic: the same files every time)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in seeds().items():
        (directory / name).write_bytes(data)


def main() -> None:
    if sys.argv[1:2] == ["--make-seeds"]:
        make_seeds(Path(sys.argv[2]))
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
