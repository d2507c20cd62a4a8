"""How the tests start ``serve``: ``python -m smsc_wire serve`` once the command line has the
subcommand hooked in, ``python -m smsc_wire.sandbox serve`` (the same handler) until then."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent.parent
"""The repository: the working directory of the processes."""


def cli_has_serve() -> bool:
    """Whether ``smsc-wire`` itself has the ``serve`` subcommand."""
    from smsc_wire._tools import cli

    parser = cli.build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return "serve" in action.choices
    return False


COMMAND: Final = (
    [sys.executable, "-m", "smsc_wire", "serve"]
    if cli_has_serve()
    else [sys.executable, "-m", "smsc_wire.sandbox", "serve"]
)
"""The command line of ``serve``, without its options."""
