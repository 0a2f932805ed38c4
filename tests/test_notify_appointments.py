"""Appointment notices: booked, moved, cancelled (also by a new holiday), and the reminders
the day before and before the slot — each once, written with the change it tells of."""

from layso.admin.center import change_setting
from layso.notify.reminders import queue_reminders
from layso.queue import appointments
from layso.store.center import get_setting
from layso.store.notices import list_notices
from tests.helpers import later
from tests.test_appointments import book, booking  # noqa: F401  (the fixture)
from tests.test_notify_outbox import set_notify


def notices(db):
    return [(notice["kind"], notice["text"]) for notice in reversed(list_notices(db))]


def test_booking_moving_and_cancelling_each_text_the_phone_once(booking, now):
    made = book(booking, now, "2026-11-24T09:00:00+07:00")
    code = made["code"]
    appointments.reschedule(booking, code, "2026-11-24T10:15:00+07:00", now=now)
    appointments.cancel(booking, code, by="citizen", now=now)
    shown = appointments.shown_code(code)
    assert notices(booking) == [
        ("appointment_booked", f"Lịch hẹn Hộ tịch 09:00 ngày 24/11/2026. Mã {shown}"),
        ("appointment_rescheduled", f"Lịch hẹn đổi sang 10:15 ngày 24/11/2026. Mã {shown}"),
        ("appointment_cancelled", "Lịch hẹn 10:15 ngày 24/11/2026 đã hủy."),
    ]


def test_a_day_made_a_holiday_cancels_its_bookings_with_a_notice(booking, now):
    book(booking, now, "2026-11-25T08:30:00+07:00")
    hours = get_setting(booking, "hours")
    change_setting(booking, "hours", {**hours, "holidays": [*hours["holidays"], "2026-11-25"]}, by="quantri", now=now)
    assert notices(booking)[-1] == ("appointment_holiday",
                                    "Ngày 25/11/2026 nghỉ lễ: lịch hẹn 08:30 đã hủy. Xin đặt lại.")


def test_reminders_the_day_before_and_an_hour_before_each_once(booking, now):
    book(booking, now, "2026-11-24T09:00:00+07:00")  # tomorrow, booked at 09:00 today
    assert queue_reminders(booking, now=now.replace(hour=16, minute=59)) == 0
    assert queue_reminders(booking, now=now.replace(hour=17, minute=0)) == 1  # the eve, at 17:00
    assert queue_reminders(booking, now=now.replace(hour=17, minute=1)) == 0  # once
    tomorrow = now.replace(day=24)
    assert queue_reminders(booking, now=tomorrow.replace(hour=7, minute=59)) == 0
    assert queue_reminders(booking, now=tomorrow.replace(hour=8, minute=0)) == 1  # 60 min before the slot
    assert queue_reminders(booking, now=tomorrow.replace(hour=8, minute=30)) == 0
    kinds = [kind for kind, _ in notices(booking)]
    assert kinds == ["appointment_booked", "appointment_reminder", "appointment_reminder"]


def test_no_reminder_for_a_booking_made_after_it_was_due_and_none_when_turned_off(booking, now):
    set_notify(booking, reminder_before_min=120)
    book(booking, later(now, minutes=30), "2026-11-23T10:45:00+07:00")  # at 09:30 for 10:45: its reminder was due at 08:45
    assert queue_reminders(booking, now=now.replace(hour=9, minute=31)) == 0
    set_notify(booking, reminder_before_min=0, reminder_day_before_at="")
    book(booking, now, "2026-11-24T10:00:00+07:00", phone="0912 345 679")
    assert queue_reminders(booking, now=now.replace(hour=23, minute=0)) == 0


def test_a_reminder_written_in_the_quiet_hours_waits_for_the_morning(booking, now):
    set_notify(booking, reminder_day_before_at="22:00")
    book(booking, now, "2026-11-24T09:00:00+07:00")
    queue_reminders(booking, now=now.replace(hour=22, minute=0))
    reminder = list_notices(booking)[0]
    assert reminder["kind"] == "appointment_reminder"
    assert reminder["next_try_ts"] - reminder["created_ts"] == 9 * 3600  # until 07:00
