"""Where a period's numbers were taken (kênh lấy số): at a kiosk (or by staff), from a
phone (/lay-so), or at an appointment's check-in — beside the summary report.

Counted live from the tickets of the period (one indexed pass over its days), by the
service that issued the number and by day; the other groupings get the period's total.
"""

from layso.queue.tickets import CHANNELS
from layso.reports.formats import counts_line

# How each channel is named in the report's line, Vietnamese and English.
CHANNEL_WORDS = {
    "kiosk": ("tại kiosk", "at a kiosk"),
    "remote": ("từ xa", "remotely"),
    "appointment": ("theo lịch hẹn", "by appointment"),
}


def _zeros() -> dict:
    return dict.fromkeys(CHANNELS, 0)


def channel_counts(db, date_from: str, date_to: str, by: str, *, lang: str = "vi") -> dict:
    """``{"rows": {key: {channel: count}}, "total": {channel: count}, "text": the total in
    words}`` for the days ``date_from`` … ``date_to``; ``rows`` is keyed like the summary's
    rows for ``by`` = ``service`` (the issuing service) or ``day``, and empty otherwise."""
    column = {"service": "number_service", "day": "day"}.get(by)
    rows: dict = {}
    total = _zeros()
    for key, channel, count in db.execute(
        f"SELECT {column or 'NULL'}, channel, COUNT(*) FROM tickets WHERE day BETWEEN ? AND ? GROUP BY 1, 2",
        [date_from, date_to],
    ):
        if channel not in total:
            continue
        total[channel] += count
        if column:
            rows.setdefault(key, _zeros())[channel] += count
    return {"rows": rows, "total": total, "text": channels_text(total, lang)}


def channels_text(total: dict, lang: str = "vi") -> str:
    """"Số đã lấy: 120 tại kiosk · 15 từ xa · 3 theo lịch hẹn" (channels with none left out)."""
    return counts_line(("Số đã lấy", "Numbers taken"), CHANNEL_WORDS, total, lang)
