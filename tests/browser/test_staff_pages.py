"""Staff pages (dashboard, reports, admin): logout, the language switch, English mode, and
the admin's words for roles, device kinds, audit actions and dates."""

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.test_dashboard_pages import log_in

pytestmark = pytest.mark.browser
VIETNAMESE_LETTERS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
# Words of the page itself (not data such as service or officer names).
PAGE_WORDS = "nav a, #logout, th, label, button, .card h2, .tile .label, option, #alerts li.info, .notice"
# Not words of the page: the center's own names of its fields and services (.service-name), data it has only in Vietnamese.
OWN_TEXT = """nodes => nodes.filter((node) => !node.closest("#field-select") && !node.matches(".service-name") && !(node.closest(".add-service") && node.value)).map((node) =>
  Array.from(node.childNodes).filter((child) => child.nodeType === Node.TEXT_NODE || child.tagName === "SPAN")
    .map((child) => child.textContent).join(" ").trim())"""


def page_words(page, skip=()) -> list[str]:
    """The page's own words: labels without the options of their selects, and not the
    fields' names (data)."""
    return [text for text in page.eval_on_selector_all(PAGE_WORDS, OWN_TEXT) if text and text not in skip]


def level_labels(server) -> set[str]:
    levels = requests.get(server.url + "/api/v1/ratings/levels", timeout=5).json()["levels"]
    return {level["label"] for level in levels}


@pytest.mark.parametrize("path, user, ready", [
    ("/dashboard", "lanhdao", "#counters .counter-card"),
    ("/reports", "lanhdao", "body[data-loaded=yes]"),
    ("/admin", "admin", "body[data-loaded=yes]"),
])
def test_staff_page_switches_to_english_and_back(live_server, page, path, user, ready):
    live_server.start()
    live_server.post("/api/v1/tickets", {"service": "HT"})
    log_in(page, live_server.url + path, user)
    page.wait_for_selector(ready)
    assert page.locator("#language-switch").inner_text() == "English"
    page.click("#language-switch")
    page.wait_for_selector(ready)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("#logout")).to_have_text("Log out")
    skip = level_labels(live_server) | {"Tiếng Việt"}
    vietnamese = [text for text in page_words(page, skip) if VIETNAMESE_LETTERS.search(text)]
    assert vietnamese == [], f"Vietnamese words left on the English {path}: {vietnamese}"
    page.click("#language-switch")
    page.wait_for_selector(ready)
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.locator("#logout")).to_have_text("Đăng xuất")


def test_logout_from_a_staff_page_ends_the_session(live_server, page):
    live_server.start()
    log_in(page, live_server.url + "/reports", "lanhdao")
    page.wait_for_selector("body[data-loaded=yes]")
    page.click("#logout")
    expect(page.locator("#login-form")).to_be_visible()
    page.goto(live_server.url + "/dashboard")
    expect(page.locator("#login-form")).to_be_visible()


def test_admin_shows_words_for_roles_kinds_actions_and_readable_dates(live_server, page):
    live_server.start()
    log_in(page, live_server.url + "/admin", "admin")
    page.wait_for_selector("body[data-loaded=yes]")
    form = page.locator("#service-form")
    form.locator("[name=code]").fill("BHXH")
    form.locator("[name=prefix]").fill("H")
    form.locator("[name=name]").fill("Bảo hiểm xã hội")
    form.locator("button[type=submit]").click()
    expect(page.locator("#audit-rows tr").first.locator(".action")).to_have_text("Thêm dịch vụ")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", page.locator("#audit-rows tr").first.locator(".at").inner_text())
    roles = page.locator("#officers-rows tr[data-username=canbo1] select[name=role] option")
    assert roles.all_inner_texts() == ["Cán bộ", "Lãnh đạo", "Quản trị viên"]
    assert page.locator("#officers-rows tr[data-username=canbo1] select[name=role]").input_value() == "officer"
    kinds = set(page.locator("#devices-rows .kind").all_inner_texts())
    assert kinds <= {"Máy tính bảng", "Kiosk", "Màn hình"} and "Máy tính bảng" in kinds
    text = page.locator("main").inner_text()
    for raw in ("service.create", "officer", "manager"):
        assert not re.search(rf"\b{re.escape(raw)}\b", text), raw
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", text), "an ISO timestamp is shown"
