"""Decode a captured fmt 0 reply, print the model, and write the same reply as fmt 3 JSON.

Run from anywhere: ``python examples/quickstart.py [capture]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import smsc_wire as sw

default = Path(__file__).parent / "captures" / "get_all.fmt0.txt"
capture = Path(sys.argv[1]) if len(sys.argv) > 1 else default
reply = sw.decode(capture.read_bytes(), sw.Key(fmt=0, operation="get", all=True))
for sender in reply.raise_for_error():
    print(sender)
print(sw.encode(reply, sw.Key(fmt=3, operation="get", all=True)))
