"""The admin's editors for citizen reach (issues 16 and 17) in real Chromium at 1366×768: the
remote-number limits, the appointment slots by weekday, and the notice gateways. Each edit is
seen through the API that uses it; a refused value shows the server's message beside the editor (the forms
do not let the browser refuse first: its bubble would speak the browser's language, not the page's)."""

import time
from datetime import date, timedelta

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.layout import sized_page
from tests.browser.test_dashboard_pages import log_in
from tests.fake_gateway import FakeGateway
from tests.helpers import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(live_server, browser):
    live_server.start()
    with sized_page(browser, 1366, 768) as page:
        log_in(page, live_server.url + "/admin", "admin")
        for form in ("remote-form", "appointments-form", "notify-form"):
            page.wait_for_selector(f"#{form}[data-loaded=yes]")
        yield page


def admin_get(server, path):
    return requests.get(server.url + path, headers=server.login("admin"), timeout=10).json()


def saved(page, form, text="Đã lưu."):
    page.click(f"#{form} button[type=submit]")
    expect(page.locator(f"#{form} .form-message")).to_have_text(text)


def test_remote_limits_per_center_and_service(live_server, admin_page):
    page = admin_page
    form = page.locator("#remote-form")
    form.locator("input[name=per_phone_per_day]").first.fill("2")
    form.locator("input[name=come_when_ahead]").first.fill("8")
    form.locator("input[name=one_time_code]").check()
    lltp = form.locator("#remote-rows tr[data-code=LLTP]")
    lltp.locator("[name=cap_share]").fill("0.5")
    lltp.locator("[name=last_issue]").fill("15:30")
    form.locator("#remote-rows tr[data-code=GPLX] [name=enabled]").select_option("no")
    saved(page, "remote-form")
    remote = admin_get(live_server, "/api/v1/admin/settings")["settings"]["remote"]
    assert (remote["per_phone_per_day"], remote["come_when_ahead"], remote["one_time_code"]) == (2, 8, True)
    assert remote["services"] == {"LLTP": {"cap_share": 0.5, "last_issue": "15:30"}, "GPLX": {"enabled": False}}
    refused = live_server.post("/api/v1/tickets", {"service": "GPLX", "channel": "remote", "phone": "0912 345 678",
                                                   "consent": True})
    assert refused.status_code == 409  # the service takes no remote numbers now

    lltp.locator("[name=cap_share]").fill("2")
    page.click("#remote-form button[type=submit]")
    message = page.locator("#remote-form .form-message")
    expect(message).to_have_text("remote.services.LLTP.cap_share (phần của số tối đa/ngày dành cho lấy từ xa): "
                                 "phải là số từ 0 đến 1.")
    expect(message).to_have_class("notice form-message error")
    assert form.locator("input[name=cap_share]").first.get_attribute("max") == "1"  # the server's own range
    screenshot(page.locator("#remote-section"), "admin-remote.png")


def test_appointment_slots_by_weekday(live_server, admin_page):
    page = admin_page
    form = page.locator("#appointments-form")
    form.locator("[name=horizon_days]").fill("7")
    form.locator("[name=cutoff_min]").fill("30")
    row = form.locator("#slot-rows tr[data-code=LLTP]")
    for _ in range(row.locator(".slot-rule").count()):
        row.locator(".slot-rule .remove-item").first.click()
    row.locator(".add-rule").click()
    rule = row.locator(".slot-rule").first
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        rule.locator(f"[name={day}]").set_checked(True)
    rule.locator("[name=from]").fill("08:00")
    rule.locator("[name=to]").fill("09:00")
    rule.locator("[name=every_min]").fill("30")
    rule.locator("[name=capacity]").fill("3")
    saved(page, "appointments-form")
    stored = admin_get(live_server, "/api/v1/admin/settings")["settings"]["appointments"]
    assert (stored["horizon_days"], stored["cutoff_min"]) == (7, 30)
    assert stored["services"]["LLTP"] == [{"days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                                    "sunday"], "from": "08:00", "to": "09:00", "every_min": 30,
                                           "capacity": 3}]
    day = (date.today() + timedelta(days=3)).isoformat()
    slots = requests.get(f"{live_server.url}/api/v1/appointments/slots?service=LLTP&date={day}", timeout=10).json()["slots"]
    # inside the demo's opening hours (every day): 08:00 and 08:30, three places each
    assert [(slot["start"][11:16], slot["capacity"]) for slot in slots] == [("08:00", 3), ("08:30", 3)]

    rule.locator("[name=every_min]").fill("1")
    page.click("#appointments-form button[type=submit]")
    expect(page.locator("#appointments-form .form-message")).to_contain_text(
        "'every_min' (mỗi bao nhiêu phút một khung) là số nguyên từ 5 đến 1.440")
    screenshot(page.locator("#appointments-section"), "admin-appointments.png")


def test_notice_gateways_are_edited_and_the_secrets_stay_in_the_environment(live_server, admin_page, tmp_path):
    page = admin_page
    form = page.locator("#notify-form")
    timing = form.locator("#gateway-timing")
    for name, shown in (("timeout_s", "10"), ("max_backoff_s", "10"), ("give_up_s", "1800")):  # the defaults
        expect(timing.locator(f"[name={name}]")).to_have_value(shown)
    assert (timing.locator("[name=give_up_s]").get_attribute("min"),
            timing.locator("[name=give_up_s]").get_attribute("max")) == ("1", "604800")  # the server's range
    timing.locator("[name=timeout_s]").fill("4.5")
    timing.locator("[name=max_backoff_s]").fill("20")
    timing.locator("[name=give_up_s]").fill("900")
    expect(page.locator("#sms-secret")).to_have_text("Mã bí mật lấy từ biến môi trường LAYSO_SMS_TOKEN: chưa đặt")
    expect(page.locator("#zns-secret")).to_have_text("Mã bí mật lấy từ biến môi trường LAYSO_ZNS_TOKEN: chưa đặt")
    form.locator("[name=channel]").select_option("sms")
    form.locator("[name='sms.url']").fill("https://sms.example.vn/api/send")
    form.locator("[name='sms.body_format']").select_option("form")
    form.locator("[name='sms.headers']").fill('{"X-Api-Key": "{token}"}')
    form.locator("[name='sms.body']").fill('{"to": "{phone}", "message": "{text}", "ref": "{id}"}')
    form.locator("[name='sms.success_status']").fill("200")
    form.locator("[name='sms.success_path']").fill("CodeResult")
    form.locator("[name='sms.success_value']").fill("100")
    form.locator("[name='zns.fallback_sms']").uncheck()
    form.locator("#notify-texts tr[data-kind=called] [name=zns_template]").fill("231456")
    saved(page, "notify-form")
    view = admin_get(live_server, "/api/v1/admin/notify")
    sms, zns = view["settings"]["sms"], view["settings"]["zns"]
    assert view["channel"] == "sms"
    assert (sms["url"], sms["body_format"], sms["headers"]) == ("https://sms.example.vn/api/send", "form",
                                                                 {"X-Api-Key": "{token}"})
    assert sms["body"] == {"to": "{phone}", "message": "{text}", "ref": "{id}"}
    assert (sms["success_status"], sms["success_path"], sms["success_value"]) == ([200], "CodeResult", "100")
    assert (zns["templates"], zns["fallback_sms"]) == ({"called": "231456"}, False)
    stored = view["settings"]
    assert (stored["timeout_s"], stored["max_backoff_s"], stored["give_up_s"]) == (4.5, 20, 900)
    timing.locator("[name=give_up_s]").fill("0")
    page.click("#notify-form button[type=submit]")
    expect(page.locator("#notify-form .form-message")).to_have_text("Tin nhắn: notify.give_up_s: một số từ 1 đến 604.800.")
    timing.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "admin-gateway-timing.png"))
    print(tmp_path)
    timing.locator("[name=give_up_s]").fill("900")

    form.locator("[name='sms.headers']").fill('["not", "a", "table"]')
    page.click("#notify-form button[type=submit]")
    expect(page.locator("#notify-form .form-message")).to_have_text(
        "Tin nhắn: notify.sms.headers: một bảng tên header = giá trị.")
    page.locator("#sms-gateway").scroll_into_view_if_needed()
    screenshot(page.locator("#notify-section"), "admin-notify.png")


def test_the_gateway_url_and_token_from_the_environment_are_named_not_shown(live_server, browser):
    live_server.start(env={"LAYSO_SMS_URL": "https://gw.example.vn/send", "LAYSO_SMS_TOKEN": "s3cret-token"})
    with sized_page(browser, 1366, 768) as page:
        log_in(page, live_server.url + "/admin", "admin")
        page.wait_for_selector("#notify-form[data-loaded=yes]")
        expect(page.locator("#sms-secret")).to_have_text("Mã bí mật lấy từ biến môi trường LAYSO_SMS_TOKEN: đã đặt")
        url = page.locator("[name='sms.url']")
        expect(url).to_have_value("https://gw.example.vn/send")
        expect(url).to_be_disabled()
        assert "s3cret-token" not in page.content()


def test_the_limits_in_force_are_shown_and_a_number_over_the_edited_limit_is_refused(live_server, admin_page):
    page = admin_page
    form = page.locator("#remote-form")
    center = form.locator(".center-rules")
    # never set in the demo: the defaults of docs/config.md, shown, not empty boxes
    expect(center.locator("[name=cap_share]")).to_have_value("0.3")
    expect(center.locator("[name=code_ttl_s]")).to_have_value("300")
    expect(form.locator("#remote-rows tr[data-code=HT] [name=per_phone_per_day]")).to_have_attribute("placeholder", "1")
    center.locator("[name=per_phone_per_day]").fill("2")
    saved(page, "remote-form")
    expect(form.locator("#remote-rows tr[data-code=HT] [name=per_phone_per_day]")).to_have_attribute("placeholder", "2")
    phone = {"service": "HT", "channel": "remote", "phone": "0912 345 678", "consent": True}
    assert [live_server.post("/api/v1/tickets", phone).status_code for _ in range(3)] == [201, 201, 429]
    refused = live_server.post("/api/v1/tickets", phone).json()
    assert refused["message"] == "Mỗi số điện thoại chỉ được lấy 2 số từ xa mỗi ngày cho dịch vụ này."


def test_a_notice_goes_to_the_gateway_in_the_shape_set_on_the_screen(live_server, browser):
    gateway = FakeGateway()
    try:
        live_server.start(env={"LAYSO_SMS_TOKEN": "tok-123"})
        with sized_page(browser, 1366, 768) as page:
            log_in(page, live_server.url + "/admin", "admin")
            page.wait_for_selector("#notify-form[data-loaded=yes]")
            form = page.locator("#notify-form")
            form.locator("[name=channel]").select_option("sms")
            form.locator("[name='sms.url']").fill(gateway.url + "/send")
            form.locator("[name='sms.body_format']").select_option("form")
            form.locator("[name='sms.phone_format']").select_option("0")
            form.locator("[name='sms.headers']").fill('{"X-Api-Key": "{token}"}')
            form.locator("[name='sms.body']").fill('{"to": "{phone}", "msg": "{text}", "ref": "{id}", "brand": "TTHCC"}')
            form.locator("[name='sms.success_status']").fill("200")
            form.locator("[name='sms.success_path']").fill("error")
            form.locator("[name='sms.success_value']").fill("0")
            saved(page, "notify-form")
            assert "tok-123" not in page.content()
        answer = live_server.post("/api/v1/tickets", {"service": "HT", "channel": "remote", "phone": "0912 345 678",
                                                      "consent": True})
        assert answer.status_code == 201
        sent = gateway.wait_for_requests(1)[0]
        assert (sent["method"], sent["path"], sent["headers"]["x-api-key"]) == ("POST", "/send", "tok-123")
        assert "form-urlencoded" in sent["headers"]["content-type"]
        assert (sent["body"]["to"], sent["body"]["brand"]) == ("0912345678", "TTHCC") and sent["body"]["ref"]
        assert sent["body"]["msg"].startswith("Số A001")
        manager = live_server.login("lanhdao")
        deadline = time.monotonic() + 30  # the gateway's {"error": 0} matches the success rule: the notice is sent
        while requests.get(live_server.url + "/api/v1/notices", headers=manager, timeout=10).json()["counts"].get("sent") != 1:
            assert time.monotonic() < deadline, "the notice was not marked sent"
            time.sleep(0.1)
    finally:
        gateway.close()


def test_n_people_ahead_per_service_follows_the_center_where_left_empty(live_server, admin_page, tmp_path):
    page = admin_page
    form = page.locator("#notify-form")
    center = form.locator("[name=near_ahead]")
    expect(center).to_have_value("3")  # the documented default
    ht = form.locator("#near-rows tr[data-code=HT] input")
    gplx = form.locator("#near-rows tr[data-code=GPLX] input")
    expect(gplx).to_have_value("")
    expect(gplx).to_have_attribute("placeholder", "3")  # shown greyed: the center value it follows
    center.fill("4")
    expect(gplx).to_have_attribute("placeholder", "4")  # while typing, before saving
    ht.fill("6")
    saved(page, "notify-form")
    stored = admin_get(live_server, "/api/v1/admin/notify")["settings"]
    assert (stored["near_ahead"], stored["near_ahead_by_service"]) == (4, {"HT": 6})
    expect(gplx).to_have_attribute("placeholder", "4")
    low, high = ht.get_attribute("min"), ht.get_attribute("max")
    assert (low, high) == (center.get_attribute("min"), center.get_attribute("max")) == ("1", "50")  # the server's range

    ht.fill("51")
    page.click("#notify-form button[type=submit]")
    expect(page.locator("#notify-form .form-message")).to_have_text(
        "Tin nhắn: notify.near_ahead_by_service.HT: một số nguyên từ 1 đến 50.")
    page.locator("#near-ahead").scroll_into_view_if_needed()
    page.locator("#near-ahead").screenshot(path=str(tmp_path / "admin-near-ahead.png"))
    page.screenshot(path=str(tmp_path / "admin-near-ahead-page.png"))
    print(tmp_path)
