"""The summary report: issued, served, no-show, transferred, wait and service times and
ratings for a date range, grouped by officer, counter, service or day (docs/reports.md)."""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from layso.errors import InvalidInput
from layso.queue.ratings import rating_config

GROUPINGS = ("officer", "counter", "service", "day")
# The grouping column of visits/ratings; "center" (one row for everything) is for pages.
KEY_SQL = {"officer": "{t}officer", "counter": "{t}counter", "service": "{t}service", "day": "{t}day", "center": "'center'"}
SERVICE_OUTCOMES = ("finished", "no_show", "transferred")  # stretches that count as service time
MAX_DAYS = 366 * 3


def parse_period(date_from, date_to) -> tuple[str, str]:
    """Check two inclusive local dates (YYYY-MM-DD); raises InvalidInput naming the bad one."""
    days = []
    for name, value in (("from", date_from), ("to", date_to)):
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise InvalidInput(f"'{name}' phải là ngày dạng YYYY-MM-DD.", message_en=f"'{name}' must be a YYYY-MM-DD date.")
        try:
            days.append(date.fromisoformat(value))
        except ValueError:
            raise InvalidInput(f"'{name}' không phải ngày hợp lệ.", message_en=f"'{name}' is not a valid date.") from None
    if days[0] > days[1]:
        raise InvalidInput("'from' phải trước hoặc bằng 'to'.", message_en="'from' must not be after 'to'.")
    if (days[1] - days[0]).days > MAX_DAYS:
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
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))  # repr: the float as written
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))


def satisfied_pct(ratings: dict, satisfied_levels: set) -> float | None:
    """Satisfied ratings over all ratings × 100, one decimal; None without ratings."""
    total = sum(ratings.values())
    if not total:
        return None
    satisfied = sum(count for level, count in ratings.items() if level in satisfied_levels)
    return half_up(Decimal(satisfied) * 100 / Decimal(total))


def _key(by: str, table: str = "") -> str:
    return KEY_SQL[by].format(t=f"{table}." if table else "")


def _issued(db, by: str, period: tuple) -> dict:
    if by == "center":
        sql = "SELECT 'center', COUNT(*) FROM tickets WHERE day BETWEEN ? AND ?"
    elif by == "day":
        sql = "SELECT day, COUNT(*) FROM tickets WHERE day BETWEEN ? AND ? GROUP BY day"
    elif by == "service":
        # The service chosen at the kiosk: the first stretch's, as a transfer changes tickets.service.
        sql = (
            "SELECT CASE WHEN t.transferred THEN COALESCE((SELECT v.service FROM visits v WHERE v.ticket = t.id "
            "ORDER BY v.id LIMIT 1), t.service) ELSE t.service END AS chosen, COUNT(*) "
            "FROM tickets t WHERE t.day BETWEEN ? AND ? GROUP BY chosen"
        )
    else:  # officers and counters: distinct tickets they handled
        sql = f"SELECT {by}, COUNT(DISTINCT ticket) FROM visits WHERE day BETWEEN ? AND ? GROUP BY {by}"
    return {key: count for key, count in db.execute(sql, period) if count}


def _stretches(db, by: str, period: tuple) -> dict:
    outcomes = ", ".join(f"'{outcome}'" for outcome in SERVICE_OUTCOMES)
    sql = (
        # COUNT(CASE …) rather than SUM(a = b): an open stretch's outcome is NULL, and a SUM of NULLs is NULL.
        f"SELECT {_key(by, 'v')}, COUNT(CASE v.outcome WHEN 'finished' THEN 1 END), "
        f"COUNT(CASE v.outcome WHEN 'no_show' THEN 1 END), COUNT(CASE v.outcome WHEN 'transferred' THEN 1 END), "
        f"SUM(v.wait_s), COUNT(*), "
        f"SUM(CASE WHEN v.outcome IN ({outcomes}) THEN v.service_s END), COUNT(CASE WHEN v.outcome IN ({outcomes}) THEN 1 END), "
        f"COUNT(CASE WHEN v.outcome = 'finished' AND r.id IS NULL THEN 1 END) "
        f"FROM visits v LEFT JOIN ratings r ON r.ticket = v.ticket AND v.outcome = 'finished' "
        f"WHERE v.day BETWEEN ? AND ? GROUP BY 1"
    )
    result = {}
    for key, served, no_show, transferred, wait_sum, waits, service_sum, services, not_rated in db.execute(sql, period):
        result[key] = {
            "served": served, "no_show": no_show, "transferred": transferred, "not_rated": not_rated,
            "avg_wait_s": half_up(wait_sum / waits) if waits else None,
            "avg_service_s": half_up(service_sum / services) if services else None,
        }
    return result


def _p90(db, by: str, period: tuple, column: str, condition: str = "1") -> dict:
    """Nearest rank: the value at rank ceil(0.9 n) of the sorted values, per group.

    Read as a histogram (value, count) per group, which SQLite builds far faster than it
    numbers every row with a window function; the result is the same exact value."""
    sql = (
        f"SELECT {_key(by)}, {column}, COUNT(*) FROM visits WHERE day BETWEEN ? AND ? AND {condition} "
        f"AND {column} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
    )
    histograms: dict = {}
    for key, value, count in db.execute(sql, period):
        histograms.setdefault(key, []).append((value, count))
    result = {}
    for key, histogram in histograms.items():
        rank = -(-9 * sum(count for _, count in histogram) // 10)  # ceil(0.9 n) in integers
        seen = 0
        for value, count in histogram:
            seen += count
            if seen >= rank:
                result[key] = value
                break
    return result


def _ratings(db, by: str, period: tuple) -> dict:
    result: dict = {}
    sql = f"SELECT {_key(by)}, level, COUNT(*) FROM ratings WHERE day BETWEEN ? AND ? GROUP BY 1, 2"
    for key, level, count in db.execute(sql, period):
        result.setdefault(key, {})[level] = count
    return result


def summary(db, date_from, date_to, by) -> list[dict]:
    """One row per officer, counter, service or day with the figures of docs/reports.md.

    Row keys: key, issued, served, no_show, transferred, avg_wait_s, p90_wait_s, avg_service_s,
    p90_service_s, ratings {level id → count}, not_rated, satisfied_pct.
    ``by="center"`` gives one row (key "center") for the whole center.
    Raises InvalidInput for bad dates or grouping.
    """
    period = parse_period(date_from, date_to)
    by = by if by == "center" else check_grouping(by)
    config = rating_config(db)
    level_ids = [level["id"] for level in config["levels"]]
    satisfied_levels = {level["id"] for level in config["levels"] if level["satisfied"]}
    issued = _issued(db, by, period)
    stretches = _stretches(db, by, period)
    outcomes = ", ".join(f"'{outcome}'" for outcome in SERVICE_OUTCOMES)
    p90_wait = _p90(db, by, period, "wait_s")
    p90_service = _p90(db, by, period, "service_s", f"outcome IN ({outcomes})")
    ratings = _ratings(db, by, period)
    empty = {"served": 0, "no_show": 0, "transferred": 0, "not_rated": 0, "avg_wait_s": None, "avg_service_s": None}
    rows = []
    for key in sorted(set(issued) | set(stretches) | set(ratings)):
        figures = stretches.get(key, empty)
        counts = {level: 0 for level in level_ids} | ratings.get(key, {})
        rows.append({
            "key": key,
            "issued": issued.get(key, 0),
            "served": figures["served"],
            "no_show": figures["no_show"],
            "transferred": figures["transferred"],
            "avg_wait_s": figures["avg_wait_s"],
            "p90_wait_s": p90_wait.get(key),
            "avg_service_s": figures["avg_service_s"],
            "p90_service_s": p90_service.get(key),
            "ratings": counts,
            "not_rated": figures["not_rated"],
            "satisfied_pct": satisfied_pct(counts, satisfied_levels),
        })
    return rows
