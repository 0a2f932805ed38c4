"""Who is called next: the ordering policy, as pure functions (no database).

The order at a counter, first rule first:
1. tickets transferred to this counter, then tickets transferred into its services
   (they already waited once: chuyển quầy puts them at the head of the queue);
2. the priority policy — ``strict``: priority tickets (người cao tuổi, khuyết tật, …)
   before normal ones; ``interleave``: priority first, but after N priority calls in a
   row a waiting normal ticket gets its turn;
3. the counter's service preference order;
4. oldest first.
"""


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


def order_by_sql(services: list[str], *, counter: int, priority_first: bool) -> tuple[str, list]:
    """The ORDER BY clause (and its parameters) that puts the ticket to call first."""
    preference = " ".join(f"WHEN ? THEN {rank}" for rank in range(len(services)))
    clause = (
        "(target_counter IS ?) DESC, transferred DESC, "
        f"priority {'DESC' if priority_first else 'ASC'}, "
        f"CASE service {preference} ELSE {len(services)} END, queued_at, id"
    )
    return clause, [counter, *services]
