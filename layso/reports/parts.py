"""The parts every summary figure is made of, per day and group, read from the raw rows
(tickets, visits, ratings) by the definitions of docs/reports.md, and how the parts of
many days add up to one report row.

Counts add up day by day: a ticket, its stretches and its rating all belong to the
ticket's day, so even "distinct tickets an officer handled" is a sum of daily counts.
Averages and p90s need the values themselves, so a part keeps every wait and service
time: the merged p90 is the exact nearest-rank value, and the mean is the correctly
rounded sum (math.fsum) over the count, whatever order the days are added in.
"""

import bisect
import itertools
import math

GROUPINGS = ("officer", "counter", "service", "day")
COUNTS = ("issued", "served", "no_show", "transferred", "not_rated")
# A stretch that ended so counts as service time, in the field that counts it.
SERVICE_OUTCOMES = {"finished": "served", "no_show": "no_show", "transferred": "transferred"}
_STRETCH_KEY = {"officer": 0, "counter": 1, "service": 2, "day": 3}  # column of the stretch query
SAMPLED_FROM, SAMPLE_STEP = 2000, 16  # p90: from this many values, sort only the top (see p90)


def new_part() -> dict:
    return {"issued": 0, "served": 0, "no_show": 0, "transferred": 0, "not_rated": 0, "ratings": {},
            "wait_s": [], "service_s": []}


def read_parts(db, first: str, last: str, groupings=GROUPINGS) -> dict:
    """{grouping: {(day, key): part}} for the days ``first`` … ``last`` (inclusive), with
    part = {issued, served, no_show, transferred, not_rated, ratings {level: count},
    wait_s [sorted], service_s [sorted]}. A (day, key) is present when it has an issued
    ticket, a stretch or a rating."""
    stretches = db.execute(
        "SELECT v.officer, v.counter, v.service, v.day, v.ticket, v.outcome, v.wait_s, v.service_s, r.id IS NULL "
        "FROM visits v LEFT JOIN ratings r ON r.ticket = v.ticket AND v.outcome = 'finished' "
        "WHERE v.day BETWEEN ? AND ?", [first, last],
    ).fetchall()
    issued = db.execute(
        "SELECT t.day, CASE WHEN t.transferred THEN COALESCE((SELECT v.service FROM visits v WHERE v.ticket = t.id "
        "ORDER BY v.id LIMIT 1), t.service) ELSE t.service END AS chosen, COUNT(*) "
        "FROM tickets t WHERE t.day BETWEEN ? AND ? GROUP BY 1, 2", [first, last],
    ) if "service" in groupings or "day" in groupings else ()
    ratings = db.execute(
        "SELECT officer, counter, service, day, level, COUNT(*) FROM ratings WHERE day BETWEEN ? AND ? "
        "GROUP BY 1, 2, 3, 4, 5", [first, last],
    )
    return parts_from_rows(stretches, issued, ratings, groupings)


def parts_from_rows(stretches, issued, ratings, groupings=GROUPINGS) -> dict:
    """The parts of :func:`read_parts` from the three row sets it reads, so that another store
    holding the same rows (the province hub's PostgreSQL) counts by the same rules:

    - ``stretches``: (officer, counter, service, day, ticket, outcome, wait_s, service_s,
      unrated) per visit, ``unrated`` true when the stretch has no rating of its ticket;
    - ``issued``: (day, service chosen at the kiosk, count) — the first stretch's service of
      a transferred ticket, else the ticket's service;
    - ``ratings``: (officer, counter, service, day, level, count).
    Days are ``YYYY-MM-DD`` strings and counters integers, as the center stores them."""
    parts: dict = {grouping: {} for grouping in groupings}
    handled: dict = {}  # (grouping, day, key) → tickets with a stretch there, for officer/counter "issued"
    for grouping in groupings:  # one tight loop per grouping: building a year cold is this loop
        column, by_key = _STRETCH_KEY[grouping], parts[grouping]
        counts_tickets = grouping in ("officer", "counter")
        for row in stretches:
            day, ticket, outcome, wait_s, service_s, unrated = row[3:]
            target = by_key.get((day, row[column]))
            if target is None:
                target = by_key[day, row[column]] = new_part()
            target["wait_s"].append(wait_s)
            field = SERVICE_OUTCOMES.get(outcome)
            if field is not None:
                target[field] += 1
                if service_s is not None:
                    target["service_s"].append(service_s)
                if field == "served" and unrated:
                    target["not_rated"] += 1
            if counts_tickets:
                handled.setdefault((grouping, day, row[column]), set()).add(ticket)
    for (grouping, day, key), tickets in handled.items():
        parts[grouping][day, key]["issued"] = len(tickets)
    # Tickets issued per day, and per service chosen at the kiosk.
    for day, service, count in issued:
        for grouping, key in (("service", service), ("day", day)):
            if grouping in parts:
                parts[grouping].setdefault((day, key), new_part())["issued"] += count
    for row in ratings:
        day, level, count = row[3:]
        for grouping in parts:
            counts = parts[grouping].setdefault((day, row[_STRETCH_KEY[grouping]]), new_part())["ratings"]
            counts[level] = counts.get(level, 0) + count
    for by_key in parts.values():
        for target in by_key.values():
            target["wait_s"].sort()
            target["service_s"].sort()
    return parts


def merge(keyed_totals) -> dict:
    """Add up (key, totals) pairs per key, where a totals' wait_s and service_s are lists of
    sorted runs of values (a stored day's, or a live part's single list): {key: totals}."""
    merged: dict = {}
    for key, part in keyed_totals:
        total = merged.get(key)
        if total is None:
            total = merged[key] = dict.fromkeys(COUNTS, 0) | {"ratings": {}, "wait_s": [], "service_s": []}
        for name in COUNTS:
            total[name] += part[name]
        for level, count in part["ratings"].items():
            total["ratings"][level] = total["ratings"].get(level, 0) + count
        total["wait_s"] += part["wait_s"]
        total["service_s"] += part["service_s"]
    return merged


def as_totals(part: dict) -> dict:
    """A part read from the raw rows, in the shape ``merge`` adds up (one run of values)."""
    return part | {"wait_s": [part["wait_s"]], "service_s": [part["service_s"]]}


def mean(runs) -> float | None:
    """The mean of every value in the runs (exact sum, then one division); None without values."""
    count = sum(len(run) for run in runs)
    return math.fsum(itertools.chain.from_iterable(runs)) / count if count else None


def p90(runs) -> float | None:
    """Nearest rank over sorted runs: the value at rank ceil(0.9 n) of all n values; None
    without values.

    Sorting a year's values costs more than the rest of a report, so only the values from
    a threshold up are sorted: the threshold is read from an evenly spread sample, and it
    is used only when fewer than ceil(0.9 n) values lie below it (counted exactly with a
    binary search in each run), in which case the answer is among the values above it."""
    count = sum(len(run) for run in runs)
    if not count:
        return None
    rank = -(-9 * count // 10)  # ceil(0.9 n) in integers
    if len(runs) == 1:
        return runs[0][rank - 1]
    if count >= SAMPLED_FROM:
        sample = sorted(itertools.chain.from_iterable(run[::SAMPLE_STEP] for run in runs))
        threshold = sample[len(sample) * 17 // 20]  # about the 85th percentile, safely under the 90th
        starts = [bisect.bisect_left(run, threshold) for run in runs]
        below = sum(starts)
        if below < rank:
            tail = sorted(itertools.chain.from_iterable(run[start:] for run, start in zip(runs, starts)))
            return tail[rank - below - 1]
    return sorted(itertools.chain.from_iterable(runs))[rank - 1]
