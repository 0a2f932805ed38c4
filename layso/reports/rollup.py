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

from datetime import date, datetime, time, timedelta

from layso.clock import iso, local_day, parse
from layso.queue.ratings import rating_config
from layso.reports.parts import read_parts
from layso.store.db import write
from layso.store.rollup import built_days, save_day

ROLLUP_VERSION = 1
OPEN_STATUSES = ("waiting", "called", "held")


def _next(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def closed_until(db, first: str, last: str, *, now: datetime, window_s: float) -> str | None:
    """The last day of the run of closed days that starts at ``first`` and ends by ``last``,
    building the roll-up of any that is missing; None when ``first`` is not closed."""
    end = min(last, (date.fromisoformat(local_day(now)) - timedelta(days=1)).isoformat())
    if end < first:
        return None
    built = built_days(db, first, end, version=ROLLUP_VERSION)
    reached, day = None, first
    while day <= end:
        if day not in built and not build_day(db, day, now=now, window_s=window_s):
            break
        reached, day = day, _next(day)
    return reached


def build_day(db, day: str, *, now: datetime, window_s: float) -> bool:
    """Store the roll-up of ``day`` if it is closed (one short write transaction, so the
    day cannot change between reading and storing). Returns whether the day is built."""
    midnight = datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(), tzinfo=now.tzinfo)
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
    return True


def build_yesterday(db, *, now: datetime) -> bool:
    """For the nightly job: build yesterday's roll-up once it is closed, so the first report
    of the day does not have to. Returns whether yesterday is built."""
    yesterday = (date.fromisoformat(local_day(now)) - timedelta(days=1)).isoformat()
    window_s = rating_config(db)["window_s"]
    return closed_until(db, yesterday, yesterday, now=now, window_s=window_s) is not None
