"""Run inputs through a harness once each and report every failure, not just the first.

Usage: ``python fuzz/replay.py decode|roundtrip [--json] FILE_OR_DIR ...``

libFuzzer given files stops at the first one that fails; this runs the harness's
``test_one_input`` on every file (directories are expanded), prints one line per file, and exits
1 if any failed. ``--json`` prints ``{path: null or "ExceptionType: message"}`` instead, for
``tests/test_fuzz_smoke.py``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

HARNESSES = ("decode", "roundtrip")


def _inputs(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path])
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("harness", choices=HARNESSES)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    harness = importlib.import_module(f"fuzz_{args.harness}")
    results: dict[str, str | None] = {}
    for path in _inputs(args.paths):
        try:
            harness.test_one_input(path.read_bytes())
        except Exception as exc:  # every failure is a result to report
            results[str(path)] = f"{type(exc).__name__}: {exc}"[:4000]
        else:
            results[str(path)] = None
    if args.json:
        json.dump(results, sys.stdout)
    else:
        for name, failure in results.items():
            print(f"FAIL {name}\n     {failure}" if failure else f"ok   {name}")
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
