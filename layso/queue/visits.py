"""Visits (lượt phục vụ): each stretch a ticket spends at a counter, from call to its end.

Reports read these rows directly: wait = queued → called, service = called → ended,
credited to the officer and counter of that stretch. The ticket row keeps running totals.
"""

from datetime import datetime

from layso.clock import iso, seconds_between


def start_visit(db, ticket: dict, *, counter: int, officer: str, now: datetime) -> float:
    """Record a call; return the seconds this ticket waited for it."""
    wait_s = seconds_between(ticket["queued_at"], now)
    # Plain INSERT: sqlite-utils' insert() inspects the schema first, on every call.
    db.execute(
        "INSERT INTO visits (ticket, day, service, counter, officer, queued_at, called_at, wait_s) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [ticket["id"], ticket["day"], ticket["service"], counter, officer, ticket["queued_at"], iso(now), wait_s],
    )
    return wait_s


def end_visit(db, ticket: dict, *, outcome: str, now: datetime, note: str | None = None) -> float:
    """Close the open stretch of a ticket; return its service seconds (0 if none was open)."""
    row = db.execute(
        "SELECT id, called_at FROM visits WHERE ticket = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1",
        [ticket["id"]],
    ).fetchone()
    if row is None:
        return 0.0
    service_s = seconds_between(row[1], now)
    db.execute(
        "UPDATE visits SET ended_at = ?, outcome = ?, service_s = ?, note = COALESCE(?, note) WHERE id = ?",
        [iso(now), outcome, service_s, note, row[0]],
    )
    db.execute("UPDATE tickets SET service_s = service_s + ? WHERE id = ?", [service_s, ticket["id"]])
    return service_s


def officer_day(db, officer: str, *, day: str) -> dict:
    """{served, avg_service_s} for one officer on one day: finished visits only (a no-show,
    hold or transfer is not a citizen served). ``avg_service_s`` is None before the first."""
    served, average = db.execute(
        "SELECT COUNT(*), AVG(service_s) FROM visits WHERE officer = ? AND day = ? AND outcome = 'finished'",
        [officer, day],
    ).fetchone()
    return {"day": day, "served": served, "avg_service_s": round(average, 1) if average is not None else None}
