"""The documented reply forms as a table, shared by the decoder and the encoder tests.

Each ``Case`` is a body and the model it means under a key. Canonical cases are exactly what
``encode`` writes (SPEC D5) and come straight from SPEC.md and the service's page; the others are
the valid-not-canonical variants of SPEC D6, which decode to the same model. ``Invalid`` cases
give the exact reason and position of the ``WireFormatError``.
"""

from __future__ import annotations

from dataclasses import dataclass

from smsc_wire import (
    ErrorCode,
    ErrorReply,
    Key,
    Ok,
    Reply,
    Sender,
    SenderAdded,
    SenderList,
    SenderStatus,
)


@dataclass(frozen=True)
class Case:
    id: str
    key: Key
    text: str
    model: Reply
    canonical: bool = True


@dataclass(frozen=True)
class Invalid:
    id: str
    key: Key
    body: bytes | str
    reason: str
    line: int | None
    column: int | None
    offset: int | None = None


def k(fmt: int, op: str = "get", all: bool = False, ops: bool = False) -> Key:
    return Key(fmt, op, all, ops)


SHOP = Sender("Shop, Inc", 101)
SHOP_ALL = Sender("Shop, Inc", 101, SenderStatus.APPROVED)
CYR = Sender("Магазин", 102)
CYR_ALL = Sender("Магазин", 102, SenderStatus.AWAITING_MODERATION)

FULL_OPS = {
    "mega_step": 2, "bee_step": 1, "motiv_step": 0, "sber_step": 3, "winmob_step": 4,
    "volnamob_step": 5, "mts_step": 8, "tele2_step": 9, "tele2": 255, "ua_reg": 2, "ua_int": 2,
    "mega_int": 0, "motiv_int": 1, "mts_int": 2, "motiv": 3, "by_reg": 4, "by_int": 5,
    "tele2_int": 8, "sber_int": 9,
}  # fmt: skip
OPS_SENDER = Sender("SMSC", 7, None, FULL_OPS)
OPS_SENDER_ALL = Sender("SMSC", 7, SenderStatus.APPROVED, FULL_OPS)

FMT0_OPS_LINE = (
    "name = SMSC, mega_step = 2, bee_step = 1, motiv_step = 0, sber_step = 3, winmob_step = 4, "
    "volnamob_step = 5, mts_step = 8, tele2_step = 9, tele2 = 255, ua_reg = 2, ua_int = 2, "
    "mega_int = 0, motiv_int = 1, mts_int = 2, motiv = 3, by_reg = 4, by_int = 5, tele2_int = 8, "
    "sber_int = 9, id = 7"
)
FMT2_OPS_ATTRS = (
    'mega_step="2" bee_step="1" motiv_step="0" sber_step="3" winmob_step="4" volnamob_step="5" '
    'mts_step="8" tele2_step="9" tele2="255" ua_reg="2" ua_int="2" mega_int="0" motiv_int="1" '
    'mts_int="2" motiv="3" by_reg="4" by_int="5" tele2_int="8" sber_int="9" id="7"'
)
FMT3_OPS_MEMBERS = (
    '"mega_step": "2",\n"mega_int": "0",\n"bee_step": "1",\n"motiv": "3",\n"motiv_step": "0",\n'
    '"motiv_int": "1",\n"sber_step": "3",\n"sber_int": "9",\n"winmob_step": "4",\n'
    '"volnamob_step": "5",\n"mts_step": "8",\n"mts_int": "2",\n"tele2_step": "9",\n'
    '"tele2": "255",\n"tele2_int": "8",\n"ua_reg": "2",\n"ua_int": "2",\n"by_reg": "4",\n'
    '"by_int": "5",\n"id": "7"'
)

NOT_FOUND = ErrorReply(ErrorCode.SENDER_NOT_FOUND, "record not found")

CANONICAL: list[Case] = [
    # --- get, fmt 0 (SPEC §3) ---
    Case("f0-plain", k(0), "name = Shop, Inc, id = 101\nname = Магазин, id = 102",
         SenderList([SHOP, CYR])),
    Case("f0-all", k(0, all=True),
         "name = Shop, Inc, status = 1, id = 101\nname = Магазин, status = 0, id = 102",
         SenderList([SHOP_ALL, CYR_ALL])),
    Case("f0-ops", k(0, ops=True), FMT0_OPS_LINE, SenderList([OPS_SENDER])),
    Case("f0-all-ops", k(0, all=True, ops=True),
         FMT0_OPS_LINE.replace("SMSC, ", "SMSC, status = 1, "), SenderList([OPS_SENDER_ALL])),
    Case("f0-empty", k(0), "", SenderList()),
    Case("f0-empty-all", k(0, all=True), "", SenderList()),
    Case("f0-empty-ops", k(0, ops=True), "", SenderList()),
    Case("f0-name-with-equals", k(0), "name = a = b, id = 1\nname = x, id = 2, id = 3",
         SenderList([Sender("a = b", 1), Sender("x, id = 2", 3)])),
    Case("f0-name-leading-space", k(0, all=True), "name =  lead, status = 2, id = 4",
         SenderList([Sender(" lead", 4, SenderStatus.DISABLED)])),
    Case("f0-unknown-operator", k(0, ops=True),
         "name = Shop, Inc, mega_step = 2, new_op = 77, repl = SHOP-KZ, id = 5",
         SenderList([Sender("Shop, Inc", 5, None,
                            {"mega_step": 2, "new_op": 77, "repl": "SHOP-KZ"})])),
    Case("f0-no-operators", k(0, ops=True), "name = Bare, id = 6",
         SenderList([Sender("Bare", 6, None, {})])),
    # Records without operator fields are read and written as under operators=0 (issue 12),
    # unless a name holds " = ": "a = b" is no field start, "x, y = 1" is.
    Case("f0-no-operators-all", k(0, all=True, ops=True),
         "name = Shop, Inc, status = 1, id = 101\nname = a = b, status = 0, id = 7",
         SenderList([Sender("Shop, Inc", 101, SenderStatus.APPROVED, {}),
                     Sender("a = b", 7, SenderStatus.AWAITING_MODERATION, {})])),
    Case("f0-some-operators", k(0, ops=True), "name = A, id = 1\nname = B, mts = 2, id = 2",
         SenderList([Sender("A", 1, None, {}), Sender("B", 2, None, {"mts": 2})])),
    # --- get, fmt 1 ---
    Case("f1-plain", k(1), "Shop, Inc,101\nМагазин,102", SenderList([SHOP, CYR])),
    Case("f1-all", k(1, all=True), "Shop, Inc,1,101\nМагазин,0,102",
         SenderList([SHOP_ALL, CYR_ALL])),
    Case("f1-empty", k(1), "", SenderList()),
    # Its first byte is a byte-order mark's (0xEF), the rest is not: decode keeps it.
    Case("f1-name-led-by-0xef", k(1), "\uff21B,7", SenderList([Sender("\uff21B", 7)])),
    Case("f1-numeric-name", k(1, all=True), "12,34,1,5\n0,-5,2,6",
         SenderList([Sender("12,34", 5, SenderStatus.APPROVED),
                     Sender("0,-5", 6, SenderStatus.DISABLED)])),
    # --- get, fmt 2 ---
    Case("f2-plain", k(2),
         '<list>\n<sender id="101">Shop, Inc</sender>\n<sender id="102">Магазин</sender>\n</list>',
         SenderList([SHOP, CYR])),
    Case("f2-all", k(2, all=True),
         '<list>\n<sender status="1" id="101">Shop, Inc</sender>\n'
         '<sender status="0" id="102">Магазин</sender>\n</list>',
         SenderList([SHOP_ALL, CYR_ALL])),
    Case("f2-ops", k(2, ops=True), f"<list>\n<sender {FMT2_OPS_ATTRS}>SMSC</sender>\n</list>",
         SenderList([OPS_SENDER])),
    Case("f2-all-ops", k(2, all=True, ops=True),
         f'<list>\n<sender status="1" {FMT2_OPS_ATTRS}>SMSC</sender>\n</list>',
         SenderList([OPS_SENDER_ALL])),
    Case("f2-empty", k(2), "<list>\n</list>", SenderList()),
    Case("f2-escaped", k(2), '<list>\n<sender id="1">A&amp;B &lt;Co&gt; "q"</sender>\n</list>',
         SenderList([Sender('A&B <Co> "q"', 1)])),
    Case("f2-unknown-operator", k(2, ops=True),
         '<list>\n<sender mega_step="2" new_op="77" repl="a&amp;b&#9;" id="5">X</sender>\n</list>',
         SenderList([Sender("X", 5, None, {"mega_step": 2, "new_op": 77, "repl": "a&b\t"})])),
    # --- get, fmt 3 ---
    Case("f3-plain", k(3),
         '[{\n"sender": "Shop, Inc",\n"id": 101\n},\n{\n"sender": "Магазин",\n"id": 102\n}]',
         SenderList([SHOP, CYR])),
    Case("f3-all", k(3, all=True),
         '[{\n"sender": "Shop, Inc",\n"status": 1,\n"id": 101\n},\n'
         '{\n"sender": "Магазин",\n"status": 0,\n"id": 102\n}]',
         SenderList([SHOP_ALL, CYR_ALL])),
    Case("f3-ops", k(3, ops=True), f'[{{\n"sender": "SMSC",\n{FMT3_OPS_MEMBERS}\n}}]',
         SenderList([OPS_SENDER])),
    Case("f3-all-ops", k(3, all=True, ops=True),
         f'[{{\n"sender": "SMSC",\n"status": "1",\n{FMT3_OPS_MEMBERS}\n}}]',
         SenderList([OPS_SENDER_ALL])),
    Case("f3-empty", k(3), "[]", SenderList()),
    Case("f3-no-operators", k(3, ops=True), '[{\n"sender": "Bare",\n"id": "6"\n}]',
         SenderList([Sender("Bare", 6, None, {})])),
    Case("f3-no-operators-all", k(3, all=True, ops=True),
         '[{\n"sender": "Bare",\n"status": "1",\n"id": "6"\n},\n'
         '{\n"sender": "Two",\n"status": "255",\n"id": "7"\n}]',
         SenderList([Sender("Bare", 6, SenderStatus.APPROVED, {}), Sender("Two", 7, 255, {})])),
    Case("f3-escaped", k(3), '[{\n"sender": "say \\"hi\\"\\\\",\n"id": 1\n}]',
         SenderList([Sender('say "hi"\\', 1)])),
    # --- add (SPEC §4) ---
    Case("f0-add", k(0, "add"), "ID = 4021", SenderAdded(4021)),
    Case("f1-add", k(1, "add"), "4021", SenderAdded(4021)),
    Case("f2-add", k(2, "add"), "<sender>\n<id>4021</id>\n</sender>", SenderAdded(4021)),
    Case("f3-add", k(3, "add"), '{\n"sender": 4021\n}', SenderAdded(4021)),
    # --- chg, send_code, check_code, del (SPEC §5) ---
    *[
        Case(f"f{fmt}-{op}", k(fmt, op), text, Ok())
        for op in ("chg", "send_code", "check_code", "del")
        for fmt, text in ((0, "OK"), (1, "OK"), (2, "<result>OK</result>"),
                          (3, '{\n"result": "OK"\n}'))
    ],
    # --- errors (SPEC §2), valid under every key of their fmt ---
    Case("f0-error", k(0), "ERROR = 3 (record not found)", NOT_FOUND),
    Case("f0-error-add", k(0, "add"), "ERROR = 9 (duplicate request, wait a minute)",
         ErrorReply(ErrorCode.TOO_MANY_REQUESTS, "duplicate request, wait a minute")),
    Case("f0-error-parens", k(0, "del"), "ERROR = 1 (a (nested) error))",
         ErrorReply(ErrorCode.PARAMETERS_ERROR, "a (nested) error)")),
    Case("f0-error-unknown-code", k(0, ops=True), "ERROR = 404 (not found)",
         ErrorReply(404, "not found")),
    Case("f0-error-empty-description", k(0, "chg"), "ERROR = 2 ()",
         ErrorReply(ErrorCode.AUTHORISATION_ERROR, "")),
    Case("f1-error", k(1), "0,-3", ErrorReply(ErrorCode.SENDER_NOT_FOUND, None)),
    Case("f1-error-add", k(1, "add"), "0,-9", ErrorReply(ErrorCode.TOO_MANY_REQUESTS, None)),
    Case("f1-error-ok", k(1, "check_code"), "0,-11", ErrorReply(ErrorCode.INVALID_CODE, None)),
    Case("f2-error", k(2, all=True),
         "<result>\n<error>record not found</error>\n<error_code>3</error_code>\n</result>",
         NOT_FOUND),
    Case("f2-error-ok", k(2, "send_code"),
         "<result>\n<error>can't to deliver</error>\n<error_code>8</error_code>\n</result>",
         ErrorReply(ErrorCode.CODE_NOT_DELIVERABLE, "can't to deliver")),
    Case("f3-error", k(3, ops=True), '{\n"error": "record not found",\n"error_code": 3\n}',
         NOT_FOUND),
    Case("f3-error-add", k(3, "add"), '{\n"error": "authorise error",\n"error_code": 2\n}',
         ErrorReply(ErrorCode.AUTHORISATION_ERROR, "authorise error")),
    Case("f3-error-unknown-code", k(3, "del"), '{\n"error": "",\n"error_code": 12\n}',
         ErrorReply(12, "")),
]  # fmt: skip

# SPEC D6: valid, not canonical. Each decodes to the model of its canonical twin.
NON_CANONICAL: list[Case] = [
    Case("f0-crlf", k(0), "name = Shop, Inc, id = 101\r\nname = Магазин, id = 102",
         SenderList([SHOP, CYR]), False),
    Case("f0-trailing-lf", k(0), "name = Shop, Inc, id = 101\n", SenderList([SHOP]), False),
    Case("f0-trailing-crlf", k(0, "add"), "ID = 4021\r\n", SenderAdded(4021), False),
    Case("f0-bom", k(0, "del"), "\ufeffOK", Ok(), False),
    Case("f3-bom-ok", k(3, "del"), '\ufeff{\n"result": "OK"\n}', Ok(), False),
    Case("f0-leading-zeros", k(0, all=True), "name = Shop, Inc, status = 01, id = 00101",
         SenderList([SHOP_ALL]), False),
    Case("f0-operator-order", k(0, ops=True), "name = X, new_op = 1, mega_step = 2, id = 5",
         SenderList([Sender("X", 5, None, {"mega_step": 2, "new_op": 1})]), False),
    Case("f0-error-trailing-lf", k(0), "ERROR = 3 (record not found)\n", NOT_FOUND, False),
    Case("f1-crlf", k(1, all=True), "Shop, Inc,1,101\r\nМагазин,0,102\r\n",
         SenderList([SHOP_ALL, CYR_ALL]), False),
    Case("f1-leading-zeros", k(1, "add"), "004021", SenderAdded(4021), False),
    Case("f1-ok-lf", k(1, "del"), "OK\n", Ok(), False),
    Case("f2-declaration", k(2), '<?xml version="1.0" encoding="utf-8"?>\n<list>\n'
         '<sender id="101">Shop, Inc</sender>\n</list>', SenderList([SHOP]), False),
    Case("f2-indented", k(2, all=True), '<list>\n  <sender status="1" id="101">Shop, Inc</sender>'
         '\r\n  <sender status="0" id="102">Магазин</sender>\n</list>\n',
         SenderList([SHOP_ALL, CYR_ALL]), False),
    Case("f2-compact", k(2), '<list><sender id="101">Shop, Inc</sender></list>',
         SenderList([SHOP]), False),
    Case("f2-empty-pair", k(2), "<list></list>", SenderList(), False),
    Case("f2-empty-self-closing", k(2, ops=True), "<list/>", SenderList(), False),
    Case("f2-cdata-and-refs", k(2), '<list>\n<sender id="0101"><![CDATA[Shop,]]>&#32;Inc'
         "</sender>\n</list>", SenderList([SHOP]), False),
    Case("f2-single-quotes", k(2, all=True), "<list><sender status='1' id='101'>Shop, Inc"
         "</sender></list>", SenderList([SHOP_ALL]), False),
    Case("f2-bare-ok", k(2, "del"), "OK", Ok(), False),
    Case("f2-error-indented", k(2, "add"), "<result>\n  <error>record not found</error>\n"
         "  <error_code>03</error_code>\n</result>", NOT_FOUND, False),
    Case("f2-add-spaced", k(2, "add"), "<sender><id>4021</id></sender>", SenderAdded(4021), False),
    Case("f3-compact", k(3, all=True), '[{"sender":"Shop, Inc","status":1,"id":101}]',
         SenderList([SHOP_ALL]), False),
    Case("f3-escapes", k(3), '[{"sender": "\\u041c\\u0430\\u0433\\u0430\\u0437\\u0438\\u043d",'
         ' "id": 102}]', SenderList([CYR]), False),
    Case("f3-solidus", k(3), '[{"sender": "a\\/b", "id": 1}]', SenderList([Sender("a/b", 1)]),
         False),
    Case("f3-numbers-as-strings", k(3, all=True), '[{"sender": "Shop, Inc", "status": "1", '
         '"id": "0101"}]', SenderList([SHOP_ALL]), False),
    Case("f3-ops-numbers", k(3, ops=True), '[{"sender": "X", "mega_step": 2, "id": 5}]',
         SenderList([Sender("X", 5, None, {"mega_step": 2})]), False),
    Case("f3-no-operators-numbers", k(3, all=True, ops=True),
         '[{"sender": "A", "status": 1, "id": 5}, {"sender": "B", "status": 0, "id": 6}]',
         SenderList([Sender("A", 5, SenderStatus.APPROVED, {}),
                     Sender("B", 6, SenderStatus.AWAITING_MODERATION, {})]), False),
    Case("f3-ops-id-leading-zeros", k(3, ops=True),
         '[{"sender": "X", "mega_step": "2", "id": "005"}, {"sender": "Y", "id": "0"}]',
         SenderList([Sender("X", 5, None, {"mega_step": 2}), Sender("Y", 0, None, {})]), False),
    Case("f3-ops-leading-zeros", k(3, all=True, ops=True),
         '[{"sender": "X", "status": "01", "mega_step": "002", "id": "005"}]',
         SenderList([Sender("X", 5, SenderStatus.APPROVED, {"mega_step": 2})]), False),
    Case("f3-member-order", k(3, "add"), '{"sender":4021}', SenderAdded(4021), False),
    Case("f3-error-order", k(3), '{"error_code": 3, "error": "record not found"}', NOT_FOUND,
         False),
    Case("f3-bare-ok", k(3, "send_code"), "OK", Ok(), False),
    Case("f3-bare-ok-crlf", k(3, "chg"), "OK\r\n", Ok(), False),
    Case("f3-bom", k(3, "del"), '\ufeff{"result": "OK"}', Ok(), False),
    Case("f3-whitespace", k(3), ' [ ]\n', SenderList(), False),
]  # fmt: skip

# Status and operator codes the enums do not know are kept as plain ints (SPEC D3, D4).
UNKNOWN_CODES: list[Case] = [
    Case("f0-unknown-status", k(0, all=True), "name = X, status = 7, id = 1",
         SenderList([Sender("X", 1, 7)])),
    Case("f2-unknown-operator-status", k(2, ops=True),
         '<list>\n<sender mega_step="6" id="1">X</sender>\n</list>',
         SenderList([Sender("X", 1, None, {"mega_step": 6})])),
    Case("f3-unknown-operator-status", k(3, ops=True),
         '[{\n"sender": "X",\n"mega_step": "77",\n"id": "1"\n}]',
         SenderList([Sender("X", 1, None, {"mega_step": 77})])),
]  # fmt: skip

ALL_VALID = CANONICAL + NON_CANONICAL + UNKNOWN_CODES


INVALID: list[Invalid] = [
    Invalid('f0-id-not-digits', k(0), 'name = Shop, id = x12',
        "expected the id (digits), found 'x'", 1, 19),
    Invalid('f0-id-too-big', k(0), 'name = A, id = 1\nname = B, id = 9223372036854775808',
        "id '9223372036854775808' is over 2**63-1 (SPEC D9)", 2, 16),
    Invalid('f0-blank-line', k(0), 'name = A, id = 1\n\n',
        "expected 'name = ', found a line ending", 2, 1),
    Invalid('f0-two-trailing-lf', k(0, "add"), 'ID = 1\n\n',
        'expected the end of the body, found a line ending', 2, 1),
    Invalid('f0-wrong-prefix', k(0), 'nam = A, id = 1',
        "expected 'ERROR = ' or 'name = ', found 'n'", 1, 1),
    Invalid('f0-spacing', k(0), 'name = A,id = 1',
        "expected ', id = <id>' at the end of the line", 1, 16),
    Invalid('f0-empty-name', k(0), 'name = , id = 1',
        'a sender name is empty', 1, 8),
    Invalid('f0-missing-status', k(0, all=True), 'name = A, id = 1',
        "expected ', status = <status>, id = <id>' at the end of the line", 1, 9),
    Invalid('f0-status-under-all0', k(0, ops=True), 'name = A, status = 1, id = 1',
        "field 'status' is not allowed here for this key", 1, 11),
    Invalid('f0-duplicate-field', k(0, ops=True), 'name = A, mega_step = 1, mega_step = 2, id = 1',
        "field 'mega_step' appears twice", 1, 26),
    Invalid('f0-negative-operator', k(0, ops=True), 'name = A, mega_step = -1, id = 1',
        "operator status '-1' is not an unsigned integer (SPEC D9)", 1, 23),
    Invalid('f0-fraction-operator', k(0, ops=True), 'name = A, mega_step = 1.5, id = 1',
        "operator status '1.5' is not an unsigned integer (SPEC D9)", 1, 23),
    Invalid('f0-id-not-last', k(0, ops=True), 'name = A, id = 1, mega_step = 2',
        "expected a line ending, found ','", 1, 17),
    Invalid('f0-lone-cr', k(0, "add"), 'ID = 1\r',
        'expected a line ending, found a lone CR', 1, 7),
    Invalid('f0-nul', k(0), 'name = A\x00B, id = 1',
        'a NUL character is not allowed', 1, 9),
    Invalid('f0-ok-lowercase', k(0, "del"), 'ok',
        "expected 'ERROR = ' or 'OK', found 'o'", 1, 1),
    Invalid('f0-empty-ok', k(0, "chg"), '',
        "expected 'ERROR = ' or 'OK', found the end of the body", 1, 1),
    Invalid('f0-error-no-paren', k(0), 'ERROR = 3 record not found',
        "expected ' (', found ' '", 1, 10),
    Invalid('f0-error-then-more', k(0), 'ERROR = 3 (x)\nname = A, id = 1',
        "expected the end of the body, found 'n'", 2, 1),
    Invalid('f0-add-negative', k(0, "add"), 'ID = -1',
        "expected an unsigned integer, found '-'", 1, 6),
    Invalid('f0-success-of-other-op', k(0, "add"), 'OK',
        "expected 'ERROR = ' or 'ID = ', found 'O'", 1, 1),
    Invalid('f1-empty-name', k(1), ',5',
        'a sender name is empty', 1, 1),
    Invalid('f1-no-id', k(1), 'Shop',
        "expected ',<id>' at the end of the line", 1, 5),
    Invalid('f1-all-missing-status', k(1, all=True), 'Shop,5',
        "expected ',<status>,<id>' at the end of the line", 1, 5),
    Invalid('f1-error-with-description', k(1), '0,-3 (record not found)',
        "expected the id (digits), found '-'", 1, 3),
    Invalid('f1-ok-trailing', k(1, "chg"), 'OK,',
        "expected a line ending, found ','", 1, 3),
    Invalid('f1-add-sign', k(1, "add"), '+5',
        "expected '0,-<code>' or an unsigned integer, found '+'", 1, 1),
    Invalid('f1-id-too-big', k(1, "add"), '99999999999999999999',
        "id '99999999999999999999' is over 2**63-1 (SPEC D9)", 1, 1),
    Invalid('f2-bad-id', k(2), '<list><sender id="1">A</sender><sender id="x">B</sender></list>',
        "id 'x' is not an unsigned integer", 1, 40),
    Invalid('f2-status-under-all0', k(2), '<list>\n<sender id="1" status="1">A</sender>\n</list>',
        "<sender> has no attribute 'status' under this key", 2, 16),
    Invalid('f2-missing-status', k(2, all=True), '<list>\n<sender id="1">A</sender>\n</list>',
        "<sender> lacks the attribute 'status'", 2, 1),
    Invalid('f2-not-well-formed', k(2), '<list><sender id="1">A</list>',
        'not well-formed XML: Opening and ending tag mismatch: sender line 1 and list', 1, 30),
    Invalid('f2-doctype', k(2), '<!DOCTYPE list>\n<list/>',
        'a DOCTYPE is not allowed (SPEC D11)', 1, 1),
    Invalid('f2-comment', k(2), '<list><!-- x --></list>',
        'a comment is not allowed', 1, 7),
    Invalid('f2-pi', k(2), '<list>\n<?pi x?>\n</list>',
        'a processing instruction is not allowed', 2, 1),
    Invalid('f2-wrong-root', k(2), '<senders/>',
        'expected <list> or an error reply, found element <senders>', 1, 1),
    Invalid('f2-empty-name', k(2), '<list>\n<sender id="1"></sender>\n</list>',
        'a sender name is empty', 2, 16),
    Invalid('f2-name-newline', k(2), '<list>\n<sender id="1">A&#10;B</sender>\n</list>',
        'a sender name cannot hold a line break', 2, 16),
    Invalid('f2-text-between', k(2), '<list>\n<sender id="1">A</sender>junk\n</list>',
        'text after </sender> is not allowed', 2, 1),
    Invalid('f2-child-in-sender', k(2), '<list>\n<sender id="1">A<b/></sender>\n</list>',
        'element <b> is not allowed inside <sender>', 2, 17),
    Invalid('f2-undefined-entity', k(2), '<list>\n<sender id="1">&nbsp;</sender>\n</list>',
        "not well-formed XML: Entity 'nbsp' not defined", 2, 22),
    Invalid('f2-reserved-operator', k(2, ops=True), '<list>\n<sender name="x" id="1">A</sender>\n</list>',
        "<sender> has no attribute 'name' under this key", 2, 9),
    Invalid('f2-ok-wrong-text', k(2, "del"), '<result>DONE</result>',
        'expected <result>OK</result>', 1, 9),
    Invalid('f2-error-order', k(2, "del"), '<result><error_code>3</error_code><error>x</error></result>',
        'an error reply holds <error> then <error_code>', 1, 1),
    Invalid('f2-add-two-ids', k(2, "add"), '<sender><id>1</id><id>2</id></sender>',
        '<sender> holds exactly one <id>', 1, 1),
    Invalid('f2-after-root', k(2), '<list/><!-- trailing -->',
        'a comment is not allowed outside the root element', 1, 8),
    Invalid("f2-default-namespace", k(2), '<list xmlns="urn:x"><sender id="1">A</sender></list>',
        'expected <list> or an error reply, found element <list xmlns="urn:x">', 1, 1),
    Invalid('f3-duplicate', k(3), '[{"sender": "A", "id": 1, "id": 2}]',
        "the member 'id' appears twice in one object", 1, 27),
    Invalid('f3-duplicate-colon-in-name', k(3), '[{"sender": "A:B", "id": 1, "id": 2}]',
        "the member 'id' appears twice in one object", 1, 29),
    Invalid('f3-negative', k(3), '[{"sender": "A", "id": 1}, {"sender": "B", "id": -2}]',
        'id -2 is out of range 0..2**63-1 (SPEC D9)', 1, 44),
    Invalid('f3-big-int', k(3), '[{"sender": "A", "id": 18446744073709551616}]',
        'id must be an unsigned integer, not the number 1.8446744073709552e+19', 1, 18),
    Invalid('f3-over-max', k(3, "add"), '{"sender": 9223372036854775808}',
        'id 9223372036854775808 is out of range 0..2**63-1 (SPEC D9)', 1, 2),
    Invalid('f3-float', k(3, all=True), '[{"sender": "A", "status": 1.0, "id": 1}]',
        'status must be an unsigned integer, not the number 1.0', 1, 18),
    Invalid('f3-bool', k(3), '[{"sender": "A", "id": true}]',
        'id must be an unsigned integer, not true', 1, 18),
    Invalid('f3-null-operator', k(3, ops=True), '[{"sender": "A", "mega_step": null, "id": "1"}]',
        'operator status must be an unsigned integer, not null', 1, 18),
    Invalid('f3-trailing-comma', k(3), '[{"sender": "A", "id": 1,}]',
        'invalid JSON: trailing comma is not allowed', 1, 25),
    Invalid('f3-missing-member', k(3), '[{"sender": "Ж", "idx": 1}]',
        "the member 'id' is missing", 1, 2),
    Invalid('f3-extra-member', k(3), '[{"sender": "A", "id": 1, "status": 1}]',
        "the member 'status' is not defined under this key", 1, 27),
    Invalid('f3-not-array', k(3), '{"x": 1}',
        'expected an array of sender records or an error reply, found an object', 1, 1),
    Invalid("f3-empty-record-operators", k(3, ops=True), '[{}]',
        "the member 'sender' is missing", 1, 2),
    Invalid("f3-empty-record-all-operators", k(3, all=True, ops=True),
        '[{"sender": "A", "status": "1", "id": "1"}, {}]', "the member 'sender' is missing", 1, 45),
    Invalid('f3-record-not-object', k(3), '[["A", 1]]',
        'record 0 must be an object, not an array', 1, 1),
    Invalid('f3-name-not-string', k(3), '[{"sender": 5, "id": 1}]',
        'a sender name must be a string, not the number 5', 1, 3),
    Invalid('f3-name-newline', k(3), '[{"sender": "A\\nB", "id": 1}]',
        'a sender name cannot hold CR, LF or NUL (SPEC D8)', 1, 3),
    Invalid('f3-empty-name', k(3, all=True), '[{"sender": "", "status": 1, "id": 1}]',
        'a sender name is empty', 1, 3),
    Invalid('f3-status-under-all0-ops', k(3, ops=True), '[{"sender": "A", "status": "1", "id": "1"}]',
        "the member 'status' is not defined under this key", 1, 18),
    Invalid('f3-ok-wrong', k(3, "del"), '{"result": "ok"}',
        'expected "result": "OK"', 1, 2),
    Invalid('f3-error-code-string', k(3, "del"), '{"error": "x", "error_code": "abc"}',
        "error code must be an unsigned integer, not the string 'abc'", 1, 16),
    Invalid('f3-error-extra', k(3, "del"), '{"error": "x", "error_code": 1, "more": 2}',
        "the member 'more' is not defined under this key", 1, 33),
    Invalid('f3-add-array', k(3, "add"), '[4021]',
        'expected an object, found an array', 1, 1),
    Invalid('f3-garbage', k(3), '[] x',
        'invalid JSON: unexpected content after document', 1, 4),
    Invalid('f3-nan', k(3, "add"), '{"sender": NaN}',
        'invalid JSON: unexpected character, expected a JSON value', 1, 12),
    Invalid('f3-lone-surrogate', k(3), '[{"sender": "\\ud800", "id": 1}]',
        'invalid JSON: no low surrogate in string', 1, 14),
    Invalid('f3-bom-inside', k(3), '[\ufeff]',
        'invalid JSON: unexpected character, expected a JSON value', 1, 2),
]  # fmt: skip
