"""Everything a device or an outside system relies on is documented: endpoints in
docs/api.md, events in docs/events.md, settings in docs/config.md."""

import dataclasses
import re
from pathlib import Path

import pytest

from layso import events
from layso.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"<\1>", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, path


def test_every_api_endpoint_is_documented(app):
    text = (DOCS / "api.md").read_text()
    documented = set(re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`? ]*)", text))
    # The counters' verbs are one route documented as a table of actions.
    documented |= {("POST", "/api/v1/counters/<number>/<action>")} if "/api/v1/counters/<n>/<action>" in text else set()
    normalized = {(method, re.sub(r"<[^>]+>", "<>", path)) for method, path in documented}
    missing = [
        f"{method} {path}" for method, path in api_routes(app)
        if (method, re.sub(r"<[^>]+>", "<>", path)) not in normalized
    ]
    assert not missing, f"undocumented in docs/api.md: {missing}"


def test_every_hub_endpoint_is_documented(hub_app):
    """The province hub's own API (province/) is documented in docs/hub.md."""
    text = (DOCS / "hub.md").read_text()
    documented = {(method, re.sub(r"<[^>]+>", "<>", path))
                  for method, path in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`? ]*)", text)}
    missing = [f"{method} {path}" for method, path in api_routes(hub_app)
               if (method, re.sub(r"<[^>]+>", "<>", path)) not in documented]
    assert not missing, f"undocumented in docs/hub.md: {missing}"


EVENT_NAMES = sorted(
    value for name, value in vars(events).items()
    if name.isupper() and isinstance(value, str) and not name.endswith("_EVENTS")
)


@pytest.mark.parametrize("event", EVENT_NAMES)
def test_every_event_is_documented(event):
    assert f"`{event}`" in (DOCS / "events.md").read_text(), f"{event} missing from docs/events.md"


@pytest.mark.parametrize("field", [field.name for field in dataclasses.fields(Settings)])
def test_every_setting_is_documented(field):
    keys = {
        "config_path": "LAYSO_CONFIG", "db_path": "LAYSO_DB", "secret_key": "LAYSO_SECRET_KEY", "demo": "--demo",
        "host": "--host", "port": "--port", "async_mode": "LAYSO_ASYNC_MODE", "center_name": "[center]", "center_place": "`place`",
        "timezone": "timezone", "public_url": "public_url", "ticket_rate_limit": "LAYSO_TICKET_RATE_LIMIT",
        "token_ttl_s": "token_ttl_s", "require_registration": "require_registration",
        "kiosk_networks": "kiosk_networks", "display_networks": "display_networks", "kiosks": "[[kiosks]]",
        "displays": "[[displays]]", "backup_keep_days": "keep_days", "password_hash": "password_hash", "secure_cookies": "LAYSO_SECURE_COOKIES",
        "trusted_proxies": "trusted_proxies",
        "header_timeout_s": "LAYSO_HEADER_TIMEOUT_S",
        "public_pause_reasons": "`[pause]`", "metrics_allow": "LAYSO_METRICS_ALLOW",
        "notify_env": "LAYSO_NOTIFY_CHANNEL",
        "hub": "LAYSO_HUB_TOKEN",
        "demo_history_days": "LAYSO_DEMO_HISTORY_DAYS", "clock_speed": "LAYSO_CLOCK_SPEED",
        "clock_start": "LAYSO_CLOCK_START",
        "seed": "[[services]]",
    }
    assert field in keys, f"Settings.{field} has no documented key in this test"
    assert keys[field] in (DOCS / "config.md").read_text(), f"{keys[field]} missing from docs/config.md"


@pytest.mark.parametrize("name", ["benchmarks.md", "architecture.md"])
def test_data_item_crash_test_docs_claim_process_crash_safety_and_no_more(name):
    """Issue 14, "Data that must not be at risk": tests/test_crash.py SIGKILLs the server, and
    the OS keeps its page cache: it shows process-crash safety, not power-cut safety. The
    docs say exactly that and claim nothing about power cuts that no test shows."""
    text = " ".join((DOCS / name).read_text().split())
    assert "tests/test_crash.py" in text
    assert "process-crash safety, not power-cut safety" in text
    assert not re.search(r"power[- ]cut (never )?takes back", text)
