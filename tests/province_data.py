"""Activity at a center for the province hub's tests, made through the core verbs, and a
stand-in for the center's sync: every row of the center's tables as hub events (the real
sync, hub_log and its worker, lives in the center's code)."""

import json
import random
from datetime import date, datetime, timedelta

from layso.errors import LaysoError
from layso.province.centers import center_by_code
from layso.province.ingest import apply_batch
from layso.queue.calling import call_next, finish, hold, no_show, transfer
from layso.queue.counters import open_counter
from layso.queue.day import expire_past_days
from layso.queue.ratings import rate
from layso.queue.tickets import issue_ticket
from layso.store.db import write
from tests.helpers import open_all_day
from tests.report_data import TZ

PRIVATE = {"status_token", "comment", "password_hash", "phone"}
TABLES = (("services", "code"), ("fields", "code"), ("users", "username"), ("counters", "number"),
          ("center_settings", "key"), ("tickets", "id"), ("visits", "id"), ("ratings", "id"))
LEVELS = ("very_satisfied", "satisfied", "not_satisfied")


def center_events(db, *, first_seq: int = 1) -> list[dict]:
    """Every row of the center's replicated tables as one event each, numbered from ``first_seq``."""
    events = []
    for table, key in TABLES:
        for row in db.query(f"SELECT * FROM {table} ORDER BY {key}"):
            data = {name: value for name, value in row.items() if name not in PRIVATE}
            events.append({"seq": first_seq + len(events), "kind": "settings" if table == "center_settings" else table,
                           "key": str(row[key]), "at": "", "data": data})
    return events


def replicate(db, connection, code: str, *, now: datetime, batch: int = 500) -> int:
    """Push the center's rows to the hub as center ``code`` (after what it holds). Returns the cursor."""
    center = center_by_code(connection, code)
    events = center_events(db, first_seq=center.acked + 1)
    acked = center.acked
    for start in range(0, len(events), batch):
        acked = apply_batch(connection, center_by_code(connection, code), events[start:start + batch], now=now,
                            known_months=set()).acked
    return acked


def send_late_wait(db, connection, code: str, day: str, *, seconds: float, now: datetime) -> None:
    """A center that was offline corrects the wait of one stretch of ``day`` (dropping its own roll-up of
    that day, as it does) and sends just that row to the hub as center ``code``."""
    from layso.store.rollup import forget_days
    visit = db.execute("SELECT id FROM visits WHERE day = ? LIMIT 1", [day]).fetchone()[0]
    with write(db):
        db.execute("UPDATE visits SET wait_s = wait_s + ? WHERE id = ?", [seconds, visit])
        forget_days(db, [day])
    center = center_by_code(connection, code)
    (changed,) = [event for event in center_events(db, first_seq=center.acked + 1)
                  if event["kind"] == "visits" and event["key"] == str(visit)]
    apply_batch(connection, center, [changed | {"seq": center.acked + 1}], now=now, known_months=set())


def at(day: str, seconds: float) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=TZ) + timedelta(seconds=seconds)


def busy_days(db, first: str, days: int, *, seed: int, per_day: int = 30, close: bool = True) -> None:
    """``days`` days from ``first`` of random activity: tickets from 07:30 on over three
    services, counters 1–3 calling, and each call ending finished (rated or not), no-show,
    held and called back later, or transferred. With ``close``, the end-of-day pass runs after each day."""
    chance = random.Random(seed)
    open_all_day(db)
    with write(db):
        db.execute("UPDATE services SET daily_cap = NULL")
    for offset in range(days):
        day = (date.fromisoformat(first) + timedelta(days=offset)).isoformat()
        clock = 7 * 3600.0
        for number, officer in ((1, "an"), (2, "binh"), (3, "cuong")):
            try:
                open_counter(db, number, officer=officer, now=at(day, clock))
            except LaysoError:
                pass  # still open from the day before
        for _ in range(per_day):
            clock += chance.uniform(5, 400) + chance.random()  # waits with fractions of a second
            issue_ticket(db, chance.choice(("HT", "HT", "LLTP", "GCN")), now=at(day, clock))
            number, officer = chance.choice(((1, "an"), (2, "binh"), (3, "cuong")))
            clock += chance.uniform(1, 200)
            called = call_next(db, number, officer=officer, now=at(day, clock)).value
            if called is None:
                continue
            clock += chance.uniform(20, 900) + chance.random()
            ending = chance.random()
            try:
                if ending < 0.6:
                    finish(db, number, officer=officer, now=at(day, clock))
                    if chance.random() < 0.7:
                        rate(db, ticket_id=called["id"], counter=number, level=chance.choice(LEVELS), device=None,
                             now=at(day, clock + 20))
                elif ending < 0.72:
                    no_show(db, number, officer=officer, now=at(day, clock))
                elif ending < 0.86:
                    hold(db, number, officer=officer, now=at(day, clock))
                else:
                    transfer(db, number, officer=officer, service=chance.choice(("HT", "LLTP")), now=at(day, clock),
                             force=True)
            except LaysoError:
                pass  # e.g. a transfer to the service it is already in
        if close:
            expire_past_days(db, now=at(day, 24 * 3600 + 60))


def rows_without_center(rows: list[dict]) -> list[dict]:
    return [{name: value for name, value in row.items() if name != "center"} for row in rows]


def as_json(rows) -> str:
    return json.dumps(rows, sort_keys=True)


def login(client, username: str = "tinh") -> dict:
    """A demo province account's bearer header, from a hub test client."""
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": "demo"})
    return {"Authorization": f"Bearer {answer.json['token']}"}


def hub_digest(database_url: str) -> str:
    """A checksum of every row the hub holds (each partitioned table read whole through its
    parent, so a month's empty partition made on the way changes nothing): equal before and
    after a request that must not write."""
    import hashlib

    import psycopg

    digest = hashlib.sha256()
    with psycopg.connect(database_url) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1")]
        for table in tables:
            digest.update(table.encode())
            for row in sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"'))):
                digest.update(row.encode())
    return digest.hexdigest()
