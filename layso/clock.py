"""The center's clock: local time in the center's timezone (Asia/Ho_Chi_Minh).

Core functions never read the clock themselves; callers pass ``now`` so tests can
fix the time and a day boundary is decided in one place.
"""

import time
from datetime import datetime, timedelta
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


class FastClock:
    """A center clock that runs ``speed`` times faster than real time from ``start`` (default:
    now): for the demo and the whole-day simulator (LAYSO_CLOCK_SPEED), never a real center.
    :meth:`restart` puts it back at ``start``: the server does so once it is ready to answer,
    so the seconds spent starting up are not minutes of the center's day."""

    def __init__(self, timezone: str, *, speed: float, start: datetime | None = None):
        self.speed, self.origin = speed, start or now(timezone)
        self.restart()

    def restart(self) -> None:
        self.origin_real = time.monotonic()

    def __call__(self) -> datetime:
        return self.origin + timedelta(seconds=(time.monotonic() - self.origin_real) * self.speed)
