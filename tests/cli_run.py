"""Running ``smsc-wire`` in-process for the command-line tests: ``main(argv)``, its standard
input given as bytes, its exit status and what it wrote."""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING

from smsc_wire._tools.cli import main

if TYPE_CHECKING:
    import pytest


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: bytes | None = None
) -> tuple[int, str, str]:
    """The exit status, standard output and standard error of ``smsc-wire ARGV``."""
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        status = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return status, out, err
