"""200 citizens booking 20 slots at once (issue 16): exactly each slot's capacity is booked,
none over, every other answer 409 slot_full; p50/p99 of the answers.

Starts server.py --demo (gevent, as in production) on a temporary database, sets 20 slots
of capacity 2 for one service tomorrow, then fires 200 POST /api/v1/appointments from 200
threads released together (10 citizens for each slot, each its own phone number), and
checks the database afterwards.

    .venv/bin/python bench/bench_bookings.py [--citizens 200] [--slots 20] [--capacity 2]
"""

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import free_port  # noqa: E402


def start_server(folder: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "server.py"), "--demo", "--port", str(port), "--db", str(folder / "bench.db")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={"PATH": "/usr/bin:/bin", "LAYSO_TICKET_RATE_LIMIT": "0", "LAYSO_DEMO_HISTORY_DAYS": "0"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("LAYSO READY"):
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe drained
            break
    while time.monotonic() < deadline:  # READY comes just before the server listens
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--slots", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = start_server(Path(folder), port)
        url = f"http://127.0.0.1:{port}"
        try:
            admin = requests.post(url + "/api/v1/auth/login", json={"username": "admin", "password": "demo"}, timeout=10)
            headers = {"Authorization": f"Bearer {admin.json()['token']}"}
            tomorrow = date.today() + timedelta(days=1)
            rule = {"from": "08:00", "to": f"{8 + options.slots * 15 // 60:02d}:{options.slots * 15 % 60:02d}",
                    "every_min": 15, "capacity": options.capacity}
            answer = requests.post(url + "/api/v1/admin/settings/appointments", headers=headers, timeout=10,
                                   json={"value": {"cutoff_min": 5, "services": {"HT": [rule]}}})
            answer.raise_for_status()
            slots = requests.get(url + "/api/v1/appointments/slots", params={"service": "HT", "date": tomorrow.isoformat()},
                                 timeout=10).json()["slots"]
            assert len(slots) == options.slots, slots
            barrier = threading.Barrier(options.citizens)
            results: list = [None] * options.citizens
            sequential: list = []

            def citizen(index: int):
                session = requests.Session()
                body = {"service": "HT", "start": slots[index % options.slots]["start"], "phone": f"0912{index:06d}"}
                barrier.wait()
                began = time.perf_counter()
                response = session.post(url + "/api/v1/appointments", json=body, timeout=60)
                results[index] = (response.status_code, (time.perf_counter() - began) * 1000)

            threads = [threading.Thread(target=citizen, args=(index,)) for index in range(options.citizens)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            # For comparison: the same number of bookings one at a time (the next day, one slot each place).
            later_day = (tomorrow + timedelta(days=1)).isoformat()
            spread = requests.get(url + "/api/v1/appointments/slots", params={"service": "HT", "date": later_day},
                                  timeout=10).json()["slots"]
            session = requests.Session()
            for index in range(min(options.citizens, options.slots * options.capacity)):
                began = time.perf_counter()
                session.post(url + "/api/v1/appointments", timeout=60, json={
                    "service": "HT", "start": spread[index % options.slots]["start"], "phone": f"0913{index:06d}"})
                sequential.append((time.perf_counter() - began) * 1000)
        finally:
            server.terminate()
            server.wait(timeout=10)
        with sqlite3.connect(Path(folder) / "bench.db") as database:
            per_slot = Counter(start for (start,) in database.execute(
                "SELECT starts_at FROM appointments WHERE status = 'booked' AND day = ?", [tomorrow.isoformat()]))
    statuses = Counter(status for status, _ in results)
    times = sorted(ms for _, ms in results)
    p99 = times[max(0, round(0.99 * len(times)) - 1)]
    print(f"{options.citizens} bookings for {options.slots} slots of {options.capacity}: answers {dict(statuses)}")
    print(f"booked per slot: min {min(per_slot.values())}, max {max(per_slot.values())}, slots {len(per_slot)}")
    print(f"answer ms (all at once): p50 {statistics.median(times):.1f}, p99 {p99:.1f}, max {times[-1]:.1f}")
    one = sorted(sequential)
    print(f"answer ms (one at a time, {len(one)}): p50 {statistics.median(one):.1f}, "
          f"p99 {one[max(0, round(0.99 * len(one)) - 1)]:.1f}")
    exact = statuses[201] == options.slots * options.capacity and set(per_slot.values()) == {options.capacity}
    print("exactly the capacity booked, none over:", "yes" if exact else "NO")
    if not exact:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
