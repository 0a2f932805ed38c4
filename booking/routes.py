"""The appointments API (docs/api.md, "Appointments"): slots and days to book, booking,
reading, cancelling and moving a booking by its code (the code is the secret), and the
staff's list of a day. Checking in is kiosk/check_in.py."""

from flask import current_app, jsonify, request

from layso.queue import appointments
from layso.reports.formats import weekday
from layso.web.i18n import language
from layso.web.auth import current_principal, require_user
from layso.web.context import db, json_body, now, publish, settings

from booking import bp
from kiosk.abuse import TicketRateLimit

STAFF = ("officer", "manager", "admin")


def absolute_links(body: dict) -> dict:
    """The core's ``/dat-lich/<code>`` and ``/t/<token>`` as full links (the center's
    ``public_url`` when set, else the address the page used)."""
    base = settings().public_url or f"{request.scheme}://{request.host}"
    body = {**body, "manage_url": base + body["manage_url"]}
    if body.get("ticket") and body["ticket"].get("status_url", "").startswith("/"):
        body["ticket"] = {**body["ticket"], "status_url": base + body["ticket"]["status_url"]}
    return body


def _limit() -> None:
    """Bookings and their changes from one address: at most ``queue.ticket_rate_limit`` a
    minute, as tickets (a phone page must not be made to fill a day's slots)."""
    limiter = current_app.extensions.get("booking.rate_limit")
    if limiter is None:
        limiter = current_app.extensions.setdefault("booking.rate_limit", TicketRateLimit(settings().ticket_rate_limit))
    limiter.take(f"addr:{request.remote_addr}")


def _staff_username() -> str | None:
    principal = current_principal()
    return principal.username if principal is not None and principal.kind == "user" and principal.role in STAFF else None


@bp.get("/api/v1/appointments/slots")
def appointment_slots():
    slots = appointments.slot_list(db(), request.args.get("service"), request.args.get("date"), now=now())
    return jsonify(slots=slots)


@bp.get("/api/v1/appointments/days")
def appointment_days():
    days = appointments.day_list(db(), request.args.get("service"), now=now())
    return jsonify(days=[{**day, "weekday": weekday(day["date"], language())} for day in days])


@bp.post("/api/v1/appointments")
def book_appointment():
    body = json_body()
    _limit()
    outcome = appointments.book(db(), service=body.get("service"), start=body.get("start"), phone=body.get("phone"),
                                name=body.get("name"), now=now())
    publish(outcome.events)
    return jsonify(absolute_links(outcome.value)), 201


@bp.get("/api/v1/appointments")
@require_user(*STAFF)
def day_appointments():
    day = request.args.get("date") or now().date().isoformat()
    listed = appointments.bookings_of_day(db(), day, request.args.get("service"), now=now())
    return jsonify(date=day, appointments=[absolute_links(item) for item in listed])


@bp.get("/api/v1/appointments/<code>")
def get_appointment(code):
    return jsonify(absolute_links(appointments.appointment_object(db(), appointments.load_appointment(db(), code),
                                                                  now=now())))


@bp.post("/api/v1/appointments/<code>/cancel")
def cancel_appointment(code):
    json_body()
    outcome = appointments.cancel(db(), code, by=_staff_username() or "citizen", now=now())
    publish(outcome.events)
    return jsonify(absolute_links(outcome.value))


@bp.post("/api/v1/appointments/<code>/reschedule")
def reschedule_appointment(code):
    body = json_body()
    _limit()
    outcome = appointments.reschedule(db(), code, body.get("start"), now=now())
    publish(outcome.events)
    return jsonify(absolute_links(outcome.value))
