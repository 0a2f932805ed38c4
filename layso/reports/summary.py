"""The summary report: issued, served, no-show, transferred, wait and service times and
ratings for a date range, grouped by officer, counter, service or day (docs/reports.md)."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

from layso.errors import InvalidInput
from layso.inputs import local_date
from layso.queue.ratings import rating_config
from layso.reports import rollup
from layso.reports.formats import rounded
from layso.reports.parts import GROUPINGS, as_totals, mean, merge, new_part, p90, read_parts
from layso.store.rollup import load_totals

MAX_DAYS = 366 * 3


def parse_period(date_from, date_to) -> tuple[str, str]:
    """Check two inclusive local dates (YYYY-MM-DD); raises InvalidInput naming the bad one."""
    first, last = local_date(date_from, "from"), local_date(date_to, "to")
    if first > last:
        raise InvalidInput("'from' phải trước hoặc bằng 'to'.", message_en="'from' must not be after 'to'.")
    if (last - first).days > MAX_DAYS:
        raise InvalidInput("Khoảng thời gian quá dài (tối đa 3 năm).", message_en="The period is too long (3 years at most).")
    return date_from, date_to


def check_grouping(by) -> str:
    if by not in GROUPINGS:
        raise InvalidInput(
            "'by' phải là officer, counter, service hoặc day.", message_en="'by' must be officer, counter, service or day."
        )
    return by


def half_up(value, places: int = 1):
    """Round half up (Python's round() is half-even: 12.25 → 12.2, managers expect 12.3)."""
    return None if value is None else float(rounded(value, places))


def satisfied_pct(ratings: dict, satisfied_levels: set) -> float | None:
    """Satisfied ratings over all ratings × 100, one decimal; None without ratings."""
    total = sum(ratings.values())
    if not total:
        return None
    satisfied = sum(count for level, count in ratings.items() if level in satisfied_levels)
    return half_up(Decimal(satisfied) * 100 / Decimal(total))


def summary(db, date_from, date_to, by, *, now: datetime | None = None, build: bool = True) -> list[dict]:
    """One row per officer, counter, service or day with the figures of docs/reports.md.

    Row keys: key, issued, served, no_show, transferred, avg_wait_s, p90_wait_s, avg_service_s,
    p90_service_s, ratings {level id → count}, not_rated, satisfied_pct.
    ``by="center"`` gives one row (key "center") for the whole center, zeros and None in a
    period without tickets (a new center's first month). With ``now``, closed
    days come from the daily roll-up (built when missing) and the rest from the raw rows;
    without it every day is read from the raw rows (the reference computation). With
    ``build=False`` nothing is written: missing roll-ups are read live (public pages).
    Raises InvalidInput for bad dates or grouping.
    """
    date_from, date_to = parse_period(date_from, date_to)
    by = by if by == "center" else check_grouping(by)
    config = rating_config(db)
    grouping = "day" if by == "center" else by  # the center is the sum of its days
    keyed_parts, live_from = [], date_from
    if now is not None:
        closed_until = rollup.closed_until(db, date_from, date_to, now=now, window_s=config["window_s"], build=build)
        if closed_until is not None:
            keyed_parts.append(load_totals(db, grouping, date_from, closed_until).items())
            live_from = (date.fromisoformat(closed_until) + timedelta(days=1)).isoformat()
    if live_from <= date_to:
        live = read_parts(db, live_from, date_to, (grouping,))[grouping]
        keyed_parts.append((key, as_totals(part)) for (_, key), part in live.items())
    merged = merge(
        ("center" if by == "center" else key, part) for key, part in itertools.chain.from_iterable(keyed_parts)
    )
    if by == "center" and not merged:
        merged["center"] = as_totals(new_part())
    return summary_rows(merged, config["levels"])


def summary_rows(merged: dict, levels: list[dict], figures: dict | None = None) -> list[dict]:
    """Report rows, sorted by key, from merged totals ({key: totals}, see parts.merge) and
    the rating levels configured now ([{id, satisfied, …}]): every figure of docs/reports.md
    is made here, for the center and for the province hub alike. ``figures`` ({key: {"wait_s":
    (mean, p90), "service_s": (mean, p90)}}) gives the unrounded means and p90s when they were
    found without the values (the hub's roll-up of months, layso/province/periods.py)."""
    level_ids = [level["id"] for level in levels]
    satisfied_levels = {level["id"] for level in levels if level["satisfied"]}
    rows = []
    for key in sorted(merged):
        total = merged[key]
        counts = {level: 0 for level in level_ids} | total["ratings"]
        wait, service = (
            (figures[key]["wait_s"], figures[key]["service_s"]) if figures is not None
            else ((mean(total["wait_s"]), p90(total["wait_s"])), (mean(total["service_s"]), p90(total["service_s"])))
        )
        rows.append({
            "key": key,
            "issued": total["issued"],
            "served": total["served"],
            "no_show": total["no_show"],
            "transferred": total["transferred"],
            "avg_wait_s": half_up(wait[0]),
            "p90_wait_s": wait[1],
            "avg_service_s": half_up(service[0]),
            "p90_service_s": service[1],
            "ratings": counts,
            "not_rated": total["not_rated"],
            "satisfied_pct": satisfied_pct(counts, satisfied_levels),
        })
    return rows


def totals(db, rows: list[dict], date_from, date_to, by, *, now: datetime | None = None) -> dict | None:
    """The totals row under a summary: the center's figures for the period (averages and
    90th percentiles over all its stretches, not averages of the rows). By officer or
    counter, ``issued`` is the sum of the rows' tickets handled, as a ticket sent from one
    counter to another was handled by both. None without rows."""
    if not rows:
        return None
    center = summary(db, date_from, date_to, "center", now=now)[0]
    if by in ("officer", "counter"):
        center["issued"] = sum(row["issued"] for row in rows)
    return center | {"key": "total"}
