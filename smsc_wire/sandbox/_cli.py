"""``smsc-wire serve``: the sandbox over real HTTP, from the command line (SPEC D15).

Strategy: :func:`add_parser` registers the subcommand on any argparse subparsers object, so the
command line hooks it in with one line (and ``python -m smsc_wire.sandbox serve`` works without
it). The handler builds a :class:`Sandbox`, serves it with waitress in a background thread,
prints ``listening on http://HOST:PORT`` as the first line of standard output (flushed, so a
script can wait for it), logs one line per request on standard error with secrets as ``***``,
and waits for SIGINT or SIGTERM; then it stops accepting, lets the requests under way finish,
and exits 0. With ``--state PATH`` every change is in SQLite before its reply is sent.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any, Final, TextIO

if TYPE_CHECKING:
    from ._app import Exchange, Sandbox

DEFAULT_PORT: Final = 8642
"""The port ``smsc-wire serve`` listens on without ``--port``."""

_DESCRIPTION: Final = (
    "Serve a sandbox of senders.php on HOST:PORT (/sys/senders.php) for testing clients "
    "offline: accounts, sender names, moderation, confirmation codes, the service's rules and "
    "error replies, in every fmt and charset. The first line on standard output is "
    "'listening on http://HOST:PORT'; standard error has one line per request (psw and apikey "
    "as ***). Without --account the account is demo, password demo. SIGINT or SIGTERM stops "
    "it (exit 0) after the requests under way; exit 2 for a usage error or a port in use."
)


class _Account(argparse.Action):
    """``--account LOGIN:PASSWORD[:APIKEY]``; an error never echoes the value (a password)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        assert isinstance(values, str)
        parts = values.split(":")
        if len(parts) not in (2, 3) or not all(parts):
            parser.error(
                "argument --account: expected LOGIN:PASSWORD or LOGIN:PASSWORD:APIKEY, each "
                "non-empty and without ':' (the value is not shown: it holds a password)"
            )
        accounts = list(getattr(namespace, self.dest) or [])
        accounts.append((parts[0], parts[1], parts[2] if len(parts) == 3 else None))
        setattr(namespace, self.dest, accounts)


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, not {text!r}")
    return int(text)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``serve`` on ``subparsers`` (from ``ArgumentParser.add_subparsers``).

    The handler is set as the ``handler`` default: ``args.handler(args)`` runs it and returns
    the exit status.
    """
    serve: argparse.ArgumentParser = subparsers.add_parser(
        "serve", help="serve a sandbox of senders.php for testing clients", description=_DESCRIPTION
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, loopback)"
    )
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, metavar="N",
        help=f"port to listen on (default {DEFAULT_PORT}; 0 takes a free one)",
    )  # fmt: skip
    serve.add_argument(
        "--account", action=_Account, dest="accounts", metavar="LOGIN:PASSWORD[:APIKEY]",
        help="an account (repeatable); without one, the account is demo, password demo",
    )  # fmt: skip
    serve.add_argument(
        "--code", metavar="CODE",
        help="make every confirmation code CODE (otherwise random, and logged)",
    )  # fmt: skip
    serve.add_argument(
        "--any-names", action="store_true",
        help="allow any sender name (Cyrillic, 'Shop, Inc'...), not only the published rule",
    )  # fmt: skip
    serve.add_argument(
        "--bare-ok", action="store_true",
        help="answer a bare OK to chg, del, send_code, check_code under fmt 2 and 3",
    )  # fmt: skip
    serve.add_argument(
        "--no-limits", action="store_true",
        help="no rate limits (error 9) and no IP block (error 4): for load tests",
    )  # fmt: skip
    serve.add_argument(
        "--state", metavar="PATH",
        help="keep the state in this SQLite file, durable before each reply; a restart on the "
        "same file goes on from there",
    )  # fmt: skip
    serve.set_defaults(handler=run)
    return serve


class _Log:
    """One line per exchange on standard error; lines of several threads never interleave."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        with self._lock:
            try:
                self._stream.write(text + "\n")
                self._stream.flush()
            except (OSError, ValueError):  # a closed or broken standard error: go on serving
                pass

    def exchange(self, exchange: Exchange) -> None:
        self.line(str(exchange))


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM; the exit status (0, or 2 for what prevents serving)."""
    # Imported here: registering the subcommand must cost the other subcommands nothing.
    from ._app import DEFAULT_ACCOUNT, Sandbox
    from ._errors import SandboxError
    from ._rules import CodeRule, Rules

    prog = str(getattr(args, "prog", None) or "smsc-wire serve")
    out, log = sys.stdout, _Log(sys.stderr)
    try:
        rules = Rules.without_limits() if args.no_limits else Rules()
        rules = rules.replace(
            names=None if args.any_names else rules.names,
            bare_ok=bool(args.bare_ok),
            codes=CodeRule(fixed=args.code),
        )
    except SandboxError as exc:
        log.line(f"{prog}: error: {exc}")
        return 2
    accounts = args.accounts or [(*DEFAULT_ACCOUNT, None)]
    sandbox: Sandbox | None = None
    try:
        sandbox = Sandbox(rules=rules, state=args.state, on_exchange=log.exchange)
        for login, password, apikey in accounts:
            sandbox.add_account(login, password, apikey=apikey)
        server = sandbox.serve(args.host, args.port)
    except SandboxError as exc:
        if sandbox is not None:
            sandbox.close()
        log.line(f"{prog}: error: {exc}")
        return 2

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            print(f"listening on {server.url}", file=out, flush=True)
            if not args.accounts:
                print(
                    f"account {DEFAULT_ACCOUNT[0]}, password {DEFAULT_ACCOUNT[1]} (the default)",
                    file=out,
                    flush=True,
                )
            else:
                for login, _password, apikey in accounts:
                    key = ", api key ***" if apikey is not None else ""
                    print(f"account {login} (password ***{key})", file=out, flush=True)
        except (OSError, ValueError):  # nobody reads standard output: serve all the same
            pass
        log.line(_summary(sandbox, args))
        while not stop.wait(0.2):
            pass
    finally:
        server.close()
        sandbox.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.line(f"{prog}: stopped")
    return 0


def _summary(sandbox: Sandbox, args: argparse.Namespace) -> str:
    rules = sandbox.rules
    parts = [
        "names: any" if rules.names is None else "names: the published rule",
        "bare OK" if rules.bare_ok else "canonical replies",
        f"code: {rules.codes.fixed}" if rules.codes.fixed else "codes: random",
        "no limits" if args.no_limits else "limits: the service's",
    ]
    if args.state:
        count = sum(len(sandbox.senders(a.login)) for a in sandbox.accounts)
        parts.append(f"state {args.state}: {count} sender names, next id {sandbox.next_id}")
    return "sandbox: " + "; ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m smsc_wire.sandbox serve ...``: the same subcommand, standalone."""
    parser = argparse.ArgumentParser(prog="python -m smsc_wire.sandbox")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parser(commands)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    args.prog = f"{parser.prog} {args.command}"
    status: int = args.handler(args)
    return status
