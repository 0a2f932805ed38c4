"""The center-wide settings admins change: opening hours and holidays, the announcement
line, the voice, rating levels and reasons (the DB rows under center_settings)."""

import json
import re
import unicodedata
from datetime import date, datetime

from layso import inputs
from layso.admin import settings_changed
from layso.clock import iso
from layso.errors import InvalidInput
from layso.events import Outcome
from layso.notify.admin import checked_setting as checked_notify
from layso.queue import remote, slots
from layso.queue.appointments import cancel_on_holidays
from layso.notify.config import LIMITS as NOTIFY_LIMITS
from layso.reports.formats import WEEKDAY_NAMES
from layso.settings import WEEKDAYS
from layso.speech.announcer import PAUSES_MS
from layso.speech.engines import VOICES
from layso.store.center import get_setting, set_setting
from layso.store.db import write

EDITABLE = ("center_name", "place", "hours", "announcement", "voice", "rating", "appointments", "notify", "remote")


# How each setting is named in a message (the server's message is what the admin reads).
SETTING_WORDS = {"hours": ("Giờ làm việc", "Opening hours"), "rating": ("Mức đánh giá", "Rating levels"),
                 "voice": ("Giọng đọc", "Voice"), "announcement": ("Dòng thông báo", "Announcement"),
                 "center_name": ("Tên trung tâm", "Center name"), "place": ("Địa danh", "Place"),
                 "appointments": ("Lịch hẹn", "Appointments"), "notify": ("Tin nhắn SMS/Zalo", "SMS/Zalo notices"),
                 "remote": ("Lấy số từ xa", "Remote numbers")}


def _bad(key: str, message: str, message_en: str):
    vi, en = SETTING_WORDS.get(key, (key, key))
    raise InvalidInput(f"{vi}: {message}", message_en=f"{en}: {message_en}")


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def slug(label: str) -> str:
    """An id made from a label, for levels and reasons added in the admin: "Bình thường" →
    "binh_thuong" (stored ratings keep pointing at the id when the label is renamed)."""
    plain = unicodedata.normalize("NFD", label.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in plain if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:inputs.TEXT_LIMITS["rating_id"]] or "muc"


# HH:MM-HH:MM; a span may end at 24:00, the end of the day ("00:00-23:59" would close at 23:59).
SPAN = re.compile(r"([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)")


def check_hours(value) -> dict:
    """A week of opening spans and a list of holidays; spans of a day are sorted and may
    not overlap. Each message names the day and the span in words."""
    if not isinstance(value, dict):
        _bad("hours", "phải là một đối tượng.", "must be an object.")
    result = {}
    for day, vi_day, en_day in zip(WEEKDAYS, WEEKDAY_NAMES["vi"], WEEKDAY_NAMES["en"]):
        spans = value.get(day, [])
        if not isinstance(spans, list):
            _bad("hours", f"{vi_day} phải là danh sách khoảng giờ.", f"{en_day} must be a list of spans.")
        for span in spans:
            if not isinstance(span, str) or not SPAN.fullmatch(span):
                _bad("hours", f"{vi_day}: {str(span)[:20]!r} không phải khoảng giờ HH:MM-HH:MM.",
                     f"{en_day}: {str(span)[:20]!r} is not an HH:MM-HH:MM span.")
            if span[:5] >= span[6:]:
                _bad("hours", f"{vi_day}: giờ mở {span[:5]} phải trước giờ đóng {span[6:]}.",
                     f"{en_day}: opening at {span[:5]} must come before closing at {span[6:]}.")
        spans = sorted(spans)
        for earlier, later in zip(spans, spans[1:]):
            if later[:5] < earlier[6:]:
                _bad("hours", f"{vi_day}: {earlier} và {later} chồng lên nhau.", f"{en_day}: {earlier} and {later} overlap.")
        result[day] = spans
    holidays = value.get("holidays", [])
    if not isinstance(holidays, list) or len(holidays) > inputs.MAX_LIST_ITEMS:
        _bad("hours", f"ngày nghỉ phải là danh sách ngày (tối đa {inputs.MAX_LIST_ITEMS}).",
             f"holidays must be a list of at most {inputs.MAX_LIST_ITEMS} dates.")
    for holiday in holidays:
        try:
            date.fromisoformat(holiday)
        except (TypeError, ValueError):
            _bad("hours", f"ngày nghỉ {str(holiday)[:20]!r} không phải ngày hợp lệ.", f"holiday {str(holiday)[:20]!r} is not a date.")
    result["holidays"] = sorted(set(holidays))
    return result


def check_voice(value, current: dict) -> dict:
    """The voice setting with ``value``'s changes: the sentence, speed, voice, pauses. Raises InvalidInput."""
    if not isinstance(value, dict):
        _bad("voice", "phải là một đối tượng.", "must be an object.")
    voice = dict(current)
    if "template" in value:
        template = inputs.text(value["template"], "voice_template", name="voice.template")
        if "{number}" not in template or set(re.findall(r"{(\w*)}", template)) - {"number", "counter"}:
            _bad("voice", "câu mời phải có {number}, và chỉ dùng {number}, {counter}.",
                 "the template needs {number} and may only use {number} and {counter}.")
        voice["template"] = template
    if "speed" in value:
        speed = value["speed"]
        if isinstance(speed, bool) or not isinstance(speed, int) or not 80 <= speed <= 450:
            _bad("voice", "tốc độ đọc từ 80 đến 450.", "speed must be 80 to 450.")
        voice["speed"] = speed
    if "voice" in value:  # espeak-ng's northern, central or southern voice (giọng Bắc, Trung, Nam)
        if value["voice"] not in VOICES:
            _bad("voice", "giọng đọc là vi, vi-vn-x-central hoặc vi-vn-x-south.",
                 "the voice is vi, vi-vn-x-central or vi-vn-x-south.")
        voice["voice"] = value["voice"]
    for key, allowed in PAUSES_MS.items():
        if key in value:
            pause = value[key]
            if isinstance(pause, bool) or not isinstance(pause, int) or pause not in allowed:
                low, high = allowed.start, allowed.stop - 1
                _bad("voice", f"{key}: từ {low} đến {high} ms.", f"{key} must be {low} to {high} ms.")
            voice[key] = pause
    return voice


def _with_ids(items: list[dict], what: tuple[str, str]) -> list[str]:
    """Each item's id: its own, or one made from its label (unique in the list)."""
    ids = []
    for item in items:
        given = item.get("id")
        if given in (None, ""):
            given = base = slug(item["label"])
            number = 2
            while given in ids or any(other.get("id") == given for other in items if other is not item):
                given, number = f"{base}_{number}", number + 1
        elif not isinstance(given, str) or not re.fullmatch(rf"[a-z0-9_]{{1,{inputs.TEXT_LIMITS['rating_id']}}}", given):
            _bad("rating", f"mã {what[0]} {str(given)[:40]!r} chỉ gồm chữ thường không dấu, số và _.",
                 f"the {what[1]} id {str(given)[:40]!r} may only hold lower-case letters, digits and _.")
        if given in ids:
            _bad("rating", f"hai {what[0]} cùng mã {given!r}.", f"two {what[1]}s share the id {given!r}.")
        ids.append(given)
    return ids


def _labelled(items, what: tuple[str, str]) -> list[dict]:
    if not isinstance(items, list) or len(items) > inputs.MAX_LIST_ITEMS:
        _bad("rating", f"danh sách {what[0]} phải là danh sách (tối đa {inputs.MAX_LIST_ITEMS}).",
             f"the {what[1]} list must be a list of at most {inputs.MAX_LIST_ITEMS}.")
    limit = inputs.TEXT_LIMITS["rating_label"]
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("label"), str) or not item["label"].strip():
            _bad("rating", f"{what[0]} thứ {position} cần có tên.", f"{what[1]} {position} needs a name.")
        if len(_nfc(item["label"])) > limit:
            _bad("rating", f"tên {what[0]} thứ {position} quá dài (tối đa {limit} ký tự).",
                 f"{what[1]} {position}: the name is over {limit} characters.")
    labels = [_nfc(item["label"]).casefold() for item in items]
    for label in labels:
        if labels.count(label) > 1:
            _bad("rating", f"hai {what[0]} cùng tên {label!r}.", f"two {what[1]}s are named {label!r}.")
    return items


def check_rating(value, current: dict) -> dict:
    """Levels in the order the tablet shows them, and the reasons offered; a level or reason
    without an id gets one from its label. Raises InvalidInput naming the level or reason."""
    if not isinstance(value, dict):
        _bad("rating", "phải là một đối tượng.", "must be an object.")
    rating = dict(current)
    levels = _labelled(value.get("levels", current.get("levels", [])), ("mức", "level"))
    if not levels:
        _bad("rating", "cần ít nhất một mức đánh giá.", "at least one level is required.")
    reasons = _labelled(value.get("reasons", current.get("reasons", [])), ("lý do", "reason"))
    checked = []
    for level, level_id in zip(levels, _with_ids(levels, ("mức", "level"))):
        points = level.get("points", 0)
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= 10:
            _bad("rating", f"mức {_nfc(level['label'])!r}: điểm từ 0 đến 10.", f"level {_nfc(level['label'])!r}: points must be 0 to 10.")
        checked.append({"id": level_id, "label": _nfc(level["label"]), "satisfied": bool(level.get("satisfied")),
                        "points": points, "requires_reason": bool(level.get("requires_reason"))})
    if not reasons and any(level["requires_reason"] for level in checked):
        _bad("rating", "có mức yêu cầu lý do nhưng danh sách lý do trống.", "a level requires a reason but there are no reasons.")
    rating["levels"] = checked
    rating["reasons"] = [{"id": reason_id, "label": _nfc(reason["label"])}
                         for reason, reason_id in zip(reasons, _with_ids(reasons, ("lý do", "reason")))]
    return rating


def setting_ranges() -> dict:
    """{setting: {key: (lowest, highest)}}: the numbers the checks of ``remote``,
    ``appointments`` and ``notify`` accept, for the admin page's fields (min and max), so
    the page and the server never disagree on a limit."""
    return {"remote": remote.LIMITS, "appointments": {**slots.LIMITS, **slots.RULE_LIMITS}, "notify": NOTIFY_LIMITS}


def remote_defaults() -> dict:
    """The ``remote`` values in force where the setting names none (the admin page shows them
    filled in, so an admin sees the limit that applies, not an empty box)."""
    return {**remote.DEFAULTS, **remote.CENTER_DEFAULTS}


def _known_services(db, codes, where: str) -> None:
    """A setting's rows per service name only the center's services (InvalidInput names the first other)."""
    unknown = sorted(set(codes) - {code for (code,) in db.execute("SELECT code FROM services")})
    if unknown:
        raise InvalidInput(f"{where}.{unknown[0][:40]}: không có dịch vụ này.",
                           message_en=f"{where}.{unknown[0][:40]}: no such service.")


def _storable(key: str, value) -> None:
    # The admin's body reads a number past 64 bits or 1e400 as infinity (json_body(ranged=True)):
    # every ranged field refuses it naming its range, and a free-form one (an SMS body template,
    # the gateway's success value) has it refused here, before it is stored.
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        _bad(key, "có một số quá lớn, không lưu được.", "holds a number too large to store.")


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
    elif key == "notify":
        value = checked_notify(value)
        _known_services(db, value["near_ahead_by_service"], "notify.near_ahead_by_service")
    elif key == "appointments":
        value = slots.check_settings(value, services={code for (code,) in db.execute("SELECT code FROM services")})
    elif key == "remote":
        value = remote.check_remote_config(value)
        _known_services(db, value["services"], "remote.services")
    else:  # center_name; the announcement ("" takes it down) or the place ("" leaves dots on the report)
        value = inputs.text(value, key, blank=key in ("announcement", "place"))
    _storable(key, value)
    with write(db):
        set_setting(db, key, value, by=by, now=now)
        # Bookings on a holiday added now are cancelled, with a notice (appointment.cancelled).
        cancelled = cancel_on_holidays(db, value["holidays"], now=now) if key == "hours" else []
        event = settings_changed(db, key, at=iso(now))
    return Outcome({key: value}, [event, *cancelled])
