"""The booking pages on a citizen's phone: /dat-lich (choose a service, a day, a slot; give
a phone number with consent) and /dat-lich/<code> (the booking: its code and QR code for
the kiosk, cancel, move). Their words are worded here and in the templates; the scripts
show what the server words."""

from flask import render_template

from layso.errors import UnknownAppointment
from layso.queue import appointments
from layso.reports.formats import weekday
from layso.store.center import get_setting
from layso.web.context import db, now, settings
from layso.web.i18n import language
from layso.web.qr import qr_svg

from booking import bp
from booking.messages import CATALOG
from booking.routes import absolute_links


def _center() -> str:
    return get_setting(db(), "center_name", settings().center_name)


def _catalog() -> dict:
    return CATALOG if language() == "en" else {}


@bp.get("/dat-lich")
def book_page():
    """Services that have slots, by field, in the order of the kiosk."""
    rules = appointments.config(db())["services"]
    fields = []
    for field in db().query("SELECT code, name FROM fields ORDER BY position, code"):
        services = [dict(row) for row in db().query(
            "SELECT code, name FROM services WHERE field = ? AND active = 1 ORDER BY position, code", [field["code"]])
            if rules.get(row["code"])]
        if services:
            fields.append({**field, "services": services})
    config = appointments.config(db())
    return render_template("booking/book.html", fields=fields, center_name=_center(), catalog=_catalog(),
                           retention_days=config["retention_days"], per_phone=config["per_phone"])


def _booking(code):
    try:
        row = appointments.load_appointment(db(), code)
    except UnknownAppointment as error:
        text = error.message_en if language() == "en" else error.message
        return None, (render_template("booking/unknown.html", message=text, center_name=_center()), 404)
    return absolute_links(appointments.appointment_object(db(), row, now=now())), None


@bp.get("/dat-lich/<code>")
def manage_page(code):
    booking, missing = _booking(code)
    if missing:
        return missing
    start = booking["start"]
    when = {"weekday": weekday(start[:10], language()), "date": f"{start[8:10]}/{start[5:7]}/{start[:4]}",
            "time": f"{start[11:16]}–{booking['end'][11:16]}", "check_in_from": booking["check_in_from"][11:16],
            "check_in_until": booking["check_in_until"][11:16]}
    return render_template("booking/manage.html", booking=booking, when=when, center_name=_center(),
                           catalog=_catalog())


@bp.get("/dat-lich/<code>/qr.svg")
def booking_qr(code):
    """The QR code of this booking's own page: the kiosk's camera reads the code from it."""
    booking, missing = _booking(code)
    if missing:
        return missing
    return qr_svg(booking["manage_url"])
