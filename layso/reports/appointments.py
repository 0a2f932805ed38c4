"""Appointments in a report (docs/reports.md, "Appointments"): per service and day, the
bookings of the period's days — booked, checked in, no-show, cancelled — beside the summary.

Counted live from the bookings (their slot's day, indexed), like the channels: the roll-up
does not hold them. A no-show is a booking still ``booked`` once its grace time is over
(layso.queue.appointments.status_of): the same rule as the staff list, never written.
"""

from datetime import datetime

from layso.queue.appointments import config, status_of
from layso.reports.formats import counts_line

FIGURES = ("booked", "checked_in", "no_show", "cancelled")
# How each figure is named in the report's line, Vietnamese and English.
FIGURE_WORDS = {
    "booked": ("đã đặt", "booked"),
    "checked_in": ("đã đến", "checked in"),
    "no_show": ("không đến", "no-show"),
    "cancelled": ("đã hủy", "cancelled"),
}


def _zeros() -> dict:
    return dict.fromkeys(FIGURES, 0)


def appointment_counts(db, date_from: str, date_to: str, by: str, *, now: datetime, lang: str = "vi") -> dict:
    """``{"rows": {key: figures}, "total": figures, "text"}`` for bookings whose slot falls on
    ``date_from`` … ``date_to``; ``rows`` keyed like the summary's rows by ``service`` or
    ``day``, empty for the other groupings. ``booked`` counts every booking not cancelled
    (checked in, no-show, or still to come); ``checked_in`` and ``no_show`` are parts of it."""
    settings = config(db)
    column = {"service": "service", "day": "day"}.get(by)
    rows: dict = {}
    total = _zeros()
    for row in db.query("SELECT service, day, status, starts_at FROM appointments WHERE day BETWEEN ? AND ?",
                        [date_from, date_to]):
        status = status_of(row, settings, now)
        counted = ["cancelled"] if status == "cancelled" else ["booked"] + ([status] if status != "booked" else [])
        for figure in counted:
            total[figure] += 1
            if column:
                rows.setdefault(row[column], _zeros())[figure] += 1
    return {"rows": rows, "total": total, "text": appointments_text(total, lang)}


def appointments_text(total: dict, lang: str = "vi") -> str:
    """"Lịch hẹn: 12 đã đặt · 9 đã đến · 2 không đến · 1 đã hủy" (figures with none left out)."""
    return counts_line(("Lịch hẹn", "Appointments"), FIGURE_WORDS, total, lang)
