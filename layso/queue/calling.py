"""Calling citizens to a counter and ending their turn there.

Every verb takes the write lock first (``BEGIN IMMEDIATE``), so two officers pressing
"call next" at the same instant are served one after the other and never get the same
ticket. Each returns the events to publish after the commit.
"""

import json
from datetime import datetime

from layso.clock import iso, local_day
from layso.errors import (
    Conflict,
    CounterPaused,
    InvalidInput,
    NoCurrentTicket,
    ServiceClosed,
    TicketNotWaiting,
    TransferRefused,
)
from layso.events import (
    TICKET_CALLED,
    TICKET_CANCELLED,
    TICKET_FINISHED,
    TICKET_HELD,
    TICKET_NO_SHOW,
    TICKET_RECALLED,
    TICKET_TRANSFERRED,
    Outcome,
    counter_event,
    ticket_event,
    transfer_received_event,
)
from layso.inputs import text
from layso.notify.dossiers import attach_phone
from layso.queue.counters import counter_object, held_counter, load_counter, update_counter
from layso.queue.ordering import next_priority_run
from layso.queue.ratings import rating_requested_event
from layso.queue.remote import check_consent
from layso.queue.services import NOT_SERVED, get_service, is_served
from layso.queue.tickets import load_ticket, log_event, ticket_object
from layso.queue.visits import end_visit, start_visit
from layso.queue.waiting import next_waiting
from layso.store.db import write


def _ready_counter(db, number, officer: str) -> dict:
    counter = held_counter(db, number, officer)
    if counter["status"] == "paused":
        raise CounterPaused()
    return counter


def _events(db, name: str, ticket_id: int, counter: dict, *, with_counter: bool = True) -> tuple[dict, list]:
    """The ticket's object as it is now, and the events telling of it (and of its counter)."""
    ticket = ticket_object(db, load_ticket(db, ticket_id))
    events = [ticket_event(name, ticket, counter["number"])]
    if with_counter:
        events.append(counter_event(counter_object(db, counter, ticket=ticket)))
    return ticket, events


def _finish_current(db, counter: dict, *, officer: str, now: datetime, with_counter: bool = True) -> list:
    """Calling the next citizen while one is still at the desk finishes that one first."""
    if counter["current_ticket"] is None:
        return []
    ticket = load_ticket(db, counter["current_ticket"])
    if ticket["status"] != "called":
        return []
    return _end_current(db, counter, ticket, outcome="finished", officer=officer, now=now, with_counter=with_counter)


def _end_current(db, counter: dict, ticket: dict, *, outcome: str, officer: str, now: datetime,
                 with_counter: bool = True, trail: dict | None = None, **changes) -> list:
    """End the current visit with ``outcome``, changing the ticket's ``changes`` columns;
    ``trail``: more to write in the ticket's audit trail line."""
    end_visit(db, ticket, outcome=outcome, now=now)
    status = {"finished": "finished", "no_show": "no_show", "cancelled": "cancelled", "held": "held"}.get(outcome, "waiting")
    columns = {"status": status, **changes}
    if status in ("finished", "no_show", "cancelled"):
        columns["closed_at"] = iso(now)
    if status == "finished":
        columns["finished_at"] = iso(now)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    db.execute(f"UPDATE tickets SET {assignments} WHERE id = ?", [*columns.values(), ticket["id"]])
    log_event(db, ticket, outcome, now=now, counter=counter["number"], officer=officer,
              **{key: value for key, value in changes.items() if key in ("service", "target_counter")}, **(trail or {}))
    counter = update_counter(db, counter["number"], now=now, status="idle", current_ticket=None)
    name = {
        "finished": TICKET_FINISHED, "no_show": TICKET_NO_SHOW, "cancelled": TICKET_CANCELLED,
        "held": TICKET_HELD, "transferred": TICKET_TRANSFERRED,
    }[outcome]
    _, events = _events(db, name, ticket["id"], counter, with_counter=with_counter)
    if outcome == "finished":  # the row read before: its number, service, counter and officer stay
        events.append(rating_requested_event(db, ticket, now=now))
    return events


def _serve(db, counter: dict, ticket: dict, *, officer: str, now: datetime, priority_run: int) -> tuple[dict, list]:
    wait_s = start_visit(db, ticket, counter=counter["number"], officer=officer, now=now)
    db.execute(
        "UPDATE tickets SET status = 'called', called_at = ?, first_called_at = COALESCE(first_called_at, ?), "
        "counter = ?, officer = ?, calls = calls + 1, wait_s = wait_s + ?, target_counter = NULL, held_at = NULL "
        "WHERE id = ?",
        [iso(now), iso(now), counter["number"], officer, wait_s, ticket["id"]],
    )
    log_event(db, ticket, "called", now=now, counter=counter["number"], officer=officer)
    counter = update_counter(
        db, counter["number"], now=now, status="serving", current_ticket=ticket["id"], priority_run=priority_run
    )
    return _events(db, TICKET_CALLED, ticket["id"], counter)


def call_next(db, number, *, officer: str, now: datetime) -> Outcome:
    """Call the next waiting ticket for this counter (None when nobody waits).

    Order: see :mod:`layso.queue.ordering`. Raises UnknownCounter, CounterNotHeld, CounterPaused.
    """
    with write(db):
        counter = _ready_counter(db, number, officer)
        ticket = next_waiting(db, counter, day=local_day(now), now=now)  # finishing the current one changes no queue
        # The counter's state between two citizens would not be sent (latest_counter_states): not built.
        events = _finish_current(db, counter, officer=officer, now=now, with_counter=ticket is None)
        if ticket is None:
            return Outcome(None, events)
        counter = load_counter(db, counter["number"])
        run = next_priority_run(
            counter["priority_run"], called_priority=bool(ticket["priority"]), transferred=bool(ticket["transferred"])
        )
        called, serve_events = _serve(db, counter, ticket, officer=officer, now=now, priority_run=run)
        return Outcome(called, events + serve_events)


def call_ticket(db, number, ticket_id, *, officer: str, now: datetime) -> Outcome:
    """Call one chosen ticket: a waiting one of this counter's services, or a held one
    brought back (by the counter that held it or one of its service).
    Raises UnknownTicket, TicketNotWaiting, CounterPaused, CounterNotHeld."""
    with write(db):
        counter = _ready_counter(db, number, officer)
        ticket = load_ticket(db, ticket_id)
        services = json.loads(counter["services"])
        # A held citizen comes back to the counter that held them or to one of their service.
        allowed = ticket["target_counter"] == counter["number"] or (
            ticket["target_counter"] is None and ticket["service"] in services
        ) or (ticket["status"] == "held" and ticket["counter"] == counter["number"])
        if ticket["status"] not in ("waiting", "held") or ticket["day"] != local_day(now) or not allowed:
            raise TicketNotWaiting()
        events = _finish_current(db, counter, officer=officer, now=now)
        counter = load_counter(db, counter["number"])
        if ticket["status"] == "held":  # time parked does not count as waiting
            db.execute("UPDATE tickets SET queued_at = ? WHERE id = ?", [iso(now), ticket["id"]])
            ticket = load_ticket(db, ticket["id"])
        called, serve_events = _serve(db, counter, ticket, officer=officer, now=now, priority_run=counter["priority_run"])
        return Outcome(called, events + serve_events)


def _current(db, number, officer: str) -> tuple[dict, dict]:
    counter = held_counter(db, number, officer)
    if counter["current_ticket"] is None:
        raise NoCurrentTicket()
    ticket = load_ticket(db, counter["current_ticket"])
    if ticket["status"] != "called":
        raise NoCurrentTicket()
    return counter, ticket


def recall(db, number, *, officer: str, now: datetime) -> Outcome:
    """Call the current ticket again (gọi lại): the screens and the voice repeat it."""
    with write(db):
        counter, ticket = _current(db, number, officer)
        db.execute("UPDATE tickets SET calls = calls + 1 WHERE id = ?", [ticket["id"]])
        log_event(db, ticket, "recalled", now=now, counter=counter["number"], officer=officer)
        recalled, events = _events(db, TICKET_RECALLED, ticket["id"], counter)
        return Outcome(recalled, events)


def _end(db, number, outcome: str, *, officer: str, now: datetime, **changes) -> Outcome:
    with write(db):
        counter, ticket = _current(db, number, officer)
        events = _end_current(db, counter, ticket, outcome=outcome, officer=officer, now=now, **changes)
        return Outcome(ticket_object(db, load_ticket(db, ticket["id"])), events)


def finish(db, number, *, officer: str, now: datetime) -> Outcome:
    """The citizen has been served; the counter's tablet is asked to collect a rating."""
    return _end(db, number, "finished", officer=officer, now=now)


def no_show(db, number, *, officer: str, now: datetime) -> Outcome:
    """The citizen did not come (vắng mặt) after being called."""
    return _end(db, number, "no_show", officer=officer, now=now)


def cancel(db, number, *, officer: str, now: datetime) -> Outcome:
    """Cancel the current ticket (taken by mistake, citizen withdrew)."""
    return _end(db, number, "cancelled", officer=officer, now=now)


def hold(db, number, *, officer: str, now: datetime) -> Outcome:
    """Park the citizen (to fetch a paper); any counter of the service can call them back."""
    return _end(db, number, "held", officer=officer, now=now, held_at=iso(now))


def transfer(db, number, *, officer: str, now: datetime, service=None, counter=None, note=None,
             force=False) -> Outcome:
    """Send the current citizen to another service or counter (chuyển quầy), to the head
    of that queue, keeping the ticket's number; the target counter's console is told.

    A service no counter is set up to serve is refused (nobody would ever call them). A
    counter that is closed or does not serve the ticket's service is refused with
    TransferRefused unless ``force`` (the citizen then waits for that counter).
    Raises InvalidInput, UnknownService, UnknownCounter, ServiceClosed, TransferRefused, Conflict."""
    if (service is None) == (counter is None):
        raise InvalidInput("Hãy chọn một dịch vụ hoặc một quầy để chuyển.", message_en="Give a service or a counter.")
    note = text(note, "transfer_note", name="note", required=False)
    if not isinstance(force, bool):
        raise InvalidInput("Trường 'force' phải là true hoặc false.", message_en="'force' must be true or false.")
    with write(db):
        here, ticket = _current(db, number, officer)
        changes = {"transferred": 1, "queued_at": iso(now), "target_counter": None}
        if service is not None:
            changes["service"] = get_service(db, service)["code"]
            if not is_served(db, changes["service"]):
                raise ServiceClosed(NOT_SERVED, message_en="No counter serves this service.")
        else:
            target = load_counter(db, counter)
            if target["number"] == here["number"]:
                raise Conflict("Không thể chuyển sang chính quầy này.", message_en="Cannot transfer to the same counter.")
            if not force:
                _check_transfer_target(db, target, ticket)
            changes["target_counter"] = target["number"]
        if note:
            db.execute(
                "UPDATE visits SET note = ? WHERE ticket = ? AND ended_at IS NULL", [note, ticket["id"]]
            )
        trail = {"note": note} if note else {}
        if force and counter is not None:
            trail["forced"] = True
        events = _end_current(db, here, ticket, outcome="transferred", officer=officer, now=now, trail=trail, **changes)
        moved = ticket_object(db, load_ticket(db, ticket["id"]), now=now)
        if counter is not None:
            events.append(transfer_received_event(moved, from_counter=here["number"], to_counter=changes["target_counter"],
                                                  forced=force, note=trail.get("note")))
        return Outcome(moved, events)


def _check_transfer_target(db, target: dict, ticket: dict) -> None:
    """Raise TransferRefused, saying why, when nobody at ``target`` would serve this ticket now."""
    number = target["number"]
    if target["status"] == "closed":
        raise TransferRefused(
            f"Quầy {number} đang đóng: không có cán bộ nhận công dân. Hãy chọn quầy khác, "
            f"hoặc chuyển bắt buộc để công dân chờ quầy {number} mở.",
            message_en=f"Counter {number} is closed: nobody is there to take the citizen. Choose another counter, "
                       f"or force the transfer to have the citizen wait for counter {number} to open.")
    if ticket["service"] not in json.loads(target["services"]):
        name = get_service(db, ticket["service"])["name"]
        raise TransferRefused(
            f"Quầy {number} không phục vụ dịch vụ {name}. Hãy chọn quầy khác, hoặc chuyển bắt buộc nếu quầy {number} "
            f"vẫn nhận công dân này.",
            message_en=f"Counter {number} does not serve {name}. Choose another counter, or force the transfer if "
                       f"counter {number} takes this citizen all the same.")


def record_dossier(db, number, *, officer: str, dossier_code: str, now: datetime, phone=None, consent=None) -> Outcome:
    """Note the dossier code (mã hồ sơ) received for the current ticket; with the citizen's
    ``phone`` (and their ``consent``), the dossier's status changes are texted to it
    (layso.notify.dossiers.attach_phone)."""
    dossier_code = text(dossier_code, "dossier_code")
    if phone not in (None, ""):
        check_consent(consent)
    with write(db):
        counter, ticket = _current(db, number, officer)
        db.execute("UPDATE tickets SET dossier_code = ? WHERE id = ?", [dossier_code, ticket["id"]])
        log_event(db, ticket, "dossier", now=now, counter=counter["number"], officer=officer, code=dossier_code)
        if phone not in (None, ""):
            attach_phone(db, dossier_code, phone, ticket=ticket["id"], officer=officer, now=now)
        return Outcome(ticket_object(db, load_ticket(db, ticket["id"])))
