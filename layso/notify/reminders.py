"""Appointment reminders (nhắc lịch hẹn), queued by the server's minute step: the day before
at ``[notify] reminder_day_before_at`` (default 17:00), and ``reminder_before_min`` (default
60) before the slot. Each is written once (its dedupe key); a booking made after the moment
its reminder was due gets none (its booking notice just told it everything). A reminder
due in the quiet hours waits for their end (layso.notify.notices)."""

from datetime import datetime, timedelta

from layso.clock import iso, local_day
from layso.notify.config import effective
from layso.notify.triggers import appointment_changed
from layso.queue.appointments import shown_code
from layso.store.center import get_setting
from layso.store.db import write
from layso.store.notices import bookings_to_remind


def queue_reminders(db, *, now: datetime) -> int:
    """Write the reminders due by ``now``; how many were written."""
    config = effective(get_setting(db, "notify"), {})
    written = 0
    with write(db):
        before = config["reminder_before_min"]
        if before:
            soon = now + timedelta(minutes=before)
            for booking in bookings_to_remind(db, starting_after=iso(now), starting_by=iso(soon)):
                due = datetime.fromisoformat(booking["starts_at"]) - timedelta(minutes=before)
                if booking["booked_at"] < iso(due):
                    written += appointment_changed(db, booking, "reminder_soon", code_shown=shown_code(booking["code"]),
                                                   now=now)
        at = config["reminder_day_before_at"]
        if at and now.strftime("%H:%M") >= at:
            due = iso(now.replace(hour=int(at[:2]), minute=int(at[3:]), second=0, microsecond=0))
            for booking in bookings_to_remind(db, day=local_day(now + timedelta(days=1))):
                if booking["booked_at"] < due:
                    written += appointment_changed(db, booking, "reminder_eve", code_shown=shown_code(booking["code"]),
                                                   now=now)
    return written
