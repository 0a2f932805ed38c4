"""The officer's console and the rating tablet fit their screens (issue 15, items 5 and 12):
every view at every size shows everything inside the viewport, nothing cut or overlapping,
and every button, link and field is at least 44 × 44 px."""

import pytest

from tests.browser.layout import layout_problems, sized_page, small_targets

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000


def _check(page, view: str) -> list[str]:
    return [f"{view}: {problem}" for problem in layout_problems(page) + small_targets(page)]


def _log_in(console, username):
    console.fill("input[name=username]", username)
    console.fill("input[name=password]", "demo")
    console.click("#login-form button[type=submit]")


def _busy_morning(server) -> dict:
    """Counter 1 serving, a long waiting list with priority and transferred tickets, one held."""
    canbo1, canbo2 = server.login("canbo1"), server.login("canbo2")
    server.post("/api/v1/counters/1/open", headers=canbo1)
    server.post("/api/v1/counters/2/open", headers=canbo2)
    for service in ("HT", "CT") * 7:
        server.post("/api/v1/tickets", {"service": service})
    server.post("/api/v1/tickets", {"service": "HT", "priority": True, "priority_reason": "elderly"})
    server.post("/api/v1/counters/1/call-next", headers=canbo1)
    server.post("/api/v1/counters/1/hold", headers=canbo1)
    server.post("/api/v1/counters/2/call-next", headers=canbo2)
    server.post("/api/v1/counters/2/transfer", {"counter": 1, "note": "Cần chứng thực bản sao"}, headers=canbo2)
    server.post("/api/v1/counters/1/call-next", headers=canbo1)
    return canbo1


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080), (2560, 1440)])
def test_every_view_of_the_console_fits_a_desk_monitor(browser, live_server, width, height):
    live_server.start()
    _busy_morning(live_server)
    problems = []
    with sized_page(browser, width, height) as console:
        console.goto(f"{live_server.url}/counter")
        problems += _check(console, "login")
        _log_in(console, "canbo3")
        console.wait_for_selector(".counter-card[data-counter='8']", timeout=TIMEOUT_MS)
        problems += _check(console, "choosing a counter")
        console.click("#logout")
        console.wait_for_selector("#login-form", timeout=TIMEOUT_MS)

        _log_in(console, "canbo1")
        console.wait_for_selector("#held-list li", timeout=TIMEOUT_MS)
        console.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)
        problems += _check(console, "serving")
        console.click("#open-lookup")
        console.fill("#lookup-query", "A001")
        console.click("#lookup-form button[type=submit]")
        console.wait_for_selector(".tt-ticket", timeout=TIMEOUT_MS)
        problems += _check(console, "look-up")
        console.click(".tt-ticket .tt-button")
        console.wait_for_selector("#reprint-dialog[open]", timeout=TIMEOUT_MS)
        problems += _check(console, "reprint dialog")
        console.keyboard.press("Escape")
        console.keyboard.press("Escape")
        console.click("button[data-action='transfer']")
        console.wait_for_selector("#transfer-dialog[open]", timeout=TIMEOUT_MS)
        problems += _check(console, "transfer dialog")
        console.keyboard.press("Escape")
        console.click("button[data-action='finish']")
        console.wait_for_selector("button[data-action='pause']:not([disabled])", timeout=TIMEOUT_MS)
        console.click("button[data-action='pause']")
        console.wait_for_selector("#pause-dialog[open]", timeout=TIMEOUT_MS)
        problems += _check(console, "pause dialog")
        console.keyboard.press("Escape")

        live_server.stop()
        console.wait_for_selector("#connection-status:not([hidden])", timeout=TIMEOUT_MS)
        console.click("button[data-action='call-next']")
        console.wait_for_selector("#message:not([hidden])", timeout=TIMEOUT_MS)
        problems += _check(console, "connection lost")
    assert problems == []


def test_the_console_fits_in_english_too(browser, live_server):
    live_server.start()
    _busy_morning(live_server)
    with sized_page(browser, 1366, 768, locale="en-US") as console:
        console.goto(f"{live_server.url}/counter?lang=en")
        _log_in(console, "canbo1")
        console.wait_for_selector("#held-list li", timeout=TIMEOUT_MS)
        assert _check(console, "serving") == []


@pytest.mark.parametrize("width, height", [(800, 1280), (1280, 800)])
def test_every_view_of_the_tablet_fits_portrait_and_landscape(browser, live_server, width, height):
    live_server.start()
    officer = live_server.login("canbo1")
    live_server.post("/api/v1/counters/1/open", headers=officer)
    live_server.post("/api/v1/tickets", {"service": "HT"})
    problems = []
    with sized_page(browser, width, height) as tablet:
        tablet.goto(f"{live_server.url}/tablet/1")
        tablet.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)
        tablet.wait_for_function("() => document.getElementById('officer-name').textContent !== ''", timeout=TIMEOUT_MS)
        problems += _check(tablet, "idle")
        live_server.post("/api/v1/counters/1/call-next", headers=officer)
        live_server.post("/api/v1/counters/1/finish", headers=officer)
        tablet.wait_for_selector("#ask-view:not([hidden])", timeout=TIMEOUT_MS)
        problems += _check(tablet, "asking")
        tablet.click(".level[data-level='not_satisfied']")
        tablet.click(".reason[data-reason='waiting_time']")
        problems += _check(tablet, "reasons")
        tablet.click("#send")
        tablet.wait_for_selector("#thanks-view:not([hidden])", timeout=TIMEOUT_MS)
        problems += _check(tablet, "thanks")
    assert problems == []
