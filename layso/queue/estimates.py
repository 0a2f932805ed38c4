"""People ahead and estimated wait, from recent real service times.

The estimate for a ticket is (people ahead × average recent service time) ÷ counters
serving that service. The average is over the last ``queue.estimate_window`` finished
services of that service (any day), so a morning starts from yesterday's pace rather
than a guess; with no history it falls back to ``queue.default_service_s``.
"""

from datetime import datetime

from layso.queue.ordering import DUE_SQL, appointment_is_due, appointments_due, service_order_sql
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


def counters_serving(db, service: str | None = None) -> dict:
    """How many counters serve each service (or just ``service``): open ones, or all of
    them before any opens."""
    rows = db.execute(
        "SELECT service.value, COUNT(*), SUM(counters.status != 'closed') "
        "FROM counters, json_each(counters.services) AS service WHERE counters.active = 1"
        + (" AND service.value = ?" if service is not None else "") + " GROUP BY service.value",
        [] if service is None else [service],
    )
    return {code: open_count or total for code, total, open_count in rows}


def _estimate(ahead: int, average: float, counters: int) -> int:
    return round(ahead * average / max(1, counters))


def service_estimates(db, *, day: str) -> dict:
    """{service code: (waiting, estimated wait in seconds for a ticket taken now)}."""
    serving = counters_serving(db)
    waiting = db.execute(
        "SELECT service, SUM(waiting) FROM waiting_counts WHERE day = ? GROUP BY service HAVING SUM(waiting) > 0",
        [day],
    ).fetchall()
    return {
        code: (count, _estimate(count, average_service_s(db, code), serving.get(code, 1)))
        for code, count in waiting
    }


def ticket_position(db, ticket: dict, *, now: datetime | None = None) -> tuple[int, int]:
    """(people ahead, estimated wait in seconds) for a waiting ticket at ``now``; (0, 0) otherwise.

    People ahead are the waiting tickets of its service that come first in the service's
    order (:func:`layso.queue.ordering.service_order_sql`): transferred-in, then, under
    ``appointment_first``, checked-in appointments whose slot has come, then priority, then
    older first. Without ``now`` no appointment is due. Under the interleave policy a normal
    ticket may in fact be called sooner; the figure stays on the safe side.
    """
    if ticket["status"] != "waiting":
        return 0, 0
    due = appointments_due(get_setting(db, "appointments", {}) or {}, now)
    if appointment_is_due(ticket, due):
        ahead = _place(db, ticket, order_due=due)  # rare (a handful a day): counted in full
    else:
        ahead = _ahead_with_nothing_due(db, ticket)
        if due is not None:
            # the due appointments that now go before it, less those already counted
            ahead += _place(db, ticket, order_due=due, among=due) - _place(db, ticket, order_due=None, among=due)
    average = average_service_s(db, ticket["service"])
    return ahead, _estimate(ahead, average, counters_serving(db, ticket["service"]).get(ticket["service"], 1))


def _place(db, ticket: dict, *, order_due: str | None, among: str | None = None) -> int:
    """How many waiting tickets of its service come before ``ticket`` in the service's order
    as it stands at ``order_due`` — all of them, or only the appointments due at ``among`` —
    by walking that order."""
    order, order_params = service_order_sql(due=order_due)
    where, params = "day = ? AND service = ? AND status = 'waiting'", [ticket["day"], ticket["service"]]
    if among is not None:
        where += f" AND (id = ? OR ({DUE_SQL}))"
        params += [ticket["id"], among]
    for place, (ticket_id,) in enumerate(db.execute(f"SELECT id FROM tickets WHERE {where} ORDER BY {order}",
                                                    [*params, *order_params])):
        if ticket_id == ticket["id"]:
            return place
    return 0


def _ahead_with_nothing_due(db, ticket: dict) -> int:
    """People ahead in the order with no appointment due: transferred-in, priority, older."""
    mine = (ticket["transferred"], ticket["priority"])
    ahead = 0
    # Whole buckets come from the trigger-kept counts (migration m009); inside its own
    # bucket the ticket counts those queued after it, a seek on the tickets_waiting index
    # that finds nothing for a new ticket (counting those before it grew with the queue).
    for transferred, priority, waiting in db.execute(
        "SELECT transferred, priority, waiting FROM waiting_counts WHERE day = ? AND service = ?",
        [ticket["day"], ticket["service"]],
    ):
        if (transferred, priority) > mine:
            ahead += waiting
        elif (transferred, priority) == mine:
            ahead += waiting - 1
    same_bucket = "day = ? AND service = ? AND status = 'waiting' AND transferred = ? AND priority = ?"
    bucket = [ticket["day"], ticket["service"], ticket["transferred"], ticket["priority"]]
    (after,) = db.execute(
        f"""
        SELECT (SELECT COUNT(*) FROM tickets WHERE {same_bucket} AND queued_at > ?)
             + (SELECT COUNT(*) FROM tickets WHERE {same_bucket} AND queued_at = ? AND id > ?)
        """,
        [*bucket, ticket["queued_at"], *bucket, ticket["queued_at"], ticket["id"]],
    ).fetchone()
    ahead -= after
    return ahead
