"""Checking in for an appointment at the kiosk (xác nhận có mặt): the booking's code (typed,
from the QR code by the camera, or from a USB scanner that types it), or the phone number
and service, turns the booking into a ticket of the same queue, printed like any other."""

from flask import jsonify

from layso.queue import appointments
from layso.web.context import absolute_status_url, db, json_body, now, publish
from layso.web.i18n import with_wait_text

from kiosk import bp
from kiosk.abuse import admit_ticket_request
from kiosk.routes import print_ticket


def _issued(outcome, kiosk):
    publish(outcome.events)
    ticket = with_wait_text(absolute_status_url(outcome.value))
    ticket["print_job"] = print_ticket(ticket, kiosk)
    return jsonify(ticket), 201


@bp.post("/api/v1/appointments/<code>/check-in")
def check_in(code):
    body = json_body()
    kiosk = admit_ticket_request(body.get("kiosk"))
    return _issued(appointments.check_in(db(), code, kiosk=kiosk, now=now()), kiosk)


@bp.post("/api/v1/appointments/check-in")
def check_in_by_phone():
    body = json_body()
    kiosk = admit_ticket_request(body.get("kiosk"))
    return _issued(appointments.check_in_by_phone(db(), body.get("phone"), body.get("service"), kiosk=kiosk, now=now()),
                   kiosk)
