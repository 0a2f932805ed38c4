"""The parts every summary figure is made of, per day and group, read from the raw rows
(tickets, visits, ratings) by the definitions of docs/reports.md, and how the parts of
many days add up to one report row.

Counts add up day by day: a ticket, its stretches and its rating all belong to the
ticket's day, so even "distinct tickets an officer handled" is a sum of daily counts.
Averages and p90s need the values themselves, so a part keeps every wait and service
time: the merged p90 is the exact nearest-rank value, and the mean is the correctly
rounded sum (math.fsum) over the count, whatever order the days are added in.
"""

import math
from array import array

GROUPINGS = ("officer", "counter", "service", "day")
COUNTS = ("issued", "served", "no_show", "transferred", "not_rated")
# A stretch that ended so counts as service time, in the field that counts it.
SERVICE_OUTCOMES = {"finished": "served", "no_show": "no_show", "transferred": "transferred"}
_STRETCH_KEY = {"officer": 0, "counter": 1, "service": 2, "day": 3}  # column of the stretch query


def new_part() -> dict:
    return {"issued": 0, "served": 0, "no_show": 0, "transferred": 0, "not_rated": 0, "ratings": {},
            "wait_s": [], "service_s": []}


def read_parts(db, first: str, last: str, groupings=GROUPINGS) -> dict:
    """{grouping: {(day, key): part}} for the days ``first`` … ``last`` (inclusive), with
    part = {issued, served, no_show, transferred, not_rated, ratings {level: count},
    wait_s [sorted], service_s [sorted]}. A (day, key) is present when it has an issued
    ticket, a stretch or a rating."""
    parts: dict = {grouping: {} for grouping in groupings}

    def part(grouping, day, key) -> dict:
        found = parts[grouping].get((day, key))
        if found is None:
            found = parts[grouping][day, key] = new_part()
        return found

    handled: dict = {}  # (grouping, day, key) → tickets with a stretch there, for officer/counter "issued"
    stretches = db.execute(
        "SELECT v.officer, v.counter, v.service, v.day, v.ticket, v.outcome, v.wait_s, v.service_s, r.id IS NULL "
        "FROM visits v LEFT JOIN ratings r ON r.ticket = v.ticket AND v.outcome = 'finished' "
        "WHERE v.day BETWEEN ? AND ?", [first, last],
    )
    for row in stretches:
        day, ticket, outcome, wait_s, service_s, unrated = row[3:]
        field = SERVICE_OUTCOMES.get(outcome)
        for grouping in groupings:
            key = row[_STRETCH_KEY[grouping]]
            target = part(grouping, day, key)
            target["wait_s"].append(wait_s)
            if field is not None:
                target[field] += 1
                if service_s is not None:
                    target["service_s"].append(service_s)
                if field == "served" and unrated:
                    target["not_rated"] += 1
            if grouping in ("officer", "counter"):
                handled.setdefault((grouping, day, key), set()).add(ticket)
    for (grouping, day, key), tickets in handled.items():
        parts[grouping][day, key]["issued"] = len(tickets)
    _add_issued(db, first, last, parts)
    _add_ratings(db, first, last, parts, part)
    for by_key in parts.values():
        for target in by_key.values():
            target["wait_s"].sort()
            target["service_s"].sort()
    return parts


def _add_issued(db, first: str, last: str, parts: dict) -> None:
    """Tickets issued per day, and per service chosen at the kiosk: the first stretch's
    service, as a transfer to another service changes tickets.service."""
    if "service" not in parts and "day" not in parts:
        return
    issued = db.execute(
        "SELECT t.day, CASE WHEN t.transferred THEN COALESCE((SELECT v.service FROM visits v WHERE v.ticket = t.id "
        "ORDER BY v.id LIMIT 1), t.service) ELSE t.service END AS chosen, COUNT(*) "
        "FROM tickets t WHERE t.day BETWEEN ? AND ? GROUP BY 1, 2", [first, last],
    )
    for day, service, count in issued:
        for grouping, key in (("service", service), ("day", day)):
            if grouping in parts:
                parts[grouping].setdefault((day, key), new_part())["issued"] += count


def _add_ratings(db, first: str, last: str, parts: dict, part) -> None:
    ratings = db.execute(
        "SELECT officer, counter, service, day, level, COUNT(*) FROM ratings WHERE day BETWEEN ? AND ? "
        "GROUP BY 1, 2, 3, 4, 5", [first, last],
    )
    for row in ratings:
        day, level, count = row[3:]
        for grouping in parts:
            counts = part(grouping, day, row[_STRETCH_KEY[grouping]])["ratings"]
            counts[level] = counts.get(level, 0) + count


def merge(keyed_parts) -> dict:
    """Add up (key, part) pairs per key: {key: {counts…, ratings, wait_s, service_s}} where
    wait_s and service_s are every value of the key, in one array (unsorted)."""
    merged: dict = {}
    for key, part in keyed_parts:
        total = merged.get(key)
        if total is None:
            total = merged[key] = dict.fromkeys(COUNTS, 0) | {"ratings": {}, "wait_s": array("d"), "service_s": array("d")}
        for name in COUNTS:
            total[name] += part[name]
        for level, count in part["ratings"].items():
            total["ratings"][level] = total["ratings"].get(level, 0) + count
        total["wait_s"].extend(part["wait_s"])
        total["service_s"].extend(part["service_s"])
    return merged


def mean(values) -> float | None:
    """The mean of the values (exact sum, then one division); None without values."""
    return math.fsum(values) / len(values) if len(values) else None


def p90(values) -> float | None:
    """Nearest rank: the value at rank ceil(0.9 n) of the sorted values; None without values."""
    if not len(values):
        return None
    rank = -(-9 * len(values) // 10)  # ceil(0.9 n) in integers
    return sorted(values)[rank - 1]
