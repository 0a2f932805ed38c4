"""Remote numbers (lấy số từ xa): the rules a number taken from a phone must pass besides
the kiosk's, checked inside the issuing transaction so two requests racing for the last
allowed number cannot both get it.

The limits live in the center setting ``remote`` (docs/config.md, "Remote numbers"):
center-wide values, each of which a service may override under ``services.<code>``.
A request over a limit is refused with TooManyRequests (429) whose message names the
limit; a service that takes no remote numbers at all is ServiceClosed (409).
"""

import re
from datetime import datetime, timedelta

from layso.errors import InvalidInput, ServiceClosed, TooManyRequests
from layso.phone import checked_phone
from layso.queue.services import WEEKDAYS
from layso.reports.formats import number
from layso.store.center import get_setting
from layso.store.db import write

# The documented defaults (docs/config.md): one number per phone per day and service, at
# most 30 % of a capped service's day, none in the last 30 minutes of an opening span (a
# citizen on the way would arrive after closing), "come when 5 people are ahead".
DEFAULTS = {
    "enabled": True,
    "per_phone_per_day": 1,
    "cap_share": 0.3,
    "last_issue": None,
    "close_margin_min": 30,
    "come_when_ahead": 5,
}
# Center-wide only: a one-time code by SMS before a remote number is issued (needs the
# notification gateway, layso.notify).
# A remote ticket's phone number is erased this many days after the ticket's day (Law 91/2025/QH15:
# kept only as long as the purpose needs).
CENTER_DEFAULTS = {"one_time_code": False, "code_ttl_s": 300, "retention_days": 30}


class RemoteLimitReached(TooManyRequests):
    code = "remote_limit"


CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")

# The range of each number (the admin page's fields take their min and max from here too).
LIMITS = {
    "per_phone_per_day": (0, 1000), "cap_share": (0, 1), "close_margin_min": (0, 24 * 60),
    "come_when_ahead": (0, 1000), "code_ttl_s": (30, 86_400), "retention_days": (1, 3650),
}
# How each key is named in a message, in Vietnamese and English.
KEY_WORDS = {
    "enabled": ("nhận lấy số từ xa", "takes remote numbers"),
    "per_phone_per_day": ("số lần mỗi số điện thoại được lấy trong ngày", "numbers per phone per day"),
    "cap_share": ("phần của số tối đa/ngày dành cho lấy từ xa", "share of the daily cap"),
    "last_issue": ("giờ cấp số từ xa cuối cùng", "last issue time"),
    "close_margin_min": ("ngừng cấp trước giờ đóng cửa (phút)", "minutes before closing with no remote number"),
    "come_when_ahead": ("mời đến khi còn (người)", "come when this many are ahead"),
    "one_time_code": ("mã xác nhận qua SMS", "one-time SMS code"),
    "code_ttl_s": ("thời hạn mã xác nhận (giây)", "one-time code lifetime (s)"),
    "retention_days": ("số ngày giữ số điện thoại", "days a phone number is kept"),
}


def _invalid(where: str, key: str, vi: str, en: str):
    words = KEY_WORDS.get(key)
    named_vi, named_en = (f"{where}.{key} ({words[0]})", f"{where}.{key} ({words[1]})") if words else (f"{where}.{key}",) * 2
    raise InvalidInput(f"{named_vi}: {vi}", message_en=f"{named_en}: {en}")


def _checked_rules(values: dict, where: str, keys) -> dict:
    result = {}
    for key in keys:
        if key not in values:
            continue
        value = values[key]
        if key in ("enabled", "one_time_code"):
            if not isinstance(value, bool):
                _invalid(where, key, "phải là có (true) hoặc không (false).", "must be true or false.")
        elif key == "last_issue":
            if not (value is None or value == "" or isinstance(value, str) and CLOCK.fullmatch(value)):
                _invalid(where, key, "phải là giờ HH:MM, hoặc để trống.", "must be a time, HH:MM, or empty.")
            value = value or None
        else:
            low, high = LIMITS[key]
            whole = key != "cap_share"
            if (isinstance(value, bool) or not isinstance(value, int if whole else (int, float))
                    or not low <= value <= high):
                kind_vi, kind_en = ("số nguyên", "a whole number") if whole else ("số", "a number")
                _invalid(where, key, f"phải là {kind_vi} từ {number(low, None)} đến {number(high, None)}.",
                         f"must be {kind_en} from {number(low, None, 'en')} to {number(high, None, 'en')}.")
        result[key] = value
    unknown = set(values) - set(keys) - {"services"}
    if unknown:
        name = str(sorted(unknown, key=str)[0])[:40]
        raise InvalidInput(f"{where}.{name}: không có mục này.", message_en=f"{where}.{name}: no such key.")
    return result


def check_remote_config(value) -> dict:
    """The ``remote`` setting (TOML ``[remote]``, or an admin's change) checked key by key:
    center values, and ``services.<code>`` overriding the per-service ones. Raises
    InvalidInput naming the key."""
    if not isinstance(value, dict):
        raise InvalidInput("remote: phải là một bảng.", message_en="remote: must be a table.")
    result = _checked_rules(value, "remote", (*DEFAULTS, *CENTER_DEFAULTS))
    services = value.get("services") or {}
    if not isinstance(services, dict):
        raise InvalidInput("remote.services: phải là một bảng.", message_en="remote.services: must be a table.")
    result["services"] = {}
    for code, own in services.items():
        if not isinstance(own, dict) or "services" in own:
            raise InvalidInput(f"remote.services.{code}: phải là một bảng.", message_en=f"remote.services.{code}: must be a table.")
        result["services"][str(code)] = _checked_rules(own, f"remote.services.{code}", DEFAULTS)
    return result


def remote_settings(db) -> dict:
    """The center's ``remote`` setting with every default filled in."""
    stored = get_setting(db, "remote", None) or {}
    return {**DEFAULTS, **CENTER_DEFAULTS, **stored, "services": stored.get("services") or {}}


def service_rules(db, service_code: str) -> dict:
    """The remote rules of one service: the center's values, then the service's own."""
    config = remote_settings(db)
    own = config["services"].get(service_code) or {}
    return {key: own.get(key, config[key]) for key in DEFAULTS}


def check_consent(consent) -> None:
    """A phone number is kept only with the citizen's consent for this purpose (Law 91/2025/QH15)."""
    if consent is not True:
        raise InvalidInput(
            "Xin đánh dấu đồng ý để trung tâm liên hệ với bạn qua số điện thoại này.",
            message_en="Please tick the box to agree that the center may contact you at this number.",
        )


def remote_phone(typed) -> str:
    """The E.164 form of the typed phone number; raises InvalidInput (400) naming the problem."""
    if typed is None or typed == "":
        raise InvalidInput("Xin nhập số điện thoại di động.", message_en="Please give your mobile number.")
    return checked_phone(typed)


def _minutes(clock: str) -> int:
    return int(clock[:2]) * 60 + int(clock[3:5])


def check_remote_ticket(db, service: dict, *, phone: str, day: str, now: datetime) -> None:
    """Raise unless this phone may take a remote number of ``service`` now: the service takes
    remote numbers (ServiceClosed), it is before the service's last-issue time and not in the
    last ``close_margin_min`` minutes of the opening span, the phone has fewer than
    ``per_phone_per_day`` remote numbers of this service today, and a capped service has
    issued fewer remote numbers than ``cap_share`` of its cap (RemoteLimitReached, 429).
    Call inside the issuing transaction, after the opening hours were checked."""
    rules = service_rules(db, service["code"])
    if not rules["enabled"]:
        raise ServiceClosed(
            "Dịch vụ này không nhận lấy số từ xa. Xin mời bạn lấy số tại máy lấy số của trung tâm.",
            message_en="This service does not give numbers remotely. Please take a number at the center's kiosk.",
        )
    clock = now.strftime("%H:%M")
    if rules["last_issue"] and clock >= rules["last_issue"]:
        raise RemoteLimitReached(
            f"Đã quá giờ lấy số từ xa của dịch vụ này (trước {rules['last_issue']}). "
            "Xin mời bạn đến lấy số tại trung tâm.",
            message_en=f"Remote numbers for this service stop at {rules['last_issue']}. Please take a number at the center.",
        )
    margin = int(rules["close_margin_min"] or 0)
    if margin:
        minute = _minutes(clock)
        spans = get_setting(db, "hours", {}).get(WEEKDAYS[now.weekday()], [])
        ends = [_minutes(span[6:]) for span in spans if _minutes(span[:5]) <= minute < _minutes(span[6:])]
        if ends and minute >= max(ends) - margin:
            raise RemoteLimitReached(
                f"Không lấy số từ xa trong {margin} phút cuối trước giờ nghỉ. Xin mời bạn đến lấy số tại trung tâm.",
                message_en=f"No remote numbers in the last {margin} minutes before closing. "
                           "Please take a number at the center.",
            )
    per_phone = int(rules["per_phone_per_day"])  # 0: no limit
    taken = db.execute(
        "SELECT COUNT(*) FROM tickets WHERE phone = ? AND day = ? AND number_service = ? AND channel = 'remote'",
        [phone, day, service["code"]],
    ).fetchone()[0] if per_phone else 0
    if per_phone and taken >= per_phone:
        raise RemoteLimitReached(
            f"Mỗi số điện thoại chỉ được lấy {per_phone} số từ xa mỗi ngày cho dịch vụ này.",
            message_en=f"Each phone number may take {per_phone} remote number(s) a day for this service.",
        )
    cap = service.get("daily_cap")
    if cap:
        share = float(rules["cap_share"])
        allowed = int(cap * share)
        remote_today = db.execute(
            "SELECT COUNT(*) FROM tickets WHERE day = ? AND number_service = ? AND channel = 'remote'",
            [day, service["code"]],
        ).fetchone()[0]
        if remote_today >= allowed:
            percent = round(share * 100)
            raise RemoteLimitReached(
                f"Đã hết phần số dành cho lấy số từ xa hôm nay ({percent} % của {cap} số). "
                "Xin mời bạn đến lấy số tại trung tâm.",
                message_en=f"Today's share of remote numbers is used up ({percent} % of {cap}). "
                           "Please take a number at the center.",
            )


def erase_old_phones(db, *, now: datetime) -> int:
    """Personal data kept no longer than needed: a remote ticket's phone number is erased
    ``retention_days`` after the ticket's day (a ticket ends on its day at the latest); the
    ticket stays, with its channel, for the reports. Returns how many were erased."""
    days = int(remote_settings(db)["retention_days"])
    before = (now.date() - timedelta(days=days)).isoformat()
    with write(db):
        return db.execute("UPDATE tickets SET phone = NULL WHERE phone IS NOT NULL AND day < ?", [before]).rowcount
