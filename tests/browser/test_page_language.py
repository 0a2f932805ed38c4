"""Pages speak their own language, whatever the browser's settings: errors come back in the
page's language, the kiosk starts every citizen in Vietnamese, and English reads like English."""

import sqlite3

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def english_browser(browser):
    """A browser set up for American English (it sends Accept-Language: en-US)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US")
    yield context
    context.close()


def open_kiosk(page, url):
    with page.expect_response(lambda response: response.url.endswith("/api/v1/services")):  # its refresh on connecting
        page.goto(url)
    page.wait_for_selector("body[data-ready=yes][data-connected=yes]")


def test_a_vietnamese_kiosk_in_an_english_browser_shows_vietnamese_errors(english_browser, live_server):
    live_server.start()
    page = english_browser.new_page()
    open_kiosk(page, live_server.url + "/kiosk/k1")
    page.route("**/api/v1/services", lambda route: route.abort())  # the tile must still look open when tapped
    with sqlite3.connect(live_server.db_path) as database:
        database.execute("UPDATE services SET closed_reason = NULL, daily_cap = 1 WHERE code = 'LLTP'")
    live_server.post("/api/v1/tickets", {"service": "LLTP"}).raise_for_status()  # the day's only number
    page.click("[data-field=TP]")
    page.click("[data-service=LLTP]")
    expect(page.locator("#error-box")).to_be_visible()
    expect(page.locator("#error-message")).to_have_text("Đã hết số trong ngày.")
    expect(page.locator("#error-box strong")).to_have_text("Không lấy được số")


def test_a_vietnamese_console_in_an_english_browser_says_the_login_failed_in_vietnamese(english_browser, live_server):
    live_server.start()
    page = english_browser.new_page()
    page.goto(live_server.url + "/counter")
    page.fill("input[name=username]", "canbo1")
    page.fill("input[name=password]", "not-the-password")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#message")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")


def test_english_on_the_home_page_leaves_the_kiosk_of_the_same_browser_in_vietnamese(page, live_server):
    live_server.start()
    page.goto(live_server.url + "/?lang=en")
    expect(page.locator("h1")).to_be_visible()
    assert "Ticket kiosk" in page.inner_text("main")
    open_kiosk(page, live_server.url + "/kiosk/k1")
    expect(page.locator("#prompt")).to_have_text("Mời chọn lĩnh vực")


def test_the_kiosks_english_lasts_for_one_citizen_and_reads_like_english(page, live_server):
    live_server.start()
    live_server.post("/api/v1/tickets", {"service": "GCN"}).raise_for_status()
    open_kiosk(page, live_server.url + "/kiosk/k1")
    page.click("#lang-switch")
    page.wait_for_selector("body[data-ready=yes][data-connected=yes]")
    expect(page.locator("#prompt")).to_have_text("Choose a field")
    expect(page.locator("[data-field=DD] .tile-detail")).to_have_text("1 service · 1 person waiting")
    expect(page.locator("[data-field=TP] .tile-detail")).to_have_text("3 services · 0 people waiting")
    page.click("[data-field=DD]")
    expect(page.locator("[data-service=GCN] .tile-detail")).to_have_text("Waiting: 1 person · Wait about 3 minutes")
    page.click("[data-service=GCN]")
    page.wait_for_selector("body[data-print=printed]")
    expect(page.locator("#ticket-ahead")).to_have_text("1 person ahead of you")
    expect(page.locator("#ticket-wait")).to_have_text("about 3 minutes")
    expect(page.locator("#countdown")).to_contain_text("seconds")
    assert page.evaluate("() => Layso.plural('Tự động quay lại sau {n} giây', 1)") == "Back to the start in 1 second"
    page.click("#ticket-done")  # the next citizen
    page.wait_for_selector("body[data-ready=yes][data-connected=yes]")
    expect(page.locator("#prompt")).to_have_text("Mời chọn lĩnh vực")
    expect(page.locator("[data-field=DD] .tile-detail")).to_have_text("1 dịch vụ · 2 người đang chờ")
