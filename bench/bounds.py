"""How low the figures that miss their targets could go: the steps each job cannot skip.

    python bench/bounds.py [--repeats N] [--min-time S] [--json PATH]

For each of the six figures bench/run.py reports as missed, the job is cut into the steps that
any reader or writer of the same result must take (parse the body, the checks SPEC requires, the
models the API returns), each done by the cheapest primitive found, with no call layers and no
error handling around it. The steps, the floor and the library are timed in one run, by the same
interleaved timers as bench/run.py. The bound is the sum of the steps ÷ the floor (or − the
floor, for the µs figures): what a reader with nothing but those steps would measure.

A bound above the target means the target cannot be met by Python code doing that job on this
interpreter and machine: the steps alone miss it. A bound at or under it means the target is not
ruled out, and the gap between the library and the bound is what is left to find.

The steps are a lower bound only as far as each is the cheapest way to do its part; each says
what it is for, and tests/test_bench_smoke.py holds the four small-reply readers to reading what
``decode`` reads and declining what needs more.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path
from typing import Any, Final

import corpus
import floors
import orjson
import run

import smsc_wire as sw
from smsc_wire._checks import senders_of
from smsc_wire._codes import CODE_DIGITS, OPERATOR_STATUS_TEXT, SENDER_STATUS
from smsc_wire._fast import COMMON_CODES
from smsc_wire._formats.fmt3_json import _ERROR_CODES, _OPERATOR_NAMES, _signed
from smsc_wire._models import (
    AddedDraft,
    ErrorDraft,
    Operators,
    SenderAdded,
    draft_senders,
)
from smsc_wire._values import MAX_UINT

# The small readers below are what the bound times: each makes its model inline, as decode's
# readers do, because a shared helper would add a call to every timed read and lift the bound.


def lean_added(
    raw: bytes,
    loads: Callable[[bytes], Any] = orjson.loads,
    draft: type[AddedDraft] = AddedDraft,
    model: type[SenderAdded] = SenderAdded,
) -> SenderAdded | None:
    """The least a fmt 3 add reply's reader does: parse; one member, ``sender``, an int in range
    (SPEC D9: no ``-0``); one colon (SPEC D6: no duplicate dropped); the model. ``None``
    where a full reader would have to look further. (The defaults save global look-ups.)"""
    value = loads(raw)
    try:
        if len(value) != 1:
            return None
        added = value["sender"]
    except (TypeError, KeyError):
        return None
    if (
        type(added) is int
        and 0 <= added <= MAX_UINT
        and (added or 45 not in raw)
        and raw.count(58) == 1
    ):
        new = draft()
        new.id = added
        new.__class__ = model  # type: ignore[assignment]
        return new  # type: ignore[return-value]
    return None


def lean_error(
    raw: bytes,
    loads: Callable[[bytes], Any] = orjson.loads,
    draft: type[ErrorDraft] = ErrorDraft,
    model: type[sw.ErrorReply] = sw.ErrorReply,
    codes: dict[int, sw.ErrorCode] = _ERROR_CODES,
) -> sw.ErrorReply | None:
    """The least a fmt 3 error reply's reader does: parse; two members, a string and an int in
    range (SPEC D9); two colons (SPEC D6); the model, its code an ``ErrorCode`` where known."""
    value = loads(raw)
    try:
        if len(value) != 2:
            return None
        description = value["error"]
        code = value["error_code"]
    except (TypeError, KeyError):
        return None
    if (
        type(description) is str
        and type(code) is int
        and 0 <= code <= MAX_UINT
        and (code or 45 not in raw)
        and raw.count(58) == 2
    ):
        error = draft()
        error.code = codes.get(code, code)
        error.description = description
        error.__class__ = model  # type: ignore[assignment]
        return error  # type: ignore[return-value]
    return None


# The service's own layout of the two replies (SPEC D5), read by slices without a parser: a body
# that matches it is JSON with exactly these members; any other body is declined.
_ADDED_HEAD: Final = b'{\n"sender": '
_ERROR_HEAD: Final = b'{\n"error": "'
_ERROR_CODE: Final = b'",\n"error_code": '
_TAIL: Final = b"\n}"


def _canonical_uint(digits: bytes) -> int | None:
    """The value of a JSON number that is ASCII digits, no leading zero, in range; or None."""
    if digits.isdigit() and (digits[0] != 48 or len(digits) == 1):
        value = int(digits)
        if value <= MAX_UINT:
            return value
    return None


def template_added(
    raw: bytes, draft: type[AddedDraft] = AddedDraft, model: type[SenderAdded] = SenderAdded
) -> SenderAdded | None:
    """A fmt 3 add reply read without orjson: the service's layout, its digits, the model."""
    if raw[:12] == _ADDED_HEAD and raw[-2:] == _TAIL:
        added = _canonical_uint(raw[12:-2])
        if added is not None:
            new = draft()
            new.id = added
            new.__class__ = model  # type: ignore[assignment]
            return new  # type: ignore[return-value]
    return None


def template_error(
    raw: bytes,
    draft: type[ErrorDraft] = ErrorDraft,
    model: type[sw.ErrorReply] = sw.ErrorReply,
    codes: dict[int, sw.ErrorCode] = _ERROR_CODES,
) -> sw.ErrorReply | None:
    """A fmt 3 error reply read without orjson: the service's layout; a description with no
    quote, backslash or character JSON must escape (nothing to unescape), its code; the model."""
    if raw[:12] == _ERROR_HEAD and raw[-2:] == _TAIL:
        text, found, digits = raw[12:-2].rpartition(_ERROR_CODE)
        if found and 34 not in text and 92 not in text:
            code = _canonical_uint(digits)
            if code is not None:
                try:
                    description = text.decode()
                except UnicodeDecodeError:
                    return None
                if description.isprintable():
                    error = draft()
                    error.code = codes.get(code, code)
                    error.description = description
                    error.__class__ = model  # type: ignore[assignment]
                    return error  # type: ignore[return-value]
    return None


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    why: str
    stmt: str
    others: tuple[str, ...] = ()
    """Other ways to do the step: its time is the least of all."""


@dataclass(frozen=True, slots=True)
class Bound:
    figure: str
    """The figure's id in bench/run.py."""
    unit: str
    """``×`` (the steps ÷ the floor) or ``µs`` (the steps − the floor)."""
    limit: float
    floor: str
    library: str
    steps: tuple[Step, ...]
    names: dict[str, Any]
    """The globals of every statement."""


@cache
def _cases() -> dict[str, corpus.Case]:
    return {c.name: c for c in corpus.build((50,), (3,))}


def _case(name: str) -> corpus.Case:
    return _cases()[name]


def _common() -> dict[str, Any]:
    return {
        "orjson": orjson, "repeat": repeat, "sw": sw, "floors": floors,
        "SENDER": itemgetter("sender"), "ID": itemgetter("id"), "STATUS": itemgetter("status"),
        "pop": dict.pop, "popitem": dict.popitem, "values": dict.values, "signed": _signed,
    }  # fmt: skip


def _decode_all() -> Bound:
    case = _case("get-all-50")
    value = orjson.loads(case.body)
    names = [r["sender"] for r in value]
    ids = [r["id"] for r in value]
    statuses = [r["status"] for r in value]
    g = _common() | {
        "body": case.body, "key": case.key, "value": value, "names": names,
        "numbers": ids + statuses, "statuses": statuses, "ids": ids,
        "status_of": SENDER_STATUS.get, "models": draft_senders, "List": sw.SenderList,
        "codes": [SENDER_STATUS.get(s, s) for s in statuses],
    }  # fmt: skip
    return Bound("decode.fmt3.all", "×", 3.0, "orjson.loads(body)", "sw.decode(body, key)", (
        Step("parse", "the JSON value (the floor itself)", "orjson.loads(body)"),
        Step("colons", "SPEC D6: a member orjson dropped as a duplicate leaves a colon over",
             "body.count(58)"),
        Step("sign", "SPEC D9: orjson reads -0 as 0 (the minus signs looked at, in C)",
             "signed(body)"),
        Step("columns", "each record's name, status and id",
             "list(map(SENDER, value)); list(map(ID, value)); list(map(STATUS, value))"),
        Step("numbers", "SPEC D9: ints (no bool, no float), in range",
             "set(map(type, numbers)); sum(numbers)"),
        Step("names", "SPEC D8: no empty name, no CR, LF or NUL",
             "all(names); ''.join(names).isprintable()"),
        Step("statuses", "each status a SenderStatus where known",
             "list(map(status_of, statuses, statuses))"),
        Step("models", "50 frozen Senders (drafts whose class is set: the cheapest way found)",
             "List(models(names, ids, codes, repeat(None)))"),
    ), g)  # fmt: skip


def _ops_steps(read: bool) -> tuple[dict[str, Any], tuple[Step, ...]]:
    case = _case("get-ops-50")
    records = [dict(r) for r in orjson.loads(case.body)]
    id_texts = [r.pop("id") for r in records]
    names = [r.pop("sender") for r in records]
    converted = [{n: OPERATOR_STATUS_TEXT[v] for n, v in r.items()} for r in records]
    g = _common() | {
        "body": case.body, "key": case.key, "records": records, "id_texts": id_texts,
        "names": names, "ids": list(map(int, id_texts)), "codes": COMMON_CODES,
        "fields": _OPERATOR_NAMES, "lazy": Operators._lazy_each,
        "operators": Operators._lazy_each(records), "models": draft_senders,
        "List": sw.SenderList, "text": OPERATOR_STATUS_TEXT, "converted": converted,
        "read_values": floors.read_dict_values,
    }  # fmt: skip
    steps: tuple[Step, ...] = (
        Step("parse, take apart", "the JSON value, each record's id and name taken out of it",
             "v = orjson.loads(body); list(map(popitem, v)); list(map(pop, v, repeat('sender')))"),
        Step("colons", "SPEC D6: a member orjson dropped as a duplicate leaves a colon over",
             "body.count(58)"),
        Step("sign", "SPEC D9: no number with a sign", "signed(body)"),
        Step("ids", "SPEC §3: each id a string of digits, read as an int",
             "t = ''.join(id_texts); t.isdigit(); orjson.loads('[' + ','.join(id_texts) + ']')"),
        Step("names", "SPEC D8: no empty name, no CR, LF or NUL",
             "all(names); ''.join(names).isprintable()"),
        Step("values", "SPEC §3: each operator value a code 0-255 (one set look-up each)",
             "all(map(codes.issuperset, map(values, records)))"),
        Step("fields", "SPEC D4: each field name one the library knows or may keep",
             "fields.issuperset(set().union(*records))"),
        Step("mappings", "50 Operators, converted when first read",
             "lazy(records)"),
        Step("models", "50 frozen Senders", "List(models(names, ids, repeat(None), operators))"),
    )  # fmt: skip
    if read:
        steps += (
            Step("convert", "every value read: its code converted (one dict look-up each)",
                 "[{n: text[v] for n, v in r.items()} for r in records]"),
            Step("read", "every value read (as the floor reads them)", "read_values(converted)"),
        )  # fmt: skip
    return g, steps


def _decode_ops() -> Bound:
    g, steps = _ops_steps(read=False)
    return Bound("decode.fmt3.ops", "×", 2.5, "orjson.loads(body)", "sw.decode(body, key)",
                 steps, g)  # fmt: skip


def _decode_ops_read() -> Bound:
    g, steps = _ops_steps(read=True)
    g["read_ops"] = floors.read_operator_values
    return Bound("decode.fmt3.ops-read", "×", 2.8, "read_values(orjson.loads(body))",
                 "read_ops(sw.decode(body, key))", steps, g)  # fmt: skip


def _small(
    name: str, reader: Callable[[bytes], object], template: Callable[[bytes], object]
) -> Bound:
    case = _case(name)
    g = _common() | {"body": case.body, "key": case.key, "reader": reader, "template": template}
    return Bound(f"small.fmt3.{name}", "µs", 0.5, "orjson.loads(body)", "sw.decode(body, key)", (
        Step("reader", "a function doing only what a reader must: lean_* by orjson, or "
             "template_* by slices of the service's layout, whichever is faster",
             "reader(body)", ("template(body)",)),
    ), g)  # fmt: skip


def _encode_all() -> Bound:
    case = _case("get-all-50")
    reply = case.reply
    assert isinstance(reply, sw.SenderList)
    senders = reply.senders
    names = [s.name for s in senders]
    ids = [s.id for s in senders]
    statuses = [s.status for s in senders]
    # The pieces of the text in order, made before timing: the assembly step joins them, and
    # the time to interleave them is left out (the bound undercounts, as a bound should).
    pieces: list[str] = ["["]
    for i, (name, status, id_) in enumerate(zip(names, statuses, ids, strict=True)):
        pieces += [",\n" if i else "", '{\n"sender": ', encode_basestring(name),
                   ',\n"status": ', str(status), ',\n"id": ', str(id_), "\n}"]  # fmt: skip
    pieces.append("]")
    assert "".join(pieces) == sw.encode(reply, case.key)
    g = _common() | {
        "reply": reply, "key": case.key, "senders": senders, "check": senders_of,
        "escape": encode_basestring, "names": names, "ids": ids, "statuses": statuses,
        "digits": CODE_DIGITS.get, "text": int.__repr__, "pieces": pieces,
    }  # fmt: skip
    return Bound("encode.fmt3.all", "×", 1.5, "floors.fmt3_all(senders)", "sw.encode(reply, key)", (
        Step("check", "the models checked (encode refuses what decode refuses)",
             "check(reply, key)"),
        Step("names", "each name as a JSON string (the standard library's escaper, in C)",
             "list(map(escape, names))"),
        Step("numbers", "each id and status as digits",
             "list(map(text, ids)); list(map(digits, statuses))"),
        Step("assembly", "the text: one join of its pieces, made in order beforehand",
             "''.join(pieces)"),
    ), g)  # fmt: skip


def bounds() -> list[Bound]:
    """Every bound, in the order of the issue's table."""
    return [
        _encode_all(), _decode_ops(), _decode_ops_read(), _decode_all(),
        _small("add", lean_added, template_added), _small("error", lean_error, template_error),
    ]  # fmt: skip


def measure(chosen: list[Bound], settings: run.Settings) -> list[dict[str, Any]]:
    """Time every statement of ``chosen`` in one interleaved run; one result per bound."""
    stmts: dict[str, run.Stmt] = {}
    for b in chosen:
        stmts[f"{b.figure}/floor"] = (b.floor, b.names)
        stmts[f"{b.figure}/library"] = (b.library, b.names)
        for step in b.steps:
            for i, stmt in enumerate((step.stmt, *step.others)):
                stmts[f"{b.figure}/{step.name}/{i}"] = (stmt, b.names)
    stats = run.measure(stmts, settings)
    best = {name: s.best * 1e6 for name, s in stats.items()}
    results = []
    for b in chosen:
        floor, library = best[f"{b.figure}/floor"], best[f"{b.figure}/library"]
        ways = {
            s.name: [best[f"{b.figure}/{s.name}/{i}"] for i in range(1 + len(s.others))]
            for s in b.steps
        }
        steps = {name: min(times) for name, times in ways.items()}
        total = sum(steps.values())
        if b.unit == "×":
            bound, measured = total / floor, library / floor
        else:
            bound, measured = total - floor, library - floor
        results.append({
            "figure": b.figure, "unit": b.unit, "limit": b.limit, "floor_us": floor,
            "library_us": library, "steps_us": steps, "why": {s.name: s.why for s in b.steps},
            "ways_us": {name: times for name, times in ways.items() if len(times) > 1},
            "bound": bound, "measured": measured, "out_of_reach": bound > b.limit,
        })  # fmt: skip
    return results


def format_results(results: list[dict[str, Any]]) -> str:
    lines = [
        "| figure | target | floor | the steps | bound | library | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        unit = r["unit"]

        def shown(x: float, unit: str = unit) -> str:
            return f"{x:.2f}×" if unit == "×" else f"{x:+.2f} µs"

        verdict = "out of reach" if r["out_of_reach"] else "not ruled out"
        steps = sum(r["steps_us"].values())
        lines.append(
            f"| `{r['figure']}` | ≤ {r['limit']:g}{' µs' if unit == 'µs' else '×'} "
            f"| {r['floor_us']:.2f} µs | {steps:.2f} µs | {shown(r['bound'])} "
            f"| {shown(r['measured'])} | {verdict} |"
        )
    lines.append("")
    for r in results:
        parts = ", ".join(
            f"{name} {us:.2f}" + (
                f" (least of {', '.join(f'{t:.2f}' for t in r['ways_us'][name])})"
                if name in r["ways_us"] else ""
            )
            for name, us in r["steps_us"].items()
        )  # fmt: skip
        lines.append(f"- `{r['figure']}` (µs): {parts}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=9, help="repeats per timer (default 9)")
    parser.add_argument(
        "--min-time", type=float, default=0.05, help="least seconds of one repeat (default 0.05)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    settings = run.Settings(
        repeats=args.repeats, min_time=args.min_time, max_time=max(2.0, args.min_time * 20),
        gc=False, big_size=0, big_repeats=0, big_budget=0.0, runs=0, startup_runs=0,
        fixtures_count=0, key_files=0,
    )  # fmt: skip
    results = measure(bounds(), settings)
    print(f"best of {settings.repeats} × ≥ {settings.min_time * 1e3:g} ms, gc off")
    print(format_results(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {"schema": "smsc_wire-bounds/1", "bounds": results}
        args.json.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
