"""The center's clock: local time in the center's timezone (Asia/Ho_Chi_Minh).

Core functions never read the clock themselves; callers pass ``now`` so tests can
fix the time and a day boundary is decided in one place.
"""

from datetime import datetime
from zoneinfo import ZoneInfo


def now(timezone: str) -> datetime:
    """The current time, aware, in the center's timezone."""
    return datetime.now(ZoneInfo(timezone))


def local_day(moment: datetime) -> str:
    """The local date (YYYY-MM-DD) that numbers restart on."""
    return moment.date().isoformat()


def iso(moment: datetime) -> str:
    """ISO 8601 with the UTC offset, to the second (``2026-11-22T09:05:00+07:00``)."""
    return moment.isoformat(timespec="seconds")


def parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def seconds_between(start: str | None, end: datetime) -> float | None:
    """Seconds from an stored ISO timestamp to ``end``; None when it never started."""
    began = parse(start)
    return None if began is None else max(0.0, (end - began).total_seconds())
