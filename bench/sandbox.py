"""Figures of the sandbox (SPEC D15): throughput and latency on loopback, memory per name.

Run from the repository root:  python bench/sandbox.py   (``--help`` for the options).

Strategy: the server is ``python -m smsc_wire.sandbox serve`` in a process of its own (so the
clients' interpreter does not share its lock), on a free loopback port, without rate limits; 50
sender names are added over HTTP, then clients send ``get=1&all=1&fmt=3`` (the 50-name list)
over keep-alive connections (``http.client``), with 1 client and with 16 (threads), and the
script prints requests per second, p50 and p99 latency. Adds per second are measured the same
way, in memory and with ``--state`` (one fsync per add: the price of "durable before the
reply"). Memory per 10,000 names is measured in this process: tracemalloc's growth and the RSS
growth of a sandbox after 10,000 names are added through the control API (any names allowed,
as with ``--any-names``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlencode

ROOT: Final = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smsc_wire.sandbox import Rules, Sandbox  # noqa: E402

LIST_QUERY: Final = urlencode({"get": 1, "all": 1, "fmt": 3, "login": "demo", "psw": "demo"})


@dataclass(frozen=True)
class Run:
    """One load run: how many requests, how long, and the latency percentiles."""

    name: str
    clients: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float


class Server:
    """``serve --port 0 --no-limits`` in its own process."""

    def __init__(self, *options: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "smsc_wire.sandbox", "serve", "--port", "0", "--no-limits",
             "--any-names", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # one log line per request: not what is measured
            bufsize=0,
            cwd=ROOT,
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on http://"):
            raise SystemExit(f"the sandbox did not start: {line!r}")
        host_port = line.strip().removeprefix("listening on http://")
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def request(conn: http.client.HTTPConnection, query: str) -> bytes:
    conn.request("GET", "/sys/senders.php?" + query)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"HTTP {response.status}: {body[:200]!r}")
    return body


def load(server: Server, name: str, clients: int, per_client: int, queries: list[str]) -> Run:
    """``clients`` threads, each sending ``per_client`` requests on its own connection."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
        request(conn, queries[index % len(queries)])  # connect and warm up
        mine: list[float] = []
        barrier.wait()
        for i in range(per_client):
            started = time.perf_counter()
            request(conn, queries[(index * per_client + i) % len(queries)])
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return Run(
        name=name,
        clients=clients,
        requests=len(latencies),
        seconds=round(elapsed, 3),
        rps=round(len(latencies) / elapsed, 1),
        p50_ms=round(statistics.median(latencies) * 1000, 2),
        p99_ms=round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 2),
    )


def adds(prefix: str, count: int) -> list[str]:
    return [
        urlencode({"add": 1, "sender": f"{prefix}{i}", "login": "demo", "psw": "demo", "fmt": 1})
        for i in range(count)
    ]


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def memory(names: int) -> dict[str, float]:
    """Growth of tracemalloc and RSS for ``names`` sender names added to one account."""
    sandbox = Sandbox(rules=Rules(names=None), accounts=[("demo", "demo")])
    sandbox.add_sender("demo", "warm-up")  # first-use allocations are not the names' cost
    tracemalloc.start()
    rss = rss_bytes()
    before = tracemalloc.take_snapshot()
    for i in range(names):
        sandbox.add_sender("demo", f"Имя, {i:05d}", cmt="")
    after = tracemalloc.take_snapshot()
    rss_growth = rss_bytes() - rss
    tracemalloc.stop()
    traced = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    return {
        "names": names,
        "tracemalloc_bytes": traced,
        "tracemalloc_bytes_per_name": round(traced / names, 1),
        "rss_bytes": rss_growth,
        "rss_bytes_per_name": round(rss_growth / names, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=2000, help="requests per run (default 2000)"
    )
    parser.add_argument("--senders", type=int, default=50, help="names in the list (default 50)")
    parser.add_argument("--adds", type=int, default=500, help="adds per add run (default 500)")
    parser.add_argument("--names", type=int, default=10_000, help="names for the memory figure")
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON too")
    args = parser.parse_args(argv)

    runs: list[Run] = []
    server = Server()
    try:
        seed = http.client.HTTPConnection(server.host, server.port, timeout=60)
        for query in adds("Sender", args.senders):
            request(seed, query)
        body = request(seed, LIST_QUERY)
        seed.close()
        assert body.count(b'"sender"') == args.senders, body[:200]
        for clients in (1, 16):
            name = f"get all=1 fmt=3, {args.senders} senders"
            runs.append(load(server, name, clients, args.requests // clients, [LIST_QUERY]))
        runs.append(load(server, "add, in memory", 1, args.adds, adds("Mem", args.adds)))
    finally:
        server.close()
    with tempfile.TemporaryDirectory() as folder:
        server = Server("--state", str(Path(folder) / "bench.db"))
        try:
            runs.append(load(server, "add, --state (fsync)", 1, args.adds, adds("Disk", args.adds)))
            many = adds("Many", args.adds)
            runs.append(load(server, "add, --state (fsync)", 16, args.adds // 16, many))
        finally:
            server.close()
    mem = memory(args.names)

    print(f"sandbox on loopback: {sys.version.split()[0]}, serve in its own process, waitress")
    print(f"{'run':32} {'clients':>7} {'requests':>8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for run in runs:
        print(f"{run.name:32} {run.clients:>7} {run.requests:>8} {run.rps:>9,.0f} "
              f"{run.p50_ms:>8.2f} {run.p99_ms:>8.2f}")  # fmt: skip
    traced, rss = mem["tracemalloc_bytes"] / 2**20, mem["rss_bytes"] / 2**20
    print(
        f"memory per {mem['names']:,} names: tracemalloc {traced:.2f} MiB "
        f"({mem['tracemalloc_bytes_per_name']:.0f} B/name), RSS {rss:.2f} MiB "
        f"({mem['rss_bytes_per_name']:.0f} B/name)"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"runs": [asdict(r) for r in runs], "memory": mem}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
