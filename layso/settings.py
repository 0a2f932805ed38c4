"""Settings: one TOML file per center, environment overrides, command-line flags.

Read once at start into a frozen :class:`Settings`. The file seeds the database on first
start; after that the database is the truth and admin screens change it live, so most
sections here are only the *seed* (``Settings.seed``). Every error names its key.

Environment: ``LAYSO_CONFIG`` (path), ``LAYSO_DB``, ``LAYSO_SECRET_KEY``,
``LAYSO_ASYNC_MODE`` (gevent | threading), ``LAYSO_TICKET_RATE_LIMIT`` (tickets per minute,
0 = off), ``LAYSO_SECURE_COOKIES`` (1 behind HTTPS), ``LAYSO_HEADER_TIMEOUT_S``, ``LAYSO_METRICS_ALLOW``
(addresses that may read /metrics, comma-separated), ``LAYSO_DEMO_HISTORY_DAYS`` (past days a new
demo database gets, 30); notices: ``LAYSO_NOTIFY_CHANNEL``,
``LAYSO_SMS_URL``, ``LAYSO_SMS_TOKEN``, ``LAYSO_ZNS_URL``, ``LAYSO_ZNS_TOKEN`` (layso.notify.config); the province
hub: ``LAYSO_HUB_URL``, ``LAYSO_HUB_TOKEN`` (docs/hub-sync.md). Flags (server.py): ``--config``, ``--db``, ``--host``, ``--port``, ``--demo``.
"""

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from layso.bundle import bundled_file
from layso.errors import InvalidInput
from layso.queue.remote import check_remote_config
from layso.notify.config import NotifyConfigError, check_notify, env_overrides

DEMO_CONFIG = bundled_file("config", "demo.toml")  # inside the package once installed (layso/bundle.py)
DEFAULT_SECRETS = {"", "change-me", "dev", "secret"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ROLES = ("officer", "manager", "admin")
# Where an officer's photo is served: the config may name it, the admin's upload (layso/admin/photos.py) makes it.
PHOTO_PATH = r"/photos/[0-9a-f]{32}\.jpg"
ASYNC_MODES = ("gevent", "threading")
# Pause reasons a public screen may show as they are (the console's own choices, but not
# "Lý do khác"): any other reason, an officer's free-text note first, reads "Tạm dừng phục vụ".
DEFAULT_PUBLIC_PAUSE_REASONS = ("Nghỉ giải lao", "Họp", "Hỗ trợ quầy khác", "Xử lý hồ sơ tồn")
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names the key."""


HUB_BATCH_MAX = 5000  # the hub takes at most this many events a batch (docs/hub-sync.md)


@dataclass(frozen=True)
class HubLink:
    """Where and how this center sends its log to the province hub (liên thông tỉnh).
    No ``url`` (the default): the center keeps its log and sends nothing."""

    url: str = ""
    token: str = ""
    batch_max: int = 500  # events in one batch at most
    batch_ms: int = 1000  # how long the first event of a batch may wait for others
    source: str = "default"  # where url and token came from: default, config, environment, admin

    @property
    def enabled(self) -> bool:
        return bool(self.url and self.token)


def check_hub_link(url, token, batch_max, batch_ms, *, names: dict | None = None, source: str = "config") -> HubLink:
    """A HubLink from raw values; raises SettingsError naming the key that is wrong
    (``names`` maps url, token, batch_max, batch_ms to the key shown; default ``hub.<key>``)."""
    name = {key: f"hub.{key}" for key in ("url", "token", "batch_max", "batch_ms")} | (names or {})
    if not isinstance(url, str) or (url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url)):
        raise SettingsError(f"{name['url']}: an http:// or https:// address of the province hub")
    if not isinstance(token, str) or len(token) > 200 or any(char.isspace() for char in token):
        raise SettingsError(f"{name['token']}: the center's hub token (no spaces, at most 200 characters)")
    if bool(url) != bool(token):
        raise SettingsError(f"{name['url' if token else 'token']}: the hub needs both url and token")
    for key, value, low, high in (("batch_max", batch_max, 1, HUB_BATCH_MAX), ("batch_ms", batch_ms, 0, 60_000)):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise SettingsError(f"{name[key]}: a whole number from {low} to {high}")
    return HubLink(url=url.rstrip("/"), token=token, batch_max=batch_max, batch_ms=batch_ms, source=source)


def _hub(section, env) -> HubLink:
    """[hub] url, token, batch_max, batch_ms; LAYSO_HUB_URL and LAYSO_HUB_TOKEN win over the file."""
    if not isinstance(section, dict):
        raise SettingsError("hub: must be a table ([hub])")
    names = {key: variable for key, variable in (("url", "LAYSO_HUB_URL"), ("token", "LAYSO_HUB_TOKEN")) if variable in env}
    url = env.get("LAYSO_HUB_URL", section.get("url", ""))
    token = env.get("LAYSO_HUB_TOKEN", section.get("token", ""))
    source = "environment" if names else ("config" if url or token else "default")
    return check_hub_link(url, token, section.get("batch_max", 500), section.get("batch_ms", 1000),
                          names=names, source=source)


@dataclass(frozen=True)
class Settings:
    config_path: Path
    db_path: Path
    secret_key: str
    demo: bool = False
    host: str = "127.0.0.1"
    port: int = 5000
    async_mode: str = "gevent"
    center_name: str = "Trung tâm Phục vụ hành chính công"
    center_place: str = ""  # the place on a report's date line ("Huế, ngày … tháng … năm …")
    timezone: str = "Asia/Ho_Chi_Minh"
    public_url: str = ""
    ticket_rate_limit: int = 30
    token_ttl_s: int = 12 * 3600
    require_registration: tuple[str, ...] = ("tablet",)
    kiosk_networks: tuple = ()
    display_networks: tuple = ()
    kiosks: tuple = ()
    displays: tuple = ()
    backup_keep_days: int = 14
    password_hash: str = "scrypt"
    secure_cookies: bool = False
    trusted_proxies: tuple = ()
    header_timeout_s: float = 10.0
    public_pause_reasons: tuple[str, ...] = DEFAULT_PUBLIC_PAUSE_REASONS
    metrics_allow: tuple = LOOPBACK
    notify_env: dict = field(default_factory=dict)  # the notify settings the environment sets, secrets only here
    hub: HubLink = field(default_factory=HubLink)  # the province hub this center sends its log to ([hub])
    demo_history_days: int = 30  # --demo: days of history written into a new demo database
    clock_speed: float = 1.0  # --demo only: the center's clock runs this many times faster (LAYSO_CLOCK_SPEED)
    clock_start: str | None = None  # --demo only: where that clock starts, HH:MM today or ISO (LAYSO_CLOCK_START)
    seed: dict = field(default_factory=dict)

    @property
    def instance_dir(self) -> Path:
        """Where the center keeps its files (audio cache, backups): beside the database."""
        return self.db_path.parent


def load(
    *,
    config: str | None = None,
    db: str | None = None,
    host: str | None = None,
    port: int | None = None,
    demo: bool = False,
    environ: dict | None = None,
    **overrides,
) -> Settings:
    """Build Settings from flags, then the environment, then the TOML file, then defaults."""
    env = os.environ if environ is None else environ
    config_path = Path(config or env.get("LAYSO_CONFIG") or (DEMO_CONFIG if demo else ""))
    if not str(config_path) or str(config_path) == ".":
        raise SettingsError("No center configuration: pass --config or set LAYSO_CONFIG")
    try:
        raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"config: file not found: {config_path}") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"config: {config_path}: {error}") from None

    db_path = Path(db or env.get("LAYSO_DB") or raw.get("database", {}).get("path") or "instance/layso.db")
    secret = env.get("LAYSO_SECRET_KEY") or raw.get("server", {}).get("secret_key", "")
    if demo and not secret:
        secret = "demo-only-secret"  # the demo has no real accounts; a real center must set one
    if not demo and (secret in DEFAULT_SECRETS or len(secret) < 16):
        raise SettingsError("secret_key: set LAYSO_SECRET_KEY (at least 16 characters, not a default)")

    values = dict(
        config_path=config_path,
        db_path=db_path,
        secret_key=secret,
        demo=demo,
        host=host or raw.get("server", {}).get("host", "127.0.0.1"),
        port=int(port or raw.get("server", {}).get("port", 5000)),
        header_timeout_s=_header_timeout(raw.get("server", {}), env),
        async_mode=env.get("LAYSO_ASYNC_MODE", "gevent"),
        **_center(raw.get("center", {})),
        **_devices(raw.get("devices", {})),
        ticket_rate_limit=_rate_limit(raw, env),
        kiosks=tuple(_kiosks(raw.get("kiosks", []))),
        displays=tuple(_displays(raw.get("displays", []))),
        backup_keep_days=_int(raw.get("backup", {}), "keep_days", 14, "backup"),
        password_hash=raw.get("security", {}).get("password_hash", "scrypt"),
        token_ttl_s=_int(raw.get("security", {}), "token_ttl_s", 12 * 3600, "security"),
        secure_cookies=_secure_cookies(raw.get("security", {}), env),
        trusted_proxies=_networks(raw.get("server", {}), "trusted_proxies", "server"),
        public_pause_reasons=_public_pause_reasons(raw.get("pause", {})),
        metrics_allow=_metrics_allow(raw.get("server", {}), env),
        notify_env=_notify_env(env),
        hub=_hub(raw.get("hub", {}), env),
        demo_history_days=_demo_history_days(env),
        **_fast_clock(env, demo),
        seed=_seed(raw),
    )
    values.update(overrides)
    if values["async_mode"] not in ASYNC_MODES:
        raise SettingsError(f"LAYSO_ASYNC_MODE: must be one of {', '.join(ASYNC_MODES)}")
    return Settings(**values)


def _int(section: dict, key: str, default, where: str) -> int:
    value = section.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SettingsError(f"{where}.{key}: must be a whole number ≥ 0")
    return value


def _header_timeout(server: dict, env) -> float:
    """Seconds a client has to send a request's line and headers (gevent server)."""
    value = env.get("LAYSO_HEADER_TIMEOUT_S", server.get("header_timeout_s", 10))
    where = "LAYSO_HEADER_TIMEOUT_S" if "LAYSO_HEADER_TIMEOUT_S" in env else "server.header_timeout_s"
    try:
        seconds = float(value) if not isinstance(value, bool) else None
    except ValueError:
        seconds = None
    if seconds is None or not 0.5 <= seconds <= 600:
        raise SettingsError(f"{where}: seconds from 0.5 to 600")
    return seconds


def _public_pause_reasons(pause: dict) -> tuple[str, ...]:
    reasons = pause.get("public_reasons", DEFAULT_PUBLIC_PAUSE_REASONS)
    if not isinstance(reasons, (list, tuple)) or not all(isinstance(reason, str) and reason.strip() for reason in reasons):
        raise SettingsError("pause.public_reasons: a list of pause reasons a public screen may show")
    return tuple(reason.strip() for reason in reasons)


def _fast_clock(env, demo: bool) -> dict:
    """``LAYSO_CLOCK_SPEED`` (1–3600) and ``LAYSO_CLOCK_START`` (``HH:MM`` today or an ISO time):
    a demo or a simulated day whose clock runs faster. Refused outside ``--demo``: a real
    center's tickets carry real times."""
    speed, start = env.get("LAYSO_CLOCK_SPEED", ""), env.get("LAYSO_CLOCK_START", "") or None
    if not speed and start is None:
        return {}
    if not demo:
        raise SettingsError("LAYSO_CLOCK_SPEED/LAYSO_CLOCK_START: only with --demo (a real center keeps real time)")
    try:
        value = float(speed or 1) if speed.isascii() else 0.0  # float() reads other scripts' digits too
    except ValueError:
        value = 0.0
    if not 1 <= value <= 3600:
        raise SettingsError("LAYSO_CLOCK_SPEED: from 1 to 3600 (times faster than real time)")
    if start is not None and not re.fullmatch(r"\d\d:\d\d", start):
        try:
            if datetime.fromisoformat(start).tzinfo is None:
                raise ValueError
        except ValueError:
            raise SettingsError("LAYSO_CLOCK_START: HH:MM (today) or an ISO time with its offset") from None
    return {"clock_speed": value, "clock_start": start}


def _demo_history_days(env) -> int:
    """``LAYSO_DEMO_HISTORY_DAYS``: how many past days a new demo database gets (0: none)."""
    value = env.get("LAYSO_DEMO_HISTORY_DAYS", "30")
    if not value.isascii() or not value.isdigit() or int(value) > 366:
        raise SettingsError("LAYSO_DEMO_HISTORY_DAYS: days from 0 to 366")
    return int(value)


def _metrics_allow(server: dict, env) -> tuple:
    """Who may read /metrics: addresses or networks, this machine only by default."""
    if "LAYSO_METRICS_ALLOW" in env:
        listed = [part.strip() for part in env["LAYSO_METRICS_ALLOW"].split(",") if part.strip()]
        return _networks({"metrics_allow": listed}, "metrics_allow", "LAYSO_METRICS_ALLOW") if listed else ()
    if "metrics_allow" not in server:
        return LOOPBACK
    return _networks(server, "metrics_allow", "server")


def _notify_env(env) -> dict:
    try:
        return env_overrides(env)
    except NotifyConfigError as error:
        raise SettingsError(str(error)) from None


def _secure_cookies(security: dict, env) -> bool:
    """Cookies only over HTTPS: for a center whose pages are reached through an HTTPS proxy."""
    if "LAYSO_SECURE_COOKIES" in env:
        value = env["LAYSO_SECURE_COOKIES"].strip().lower()
        if value not in ("1", "true", "yes", "0", "false", "no", ""):
            raise SettingsError("LAYSO_SECURE_COOKIES: 1/true/yes or 0/false/no")
        return value in ("1", "true", "yes")
    value = security.get("secure_cookies", False)
    if not isinstance(value, bool):
        raise SettingsError("security.secure_cookies: true or false")
    return value


def _require(item: dict, key: str, where: str):
    if key not in item or item[key] in ("", None):
        raise SettingsError(f"{where}.{key}: required")
    return item[key]


def _center(center: dict) -> dict:
    timezone = center.get("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"center.timezone: unknown timezone {timezone!r}") from None
    return dict(
        center_name=center.get("name", "Trung tâm Phục vụ hành chính công"),
        center_place=center.get("place", ""),
        timezone=timezone,
        public_url=center.get("public_url", "").rstrip("/"),
    )


def _networks(section: dict, key: str, where: str = "devices") -> tuple:
    try:
        return tuple(ipaddress.ip_network(net, strict=False) for net in section.get(key, []))
    except (TypeError, ValueError) as error:
        raise SettingsError(f"{where}.{key}: {error}") from None


def _devices(devices: dict) -> dict:
    roles = tuple(devices.get("require_registration", ["tablet"]))
    for role in roles:
        if role not in ("kiosk", "display", "tablet"):
            raise SettingsError(f"devices.require_registration: unknown role {role!r}")
    return dict(
        require_registration=roles,
        kiosk_networks=_networks(devices, "kiosk_networks"),
        display_networks=_networks(devices, "display_networks"),
    )


def _rate_limit(raw: dict, env) -> int:
    if "LAYSO_TICKET_RATE_LIMIT" in env:
        value = env["LAYSO_TICKET_RATE_LIMIT"]
        if not value.isdigit():
            raise SettingsError("LAYSO_TICKET_RATE_LIMIT: tickets per minute, a whole number (0 = off)")
        return int(value)
    return _int(raw.get("queue", {}), "ticket_rate_limit", 30, "queue")


def _kiosks(kiosks: list) -> list:
    seen = set()
    for index, kiosk in enumerate(kiosks):
        kiosk_id = str(_require(kiosk, "id", f"kiosks[{index}]"))
        if kiosk_id in seen:
            raise SettingsError(f"kiosks[{index}].id: duplicate {kiosk_id!r}")
        seen.add(kiosk_id)
    return [dict(kiosk) for kiosk in kiosks]


def _displays(displays: list) -> list:
    for index, display in enumerate(displays):
        _require(display, "id", f"displays[{index}]")
    return [dict(display) for display in displays]


def _hours(hours: dict) -> dict:
    result = {}
    for day in WEEKDAYS:
        spans = hours.get(day, ["07:30-11:30", "13:30-17:00"] if day not in ("saturday", "sunday") else [])
        for span in spans:
            if not re.fullmatch(r"\d\d:\d\d-\d\d:\d\d", span):
                raise SettingsError(f"hours.{day}: {span!r} is not HH:MM-HH:MM")
        result[day] = list(spans)
    result["holidays"] = [str(day) for day in hours.get("holidays", [])]
    return result


def _appointments(section: dict | None, codes: set) -> dict | None:
    """[appointments]: the booking rules and slots (docs/config.md); ``all_services`` is a
    list of slot rules given to every service without its own. None: no bookable slots."""
    from layso.errors import InvalidInput
    from layso.queue.slots import check_settings

    if section is None:
        return None
    section = dict(section)
    shared = section.pop("all_services", None)
    if shared is not None:
        section["services"] = {**{code: shared for code in sorted(codes)}, **section.get("services", {})}
    try:
        return check_settings(section, services=codes)
    except InvalidInput as error:
        raise SettingsError(f"appointments: {error.message_en}") from None


def _seed(raw: dict) -> dict:
    """The sections that seed the database on first start, validated."""
    fields_ = raw.get("fields", [])
    field_codes = {str(_require(item, "code", f"fields[{i}]")) for i, item in enumerate(fields_)}
    services = raw.get("services", [])
    if not services:
        raise SettingsError("services: at least one service is required")
    codes, prefixes = set(), set()
    for index, service in enumerate(services):
        where = f"services[{index}]"
        code = _require(service, "code", where)
        prefix = str(_require(service, "prefix", where))
        _require(service, "name", where)
        if service.get("field") not in field_codes:
            raise SettingsError(f"{where}.field: {service.get('field')!r} is not a code in [[fields]]")
        if not re.fullmatch(r"[A-Z]{1,2}", prefix):
            raise SettingsError(f"{where}.prefix: one or two capital letters, got {prefix!r}")
        if code in codes or prefix in prefixes:
            raise SettingsError(f"{where}: code and prefix must be unique ({code!r}, {prefix!r})")
        codes.add(code)
        prefixes.add(prefix)
    numbers = set()
    for index, counter in enumerate(raw.get("counters", [])):
        where = f"counters[{index}]"
        number = _require(counter, "number", where)
        if not isinstance(number, int) or number <= 0 or number in numbers:
            raise SettingsError(f"{where}.number: a unique whole number > 0")
        numbers.add(number)
        unknown = [code for code in counter.get("services", []) if code not in codes]
        if unknown or not counter.get("services"):
            raise SettingsError(f"{where}.services: unknown or empty {unknown or '[]'}")
    for index, officer in enumerate(raw.get("officers", [])):
        where = f"officers[{index}]"
        _require(officer, "username", where)
        _require(officer, "password", where)
        if officer.get("role", "officer") not in ROLES:
            raise SettingsError(f"{where}.role: one of {', '.join(ROLES)}")
        if officer.get("photo") is not None and not re.fullmatch(PHOTO_PATH, str(officer["photo"])):
            raise SettingsError(f"{where}.photo: upload photos in the admin screen (a /photos/… path of this server, never a URL)")
    queue = raw.get("queue", {})
    if queue.get("ordering", "strict") not in ("strict", "interleave"):
        raise SettingsError("queue.ordering: 'strict' or 'interleave'")
    try:
        remote = check_remote_config(raw.get("remote", {}))
    except InvalidInput as error:
        raise SettingsError(error.message_en) from None
    _known_codes(remote["services"], codes, "remote.services")
    notify = _notify(raw.get("notify", {}))
    _known_codes(notify["near_ahead_by_service"], codes, "notify.near_ahead_by_service")
    rating = raw.get("rating", {})
    levels = rating.get("levels", [])
    for index, level in enumerate(levels):
        _require(level, "id", f"rating.levels[{index}]")
        _require(level, "label", f"rating.levels[{index}]")
    return {
        "appointments": _appointments(raw.get("appointments"), codes),
        "fields": fields_,
        "services": services,
        "counters": raw.get("counters", []),
        "officers": raw.get("officers", []),
        "hours": _hours(raw.get("hours", {})),
        "queue": {
            "ordering": queue.get("ordering", "strict"),
            "interleave_priority_run": _int(queue, "interleave_priority_run", 2, "queue"),
            "default_service_s": _int(queue, "default_service_s", 300, "queue"),
            "estimate_window": _int(queue, "estimate_window", 20, "queue"),
        },
        "priority_reasons": raw.get("priority_reasons", []),
        "remote": remote,
        "rating": rating,
        "voice": raw.get("voice", {}),
        "notify": notify,
    }


def _known_codes(per_service: dict, codes: set, where: str) -> None:
    """A section's table per service names only the file's ``[[services]]``: another code is a
    typo (its service would silently follow the center's value), refused at start like any
    wrong key. A service the admin adds later gets its own value in the admin."""
    unknown = [code for code in per_service if code not in codes]
    if unknown:
        raise SettingsError(f"{where}.{unknown[0]}: not a code in [[services]]")


def _notify(section) -> dict:
    try:
        return check_notify(section)
    except NotifyConfigError as error:
        raise SettingsError(str(error)) from None
