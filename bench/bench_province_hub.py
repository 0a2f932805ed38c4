"""The province hub's own costs, measured on this machine against a throwaway PostgreSQL
(tests/province_services.py; durable settings: fsync and synchronous_commit on):

1. ingest: batches of 500 events (tickets, stretches, ratings of busy days) through the hub's
   ingest transaction (layso.province.ingest.apply_batch), events/s, against a raw ``COPY`` of the
   same rows into the same tables in the same run (the hub's share of COPY);
2. the province-year summary (every center, a year, by center, service, officer and day) over a
   bulk-loaded daily roll-up of ``--centers`` centers × 250 working days, once its months and year
   are rolled up (layso/province/periods.py), and a period of eleven whole months.

    python bench/bench_province_hub.py [--centers 100] [--events 50000]

The end-to-end simulation of 100 centers pushing through the real sync code is
bench/simulate_province.py.
"""

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from layso.province.centers import center_by_code, register_center  # noqa: E402
from layso.province.ingest import apply_batch  # noqa: E402
from layso.province.periods import build_periods  # noqa: E402
from layso.province.reports import ROLLUP_VERSION, province_summary  # noqa: E402
from layso.province.schema import ensure_partitions, migrate  # noqa: E402
from tests.province_services import PostgresServer  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SERVICES = [f"S{index:02d}" for index in range(10)]
OFFICERS = [f"cb{index:02d}" for index in range(10)]


def day_events(chance: random.Random, day: str, first_id: int, per_day: int) -> list[dict]:
    """A busy day's rows as hub events (each ticket issued, called, finished, often rated)."""
    events, clock = [], datetime.fromisoformat(day + "T07:30:00+07:00")
    for number in range(per_day):
        ticket = first_id + number
        clock += timedelta(seconds=chance.randint(5, 90))
        service, officer = chance.choice(SERVICES), chance.choice(OFFICERS)
        wait, served = chance.randint(30, 2400), chance.randint(60, 1200)
        called, ended = clock + timedelta(seconds=wait), clock + timedelta(seconds=wait + served)
        row = {"id": ticket, "day": day, "service": service, "number_service": service, "number": f"A{number:03d}",
               "priority": 0, "status": "waiting", "issued_at": clock.isoformat(), "queued_at": clock.isoformat(),
               "transferred": 0, "calls": 0, "wait_s": 0, "service_s": 0}
        events.append(("tickets", ticket, row))
        events.append(("tickets", ticket, row | {"status": "finished", "called_at": called.isoformat(),
                                                  "finished_at": ended.isoformat(), "counter": 1, "officer": officer,
                                                  "wait_s": wait, "service_s": served}))
        events.append(("visits", ticket, {"id": ticket, "ticket": ticket, "day": day, "service": service, "counter":
                                          OFFICERS.index(officer) + 1, "officer": officer, "queued_at": clock.isoformat(),
                                          "called_at": called.isoformat(), "wait_s": wait, "ended_at": ended.isoformat(),
                                          "outcome": "finished", "service_s": served}))
        if chance.random() < 0.7:
            events.append(("ratings", ticket, {"id": ticket, "ticket": ticket, "day": day, "at": ended.isoformat(),
                                               "level": chance.choice(("very_satisfied", "satisfied", "not_satisfied")),
                                               "reasons": [], "officer": officer, "counter": 1, "service": service}))
    return events


def bench_ingest(url: str, total: int) -> None:
    chance = random.Random(18)
    with psycopg.connect(url, autocommit=True) as connection:
        register_center(connection, "bench", "Bench", by=None, token="bench-token")
        raw, day, ticket = [], date(2026, 3, 2), 1
        while len(raw) < total:
            raw += day_events(chance, day.isoformat(), ticket, 300)
            ticket += 300
            day += timedelta(days=1)
        events = [{"seq": seq, "kind": kind, "key": str(key), "at": "", "data": data}
                  for seq, (kind, key, data) in enumerate(raw[:total], start=1)]
        known: set = set()
        started = time.perf_counter()
        for first in range(0, len(events), 500):
            apply_batch(connection, center_by_code(connection, "bench"), events[first:first + 500],
                        now=datetime.now(TZ), known_months=known)
        ingest_s = time.perf_counter() - started
        rows = {kind: [data for seq_kind, _, data in raw[:total] if seq_kind == kind] for kind in ("tickets", "visits", "ratings")}
        connection.execute("DELETE FROM tickets; DELETE FROM visits; DELETE FROM ratings")
        center = center_by_code(connection, "bench").id
        started = time.perf_counter()
        with connection.transaction(), connection.cursor() as cursor:
            latest = {row["id"]: row for row in rows["tickets"]}  # COPY cannot update: the final rows only
            with cursor.copy("COPY tickets (center, id, day, service, number_service, number, priority, status, issued_at, "
                             "queued_at, transferred, called_at, finished_at, counter, officer, wait_s, service_s) FROM STDIN") as copy:
                for row in latest.values():
                    copy.write_row((center, row["id"], row["day"], row["service"], row["number_service"], row["number"], 0,
                                    row["status"], row["issued_at"], row["queued_at"], False, row.get("called_at"),
                                    row.get("finished_at"), row.get("counter"), row.get("officer"), row["wait_s"], row["service_s"]))
            with cursor.copy("COPY visits (center, id, ticket, day, service, counter, officer, queued_at, called_at, wait_s, "
                             "ended_at, outcome, service_s) FROM STDIN") as copy:
                for row in rows["visits"]:
                    copy.write_row((center, row["id"], row["ticket"], row["day"], row["service"], row["counter"], row["officer"],
                                    row["queued_at"], row["called_at"], row["wait_s"], row["ended_at"], row["outcome"], row["service_s"]))
            with cursor.copy("COPY ratings (center, id, ticket, day, at, level, reasons, officer, counter, service) FROM STDIN") as copy:
                for row in rows["ratings"]:
                    copy.write_row((center, row["id"], row["ticket"], row["day"], row["at"], row["level"], "[]", row["officer"],
                                    row["counter"], row["service"]))
        copy_s = time.perf_counter() - started
        print(f"ingest: {total} events in {ingest_s:.2f} s = {total / ingest_s:,.0f} events/s (batches of 500, one process)")
        print(f"COPY of the same rows: {copy_s:.2f} s = {total / copy_s:,.0f} events/s; the hub's share of COPY: "
              f"{copy_s / ingest_s:.0%}")


def bench_year(url: str, centers: int) -> None:
    """A year's roll-up bulk-loaded (what the hub keeps for closed days), then the year's reports."""
    chance = random.Random(7)
    days = [date(2025, 1, 1) + timedelta(days=offset) for offset in range(365)]
    days = [day for day in days if day.weekday() < 5][:250]
    with psycopg.connect(url, autocommit=True) as connection:
        ensure_partitions(connection, {date(2025, month, 1) for month in range(1, 13)}, known=set())
        for index in range(centers):
            register_center(connection, f"c{index:03d}", f"Trung tâm {index:03d}", by=None, token=f"token-{index}")
        ids = [center_id for (center_id,) in connection.execute("SELECT id FROM centers WHERE code LIKE 'c%' ORDER BY code")]
        started = time.perf_counter()
        with connection.transaction(), connection.cursor() as cursor:
            with cursor.copy("COPY rollup (center, day, grouping, key, issued, served, no_show, transferred, not_rated, "
                             "ratings, wait_s, service_s) FROM STDIN") as copy:
                for center in ids:
                    for day in days:
                        per_key = {grouping: {} for grouping in ("day", "service", "officer", "counter")}
                        for _ in range(300):
                            wait, served = chance.randint(30, 2400), chance.randint(60, 1200)
                            service, officer = chance.choice(SERVICES), chance.randint(0, 9)
                            for grouping, key in (("day", day.isoformat()), ("service", service),
                                                  ("officer", OFFICERS[officer]), ("counter", officer + 1)):
                                part = per_key[grouping].setdefault(key, ([], []))
                                part[0].append(float(wait))
                                part[1].append(float(served))
                        for grouping, keys in per_key.items():
                            for key, (waits, services) in keys.items():
                                count = len(waits)
                                copy.write_row((center, day, grouping, json.dumps(key), count, count, 0, 0, count // 3,
                                                json.dumps({"very_satisfied": count // 2, "satisfied": count // 6}),
                                                sorted(waits), sorted(services)))
            with cursor.copy("COPY rollup_days (center, day, version, built_at) FROM STDIN") as copy:
                for center in ids:
                    for day in days:
                        copy.write_row((center, day, ROLLUP_VERSION, datetime.now(TZ)))
        print(f"roll-up of {centers} centers × {len(days)} days bulk-loaded in {time.perf_counter() - started:.1f} s")
        connection.execute("ANALYZE")
        size = connection.execute("SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c "
                                  "WHERE c.relname LIKE 'rollup_2025_%' AND c.relkind = 'r'").fetchone()[0]
        print(f"roll-up partitions for 2025: {size}")
        now = datetime(2026, 3, 1, 9, 0, tzinfo=TZ)
        started = time.perf_counter()
        for center in ids:  # what the hub's background job does once a month (and a year) is over
            build_periods(connection, center, "2025-01-01", "2025-12-31", now=now, version=ROLLUP_VERSION)
        print(f"months and year rolled up from the days in {time.perf_counter() - started:.1f} s")
        for first, last, bys in (("2025-01-01", "2025-12-31", ("center", "service", "officer", "day")),
                                 ("2025-01-01", "2025-11-30", ("center", "service"))):
            for by in bys:
                timings = []
                for _ in range(3):
                    started = time.perf_counter()
                    rows = province_summary(connection, first, last, by, now=now, build=False)
                    timings.append(time.perf_counter() - started)
                print(f"province summary {first}…{last} by={by}: {len(rows)} rows, best of 3 {min(timings):.2f} s")


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--centers", type=int, default=100)
    parser.add_argument("--events", type=int, default=50_000)
    args = parser.parse_args()
    server = PostgresServer()
    server.durable = True
    server.start()
    try:
        url = server.create_database("bench")
        migrate(url)
        if args.events:
            bench_ingest(url, args.events)
        bench_year(url, args.centers)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
