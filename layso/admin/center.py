"""The center-wide settings admins change: opening hours and holidays, the announcement
line, the voice, rating levels and reasons (the DB rows under center_settings)."""

import re
from datetime import date, datetime

from layso import inputs
from layso.admin import settings_changed
from layso.clock import iso
from layso.errors import InvalidInput
from layso.events import Outcome
from layso.settings import WEEKDAYS
from layso.store.center import get_setting, set_setting
from layso.store.db import write

EDITABLE = ("center_name", "place", "hours", "announcement", "voice", "rating")


def _bad(key: str, message: str, message_en: str):
    raise InvalidInput(f"{key}: {message}", message_en=f"{key}: {message_en}")


# HH:MM-HH:MM; a span may end at 24:00, the end of the day ("00:00-23:59" would close at 23:59).
SPAN = re.compile(r"([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)")


def check_hours(value) -> dict:
    if not isinstance(value, dict):
        _bad("hours", "phải là một đối tượng.", "must be an object.")
    result = {}
    for day in WEEKDAYS:
        spans = value.get(day, [])
        if not isinstance(spans, list) or any(
            not isinstance(span, str) or not SPAN.fullmatch(span) or span[:5] >= span[6:] for span in spans
        ):
            _bad("hours", f"{day} phải là danh sách khoảng HH:MM-HH:MM.", f"{day} must be a list of HH:MM-HH:MM spans.")
        result[day] = spans
    holidays = value.get("holidays", [])
    if not isinstance(holidays, list) or len(holidays) > inputs.MAX_LIST_ITEMS:
        _bad("hours", f"holidays phải là danh sách ngày (tối đa {inputs.MAX_LIST_ITEMS}).",
             f"holidays must be a list of at most {inputs.MAX_LIST_ITEMS} dates.")
    for holiday in holidays:
        try:
            date.fromisoformat(holiday)
        except (TypeError, ValueError):
            _bad("hours", f"ngày nghỉ {holiday!r} không hợp lệ.", f"holiday {holiday!r} is not a YYYY-MM-DD date.")
    result["holidays"] = sorted(set(holidays))
    return result


def check_voice(value, current: dict) -> dict:
    if not isinstance(value, dict):
        _bad("voice", "phải là một đối tượng.", "must be an object.")
    voice = dict(current)
    if "template" in value:
        template = value["template"]
        template = inputs.text(template, "voice_template", name="voice.template")
        if "{number}" not in template or set(re.findall(r"{(\w*)}", template)) - {"number", "counter"}:
            _bad("voice", "câu mời phải có {number}, và chỉ dùng {number}, {counter}.",
                 "the template needs {number} and may only use {number} and {counter}.")
        voice["template"] = template
    if "speed" in value:
        speed = value["speed"]
        if isinstance(speed, bool) or not isinstance(speed, int) or not 80 <= speed <= 450:
            _bad("voice", "tốc độ đọc từ 80 đến 450.", "speed must be 80 to 450.")
        voice["speed"] = speed
    return voice


def check_rating(value, current: dict) -> dict:
    if not isinstance(value, dict):
        _bad("rating", "phải là một đối tượng.", "must be an object.")
    rating = dict(current)
    levels = inputs.items(value.get("levels", current.get("levels", [])), "rating.levels")
    if not levels:
        _bad("rating", "cần ít nhất một mức đánh giá.", "at least one level is required.")
    checked = []
    for level in levels:
        if not isinstance(level, dict) or not isinstance(level.get("id"), str) or not re.fullmatch(r"[a-z_]{1,32}", level["id"]):
            _bad("rating", "mỗi mức cần id (chữ thường) và nhãn.", "each level needs an id (lower case) and a label.")
        label = inputs.text(level.get("label"), "rating_label", name="rating.levels.label")
        points = level.get("points", 0)
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= 10:
            _bad("rating", "điểm mỗi mức từ 0 đến 10.", "points must be 0 to 10.")
        checked.append({"id": level["id"], "label": label, "satisfied": bool(level.get("satisfied")),
                        "points": points, "requires_reason": bool(level.get("requires_reason"))})
    if len({level["id"] for level in checked}) != len(checked):
        _bad("rating", "id mức đánh giá bị trùng.", "duplicate level ids.")
    reasons = inputs.items(value.get("reasons", current.get("reasons", [])), "rating.reasons")
    if any(not isinstance(reason, dict) for reason in reasons):
        _bad("rating", "mỗi lý do cần id và nhãn.", "each reason needs an id and a label.")
    rating["levels"] = checked
    rating["reasons"] = [
        {"id": inputs.text(reason.get("id"), "rating_id", name="rating.reasons.id"),
         "label": inputs.text(reason.get("label"), "rating_label", name="rating.reasons.label")}
        for reason in reasons
    ]
    return rating


def change_setting(db, key: str, value, *, by: str, now: datetime) -> Outcome:
    """Validate and store one center setting (recorded in the audit log), then tell every
    screen. Raises InvalidInput (unknown key or a bad value, the message names it)."""
    if key not in EDITABLE:
        raise InvalidInput(f"Không sửa được mục '{key}'.", message_en=f"'{key}' cannot be changed here.")
    if key == "hours":
        value = check_hours(value)
    elif key == "voice":
        value = check_voice(value, get_setting(db, "voice", {}) or {})
    elif key == "rating":
        value = check_rating(value, get_setting(db, "rating", {}) or {})
    else:  # center_name, or the announcement ("" takes it down)
        value = inputs.text(value, key, blank=key == "announcement")
    with write(db):
        set_setting(db, key, value, by=by, now=now)
        event = settings_changed(db, key, at=iso(now))
    return Outcome({key: value}, [event])
