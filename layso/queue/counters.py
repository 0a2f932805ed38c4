"""Counters (quầy): who holds them and in what state, and the center-wide snapshot.

A counter is ``closed`` (no officer), ``idle`` (open, nobody at the desk), ``serving``
(a ticket is called) or ``paused`` (tạm dừng, with a reason). One officer holds one
counter at a time.
"""

import json
from datetime import datetime

from layso.clock import iso, local_day
from layso.errors import Conflict, CounterNotHeld, CounterOccupied, InvalidInput, UnknownCounter
from layso.events import TICKET_TRANSFERRED, Outcome, counter_event, public_ticket, ticket_event
from layso.inputs import text, whole_number
from layso.queue.calls import recent_calls
from layso.queue.services import service_overview
from layso.queue.tickets import load_ticket, log_event, ticket_object
from layso.queue.visits import end_visit
from layso.store.center import get_setting
from layso.store.db import write

# The words for a counter's status on every screen (console, displays, dashboard): one set.
STATUS_WORDS = {"serving": "Đang phục vụ", "idle": "Sẵn sàng", "paused": "Tạm dừng", "closed": "Đóng"}


def load_counter(db, number) -> dict:
    """The counter row; raises UnknownCounter."""
    number = whole_number(number)
    if number is None:
        raise UnknownCounter()
    row = next(db.query("SELECT * FROM counters WHERE number = ? AND active = 1", [number]), None)
    if row is None:
        raise UnknownCounter()
    return row


def held_counter(db, number, officer: str) -> dict:
    """The counter, provided ``officer`` holds it; raises UnknownCounter, CounterNotHeld."""
    counter = load_counter(db, number)
    if counter["officer"] != officer:
        raise CounterNotHeld()
    return counter


def officer_object(db, username: str | None) -> dict | None:
    if username is None:
        return None
    row = next(db.query("SELECT username, name, title, photo FROM users WHERE username = ?", [username]), None)
    return row


def counter_object(db, counter: dict, *, ticket: dict | None = None) -> dict:
    """The counter as the API and screens show it (``ticket``: its current ticket's
    object, when the caller has just built it)."""
    current = None
    if counter["current_ticket"] is not None:
        if ticket is None or ticket["id"] != counter["current_ticket"]:
            ticket = ticket_object(db, load_ticket(db, counter["current_ticket"]))
        current = public_ticket(ticket)
    return {
        "number": counter["number"],
        "name": counter["name"],
        "services": json.loads(counter["services"]),
        "status": counter["status"],
        "status_text": STATUS_WORDS[counter["status"]],
        "officer": officer_object(db, counter["officer"]),
        "current_ticket": current,
        "paused_reason": counter["paused_reason"],
        "updated_at": counter["updated_at"],
    }


def update_counter(db, number: int, *, now: datetime, **changes) -> dict:
    """Change a counter inside the caller's transaction; return its new row."""
    changes["updated_at"] = iso(now)
    assignments = ", ".join(f"{column} = ?" for column in changes)
    db.execute(f"UPDATE counters SET {assignments} WHERE number = ?", [*changes.values(), number])
    return load_counter(db, number)


def open_counter(db, number, *, officer: str, now: datetime) -> Outcome:
    """An officer takes a counter. Taking one held by someone else raises CounterOccupied;
    an officer who held another (idle or paused) counter leaves it closed."""
    events = []
    with write(db):
        counter = load_counter(db, number)
        if counter["officer"] == officer:
            return Outcome(counter_object(db, counter))
        if counter["officer"] is not None:
            raise CounterOccupied()
        for other in db.query("SELECT * FROM counters WHERE officer = ?", [officer]):
            if other["current_ticket"] is not None:
                raise Conflict(
                    f"Hãy kết thúc lượt phục vụ ở quầy {other['number']} trước.",
                    message_en=f"Finish the current ticket at counter {other['number']} first.",
                )
            left = update_counter(db, other["number"], now=now, status="closed", officer=None, paused_reason=None)
            events.append(counter_event(counter_object(db, left)))
        counter = update_counter(db, counter["number"], now=now, status="idle", officer=officer, priority_run=0)
        body = counter_object(db, counter)
    return Outcome(body, [*events, counter_event(body)])


def close_counter(db, number, *, by: str, manager: bool = False, now: datetime) -> Outcome:
    """The officer leaves the counter (or a manager closes it). A citizen still at the
    desk is not lost: their ticket goes back to the head of its queue."""
    events = []
    with write(db):
        counter = load_counter(db, number) if manager else held_counter(db, number, by)
        if counter["current_ticket"] is not None:
            ticket = load_ticket(db, counter["current_ticket"])
            if ticket["status"] == "called":
                end_visit(db, ticket, outcome="transferred", now=now)
                db.execute(
                    "UPDATE tickets SET status = 'waiting', transferred = 1, queued_at = ? WHERE id = ?",
                    [iso(now), ticket["id"]],
                )
                log_event(db, ticket, "transferred", now=now, counter=counter["number"], officer=by, reason="counter_closed")
                events.append(ticket_event(TICKET_TRANSFERRED, ticket_object(db, load_ticket(db, ticket["id"]), now=now), counter["number"]))
        counter = update_counter(
            db, counter["number"], now=now, status="closed", officer=None, current_ticket=None, paused_reason=None
        )
        body = counter_object(db, counter)
    return Outcome(body, [*events, counter_event(body)])


def pause_counter(db, number, *, officer: str, reason: str, now: datetime) -> Outcome:
    """Pause (tạm dừng) with a reason such as a break or a meeting; needs no citizen at the desk."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("Hãy chọn lý do tạm dừng.", message_en="A reason is required to pause.")
    reason = text(reason, "pause_reason", name="reason")
    with write(db):
        counter = held_counter(db, number, officer)
        if counter["current_ticket"] is not None:
            raise Conflict(
                "Hãy kết thúc lượt phục vụ hiện tại trước khi tạm dừng.",
                message_en="Finish the current ticket before pausing.",
            )
        counter = update_counter(db, counter["number"], now=now, status="paused", paused_reason=reason)
        body = counter_object(db, counter)
    return Outcome(body, [counter_event(body)])


def resume_counter(db, number, *, officer: str, now: datetime) -> Outcome:
    with write(db):
        counter = held_counter(db, number, officer)
        if counter["status"] != "paused":
            raise Conflict("Quầy không ở trạng thái tạm dừng.", message_en="The counter is not paused.")
        counter = update_counter(db, counter["number"], now=now, status="idle", paused_reason=None)
        body = counter_object(db, counter)
    return Outcome(body, [counter_event(body)])


def state(db, *, now: datetime) -> dict:
    """The center at a glance: every counter, the waiting count per service, today's latest calls.

    The body of ``GET /api/v1/state`` and of the ``state`` event sent on connect.
    """
    counters = [counter_object(db, row) for row in db.query("SELECT * FROM counters WHERE active = 1 ORDER BY number")]
    services = [
        {key: service[key] for key in ("code", "prefix", "name", "group", "waiting", "estimated_wait_s", "open")}
        for service in service_overview(db, now=now)
    ]
    return {
        "center": get_setting(db, "center_name"),
        "day": local_day(now),
        "at": iso(now),
        "announcement": get_setting(db, "announcement", ""),
        "counters": counters,
        "services": services,
        "calls": recent_calls(db, now=now),
    }
