"""Notices and dossiers in real Chromium against the demo server: the log channel's notices
of a remote ticket show on the notices page as it is called; the kiosk's "Tra cứu hồ sơ"
finds a dossier by its typed (or scanned: a scanner types) code."""

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.layout import layout_problems
from tests.browser.test_dashboard_pages import log_in
from tests.helpers import screenshot

pytestmark = pytest.mark.browser


def test_the_log_channel_shows_a_remote_tickets_notices_as_it_is_called(live_server, page):
    live_server.start()  # the demo: LAYSO_NOTIFY_CHANNEL unset, the log channel
    log_in(page, live_server.url + "/notices", "lanhdao")
    expect(page.locator("#notice-empty")).to_be_visible()
    answer = live_server.post("/api/v1/tickets", {"service": "HT", "channel": "remote", "phone": "0912 345 678",
                                                  "consent": True})
    assert answer.status_code == 201, answer.text
    officer = live_server.login("canbo1")
    live_server.post("/api/v1/counters/1/open", headers=officer).raise_for_status()
    assert live_server.post("/api/v1/counters/1/call-next", headers=officer).json()["ticket"]["number"] == "A001"
    called = page.locator("#notice-table tbody tr[data-kind=called]")
    expect(called).to_contain_text("Mời số A001 đến quầy số 1.")
    expect(called).to_contain_text("09xx xxx 678")
    expect(called).to_contain_text("Đã gửi")  # the log channel "sent" it
    expect(page.locator("#notice-table tbody tr[data-kind=remote_issued]")).to_contain_text("Đã gửi")
    assert "912345678" not in page.content()
    assert layout_problems(page) == []
    screenshot(page, "notices.png")


def test_the_kiosk_finds_a_dossier_by_its_typed_code(live_server, browser):
    live_server.start()
    live_server.report_dossier("H57.1-261123-0001", status="ready", due_date="2026-12-01")
    for width, height in ((1920, 1080), (1080, 1920), (1366, 768)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        page = context.new_page()
        page.goto(live_server.url + "/kiosk/k1")
        page.wait_for_selector("body[data-ready=yes]")
        page.click("#dossier-open")
        expect(page.locator("#dossier-code")).to_be_focused()
        page.keyboard.type("h57.1-261123-0001")  # as a USB scanner does: keys, then Enter
        page.keyboard.press("Enter")
        expect(page.locator("#dossier-status")).to_have_text("Có kết quả")
        expect(page.locator("#dossier-next")).to_contain_text("Mời bạn đến quầy trả kết quả")
        expect(page.locator("#dossier-due")).to_have_text("01/12/2026")
        assert layout_problems(page, within="#dossier-lookup") == [], (width, height)
        if (width, height) == (1920, 1080):
            screenshot(page, "kiosk-dossier.png")
        page.fill("#dossier-code", "KHONG-CO")
        page.keyboard.press("Enter")
        expect(page.locator("#dossier-error")).to_contain_text("Không tìm thấy hồ sơ này")
        page.click("#dossier-close")
        expect(page.locator("#dossier-lookup")).to_be_hidden()
        context.close()


def test_the_admin_words_a_notice_and_sees_its_length_in_sms_parts(live_server, page):
    live_server.start()
    log_in(page, live_server.url + "/admin", "admin")
    row = page.locator("#notify-texts tr[data-kind=called]")
    expect(row.locator(".parts").first).to_have_text("1 phần SMS")
    row.locator("textarea[name='called.vi']").fill("Mời số {number} " + "đến quầy số {counter} " * 8)
    page.click("#notify-form button[type=submit]")
    expect(page.locator("#notify-form .form-message")).to_contain_text("phần SMS (tối đa 2)")
    row.locator("textarea[name='called.vi']").fill("Mời công dân có số {number} đến quầy số {counter} để được phục vụ. Xin cảm ơn.")
    page.click("#notify-form button[type=submit]")
    expect(page.locator("#notify-form .form-message")).to_have_text("Đã lưu.")
    expect(row.locator(".parts").first).to_have_text("2 phần SMS")
    page.locator("#notify-section").scroll_into_view_if_needed()
    screenshot(page.locator("#notify-section"), "admin-notify.png")


def test_the_officer_attaches_the_citizens_phone_to_the_dossier_code(live_server, browser):
    from tests.browser.layout import sized_page

    live_server.start()
    canbo1 = live_server.login("canbo1")
    live_server.post("/api/v1/counters/1/open", headers=canbo1).raise_for_status()
    live_server.post("/api/v1/tickets", {"service": "HT"}).raise_for_status()
    live_server.post("/api/v1/counters/1/call-next", headers=canbo1).raise_for_status()
    with sized_page(browser, 1366, 768) as console:
        console.goto(f"{live_server.url}/counter")
        console.fill("input[name=username]", "canbo1")
        console.fill("input[name=password]", "demo")
        console.click("#login-form button[type=submit]")
        expect(console.locator("#dossier-code")).to_be_enabled(timeout=15_000)
        console.fill("#dossier-code", "HS-2026-77")
        console.fill("#dossier-phone", "0912 345 678")
        console.click("#dossier-form button[type=submit]")
        expect(console.locator("body")).to_contain_text("đồng ý")  # no consent ticked: the server says so
        console.check("#dossier-consent")
        console.click("#dossier-form button[type=submit]")
        expect(console.locator("body")).to_contain_text("công dân sẽ nhận tin nhắn khi hồ sơ đổi tình trạng")
        assert layout_problems(console) == []
        screenshot(console, "counter-dossier-phone.png")
    staff = requests.get(live_server.url + "/api/v1/dossiers/hs-2026-77", headers=live_server.login("lanhdao"), timeout=10)
    assert staff.json()["status"] == "received" and staff.json()["phone_masked"] == "09xx xxx 678"
