"""The notices of appointments and dossiers reach a real local HTTP gateway: one request each,
with the right phone and text (tickets' triggers: tests/test_notify_tickets.py)."""

from layso.notify.dossiers import put_dossier
from layso.notify.reminders import queue_reminders
from layso.queue import appointments
from tests.fake_gateway import FakeGateway
from tests.test_appointments import book, booking  # noqa: F401  (the fixture)
from tests.test_notify_outbox import settle
from tests.test_notify_tickets import pool  # noqa: F401  (the fixture)


def test_dossier_and_appointment_notices_each_send_one_request(booking, now, pool):  # noqa: F811
    gateway = FakeGateway()
    try:
        put_dossier(booking, "HS-1", {"status": "received", "phone": "0912345671"}, by="motcua", now=now)
        put_dossier(booking, "HS-1", {"status": "received", "phone": "0912345671"}, by="motcua", now=now)  # again
        put_dossier(booking, "HS-1", {"status": "ready"}, by="motcua", now=now)
        made = book(booking, now, "2026-11-24T09:00:00+07:00", phone="0912345672")
        queue_reminders(booking, now=now.replace(hour=17))
        appointments.cancel(booking, made["code"], by="citizen", now=now.replace(hour=18))
        settle(pool, {"channel": "sms", "sms_url": gateway.url}, lambda: now, tries=40)
        shown = appointments.shown_code(made["code"])
        received = sorted((request["body"]["phone"], request["body"]["text"]) for request in gateway.requests)
        assert received == sorted([
            ("84912345671", "Hồ sơ HS-1 đã được tiếp nhận. Hẹn trả: —."),
            ("84912345671", "Hồ sơ HS-1 đã có kết quả. Mời đến nhận."),
            ("84912345672", f"Lịch hẹn Hộ tịch 09:00 ngày 24/11/2026. Mã {shown}"),
            ("84912345672", f"Nhắc lịch hẹn Hộ tịch 09:00 ngày 24/11/2026. Mã {shown}"),
            ("84912345672", "Lịch hẹn 09:00 ngày 24/11/2026 đã hủy."),
        ])
        assert len(gateway.delivered) == 5
    finally:
        gateway.close()
