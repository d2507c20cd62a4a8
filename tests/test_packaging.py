"""A wheel built from the checkout works on its own, from any working directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (path,) = out.glob("smsc_wire-*.whl")
    return path


def test_wheel_ships_grammars_and_types(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"smsc_wire/grammars/fmt0.lark", "smsc_wire/grammars/fmt1.lark"} <= names
    assert "smsc_wire/py.typed" in names
    assert not any(name.startswith(("tests/", "fuzz/", "bench/")) for name in names)


def test_installed_wheel_decodes_text_formats_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    code = (
        "import smsc_wire as sw, pathlib\n"
        f"assert not pathlib.Path(sw.__file__).is_relative_to(pathlib.Path(r'{ROOT}'))\n"
        "print(sw.decode(b'name = Shop, Inc, id = 7', sw.Key(0, 'get'))[0].name)\n"
        "print(sw.decode(b'Shop, Inc,1,7', sw.Key(1, 'get', all=True))[0].id)\n"
    )
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, r'{site}')\n{code}"],
        cwd=elsewhere, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.splitlines() == ["Shop, Inc", "7"]
