"""How a center sends notices: the ``[notify]`` section (TOML, then the admin screen) with
the environment over it.

The TOML section seeds the database setting ``notify``; after that the admin screen
changes it. The environment wins over both, and gateway secrets come only from it:
``LAYSO_NOTIFY_CHANNEL`` (``log`` | ``sms`` | ``zns``), ``LAYSO_SMS_URL``,
``LAYSO_SMS_TOKEN``, ``LAYSO_ZNS_URL``, ``LAYSO_ZNS_TOKEN``. docs/notifications.md has every key.
"""

import re
from dataclasses import dataclass, field

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
    """A notify setting is wrong; the message names the key."""


def _number(section: dict, key: str, where: str, *, low: float, high: float, whole=True):
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or not low <= value <= high:
        raise NotifyConfigError(f"{where}.{key}: a {'whole ' if whole else ''}number from {low} to {high}")
    return value


def _hhmm_span(value, where: str) -> str:
    if value in ("", None):
        return ""
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d", value):
        raise NotifyConfigError(f"{where}: HH:MM-HH:MM (e.g. 21:00-07:00), or empty for none")
    return value


def check_notify(raw, where: str = "notify") -> dict:
    """The notify section with defaults filled in, checked; NotifyConfigError names the key."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise NotifyConfigError(f"{where}: a table")
    unknown = set(raw) - set(DEFAULTS)
    if unknown:
        raise NotifyConfigError(f"{where}.{sorted(unknown)[0]}: unknown key")
    result = {**DEFAULTS, **{key: value for key, value in raw.items() if key not in ("sms", "zns")}}
    result["sms"] = {**DEFAULTS["sms"], **_table(raw.get("sms", {}), f"{where}.sms", DEFAULTS["sms"])}
    result["zns"] = {**DEFAULTS["zns"], **_table(raw.get("zns", {}), f"{where}.zns", DEFAULTS["zns"])}
    if result["channel"] not in CHANNELS:
        raise NotifyConfigError(f"{where}.channel: one of {', '.join(CHANNELS)}")
    _number(result, "near_ahead", where, low=1, high=50)
    _number(result, "timeout_s", where, low=0.1, high=120, whole=False)
    _number(result, "max_backoff_s", where, low=0.1, high=3600, whole=False)
    _number(result, "give_up_s", where, low=1, high=7 * 86400, whole=False)
    _number(result, "concurrency", where, low=1, high=64)
    _number(result, "alert_after_s", where, low=1, high=86400)
    _number(result, "max_parts", where, low=1, high=5)
    result["quiet_hours"] = _hhmm_span(result["quiet_hours"], f"{where}.quiet_hours")
    _number(result, "reminder_before_min", where, low=0, high=24 * 60)
    at = result["reminder_day_before_at"]
    if at not in ("", None) and (not isinstance(at, str) or not _CLOCK.fullmatch(at)):
        raise NotifyConfigError(f"{where}.reminder_day_before_at: HH:MM, or empty for none")
    result["reminder_day_before_at"] = at or ""
    by_service = result["near_ahead_by_service"]
    if not isinstance(by_service, dict):
        raise NotifyConfigError(f"{where}.near_ahead_by_service: a table of service code = number")
    for code in by_service:
        _number(by_service, code, f"{where}.near_ahead_by_service", low=1, high=50)
    sms = result["sms"]
    if not isinstance(sms["url"], str) or sms["url"] and not sms["url"].startswith(("http://", "https://")):
        raise NotifyConfigError(f"{where}.sms.url: an http:// or https:// address")
    if sms["method"] not in METHODS:
        raise NotifyConfigError(f"{where}.sms.method: one of {', '.join(METHODS)}")
    if not isinstance(sms["headers"], dict) or not all(isinstance(v, str) for v in sms["headers"].values()):
        raise NotifyConfigError(f"{where}.sms.headers: a table of header = text")
    if sms["body"] is not None and not isinstance(sms["body"], dict):
        raise NotifyConfigError(f"{where}.sms.body: a table (its texts may hold {{phone}} {{text}} {{id}})")
    if sms["body_format"] not in BODY_FORMATS:
        raise NotifyConfigError(f"{where}.sms.body_format: json or form")
    if sms["phone_format"] not in PHONE_FORMATS:
        raise NotifyConfigError(f"{where}.sms.phone_format: one of {', '.join(PHONE_FORMATS)}")
    statuses = sms["success_status"]
    if not isinstance(statuses, list) or not all(isinstance(s, int) and 100 <= s <= 599 for s in statuses):
        raise NotifyConfigError(f"{where}.sms.success_status: a list of HTTP status codes ([] = any 2xx)")
    if not isinstance(sms["success_path"], str):
        raise NotifyConfigError(f"{where}.sms.success_path: a dotted path, e.g. data.status")
    zns = result["zns"]
    if not isinstance(zns["url"], str) or not zns["url"].startswith(("http://", "https://")):
        raise NotifyConfigError(f"{where}.zns.url: an http:// or https:// address")
    if not isinstance(zns["templates"], dict) or not all(isinstance(v, (str, int)) for v in zns["templates"].values()):
        raise NotifyConfigError(f"{where}.zns.templates: a table of notice kind = template id")
    if not isinstance(zns["fallback_sms"], bool):
        raise NotifyConfigError(f"{where}.zns.fallback_sms: true or false")
    if not isinstance(result["texts"], dict):
        raise NotifyConfigError(f"{where}.texts: a table of notice kind = {{vi = …, en = …}}")
    return result


def _table(value, where: str, defaults: dict) -> dict:
    if not isinstance(value, dict):
        raise NotifyConfigError(f"{where}: a table")
    unknown = set(value) - set(defaults)
    if unknown:
        raise NotifyConfigError(f"{where}.{sorted(unknown)[0]}: unknown key")
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
