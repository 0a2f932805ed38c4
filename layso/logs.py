"""The server's log: one line per event that matters, plain text or JSON lines.

What is logged (docs/operations.md, "Logs"): the start (center, address, database, config
file), every change of the center's set-up once committed (the audit log's actions: devices
registered or revoked, officers, services, counters, settings, backups and restores),
printers going out of order and coming back, paper running low, announcements that failed,
sockets refused, background steps that failed, and every unexpected error with its
traceback. Tickets are not logged one by one (the database keeps them).

No personal data: a phone number anywhere in a line — a message, an argument, a
traceback — is masked as staff see it (``09xx xxx 678``) before the line is written.
``LAYSO_LOG_FORMAT=json`` (or ``layso serve --log-format json``) writes one JSON object a
line: ``time``, ``level``, ``logger``, ``message`` (and ``exception``)."""

import json
import logging
import re
import sys
from datetime import datetime, timezone

from layso.events import ANNOUNCEMENT_FAILED, KIOSK_ALERT, PRINTER_PAPER_LOW, Event

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# A Vietnamese number as people write it: +84 or 0, then 8 to 10 digits, maybe spaced or dotted.
PHONE = re.compile(r"(?<![\w+])(?:\+84|84|0)(?:[ .-]?\d){8,10}(?!\d)")
log = logging.getLogger("layso.events")


def mask_phones(text: str) -> str:
    """Every phone number in ``text`` with only its first two and last three digits."""

    def mask(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group())
        national = "0" + digits[2:] if digits.startswith("84") else digits
        return f"{national[:2]}xx {'x' * (len(national) - 7)} {national[-3:]}"

    return PHONE.sub(mask, text)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_phones(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line (journald, Loki or any log shipper reads it as it is)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_phones(record.getMessage()),
        }
        if record.exc_info:
            line["exception"] = mask_phones(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: str = "text", *, level: int = logging.INFO, stream=None) -> None:
    """Send every logger's lines to stderr (journald takes them from there) in ``log_format``.
    Raises ValueError for an unknown format."""
    if log_format not in FORMATS:
        raise ValueError(f"log format: one of {', '.join(FORMATS)}, got {log_format!r}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def log_event(event: Event) -> None:
    """One line for a published event that an IT person should see in the log (an app
    listener): printers out of order and back, paper low, failed announcements (set-up
    changes are logged by :func:`layso.store.db.write` after their commit)."""
    data = event.data
    if event.name == KIOSK_ALERT:
        if data.get("resolved"):
            log.info("kiosk %s: printer prints again", data.get("kiosk"))
        else:
            log.warning("kiosk %s: printer out of order (%s)%s", data.get("kiosk"), data.get("error"),
                        f", ticket {data['ticket_number']} not printed" if data.get("ticket_number") else "")
    elif event.name == PRINTER_PAPER_LOW:
        log.warning("kiosk %s: paper %s", data.get("kiosk"), "near its end" if data.get("low") else "replaced")
    elif event.name == ANNOUNCEMENT_FAILED:
        log.warning("announcement failed at counter %s: %s", data.get("counter"), data.get("error"))
