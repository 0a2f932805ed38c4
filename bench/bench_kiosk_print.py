"""Tickets per second through the whole printed path: POST /api/v1/tickets over HTTP to
server.py (gevent), rendered, encoded and sent to a fake ESC/POS network printer.

    python bench/bench_kiosk_print.py [--tickets 600] [--clients 4]

Prints tickets issued per second (HTTP answers) and tickets printed per second (from the
first request until the printer has received every job).
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import LiveServer  # noqa: E402


# The fake printer runs in its own process, so the bench's HTTP clients do not slow it;
# it prints its port, then the number of jobs received each time it reads a line.
PRINTER_SCRIPT = """
import sys
from tests.fake_printer import FakePrinter
printer = FakePrinter()
print(printer.port, flush=True)
for _ in sys.stdin:
    print(len(printer.jobs), flush=True)
"""


def jobs_received(printer) -> int:
    printer.stdin.write("\n")
    printer.stdin.flush()
    return int(printer.stdout.readline())


def wait_for_jobs(printer, count, timeout_s=300) -> None:
    deadline = time.monotonic() + timeout_s
    while jobs_received(printer) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"not every one of {count} tickets printed")
        time.sleep(0.002)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=600)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    printer = subprocess.Popen([sys.executable, "-c", PRINTER_SCRIPT], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = int(printer.stdout.readline())
    folder = Path(tempfile.mkdtemp(prefix="layso-bench-print-"))
    demo = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    kiosk = f'[[kiosks]]\nid = "k1"\nname = "Kiosk 1"\nprinter = {{ kind = "network", host = "127.0.0.1", port = {port} }}\n'
    config = folder / "center.toml"
    config.write_text(re.sub(r"\[\[kiosks\]\].*?(?=\n\[\[displays\]\])", kiosk, demo, flags=re.S), encoding="utf-8")
    server = LiveServer(folder, config=config)
    server.start(env={"LAYSO_TICKET_RATE_LIMIT": "0"})
    services = ["HT", "LLTP", "CT", "GCN", "DKKD"]
    latencies, lock = [], threading.Lock()
    per_client = args.tickets // args.clients

    def client(index):
        session = requests.Session()
        for number in range(per_client):
            started = time.perf_counter()
            answer = session.post(server.url + "/api/v1/tickets",
                                  json={"service": services[(index + number) % len(services)], "kiosk": "k1"})
            answer.raise_for_status()
            with lock:
                latencies.append(time.perf_counter() - started)

    try:
        requests.post(server.url + "/api/v1/tickets", json={"service": "HT", "kiosk": "k1"}).raise_for_status()
        wait_for_jobs(printer, 1)  # warm: fonts loaded, printer connection path taken once
        total = per_client * args.clients
        began = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answered = time.perf_counter() - began
        wait_for_jobs(printer, total + 1)
        printed = time.perf_counter() - began
    finally:
        server.stop()
        printer.stdin.close()
        printer.wait(10)
    latencies.sort()
    print(f"{total} tickets, {args.clients} HTTP clients, kiosk printer: fake ESC/POS network printer on 127.0.0.1 (own process)")
    print(f"issued (HTTP 201): {total / answered:,.0f} tickets/s, p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms")
    print(f"printed (every job received by the printer): {total / printed:,.0f} tickets/s, "
          f"{printed / total * 1000:.1f} ms per ticket")


if __name__ == "__main__":
    main()
