"""The counter console on a year of data: how fast the page and what it loads answer.

Builds a temporary demo database with a year of tickets (visits and ratings too, bulk
inserted in one transaction), starts server.py on it (gevent, as in production), logs in
an officer holding counter 1 with a queue waiting, and times, one request at a time:
GET /counter, /api/v1/counters/1/queue, /api/v1/officers/me/today, /api/v1/state (and the
tablet's page and levels). Prints p50/p99 per request. Target: ≤ 50 ms.

    .venv/bin/python bench/bench_console.py [--days 365] [--per-day 850] [--requests 300]
"""

import argparse
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layso import settings as settings_module  # noqa: E402
from layso.store.db import open_db, write  # noqa: E402
from layso.store.migrations import migrate  # noqa: E402
from layso.store.seed import seed_database  # noqa: E402
from tests.helpers import free_port  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COUNTERS = {1: ["HT", "CT"], 2: ["HT", "LLTP", "CT"], 3: ["LLTP", "HT"], 4: ["GCN"],
            5: ["GCN", "DKKD"], 6: ["DKKD"], 7: ["GPLX"], 8: ["GPLX", "CT"]}
PREFIX = {"HT": "A", "LLTP": "B", "CT": "C", "GCN": "D", "DKKD": "E", "GPLX": "G"}
LEVELS = ["very_satisfied"] * 6 + ["satisfied"] * 3 + ["not_satisfied"]
TICKET_COLUMNS = ("id", "day", "service", "number_service", "seq", "number", "priority", "status", "status_token", "issued_at",
                  "queued_at", "called_at", "first_called_at", "finished_at", "closed_at", "counter", "officer",
                  "calls", "wait_s", "service_s")
VISIT_COLUMNS = ("ticket", "day", "service", "counter", "officer", "queued_at", "called_at", "wait_s", "ended_at",
                 "outcome", "service_s")
RATING_COLUMNS = ("ticket", "day", "at", "level", "reasons", "officer", "counter", "service", "device")


def _insert(db, table, columns, rows):
    marks = ", ".join("?" for _ in columns)
    db.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def day_of_tickets(day: str, start: datetime, count: int, first_id: int, *, waiting: int = 0):
    """(tickets, visits, ratings) rows for one day, issued over 8 hours from ``start``:
    served, except the last ``waiting`` (today's open queue)."""
    tickets, visits, ratings = [], [], []
    seqs = dict.fromkeys(PREFIX, 0)
    for index in range(count):
        counter = random.randint(1, 8)
        service = random.choice(COUNTERS[counter])
        seqs[service] += 1
        issued = start + timedelta(seconds=index * 8 * 3600 / count)
        ticket_id = first_id + index
        iso = lambda moment: moment.isoformat(timespec="seconds")  # noqa: E731
        base = dict(id=ticket_id, day=day, service=service, number_service=service, seq=seqs[service],
                    number=f"{PREFIX[service]}{seqs[service]:03d}", priority=int(random.random() < 0.08),
                    status_token=secrets.token_urlsafe(12), issued_at=iso(issued), queued_at=iso(issued))
        if index >= count - waiting:
            tickets.append({**base, "status": "waiting", "calls": 0, "wait_s": 0, "service_s": 0})
            continue
        called = issued + timedelta(seconds=random.randint(60, 1800))
        ended = called + timedelta(seconds=random.randint(120, 900))
        outcome = "finished" if random.random() < 0.93 else "no_show"
        officer = f"canbo{counter}"
        wait_s, service_s = (called - issued).total_seconds(), (ended - called).total_seconds()
        tickets.append({**base, "status": outcome, "called_at": iso(called), "first_called_at": iso(called),
                        "finished_at": iso(ended) if outcome == "finished" else None, "closed_at": iso(ended),
                        "counter": counter, "officer": officer, "calls": 1, "wait_s": wait_s, "service_s": service_s})
        visits.append((ticket_id, base["day"], service, counter, officer, iso(issued), iso(called), wait_s, iso(ended),
                       outcome, service_s))
        if outcome == "finished" and random.random() < 0.7:
            level = random.choice(LEVELS)
            reasons = '["waiting_time"]' if level == "not_satisfied" else "[]"
            ratings.append((ticket_id, base["day"], iso(ended + timedelta(seconds=20)), level, reasons, officer, counter,
                            service, f"demo-tablet-{counter}"))
    return [tuple(row.get(column) for column in TICKET_COLUMNS) for row in tickets], visits, ratings


def build_database(path: Path, *, days: int, per_day: int) -> int:
    settings = settings_module.load(db=str(path), demo=True, environ={})
    db = open_db(path)
    migrate(db)
    seed_database(db, settings)
    random.seed(7)
    today = datetime.now(TZ).replace(second=0, microsecond=0)
    next_id, total = 1, 0
    started = time.perf_counter()
    with write(db):
        for offset in range(days, -1, -1):
            day = (today - timedelta(days=offset)).date().isoformat()
            # Past days open at 07:30; today's services all ended before now (a tablet may
            # rate only the latest one), and a center-wide queue of 60 is still waiting.
            start = today - timedelta(hours=8, minutes=50) if offset == 0 else \
                (today - timedelta(days=offset)).replace(hour=7, minute=30)
            tickets, visits, ratings = day_of_tickets(day, start, per_day, next_id, waiting=60 if offset == 0 else 0)
            _insert(db, "tickets", TICKET_COLUMNS, tickets)
            _insert(db, "visits", VISIT_COLUMNS, visits)
            _insert(db, "ratings", RATING_COLUMNS, ratings)
            next_id += per_day
            total += len(tickets)
    db.execute("ANALYZE")
    print(f"built {total:,} tickets over {days + 1} days in {time.perf_counter() - started:.1f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)")
    db.conn.close()
    return total


def start_server(db_path: Path, port: int):
    command = [sys.executable, str(ROOT / "server.py"), "--demo", "--db", str(db_path), "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={"LAYSO_ASYNC_MODE": "gevent", "LAYSO_TICKET_RATE_LIMIT": "0", "PATH": "/usr/bin:/bin"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/state", timeout=1).raise_for_status()
            return process
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start")


def measure(session, url, count):
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = session.get(url, timeout=10)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.99))]


def serve_and_rate(session, base, csrf, cycles):
    """The write path on a year of data: call-next, finish, then the tablet's rating
    (which looks up the counter's latest finished ticket)."""
    timings = {"POST call-next": [], "POST finish": [], "POST /api/v1/ratings": []}
    tablet = {"Authorization": "Bearer demo-tablet-1"}
    for _ in range(cycles):
        for name, url, body, headers in (
            ("POST call-next", "/api/v1/counters/1/call-next", {}, {"X-CSRF-Token": csrf}),
            ("POST finish", "/api/v1/counters/1/finish", {}, {"X-CSRF-Token": csrf}),
        ):
            started = time.perf_counter()
            answer = session.post(base + url, json=body, headers=headers, timeout=10)
            timings[name].append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
        ticket = answer.json()["ticket"]["id"]
        started = time.perf_counter()
        rated = requests.post(base + "/api/v1/ratings", json={"ticket": ticket, "level": "satisfied"},
                              headers=tablet, timeout=10)
        if rated.status_code != 201:
            raise SystemExit(f"rating refused: {rated.status_code} {rated.text}")
        timings["POST /api/v1/ratings"].append((time.perf_counter() - started) * 1000)
    for name, values in timings.items():
        values.sort()
        print(f"{name:40} {statistics.median(values):8.1f} {values[-1]:8.1f}  (max of {len(values)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=850)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "year.db"
        build_database(db_path, days=args.days, per_day=args.per_day)
        port = free_port()
        server = start_server(db_path, port)
        base = f"http://127.0.0.1:{port}"
        try:
            session = requests.Session()
            login = session.post(base + "/api/v1/auth/login", json={"username": "canbo1", "password": "demo"}).json()
            session.post(base + "/api/v1/counters/1/open", headers={"X-CSRF-Token": login["csrf_token"]}).raise_for_status()
            queue = session.get(base + "/api/v1/counters/1/queue").json()
            today = session.get(base + "/api/v1/officers/me/today").json()
            print(f"counter 1: {queue['waiting_total']} waiting; canbo1 today: {today['served']} served, "
                  f"avg {today['avg_service_s']} s")
            print(f"{'request':40} {'p50 ms':>8} {'p99 ms':>8}")
            for path in ("/counter", "/api/v1/counters/1/queue", "/api/v1/officers/me/today", "/api/v1/state",
                         "/tablet/1", "/api/v1/ratings/levels"):
                measure(session, base + path, 10)  # warm up
                p50, p99 = measure(session, base + path, args.requests)
                print(f"GET {path:36} {p50:8.1f} {p99:8.1f}")
            serve_and_rate(session, base, login["csrf_token"], min(25, queue["waiting_total"]))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
