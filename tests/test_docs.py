"""The examples in README.md and in the public docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import smsc_wire

README = Path(__file__).resolve().parents[1] / "README.md"
MODULES = [
    "smsc_wire",
    "smsc_wire._api",
    "smsc_wire._key",
    "smsc_wire._models",
    "smsc_wire._registry",
]


def test_readme_examples() -> None:
    result = doctest.testfile(
        str(README), module_relative=False, globs={"sw": smsc_wire}, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted >= 4
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
