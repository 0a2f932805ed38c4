"""Appointment time slots (khung giờ đặt lịch hẹn): the rules, as pure functions.

A center's ``appointments`` setting says, per service, which slots may be booked on which
weekdays and how many citizens each takes; every slot also lies inside the center's opening
hours and never on a holiday. Around each slot run four windows, all in the center's local
time (docs/api.md, "Appointments"):

- booking: from now until ``horizon_days`` ahead, and no later than ``cutoff_min`` before
  the slot starts (``available`` is 0 inside the cut-off);
- check-in at the kiosk: from ``check_in_before_min`` before the start until ``grace_min``
  after it;
- after the grace time an appointment not checked in is a no-show;
- an appointment ticket checked in waits like any other until its slot starts, then goes
  ahead of walk-in tickets (``ordering``, :mod:`layso.queue.ordering`).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from layso.errors import InvalidInput
from layso.inputs import MAX_LIST_ITEMS
from layso.queue.services import WEEKDAYS
from layso.reports import formats

# The documented defaults (docs/config.md, [appointments]); a center's setting overrides each.
DEFAULTS = {
    "horizon_days": 14,          # how far ahead a slot may be booked
    "cutoff_min": 60,            # no booking later than this before the slot
    "check_in_before_min": 30,   # check-in opens this long before the slot
    "grace_min": 15,             # and closes this long after its start
    "per_phone": 1,              # open bookings per phone number and service
    "ordering": "appointment_first",  # or "fifo": appointment tickets wait by check-in time
    "retention_days": 30,        # a booking's phone number is erased this long after it ends
    "services": {},              # service code → list of slot rules
}
ORDERINGS = ("appointment_first", "fifo")
LIMITS = {  # (lowest, highest) of each number in the setting
    "horizon_days": (0, 366), "cutoff_min": (0, 7 * 24 * 60), "check_in_before_min": (0, 24 * 60),
    "grace_min": (0, 24 * 60), "per_phone": (1, 100), "retention_days": (1, 3650),
}
RULE_LIMITS = {"every_min": (5, 24 * 60), "capacity": (1, 1000)}  # of each slot rule
# How a message names each number besides its key, in Vietnamese and English (the words of the admin's fields).
KEY_WORDS = {
    "horizon_days": ("đặt trước tối đa (ngày)", "booking horizon (days)"),
    "cutoff_min": ("hạn đặt trước giờ hẹn (phút)", "booking cut-off (minutes)"),
    "check_in_before_min": ("xác nhận có mặt từ trước giờ hẹn (phút)", "check-in opens before the slot (minutes)"),
    "grace_min": ("đến muộn tối đa (phút)", "latest check-in after the slot (minutes)"),
    "per_phone": ("lịch hẹn mỗi số điện thoại và dịch vụ", "bookings per phone and service"),
    "retention_days": ("giữ số điện thoại (ngày)", "phone numbers kept (days)"),
    "every_min": ("mỗi bao nhiêu phút một khung", "minutes between slots"),
    "capacity": ("số người mỗi khung", "people per slot"),
}
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")
MAX_SLOTS_A_DAY = 24 * 60  # a rule of one minute through the whole day


@dataclass(frozen=True)
class Slot:
    """One bookable slot of a service on a day."""

    start: datetime
    end: datetime
    capacity: int


def _bad(message: str, message_en: str):
    raise InvalidInput(f"Lịch hẹn: {message}", message_en=f"Appointments: {message_en}")


def _whole_number(key: str, value, where: str = "", where_en: str = "") -> int:
    """``value`` if it is a whole number in RULE_LIMITS or LIMITS of ``key``; else InvalidInput
    naming the key, its words and its range."""
    low, high = {**LIMITS, **RULE_LIMITS}[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        words, words_en = KEY_WORDS[key]
        _bad(f"{where}'{key}' ({words}) là số nguyên từ {formats.number(low)} đến {formats.number(high)}.",
             f"{where_en}'{key}' ({words_en}) must be a whole number from {formats.number(low, lang='en')} to "
             f"{formats.number(high, lang='en')}.")
    return value


def _minutes(clock: str) -> int:
    return int(clock[:2]) * 60 + int(clock[3:])


def _check_rule(rule, where: str, where_en: str) -> dict:
    if not isinstance(rule, dict):
        _bad(f"{where} phải là một đối tượng.", f"{where_en} must be an object.")
    unknown = set(rule) - {"days", "from", "to", "every_min", "capacity"}
    if unknown:
        _bad(f"{where}: không có mục {sorted(unknown)[0][:30]!r}.", f"{where_en}: no key {sorted(unknown)[0][:30]!r}.")
    days = rule.get("days", list(WEEKDAYS))
    if not isinstance(days, list) or not days or any(day not in WEEKDAYS for day in days):
        _bad(f"{where}: 'days' là danh sách thứ trong tuần (monday … sunday).",
             f"{where_en}: 'days' must be a list of weekdays (monday … sunday).")
    checked = {"days": [day for day in WEEKDAYS if day in days]}
    for key in ("from", "to"):
        if key in rule:
            if not isinstance(rule[key], str) or not CLOCK.fullmatch(rule[key]):
                _bad(f"{where}: '{key}' là giờ HH:MM.", f"{where_en}: '{key}' must be a time, HH:MM.")
            checked[key] = rule[key]
    if "from" in checked and "to" in checked and checked["from"] >= checked["to"]:
        _bad(f"{where}: giờ bắt đầu {checked['from']} phải trước giờ kết thúc {checked['to']}.",
             f"{where_en}: the start {checked['from']} must come before the end {checked['to']}.")
    for key in RULE_LIMITS:
        checked[key] = _whole_number(key, rule.get(key), f"{where}: ", f"{where_en}: ")
    return checked


def check_settings(value, *, services: set[str]) -> dict:
    """The ``appointments`` setting, validated and with every default filled in; raises
    InvalidInput naming the key. ``services``: the codes that exist."""
    if not isinstance(value, dict):
        _bad("phải là một đối tượng.", "must be an object.")
    unknown = set(value) - set(DEFAULTS)
    if unknown:
        _bad(f"không có mục {sorted(unknown)[0][:30]!r}.", f"no key {sorted(unknown)[0][:30]!r}.")
    checked = {**DEFAULTS, **value}
    for key in LIMITS:
        _whole_number(key, checked[key])
    if checked["ordering"] not in ORDERINGS:
        _bad("'ordering' là 'appointment_first' hoặc 'fifo'.", "'ordering' must be 'appointment_first' or 'fifo'.")
    rules = checked["services"]
    if not isinstance(rules, dict):
        _bad("'services' là đối tượng mã dịch vụ → danh sách khung giờ.", "'services' must map service codes to slot rules.")
    result = {}
    for code, service_rules in rules.items():
        if code not in services:
            _bad(f"không có dịch vụ {str(code)[:30]!r}.", f"no service {str(code)[:30]!r}.")
        if not isinstance(service_rules, list) or len(service_rules) > MAX_LIST_ITEMS:
            _bad(f"khung giờ của {code} phải là danh sách.", f"the slot rules of {code} must be a list.")
        result[code] = [_check_rule(rule, f"khung giờ {position} của {code}", f"rule {position} of {code}")
                        for position, rule in enumerate(service_rules, start=1)]
    checked["services"] = result
    return checked


def appointment_settings(stored: dict | None) -> dict:
    """The setting as stored, with the defaults under it (a center that never set it: no slots)."""
    return {**DEFAULTS, **(stored or {})}


def _opening_spans(hours: dict, day: date) -> list[tuple[int, int]]:
    if day.isoformat() in hours.get("holidays", []):
        return []
    return [(_minutes(span[:5]), _minutes(span[6:])) for span in hours.get(WEEKDAYS[day.weekday()], [])]


def day_slots(config: dict, hours: dict, service: str, day: date, tzinfo) -> list[Slot]:
    """The slots of ``service`` on ``day``, in order: each rule of the day's weekday, every
    ``every_min`` from its ``from`` (default: each opening span's start) while the slot ends
    by its ``to`` (default: the span's end), kept only when it lies wholly inside an
    opening span; none on a holiday. Two rules giving the same start keep the first."""
    spans = _opening_spans(hours, day)
    weekday = WEEKDAYS[day.weekday()]
    starts: dict[int, Slot] = {}
    for rule in config.get("services", {}).get(service, []):
        if weekday not in rule["days"]:
            continue
        step = rule["every_min"]
        for span_start, span_end in spans:
            # A rule with a 'from' keeps its own grid (08:00, 08:15 …) in every span; without, each span's.
            anchor = _minutes(rule["from"]) if "from" in rule else span_start
            first = anchor + -(-(max(span_start, anchor) - anchor) // step) * step
            last = min(span_end, _minutes(rule["to"])) if "to" in rule else span_end
            minute = first
            while minute + step <= last and len(starts) < MAX_SLOTS_A_DAY:
                if minute not in starts:
                    begin = _at(day, minute, tzinfo)
                    starts[minute] = Slot(begin, begin + timedelta(minutes=step), rule["capacity"])
                minute += step
    return [starts[minute] for minute in sorted(starts)]


def _at(day: date, minute: int, tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tzinfo) + timedelta(minutes=minute)


def last_bookable_day(config: dict, now: datetime) -> date:
    return now.date() + timedelta(days=config["horizon_days"])


def bookable(config: dict, start: datetime, now: datetime) -> bool:
    """Whether a slot starting at ``start`` may be booked (or moved to) now: within the
    horizon and before the cut-off."""
    return start - timedelta(minutes=config["cutoff_min"]) > now and start.date() <= last_bookable_day(config, now)


def check_in_opens(config: dict, start: datetime) -> datetime:
    return start - timedelta(minutes=config["check_in_before_min"])


def check_in_closes(config: dict, start: datetime) -> datetime:
    """The end of the grace time: later, an appointment not checked in is a no-show."""
    return start + timedelta(minutes=config["grace_min"])


def check_in_window(config: dict, start: datetime, now: datetime) -> str:
    """``"early"``, ``"open"`` or ``"late"`` for a check-in at ``now``."""
    if now < check_in_opens(config, start):
        return "early"
    return "open" if now <= check_in_closes(config, start) else "late"
