"""The call log (lượt gọi số) the hall displays show: the latest calls of the day."""

from datetime import datetime

from layso.clock import local_day

RECENT_CALLS = 12


def recent_calls(db, *, now: datetime, limit: int = RECENT_CALLS) -> list[dict]:
    """Today's latest calls, newest first, each ticket once (its last call or recall):
    {number, service, counter, at, recall}."""
    rows = db.execute(
        "SELECT t.number, t.service, e.counter, e.at, e.action FROM ticket_events e "
        "JOIN tickets t ON t.id = e.ticket WHERE e.id IN ("
        "  SELECT MAX(id) FROM ticket_events WHERE day = ? AND action IN ('called', 'recalled') GROUP BY ticket"
        ") ORDER BY e.id DESC LIMIT ?",
        [local_day(now), limit],
    ).fetchall()
    return [
        {"number": number, "service": service, "counter": counter, "at": at, "recall": action == "recalled"}
        for number, service, counter, at, action in rows
    ]
