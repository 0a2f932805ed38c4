"""Appointments (đặt lịch hẹn): booking a place in a service's time slot, cancelling or
moving it, and checking in at the kiosk, which turns it into a ticket of the same queue
(``channel: "appointment"``). The slot rules are in :mod:`layso.queue.slots`.

Every change takes the write lock first (``BEGIN IMMEDIATE``), and the places left in a
slot are counted inside it: two citizens racing for the last place are served one after
the other, and exactly one gets it, whether they come through threads of one server or
through two processes.

A booking's status is stored as ``booked``, ``checked_in`` or ``cancelled``; a booking
still ``booked`` once its grace time is over is shown as ``no_show`` (it is never
written: a read never writes, and the rule is one comparison).
"""

import secrets
from datetime import date, datetime, timedelta

from layso.clock import iso, local_day, parse
from layso.errors import (
    AppointmentClosed, CheckInRefused, InvalidInput, SlotFull, TooManyRequests, UnknownAppointment,
)
from layso.events import (
    APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_CHECKED_IN, APPOINTMENT_RESCHEDULED, Outcome,
    appointment_event, public_ticket,
)
from layso.inputs import FIRST_YEAR, LAST_YEAR, text
from layso.notify.triggers import appointment_changed
from layso.phone import checked_phone, mask_phone
from layso.queue import slots
from layso.queue.services import get_service
from layso.queue.tickets import issue_ticket, load_ticket, ticket_object
from layso.store.center import get_setting
from layso.store.db import write

# The booking code: 13 characters of Crockford's base 32 (no I, L, O, U) = 65 random bits,
# typed at the kiosk or read from its QR code. Shown in groups (ABCD-EFGH-JKMNP).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 13
CODE_GROUPS = (4, 4, 5)  # how the code is shown: ABCD-EFGH-JKMNP
CODE_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
TAKEN = ("booked", "checked_in")  # what takes a place in a slot
MAX_START_TEXT = 40


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(typed) -> str | None:
    """The code as stored, from what was typed or scanned: case, spaces and dashes ignored,
    O/I/L read as 0/1; None when it cannot be a code."""
    if not isinstance(typed, str) or len(typed) > 40:
        return None
    code = "".join(typed.split()).replace("-", "").upper().translate(CODE_TYPOS)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def shown_code(code: str) -> str:
    groups, start = [], 0
    for size in CODE_GROUPS:
        groups.append(code[start:start + size])
        start += size
    return "-".join(groups)


def config(db) -> dict:
    return slots.appointment_settings(get_setting(db, "appointments"))


def parse_day(value) -> date:
    """A YYYY-MM-DD date in the years the center can hold; InvalidInput otherwise."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput("'date' phải là một ngày dạng YYYY-MM-DD.", message_en="'date' must be a date, YYYY-MM-DD.")
    return day


def parse_start(value, *, now: datetime) -> datetime:
    """A slot start as sent (ISO 8601; without an offset it is the center's local time),
    in the center's time zone."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= MAX_START_TEXT else None
    except ValueError:
        moment = None
    if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InvalidInput("'start' phải là thời điểm bắt đầu một khung giờ (ISO 8601).",
                           message_en="'start' must be the start of a time slot (ISO 8601).")
    return moment.replace(tzinfo=now.tzinfo) if moment.tzinfo is None else moment.astimezone(now.tzinfo)


def _taken(db, service: str, start: datetime) -> int:
    (count,) = db.execute(
        "SELECT COUNT(*) FROM appointments WHERE service = ? AND starts_at = ? AND status IN ('booked', 'checked_in')",
        [service, iso(start)],
    ).fetchone()
    return count


def slot_list(db, service_code, day_text, *, now: datetime) -> list[dict]:
    """GET …/slots: every slot of the service on the day, with its places; ``available`` is 0
    for a slot that has started, is inside the cut-off or beyond the horizon. A day with no
    slots (closed, a holiday, no rule) is an empty list."""
    service = get_service(db, service_code)
    day = parse_day(day_text)
    settings = config(db)
    day_slots = slots.day_slots(settings, get_setting(db, "hours", {}), service["code"], day, now.tzinfo)
    taken = dict(db.execute(
        "SELECT starts_at, COUNT(*) FROM appointments WHERE service = ? AND day = ? AND status IN ('booked', 'checked_in') "
        "GROUP BY starts_at", [service["code"], day.isoformat()],
    ).fetchall())
    result = []
    for slot in day_slots:
        booked = taken.get(iso(slot.start), 0)
        open_ = slots.bookable(settings, slot.start, now)
        result.append({"start": iso(slot.start), "end": iso(slot.end), "capacity": slot.capacity, "booked": booked,
                       "available": max(0, slot.capacity - booked) if open_ else 0})
    return result


def day_list(db, service_code, *, now: datetime) -> list[dict]:
    """The booking calendar: each day from today to the horizon with its places left."""
    service = get_service(db, service_code)
    settings = config(db)
    days = []
    for offset in range(settings["horizon_days"] + 1):
        day = now.date() + timedelta(days=offset)
        free = sum(slot["available"] for slot in slot_list(db, service["code"], day.isoformat(), now=now))
        days.append({"date": day.isoformat(), "available": free})
    return days


def _find_slot(db, settings: dict, service: str, start: datetime, *, now: datetime) -> slots.Slot:
    """The slot starting at ``start``, bookable now; InvalidInput saying why not."""
    day_slots = slots.day_slots(settings, get_setting(db, "hours", {}), service, start.date(), now.tzinfo)
    slot = next((slot for slot in day_slots if slot.start == start), None)
    if slot is None:
        raise InvalidInput("Không có khung giờ này (ngoài giờ làm việc, ngày nghỉ, hoặc không nhận đặt lịch).",
                           message_en="No such time slot (outside opening hours, a holiday, or not bookable).")
    if start.date() > slots.last_bookable_day(settings, now):
        raise InvalidInput(f"Chỉ đặt lịch trước tối đa {settings['horizon_days']} ngày.",
                           message_en=f"Slots can be booked at most {settings['horizon_days']} days ahead.")
    if not slots.bookable(settings, start, now):
        raise InvalidInput(f"Khung giờ này đã qua hoặc quá sát giờ: cần đặt trước ít nhất {settings['cutoff_min']} phút.",
                           message_en=f"This slot has passed or is too close: book at least {settings['cutoff_min']} "
                                      "minutes ahead.")
    return slot


def _check_places(db, service: str, slot: slots.Slot) -> None:
    if _taken(db, service, slot.start) >= slot.capacity:
        raise SlotFull()


def _check_phone_limit(db, settings: dict, service: str, phone: str, *, now: datetime, moving: int | None = None) -> None:
    open_since = iso(now - timedelta(minutes=settings["grace_min"]))
    (count,) = db.execute(
        "SELECT COUNT(*) FROM appointments WHERE phone = ? AND service = ? AND status = 'booked' AND starts_at >= ? "
        "AND id IS NOT ?", [phone, service, open_since, moving],
    ).fetchone()
    limit = settings["per_phone"]
    if count >= limit:
        raise TooManyRequests(
            f"Số điện thoại này đã có {count} lịch hẹn chưa đến cho dịch vụ này (tối đa {limit}). "
            "Xin hủy hoặc đổi lịch cũ trước.",
            message_en=f"This phone number already has {count} open booking(s) for this service (at most {limit}). "
                       "Cancel or move it first.")


def status_of(row: dict, settings: dict, now: datetime) -> str:
    """booked | checked_in | cancelled | no_show (booked, and the grace time is over)."""
    if row["status"] == "booked" and now > slots.check_in_closes(settings, parse(row["starts_at"])):
        return "no_show"
    return row["status"]


def appointment_object(db, row: dict, *, now: datetime, settings: dict | None = None) -> dict:
    """The booking as its holder sees it (no phone number: a public page never shows one)."""
    settings = settings or config(db)
    start = parse(row["starts_at"])
    service = next(db.query("SELECT name FROM services WHERE code = ?", [row["service"]]), {})
    ticket = None
    if row["ticket"] is not None:
        issued = load_ticket(db, row["ticket"])
        ticket = {"number": issued["number"], "status": issued["status"], "status_url": f"/t/{issued['status_token']}"}
    return {
        "code": row["code"], "code_shown": shown_code(row["code"]), "service": row["service"],
        "service_name": service.get("name", row["service"]), "start": row["starts_at"], "end": row["ends_at"],
        "status": status_of(row, settings, now), "manage_url": f"/dat-lich/{row['code']}",
        "check_in_from": iso(slots.check_in_opens(settings, start)),
        "check_in_until": iso(slots.check_in_closes(settings, start)),
        "ticket": ticket,
    }


def staff_object(db, row: dict, *, now: datetime, settings: dict | None = None) -> dict:
    """The booking as staff see it: the phone masked (09xx xxx 678), the ticket when checked in."""
    body = appointment_object(db, row, now=now, settings=settings)
    body.update(
        id=row["id"], name=row["name"], phone_masked=mask_phone(row["phone"]) or None, booked_at=row["booked_at"],
        checked_in_at=row["checked_in_at"], cancelled_at=row["cancelled_at"], cancelled_by=row["cancelled_by"],
        ticket=None if row["ticket"] is None else public_ticket(ticket_object(db, load_ticket(db, row["ticket"]), now=now)),
    )
    return body


def load_appointment(db, code) -> dict:
    """The booking whose code this is (typed loosely); raises UnknownAppointment."""
    code = normal_code(code)
    row = None if code is None else next(db.query("SELECT * FROM appointments WHERE code = ?", [code]), None)
    if row is None:
        raise UnknownAppointment()
    return row


def book(db, *, service, start, phone, name=None, now: datetime) -> Outcome:
    """Book a place: 201 {code, service, start, end, status: "booked", manage_url}.
    Raises UnknownService, InvalidInput (phone, start, outside hours/horizon/cut-off),
    TooManyRequests (per-phone limit), SlotFull (the last place went to someone else)."""
    phone = checked_phone(phone)
    name = text(name, "appointment_name", name="name", required=False)
    settings = config(db)
    start = parse_start(start, now=now)
    with write(db):
        code = get_service(db, service)["code"]
        slot = _find_slot(db, settings, code, start, now=now)
        _check_phone_limit(db, settings, code, phone, now=now)
        _check_places(db, code, slot)
        [row] = db.query(
            "INSERT INTO appointments (code, service, day, starts_at, ends_at, phone, name, status, booked_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', ?) RETURNING *",
            [new_code(), code, local_day(slot.start), iso(slot.start), iso(slot.end), phone, name, iso(now)],
        )
        body = appointment_object(db, row, now=now, settings=settings)
        appointment_changed(db, row, "booked", code_shown=shown_code(row["code"]), now=now)  # the SMS, with the booking
        event = appointment_event(APPOINTMENT_BOOKED, staff_object(db, row, now=now, settings=settings))
    return Outcome(body, [event])


def _changeable(row: dict, settings: dict, now: datetime) -> None:
    if status_of(row, settings, now) != "booked":
        raise AppointmentClosed()


def cancel(db, code, *, by: str, now: datetime) -> Outcome:
    """Cancel a booking (the citizen by its code, or staff): its place is free again.
    Raises UnknownAppointment, AppointmentClosed (checked in, cancelled, or a no-show)."""
    settings = config(db)
    with write(db):
        row = load_appointment(db, code)
        _changeable(row, settings, now)
        [row] = db.query("UPDATE appointments SET status = 'cancelled', cancelled_at = ?, cancelled_by = ? "
                         "WHERE id = ? RETURNING *", [iso(now), by, row["id"]])
        body = appointment_object(db, row, now=now, settings=settings)
        appointment_changed(db, row, "cancelled", code_shown=shown_code(row["code"]), now=now)
        event = appointment_event(APPOINTMENT_CANCELLED, staff_object(db, row, now=now, settings=settings))
    return Outcome(body, [event])


def reschedule(db, code, start, *, now: datetime) -> Outcome:
    """Move a booking to another slot of its service, by the same rules as a new booking;
    the code stays. Raises as :func:`book` and :func:`cancel`."""
    settings = config(db)
    start = parse_start(start, now=now)
    with write(db):
        row = load_appointment(db, code)
        _changeable(row, settings, now)
        slot = _find_slot(db, settings, row["service"], start, now=now)
        if iso(slot.start) != row["starts_at"]:
            _check_places(db, row["service"], slot)
        [row] = db.query("UPDATE appointments SET day = ?, starts_at = ?, ends_at = ? WHERE id = ? RETURNING *",
                         [local_day(slot.start), iso(slot.start), iso(slot.end), row["id"]])
        body = appointment_object(db, row, now=now, settings=settings)
        appointment_changed(db, row, "rescheduled", code_shown=shown_code(row["code"]), now=now)
        event = appointment_event(APPOINTMENT_RESCHEDULED, staff_object(db, row, now=now, settings=settings))
    return Outcome(body, [event])


def check_in(db, code, *, kiosk=None, now: datetime) -> Outcome:
    """The citizen is here (xác nhận có mặt): a ticket of the booking's service, ``channel:
    "appointment"``, that goes ahead of walk-ins from its slot time (ordering). Allowed from
    ``check_in_before_min`` before the slot until ``grace_min`` after its start; later the
    kiosk offers a normal number. Raises UnknownAppointment, AppointmentClosed,
    CheckInRefused (the message says when to come, or to take a normal number), ServiceClosed."""
    settings = config(db)
    with write(db):
        row = load_appointment(db, code)
        return _check_in_row(db, row, settings, kiosk=kiosk, now=now)


def check_in_by_phone(db, phone, service, *, kiosk=None, now: datetime) -> Outcome:
    """Check in the booking of this phone number for this service whose check-in is open
    now (for a citizen without the code). Raises UnknownAppointment when there is none."""
    phone = checked_phone(phone)
    settings = config(db)
    with write(db):
        code = get_service(db, service)["code"]
        since = iso(now - timedelta(minutes=settings["grace_min"]))
        until = iso(now + timedelta(minutes=settings["check_in_before_min"]))
        row = next(db.query(
            "SELECT * FROM appointments WHERE phone = ? AND service = ? AND status = 'booked' AND starts_at >= ? "
            "AND starts_at <= ? ORDER BY starts_at LIMIT 1", [phone, code, since, until]), None)
        if row is None:
            raise UnknownAppointment("Không có lịch hẹn nào của số điện thoại này cho dịch vụ này vào giờ này.",
                                     message_en="No booking of this phone number for this service at this time.")
        return _check_in_row(db, row, settings, kiosk=kiosk, now=now)


def _check_in_row(db, row: dict, settings: dict, *, kiosk, now: datetime) -> Outcome:
    start = parse(row["starts_at"])
    if row["status"] != "booked":
        raise AppointmentClosed("Lịch hẹn này đã được xác nhận hoặc đã hủy.",
                                message_en="This appointment has already been checked in or was cancelled.")
    window = slots.check_in_window(settings, start, now)
    if window == "early":
        opens = slots.check_in_opens(settings, start)
        raise CheckInRefused(
            f"Chưa đến giờ xác nhận: lịch hẹn lúc {start:%H:%M} ngày {start:%d/%m/%Y}; "
            f"xin quay lại từ {opens:%H:%M}{'' if opens.date() == now.date() else f' ngày {opens:%d/%m/%Y}'}.",
            message_en=f"Too early: the appointment is at {start:%H:%M} on {start:%d/%m/%Y}; please come back from "
                       f"{opens:%H:%M}{'' if opens.date() == now.date() else f' on {opens:%d/%m/%Y}'}.", when="early")
    if window == "late":
        raise CheckInRefused(
            f"Đã quá giờ hẹn ({start:%H:%M}) hơn {settings['grace_min']} phút. Xin lấy số thứ tự thường.",
            message_en=f"More than {settings['grace_min']} minutes past the appointment ({start:%H:%M}). "
                       "Please take a normal number.", when="late")
    issued = issue_ticket(db, row["service"], now=now, kiosk=kiosk, channel="appointment", appointment_at=row["starts_at"])
    [row] = db.query("UPDATE appointments SET status = 'checked_in', checked_in_at = ?, ticket = ?, kiosk = ? "
                     "WHERE id = ? RETURNING *", [iso(now), issued.value["id"], kiosk, row["id"]])
    event = appointment_event(APPOINTMENT_CHECKED_IN, staff_object(db, row, now=now, settings=settings))
    return Outcome(issued.value, [*issued.events, event])


def bookings_of_day(db, day_text, service_code=None, *, now: datetime) -> list[dict]:
    """Staff: the day's bookings (every status), by slot then booking time."""
    day = parse_day(day_text)
    settings = config(db)
    params = [day.isoformat()]
    where = "day = ?"
    if service_code not in (None, ""):
        params.append(get_service(db, service_code)["code"])
        where += " AND service = ?"
    rows = db.query(f"SELECT * FROM appointments WHERE {where} ORDER BY starts_at, id", params)
    return [staff_object(db, row, now=now, settings=settings) for row in rows]


def cancel_on_holidays(db, holidays: list[str], *, now: datetime) -> list:
    """Inside the caller's transaction (the admin adding holidays): every booking still
    ``booked`` on one of these days is cancelled (``cancelled_by: "holiday"``, shown to staff),
    and ``appointment.cancelled`` with ``reason: "holiday"`` tells the notification hook."""
    if not holidays:
        return []
    settings = config(db)
    marks = ", ".join("?" for _ in holidays)
    rows = list(db.query(
        f"UPDATE appointments SET status = 'cancelled', cancelled_at = ?, cancelled_by = 'holiday' "
        f"WHERE status = 'booked' AND day IN ({marks}) AND starts_at > ? RETURNING *",
        [iso(now), *holidays, iso(now)],
    ))
    events = []
    for row in sorted(rows, key=lambda row: row["id"]):
        appointment_changed(db, row, "holiday", code_shown=shown_code(row["code"]), now=now)
        event = appointment_event(APPOINTMENT_CANCELLED, staff_object(db, row, now=now, settings=settings))
        event.data["reason"] = "holiday"
        events.append(event)
    return events


def erase_old_phones(db, *, now: datetime) -> int:
    """Personal data kept no longer than needed (Law 91/2025/QH15): a booking's phone number
    is erased ``retention_days`` after the booking ended (its slot, or its cancellation);
    the booking itself stays for the reports. Returns how many were erased."""
    cutoff = iso(now - timedelta(days=config(db)["retention_days"]))
    with write(db):
        erased = db.execute(
            "UPDATE appointments SET phone = NULL WHERE phone IS NOT NULL "
            "AND (ends_at < ? OR (status = 'cancelled' AND cancelled_at < ?))", [cutoff, cutoff],
        ).rowcount
    return erased
