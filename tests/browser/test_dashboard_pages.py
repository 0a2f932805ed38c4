"""The managers' pages in real headless Chromium against a running server."""

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("#login-form button[type=submit]")


def test_dashboard_updates_when_a_ticket_is_issued_called_and_rated_elsewhere(live_server, page):
    live_server.start()
    log_in(page, live_server.url + "/dashboard", "lanhdao")
    expect(page.locator("#today-issued")).to_have_text("0")
    expect(page.locator("body")).to_have_attribute("data-connected", "yes")

    ticket = live_server.post("/api/v1/tickets", {"service": "HT"}).json()
    expect(page.locator("#today-issued")).to_have_text("1")
    expect(page.locator("tr[data-service=HT] .waiting")).to_have_text("1")

    officer = live_server.login("canbo1")
    live_server.post("/api/v1/counters/1/open", headers=officer)
    called = live_server.post("/api/v1/counters/1/call-next", headers=officer)
    assert called.json()["ticket"]["id"] == ticket["id"], called.text
    card = page.locator(".counter-card[data-counter='1']")
    expect(card).to_have_attribute("data-status", "serving")
    expect(card.locator(".ticket")).to_have_text(ticket["number"])

    live_server.post("/api/v1/counters/1/finish", headers=officer)
    expect(page.locator("#today-served")).to_have_text("1")
    rated = live_server.post("/api/v1/ratings", {"ticket": ticket["id"], "level": "not_satisfied", "reasons": ["attitude"]},
                             headers={"Authorization": "Bearer demo-tablet-1"})
    assert rated.status_code == 201, rated.text
    expect(page.locator("#today-rated")).to_have_text("1")
    expect(page.locator("#today-satisfied")).to_have_text("0,0 %")
    expect(page.locator("#alerts li[data-kind=not_satisfied]")).to_have_count(1)


def test_admin_adds_a_service_flagged_until_a_counter_serves_it_then_offered_without_restart(live_server, page):
    live_server.start()
    log_in(page, live_server.url + "/admin", "admin")
    expect(page.locator("body")).to_have_attribute("data-loaded", "yes")
    form = page.locator("#service-form")
    form.locator("[name=code]").fill("BHXH")
    form.locator("[name=prefix]").fill("H")
    form.locator("[name=name]").fill("Bảo hiểm xã hội")
    form.locator("[name=wait_target_min]").fill("20")
    form.locator("button[type=submit]").click()
    expect(page.locator("#services-rows tr[data-code=BHXH]")).to_have_count(1)
    # No counter serves it yet: flagged here, shown closed on the kiosk, no number given.
    expect(page.locator("#services-rows tr[data-code=BHXH] .warn-chip")).to_contain_text("Chưa có quầy nào phục vụ")
    expect(page.locator("#services-rows tr[data-code=HT] .warn-chip")).to_have_count(0)
    services = requests.get(live_server.url + "/api/v1/services", timeout=5).json()["services"]
    added = next(service for service in services if service["code"] == "BHXH")
    assert (added["name"], added["wait_target_s"], added["open"]) == ("Bảo hiểm xã hội", 1200, False)
    assert requests.post(live_server.url + "/api/v1/tickets", json={"service": "BHXH"}, timeout=5).status_code == 409

    page.locator("#counters-rows tr[data-number='8'] select.add-service").select_option("BHXH")
    page.locator("#counters-rows tr[data-number='8'] .save-counter").click()
    expect(page.locator("#services-rows tr[data-code=BHXH] .warn-chip")).to_have_count(0)
    assert requests.post(live_server.url + "/api/v1/tickets", json={"service": "BHXH"}, timeout=5).json()["number"] == "H001"


def test_officer_sees_no_dashboard(live_server, page):
    live_server.start()
    log_in(page, live_server.url + "/dashboard", "canbo1")
    expect(page.locator("body")).to_contain_text("không có quyền")


def test_reports_page_loads_figures_and_offers_exports(live_server, page):
    live_server.start()
    live_server.post("/api/v1/tickets", {"service": "HT"})
    log_in(page, live_server.url + "/reports", "lanhdao")
    expect(page.locator("body")).to_have_attribute("data-loaded", "yes")
    expect(page.locator("#report-table tbody tr")).to_have_count(1)
    cells = page.locator("#report-table tbody tr td")
    assert (cells.nth(0).inner_text(), cells.nth(1).inner_text()) == ("HT", "Đăng ký khai sinh, kết hôn, khai tử")
    expect(page.locator("#report-table tfoot td").first).to_have_text("Tổng cộng")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.select_option("select[name=by]", "officer")
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-table thead th").nth(2)).to_have_text("Số lượt phục vụ")


def test_data_item_fsync_dashboard_shows_a_critical_alert_the_moment_writes_stop(live_server, page, tmp_path):
    """The server with an fsync that starts failing: the open dashboard shows the critical
    alert at the top of its list without a reload (``alert.raised``)."""
    import sys

    from tests.helpers import ROOT
    from tests.test_fail_stop import FAILING_SERVER

    trigger = tmp_path / "disk-dies"
    live_server.command_prefix = [sys.executable, "-c", FAILING_SERVER]
    live_server.start(env={"FAIL_FSYNC_FROM": str(trigger), "PYTHONPATH": str(ROOT)})
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url + "/dashboard", "lanhdao")
    expect(page.locator("body")).to_have_attribute("data-connected", "yes")
    trigger.touch()
    assert live_server.post("/api/v1/tickets", {"service": "HT"}).status_code == 503
    alert = page.locator("#alerts li").first
    expect(alert).to_have_attribute("data-kind", "writes_stopped")
    expect(alert).to_have_class("critical")
    expect(alert).to_contain_text("ngừng ghi dữ liệu")
