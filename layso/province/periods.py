"""The hub's roll-up of closed months and years (table ``rollup_periods``, docs/scale.md "The year
summary"): the daily roll-up's parts added up per center, period, grouping and key, so a year's
report reads 1 row a key (12 for a period of whole months) instead of 250 days of values.

Beside each key's sorted wait and service times the row keeps their count, their **exact** sum
(a ``numeric``: the sum of the doubles with no rounding) and the row's own nearest-rank p90.
A report's mean is then the exact sum over the count, rounded once to a double — what
``math.fsum(values) / count`` of the center gives — and a key read from one row takes its p90
as stored; only a key made of several rows (or of rows and live days) reads its values, to find
the nearest rank of all of them with ``layso.reports.parts.p90``. So every figure equals the
center's own report exactly, whatever rows it is read from.

A month (a year) is built once it is over and every day of it with tickets is in the daily
roll-up, i.e. closed (layso.province.reports.closed_days); ingest drops the month and the
year of every day a batch touches (:func:`forget_periods`), as it drops the day.
"""

import json
import sys
from array import array
from datetime import date, datetime, timedelta
from decimal import Context, Decimal, Inexact, Rounded, localcontext

from layso.clock import local_day
from layso.reports.parts import COUNTS

PERIODS_VERSION = 1
# Exact decimal sums: a double is a finite binary fraction, so its decimal form is exact; a context
# this wide never rounds a sum of durations, and if it ever had to, it raises instead of rounding.
EXACT = Context(prec=4000, traps=[Inexact, Rounded])
PERIOD_GROUPINGS = ("center", "officer", "counter", "service", "day")


def exact_sum(values) -> Decimal:
    """The sum of the doubles with no rounding at all."""
    with localcontext(EXACT):
        return sum(map(Decimal, values), Decimal(0))


def pack(values) -> bytes:
    """Sorted doubles as the bytes stored in ``rollup_periods`` (8-byte little-endian)."""
    packed = array("d", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def unpack(stored: bytes) -> array:
    values = array("d")
    values.frombytes(stored)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _month_end(first: date) -> date:
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def period_end(period: str, first: date) -> date:
    return date(first.year, 12, 31) if period == "year" else _month_end(first)


def periods_within(date_from: str, date_to: str, *, years: bool = True) -> list[tuple[str, date]]:
    """The whole years (when ``years``), then the whole months outside them, that lie inside the
    period: [(period, first day)] in date order."""
    first, last = date.fromisoformat(date_from), date.fromisoformat(date_to)
    found = []
    month = first if first.day == 1 else _month_end(first) + timedelta(days=1)
    while month <= last and _month_end(month) <= last:
        if years and month.month == 1 and date(month.year, 12, 31) <= last:
            found.append(("year", month))
            month = date(month.year + 1, 1, 1)
            continue
        found.append(("month", month))
        month = _month_end(month) + timedelta(days=1)
    return found


def built_periods(connection, center: int, candidates: list) -> set:
    """The (period, first day) of ``candidates`` whose rows are built at the current version."""
    if not candidates:
        return set()
    return set(connection.execute(
        "SELECT period, first_day FROM rollup_periods_built WHERE center = %s AND version = %s "
        "AND (period, first_day) IN (SELECT * FROM unnest(%s::text[], %s::date[]))",
        [center, PERIODS_VERSION, [period for period, _ in candidates], [first for _, first in candidates]]))


def choose_periods(connection, center: int, date_from: str, date_to: str, *, years: bool) -> list:
    """The built years and months that cover as much of the period as they can."""
    wanted = periods_within(date_from, date_to, years=years)
    built = built_periods(connection, center, wanted)
    chosen = []
    for period, first in wanted:
        if (period, first) in built:
            chosen.append((period, first))
        elif period == "year":  # not built (not over yet, or a day still open): its months may be
            months = [("month", date(first.year, month, 1)) for month in range(1, 13)]
            chosen += sorted(built_periods(connection, center, months))
    return chosen


def covered_days(periods) -> set[str]:
    days = set()
    for period, first in periods:
        day, end = first, period_end(period, first)
        while day <= end:
            days.add(day.isoformat())
            day += timedelta(days=1)
    return days


def build_period(connection, center: int, period: str, first: date, *, now: datetime, version: int) -> bool:
    """Store the rows of one month or year of ``center``, if it is over and every day of it with
    tickets is in the daily roll-up (at its ``version``): a month from the daily roll-up, a year
    from its twelve months (built first). In one transaction that locks the center's cursor row,
    so no batch lands between reading and storing. Returns whether it was built."""
    end = period_end(period, first)
    if end.isoformat() >= local_day(now):
        return False
    span = [center, first, end]
    if _is_built(connection, center, period, first):  # the background job asks every minute: no lock then
        return False
    with connection.transaction():
        connection.execute("SELECT 1 FROM centers WHERE id = %s FOR UPDATE", [center])
        if _is_built(connection, center, period, first):
            return False
        if period == "year":
            months = connection.execute(
                "SELECT count(*) FROM rollup_periods_built WHERE center = %s AND period = 'month' "
                "AND first_day BETWEEN %s AND %s AND version = %s", [*span, PERIODS_VERSION]).fetchone()[0]
            if months < 12:
                return False
            parts = _year_parts(connection, span)
        else:
            unbuilt = connection.execute(
                "SELECT 1 FROM tickets t WHERE t.center = %s AND t.day BETWEEN %s AND %s AND NOT EXISTS "
                "(SELECT 1 FROM rollup_days d WHERE d.center = t.center AND d.day = t.day AND d.version = %s) LIMIT 1",
                [*span, version]).fetchone()
            if unbuilt:
                return False
            parts = _month_parts(connection, span)
        connection.execute("DELETE FROM rollup_periods WHERE center = %s AND period = %s AND first_day = %s",
                           [center, period, first])
        with connection.cursor() as cursor:
            with cursor.copy("COPY rollup_periods (center, period, first_day, grouping, key, "
                             f"{', '.join(COUNTS)}, ratings, wait_n, wait_sum, wait_p90, wait_s, "
                             "service_n, service_sum, service_p90, service_s) FROM STDIN") as copy:
                for (grouping, key), part in parts.items():
                    copy.write_row((center, period, first, grouping, _json(key), *part["counts"],
                                    _json(part["ratings"]), *_stored(part["wait"]), *_stored(part["service"])))
        connection.execute(
            "INSERT INTO rollup_periods_built (center, period, first_day, version, built_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (center, period, first_day) DO UPDATE SET version = excluded.version, built_at = excluded.built_at",
            [center, period, first, PERIODS_VERSION, now])
    return True


def _is_built(connection, center: int, period: str, first: date) -> bool:
    return connection.execute("SELECT 1 FROM rollup_periods_built WHERE center = %s AND period = %s AND first_day = %s "
                              "AND version = %s", [center, period, first, PERIODS_VERSION]).fetchone() is not None


def _new_part() -> dict:
    return {"counts": [0] * len(COUNTS), "ratings": {}, "wait": ([], []), "service": ([], [])}


def _add(part: dict, counts, ratings: dict) -> None:
    part["counts"] = [total + count for total, count in zip(part["counts"], counts)]
    for level, count in ratings.items():
        part["ratings"][level] = part["ratings"].get(level, 0) + count


def _month_parts(connection, span: list) -> dict:
    """{(grouping, key): part} of a month from its days' roll-up; a part's "wait" and "service"
    are (values, known sums): here every value, no sum yet."""
    parts: dict = {}
    for grouping, key, *counts, ratings, wait_s, service_s in connection.execute(
            f"SELECT grouping, key, {', '.join(COUNTS)}, ratings, wait_s, service_s FROM rollup "
            "WHERE center = %s AND day BETWEEN %s AND %s", span, binary=True):
        targets = [(grouping, key), ("center", "center")] if grouping == "day" else [(grouping, key)]
        for target in targets:  # the center is the sum of its days
            part = parts.setdefault(target, _new_part())
            _add(part, counts, ratings)
            part["wait"][0].extend(wait_s)
            part["service"][0].extend(service_s)
    return parts


def _year_parts(connection, span: list) -> dict:
    """{(grouping, key): part} of a year from its months' rows (no day rows: a day is one month's),
    each month's values with its exact sum, so no value is summed again."""
    parts: dict = {}
    for grouping, key, *counts, ratings, wait_sum, wait_s, service_sum, service_s in connection.execute(
            f"SELECT grouping, key, {', '.join(COUNTS)}, ratings, wait_sum, wait_s, service_sum, service_s "
            "FROM rollup_periods WHERE center = %s AND period = 'month' AND first_day BETWEEN %s AND %s "
            "AND grouping <> 'day'", span, binary=True):
        part = parts.setdefault((grouping, key), _new_part())
        _add(part, counts, ratings)
        for name, total, stored in (("wait", wait_sum, wait_s), ("service", service_sum, service_s)):
            part[name][0].extend(unpack(stored))
            part[name][1].append(total)
    return parts


def _json(value) -> str:
    return json.dumps(value, sort_keys=True)


def _stored(values_and_sums: tuple) -> tuple:
    """(count, exact sum, nearest-rank p90, packed bytes) of one key's values; the sum is the
    months' exact sums added when they are known, else the values' own."""
    values, sums = values_and_sums
    values.sort()
    count = len(values)
    p90 = values[-(-9 * count // 10) - 1] if count else None
    with localcontext(EXACT):
        total = sum(sums, Decimal(0)) if sums else exact_sum(values)
    return count, total, p90, pack(values)


def build_periods(connection, center: int, date_from: str, date_to: str, *, now: datetime, version: int) -> int:
    """Build every whole year, else its months, and every whole month of the period that can
    be built and is not. Returns how many were built."""
    built = 0
    for period, first in periods_within(date_from, date_to):
        if period == "year":  # a year is made of its months
            months = [date(first.year, month, 1) for month in range(1, 13)]
            built += sum(build_period(connection, center, "month", month, now=now, version=version) for month in months)
        built += build_period(connection, center, period, first, now=now, version=version)
    return built


def forget_periods(connection, center: int, days) -> None:
    """Drop the months and years of ``days`` (dates) of ``center``: a row of theirs has changed."""
    firsts = sorted({day.replace(day=1) for day in days})
    years = sorted({day.replace(month=1, day=1) for day in days})
    for period, starts in (("month", firsts), ("year", years)):
        connection.execute("DELETE FROM rollup_periods_built WHERE center = %s AND period = %s AND first_day = ANY(%s)",
                           [center, period, starts])
        connection.execute("DELETE FROM rollup_periods WHERE center = %s AND period = %s AND first_day = ANY(%s)",
                           [center, period, starts])


def load_periods(connection, center: int, grouping: str, periods: list) -> dict:
    """{key: [row]} of the chosen periods, row = {counts…, ratings, wait_n, wait_sum, wait_p90,
    service_n, service_sum, service_p90, period, first_day} (no values)."""
    if not periods:
        return {}
    names = [*COUNTS, "ratings", "wait_n", "wait_sum", "wait_p90", "service_n", "service_sum", "service_p90",
             "period", "first_day"]
    rows: dict = {}
    for key, *values in connection.execute(
            f"SELECT key, {', '.join(names)} FROM rollup_periods WHERE center = %s AND grouping = %s "
            "AND (period, first_day) IN (SELECT * FROM unnest(%s::text[], %s::date[]))",
            [center, grouping, [period for period, _ in periods], [first for _, first in periods]]):
        rows.setdefault(key, []).append(dict(zip(names, values)))
    return rows


def load_values(connection, center: int, grouping: str, periods: list, keys: list) -> dict:
    """{(key, period, first day): (wait values, service values)} of the chosen periods' rows of ``keys``."""
    if not keys or not periods:
        return {}
    found = connection.execute(
        "SELECT key, period, first_day, wait_s, service_s FROM rollup_periods WHERE center = %s AND grouping = %s "
        "AND key = ANY(%s::jsonb[]) AND (period, first_day) IN (SELECT * FROM unnest(%s::text[], %s::date[]))",
        [center, grouping, [_json(key) for key in keys], [period for period, _ in periods],
         [first for _, first in periods]], binary=True)
    return {(key, period, first): (unpack(wait_s), unpack(service_s))
            for key, period, first, wait_s, service_s in found}
