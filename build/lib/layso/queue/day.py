"""The end of a center's day: every ticket is accounted for.

Tickets of past days still waiting, called or held are closed as ``expired`` (never
deleted), their open visits end, and counters left open overnight are closed: each
officer opens their counter again in the morning, so yesterday's holder does not keep it.
Run at start and then periodically by the server; numbering needs nothing, as it
restarts by local date.
"""

from datetime import datetime

from layso.clock import iso, local_day
from layso.events import TICKET_EXPIRED, Outcome, counter_event, ticket_event
from layso.queue.counters import counter_object, update_counter
from layso.queue.tickets import load_ticket, log_event, ticket_object
from layso.queue.visits import end_visit
from layso.store.db import write


def expire_past_days(db, *, now: datetime) -> Outcome:
    """Close every still-open ticket from before today as expired, and every counter left
    open from before today; return how many tickets expired."""
    today = local_day(now)
    events = []
    with write(db):
        stale = list(
            db.query("SELECT * FROM tickets WHERE day < ? AND status IN ('waiting', 'called', 'held')", [today])
        )
        for ticket in stale:
            end_visit(db, ticket, outcome="expired", now=now)
            db.execute("UPDATE tickets SET status = 'expired', closed_at = ? WHERE id = ?", [iso(now), ticket["id"]])
            log_event(db, ticket, "expired", now=now)
        for counter in db.query(
            "SELECT * FROM counters WHERE status != 'closed' AND substr(updated_at, 1, 10) < ?", [today]
        ):
            closed = update_counter(
                db, counter["number"], now=now, status="closed", officer=None, current_ticket=None, paused_reason=None
            )
            events.append(counter_event(counter_object(db, closed)))
        events[:0] = [
            ticket_event(TICKET_EXPIRED, ticket_object(db, load_ticket(db, ticket["id"])), ticket["counter"])
            for ticket in stale
        ]
    return Outcome(len(stale), events)
