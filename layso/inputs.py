"""What the center accepts from outside, bounded: whole numbers and dates.

Every number and date that arrives in a path, a query string or a JSON body is checked
here, so a value SQLite or ``datetime`` cannot hold becomes a clear 4xx instead of a 500:
integers beyond SQLite's 64 bits, Unicode digits (``"²"``, ``"٣"`` — Python's
``str.isdigit()`` and ``int()`` accept some of them), years outside the center's life
(docs/api.md, "Limits").
"""

import re
from datetime import date, timedelta

from layso.errors import InvalidInput

MAX_INTEGER = 2**63 - 1  # SQLite's INTEGER is a signed 64-bit number
ASCII_WHOLE = re.compile(r"[0-9]{1,19}")  # never \d: it matches every script's digits
# Dates a report may ask about: no center has data before 2000, and a year past 2999 is a typo.
FIRST_YEAR, LAST_YEAR = 2000, 2999


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
