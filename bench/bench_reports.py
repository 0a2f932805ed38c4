"""Reports bench: a busy center's year, generated, then the summary for each grouping timed
cold (empty roll-up) and warm, a month, the quarterly evaluation and the dashboard snapshot;
optionally the live dashboard under 50 events/s.

Run: python bench/bench_reports.py [--tickets 300000] [--runs 15] [--live-s 20]
The year: 300 working days, ~1,000 tickets a day over 6 services, 8 counters and officers,
~10 % of tickets transferred once, ~4 % no-shows, ratings for ~75 % of finished tickets
(bulk inserted; the queue verbs would take hours). Then, with --live-s, a server on the
demo center gets 50 ticket operations a second over HTTP (issue, call-next, finish in turn)
while a dashboard socket client times each event's arrival and fetches the snapshot as the
page does (at most every 0.4 s).
"""

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layso import settings as settings_module  # noqa: E402
from layso.reports.evaluation import evaluation  # noqa: E402
from layso.reports.live import snapshot  # noqa: E402
from layso.reports.summary import summary  # noqa: E402
from layso.store.db import open_db, write  # noqa: E402
from layso.store.migrations import migrate  # noqa: E402
from layso.store.seed import seed_database  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SERVICES = ["HT", "LLTP", "CT", "GCN", "DKKD", "GPLX"]
LEVELS = ["very_satisfied"] * 70 + ["satisfied"] * 25 + ["not_satisfied"] * 5


def working_days(count: int, last: date) -> list[date]:
    days, day = [], last
    while len(days) < count:
        if day.weekday() < 6:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def generate(db, *, tickets: int, last_day: date) -> tuple[int, int, int]:
    """Bulk insert a year of tickets, visits and ratings; return their counts."""
    rng = random.Random(2026)
    days = working_days(300, last_day)
    per_day = tickets // len(days)
    ticket_rows, visit_rows, rating_rows = [], [], []
    ticket_id = 0
    for day in days:
        seq = dict.fromkeys(SERVICES, 0)
        for index in range(per_day):
            ticket_id += 1
            service = rng.choice(SERVICES)
            seq[service] += 1
            issued = datetime(day.year, day.month, day.day, 7, 30, tzinfo=TZ) + timedelta(seconds=index * 30000 // per_day)
            counter = rng.randint(1, 8)
            wait = rng.randint(30, 2400)
            called = issued + timedelta(seconds=wait)
            service_s = rng.randint(60, 900)
            outcome = "no_show" if rng.random() < 0.04 else ("transferred" if rng.random() < 0.10 else "finished")
            ended = called + timedelta(seconds=service_s)
            visit_rows.append((ticket_id, day.isoformat(), service, counter, f"canbo{counter}", issued.isoformat(),
                               called.isoformat(), wait, ended.isoformat(), outcome, service_s))
            status, finished_at = outcome, None
            total_wait, total_service = wait, service_s
            if outcome == "transferred":
                second_wait, second_service = rng.randint(10, 600), rng.randint(60, 900)
                other = rng.randint(1, 8)
                called_again = ended + timedelta(seconds=second_wait)
                finished = called_again + timedelta(seconds=second_service)
                visit_rows.append((ticket_id, day.isoformat(), service, other, f"canbo{other}", ended.isoformat(),
                                   called_again.isoformat(), second_wait, finished.isoformat(), "finished", second_service))
                status, counter, ended = "finished", other, finished
                total_wait += second_wait
                total_service += second_service
            if status == "finished":
                finished_at = ended.isoformat()
                if rng.random() < 0.75:
                    rating_rows.append((ticket_id, day.isoformat(), finished_at, rng.choice(LEVELS), "[]",
                                        f"canbo{counter}", counter, service))
            ticket_rows.append((ticket_id, day.isoformat(), service, service, seq[service], f"{service[:1]}{seq[service]:04d}{ticket_id}",
                                status, f"bench-{ticket_id}", issued.isoformat(), issued.isoformat(),
                                int(outcome == "transferred"), finished_at, counter, f"canbo{counter}", total_wait, total_service))
    connection = db.conn
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO tickets (id, day, service, number_service, seq, number, status, status_token, issued_at, queued_at, "
        "transferred, finished_at, counter, officer, wait_s, service_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ticket_rows)
    connection.executemany(
        "INSERT INTO visits (ticket, day, service, counter, officer, queued_at, called_at, wait_s, ended_at, outcome, service_s) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", visit_rows)
    connection.executemany(
        "INSERT INTO ratings (ticket, day, at, level, reasons, officer, counter, service) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rating_rows)
    connection.execute("COMMIT")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("ANALYZE")
    return len(ticket_rows), len(visit_rows), len(rating_rows)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, -(-99 * len(ordered) // 100) - 1)]


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def forget_rollup(db) -> None:
    with write(db):
        db.execute("DELETE FROM report_rollup")
        db.execute("DELETE FROM report_rollup_days")


def time_reports(db, *, first: str, last: str, runs: int) -> None:
    """Cold (empty roll-up: the report builds every closed day) and warm figures; "today"
    is the last generated day, read live from the raw rows."""
    moment = datetime.fromisoformat(last + "T10:30:00+07:00")
    print(f"summary over {first} … {last} at {moment.isoformat()} (ms):")
    for by in ("officer", "counter", "service", "day"):
        forget_rollup(db)
        cold = timed(lambda: summary(db, first, last, by, now=moment))
        days = db.execute("SELECT COUNT(*) FROM report_rollup_days").fetchone()[0]
        samples = [timed(lambda: summary(db, first, last, by, now=moment)) for _ in range(runs)]
        rows = len(summary(db, first, last, by, now=moment))
        print(f"  by={by:8s} rows={rows:4d}  cold {cold:7.0f} ({days} days built)  warm p50 {statistics.median(samples):6.1f}"
              f"  p99 {percentiles(samples)[1]:6.1f}")
    stored = db.execute("SELECT COUNT(*), SUM(LENGTH(wait_s) + LENGTH(service_s) + LENGTH(ratings)) FROM report_rollup").fetchone()
    print(f"  roll-up: {stored[0]:,} rows, {stored[1] / 1e6:.1f} MB of values")
    month_start = last[:8] + "01"
    samples = [timed(lambda: summary(db, month_start, last, "officer", now=moment)) for _ in range(runs)]
    print("  one month by=officer        p50 {:7.1f}  p99 {:7.1f}".format(*percentiles(samples)))
    quarter = f"{last[:4]}-Q{(int(last[5:7]) + 2) // 3}"
    samples = [timed(lambda: evaluation(db, quarter, now=moment)) for _ in range(runs)]
    print(f"  evaluation {quarter}          p50 {{:7.1f}}  p99 {{:7.1f}}".format(*percentiles(samples)))
    print("  without the roll-up (raw rows, reference), by=officer: {:.0f}".format(
        timed(lambda: summary(db, first, last, "officer"))))
    samples = [timed(lambda: snapshot(db, now=moment)) for _ in range(runs)]
    print("  dashboard snapshot (today)  p50 {:7.1f}  p99 {:7.1f}".format(*percentiles(samples)))


def live(seconds: float, rate: int) -> None:
    """50 ticket operations/s against a demo server; dashboard event delay and snapshot time."""
    import requests

    from tests.helpers import LiveServer, RecordingClient

    server = LiveServer(Path(tempfile.mkdtemp()))
    server.start()
    try:
        manager = server.login("lanhdao")
        token = manager["Authorization"][7:]
        arrivals: dict = {}
        client = RecordingClient(server.url, {"role": "dashboard", "token": token})
        client.client.on("*", lambda name, data=None: arrivals.setdefault(len(arrivals), (name, time.perf_counter())))
        officers = {number: server.login(f"canbo{number}") for number in range(1, 9)}
        session = requests.Session()
        for number, headers in officers.items():
            session.post(server.url + f"/api/v1/counters/{number}/open", headers=headers)
        sent, snapshot_ms, stop = [], [], threading.Event()

        def poll_snapshot():
            while not stop.is_set():
                start = time.perf_counter()
                session_local.get(server.url + "/api/v1/dashboard", headers=manager).raise_for_status()
                snapshot_ms.append((time.perf_counter() - start) * 1000)
                stop.wait(0.4)

        session_local = requests.Session()
        poller = threading.Thread(target=poll_snapshot)
        poller.start()
        begin = time.perf_counter()
        operation = 0
        while time.perf_counter() - begin < seconds:
            due = begin + operation / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            step = operation % 3
            counter = (operation // 3) % 8 + 1
            if step == 0:
                session.post(server.url + "/api/v1/tickets", json={"service": "HT"})
            elif step == 1:
                session.post(server.url + f"/api/v1/counters/{counter}/call-next", headers=officers[counter])
            else:
                session.post(server.url + f"/api/v1/counters/{counter}/finish", headers=officers[counter])
            sent.append(time.perf_counter())
            operation += 1
        elapsed = time.perf_counter() - begin
        time.sleep(1.0)
        stop.set()
        poller.join()
        client.close()
        events = len(arrivals)
        print(f"live: {operation} operations in {elapsed:.1f} s ({operation / elapsed:.1f}/s) → {events} events at the dashboard "
              f"({events / elapsed:.1f}/s)")
        print("  dashboard snapshot while busy (ms): p50 {:.1f}  p99 {:.1f}  ({} fetches)".format(
            *percentiles(snapshot_ms), len(snapshot_ms)))
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--live-s", type=float, default=20.0)
    parser.add_argument("--rate", type=int, default=50)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="layso-bench-"))
    settings = settings_module.load(demo=True, db=str(folder / "bench.db"), environ={})
    db = open_db(settings.db_path)
    migrate(db)
    seed_database(db, settings)
    last_day = date(2026, 11, 21)
    start = time.perf_counter()
    counts = generate(db, tickets=options.tickets, last_day=last_day)
    print(f"generated {counts[0]:,} tickets, {counts[1]:,} visits, {counts[2]:,} ratings in {time.perf_counter() - start:.1f} s "
          f"({(settings.db_path.stat().st_size) / 1e6:.0f} MB)")
    first = (last_day - timedelta(days=365)).isoformat()
    time_reports(db, first=first, last=last_day.isoformat(), runs=options.runs)
    if options.live_s:
        live(options.live_s, options.rate)


if __name__ == "__main__":
    main()
