"""How a center sends notices: the ``[notify]`` section (TOML, then the admin screen) with
the environment over it.

The TOML section seeds the database setting ``notify``; after that the admin screen
changes it. The environment wins over both, and gateway secrets come only from it:
``LAYSO_NOTIFY_CHANNEL`` (``log`` | ``sms`` | ``zns``), ``LAYSO_SMS_URL``,
``LAYSO_SMS_TOKEN``, ``LAYSO_ZNS_URL``, ``LAYSO_ZNS_TOKEN``. docs/notifications.md has every key.
"""

import re
from dataclasses import dataclass, field

from layso.reports.formats import number

CHANNELS = ("log", "sms", "zns")
ENV_KEYS = {  # environment variable → key of the effective settings
    "LAYSO_NOTIFY_CHANNEL": "channel",
    "LAYSO_SMS_URL": "sms_url",
    "LAYSO_SMS_TOKEN": "sms_token",
    "LAYSO_ZNS_URL": "zns_url",
    "LAYSO_ZNS_TOKEN": "zns_token",
}
ZNS_URL = "https://business.openapi.zalo.me/message/template"
BODY_FORMATS = ("json", "form")
PHONE_FORMATS = ("84", "+84", "0")  # 84912345678, +84912345678, 0912345678
METHODS = ("POST", "PUT", "GET")

DEFAULTS = {
    "channel": "log",
    "near_ahead": 3,  # "N people ahead": the notice goes when this many are ahead (per service: near_ahead_by_service)
    "near_ahead_by_service": {},
    "timeout_s": 10,  # one try's connect + answer
    "max_backoff_s": 10,  # at most this long between tries: a short outage costs seconds
    "give_up_s": 1800,  # then the notice is 'failed'
    "concurrency": 8,  # tries in flight at once (a slow gateway answers in seconds)
    "alert_after_s": 300,  # the dashboard warns when the oldest unsent notice is older
    "quiet_hours": "21:00-07:00",  # reminders wait until the morning
    "reminder_day_before_at": "17:00",  # an appointment's reminder the day before, at this time ("" = none)
    "reminder_before_min": 60,  # and this long before its slot (0 = none)
    "max_parts": 2,  # an SMS text may take at most this many parts (checked in the admin)
    "texts": {},  # kind → {"vi": …, "en": …}: the center's own wording over layso.notify.texts
    "sms": {
        "url": "",
        "method": "POST",
        "headers": {},  # e.g. {"Authorization": "Bearer {token}"}; {token} is LAYSO_SMS_TOKEN
        "body": None,  # a table whose strings may hold {phone} {text} {id} {token}; None = the simplest gateway
        "body_format": "json",
        "success_status": [],  # [] = any 2xx
        "success_path": "",  # a dotted path in the JSON answer, e.g. "CodeResult"
        "success_value": None,  # the value it must have, e.g. "100"
        "phone_format": "84",
    },
    "zns": {
        "url": ZNS_URL,
        "templates": {},  # kind → the approved ZNS template_id
        "fallback_sms": True,  # a notice ZNS cannot deliver goes by SMS (when an SMS gateway is set)
    },
}


_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class NotifyConfigError(ValueError):
    """A notify setting is wrong; the message names the key (``str()``: English, for the
    TOML's reader; ``message_vi``: the same in Vietnamese, for the admin screen)."""

    def __init__(self, message: str, message_vi: str | None = None):
        super().__init__(message)
        self.message_vi = message_vi or message


# The range of each number of the section (the admin page's fields take min and max from here).
LIMITS = {"near_ahead": (1, 50), "timeout_s": (0.1, 120), "max_backoff_s": (0.1, 3600), "give_up_s": (1, 7 * 86400),
          "concurrency": (1, 64), "alert_after_s": (1, 86400), "max_parts": (1, 5), "reminder_before_min": (0, 24 * 60)}
WHOLE = {"near_ahead", "concurrency", "alert_after_s", "max_parts", "reminder_before_min"}


def _fail(key: str, en: str, vi: str):
    raise NotifyConfigError(f"{key}: {en}", f"{key}: {vi}")


def _number(section: dict, key: str, where: str, *, low: float, high: float, whole=True):
    # Whatever arrives — text, a list, a bool, ±infinity (what json_body reads a number past
    # 64 bits or 1e400 as) — fails the type or the range, and the message gives the range.
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or not low <= value <= high:
        _fail(f"{where}.{str(key)[:40]}",
              f"a {'whole ' if whole else ''}number from {number(low, None, 'en')} to {number(high, None, 'en')}",
              f"một số {'nguyên ' if whole else ''}từ {number(low, None)} đến {number(high, None)}")
    return value


def _hhmm_span(value, where: str) -> str:
    if value in ("", None):
        return ""
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d", value):
        _fail(where, "HH:MM-HH:MM (e.g. 21:00-07:00), or empty for none", "HH:MM-HH:MM (ví dụ 21:00-07:00), hoặc để trống")
    return value


def _address(value, key: str, *, empty: bool) -> None:
    if not isinstance(value, str) or (value or not empty) and not value.startswith(("http://", "https://")):
        _fail(key, "an http:// or https:// address", "một địa chỉ http:// hoặc https://")


def check_notify(raw, where: str = "notify") -> dict:
    """The notify section with defaults filled in, checked; NotifyConfigError names the key."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        _fail(where, "a table", "phải là một bảng")
    unknown = set(raw) - set(DEFAULTS)
    if unknown:
        _fail(f"{where}.{str(sorted(unknown)[0])[:40]}", "unknown key", "không có mục này")
    result = {**DEFAULTS, **{key: value for key, value in raw.items() if key not in ("sms", "zns")}}
    result["sms"] = {**DEFAULTS["sms"], **_table(raw.get("sms", {}), f"{where}.sms", DEFAULTS["sms"])}
    result["zns"] = {**DEFAULTS["zns"], **_table(raw.get("zns", {}), f"{where}.zns", DEFAULTS["zns"])}
    if result["channel"] not in CHANNELS:
        _fail(f"{where}.channel", f"one of {', '.join(CHANNELS)}", f"một trong {', '.join(CHANNELS)}")
    for key, (low, high) in LIMITS.items():
        _number(result, key, where, low=low, high=high, whole=key in WHOLE)
    result["quiet_hours"] = _hhmm_span(result["quiet_hours"], f"{where}.quiet_hours")
    at = result["reminder_day_before_at"]
    if at not in ("", None) and (not isinstance(at, str) or not _CLOCK.fullmatch(at)):
        _fail(f"{where}.reminder_day_before_at", "HH:MM, or empty for none", "giờ HH:MM, hoặc để trống")
    result["reminder_day_before_at"] = at or ""
    by_service = result["near_ahead_by_service"]
    if not isinstance(by_service, dict):
        _fail(f"{where}.near_ahead_by_service", "a table of service code = number", "một bảng mã dịch vụ = số")
    for code in by_service:  # a service's own N has the center value's range (the admin page shows it)
        _number(by_service, code, f"{where}.near_ahead_by_service", low=LIMITS["near_ahead"][0],
                high=LIMITS["near_ahead"][1])
    _check_sms(result["sms"], f"{where}.sms")
    zns = result["zns"]
    _address(zns["url"], f"{where}.zns.url", empty=False)
    if not isinstance(zns["templates"], dict) or not all(isinstance(v, (str, int)) for v in zns["templates"].values()):
        _fail(f"{where}.zns.templates", "a table of notice kind = template id", "một bảng loại tin = mã mẫu ZNS")
    if not isinstance(zns["fallback_sms"], bool):
        _fail(f"{where}.zns.fallback_sms", "true or false", "có (true) hoặc không (false)")
    if not isinstance(result["texts"], dict):
        _fail(f"{where}.texts", "a table of notice kind = {vi = …, en = …}", "một bảng loại tin = {vi = …, en = …}")
    return result


def _check_sms(sms: dict, where: str) -> None:
    _address(sms["url"], f"{where}.url", empty=True)
    if sms["method"] not in METHODS:
        _fail(f"{where}.method", f"one of {', '.join(METHODS)}", f"một trong {', '.join(METHODS)}")
    if not isinstance(sms["headers"], dict) or not all(isinstance(v, str) for v in sms["headers"].values()):
        _fail(f"{where}.headers", "a table of header = text", "một bảng tên header = giá trị")
    if sms["body"] is not None and not isinstance(sms["body"], dict):
        _fail(f"{where}.body", "a table (its texts may hold {phone} {text} {id})",
              "một bảng (các giá trị có thể chứa {phone} {text} {id})")
    if sms["body_format"] not in BODY_FORMATS:
        _fail(f"{where}.body_format", "json or form", "json hoặc form")
    if sms["phone_format"] not in PHONE_FORMATS:
        _fail(f"{where}.phone_format", f"one of {', '.join(PHONE_FORMATS)}", f"một trong {', '.join(PHONE_FORMATS)}")
    statuses = sms["success_status"]
    if not isinstance(statuses, list) or not all(isinstance(s, int) and not isinstance(s, bool) and 100 <= s <= 599
                                                 for s in statuses):
        _fail(f"{where}.success_status", "a list of HTTP status codes ([] = any 2xx)",
              "danh sách mã trạng thái HTTP (để trống = mọi mã 2xx)")
    if not isinstance(sms["success_path"], str):
        _fail(f"{where}.success_path", "a dotted path, e.g. data.status", "một đường dẫn có dấu chấm, ví dụ data.status")


def _table(value, where: str, defaults: dict) -> dict:
    if not isinstance(value, dict):
        _fail(where, "a table", "phải là một bảng")
    unknown = set(value) - set(defaults)
    if unknown:
        _fail(f"{where}.{str(sorted(unknown)[0])[:40]}", "unknown key", "không có mục này")
    return value


def env_overrides(env) -> dict:
    """The notify settings the environment sets (checked): they win over TOML and admin."""
    found = {key: env[name] for name, key in ENV_KEYS.items() if env.get(name)}
    if "channel" in found and found["channel"] not in CHANNELS:
        raise NotifyConfigError(f"LAYSO_NOTIFY_CHANNEL: one of {', '.join(CHANNELS)}")
    for key, name in (("sms_url", "LAYSO_SMS_URL"), ("zns_url", "LAYSO_ZNS_URL")):
        if key in found and not found[key].startswith(("http://", "https://")):
            raise NotifyConfigError(f"{name}: an http:// or https:// address")
    return found


@dataclass(frozen=True)
class NotifyConfig:
    """The settings in force: the database's ``notify`` setting under the environment's."""

    values: dict
    env: dict = field(default_factory=dict)

    @property
    def channel(self) -> str:
        return self.env.get("channel") or self.values["channel"]

    @property
    def sms(self) -> dict:
        # With nothing but LAYSO_SMS_URL, the defaults are the simplest gateway: POST JSON
        # {phone, text, id}, a bearer token when one is set, any 2xx.
        return {**self.values["sms"], "url": self.env.get("sms_url") or self.values["sms"]["url"],
                "token": self.env.get("sms_token", "")}

    @property
    def zns(self) -> dict:
        return {**self.values["zns"], "url": self.env.get("zns_url") or self.values["zns"]["url"],
                "token": self.env.get("zns_token", "")}

    def __getitem__(self, key):
        return self.values[key]

    def near_ahead(self, service: str) -> int:
        return self.values["near_ahead_by_service"].get(service, self.values["near_ahead"])


def effective(stored, env: dict) -> NotifyConfig:
    """The settings in force from the stored ``notify`` setting (None before any) and the
    environment's overrides (:func:`env_overrides`)."""
    try:
        values = check_notify(stored or {})
    except NotifyConfigError:  # a stored value from an older version: the defaults keep notices going
        values = check_notify({})
    return NotifyConfig(values, dict(env))
