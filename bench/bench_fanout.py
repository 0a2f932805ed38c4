"""Real-time fan-out: from an officer's call-next over HTTP until every hall display has it.

    .venv/bin/python bench/bench_fanout.py [--clients 100,500,1000] [--calls 20] [--runs 1]

For each N: a fresh demo server (gevent, as in production), N display clients — the
official socket.io-client under Node (bench/fanout_clients.js), so they do not take the
server's CPU — then ``--calls`` calls of ``POST /api/v1/counters/1/call-next`` one after
another. Latency = the moment the last of the N clients received ``ticket.called`` minus
the moment before the HTTP request was sent; both are epoch milliseconds on one machine.
Figures go in docs/benchmarks.md ("Real-time fan-out").
"""

import argparse
import json
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench_http import demo_server

CLIENTS_JS = Path(__file__).resolve().parent / "fanout_clients.js"
CONNECT_TIMEOUT_S = 90
DELIVERY_TIMEOUT_S = 10
PAUSE_S = 0.3  # between calls, as officers do: the previous broadcast is out of the way


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def start_clients(url: str, count: int):
    """Node with ``count`` display clients; returns the process and a queue of its lines."""
    process = subprocess.Popen(["node", str(CLIENTS_JS), url, str(count)], stdout=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if lines.get(timeout=1).startswith("READY"):
                return process, lines
        except queue.Empty:
            if process.poll() is not None:
                break
    process.kill()
    raise RuntimeError(f"{count} display clients did not connect in {CONNECT_TIMEOUT_S}s")


def measure(server, count: int, calls: int) -> dict:
    """Latencies (ms) of ``calls`` call-next until all ``count`` displays had ticket.called."""
    headers = server.login("canbo1")
    server.post("/api/v1/counters/1/open", headers=headers).raise_for_status()
    for _ in range(calls):
        server.post("/api/v1/tickets", json={"service": "HT"}).raise_for_status()
    process, lines = start_clients(server.url, count)
    try:
        all_ms, first_ms, http_ms = [], [], []
        for _ in range(calls):
            sent = time.time() * 1000
            response = server.post("/api/v1/counters/1/call-next", headers=headers)
            http_ms.append(time.time() * 1000 - sent)
            response.raise_for_status()
            ticket = response.json()["ticket"]["id"]
            while True:
                delivered = json.loads(lines.get(timeout=DELIVERY_TIMEOUT_S))
                if delivered["ticket"] == ticket:
                    break
            all_ms.append(delivered["last_ms"] - sent)
            first_ms.append(delivered["first_ms"] - sent)
            time.sleep(PAUSE_S)
    finally:
        process.kill()
        process.wait()
    return {"all": all_ms, "first": first_ms, "http": http_ms}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,500,1000", help="numbers of display clients")
    parser.add_argument("--calls", type=int, default=20, help="call-next per measurement")
    parser.add_argument("--runs", type=int, default=1, help="measurements per number of clients")
    args = parser.parse_args()
    if shutil.which("node") is None:
        print("node is not installed (scripts/setup installs socket.io-client from package.json)", file=sys.stderr)
        return 2
    print(f"call-next over HTTP → ticket.called on every display; {args.calls} calls, {PAUSE_S}s apart")
    checks = []
    for count in (int(value) for value in args.clients.split(",")):
        for _ in range(args.runs):
            with demo_server(checks) as server:
                result = measure(server, count, args.calls)
            every, first = result["all"], result["first"]
            print(f"{count:>5} displays: all have it p50 {statistics.median(every):6.1f} ms  "
                  f"p99 {percentile(every, 99):6.1f} ms  max {max(every):6.1f} ms | first client p50 "
                  f"{statistics.median(first):5.1f} ms | HTTP call-next p50 {statistics.median(result['http']):5.1f} ms",
                  flush=True)
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
