"""Who is called next: the ordering policy, as pure functions (no database).

The order at a counter, first rule first:
1. tickets transferred to this counter, then tickets transferred into its services
   (they already waited once: chuyển quầy puts them at the head of the queue);
2. checked-in appointments whose slot has started (the appointment policy
   ``appointment_first``, the default): earliest slot first. Before its slot time an
   appointment's ticket waits like any other, by its check-in time; with ``fifo`` it
   always does;
3. the priority policy — ``strict``: priority tickets (người cao tuổi, khuyết tật, …)
   before normal ones; ``interleave``: priority first, but after N priority calls in a
   row a waiting normal ticket gets its turn;
4. the counter's service preference order;
5. oldest first.
"""
from datetime import datetime

from layso.clock import iso


def appointments_due(appointments: dict, now: datetime | None) -> str | None:
    """The moment up to which checked-in appointments go ahead (rule 2), as stored
    (ISO 8601, the center's offset); None when they wait like others (``fifo``, or no clock)."""
    if now is None or appointments.get("ordering", "appointment_first") != "appointment_first":
        return None
    return iso(now)


# rule 2's test on a ticket row, with the moment from appointments_due as its parameter
DUE_SQL = "transferred = 0 AND appointment_at <= ?"  # NULL (not an appointment) is not due


def appointment_is_due(ticket: dict, due: str | None) -> bool:
    """Whether rule 2 puts this ticket ahead at ``due`` (:data:`DUE_SQL` on a row in hand)."""
    return (due is not None and not ticket["transferred"] and ticket.get("appointment_at") is not None
            and ticket["appointment_at"] <= due)


def priority_first(policy: dict, priority_run: int) -> bool:
    """Whether priority tickets go before normal ones on this call."""
    if policy.get("ordering", "strict") != "interleave":
        return True
    return priority_run < max(1, policy.get("interleave_priority_run", 2))


def next_priority_run(priority_run: int, *, called_priority: bool, transferred: bool) -> int:
    """The count of priority calls in a row after this call (transfers do not count)."""
    if transferred:
        return priority_run
    return priority_run + 1 if called_priority else 0


def queue_buckets(services: list[str], *, priority_first: bool) -> list[tuple[int, int, str]]:
    """(transferred, priority, service) in call order, for the tickets not sent to one
    counter (rules 1–3): the head of the first non-empty bucket, oldest first, is called."""
    priorities = (1, 0) if priority_first else (0, 1)
    return [(transferred, priority, service)
            for transferred in (1, 0) for priority in priorities for service in services]


def _tiers(*, priority_first: bool, due: str | None) -> tuple[list[str], list]:
    """Rules 1 (transferred in), 2 (due appointments, earliest slot first) and 3 (priority)
    as ascending ORDER BY terms with their parameters: the part of the order every
    counter shares."""
    terms = ["transferred DESC", f"COALESCE({DUE_SQL}, 0) DESC", f"CASE WHEN {DUE_SQL} THEN appointment_at END",
             f"priority {'DESC' if priority_first else 'ASC'}"]
    # No clock: a moment before every slot, so no appointment is due.
    return terms, [due or "", due or ""]


def order_by_sql(services: list[str], *, counter: int, priority_first: bool,
                 due: str | None = None) -> tuple[str, list]:
    """The ORDER BY clause (and its parameters) that puts the ticket to call first at
    ``counter``; ``due`` from :func:`appointments_due`."""
    preference = " ".join(f"WHEN ? THEN {rank}" for rank in range(len(services)))
    tiers, tier_params = _tiers(priority_first=priority_first, due=due)
    clause = ", ".join(["(target_counter IS ?) DESC", *tiers,
                        f"CASE service {preference} ELSE {len(services)} END", "queued_at", "id"])
    return clause, [counter, *tier_params, *services]


def service_order_sql(*, due: str | None, priority_first: bool = True) -> tuple[str, list]:
    """The ORDER BY clause of one service's queue, in which people ahead are counted
    (rules 1–3 and 5; a service's tickets share rule 4's rank). Priority first by default:
    under ``interleave`` a normal ticket may be called sooner, and the count stays on the
    safe side."""
    tiers, params = _tiers(priority_first=priority_first, due=due)
    return ", ".join([*tiers, "queued_at", "id"]), params
