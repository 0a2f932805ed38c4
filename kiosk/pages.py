"""The kiosk page (/kiosk, /kiosk/<id>), the citizen's live status page behind the QR code
(/t/<token>) and that QR code itself (/t/<token>/qr.svg)."""

from flask import current_app, render_template

from layso import phone
from layso.errors import InvalidInput, NotFound, UnknownTicket
from layso.notify import dossiers
from layso.queue import appointments
from layso.queue.remote import service_rules
from layso.queue.services import service_overview
from layso.queue.tickets import ticket_by_status_token, ticket_object
from layso.store.center import get_setting
from layso.web.context import absolute_status_url, db, now, settings
from layso.web.i18n import language, per_visit_language, with_wait_text
from layso.web.qr import qr_svg

from kiosk import bp
from kiosk.abuse import known_kiosk
from kiosk.messages import CATALOG
from kiosk.notices import message_choice


# The on-screen keypads (kiosk/static/kiosk/keypad.js): their keys and lengths are the
# server's rules for each code, never re-derived in the page.
KEYPADS = {
    "appointment": {"keys": appointments.CODE_ALPHABET, "length": appointments.CODE_LENGTH,
                    "groups": list(appointments.CODE_GROUPS)},
    "dossier": {"keys": dossiers.CODE_KEYS, "length": dossiers.CODE_MAX_LENGTH},
    "phone": {"keys": phone.KEYPAD_KEYS, "length": phone.KEYPAD_LENGTH},
}


def _kiosk_config(kiosk_id: str | None) -> dict:
    for kiosk in settings().kiosks:
        if str(kiosk["id"]) == kiosk_id:
            return kiosk
    return {"id": kiosk_id, "name": kiosk_id or ""}


@bp.get("/kiosk")
@bp.get("/kiosk/<kiosk_id>")
@per_visit_language
def kiosk_page(kiosk_id=None):
    try:
        known_kiosk(kiosk_id)
    except InvalidInput:
        raise NotFound("Không có kiosk này.", message_en="No such kiosk.") from None  # its tickets would all be refused
    printers = current_app.extensions["kiosk.printers"]
    page = {
        "kiosk": kiosk_id,
        "has_printer": printers.has_printer(kiosk_id),
        "printer_failing": printers.printer_failing(kiosk_id),
        "services": [with_wait_text(service) for service in service_overview(db(), now=now())],
        "fields": [dict(row) for row in db().query("SELECT code, name FROM fields ORDER BY position, code")],
        "priority_reasons": get_setting(db(), "priority_reasons", []),
        # the "Tôi đã đặt lịch" button, and the services a booking by phone number can be for
        "appointment_services": sorted(appointments.config(db())["services"]),
        "keypads": KEYPADS,
        "catalog": CATALOG if language() == "en" else {},
    }
    return render_template(
        "kiosk/kiosk.html", page=page, kiosk=_kiosk_config(kiosk_id),
        center_name=get_setting(db(), "center_name", settings().center_name),
    )


def _own_ticket(token: str):
    """The ticket behind a status link, or the friendly 404 page (never a JSON error:
    this link is opened from a phone's camera)."""
    try:
        return with_wait_text(absolute_status_url(ticket_object(db(), ticket_by_status_token(db(), token), now=now()))), None
    except UnknownTicket as error:
        text = error.message_en if language() == "en" else error.message
        return None, (render_template("kiosk/status_unknown.html", message=text), 404)


@bp.get("/t/<token>")
def status_page(token):
    ticket, missing = _own_ticket(token)
    if missing:
        return missing
    return render_template(
        "kiosk/status.html", ticket=ticket, token=token,
        come_when_ahead=int(service_rules(db(), ticket["service"])["come_when_ahead"]),
        messages=message_choice(db(), token),
        center_name=get_setting(db(), "center_name", settings().center_name),
        catalog=CATALOG if language() == "en" else {},
    )


@bp.get("/t/<token>/qr.svg")
def status_qr(token):
    """The QR code of this ticket's own status link (never of any other text)."""
    ticket, missing = _own_ticket(token)
    if missing:
        return missing
    return qr_svg(ticket["status_url"])
