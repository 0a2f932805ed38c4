"""Every queue must be served (issue 15, item 15): a service no counter is set up to serve is
not offered on the kiosk, the dashboard warns when people wait with no open counter for
them, and a transfer to a counter that cannot take the citizen is refused unless forced —
then that counter's console is told."""

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.test_counter_tablet import TIMEOUT_MS
from tests.browser.test_dashboard_pages import log_in

pytestmark = pytest.mark.browser


def test_the_kiosk_shows_a_service_no_counter_serves_closed_with_its_reason(live_server, page):
    live_server.start()
    admin = live_server.login("admin")
    for number, services in ((7, ["DKKD"]), (8, ["CT"])):  # nobody serves GPLX any more
        assert live_server.post(f"/api/v1/admin/counters/{number}", {"services": services}, headers=admin).status_code == 200
    page.goto(live_server.url + "/kiosk/k1")
    page.wait_for_selector("body[data-ready=yes][data-connected=yes]")
    page.click("[data-field=GT]")
    tile = page.locator("[data-service=GPLX]")
    assert tile.is_disabled()
    assert "Chưa có quầy nào phục vụ dịch vụ này" in tile.inner_text()
    refused = requests.post(live_server.url + "/api/v1/tickets", json={"service": "GPLX"}, timeout=5)
    assert (refused.status_code, refused.json()["error"]) == (409, "service_closed")


def test_the_dashboard_warns_of_people_waiting_with_no_open_counter_for_them(live_server, page):
    live_server.start()
    live_server.post("/api/v1/tickets", {"service": "GPLX"})  # counters 7 and 8 serve it; neither is open
    log_in(page, live_server.url + "/dashboard", "lanhdao")
    alert = page.locator("#alerts li[data-kind=queue_unattended]")
    expect(alert).to_contain_text("Đổi, cấp lại giấy phép lái xe: 1 người đang chờ")
    officer = live_server.login("canbo7")
    live_server.post("/api/v1/counters/7/open", headers=officer)
    expect(alert).to_have_count(0)


def _console(browser, server, username, counter):
    console = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    console.goto(f"{server.url}/counter")
    console.fill("input[name=username]", username)
    console.fill("input[name=password]", "demo")
    console.click("#login-form button[type=submit]")
    console.click(f".counter-card[data-counter='{counter}']", timeout=TIMEOUT_MS)
    console.wait_for_selector("body[data-connected='yes']", timeout=TIMEOUT_MS)
    return console


def _transfer_to_counter(console, counter):
    console.click("button[data-action='transfer']")
    console.check("#transfer-form input[value=counter]")
    console.select_option("#transfer-counter", str(counter))
    console.click("#transfer-submit")


def test_a_transfer_the_target_cannot_take_is_refused_then_forced_and_that_counter_is_told(browser, live_server):
    live_server.start()
    ticket = live_server.post("/api/v1/tickets", {"service": "HT"}).json()
    here = _console(browser, live_server, "canbo1", 1)
    there = _console(browser, live_server, "canbo4", 4)  # counter 4 serves GCN only
    here.keyboard.press("F1")
    here.wait_for_function(f"() => document.getElementById('current-number').textContent === {ticket['number']!r}",
                           timeout=TIMEOUT_MS)

    # Wait for the question itself: the refusal comes back from the server some time after the click.
    here.once("dialog", lambda dialog: dialog.dismiss())  # the officer says no to forcing: nothing changes
    with here.expect_event("dialog", timeout=TIMEOUT_MS) as asked:
        _transfer_to_counter(here, 4)
    question = asked.value.message
    here.wait_for_function("() => !document.body.classList.contains('busy')", timeout=TIMEOUT_MS)
    assert question.startswith("Quầy 4 không phục vụ dịch vụ Đăng ký khai sinh, kết hôn, khai tử")
    expect(here.locator("#transfer-counter option[value='4']")).to_contain_text("không phục vụ dịch vụ này")
    expect(here.locator("#transfer-counter option[value='6']")).to_contain_text("đang đóng")
    assert here.inner_text("#current-number") == ticket["number"]

    here.once("dialog", lambda dialog: dialog.accept())
    _transfer_to_counter(here, 4)  # forced this time
    here.wait_for_function("() => document.getElementById('current-number').textContent === '—'", timeout=TIMEOUT_MS)
    expect(there.locator("#message")).to_contain_text(f"Quầy 1 vừa chuyển số {ticket['number']} sang quầy này.")
    expect(there.locator(f"#waiting-list li[data-ticket='{ticket['id']}']")).to_have_count(1)
