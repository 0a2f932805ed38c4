"""HTTP speed of the server as it runs in production (gevent, TCP_NODELAY), driven by wrk.

    .venv/bin/python bench/bench_http.py [--duration 4] [--runs 2] [--connections 1,10,50]

First measures the yardstick (bench/reference_app.py: a bare Flask endpoint committing one
SQLite row, served the same way) at 10 connections: the machine is shared and its speed
changes from minute to minute, so the server's figures are printed beside it. Then starts
``server.py --demo`` on a free port with a temporary database and the ticket rate limit
off, and prints:
- tickets issued per second (``POST /api/v1/tickets`` {"service": "HT"}) with p50/p99 at
  each number of concurrent connections;
- the same tickets on 10 connections while 20 others flood the server with
  ``GET /api/v1/state``: both rates;
- call-next per second: officers canbo1…canbo8 (but 7) log in and open their counters, tickets
  wait in every queue, and wrk rotates ``POST /api/v1/counters/<n>/call-next`` over them;
- a check on the database file afterwards: no ticket called twice, no label issued twice.
wrk is a compiled load tool (Debian package ``wrk``): Python clients would use up the two
cores before the server does. Figures go in docs/benchmarks.md ("Server (HTTP)").
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import LiveServer, free_port  # noqa: E402

WRK_DIR = Path(__file__).resolve().parent / "wrk"
OUT_DIR = Path(__file__).resolve().parent / "out"
# Demo counters (officer canbo<n> holds counter n) and the services they call. Counter 7
# serves only GPLX, whose demo daily cap (200) would leave it idle; 8 falls back to CT.
COUNTERS = (1, 2, 3, 4, 5, 6, 8)
READERS = 20  # connections asking GET /api/v1/state while tickets are issued
SERVICES = ("HT", "CT", "LLTP", "GCN", "DKKD")
PROVISION_ROUNDS = 20
FLOOR_MS = 20  # a p50 above this at one connection means delayed ACKs (no TCP_NODELAY)
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def start_wrk(url: str, script: str | None, *, connections: int, duration: float, env: dict | None = None,
              threads: int = 2) -> subprocess.Popen:
    """A wrk run in the background (GET ``url`` without a script); see finish_wrk."""
    command = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{duration:g}s", "--latency",
               "--timeout", "10s", *(["-s", str(WRK_DIR / script)] if script else []), url]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def finish_wrk(process: subprocess.Popen) -> dict:
    """Wait for a wrk run; returns requests/s, p50/p99 in ms, requests, and error counts."""
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {stderr or stdout}")
    return parse_wrk(stdout)


def run_wrk(url: str, script: str | None, **options) -> dict:
    """One wrk run (options as start_wrk), waited for."""
    return finish_wrk(start_wrk(url, script, **options))


def parse_wrk(output: str) -> dict:
    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS_MS[unit]

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def show(label: str, runs: list[dict], unit: str) -> None:
    """Best run (highest rate) and the spread over all runs."""
    best = max(runs, key=lambda run: run["rate"])
    rates = [run["rate"] for run in runs]
    p99s = [run["p99"] for run in runs]
    errors = sum(run["non_2xx"] + run["socket_errors"] for run in runs)
    print(f"{label:<28} best {best['rate']:7.0f} {unit}/s  p50 {best['p50']:6.1f} ms  p99 {best['p99']:6.1f} ms"
          f"   | all runs {min(rates):.0f}–{max(rates):.0f} {unit}/s, p99 {min(p99s):.1f}–{max(p99s):.1f} ms"
          f", errors {errors}")


def waiting_count(db_path: Path, services=None) -> int:
    """Waiting tickets (in the emptiest of ``services`` when given)."""
    with sqlite3.connect(db_path) as conn:
        counts = dict(conn.execute("SELECT service, COUNT(*) FROM tickets WHERE status = 'waiting' GROUP BY service"))
    return min(counts.get(code, 0) for code in services) if services else sum(counts.values())


def called_count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT COUNT(*) FROM ticket_events WHERE action = 'called'").fetchone()[0]


def check_database(db_path: Path) -> bool:
    """Print and return whether every ticket was called at most once and every label is unique."""
    with sqlite3.connect(db_path) as conn:
        tickets = conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
        called = called_count(db_path)
        twice = conn.execute(
            "SELECT COUNT(*) FROM (SELECT ticket FROM ticket_events WHERE action = 'called' "
            "GROUP BY ticket HAVING COUNT(*) > 1)").fetchone()[0]
        visits_twice = conn.execute(
            "SELECT COUNT(*) FROM (SELECT ticket FROM visits GROUP BY ticket HAVING COUNT(*) > 1)").fetchone()[0]
        labels_twice = conn.execute(
            "SELECT COUNT(*) FROM (SELECT day, number FROM tickets GROUP BY day, number HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    ok = twice == 0 and visits_twice == 0 and labels_twice == 0
    print(f"database check: {tickets} tickets, {called} calls; tickets called twice: {twice}, "
          f"with two visits: {visits_twice}; labels issued twice: {labels_twice} -> {'OK' if ok else 'FAILED'}")
    return ok


@contextmanager
def demo_server(checks: list):
    """A fresh demo server in production mode (gevent, the default; TCP_NODELAY) with its own
    database and the ticket rate limit off; its database is checked after it stops."""
    # Under bench/out (git-ignored) rather than /tmp, which other jobs on the machine clean.
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="http-", dir=OUT_DIR) as directory:
        server = LiveServer(Path(directory)).start(env={"LAYSO_TICKET_RATE_LIMIT": "0"}, async_mode="gevent")
        try:
            yield server
        finally:
            server.stop()
        checks.append(check_database(server.db_path))


def bench_reference(args) -> float:
    """The yardstick's requests/s at 10 connections (best of the runs), printed."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    runs = []
    with tempfile.TemporaryDirectory(prefix="reference-", dir=OUT_DIR) as directory:
        port = free_port()
        process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "reference_app.py"),
                                    str(Path(directory) / "reference.db"), str(port)], cwd=ROOT)
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                if subprocess.run(["curl", "-sf", "-o", "/dev/null", url + "/ready"]).returncode == 0:
                    break
                time.sleep(0.1)
            for _ in range(args.runs):
                runs.append(run_wrk(url + "/api/v1/tickets", "issue_ticket.lua", connections=10,
                                    duration=args.duration))
        finally:
            process.terminate()
            process.wait(timeout=10)
    show("yardstick, 10 connections", runs, "rows")
    return max(run["rate"] for run in runs)


def bench_tickets(args, checks: list, yardstick: float) -> None:
    """Each run on a new database: the queue starts empty, as each morning, and grows by
    every ticket issued (thousands per run)."""
    print(f"POST /api/v1/tickets {{\"service\": \"HT\"}}, {args.duration:g} s per run, {args.runs} runs, "
          "each on a new database")
    for connections in args.connections:
        runs = []
        for _ in range(args.runs):
            with demo_server(checks) as server:
                runs.append(run_wrk(server.url + "/api/v1/tickets", "issue_ticket.lua", connections=connections,
                                    duration=args.duration, env={"LAYSO_BENCH_SERVICES": "HT"}))
        show(f"tickets, {connections} connection{'s' if connections > 1 else ''}", runs, "tickets")
        if connections == 10:
            print(f"  = {max(run['rate'] for run in runs) / yardstick:.0%} of the yardstick's rate")
        if connections == 1 and min(run["p50"] for run in runs) > FLOOR_MS:
            print(f"  WARNING: p50 above {FLOOR_MS} ms at one connection: a delayed-ACK floor (TCP_NODELAY?)")


def bench_reads_and_writes(args, checks: list) -> None:
    """A flood of reads (``GET /api/v1/state``, the dashboards' and screens' question) while
    tickets are issued: the writers must go on. One wrk thread each, to leave the server a core."""
    print(f"\nGET /api/v1/state on {READERS} connections and POST /api/v1/tickets on 10, at once")
    reads, writes = [], []
    for _ in range(args.runs):
        with demo_server(checks) as server:
            readers = start_wrk(server.url + "/api/v1/state", None, connections=READERS, duration=args.duration,
                                threads=1)
            writes.append(run_wrk(server.url + "/api/v1/tickets", "issue_ticket.lua", connections=10, threads=1,
                                  duration=args.duration, env={"LAYSO_BENCH_SERVICES": "HT"}))
            reads.append(finish_wrk(readers))
    show(f"reads, {READERS} connections", reads, "reads")
    show("tickets beside them, 10", writes, "tickets")


def bench_calls(server: LiveServer, args) -> None:
    """Officers of seven counters call the next ticket as fast as wrk asks."""
    tokens = {}
    for number in COUNTERS:
        headers = server.login(f"canbo{number}")
        server.post(f"/api/v1/counters/{number}/open", headers=headers).raise_for_status()
        tokens[number] = headers["Authorization"].removeprefix("Bearer ")
    counters_env = {"LAYSO_BENCH_COUNTERS": ",".join(f"{number}={token}" for number, token in tokens.items())}
    # Every counter's queues get more tickets than the calls can take during the runs.
    needed = int(args.call_target * args.duration * args.runs / 3)
    for _ in range(PROVISION_ROUNDS):
        if waiting_count(server.db_path, SERVICES) >= needed:
            break
        run_wrk(server.url + "/api/v1/tickets", "issue_ticket.lua", connections=10, duration=3,
                env={"LAYSO_BENCH_SERVICES": ",".join(SERVICES)})
    print(f"\nPOST /api/v1/counters/<n>/call-next over counters {COUNTERS}, {waiting_count(server.db_path)} tickets "
          f"waiting, {args.call_connections} connections")
    runs = []
    for _ in range(args.runs):
        before = called_count(server.db_path)
        run = run_wrk(server.url + "/api/v1/counters/1/call-next", "call_next.lua",
                      connections=args.call_connections, duration=args.duration, env=counters_env)
        called = called_count(server.db_path) - before
        if called < run["requests"] - run["non_2xx"]:
            print(f"  WARNING: {run['requests']} requests but {called} tickets called (queues ran dry?)")
        runs.append(run)
    show(f"call-next, {args.call_connections} connections", runs, "calls")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=2, help="wrk runs per measurement")
    parser.add_argument("--connections", default="1,10,50", help="concurrent connections for tickets")
    parser.add_argument("--call-connections", type=int, default=8, help="concurrent connections for call-next")
    parser.add_argument("--call-target", type=int, default=1000, help="calls/s to provision waiting tickets for")
    args = parser.parse_args()
    args.connections = [int(value) for value in args.connections.split(",")]
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian package wrk; scripts/setup installs it)", file=sys.stderr)
        return 2
    checks = []
    print("bench/reference_app.py: bare Flask, one committed row per request, served as server.py serves")
    yardstick = bench_reference(args)
    bench_tickets(args, checks, yardstick)
    bench_reads_and_writes(args, checks)
    with demo_server(checks) as server:
        bench_calls(server, args)
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
