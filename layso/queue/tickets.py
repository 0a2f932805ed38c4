"""Tickets (số thứ tự): issuing with a daily number per service, and how a ticket looks
to the outside world."""

import json
import secrets
from datetime import datetime

from layso.clock import iso, local_day
from layso.errors import InvalidInput, ServiceClosed, UnknownTicket
from layso.events import TICKET_ISSUED, Outcome, ticket_event
from layso.inputs import whole_number
from layso.notify.triggers import ticket_changed
from layso.phone import mask_phone
from layso.queue.estimates import ticket_position
from layso.queue.remote import check_remote_ticket
from layso.queue.services import NOT_SERVED, closed_reason, get_service, is_served
from layso.store.center import get_setting
from layso.store.db import write

STATUSES = ("waiting", "called", "held", "finished", "no_show", "expired", "cancelled")
OPEN_STATUSES = ("waiting", "called", "held")
# Where a ticket came from (kênh): taken at the kiosk, from a phone (/lay-so), or a booking
# checked in at the kiosk. Every channel's ticket waits in the same queue.
CHANNELS = ("kiosk", "remote", "appointment")


def log_event(db, ticket: dict, action: str, *, now: datetime, counter=None, officer=None, **detail) -> None:
    """Append one line to the ticket's audit trail, inside the caller's transaction, and
    write the notices it makes to the outbox (layso.notify.triggers)."""
    db.execute(
        "INSERT INTO ticket_events (ticket, day, action, at, counter, officer, service, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ticket["id"], ticket["day"], action, iso(now), counter, officer, ticket["service"],
            json.dumps(detail, ensure_ascii=False) if detail else None,
        ],
    )
    # the notices this change makes (SMS, Zalo), in the same transaction: one place for every verb
    ticket_changed(db, ticket, action, now=now, counter=counter)


def load_ticket(db, ticket_id) -> dict:
    """The ticket row; raises UnknownTicket."""
    ticket_id = whole_number(ticket_id)
    if ticket_id is None:
        raise UnknownTicket()
    row = next(db.query("SELECT * FROM tickets WHERE id = ?", [ticket_id]), None)
    if row is None:
        raise UnknownTicket()
    return row


def ticket_by_status_token(db, token: str) -> dict:
    row = next(db.query("SELECT * FROM tickets WHERE status_token = ?", [token]), None)
    if row is None:
        raise UnknownTicket()
    return row


def ticket_object(db, ticket: dict, *, now: datetime | None = None) -> dict:
    """The ticket as the API and every screen show it at ``now`` (people ahead depend on
    the time: an appointment's slot may have come; ``status_token`` is for the web layer
    only: it turns it into ``status_url`` and never broadcasts it)."""
    ahead, estimated = ticket_position(db, ticket, now=now)
    service = next(db.query("SELECT name FROM services WHERE code = ?", [ticket["service"]]), {})
    return {
        "id": ticket["id"],
        "number": ticket["number"],
        "service": ticket["service"],
        "service_name": service.get("name", ticket["service"]),
        "status": ticket["status"],
        "priority": bool(ticket["priority"]),
        "priority_reason": ticket["priority_reason"],
        "ahead": ahead,
        "estimated_wait_s": estimated,
        "issued_at": ticket["issued_at"],
        "called_at": ticket["called_at"],
        "finished_at": ticket["finished_at"],
        "counter": ticket["counter"],
        "transferred": bool(ticket["transferred"]),
        "kiosk": ticket["kiosk"],
        "print_status": ticket["print_status"],
        "channel": ticket["channel"],
        "phone_masked": mask_phone(ticket["phone"]) or None,
        "status_url": f"/t/{ticket['status_token']}",
        "status_token": ticket["status_token"],
    }


def numbers_issued(db, day: str, service_code: str) -> tuple[int, int | None]:
    """(how many numbers a service has issued today, its last sequence number).

    A service's numbers run on without gaps (each is the last plus one), so the count is
    last − first + 1: two index seeks, where COUNT(*) read every ticket of the day."""
    first, last = db.execute(
        "SELECT (SELECT MIN(seq) FROM tickets WHERE day = ?1 AND number_service = ?2), "
        "(SELECT MAX(seq) FROM tickets WHERE day = ?1 AND number_service = ?2)",
        [day, service_code],
    ).fetchone()
    return (0, None) if last is None else (last - first + 1, last)


def _check_priority(db, priority, priority_reason) -> tuple[bool, str | None]:
    if priority is None:
        priority = priority_reason is not None
    if not isinstance(priority, bool):
        raise InvalidInput("Trường 'priority' phải là true hoặc false.", message_en="'priority' must be true or false.")
    if not priority:
        return False, None
    reasons = {reason["id"] for reason in get_setting(db, "priority_reasons", [])}
    if priority_reason is not None and (not isinstance(priority_reason, str) or priority_reason not in reasons):
        raise InvalidInput("Đối tượng ưu tiên không hợp lệ.", message_en="Unknown priority reason.")
    return True, priority_reason


def _admitted(db, service_code, *, day: str, now: datetime, channel: str, phone: str | None) -> tuple[dict, int | None]:
    """The service and its last sequence number today, if a number of it may be issued now."""
    service = get_service(db, service_code)
    issued_today, last_seq = numbers_issued(db, day, service["code"])
    if channel != "appointment":
        reason = closed_reason(service, issued_today=issued_today, hours=get_setting(db, "hours", {}), now=now,
                               served=is_served(db, service["code"]))
    else:  # the place was promised when booked: the daily cap and the opening hours do not refuse it
        reason = service["closed_reason"] or (None if is_served(db, service["code"]) else NOT_SERVED)
    if reason:
        raise ServiceClosed(reason)
    if channel == "remote":
        check_remote_ticket(db, service, phone=phone, day=day, now=now)
    return service, last_seq


def check_issue(db, service_code: str, *, now: datetime, channel: str = "kiosk", phone: str | None = None) -> None:
    """Raise what :func:`issue_ticket` would raise for this service now, writing nothing: a
    remote citizen is sent a one-time code only for a number they may then take."""
    _admitted(db, service_code, day=local_day(now), now=now, channel=channel, phone=phone)


def issue_ticket(db, service_code: str, *, now: datetime, priority=None, priority_reason=None, kiosk=None,
                 channel: str = "kiosk", phone: str | None = None, appointment_at: str | None = None) -> Outcome:
    """Issue the next number of the day for a service (``A015``), whichever the channel.

    Numbers restart each local day and are never reused within it: the sequence is taken
    inside the write lock, and (day, number) is unique in the schema besides. A remote
    ticket (``phone``: E.164, given with consent) must also pass the remote limits
    (layso.queue.remote), checked inside the same lock. A checked-in appointment's ticket
    (``appointment_at``: its slot start, for the ordering) was promised when booked: the daily
    cap and the opening hours (it may come before opening) do not refuse it; a closed or
    unserved service does.
    Raises UnknownService, ServiceClosed (with the reason), InvalidInput, RemoteLimitReached.
    """
    if channel not in CHANNELS:
        raise InvalidInput("Kênh lấy số không hợp lệ.", message_en="Unknown channel.")
    priority, priority_reason = _check_priority(db, priority, priority_reason)
    if kiosk is not None and not isinstance(kiosk, str):
        raise InvalidInput("Trường 'kiosk' phải là chuỗi.", message_en="'kiosk' must be a string.")
    if channel == "remote" and not phone:
        raise InvalidInput("Xin nhập số điện thoại di động.", message_en="Please give your mobile number.")
    day = local_day(now)
    with write(db):
        service, last_seq = _admitted(db, service_code, day=day, now=now, channel=channel, phone=phone)
        seq = service["start_number"] if last_seq is None else last_seq + 1
        # Plain INSERT: sqlite-utils' insert() inspects the table first, a tenth of the request.
        # Unpacked whole, so the statement has finished before the COMMIT.
        [ticket] = db.query(
            "INSERT INTO tickets (day, service, number_service, seq, number, priority, priority_reason, kiosk, "
            "status, status_token, issued_at, queued_at, channel, phone, appointment_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?) "
            "RETURNING *",
            [
                day, service["code"], service["code"], seq, f"{service['prefix']}{seq:0{service['number_digits']}d}",
                int(priority), priority_reason, kiosk, secrets.token_urlsafe(16), iso(now), iso(now),
                channel, phone, appointment_at,
            ],
        )
        log_event(db, ticket, "issued", now=now, kiosk=kiosk, **({"channel": channel} if channel != "kiosk" else {}))
        body = ticket_object(db, ticket, now=now)
    return Outcome(body, [ticket_event(TICKET_ISSUED, body)])


def set_print_status(db, ticket_id: int, *, status: str, error: str | None = None, now: datetime) -> None:
    """Record how printing went (``printed`` | ``failed``) on the ticket and in its trail."""
    with write(db):
        ticket = load_ticket(db, ticket_id)
        db.execute("UPDATE tickets SET print_status = ?, print_error = ? WHERE id = ?", [status, error, ticket_id])
        log_event(db, ticket, f"print_{status}", now=now, error=error)
