"""Province bench (issue 18): a province of simulated centers pushing through the real sync
code (layso.sync.worker.HubSync, one per center, concurrently) to a real hub process
(python -m layso.province, --workers 2 by default, on a throwaway PostgreSQL with fsync and
synchronous_commit on, as a province runs it, and Redis).

Prints:
1. ingest: every center's realistic day (morning peak, the demo's service mix, no-shows,
   ratings; made with the queue verbs, so each change went through hub_log's triggers) sent
   as a backlog by all centers at once — events per second the hub took;
2. the same events loaded by a raw PostgreSQL COPY in the same run, and the hub's share of it;
3. live: the time from a center's commit to the hub's acknowledgement, one ticket at a time
   while the province is idle (batch_ms 1000, the default: the wait for company dominates);
4. catch-up: 30 centers cut off for an hour of activity, then reconnected — time until the
   hub holds all of it;
5. the province report over a generated year for every center (rows bulk-loaded by COPY into
   the hub's tables, the year from bench_reports.generate): by center, cold (roll-up built)
   and warm, and by service for one center.

Run: python bench/simulate_province.py [--centers 100] [--tickets 300] [--cut 30]
     [--hour-tickets 60] [--year-tickets 40] [--batch-max 5000] [--hub-workers 2] [--skip-year]
Targets (issue 18, this 2-core machine): ingest ≥ 10,000 events/s; a province-year summary
≤ 1 s; a live update ≤ 2 s after the center's commit.
"""

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import requests  # noqa: E402

from bench.bench_reports import generate  # noqa: E402
from layso import settings as settings_module  # noqa: E402
from layso.errors import LaysoError  # noqa: E402
from layso.province.centers import register_center  # noqa: E402
from layso.province.ingest import COLUMNS  # noqa: E402
from layso.province.schema import ensure_partitions  # noqa: E402
from layso.queue.calling import call_next, finish, no_show  # noqa: E402
from layso.queue.counters import open_counter  # noqa: E402
from layso.queue.ratings import rate  # noqa: E402
from layso.queue.tickets import issue_ticket  # noqa: E402
from layso.settings import HubLink  # noqa: E402
from layso.store.db import open_db  # noqa: E402
from layso.store.hub_log import position, read_batch  # noqa: E402
from layso.store.migrations import migrate  # noqa: E402
from layso.store.seed import seed_database  # noqa: E402
from layso.sync.worker import HubSync  # noqa: E402
from tests.province_hub import HubServer  # noqa: E402
from tests.province_services import PostgresServer, RedisServer  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = "2026-11-23"  # a Monday
NEXT_DAY = "2026-11-24"
# The demo center's services, weighted like a commune's day (hộ tịch and chứng thực most).
SERVICE_MIX = ["HT"] * 35 + ["CT"] * 30 + ["LLTP"] * 10 + ["GCN"] * 10 + ["DKKD"] * 8 + ["GPLX"] * 7
LEVELS = ["very_satisfied"] * 70 + ["satisfied"] * 25 + ["not_satisfied"] * 5
TEMPLATES = 4  # distinct days made with the queue verbs, copied to every center


def at(day: str, seconds: float) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=TZ) + timedelta(seconds=seconds)


def arrival_seconds(rng: random.Random, count: int, *, start_h=7.5, end_h=16.5) -> list[float]:
    """Arrivals over a day with a morning peak (most between 8:00 and 10:00), none at lunch."""
    times = []
    while len(times) < count:
        hour = rng.gauss(9.0, 1.0) if rng.random() < 0.65 else rng.uniform(13.5, 16.5)
        if start_h <= hour <= end_h and not 11.5 <= hour < 13.5:
            times.append(hour * 3600)
    return sorted(times)


def center_day(db, day: str, arrivals: list[float], rng: random.Random) -> None:
    """Tickets issued at ``arrivals``, each served by the free counter of its service that
    frees first (waits build up at the peak), 4 % no-shows, 75 % of the served rated."""
    counters = {row["number"]: row for row in db.query("SELECT number, services FROM counters WHERE active = 1")}
    officers = [row[0] for row in db.execute("SELECT username FROM users WHERE role = 'officer' ORDER BY username")]
    free_at = {}
    for index, number in enumerate(sorted(counters)):
        try:
            open_counter(db, number, officer=officers[index % len(officers)], now=at(day, arrivals[0] - 60))
        except LaysoError:
            pass  # open already (the hour after the day), or an officer short
        free_at[number] = arrivals[0]
    serving = {number: json.loads(row["services"]) for number, row in counters.items() if number in free_at}
    for arrival in arrivals:
        service = rng.choice(SERVICE_MIX)
        ticket = issue_ticket(db, service, now=at(day, arrival)).value
        number = min((n for n, codes in serving.items() if service in codes), key=lambda n: free_at[n])
        officer = db.execute("SELECT officer FROM counters WHERE number = ?", [number]).fetchone()[0]
        called = max(arrival, free_at[number]) + rng.uniform(5, 30)
        call_next(db, number, officer=officer, now=at(day, called))
        length = rng.lognormvariate(5.6, 0.5)  # ~4.5 min typical
        if rng.random() < 0.04:
            no_show(db, number, officer=officer, now=at(day, called + 60))
            free_at[number] = called + 60
            continue
        finish(db, number, officer=officer, now=at(day, called + length))
        free_at[number] = called + length
        if rng.random() < 0.75:
            level = rng.choice(LEVELS)
            rate(db, ticket_id=ticket["id"], counter=number, level=level, device=None, now=at(day, called + length + 15),
                 reasons=["waiting_time"] if level == "not_satisfied" else None)


def make_centers(folder: Path, *, centers: int, tickets: int) -> list[Path]:
    """``TEMPLATES`` distinct center days made with the verbs, copied to ``centers`` files."""
    environ = {"LAYSO_SECRET_KEY": "bench-secret-key-0123456789"}
    templates = []
    for index in range(min(TEMPLATES, centers)):
        path = folder / f"template-{index}.db"
        # demo: the officers canbo<N> of counter N (the seed only; the app would add a history)
        settings = settings_module.load(demo=True, db=str(path), environ=environ)
        db = open_db(path)
        migrate(db)
        seed_database(db, settings)
        db.execute("UPDATE services SET daily_cap = NULL")
        rng = random.Random(index)
        center_day(db, DAY, arrival_seconds(rng, tickets), rng)
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
        templates.append(path)
    paths = []
    for number in range(1, centers + 1):
        path = folder / f"c{number:03d}.db"
        shutil.copyfile(templates[(number - 1) % len(templates)], path)
        paths.append(path)
    return paths


class Hub:
    """The hub process (tests/province_hub.py), its database and Redis."""

    def __init__(self, folder: Path, workers: int):
        self.postgres = PostgresServer()
        self.postgres.durable = True  # fsync and synchronous_commit on, as a province runs it
        self.postgres.start()
        self.redis = RedisServer().start()
        self.database_url = self.postgres.create_database("province")
        self.server = HubServer(folder, self.database_url, self.redis.url, workers=workers).start()
        self.url = self.server.url

    def connect(self):
        return psycopg.connect(self.database_url, autocommit=True)

    def stop(self):
        self.server.stop()
        self.redis.stop()
        self.postgres.stop()


class Center:
    """One simulated center: its database and its real sync worker."""

    def __init__(self, code: str, path: Path, hub_url: str, token: str, batch_max: int, batch_ms: int):
        self.code, self.path = code, path
        self.cut = False
        self._link = HubLink(url=hub_url, token=token, batch_max=batch_max, batch_ms=batch_ms, source="config")
        self.db = open_db(path)  # the worker's own connection (it is the only one to use it)
        self.sync = HubSync(self._connection, self._current_link, lambda events: None,
                            clock=lambda: datetime.now(TZ))

    @contextmanager
    def _connection(self):
        yield self.db

    def _current_link(self, _db):
        return HubLink() if self.cut else self._link

    def position(self):
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as connection:
            acked = connection.execute("SELECT acked FROM hub_link").fetchone()[0]
            last = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'hub_log'").fetchone()[0]
        return acked, last


def wait_synced(centers, timeout_s=3600.0) -> float:
    started = time.monotonic()
    while not all(acked == last for acked, last in (center.position() for center in centers)):
        if time.monotonic() - started > timeout_s:
            raise RuntimeError("not synced in time")
        time.sleep(0.05)
    return time.monotonic() - started


def copy_baseline(hub: Hub, centers) -> tuple[int, float]:
    """The same events, COPYed raw into one table of the hub's database."""
    rows = []
    for index, center in enumerate(centers):
        db = open_db(center.path)
        for event in read_batch(db, after=0, limit=10**9):
            rows.append((index, event["seq"], event["kind"], event["key"], event["at"],
                         psycopg.types.json.Jsonb(event["data"])))
        db.conn.close()
    with hub.connect() as connection:
        connection.execute("CREATE TABLE copy_baseline (center int, seq bigint, kind text, key text, at text, data jsonb, "
                           "PRIMARY KEY (center, seq))")
        started = time.perf_counter()
        with connection.transaction(), connection.cursor() as cursor:
            with cursor.copy("COPY copy_baseline (center, seq, kind, key, at, data) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE copy_baseline")
    return len(rows), elapsed


def live_latency(centers, samples: int = 10) -> list[float]:
    """Commit a ticket at one center (not one of those cut off later); time until the hub acknowledged it."""
    center = centers[-1]
    db = open_db(center.path)
    latencies = []
    for index in range(samples):
        issue_ticket(db, "HT", now=at(NEXT_DAY, 7.5 * 3600 + index))
        committed = time.monotonic()
        last = position(db).last
        center.sync.wake()
        while center.position()[0] < last:
            time.sleep(0.005)
        latencies.append(time.monotonic() - committed)
    db.conn.close()
    return latencies


def load_year(hub: Hub, folder: Path, codes: list[str], tickets_per_day: int) -> tuple[int, float]:
    """A year of a busy center (bench_reports.generate), COPYed into the hub's tables once per center."""
    source = open_db(folder / "year.db")
    migrate(source)
    settings = settings_module.load(config=str(ROOT / "config" / "demo.toml"), db=str(folder / "year.db"),
                                    environ={"LAYSO_SECRET_KEY": "bench-secret-key-0123456789"})
    seed_database(source, settings)
    generate(source, tickets=tickets_per_day * 300, last_day=date(2025, 12, 31))
    tables = {}
    for table, columns in COLUMNS.items():
        names = [name for name, _, _ in columns]
        selected = ", ".join(names)
        tables[table] = (names, source.conn.execute(f"SELECT {selected} FROM {table}").fetchall())
    months = sorted({date.fromisoformat(row[names.index("day")]).replace(day=1)
                     for names, rows in tables.values() for row in rows})
    source.conn.close()
    loaded, started = 0, time.perf_counter()
    with hub.connect() as connection:
        ensure_partitions(connection, months, known=set())
        center_ids = dict(connection.execute("SELECT code, id FROM centers WHERE code = ANY(%s)", [codes]).fetchall())
        for table, (names, rows) in tables.items():
            # One center's rows as COPY text once; each center's copy only differs by its first column.
            body = "".join("\t".join(_copy_text(value) for value in _hub_values(names, row)) + "\n" for row in rows)
            with connection.transaction(), connection.cursor() as cursor:
                with cursor.copy(f"COPY {table} (center, {', '.join(names)}) FROM STDIN") as copy:
                    for code in codes:
                        prefix = f"{center_ids[code]}\t"
                        copy.write(prefix + body.replace("\n", "\n" + prefix)[:-len(prefix)])
                        loaded += len(rows)
        connection.execute("ANALYZE")
    return loaded, time.perf_counter() - started


def _hub_values(names, row):
    values = list(row)
    if "transferred" in names:
        index = names.index("transferred")
        values[index] = bool(values[index])
    return values


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def load() -> str:
    """The machine's 1-, 5- and 15-minute load averages (other work on the machine lowers every figure)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def timed_get(url, params, headers) -> float:
    started = time.perf_counter()
    answer = requests.get(url, params=params, headers=headers, timeout=600)
    answer.raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--centers", type=int, default=100)
    parser.add_argument("--tickets", type=int, default=300, help="tickets in each center's day")
    parser.add_argument("--cut", type=int, default=30, help="centers cut off for an hour")
    parser.add_argument("--hour-tickets", type=int, default=60, help="tickets in that hour at each cut-off center")
    parser.add_argument("--year-tickets", type=int, default=40,
                        help="tickets a working day in the generated year (a commune center: ~40)")
    parser.add_argument("--batch-max", type=int, default=5000)
    parser.add_argument("--hub-workers", type=int, default=2)
    parser.add_argument("--skip-year", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="layso-province-"))
    print(f"machine: {os.cpu_count()} cores, load average {load()}; {args.centers} centers, {args.tickets} tickets each; "
          f"folder {folder}")
    started = time.perf_counter()
    paths = make_centers(folder, centers=args.centers, tickets=args.tickets)
    print(f"centers made in {time.perf_counter() - started:.1f} s ({TEMPLATES} days with the queue verbs, copied)")
    hub = Hub(folder, args.hub_workers)
    try:
        codes = [f"c{number:03d}" for number in range(1, args.centers + 1)]
        with hub.connect() as connection:
            for code in codes:
                register_center(connection, code, f"Trung tâm {code}", by=None, token=f"token-{code}")
        centers = [Center(code, path, hub.url, f"token-{code}", args.batch_max, 1000) for code, path in zip(codes, paths)]
        events = sum(center.position()[1] for center in centers)

        started = time.monotonic()  # before the first worker starts: starting 100 threads takes seconds
        for center in centers:
            center.sync.start()
        wait_synced(centers)
        elapsed = time.monotonic() - started
        rate = events / elapsed
        print(f"ingest: {events:,} events from {len(centers)} centers in {elapsed:.1f} s = {rate:,.0f} events/s "
              f"(batches of at most {args.batch_max}; target ≥ 10,000)")

        copied, copy_s = copy_baseline(hub, centers)
        print(f"raw COPY of the same {copied:,} events: {copy_s:.2f} s = {copied / copy_s:,.0f} rows/s; "
              f"the hub's share: {rate / (copied / copy_s):.0%}")

        latencies = sorted(live_latency(centers))
        print(f"live: commit → hub acknowledged, {len(latencies)} tickets: median {latencies[len(latencies) // 2]:.2f} s, "
              f"max {latencies[-1]:.2f} s (batch_ms 1000; target ≤ 2 s to the dashboard)")

        cut = centers[:args.cut]
        for center in cut:
            center.cut = True
        time.sleep(1.5)  # any batch in flight is answered
        started = time.perf_counter()
        for index, center in enumerate(cut):
            db = open_db(center.path)
            rng = random.Random(1000 + index)
            center_day(db, NEXT_DAY, arrival_seconds(rng, args.hour_tickets, start_h=8.0, end_h=9.0), rng)
            db.conn.close()
        backlog = sum(last - acked for acked, last in (center.position() for center in cut))
        print(f"an hour offline at {len(cut)} centers: {backlog:,} events made in {time.perf_counter() - started:.1f} s")
        for center in cut:
            center.cut = False
            center.sync.wake()
        elapsed = wait_synced(cut)
        print(f"catch-up: {backlog:,} events in {elapsed:.1f} s after the link came back ({backlog / elapsed:,.0f} events/s)")

        for center in centers:
            center.sync.close()

        if not args.skip_year:
            loaded, load_s = load_year(hub, folder, codes, args.year_tickets)
            print(f"a year for {len(codes)} centers bulk-loaded: {loaded:,} rows in {load_s:.0f} s")
            headers = {"Authorization": f"Bearer {hub.server.login()}"}
            year = {"from": "2025-01-01", "to": "2025-12-31"}
            url = hub.url + "/api/v1/province/summary"
            cold = timed_get(url, year | {"by": "center"}, headers)
            warm = sorted(timed_get(url, year | {"by": "center"}, headers) for _ in range(5))
            one = sorted(timed_get(url, year | {"by": "service", "center": codes[0]}, headers) for _ in range(5))
            print(f"province-year summary by center: cold {cold:.2f} s (builds the roll-up), warm median "
                  f"{warm[2]:.3f} s (target ≤ 1 s); one center by service, median {one[2]:.3f} s")
    finally:
        print(f"load average at the end: {load()}")
        hub.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
