"""The staff's ticket tools in Chromium (issue 15, item 13): the console reprints the ticket
in hand and tickets in the waiting list on a chosen kiosk; the console and the dashboard look
a ticket up by number or dossier code and show its day."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_counter_tablet import TIMEOUT_MS, _log_in_and_take_counter_1, _open_pages
from tests.browser.test_dashboard_pages import log_in

pytestmark = pytest.mark.browser


def _reprint_on_k1(page):
    page.wait_for_selector("#reprint-dialog[open]", timeout=TIMEOUT_MS)
    expect(page.locator("#reprint-kiosk option[value=k1]")).to_have_text("Kiosk sảnh chính")
    page.select_option("#reprint-kiosk", "k1")
    page.click("#reprint-submit")


def test_the_console_reprints_the_ticket_in_hand_and_one_waiting_then_shows_it_in_their_history(browser, live_server):
    live_server.start()
    first = live_server.post("/api/v1/tickets", {"service": "HT"}).json()
    waiting = live_server.post("/api/v1/tickets", {"service": "HT"}).json()
    console, _ = _open_pages(browser, live_server)
    _log_in_and_take_counter_1(console)
    console.keyboard.press("F1")
    console.wait_for_function(f"() => document.getElementById('current-number').textContent === {first['number']!r}",
                              timeout=TIMEOUT_MS)

    console.click("#reprint-current")
    _reprint_on_k1(console)
    expect(console.locator("#message")).to_have_text(f"Đã gửi lệnh in lại số {first['number']} ở Kiosk sảnh chính.")
    console.click(f"#waiting-list li[data-ticket='{waiting['id']}'] .row-buttons .secondary")
    _reprint_on_k1(console)
    expect(console.locator("#message")).to_have_text(f"Đã gửi lệnh in lại số {waiting['number']} ở Kiosk sảnh chính.")

    console.click("#open-lookup")
    console.fill("#lookup-query", waiting["number"].lower())
    console.click("#lookup-form button[type=submit]")
    card = console.locator(f".tt-ticket[data-ticket='{waiting['id']}']")
    expect(card.locator(".tt-status")).to_have_text("Đang chờ")
    expect(card.locator(".tt-history li").first).to_contain_text("Lấy số")
    expect(card.locator(".tt-history li", has_text="In lại phiếu ở kiosk k1")).to_have_count(1)


def test_the_dashboard_finds_a_ticket_by_its_dossier_code_and_reprints_it(live_server, page):
    live_server.start()
    officer = live_server.login("canbo1")
    ticket = live_server.post("/api/v1/tickets", {"service": "HT"}).json()
    live_server.post("/api/v1/counters/1/open", headers=officer)
    live_server.post("/api/v1/counters/1/call-next", headers=officer)
    live_server.post("/api/v1/counters/1/dossier", {"dossier_code": "H12.34-261122-0042"}, headers=officer)
    live_server.post("/api/v1/counters/1/finish", headers=officer)

    log_in(page, live_server.url + "/dashboard", "lanhdao")
    page.fill("#lookup-query", "h12.34-261122-0042")
    page.click("#lookup-form button[type=submit]")
    card = page.locator(f".tt-ticket[data-ticket='{ticket['id']}']")
    expect(card.locator(".tt-status")).to_have_text("Đã phục vụ xong")
    expect(card.locator(".tt-history li").nth(1)).to_contain_text("Được gọi tại quầy 1 (Cán bộ quầy 1)")
    card.locator(".tt-button").click()  # a manager may reprint a served ticket
    _reprint_on_k1(page)
    expect(page.locator("#lookup-results .tt-note")).to_have_text(
        f"Đã gửi lệnh in lại số {ticket['number']} ở Kiosk sảnh chính.")
    page.fill("#lookup-query", "Z999")
    page.click("#lookup-form button[type=submit]")
    expect(page.locator("#lookup-results")).to_have_text("Không có số nào như vậy hôm nay.")
