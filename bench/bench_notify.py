"""Calling while an SMS gateway is slow: does the outbox keep notices off the queue's path?

Starts server.py (gevent, as in production) twice on fresh demo databases, with a fake SMS
gateway on 127.0.0.1 that answers each request after ``--gateway-s`` seconds (default 2):

1. notices off: ``--calls`` kiosk tickets (no phone: no notice), then the same number of
   call-next, one at a time, timed;
2. notices on: as many remote tickets (a phone each: a notice when issued, when near,
   when called), channel ``sms`` to the slow gateway, then the same calls, timed.

Prints each run's call-next rate and p50/p99, the ratio (target: within 10 %), and how
long the outbox took to drain afterwards (every notice ``sent``, none twice).

    .venv/bin/python bench/bench_notify.py [--calls 1000] [--gateway-s 2] [--concurrency 64]
"""

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_gateway import FakeGateway  # noqa: E402
from tests.helpers import free_port  # noqa: E402


def start_server(folder: Path, env: dict, concurrency: int) -> tuple[subprocess.Popen, str]:
    config = folder / "center.toml"
    config.write_text((ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
                      + f"\n[notify]\nconcurrency = {concurrency}\n", encoding="utf-8")
    port = free_port()
    environment = {"PATH": "/usr/bin:/bin", "LAYSO_ASYNC_MODE": "gevent", "LAYSO_TICKET_RATE_LIMIT": "0",
                   "LAYSO_SECRET_KEY": "bench-secret-key-0123456789", "LAYSO_DEMO_HISTORY_DAYS": "0", **env}
    process = subprocess.Popen([sys.executable, str(ROOT / "server.py"), "--demo", "--config", str(config),
                                "--db", str(folder / "bench.db"), "--port", str(port)], cwd=ROOT, env=environment,
                               stdout=open(folder / "server.log", "ab"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/api/v1/state", timeout=1).raise_for_status()
            return process, url
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def run(calls: int, *, remote: bool, env: dict, concurrency: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(Path(folder), env, concurrency)
        try:
            session = requests.Session()
            for index in range(calls):
                body = {"service": "HT"}
                if remote:
                    body |= {"channel": "remote", "phone": f"09{index:08d}"[:10], "consent": True}
                session.post(url + "/api/v1/tickets", json=body, timeout=10).raise_for_status()
            token = session.post(url + "/api/v1/auth/login", json={"username": "canbo1", "password": "demo"},
                                 timeout=10).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            session.post(url + "/api/v1/counters/1/open", headers=headers, timeout=10).raise_for_status()
            times = []
            started = time.perf_counter()
            for _ in range(calls):
                began = time.perf_counter()
                answer = session.post(url + "/api/v1/counters/1/call-next", headers=headers, timeout=10)
                times.append(time.perf_counter() - began)
                answer.raise_for_status()
            elapsed = time.perf_counter() - started
            drained_s = None
            if remote:
                drain_started = time.perf_counter()
                while True:
                    with sqlite3.connect(Path(folder) / "bench.db") as database:
                        (pending,) = database.execute("SELECT COUNT(*) FROM notices WHERE status = 'pending'").fetchone()
                    if pending == 0:
                        break
                    time.sleep(0.5)
                drained_s = time.perf_counter() - drain_started
            with sqlite3.connect(Path(folder) / "bench.db") as database:
                statuses = dict(database.execute("SELECT status, COUNT(*) FROM notices GROUP BY status").fetchall())
            times.sort()
            return {"rate": calls / elapsed, "p50_ms": statistics.median(times) * 1000,
                    "p99_ms": times[int(len(times) * 0.99) - 1] * 1000, "drained_s": drained_s, "notices": statuses}
        finally:
            process.terminate()
            process.wait(timeout=30)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--gateway-s", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=64)
    options = parser.parse_args(argv)
    gateway = FakeGateway()
    gateway.delay_s = options.gateway_s
    try:
        off = run(options.calls, remote=False, env={}, concurrency=options.concurrency)
        on = run(options.calls, remote=True, concurrency=options.concurrency,
                 env={"LAYSO_NOTIFY_CHANNEL": "sms", "LAYSO_SMS_URL": gateway.url + "/sms"})
    finally:
        gateway.close()
    for name, result in (("notices off", off), (f"notices on, gateway {options.gateway_s:g} s", on)):
        print(f"{name:32} call-next {result['rate']:7.1f}/s  p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms")
    print(f"rate with notices on / off: {on['rate'] / off['rate']:.1%} (target ≥ 90 %)")
    ids = len(gateway.delivered)
    print(f"outbox drained {on['drained_s']:.1f} s after the last call: {on['notices']}; gateway received "
          f"{len(gateway.requests)} requests, {ids} distinct ids")
    return 0 if on["rate"] >= 0.9 * off["rate"] and on["notices"].get("pending", 0) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
