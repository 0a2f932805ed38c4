"""Province reports: the center's summary (docs/reports.md) for every center of the province,
counted by the center's own functions over the rows the hub holds, so that for any center and
period the hub's figures equal the center's exactly.

The hub reads the same three row sets a center reads (stretches with their rating, tickets
issued per chosen service, ratings per level) from PostgreSQL and hands them to
``layso.reports.parts.parts_from_rows``; rows are made by ``layso.reports.summary.summary_rows``
with each center's own rating levels (its ``rating`` setting, from the catalog snapshot).

Closed days come from the per-center per-day roll-up (``rollup``: the same parts, with every
wait and service time kept, so p90 stays exact). A hub day is closed when it is before today,
none of its tickets is still waiting, called or held, and the center's rating window has passed
since its midnight and its last finish. Ingest drops a day's roll-up whenever a row of that day
arrives (a center that was offline, a late rating), so a report never counts a stale day.
Whole closed months and years come from their own roll-up (layso/province/periods.py), which
ingest drops with the day.
"""

import itertools
import json
from datetime import date, datetime, time as clock_time, timedelta
from decimal import Decimal, localcontext

from layso.clock import local_day
from layso.errors import InvalidInput
from layso.queue.ratings import rating_config_of
from layso.reports.parts import GROUPINGS, as_totals, merge, new_part, p90, parts_from_rows
from layso.reports.summary import check_grouping, parse_period, summary_rows
from layso.province.centers import center_by_code
from layso.province.periods import (EXACT, build_period, build_periods, choose_periods, covered_days, exact_sum, load_periods,
                                    load_values)
from layso.store.rollup import COUNTS

ROLLUP_VERSION = 1
OPEN_STATUSES = ("waiting", "called", "held")
PROVINCE_GROUPINGS = ("center", *GROUPINGS)


def rating_configs(connection, centers: list[int]) -> dict:
    """{center id: rating configuration} from each center's ``rating`` setting."""
    stored = dict(connection.execute(
        "SELECT center, data->'value' FROM catalog WHERE kind = 'settings' AND key = 'rating' AND center = ANY(%s)",
        [centers]).fetchall())
    configs = {}
    for center in centers:
        value = stored.get(center)
        if isinstance(value, str):  # the center's settings table keeps JSON text
            try:
                value = json.loads(value)
            except ValueError:
                value = None
        configs[center] = rating_config_of(value)
    return configs


def read_hub_parts(connection, center: int, first: str, last: str, groupings=GROUPINGS) -> dict:
    """``read_parts`` of one center over the hub's rows: {grouping: {(day, key): part}}."""
    period = [center, first, last]
    stretches = connection.execute(
        "SELECT v.officer, v.counter, v.service, v.day::text, v.ticket, v.outcome, v.wait_s, v.service_s, r.id IS NULL "
        "FROM visits v LEFT JOIN ratings r ON r.center = v.center AND r.day = v.day AND r.ticket = v.ticket "
        "AND v.outcome = 'finished' WHERE v.center = %s AND v.day BETWEEN %s AND %s", period).fetchall()
    issued = connection.execute(
        "SELECT t.day::text, CASE WHEN t.transferred THEN COALESCE((SELECT v.service FROM visits v "
        "WHERE v.center = t.center AND v.day = t.day AND v.ticket = t.id ORDER BY v.id LIMIT 1), t.service) "
        "ELSE t.service END, count(*) FROM tickets t WHERE t.center = %s AND t.day BETWEEN %s AND %s GROUP BY 1, 2",
        period).fetchall()
    ratings = connection.execute(
        "SELECT officer, counter, service, day::text, level, count(*) FROM ratings "
        "WHERE center = %s AND day BETWEEN %s AND %s GROUP BY 1, 2, 3, 4, 5", period).fetchall()
    return parts_from_rows(stretches, issued, ratings, groupings)


def closed_days(connection, center: int, first: str, last: str, *, now: datetime, window_s: float) -> set[str]:
    """The days from ``first`` to ``last`` that nothing at the center can change any more."""
    end = min(last, (date.fromisoformat(local_day(now)) - timedelta(days=1)).isoformat())
    if end < first:
        return set()
    rows = connection.execute(
        "SELECT day::text, count(*) FILTER (WHERE status = ANY(%s)), max(finished_at) FROM tickets "
        "WHERE center = %s AND day BETWEEN %s AND %s GROUP BY day", [list(OPEN_STATUSES), center, first, end])
    closed = set()
    for day, still_open, last_finish in rows:
        midnight = datetime.combine(date.fromisoformat(day) + timedelta(days=1), clock_time(), tzinfo=now.tzinfo)
        window = timedelta(seconds=window_s)
        if not still_open and now >= midnight + window and (last_finish is None or now >= last_finish + window):
            closed.add(day)
    return closed


def build_days(connection, center: int, first: str, last: str, *, now: datetime, window_s: float) -> int:
    """Store the roll-up of every closed, unbuilt day of ``center`` from ``first`` to ``last``,
    read in one pass, in one transaction that first locks the center's cursor row (so no batch
    of that center is applied between reading and storing). Returns how many days were built."""
    with connection.transaction():
        connection.execute("SELECT 1 FROM centers WHERE id = %s FOR UPDATE", [center])
        built = {day for (day,) in connection.execute(
            "SELECT day::text FROM rollup_days WHERE center = %s AND day BETWEEN %s AND %s AND version = %s",
            [center, first, last, ROLLUP_VERSION])}
        days = sorted(closed_days(connection, center, first, last, now=now, window_s=window_s) - built)
        if not days:
            return 0
        parts = read_hub_parts(connection, center, days[0], days[-1])
        wanted = set(days)
        rows = [
            (center, day, grouping, json.dumps(key), *(part[name] for name in COUNTS),
             json.dumps(part["ratings"], sort_keys=True), part["wait_s"], part["service_s"])
            for grouping, by_key in parts.items() for (day, key), part in by_key.items() if day in wanted
        ]
        connection.execute("DELETE FROM rollup WHERE center = %s AND day = ANY(%s)", [center, days])
        connection.execute("DELETE FROM rollup_days WHERE center = %s AND day = ANY(%s)", [center, days])
        with connection.cursor() as cursor:
            with cursor.copy("COPY rollup (center, day, grouping, key, issued, served, no_show, transferred, "
                             "not_rated, ratings, wait_s, service_s) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cursor.copy("COPY rollup_days (center, day, version, built_at) FROM STDIN") as copy:
                for day in days:
                    copy.write_row((center, day, ROLLUP_VERSION, now))
    return len(days)


def load_rollup(connection, center: int, grouping: str, days: list[str]) -> list:
    """[(key, totals)] of the built ``days`` of ``center``, as the center's ``load_totals``:
    counts and ratings summed by PostgreSQL, and wait_s / service_s as the list of each
    stored day's sorted values (one run a day), for ``merge`` to add up."""
    if not days:
        return []
    params = [center, grouping, days]
    where = "WHERE r.center = %s AND r.grouping = %s AND r.day = ANY(%s::date[])"
    totals = {
        key: dict(zip(COUNTS, counts)) | {"ratings": {}, "wait_s": [], "service_s": []}
        for key, *counts in connection.execute(
            f"SELECT r.key, {', '.join(f'SUM(r.{name})' for name in COUNTS)} FROM rollup r {where} GROUP BY r.key", params)
    }
    for key, level, count in connection.execute(
            f"SELECT r.key, level.key, SUM(level.value::bigint) FROM rollup r, jsonb_each_text(r.ratings) level {where} "
            "GROUP BY 1, 2", params):
        totals[key]["ratings"][level] = int(count)
    # Binary: the arrays of doubles arrive as doubles (their text form costs a parse of every value).
    for key, wait_s, service_s in connection.execute(
            f"SELECT r.key, r.wait_s, r.service_s FROM rollup r {where}", params, binary=True).fetchall():
        totals[key]["wait_s"].append(wait_s)
        totals[key]["service_s"].append(service_s)
    return list(totals.items())


def center_parts(connection, center: int, date_from: str, date_to: str, grouping: str, *, now: datetime | None,
                 skip: set) -> list:
    """[(key, totals)] of one center for the period's days not in ``skip`` (those the roll-up of
    months and years covers): built days from the daily roll-up, the other days read live."""
    stored: list[str] = []
    if now is not None:
        stored = [day for (day,) in connection.execute(
            "SELECT day::text FROM rollup_days WHERE center = %s AND day BETWEEN %s AND %s AND version = %s",
            [center, date_from, date_to, ROLLUP_VERSION]) if day not in skip]
    keyed = load_rollup(connection, center, grouping, stored)
    # Read live only the days that need it: unbuilt days with tickets, and today (and any later day),
    # one read per run of such days (a period's first and last weeks need not read the months between).
    done = set(stored) | skip
    today = local_day(now) if now is not None else date_to
    ticket_days = [day for (day,) in connection.execute(
        "SELECT DISTINCT day::text FROM tickets WHERE center = %s AND day BETWEEN %s AND %s ORDER BY 1",
        [center, date_from, date_to])]
    runs: list[list[str]] = [[]]
    for day in ticket_days:
        if day not in done or day >= today:
            runs[-1].append(day)
        elif runs[-1]:
            runs.append([])
    for run in filter(None, runs):
        live = read_hub_parts(connection, center, run[0], run[-1], (grouping,))[grouping]
        keyed += [(key, as_totals(part)) for (day, key), part in live.items() if day in run]
    return keyed


def period_totals(connection, center: int, grouping: str, periods: list, merged: dict, rename=None) -> dict:
    """Add the chosen months' and years' rows of ``grouping`` to ``merged`` ({key: totals} of the
    other days, values as runs), and return the figures of every key: {key: {"wait_s": (mean,
    p90), "service_s": (mean, p90)}}, as ``summary_rows`` takes them. ``rename`` maps a stored key
    to the report's (the center's code for by=center)."""
    stored = load_periods(connection, center, grouping, periods)
    rows_of = {}
    for key, rows in stored.items():
        shown = rename(key) if rename else key
        rows_of[shown] = [(key, row) for row in rows]
        total = merged.setdefault(shown, dict.fromkeys(COUNTS, 0) | {"ratings": {}, "wait_s": [], "service_s": []})
        for row in rows:
            for name in COUNTS:
                total[name] += row[name]
            for level, count in row["ratings"].items():
                total["ratings"][level] = total["ratings"].get(level, 0) + count
    # Values cross the wire only for a key made of more than one stored row, or of rows and live days.
    need = [pairs[0][0] for shown, pairs in rows_of.items()
            if len(pairs) > 1 or any(len(run) for name in ("wait_s", "service_s") for run in merged[shown][name])]
    values = load_values(connection, center, grouping, periods, need)
    figures = {}
    for shown, total in merged.items():
        figures[shown] = {}
        for index, name in enumerate(("wait_s", "service_s")):
            prefix = name[:-2]
            runs = [run for run in total[name] if len(run)]
            rows = [(key, row) for key, row in rows_of.get(shown, []) if row[f"{prefix}_n"]]
            count = sum(len(run) for run in runs) + sum(row[f"{prefix}_n"] for _, row in rows)
            if not count:
                figures[shown][name] = (None, None)
                continue
            with localcontext(EXACT):  # the exact sum of every value, rounded once
                whole = exact_sum(itertools.chain.from_iterable(runs)) + sum(
                    (row[f"{prefix}_sum"] for _, row in rows), Decimal(0))
            if len(rows) == 1 and not runs:
                ninetieth = rows[0][1][f"{prefix}_p90"]
            else:
                runs += [values[key, row["period"], row["first_day"]][index] for key, row in rows]
                ninetieth = p90(runs)
            figures[shown][name] = (float(whole) / count, ninetieth)
    return figures


def province_summary(connection, date_from, date_to, by, *, center=None, now: datetime | None = None,
                     build: bool = True) -> list[dict]:
    """The center's summary rows for every registered center (or the one whose code is
    ``center``), each with ``center`` (its code); ``by="center"`` gives one row per center
    (key = its code), zeros and None for a center without tickets. Sorted by center, then key.
    With ``now``, whole closed years and months come from their roll-up, other closed days from
    the daily roll-up (both built first when missing, unless ``build`` is false), the rest live.
    Raises InvalidInput for bad dates, grouping or center."""
    date_from, date_to = parse_period(date_from, date_to)
    if by != "center":
        check_grouping(by)
    centers = connection.execute("SELECT id, code FROM centers ORDER BY code").fetchall()
    if center is not None:
        chosen = center_by_code(connection, center)
        if chosen is None:
            raise InvalidInput("Không có trung tâm này.", message_en="No such center.")
        centers = [(chosen.id, chosen.code)]
    configs = rating_configs(connection, [center_id for center_id, _ in centers])
    grouping = "day" if by == "center" else by
    rows = []
    for center_id, code in centers:
        config = configs[center_id]
        periods = []
        if now is not None:
            if build:
                build_days(connection, center_id, date_from, date_to, now=now, window_s=config["window_s"])
                build_periods(connection, center_id, date_from, date_to, now=now, version=ROLLUP_VERSION)
            periods = choose_periods(connection, center_id, date_from, date_to, years=by != "day")
        keyed = center_parts(connection, center_id, date_from, date_to, grouping, now=now, skip=covered_days(periods))
        merged = merge((code if by == "center" else key, part) for key, part in keyed)
        figures = period_totals(connection, center_id, "center" if by == "center" else by, periods, merged,
                                rename=(lambda key: code) if by == "center" else None)
        if by == "center" and not merged:
            merged[code] = as_totals(new_part())
            figures[code] = {"wait_s": (None, None), "service_s": (None, None)}
        rows += [{"center": code} | row for row in summary_rows(merged, config["levels"], figures)]
    return rows


def build_missing(connection, *, now: datetime, days: int = 366) -> int:
    """For the leader's background job: roll up every closed, unbuilt day of the last ``days``
    for every center, then last month and last year once they can be (layso/province/periods.py).
    Returns how many days were built."""
    today = date.fromisoformat(local_day(now))
    first, last = (today - timedelta(days=days)).isoformat(), (today - timedelta(days=1)).isoformat()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    centers = [center_id for (center_id,) in connection.execute("SELECT id FROM centers")]
    configs = rating_configs(connection, centers)
    built = 0
    for center_id in centers:
        built += build_days(connection, center_id, first, last, now=now, window_s=configs[center_id]["window_s"])
        build_period(connection, center_id, "month", last_month, now=now, version=ROLLUP_VERSION)
        build_periods(connection, center_id, f"{today.year - 1}-01-01", f"{today.year - 1}-12-31", now=now,
                      version=ROLLUP_VERSION)
    return built


