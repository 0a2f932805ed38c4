"""The admin's editors (rating levels and reasons, the week of opening hours and holidays,
a counter's services in preference order) in real Chromium: what they save, and the
server's message shown beside the editor when it refuses."""

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.test_dashboard_pages import log_in

pytestmark = pytest.mark.browser


def admin_get(server, path):
    return requests.get(server.url + path, headers=server.login("admin"), timeout=5).json()


@pytest.fixture
def admin_page(live_server, page):
    live_server.start()
    log_in(page, live_server.url + "/admin", "admin")
    page.wait_for_selector("body[data-loaded=yes]")
    return page


def test_rating_levels_are_added_renamed_reordered_and_reasons_listed(live_server, admin_page):
    page = admin_page
    levels = page.locator("#level-rows tr")
    expect(levels).to_have_count(3)
    levels.nth(1).locator("[name=label]").fill("Hài lòng (khá)")
    page.click("#add-level")
    new = levels.nth(3)
    new.locator("[name=label]").fill("Bình thường")
    new.locator("[name=satisfied]").check()
    new.locator("[name=points]").fill("1")
    new.locator(".move-up").click()  # before "Không hài lòng"
    page.click("#add-reason")
    page.locator("#reason-rows tr").last.locator("[name=label]").fill("Phòng chờ quá nóng")
    page.click("#rating-form button[type=submit]")
    expect(page.locator("#rating-form .form-message")).to_have_text("Đã lưu.")
    stored = requests.get(live_server.url + "/api/v1/ratings/levels", timeout=5).json()
    assert [(level["id"], level["label"]) for level in stored["levels"]] == [
        ("very_satisfied", "Rất hài lòng"), ("satisfied", "Hài lòng (khá)"), ("binh_thuong", "Bình thường"),
        ("not_satisfied", "Không hài lòng")]
    assert stored["reasons"][-1] == {"id": "phong_cho_qua_nong", "label": "Phòng chờ quá nóng"}

    levels.nth(2).locator("[name=label]").fill("")
    page.click("#rating-form button[type=submit]")
    message = page.locator("#rating-form .form-message")
    expect(message).to_have_text("Mức đánh giá: mức thứ 3 cần có tên.")
    expect(message).to_have_class("notice form-message error")
    expect(levels).to_have_count(4)  # nothing typed is lost


def test_opening_hours_week_grid_and_holiday_list(live_server, admin_page):
    page = admin_page
    # Every time of day on the page is on the 24-hour clock, whatever the browser's locale
    # (an <input type=time> showed "05:30 PM"); a span ending at midnight shows 24:00.
    expect(page.locator("input[type=time]")).to_have_count(0)
    expect(page.locator("#week-rows tr[data-day=sunday] [name=end]")).to_have_value("24:00")
    monday = page.locator("#week-rows tr[data-day=monday]")
    for _ in range(monday.locator("li.span").count()):
        monday.locator("li.span .remove-item").first.click()
    monday.locator(".add-span").click()
    monday.locator("[name=start]").fill("08:00")
    monday.locator("[name=end]").fill("17:30")
    page.fill("#holiday-date", "2026-12-25")
    page.click("#add-holiday")
    expect(page.locator("#holiday-list li")).to_have_text(["25/12/2026 ✕"])
    page.click("#hours-form button[type=submit]")
    expect(page.locator("#hours-form .form-message")).to_have_text("Đã lưu.")
    hours = admin_get(live_server, "/api/v1/admin/settings")["settings"]["hours"]
    assert (hours["monday"], hours["holidays"], hours["sunday"]) == (["08:00-17:30"], ["2026-12-25"], ["00:00-24:00"])
    page.reload()
    page.wait_for_selector("body[data-loaded=yes]")
    expect(monday.locator("[name=end]")).to_have_value("17:30")

    monday.locator(".add-span").click()
    monday.locator("li.span").nth(1).locator("[name=start]").fill("11:00")
    monday.locator("li.span").nth(1).locator("[name=end]").fill("18:00")
    page.click("#hours-form button[type=submit]")
    expect(page.locator("#hours-form .form-message")).to_have_text(
        "Giờ làm việc: Thứ Hai: 08:00-17:30 và 11:00-18:00 chồng lên nhau.")
    monday.locator("li.span").nth(1).locator("[name=start]").fill("8 giờ")  # typed freely: the server says how
    page.click("#hours-form button[type=submit]")
    expect(page.locator("#hours-form .form-message")).to_contain_text("Thứ Hai")


def test_counter_services_in_preference_order(live_server, admin_page):
    page = admin_page
    row = page.locator("#counters-rows tr[data-number='1']")
    expect(row.locator("[data-services] li")).to_have_count(2)  # HT, CT in the demo
    row.locator("[data-services] li[data-code=CT] .move-up").click()
    row.locator(".add-service").select_option("LLTP")
    row.locator(".save-counter").click()
    expect(page.locator("#counters-section .form-message")).to_have_text("Đã lưu.")
    counters = admin_get(live_server, "/api/v1/admin/counters")["counters"]
    assert next(c for c in counters if c["number"] == 1)["services"] == ["CT", "HT", "LLTP"]

    row = page.locator("#counters-rows tr[data-number='1']")
    for _ in range(3):
        row.locator("[data-services] li .remove-item").first.click()
    row.locator(".save-counter").click()
    expect(page.locator("#counters-section .form-message")).to_have_text("Quầy phải phục vụ ít nhất một dịch vụ.")
