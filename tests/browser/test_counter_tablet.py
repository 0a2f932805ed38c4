"""The officer's console and the citizen's rating tablet, two real Chromium pages against a
running server: log in, call, finish, rate; the rating lands on the right officer and ticket
and reaches the dashboards."""

import sqlite3

import pytest
import requests

from tests.helpers import ROOT

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000


def _open_pages(browser, live_server):
    console = browser.new_context(viewport={"width": 1600, "height": 900}, locale="vi-VN").new_page()
    tablet = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN").new_page()
    tablet.goto(f"{live_server.url}/tablet/1")
    console.goto(f"{live_server.url}/counter")
    return console, tablet


def _log_in(console):
    console.fill("input[name=username]", "canbo1")
    console.fill("input[name=password]", "demo")
    console.click("#login-form button[type=submit]")


def _log_in_and_take_counter_1(console):
    _log_in(console)
    console.click(".counter-card[data-counter='1']", timeout=TIMEOUT_MS)
    console.wait_for_selector("#console-view:not([hidden])", timeout=TIMEOUT_MS)


def test_officer_serves_then_the_citizen_rates_on_the_tablet_and_dashboards_hear_it(browser, live_server, sio_client):
    live_server.start()
    manager = live_server.login("lanhdao")
    dashboard = sio_client({"role": "dashboard", "token": manager["Authorization"][7:]})
    ticket = live_server.post("/api/v1/tickets", {"service": "HT"}).json()
    console, tablet = _open_pages(browser, live_server)

    _log_in_and_take_counter_1(console)
    console.wait_for_selector(f"#waiting-list li[data-ticket='{ticket['id']}']", timeout=TIMEOUT_MS)
    console.keyboard.press("F1")
    console.wait_for_function(
        f"() => document.getElementById('current-number').textContent === {ticket['number']!r}", timeout=TIMEOUT_MS
    )
    tablet.wait_for_function(
        "() => document.getElementById('officer-name').textContent === 'Cán bộ quầy 1'", timeout=TIMEOUT_MS
    )

    console.click("button[data-action='finish']")
    tablet.wait_for_selector("#ask-view:not([hidden])", timeout=TIMEOUT_MS)
    assert tablet.inner_text("#ask-number") == ticket["number"]
    assert tablet.locator(".level").count() == 3
    tablet.click(".level[data-level='not_satisfied']")
    assert tablet.is_disabled("#send")  # a reason is required for this level
    tablet.click(".reason[data-reason='waiting_time']")
    tablet.click("#send")
    tablet.wait_for_selector("#thanks-view:not([hidden])", timeout=TIMEOUT_MS)

    submitted = dashboard.wait_for("rating.submitted", lambda data: data["rating"]["ticket"] == ticket["id"])
    assert submitted["rating"]["officer"] == "canbo1" and submitted["rating"]["level"] == "not_satisfied"
    with sqlite3.connect(live_server.db_path) as database:
        stored = database.execute("SELECT ticket, officer, counter, level, reasons FROM ratings").fetchall()
    assert stored == [(ticket["id"], "canbo1", 1, "not_satisfied", '["waiting_time"]')]
    console.wait_for_function("() => document.getElementById('stat-served').textContent === '1'", timeout=TIMEOUT_MS)


def test_console_says_when_the_connection_drops_and_taking_an_occupied_counter_is_refused(browser, live_server):
    live_server.start()
    other = live_server.login("canbo2")
    assert live_server.post("/api/v1/counters/1/open", headers=other).status_code == 200
    console, _ = _open_pages(browser, live_server)
    _log_in(console)

    console.click(".counter-card[data-counter='1']", timeout=TIMEOUT_MS)
    console.wait_for_selector("#message:not([hidden])", timeout=TIMEOUT_MS)
    assert "cán bộ khác" in console.inner_text("#message")

    console.click(".counter-card[data-counter='3']")
    console.wait_for_selector("#console-view:not([hidden])", timeout=TIMEOUT_MS)
    console.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)
    live_server.stop()
    console.wait_for_selector("#connection-status:not([hidden])", timeout=TIMEOUT_MS)


def test_the_lost_connection_marker_and_message_go_when_the_connection_is_back(browser, live_server):
    live_server.start()
    ticket = live_server.post("/api/v1/tickets", {"service": "HT"}).json()
    console, _ = _open_pages(browser, live_server)
    _log_in_and_take_counter_1(console)
    console.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)

    live_server.stop()  # the connection drops; the officer presses "call next" meanwhile
    console.wait_for_selector("#connection-status:not([hidden])", timeout=TIMEOUT_MS)
    console.keyboard.press("F1")
    console.wait_for_function("() => document.getElementById('message').textContent.includes('Mất kết nối')", timeout=TIMEOUT_MS)
    console.wait_for_selector("body:not(.busy)", timeout=TIMEOUT_MS)  # its retries are over

    live_server.start()  # and comes back
    console.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)
    console.wait_for_selector("#connection-status", state="hidden", timeout=TIMEOUT_MS)
    console.wait_for_selector("#message", state="hidden", timeout=TIMEOUT_MS)
    console.keyboard.press("F1")  # and the console works again
    console.wait_for_function(
        f"() => document.getElementById('current-number').textContent === {ticket['number']!r}", timeout=TIMEOUT_MS
    )


FIVE_LEVELS = """
[rating]
window_s = 180
idle_timeout_s = 30
[[rating.levels]]
id = "l5"
label = "Rất hài lòng"
[[rating.levels]]
id = "l4"
label = "Hài lòng"
[[rating.levels]]
id = "l3"
label = "Bình thường"
[[rating.levels]]
id = "l2"
label = "Không hài lòng"
requires_reason = true
[[rating.levels]]
id = "l1"
label = "Rất không hài lòng"
requires_reason = true
[[rating.reasons]]
id = "attitude"
label = "Thái độ"
"""


def test_tablet_renders_a_five_level_scale_from_config(browser, live_server, tmp_path):
    demo = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    head, rest = demo.split("[rating]", 1)
    config = tmp_path / "five.toml"
    config.write_text(head + FIVE_LEVELS + "\n[voice]" + rest.split("[voice]", 1)[1], encoding="utf-8")
    live_server.config = config
    live_server.start()
    officer = live_server.login("canbo1")
    live_server.post("/api/v1/tickets", {"service": "HT"})
    live_server.post("/api/v1/counters/1/open", headers=officer)
    _, tablet = _open_pages(browser, live_server)
    tablet.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)

    live_server.post("/api/v1/counters/1/call-next", headers=officer)
    live_server.post("/api/v1/counters/1/finish", headers=officer)
    tablet.wait_for_selector("#ask-view:not([hidden])", timeout=TIMEOUT_MS)

    labels = tablet.locator(".level").all_inner_texts()
    assert labels == ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]
    tablet.click(".level[data-level='l3']")
    tablet.click("#send")
    tablet.wait_for_selector("#thanks-view:not([hidden])", timeout=TIMEOUT_MS)
    levels = requests.get(live_server.url + "/api/v1/ratings/levels", timeout=10).json()
    assert len(levels["levels"]) == 5


def test_the_counters_to_choose_from_change_as_other_officers_take_and_leave_them(browser, live_server):
    live_server.start()
    console, _ = _open_pages(browser, live_server)
    _log_in(console)
    console.wait_for_selector(".counter-card[data-counter='2']:not(.taken)", timeout=TIMEOUT_MS)
    console.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)

    other = live_server.login("canbo2")
    assert live_server.post("/api/v1/counters/2/open", headers=other).status_code == 200
    console.wait_for_selector(".counter-card.taken[data-counter='2']", timeout=TIMEOUT_MS)
    assert console.inner_text(".counter-card[data-counter='2'] .card-officer") == "Cán bộ quầy 2"

    assert live_server.post("/api/v1/counters/2/close", headers=other).status_code == 200
    console.wait_for_selector(".counter-card[data-counter='2']:not(.taken)", timeout=TIMEOUT_MS)
    assert console.inner_text(".counter-card[data-counter='2'] .card-officer") == "Trống"


def test_the_tablet_offers_the_levels_an_admin_has_just_set(browser, live_server):
    """Without a reload: a citizen must never be offered a level the server no longer takes."""
    live_server.start()
    _, tablet = _open_pages(browser, live_server)
    tablet.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)
    assert tablet.locator("body").get_attribute("data-levels") == "3"
    levels = [{"id": f"level_{'abcde'[points - 1]}", "label": label, "satisfied": points >= 4, "points": points * 2,
               "requires_reason": points <= 2}
              for points, label in [(5, "Rất hài lòng"), (4, "Hài lòng"), (3, "Bình thường"),
                                    (2, "Không hài lòng"), (1, "Rất không hài lòng")]]
    admin = live_server.login("admin")
    response = live_server.post("/api/v1/admin/settings/rating",
                                {"value": {"levels": levels, "reasons": [{"id": "slow", "label": "Chậm"}]}}, headers=admin)
    assert response.status_code == 200, response.text
    tablet.wait_for_selector("body[data-levels='5']", timeout=TIMEOUT_MS)
    assert tablet.locator(".level").all_inner_texts()[2] == "Bình thường"


def test_a_tablet_that_reloads_after_a_finish_still_asks_for_that_rating(browser, live_server):
    live_server.start()
    officer = live_server.login("canbo1")
    live_server.post("/api/v1/counters/1/open", headers=officer)
    ticket = live_server.post("/api/v1/tickets", {"service": "HT"}).json()
    live_server.post("/api/v1/counters/1/call-next", headers=officer)
    live_server.post("/api/v1/counters/1/finish", headers=officer)
    _, tablet = _open_pages(browser, live_server)  # opened only after the finish

    tablet.wait_for_selector("#ask-view:not([hidden])", timeout=TIMEOUT_MS)
    assert tablet.inner_text("#ask-number") == ticket["number"]
    tablet.reload()
    tablet.wait_for_selector("#ask-view:not([hidden])", timeout=TIMEOUT_MS)
    tablet.wait_for_selector(".level[data-level='satisfied']", timeout=TIMEOUT_MS)
    tablet.click(".level[data-level='satisfied']")
    tablet.click("#send")
    tablet.wait_for_selector("#thanks-view:not([hidden])", timeout=TIMEOUT_MS)

    tablet.reload()  # rated: nothing more to ask
    tablet.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)
    tablet.wait_for_function("() => document.getElementById('officer-name').textContent === 'Cán bộ quầy 1'", timeout=TIMEOUT_MS)
    assert tablet.is_hidden("#ask-view") and tablet.is_visible("#idle-view")


def test_a_renamed_officer_reaches_the_tablet_without_a_reload(browser, live_server):
    live_server.start()
    officer = live_server.login("canbo1")
    live_server.post("/api/v1/counters/1/open", headers=officer)
    _, tablet = _open_pages(browser, live_server)
    tablet.wait_for_function("() => document.getElementById('officer-name').textContent === 'Cán bộ quầy 1'", timeout=TIMEOUT_MS)

    admin = live_server.login("admin")
    response = live_server.post("/api/v1/admin/officers/canbo1", {"name": "Nguyễn Thị Hoa", "title": "Phó trưởng bộ phận"},
                                headers=admin)
    assert response.status_code == 200, response.text
    tablet.wait_for_function("() => document.getElementById('officer-name').textContent === 'Nguyễn Thị Hoa'", timeout=TIMEOUT_MS)
    assert tablet.inner_text("#officer-title") == "Phó trưởng bộ phận"
