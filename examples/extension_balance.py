"""A new reply shape through the public extension points only: a toy ``balance = X`` reply.

Run as a script (``python examples/extension_balance.py``); ``tests/test_extension.py`` runs it
in a fresh process and checks what it prints. It defines a model, a reply shape, an operation
and one codec for fmt 0, then decodes, encodes and fails to decode through the library's own
``decode``/``encode``, with the error reply of fmt 0 read by the fmt's own reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

import smsc_wire as sw


@dataclass(frozen=True, slots=True)
class Balance:
    """The reply to a toy ``balance=1`` operation: the account balance in kopecks."""

    kopecks: int

    def raise_for_error(self) -> Self:
        return self


BALANCE = sw.ReplyShape("balance", Balance)
sw.register_operation("balance", BALANCE)
TEXT = sw.wire_formats[0]


class BalanceText:
    """``balance = X`` in fmt 0; the error reply is fmt 0's own."""

    def decode(self, text: str) -> sw.Reply:
        error = TEXT.read_error(text)
        if error is not None:
            return error
        if not text.startswith("balance = "):
            raise sw.DecodeFailure("expected 'balance = '", 0)
        digits = text[len("balance = ") :]
        if not digits.isascii() or not digits.isdigit():
            raise sw.DecodeFailure(f"expected digits, found {digits[:10]!r}", len("balance = "))
        return Balance(int(digits))  # type: ignore[return-value]

    def encode(self, reply: sw.Reply) -> str:
        if isinstance(reply, sw.ErrorReply):
            return TEXT.write_error(reply)
        if not isinstance(reply, Balance):
            raise sw.EncodeError(f"expected Balance, not {type(reply).__name__}")
        return f"balance = {reply.kopecks}"


KEY = sw.Key(0, "balance")
sw.registry.register(KEY, BalanceText())


def main() -> None:
    print(KEY, KEY in sw.registry, len(sw.registry))
    print(sw.decode(b"balance = 1250", KEY))
    print(sw.decode("ERROR = 2 (authorise error)", KEY))
    print(sw.encode(Balance(99), KEY))  # type: ignore[arg-type]
    try:
        sw.decode(b"balance = 12x", KEY)
    except sw.WireFormatError as exc:
        print(exc.reason, exc.line, exc.column, exc.offset)


if __name__ == "__main__":
    main()
