"""What the center accepts from outside, bounded: whole numbers, dates and free text.

Every number, date and text that arrives in a path, a query string or a JSON body is
checked here, so a value SQLite or ``datetime`` cannot hold becomes a clear 4xx instead
of a 500 — integers beyond SQLite's 64 bits, Unicode digits (``"²"``, ``"٣"``: Python's
``str.isdigit()`` and ``int()`` accept some of them), years outside the center's life —
and no text longer than its limit is ever stored, printed or broadcast (docs/api.md,
"Limits", lists the table below).
"""

import re
import unicodedata
from datetime import date, timedelta

from layso.errors import InvalidInput

MAX_INTEGER = 2**63 - 1  # SQLite's INTEGER is a signed 64-bit number
ASCII_WHOLE = re.compile(r"[0-9]{1,19}")  # never \d: it matches every script's digits
# Dates a report may ask about: no center has data before 2000, and a year past 2999 is a typo.
FIRST_YEAR, LAST_YEAR = 2000, 2999

# The longest each free-text field may be, in characters (after NFC): one table for the
# whole center. Longer text is refused with 400 naming the field, never cut silently.
TEXT_LIMITS = {
    "kiosk": 64,             # a kiosk's id: configured [[kiosks]] or a registered device
    "device_id": 40,
    "device_name": 100,
    "username": 32,
    "password": 128,
    "officer_name": 100,
    "title": 100,            # an officer's job title (chức danh)
    "field_code": 16,
    "field_name": 200,       # lĩnh vực
    "service_code": 16,
    "service_name": 200,
    "procedure": 300,        # one administrative procedure (thủ tục) of a service
    "closed_reason": 200,    # why a service takes no tickets
    "counter_name": 100,
    "pause_reason": 200,     # tạm dừng
    "transfer_note": 500,    # chuyển quầy: a note for the next counter
    "dossier_code": 64,      # mã hồ sơ of the one-stop software
    "dossier_status_text": 300,  # the one-stop software's own words for a dossier's status
    "dossier_service": 200,  # the procedure a dossier is for, as the one-stop software names it
    "comment": 1000,         # a citizen's comment with a rating
    "rating_id": 32,         # ids of rating levels and reasons
    "rating_label": 100,     # labels of rating levels and reasons
    "center_name": 200,
    "place": 100,            # the place on a printed report's date line ("Huế, ngày …")
    "announcement": 500,     # the hall displays' scrolling line
    "voice_template": 300,   # "Mời số {number} đến quầy {counter}"
    "appointment_name": 100,  # the name a citizen may give with a booking (đặt lịch hẹn)
    "ticket_label": 32,      # a ticket number typed to hear it ("nghe thử", A1023)
}
MAX_LIST_ITEMS = 500  # procedures, holidays, rating levels and reasons, a counter's services


def whole_number(value, *, low: int = 0, high: int = MAX_INTEGER) -> int | None:
    """``value`` as an int from ``low`` to ``high`` if it is one — an int (not a bool) or a
    string of ASCII digits — else None; the caller raises the error that fits."""
    if isinstance(value, str):
        if not ASCII_WHOLE.fullmatch(value):
            return None
        value = int(value)
    elif isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def number(value, name: str, *, low: int = 0, high: int = MAX_INTEGER) -> int:
    """``value`` as an int from ``low`` to ``high``; raises InvalidInput naming ``name``."""
    checked = whole_number(value, low=low, high=high)
    if checked is None:
        raise InvalidInput(f"'{name}' phải là số nguyên từ {low} đến {high}.",
                           message_en=f"'{name}' must be a whole number from {low} to {high}.")
    return checked


def text(value, field: str, *, name: str | None = None, required: bool = True, blank: bool = False) -> str | None:
    """A free text, stripped and NFC, at most ``TEXT_LIMITS[field]`` characters. Not
    ``required``, None or blank text is None; with ``blank``, blank text is "". Raises
    InvalidInput naming ``name`` (default ``field``)."""
    name = name or field
    limit = TEXT_LIMITS[field]
    if not required and (value is None or isinstance(value, str) and not value.strip()):
        return None
    # refused unread past 3× the limit: NFC joins at most a letter and its two marks (ệ) into one
    if not isinstance(value, str) or len(value) > 3 * limit or not (blank or value.strip()):
        raise _bad_text(name, limit)
    value = unicodedata.normalize("NFC", value.strip())
    if len(value) > limit:
        raise _bad_text(name, limit)
    return value


def _bad_text(name: str, limit: int) -> InvalidInput:
    return InvalidInput(f"Trường '{name}' phải là chuỗi không rỗng, tối đa {limit} ký tự.",
                        message_en=f"'{name}' must be a non-empty string of at most {limit} characters.")


def items(value, name: str) -> list:
    """A JSON list of at most ``MAX_LIST_ITEMS``; raises InvalidInput naming ``name``."""
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
        raise InvalidInput(f"Trường '{name}' phải là danh sách (tối đa {MAX_LIST_ITEMS} phần tử).",
                           message_en=f"'{name}' must be a list of at most {MAX_LIST_ITEMS} items.")
    return value


def _year(year: int, name: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"'{name}': năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.",
                           message_en=f"'{name}': the year must be from {FIRST_YEAR} to {LAST_YEAR}.")


def local_date(value, name: str) -> date:
    """'YYYY-MM-DD' (ASCII digits, a real date, a year the center may have) → date."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise InvalidInput(f"'{name}' phải là ngày dạng YYYY-MM-DD.", message_en=f"'{name}' must be a YYYY-MM-DD date.")
    _year(int(value[:4]), name)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"'{name}' không phải ngày hợp lệ.", message_en=f"'{name}' is not a valid date.") from None


def month(value, name: str = "month") -> tuple[date, date]:
    """'YYYY-MM' → its first and last day."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        raise InvalidInput(f"'{name}' phải có dạng YYYY-MM.", message_en=f"'{name}' must look like YYYY-MM.")
    year, number_ = int(value[:4]), int(value[5:])
    _year(year, name)
    first = date(year, number_, 1)
    return first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)


def quarter(value, name: str = "quarter") -> tuple[date, date]:
    """'2026-Q4' → its first and last day."""
    match = re.fullmatch(r"([0-9]{4})-Q([1-4])", value) if isinstance(value, str) else None
    if match is None:
        raise InvalidInput(f"'{name}' phải có dạng 2026-Q4.", message_en=f"'{name}' must look like 2026-Q4.")
    year, number_ = int(match[1]), int(match[2])
    _year(year, name)
    first = date(year, 3 * number_ - 2, 1)
    return first, (first + timedelta(days=92)).replace(day=1) - timedelta(days=1)
