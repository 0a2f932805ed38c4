"""The kiosk page in real headless Chromium against a running server (issue 5)."""

import sqlite3

import pytest
import requests
from playwright.sync_api import expect

from tests.helpers import LiveServer, agent_kiosk_config

pytestmark = pytest.mark.browser


def open_kiosk(page, server, path="/kiosk/k1"):
    page.goto(server.url + path)
    page.wait_for_selector("body[data-ready=yes][data-connected=yes]")


def staff_ticket(server, ticket_id):
    headers = server.login("lanhdao")
    return requests.get(f"{server.url}/api/v1/tickets/{ticket_id}", headers=headers, timeout=5).json()


def tap_service(page, field, service):
    page.click(f"[data-field={field}]")
    with page.expect_response(lambda response: response.url.endswith("/api/v1/tickets")) as answer:
        page.click(f"[data-service={service}]")
    return answer.value.json()


def test_tapping_a_field_and_a_service_shows_the_number_that_the_api_reports_waiting(page, live_server):
    live_server.start()
    open_kiosk(page, live_server)
    ticket = tap_service(page, "TP", "HT")
    page.wait_for_selector("#screen-ticket:not([hidden])")
    assert page.inner_text("#ticket-number") == ticket["number"] == "A001"
    stored = staff_ticket(live_server, ticket["id"])
    assert stored["status"] == "waiting" and stored["number"] == "A001" and stored["kiosk"] == "k1"
    page.wait_for_selector("body[data-print=printed]")  # the demo kiosk prints to a file
    assert page.is_visible("#print-done")
    page.click("#ticket-done")
    page.wait_for_selector("#screen-fields:not([hidden])")


def test_tapping_priority_issues_a_priority_ticket(page, live_server):
    live_server.start()
    open_kiosk(page, live_server)
    live_server.post("/api/v1/tickets", {"service": "HT"})
    page.click("#priority-button")
    page.click("[data-reason=elderly]")
    assert page.is_visible("#priority-chosen")
    ticket = tap_service(page, "TP", "HT")
    assert ticket["priority"] is True and ticket["priority_reason"] == "elderly" and ticket["ahead"] == 0
    page.wait_for_selector("#ticket-priority:not([hidden])")
    assert staff_ticket(live_server, ticket["id"])["priority"] is True


def test_the_priority_choice_ends_with_the_ticket_it_was_for(page, live_server):
    live_server.start()
    open_kiosk(page, live_server)
    page.click("#priority-button")
    page.click("[data-reason=pregnant]")
    tap_service(page, "TP", "HT")
    page.wait_for_selector("#screen-ticket:not([hidden])")
    expect(page.locator("#ticket-priority")).to_have_text("Ưu tiên")  # the flag, not the group
    expect(page.locator("#priority-chosen")).to_be_hidden()  # no "Đã chọn ưu tiên / Bỏ chọn" over the ticket
    page.click("#ticket-done")
    page.wait_for_selector("#screen-fields:not([hidden])")
    expect(page.locator("#priority-chosen")).to_be_hidden()  # nor for the next citizen
    assert tap_service(page, "TP", "HT")["priority"] is False


def test_the_demo_home_pages_kiosk_link_opens_a_kiosk_that_prints(page, live_server):
    live_server.start()
    page.goto(live_server.url + "/")
    page.click("text=Kiosk lấy số")
    page.wait_for_selector("body[data-ready=yes][data-connected=yes]")
    assert page.is_hidden("#no-printer-note")
    tap_service(page, "TP", "HT")
    page.wait_for_selector("body[data-print=printed]")  # to the demo's file printer
    assert page.is_visible("#print-done")


def test_a_kiosk_without_an_id_says_it_has_no_printer_and_shows_the_number_to_photograph(page, live_server):
    live_server.start()
    open_kiosk(page, live_server, "/kiosk")
    expect(page.locator("#no-printer-note")).to_have_text(
        "Kiosk này không có máy in: số thứ tự của bạn sẽ hiện trên màn hình để bạn chụp ảnh.")
    ticket = tap_service(page, "TP", "HT")
    page.wait_for_selector("body[data-print=fallback]")
    assert ticket["print_job"] is None and page.is_hidden("#print-progress")
    assert page.inner_text("#ticket-number") == ticket["number"]


def test_a_closed_service_is_shown_with_its_reason_and_cannot_be_taken(page, live_server):
    live_server.start()
    with sqlite3.connect(live_server.db_path) as database:
        database.execute("UPDATE services SET closed_reason = 'Tạm ngừng tiếp nhận do bảo trì hệ thống.' WHERE code = 'CT'")
    open_kiosk(page, live_server)
    page.click("[data-field=TP]")
    tile = page.locator("[data-service=CT]")
    assert tile.is_disabled()
    assert "Tạm ngừng tiếp nhận do bảo trì hệ thống." in tile.inner_text()
    tile.click(force=True)
    assert page.is_visible("#screen-services")
    waiting = {s["code"]: s["waiting"] for s in requests.get(live_server.url + "/api/v1/services", timeout=5).json()["services"]}
    assert waiting["CT"] == 0


def add_services(db_path, count):
    with sqlite3.connect(db_path) as database:
        for index in range(count):
            database.execute(
                "INSERT INTO services (code, prefix, name, field, position) VALUES (?, ?, ?, 'TP', ?)",
                [f"X{index}", f"K{chr(65 + index)}", f"Chứng thực hợp đồng, giao dịch số {index + 1}", 10 + index],
            )


@pytest.mark.parametrize("width, height", [(1080, 1920), (1920, 1080)])
def test_twelve_services_fit_without_scrolling(browser, live_server, width, height):
    live_server.start()
    add_services(live_server.db_path, 9)  # Tư pháp then has 12 services
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    try:
        open_kiosk(page, live_server)
        fits = "() => document.scrollingElement.scrollHeight <= innerHeight && document.scrollingElement.scrollWidth <= innerWidth"
        page.wait_for_function(fits, timeout=5000)  # the settled layout must fit; a busy machine may lay out late
        page.click("[data-field=TP]")
        expect(page.locator("#service-tiles .tile")).to_have_count(12)
        page.wait_for_function(fits, timeout=5000)
        boxes = page.eval_on_selector_all("#service-tiles .tile", "tiles => tiles.map(t => t.getBoundingClientRect().toJSON())")
        assert all(box["height"] >= 80 and box["bottom"] <= height for box in boxes), boxes  # finger-sized, on screen
    finally:
        context.close()


def test_printer_failure_shows_the_number_with_its_qr_code_and_the_out_of_order_banner(page, tmp_path):
    server = LiveServer(tmp_path, config=agent_kiosk_config(tmp_path))  # no agent will connect
    server.start()
    try:
        open_kiosk(page, server)
        ticket = tap_service(page, "TP", "HT")
        page.wait_for_selector("body[data-print=fallback]")
        assert page.inner_text("#ticket-number") == ticket["number"]
        assert "Xin vui lòng chụp ảnh số thứ tự của bạn" in page.inner_text("#fallback")
        assert "📷" not in page.inner_text("body")  # no emoji font on a kiosk: the server's own icon
        icon = page.eval_on_selector(".fallback-title .icon", "icon => getComputedStyle(icon).maskImage")
        assert icon.startswith('url("') and page.request.get(icon[5:-2]).status == 200
        assert page.eval_on_selector(".fallback-title .icon", "icon => icon.getBoundingClientRect().width") > 10
        page.wait_for_function("() => document.getElementById('ticket-qr').naturalWidth > 0")
        assert page.is_visible("#printer-banner")
        assert staff_ticket(server, ticket["id"])["print_status"] == "failed"
        page.reload()
        page.wait_for_selector("body[data-ready=yes]")
        assert page.is_visible("#printer-banner")  # still out of order for the next citizen
    finally:
        server.stop()
