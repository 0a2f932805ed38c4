"""Quarterly evaluation per officer (đánh giá cán bộ theo quý), in the spirit of Circular
01/2018: each rating is worth its level's configured points, summed per officer, shown
beside the officer's service figures for the same quarter."""

from datetime import datetime

from layso import inputs
from layso.queue.ratings import rating_config
from layso.reports.formats import name_order
from layso.reports.summary import half_up, summary


def quarter_period(quarter) -> tuple[str, str]:
    """'2026-Q4' → ('2026-10-01', '2026-12-31'); raises InvalidInput."""
    first, last = inputs.quarter(quarter)
    return first.isoformat(), last.isoformat()


def evaluation(db, quarter, *, now: datetime | None = None) -> dict:
    """{quarter, from, to, levels, officers: [summary row + name, title, rated, points,
    points_avg, rank]}, in rank order (see ``rank``). Every active officer appears, with
    zeros if idle.
    ``now`` lets closed days come from the daily roll-up (see summary). Raises InvalidInput
    for a malformed quarter."""
    date_from, date_to = quarter_period(quarter)
    levels = rating_config(db)["levels"]
    points = {level["id"]: level["points"] for level in levels}
    rows = {row["key"]: row for row in summary(db, date_from, date_to, "officer", now=now)}
    people = {
        user["username"]: user
        for user in db.query("SELECT username, name, title FROM users WHERE role = 'officer' AND active = 1")
    }
    for username in people.keys() - rows.keys():
        rows[username] = summary_placeholder(username, levels)
    officers = []
    for username, row in rows.items():
        rated = sum(row["ratings"].values())
        total = sum(points.get(level, 0) * count for level, count in row["ratings"].items())
        person = people.get(username) or next(
            db.query("SELECT username, name, title FROM users WHERE username = ?", [username]),
            {"name": username, "title": ""},
        )
        officers.append(row | {
            "name": person["name"], "title": person["title"], "rated": rated, "points": total,
            "points_avg": half_up(total / rated, 2) if rated else None,
        })
    rank(officers)
    return {"quarter": quarter, "from": date_from, "to": date_to, "levels": levels, "officers": officers}


def rank(officers: list[dict]) -> None:
    """Sort and rank in place: most points first, equal points share a rank and the next
    rank skips (1, 2, 2, 4), ties in name order. An officer nobody rated has no score: no
    rank (None), listed after every ranked officer — never level with a rated one."""
    officers.sort(key=lambda officer: (not officer["rated"], -officer["points"], name_order(officer["name"]), officer["key"]))
    previous = None
    for place, officer in enumerate(officers, start=1):
        if not officer["rated"]:
            officer["rank"] = None
        elif previous is not None and officer["points"] == previous["points"]:
            officer["rank"] = previous["rank"]
        else:
            officer["rank"] = place
        previous = officer


def summary_placeholder(key, levels) -> dict:
    """A summary row for a group with no activity in the period."""
    return {
        "key": key, "issued": 0, "served": 0, "no_show": 0, "transferred": 0,
        "avg_wait_s": None, "p90_wait_s": None, "avg_service_s": None, "p90_service_s": None,
        "ratings": {level["id"]: 0 for level in levels}, "not_rated": 0, "satisfied_pct": None,
    }
