"""The hub's admin screen in real Chromium at 1366×768 (docs/hub.md, "Hub administration"):
an admin registers a center and sees its token once, gives a center a new token, deactivates
one, adds an account and resets a password; an account with a temporary password chooses its
own at its first login, then sees the dashboard."""

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.layout import layout_problems, sized_page, small_targets
from tests.province_hub import HubServer

pytestmark = pytest.mark.browser


@pytest.fixture
def hub(tmp_path, hub_database_url, redis_server):
    server = HubServer(tmp_path, hub_database_url, redis_server.url).start()
    yield server
    server.stop()


def log_in(page, url, path, username, password):
    page.goto(url + path)
    page.fill("#login-form input[name=username]", username)
    page.fill("#login-form input[name=password]", password)
    page.click("#login-form button[type=submit]")


def cursor(hub, token):
    return requests.get(hub.url + "/api/v1/hub/cursor", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_an_admin_registers_a_center_rotates_a_token_and_manages_accounts(hub, browser, tmp_path):
    with sized_page(browser, 1366, 768) as page:
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(hub.url + "/province/admin")
        assert small_targets(page) == []
        log_in(page, hub.url, "/province/admin", "admin", "demo")
        expect(page.locator("#admin-centers tr[data-center]")).to_have_count(3)
        expect(page.locator("tr[data-center='demo-1'] .status")).to_have_text("Mất kết nối")

        page.fill("#center-form input[name=code]", "xa-phu-vinh")
        page.fill("#center-form input[name=name]", "Trung tâm Phục vụ hành chính công xã Phú Vinh")
        page.click("#center-form button[type=submit]")
        expect(page.locator("#secret")).to_be_visible()
        token = page.locator("#secret-value").inner_text().removeprefix("LAYSO_HUB_TOKEN=")
        assert cursor(hub, token).json() == {"center": "xa-phu-vinh", "acked": 0}
        expect(page.locator("#admin-centers tr[data-center]")).to_have_count(4)

        page.click("tr[data-center='demo-1'] button.new-token")
        expect(page.locator("#secret-title")).to_contain_text("demo-1")
        assert cursor(hub, "demo-hub-token-1").status_code == 401
        assert cursor(hub, page.locator("#secret-value").inner_text().removeprefix("LAYSO_HUB_TOKEN=")).status_code == 200

        page.click("tr[data-center='demo-3'] button.toggle")
        expect(page.locator("tr[data-center='demo-3'] .status")).to_have_text("Ngừng hoạt động")
        expect(page.locator("tr[data-center='demo-3'] button.toggle")).to_have_text("Hoạt động lại")
        assert cursor(hub, "demo-hub-token-3").status_code == 401

        page.fill("#account-form input[name=username]", "lan.nguyen")
        page.fill("#account-form input[name=name]", "Nguyễn Thị Lan")
        page.select_option("#account-form select[name=role]", "province_manager")
        page.fill("#account-form input[name=password]", "Thu-Thiem-2026-xanh")
        page.click("#account-form button[type=submit]")
        expect(page.locator("tr[data-username='lan.nguyen'] .status")).to_have_text("Chờ đổi mật khẩu tạm")

        page.click("tr[data-username='tinh'] button.reset-password")
        expect(page.locator("#secret-title")).to_contain_text("tinh")
        assert len(page.locator("#secret-value").inner_text()) >= 10

        bad = page.locator("#center-form")
        page.fill("#center-form input[name=code]", "demo-2")
        page.fill("#center-form input[name=name]", "Trùng mã")
        bad.locator("button[type=submit]").click()
        expect(page.locator("#admin-error")).to_have_text("Mã trung tâm này đã được đăng ký.")

        audit = page.locator("#admin-audit tbody tr")  # newest first; the refused registration left none
        expect(audit).to_have_count(5)
        assert [row.get_attribute("data-action") for row in audit.all()] == [
            "account.password_reset", "account.added", "center.deactivated", "center.token_rotated",
            "center.registered"]
        expect(audit.nth(1).locator(".action")).to_have_text("Thêm tài khoản")
        expect(audit.nth(1).locator(".actor")).to_have_text("admin")
        expect(audit.nth(1).locator(".detail")).to_have_text("Nguyễn Thị Lan, Lãnh đạo tỉnh")
        assert "LAYSO_HUB_TOKEN" not in page.locator("#admin-audit").inner_text()

        assert layout_problems(page, scrolls=True) == []
        assert small_targets(page) == []
        page.screenshot(path=str(tmp_path / "province-admin.png"), full_page=True)


def test_a_province_manager_cannot_use_the_admin_screen(hub, page):
    log_in(page, hub.url, "/province/admin", "tinh", "demo")
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#admin-view")).to_be_hidden()


def test_a_temporary_password_is_changed_at_the_first_login(hub, browser, tmp_path):
    admin = requests.post(hub.url + "/api/v1/auth/login", json={"username": "admin", "password": "demo"}, timeout=10)
    added = requests.post(hub.url + "/api/v1/admin/accounts", headers={"Authorization": f"Bearer {admin.json()['token']}"},
                          json={"username": "lan.nguyen", "name": "Nguyễn Thị Lan", "role": "province_manager",
                                "password": "Thu-Thiem-2026-xanh"}, timeout=10)
    assert added.status_code == 201
    with sized_page(browser, 1366, 768) as page:
        log_in(page, hub.url, "/province", "lan.nguyen", "Thu-Thiem-2026-xanh")
        expect(page.locator("#password-form")).to_be_visible()
        page.fill("#password-form input[name=new_password]", "123")
        page.click("#password-form button[type=submit]")
        expect(page.locator("#password-error")).to_be_visible()
        assert layout_problems(page, scrolls=True) == []
        page.screenshot(path=str(tmp_path / "province-password.png"))
        page.fill("#password-form input[name=new_password]", "Song-Huong-chay-mai")
        page.click("#password-form button[type=submit]")
        expect(page.locator("tr[data-center]")).to_have_count(3)
        expect(page.locator("body")).to_have_attribute("data-connected", "yes")
        page.reload()  # the token of this tab still works after the change
        expect(page.locator("tr[data-center]")).to_have_count(3)


@pytest.mark.parametrize("lang, admin_words, dashboard_words", [
    ("vi", "Quản trị trung tâm dữ liệu tỉnh", "Trung tâm điều hành cấp tỉnh"),
    ("en", "Province hub administration", "Province operations view"),
])
def test_an_admin_goes_from_the_dashboard_to_the_admin_screen_and_back(hub, browser, tmp_path, lang, admin_words,
                                                                       dashboard_words):
    with sized_page(browser, 1366, 768) as page:
        page.goto(hub.url + f"/province?lang={lang}")
        expect(page.locator("#admin-link")).to_be_hidden()  # before the login, nobody sees it
        log_in(page, hub.url, f"/province?lang={lang}", "admin", "demo")
        expect(page.locator("tr[data-center]")).to_have_count(3)
        link = page.locator("#admin-link")
        expect(link).to_have_text(admin_words)
        assert layout_problems(page, scrolls=True) == [] and small_targets(page) == []
        page.screenshot(path=str(tmp_path / f"province-admin-link-{lang}.png"))
        link.click()
        expect(page).to_have_url(hub.url + "/province/admin")
        expect(page.locator("#admin-centers tr[data-center]")).to_have_count(3)  # the tab's login holds
        back = page.get_by_role("link", name=dashboard_words)
        back.click()
        expect(page).to_have_url(hub.url + "/province")
        expect(page.locator("tr[data-center]")).to_have_count(3)
        expect(page.locator("#admin-link")).to_be_visible()  # after a reload of the page too
        page.click("#logout")
        expect(page.locator("#admin-link")).to_be_hidden()


def test_a_province_manager_sees_no_link_to_the_admin_screen(hub, page):
    log_in(page, hub.url, "/province", "tinh", "demo")
    expect(page.locator("tr[data-center]")).to_have_count(3)
    expect(page.locator("#admin-link")).to_be_hidden()
