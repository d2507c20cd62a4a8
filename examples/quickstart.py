"""Read a captured reply under the request that asked for it, and write it in another fmt.

Run from anywhere: ``python examples/quickstart.py [capture]``. The capture is the body of the
reply to ``get=1&all=1&charset=utf-8`` (fmt 0, the default); the request knows its key and its
charset, so it decodes its own reply.
"""

from __future__ import annotations

import sys
from pathlib import Path

import smsc_wire as sw

default = Path(__file__).parent / "captures" / "get_all.fmt0.txt"
capture = Path(sys.argv[1]) if len(sys.argv) > 1 else default

request = sw.Request.get(all=True, charset="utf-8", login="demo", psw="secret")
print(request)  # the password is shown as ***
reply = request.decode(capture.read_bytes())  # a SenderList, or the server's ErrorReply
for sender in reply.raise_for_error():
    print(f"{sender.id}: {sender.name!r} {sender.status!r}")
print(sw.encode(reply, sw.Key(fmt=3, operation="get", all=True)))  # the same reply in fmt 3
