"""The entrance poster (áp phích lối vào): an A4 page to print and hang at the door, with the
center's name and QR codes to take a number remotely (/lay-so) and to book an appointment
(/dat-lich), in big Vietnamese words with English beneath. The links start with the
center's public base URL (``public_url``), as the status link on a printed ticket does."""

from flask import render_template
from markupsafe import Markup

from layso.queue import appointments
from layso.queue.remote import remote_settings
from layso.store.center import get_setting
from layso.web.context import db, public_base, settings
from layso.web.qr import qr_markup

from dashboard import bp
from dashboard.pages import MANAGERS, _login, _staff

# (path, Vietnamese title, English title, Vietnamese steps, English steps)
CODES = {
    "remote": ("/lay-so", "Lấy số từ xa", "Take a number remotely",
               "Chọn dịch vụ, nhập số điện thoại: theo dõi lượt của bạn ngay trên điện thoại.",
               "Choose the service, enter your phone number: follow your turn on your phone."),
    "booking": ("/dat-lich", "Đặt lịch hẹn", "Book an appointment",
                "Chọn ngày giờ đến; khi đến, xác nhận có mặt tại máy lấy số.",
                "Choose a day and time; when you arrive, check in at the kiosk."),
}


def poster_codes(*, remote_on: bool, booking_on: bool, base: str) -> list[dict]:
    """The poster's QR blocks: taking a number remotely when the center allows it, booking
    when some service has bookable slots."""
    shown = [kind for kind, on in (("remote", remote_on), ("booking", booking_on)) if on]
    return [{"kind": kind, "url": base + CODES[kind][0], "title": CODES[kind][1], "title_en": CODES[kind][2],
             "steps": CODES[kind][3], "steps_en": CODES[kind][4], "qr": Markup(qr_markup(base + CODES[kind][0]))}
            for kind in shown]


@bp.get("/admin/poster")
def poster_page():
    """The printable entrance poster (managers and admins): a public GET that only reads."""
    user = _staff(MANAGERS)
    if user is None:
        return _login()
    codes = poster_codes(remote_on=remote_settings(db())["enabled"] is not False,
                         booking_on=bool(appointments.config(db())["services"]), base=public_base())
    return render_template("dashboard/poster.html", codes=codes,
                           center=get_setting(db(), "center_name", settings().center_name))
