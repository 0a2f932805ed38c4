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


def order_by_sql(services: list[str], *, counter: int, priority_first: bool,
                 due: str | None = None) -> tuple[str, list]:
    """The ORDER BY clause (and its parameters) that puts the ticket to call first;
    ``due`` from :func:`appointments_due`."""
    preference = " ".join(f"WHEN ? THEN {rank}" for rank in range(len(services)))
    appointment = "transferred = 0 AND appointment_at <= ?"  # NULL (not an appointment) is not due
    clause = (
        "(target_counter IS ?) DESC, transferred DESC, "
        f"COALESCE({appointment}, 0) DESC, CASE WHEN {appointment} THEN appointment_at END, "
        f"priority {'DESC' if priority_first else 'ASC'}, "
        f"CASE service {preference} ELSE {len(services)} END, queued_at, id"
    )
    # No clock: a moment before every slot, so no appointment is due.
    return clause, [counter, due or "", due or "", *services]
