"""Appointments (đặt lịch hẹn): the citizen's booking page (/dat-lich) and manage page
(/dat-lich/<code>), the staff list of the day's bookings (/lich-hen), and their API
(/api/v1/appointments…). Checking in is the kiosk's (kiosk/check_in.py): it prints."""

from flask import Blueprint

from layso.web import i18n

bp = Blueprint("booking", __name__, template_folder="templates", static_folder="static",
               static_url_path="/booking/static")

from booking import pages, routes  # noqa: E402,F401  (routes attach to bp)
from booking.messages import CATALOG  # noqa: E402

i18n.register(CATALOG)
