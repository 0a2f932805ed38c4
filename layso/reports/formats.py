"""How figures are written for people (định dạng số liệu), in one place for every page,
CSV and XLSX: Vietnamese uses a comma for decimals and a dot between thousands
("1.234", "92,5 %"); times are rounded to the second and read as minutes and seconds
("8 phút 24 giây"); dates are dd/mm/yyyy. English pages get "1,234", "92.5%", "8 min 24 s".
``None`` (no figure) is written "–"."""

import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

NONE = "–"
WEEKDAY_NAMES = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
WEEKDAY_SHORT = {"vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_UNITS = {"vi": ("giờ", "phút", "giây"), "en": ("h", "min", "s")}


def rounded(value, places: int = 0) -> Decimal:
    """Half up (Python's round() is half-even: 12.25 → 12.2 where people expect 12.3)."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))  # repr: the float as written
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def name_order(name: str) -> str:
    """A sort key that follows the Vietnamese alphabet closely enough for lists of names:
    letters before their marks (E, Ê, G) and Đ right after D."""
    return unicodedata.normalize("NFD", name.casefold().replace("đ", "d\uffff"))


def whole_seconds(seconds) -> int | None:
    return None if seconds is None else int(rounded(seconds))


def number(value, places: int | None = 0, lang: str = "vi") -> str:
    """1234.5 → "1.234,5" (vi) or "1,234.5" (en), with ``places`` decimals; ``None``: the
    decimals the value has (a setting in a message: 0.1 → "0,1", 2.5 → "2,5", 120 → "120")."""
    if value is None:
        return NONE
    if places is None:
        places = max(0, -Decimal(repr(value)).normalize().as_tuple().exponent)
    text = f"{rounded(value, places):,.{places}f}"
    if lang == "vi":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def percent(value, lang: str = "vi") -> str:
    """92.5 → "92,5 %" (Vietnamese sets the sign apart) or "92.5%"."""
    if value is None:
        return NONE
    return number(value, 1, lang) + (" %" if lang == "vi" else "%")


def duration(seconds, lang: str = "vi") -> str:
    """Seconds rounded to the second, as people say them: "45 giây", "8 phút 24 giây",
    "1 giờ 20 phút" (a zero part is left out)."""
    total = whole_seconds(seconds)
    if total is None:
        return NONE
    hours, rest = divmod(max(total, 0), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{amount} {unit}" for amount, unit in zip((hours, minutes, secs), _UNITS[lang]) if amount]
    return " ".join(parts) or f"0 {_UNITS[lang][2]}"


def day(value) -> str:
    """'2026-11-23' (or a date) → '23/11/2026'."""
    if value is None:
        return NONE
    shown = value if isinstance(value, date) else date.fromisoformat(value)
    return shown.strftime("%d/%m/%Y")


def moment(value) -> str:
    """An ISO timestamp → '23/11/2026 09:15' (the center's local time, as stored)."""
    if value is None:
        return NONE
    shown = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return shown.strftime("%d/%m/%Y %H:%M")


def weekday(value, lang: str = "vi") -> str:
    """'2026-11-23' → 'Thứ Hai' (or 'Monday')."""
    return WEEKDAY_NAMES[lang][date.fromisoformat(value).weekday()]


def text(kind: str, value, lang: str = "vi") -> str:
    """One report cell of the given kind (report tables: text, count, duration, percent,
    decimal, rank) written for people."""
    if kind == "text":
        return NONE if value is None else str(value)
    if kind in ("count", "rank"):
        return number(value, 0, lang)
    if kind == "decimal":
        return number(value, 2, lang)
    if kind == "percent":
        return percent(value, lang)
    if kind == "duration":
        return duration(value, lang)
    raise ValueError(f"unknown cell kind {kind!r}")


def counts_line(label: tuple[str, str], words: dict, counts: dict, lang: str = "vi") -> str:
    """A report's line of counts, e.g. "Số đã lấy: 120 tại kiosk · 15 từ xa" (``label`` and each
    of ``words`` in Vietnamese and English; counts of zero left out, "0" when all are)."""
    index = 1 if lang == "en" else 0
    parts = [f"{number(count, 0, lang)} {words[key][index]}" for key, count in counts.items() if count]
    return f"{label[index]}: {' · '.join(parts) if parts else 0}"
