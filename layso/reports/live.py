"""The live dashboard (bảng điều hành): the center right now and today so far.

Built on each request from the same tables and definitions as the reports
(docs/reports.md), so "today" on the dashboard and a report for today agree.
"""

from datetime import date, datetime, timedelta

from layso.clock import iso, local_day, seconds_between
from layso.queue.ratings import rating_config
from layso.queue.services import WEEKDAYS, service_overview
from layso.store.center import get_setting
from layso.reports.summary import satisfied_pct, summary
from layso.reports.alerts import condition_alerts

USUAL_WEEKS = 4  # "the usual day": the same weekday over this many previous weeks


def _counters(db, *, now: datetime) -> list[dict]:
    rows = db.execute(
        "SELECT c.number, c.name, c.status, c.paused_reason, c.updated_at, u.username, u.name, "
        "t.number, t.service, t.called_at FROM counters c LEFT JOIN users u ON u.username = c.officer "
        "LEFT JOIN tickets t ON t.id = c.current_ticket WHERE c.active = 1 ORDER BY c.number"
    ).fetchall()
    return [
        {
            "number": number, "name": name, "status": status, "paused_reason": paused_reason,
            "since": updated_at,
            "officer": {"username": username, "name": officer_name} if username else None,
            "ticket": ticket, "ticket_service": ticket_service, "called_at": called_at,
            "serving_s": seconds_between(called_at, now) if ticket else None,
        }
        for number, name, status, paused_reason, updated_at, username, officer_name, ticket, ticket_service, called_at
        in rows
    ]


def _services(db, *, now: datetime, today_rows: dict) -> list[dict]:
    oldest = dict(db.execute(
        "SELECT service, MIN(queued_at) FROM tickets WHERE day = ? AND status = 'waiting' GROUP BY service",
        [local_day(now)],
    ).fetchall())
    result = []
    for service in service_overview(db, now=now):
        figures = today_rows.get(service["code"], {})
        result.append({
            "code": service["code"], "name": service["name"], "open": service["open"],
            "waiting": service["waiting"], "wait_target_s": service["wait_target_s"],
            "longest_wait_s": seconds_between(oldest.get(service["code"]), now),
            "avg_wait_s": figures.get("avg_wait_s"), "avg_service_s": figures.get("avg_service_s"),
            "issued": figures.get("issued", 0), "served": figures.get("served", 0),
        })
    return result


def _per_hour(db, days: list[str]) -> tuple[dict, dict]:
    """Tickets issued and served per (day, hour) for the given days."""
    marks = ", ".join("?" for _ in days)
    arrivals, served = {}, {}
    for day, hour, count in db.execute(
        f"SELECT day, CAST(substr(issued_at, 12, 2) AS INTEGER), COUNT(*) FROM tickets WHERE day IN ({marks}) "
        f"GROUP BY 1, 2", days,
    ):
        arrivals[(day, hour)] = count
    for day, hour, count in db.execute(
        f"SELECT day, CAST(substr(ended_at, 12, 2) AS INTEGER), COUNT(*) FROM visits WHERE day IN ({marks}) "
        f"AND outcome = 'finished' GROUP BY 1, 2", days,
    ):
        served[(day, hour)] = count
    return arrivals, served


def opening_hours(hours: dict, day: date) -> set[int]:
    """The clock hours touched by a day's opening spans ("07:30-11:30" → 7…11; an end on
    the hour, such as 17:00, does not open the 17h); none on a holiday or a closed day."""
    if day.isoformat() in hours.get("holidays", []):
        return set()
    touched = set()
    for span in hours.get(WEEKDAYS[day.weekday()], []):
        end_hour, end_minute = map(int, span[6:].split(":"))
        last = end_hour - 1 if end_minute == 0 else end_hour
        touched.update(range(int(span[:2]), last + 1))
    return touched


def hourly(db, *, now: datetime) -> dict:
    """Arrivals and served per hour today, against the same weekday's average over the
    previous weeks in which the center issued tickets that day. The axis runs without a
    gap from the first to the last hour that is open today or saw a ticket."""
    today = date.fromisoformat(local_day(now))
    past = [(today - timedelta(weeks=week)).isoformat() for week in range(1, USUAL_WEEKS + 1)]
    arrivals, served = _per_hour(db, [today.isoformat(), *past])
    open_days = {day for day, _ in arrivals if day != today.isoformat()}
    shown = {hour for _, hour in arrivals} | {hour for _, hour in served} | opening_hours(get_setting(db, "hours", {}), today)
    hours = list(range(min(shown), max(shown) + 1)) if shown else []

    def usual(counts: dict, hour: int):
        if not open_days:
            return None
        return round(sum(counts.get((day, hour), 0) for day in open_days) / len(open_days), 1)

    return {
        "hours": hours,
        "arrivals": [arrivals.get((today.isoformat(), hour), 0) for hour in hours],
        "served": [served.get((today.isoformat(), hour), 0) for hour in hours],
        "usual_arrivals": [usual(arrivals, hour) for hour in hours],
        "usual_served": [usual(served, hour) for hour in hours],
        "usual_days": sorted(open_days),
    }


def _satisfaction(rows: list[dict], levels: list[dict], names: dict) -> list[dict]:
    return [
        {"key": row["key"], "name": names.get(row["key"], str(row["key"])), "ratings": row["ratings"],
         "rated": sum(row["ratings"].values()), "satisfied_pct": row["satisfied_pct"]}
        for row in rows if sum(row["ratings"].values())
    ]


def snapshot(db, *, now: datetime) -> dict:
    """Everything ``GET /api/v1/dashboard`` shows: counters, services, today's totals,
    satisfaction per officer and service, the hourly chart and the standing alerts."""
    today = local_day(now)
    levels = rating_config(db)["levels"]
    satisfied_levels = {level["id"] for level in levels if level["satisfied"]}
    by_service = summary(db, today, today, "service")
    by_officer = summary(db, today, today, "officer")
    counters = _counters(db, now=now)
    services = _services(db, now=now, today_rows={row["key"]: row for row in by_service})
    overall = {level["id"]: 0 for level in levels}
    for row in by_service:
        for level, count in row["ratings"].items():
            overall[level] = overall.get(level, 0) + count
    officer_names = {row[0]: row[1] for row in db.execute("SELECT username, name FROM users")}
    service_names = {service["code"]: service["name"] for service in services}
    return {
        "at": iso(now),
        "day": today,
        "counters": counters,
        "services": services,
        "today": {
            "issued": sum(row["issued"] for row in by_service),
            "served": sum(row["served"] for row in by_service),
            "no_show": sum(row["no_show"] for row in by_service),
            "waiting": sum(service["waiting"] for service in services),
        },
        "satisfaction": {
            "levels": [{key: level[key] for key in ("id", "label", "satisfied")} for level in levels],
            "overall": {"ratings": overall, "rated": sum(overall.values()),
                        "satisfied_pct": satisfied_pct(overall, satisfied_levels)},
            "officers": _satisfaction(by_officer, levels, officer_names),
            "services": _satisfaction(by_service, levels, service_names),
        },
        "hourly": hourly(db, now=now),
        "alerts": condition_alerts(db, counters=counters, services=services, now=now),
    }

