"""Issue 14, security item 8: security headers on every answer, a framing rule per page,
and templates that hold nothing a strict Content-Security-Policy would block."""

import re
from pathlib import Path

import pytest

from tests.helpers import NEW_PASSWORD, ROOT

STAFF_PAGES = ("/counter", "/dashboard", "/reports", "/reports/monthly", "/admin", "/admin/voice", "/lich-hen", "/api/v1/state")
PUBLIC_PAGES = ("/", "/kiosk", "/kiosk/k1", "/t/no-such-ticket", "/display", "/display/counter/1", "/tablet/1", "/public")
# Public, but with a citizen's buttons (book, cancel): framed by nobody, like staff pages.
UNFRAMED_PUBLIC_PAGES = ("/dat-lich", "/dat-lich/no-such-booking")
SAMPLE = {"int": "1", "default": "x", "path": "layso.css"}


def every_get_url(app) -> list[str]:
    """One URL per GET route of the app, its parameters filled with sample values."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = rule.rule
        for converter, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
            url = re.sub(r"<[^>]*\b%s>" % name, SAMPLE.get(converter or "default", "x"), url, count=1)
        urls.append(url)
    return urls


@pytest.fixture
def manager_cookie(client, login):
    login("quantri")  # an admin: every staff page renders for them
    assert client.post("/api/v1/auth/login", json={"username": "quantri", "password": NEW_PASSWORD}).status_code == 200


def assert_secured(response, url):
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "no-referrer", url
    assert response.headers.get("X-Frame-Options") in ("DENY", "SAMEORIGIN"), url
    policy = response.headers.get("Content-Security-Policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                      "object-src 'none'", "frame-ancestors"):
        assert directive in policy, (url, policy)
    assert "unsafe" not in policy, (url, policy)


def test_item_8_every_answer_of_every_route_carries_the_security_headers(app, client, manager_cookie):
    urls = every_get_url(app)
    assert len(urls) > 30  # the whole map, not a handful
    for url in urls:
        for accept in ("text/html", "application/json"):
            assert_secured(client.get(url, headers={"Accept": accept}), url)
    # Socket.IO's own answers (long-polling) pass through the same middleware
    assert_secured(client.get("/socket.io/?EIO=4&transport=polling"), "/socket.io/")
    assert_secured(client.post("/api/v1/tickets", data="[" * 5, content_type="application/json"), "POST /api/v1/tickets")


def test_item_8_staff_pages_may_be_framed_by_nobody_and_public_pages_only_by_this_server(client, manager_cookie, serving):
    for url in STAFF_PAGES + UNFRAMED_PUBLIC_PAGES:
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == (404 if "no-such" in url else 200), url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
    for url in PUBLIC_PAGES:
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.mimetype == "text/html", url
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN", url
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"], url


INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "inline style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("template", sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("*/**/templates/**/*.html")
                                            if ".venv" not in path.parts and "node_modules" not in path.parts))
def test_item_8_templates_hold_nothing_the_content_security_policy_blocks(template):
    text = Path(ROOT / template).read_text(encoding="utf-8")
    found = {kind: pattern.findall(text) for kind, pattern in INLINE.items() if pattern.search(text)}
    assert not found, f"{template}: {found} — put scripts and styles in static files (docs/security.md)"
