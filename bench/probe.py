"""Peak memory of one parse of one body, in a fresh process (run by bench/run.py).

    python bench/probe.py MODE FMT OPERATION ALL OPERATORS PATH

MODE is ``decode`` (``smsc_wire.decode`` under the key), ``sniff`` (``smsc_wire.sniff``) or
``floor`` (the fmt's bare parser, bench/floors.py). Everything is imported first; then the peak
resident set size is reset (``malloc_trim``, then ``/proc/self/clear_refs``, where Linux has them)
and read as the baseline; then the file is read and parsed, the result held, and the peak read
again. Prints one JSON object: the baseline and peak in KiB (``VmHWM``, else ``ru_maxrss``), the
body's size and what the parse gave.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import json
import resource
import sys
from pathlib import Path

import floors

import smsc_wire as sw


def _trim() -> bool:
    """Give the memory freed so far back to the system (glibc), so that the parse cannot grow
    into pages the imports left resident without the peak showing it."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):
        return False


def _reset_peak() -> bool:
    """Make the peak RSS the current RSS, so that the imports' own peak is not counted."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _peak_kib() -> tuple[int, str]:
    """The peak RSS in KiB, and where it was read.

    ``VmHWM`` of /proc/self/status is the peak ``ru_maxrss`` reports for this process's own
    memory; ``ru_maxrss`` itself also counts the peak of the process this one was started from
    (Linux keeps it across exec, and a vfork child starts as its parent), so that a probe run by
    a large bench/run.py would read the runner's peak. Without /proc, ``ru_maxrss`` it is.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]), "VmHWM"
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss"  # KiB on Linux


def main(argv: list[str]) -> int:
    mode, fmt, operation, all_, operators, path = argv
    key = sw.Key(int(fmt), operation, all=all_ == "1", operators=operators == "1")
    floor = floors.DECODE_FLOORS[key.fmt]
    gc.collect()
    trimmed = _trim()
    reset = _reset_peak()
    baseline, source = _peak_kib()
    body = Path(path).read_bytes()
    outcome: object
    result: object = None
    if mode == "decode":
        try:
            result = sw.decode(body, key)
            outcome = len(result) if isinstance(result, sw.SenderList) else type(result).__name__
        except sw.WireFormatError as exc:
            outcome = f"WireFormatError at line {exc.line}"
    elif mode == "sniff":
        keys = sw.sniff(body)
        outcome, result = [str(k) for k in keys], keys
    elif mode == "floor":
        result = floor(body)
        outcome = type(result).__name__
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    peak, _ = _peak_kib()
    print(
        json.dumps({
            "mode": mode,
            "bytes": len(body),
            "baseline_kib": baseline,
            "peak_kib": peak,
            "peak_source": source,
            "peak_reset": reset,
            "trimmed": trimmed,
            "outcome": outcome,
        })
    )  # fmt: skip
    del result
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
