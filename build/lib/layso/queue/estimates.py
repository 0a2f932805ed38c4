"""People ahead and estimated wait, from recent real service times.

The estimate for a ticket is (people ahead × average recent service time) ÷ counters
serving that service. The average is over the last ``queue.estimate_window`` finished
services of that service (any day), so a morning starts from yesterday's pace rather
than a guess; with no history it falls back to ``queue.default_service_s``.
"""

import json

from layso.store.center import get_setting


def _queue_settings(db) -> dict:
    return get_setting(db, "queue", {}) or {}


def average_service_s(db, service: str) -> float:
    """Average of the recent finished service times of one service (index seek, not a scan)."""
    queue = _queue_settings(db)
    (average,) = db.execute(
        """
        SELECT AVG(service_s) FROM (
            SELECT service_s FROM visits
            WHERE service = ? AND outcome = 'finished' ORDER BY id DESC LIMIT ?
        )
        """,
        [service, queue.get("estimate_window", 20) or 20],
    ).fetchone()
    return average if average is not None else queue.get("default_service_s", 300)


def counters_serving(db) -> dict:
    """How many counters serve each service: open ones, or all of them before any opens."""
    open_count, all_count = {}, {}
    for services, status in db.execute("SELECT services, status FROM counters WHERE active = 1"):
        for code in json.loads(services):
            all_count[code] = all_count.get(code, 0) + 1
            if status != "closed":
                open_count[code] = open_count.get(code, 0) + 1
    return {code: open_count.get(code) or total for code, total in all_count.items()}


def _estimate(ahead: int, average: float, counters: int) -> int:
    return round(ahead * average / max(1, counters))


def service_estimates(db, *, day: str) -> dict:
    """{service code: (waiting, estimated wait in seconds for a ticket taken now)}."""
    serving = counters_serving(db)
    waiting = db.execute(
        "SELECT service, COUNT(*) FROM tickets WHERE day = ? AND status = 'waiting' GROUP BY service", [day]
    ).fetchall()
    return {
        code: (count, _estimate(count, average_service_s(db, code), serving.get(code, 1)))
        for code, count in waiting
    }


def ticket_position(db, ticket: dict) -> tuple[int, int]:
    """(people ahead, estimated wait in seconds) for a waiting ticket; (0, 0) otherwise.

    Ahead means waiting in the same queue and due first: transferred-in before others,
    priority before normal, then older first. Under the interleave policy a normal ticket
    may in fact be called sooner; the figure stays on the safe side.
    """
    if ticket["status"] != "waiting":
        return 0, 0
    queue = (ticket["day"], ticket["service"])
    # One range count per rule, each a seek on the tickets_waiting index: a single OR'ed
    # condition made SQLite test every waiting row of the service instead.
    same_queue = "day = ? AND service = ? AND status = 'waiting'"
    (ahead,) = db.execute(
        f"""
        SELECT (SELECT COUNT(*) FROM tickets WHERE {same_queue} AND transferred > ?)
             + (SELECT COUNT(*) FROM tickets WHERE {same_queue} AND transferred = ? AND priority > ?)
             + (SELECT COUNT(*) FROM tickets WHERE {same_queue} AND transferred = ? AND priority = ?
                AND queued_at < ?)
             + (SELECT COUNT(*) FROM tickets WHERE {same_queue} AND transferred = ? AND priority = ?
                AND queued_at = ? AND id < ?)
        """,
        [
            *queue, ticket["transferred"],
            *queue, ticket["transferred"], ticket["priority"],
            *queue, ticket["transferred"], ticket["priority"], ticket["queued_at"],
            *queue, ticket["transferred"], ticket["priority"], ticket["queued_at"], ticket["id"],
        ],
    ).fetchone()
    average = average_service_s(db, ticket["service"])
    return ahead, _estimate(ahead, average, counters_serving(db).get(ticket["service"], 1))
