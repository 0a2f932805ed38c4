"""The daily roll-up (tổng hợp theo ngày) that lets a year's report answer fast.

A day is *closed* once nothing can change its figures any more: it is before today, it has
no ticket still waiting, called or held, and the rating window (``rating.window_s``) has
passed since both its midnight and its last finish, so no late rating can arrive. A closed
day's parts (layso/reports/parts.py) are stored once per grouping and key and reused; a
report adds today's and other open days' parts read live. The roll-up is derived data:
``ROLLUP_VERSION`` changes with the definitions, and a day built with another version is
rebuilt when next needed. A rating stored for a past day (possible if an admin lengthens
the window) forgets that day's roll-up in the same transaction (queue/ratings.py).
"""

import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from layso.clock import iso, local_day, parse
from layso.queue.ratings import rating_config
from layso.reports.parts import read_parts
from layso.store.db import write
from layso.store.rollup import built_days, save_day

ROLLUP_VERSION = 1
OPEN_STATUSES = ("waiting", "called", "held")


def _next(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def closed_until(db, first: str, last: str, *, now: datetime, window_s: float, build: bool = True) -> str | None:
    """The last day of the run of closed days that starts at ``first`` and ends by ``last``,
    building the roll-up of any that is missing (only with ``build``: a public page never
    writes, it reads unbuilt days live); None when ``first`` is not closed. Days before the
    center's first ticket are closed and empty: nothing is stored for them."""
    end = min(last, (date.fromisoformat(local_day(now)) - timedelta(days=1)).isoformat())
    if end < first:
        return None
    (first_ticket,) = db.execute("SELECT MIN(day) FROM tickets").fetchone()
    built = built_days(db, first, end, version=ROLLUP_VERSION)
    reached, day = None, first
    while day <= end:
        empty = first_ticket is None or day < first_ticket
        if not (empty or day in built or (build and build_day(db, day, now=now, window_s=window_s))):
            break
        reached, day = day, _next(day)
    return reached


def build_day(db, day: str, *, now: datetime, window_s: float) -> bool:
    """Store the roll-up of ``day`` if it is closed (one short write transaction, so the
    day cannot change between reading and storing). Returns whether the day is built."""
    midnight = datetime.combine(date.fromisoformat(day) + timedelta(days=1), clock_time(), tzinfo=now.tzinfo)
    if now < midnight + timedelta(seconds=window_s):
        return False
    with write(db):
        if built_days(db, day, day, version=ROLLUP_VERSION):  # another request built it meanwhile
            return True
        still_open, last_finish = db.execute(
            f"SELECT COUNT(CASE WHEN status IN {OPEN_STATUSES} THEN 1 END), MAX(finished_at) FROM tickets WHERE day = ?",
            [day],
        ).fetchone()
        if still_open or (last_finish and now < parse(last_finish) + timedelta(seconds=window_s)):
            return False
        parts = read_parts(db, day, day)
        save_day(db, day, {grouping: {key: part for (_, key), part in by_key.items()} for grouping, by_key in parts.items()},
                 version=ROLLUP_VERSION, built_at=iso(now))
    # Let other requests run between days while a year is built: under gevent (server.py
    # patches time) this yields to the hub, in threading mode it releases the GIL.
    time.sleep(0)
    return True


def build_missing(db, *, now: datetime, days: int = 366) -> int:
    """For the background job: build every closed day of the last ``days`` whose roll-up is
    missing (yesterday once its window has passed, or a year after an upgrade), so reports
    do not have to. Returns how many days were built."""
    window_s = rating_config(db)["window_s"]
    today = date.fromisoformat(local_day(now))
    first, last = (today - timedelta(days=days)).isoformat(), (today - timedelta(days=1)).isoformat()
    built = built_days(db, first, last, version=ROLLUP_VERSION)
    count, day = 0, first
    while day <= last:
        if day not in built and build_day(db, day, now=now, window_s=window_s):
            count += 1
        day = _next(day)
    return count
