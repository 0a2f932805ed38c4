"""The waiting list of one counter (hàng chờ của quầy): who it would call, in order, and the
held citizens it may call back.

``call_next`` takes :func:`next_waiting`, the first row of :func:`waiting_rows` found by
index seeks (a test holds the two to the same order), so the list an officer sees is
exactly the order the button follows.
"""

import json
from datetime import datetime

from layso.clock import local_day
from layso.events import public_ticket
from layso.queue.ordering import appointments_due, order_by_sql, priority_first, queue_buckets
from layso.queue.tickets import ticket_object
from layso.store.center import get_setting

MAX_LISTED = 200  # a console shows the head of the queue; a whole day never needs to travel


def _waiting_where(counter: dict, day: str) -> tuple[str, list]:
    """Waiting today, and either sent to this counter or of its services and not aimed elsewhere."""
    services = json.loads(counter["services"])
    marks = ", ".join("?" for _ in services)
    # status first: the tickets_queue index then only walks today's open tickets, not a year.
    clause = (
        "status = 'waiting' AND day = ? AND "
        f"(target_counter = ? OR (target_counter IS NULL AND service IN ({marks})))"
    )
    return clause, [day, counter["number"], *services]


def _due(db, now: datetime | None) -> str | None:
    return appointments_due(get_setting(db, "appointments", {}) or {}, now)


def waiting_rows(db, counter: dict, *, day: str, limit: int | None = None, now: datetime | None = None) -> list[dict]:
    """Waiting tickets this counter may call at ``now``, in call order (see
    :mod:`layso.queue.ordering`): tickets transferred to it, then those of its services not
    aimed at another counter. Without ``now`` no appointment is due."""
    where, params = _waiting_where(counter, day)
    first = priority_first(get_setting(db, "queue", {}) or {}, counter["priority_run"])
    order, order_params = order_by_sql(json.loads(counter["services"]), counter=counter["number"], priority_first=first,
                                       due=_due(db, now))
    sql = f"SELECT * FROM tickets WHERE {where} ORDER BY {order}"
    params = [*params, *order_params]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return list(db.query(sql, params))


def next_waiting(db, counter: dict, *, day: str, now: datetime | None = None) -> dict | None:
    """The first row of :func:`waiting_rows` (None when nobody waits), without sorting them all.

    Tickets sent to this counter come first (few: sorted whole). The rest are read bucket
    by bucket, each an index seek on tickets_waiting: one ORDER BY over every waiting
    ticket made a call cost milliseconds once thousands waited. Buckets the waiting counts
    (migration m009) show empty are not even sought. Checked-in appointments whose slot has
    started come before the buckets that were not transferred (an index on them alone).
    """
    services = json.loads(counter["services"])
    first = priority_first(get_setting(db, "queue", {}) or {}, counter["priority_run"])
    due = _due(db, now)
    order, order_params = order_by_sql(services, counter=counter["number"], priority_first=first, due=due)
    targeted = next(db.query(
        f"SELECT * FROM tickets WHERE target_counter = ? AND status = 'waiting' AND day = ? ORDER BY {order} LIMIT 1",
        [counter["number"], day, *order_params],
    ), None)
    if targeted is not None:
        return targeted
    marks = ", ".join("?" for _ in services)
    occupied = set(db.execute(
        f"SELECT transferred, priority, service FROM waiting_counts WHERE day = ? AND service IN ({marks}) "
        "AND waiting > 0", [day, *services],
    ).fetchall())
    appointments_sought = due is None
    for transferred, priority, service in queue_buckets(services, priority_first=first):
        if transferred == 0 and not appointments_sought:
            appointments_sought = True
            if (appointment := _due_appointment(db, services, day=day, due=due)) is not None:
                return appointment
        if (transferred, priority, service) not in occupied:
            continue
        ticket = next(db.query(
            "SELECT * FROM tickets WHERE day = ? AND service = ? AND status = 'waiting' AND transferred = ? "
            "AND priority = ? AND target_counter IS NULL ORDER BY queued_at, id LIMIT 1",
            [day, service, transferred, priority],
        ), None)
        if ticket is not None:
            return ticket
    return None


def _due_appointment(db, services: list[str], *, day: str, due: str) -> dict | None:
    """The first checked-in appointment of these services whose slot has started (rule 2)."""
    marks = ", ".join("?" for _ in services)
    preference = " ".join(f"WHEN ? THEN {rank}" for rank in range(len(services)))
    return next(db.query(
        f"SELECT * FROM tickets WHERE day = ? AND appointment_at <= ? AND status = 'waiting' AND transferred = 0 "
        f"AND target_counter IS NULL AND service IN ({marks}) "
        f"ORDER BY appointment_at, CASE service {preference} END, queued_at, id LIMIT 1",
        [day, due, *services, *services],
    ), None)


def held_rows(db, counter: dict, *, day: str) -> list[dict]:
    """Today's held tickets (tạm giữ) of this counter's services or held here, oldest first."""
    services = json.loads(counter["services"])
    marks = ", ".join("?" for _ in services)
    return list(db.query(
        f"SELECT * FROM tickets WHERE status = 'held' AND day = ? AND (counter = ? OR service IN ({marks})) "
        "ORDER BY held_at, id",
        [day, counter["number"], *services],
    ))


def counter_queue(db, counter: dict, *, now: datetime, limit: int = MAX_LISTED) -> dict:
    """{waiting: [ticket objects in call order], held: [ticket objects], waiting_total} for the
    console of ``counter``. Ticket objects carry no status link (that is the citizen's)."""
    day = local_day(now)
    waiting = waiting_rows(db, counter, day=day, limit=limit + 1, now=now)
    total = len(waiting)
    if total > limit:
        where, params = _waiting_where(counter, day)
        (total,) = db.execute(f"SELECT COUNT(*) FROM tickets WHERE {where}", params).fetchone()
    return {
        "waiting": [public_ticket(ticket_object(db, row, now=now)) for row in waiting[:limit]],
        "held": [public_ticket(ticket_object(db, row)) for row in held_rows(db, counter, day=day)],
        "waiting_total": total,
    }
