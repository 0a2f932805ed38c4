"""Issue 14, security item 3 in real Chromium: an officer whose password came from the config
file logs in at the console, is taken to the change-password form, and comes back to the
console once the new password is set; a weak one is refused with the server's reason."""

import pytest
from playwright.sync_api import expect

from tests.helpers import ROOT, LiveServer, NEW_PASSWORD

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000


@pytest.fixture
def real_center(tmp_path):
    server = LiveServer(tmp_path, demo=False, config=ROOT / "tests/data/center.toml").start()
    yield server
    server.stop()


def test_item_3_first_login_at_the_console_goes_through_the_change_password_form(browser, real_center):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.goto(real_center.url + "/counter")
    page.fill("input[name=username]", "an")
    page.fill("input[name=password]", "an-password-1")
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/password?next=%2Fcounter", timeout=TIMEOUT_MS)
    expect(page.locator(".notice")).to_be_visible()

    page.fill("input[name=old_password]", "an-password-1")
    page.fill("input[name=new_password]", "matkhau@2026")
    page.fill("input[name=repeat_password]", "matkhau@2026")
    page.click("#password-form button[type=submit]")
    expect(page.locator("#password-error")).to_contain_text("phổ biến")

    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=repeat_password]", NEW_PASSWORD)
    page.click("#password-form button[type=submit]")
    page.wait_for_url("**/counter", timeout=TIMEOUT_MS)
    expect(page.locator(".counter-card[data-counter='1']")).to_be_visible(timeout=TIMEOUT_MS)
    context.close()
