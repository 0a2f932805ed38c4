"""The end of a center's day: every ticket is accounted for.

Tickets of past days still waiting, called or held are closed as ``expired`` (never
deleted), their open visits end, and counters let go of them. Run at start and then
periodically by the server; numbering needs nothing, as it restarts by local date.
"""

from datetime import datetime

from layso.clock import iso, local_day
from layso.events import TICKET_EXPIRED, Outcome, counter_event, ticket_event
from layso.queue.counters import counter_object, update_counter
from layso.queue.tickets import load_ticket, log_event, ticket_object
from layso.queue.visits import end_visit
from layso.store.db import write


def expire_past_days(db, *, now: datetime) -> Outcome:
    """Close every still-open ticket from before today as expired; return how many."""
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
        stale_ids = [ticket["id"] for ticket in stale]
        for counter in db.query(
            f"SELECT * FROM counters WHERE current_ticket IN ({', '.join('?' for _ in stale_ids)})", stale_ids
        ):
            status = "idle" if counter["status"] == "serving" else counter["status"]
            events.append(counter_event(counter_object(db, update_counter(
                db, counter["number"], now=now, status=status, current_ticket=None))))
        events[:0] = [
            ticket_event(TICKET_EXPIRED, ticket_object(db, load_ticket(db, ticket["id"])), ticket["counter"])
            for ticket in stale
        ]
    return Outcome(len(stale), events)
