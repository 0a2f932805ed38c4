"""Appointments in real headless Chromium (issue 16, "What must be shown"): book a slot on a
390 × 844 phone, see it on the manage page, cancel it; check in at the kiosk by typing the
code; the staff list. The demo books every 15 minutes with a 5-minute cut-off, so the first
free slot is at most 20 minutes away and its check-in (from 30 minutes before) is open. The
check-in tests start the demo's clock at 09:30 of the center's day: a run at night (in Vietnam)
checks in too, instead of finding the day's last slot gone."""

import pytest
import requests
from playwright.sync_api import expect

from layso import clock
from layso.settings import Settings
from tests.browser.layout import layout_problems, sized_page, small_targets

pytestmark = pytest.mark.browser


def start_in_office_hours(server):
    server.start(env={"LAYSO_CLOCK_START": "09:30"})


def first_free_slot(server, service):
    """The first slot with a place, and whether it is on the center's today."""
    today = clock.local_day(clock.now(Settings.timezone))
    for day in requests.get(server.url + "/api/v1/appointments/days", params={"service": service}, timeout=10).json()["days"]:
        if day["available"]:
            slots = requests.get(server.url + "/api/v1/appointments/slots", params={"service": service, "date": day["date"]},
                                 timeout=10).json()["slots"]
            return next(slot for slot in slots if slot["available"]), day["date"] == today
    raise AssertionError("no free slot in the demo")


def look(page, tmp_path, name):
    """A screenshot to look at (kept under the test's tmp_path), and nothing that does not fit."""
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert layout_problems(page, scrolls=True) == [], name
    assert small_targets(page) == [], name


def test_book_a_slot_on_a_phone_see_it_and_cancel_it(browser, live_server, tmp_path):
    live_server.start()
    with sized_page(browser, 390, 844) as page:
        page.goto(live_server.url + "/dat-lich")
        look(page, tmp_path, "1-services")
        page.click("[data-service=HT]")
        page.click(".day-choice:not([disabled])")
        page.click(".slot-choice:not([disabled])")
        chosen = page.get_attribute(".slot-choice[aria-pressed=true]", "data-start")
        page.fill("#phone", "0912.345.678")
        page.click("#submit")
        expect(page.locator("#error")).to_have_text("Xin đánh dấu ô đồng ý để đặt lịch.")  # consent first
        look(page, tmp_path, "2-details")
        page.check("#consent")
        page.click("#submit")
        page.wait_for_url("**/dat-lich/*")
        expect(page.locator("#status")).to_have_text("Đã đặt lịch")
        expect(page.locator("#time")).to_contain_text(chosen[11:16])
        code = page.url.rsplit("/", 1)[1]
        expect(page.locator("#code")).to_have_text(f"{code[:4]}-{code[4:8]}-{code[8:]}")
        assert "0912" not in page.content() and "678" not in page.locator("main").inner_text()  # never the phone
        look(page, tmp_path, "3-manage")
        page.click("#cancel")
        page.click("#cancel-yes")
        expect(page.locator("#status")).to_have_text("Đã hủy")
        look(page, tmp_path, "4-cancelled")
    assert requests.get(f"{live_server.url}/api/v1/appointments/{code}", timeout=10).json()["status"] == "cancelled"


def test_move_a_booking_to_another_day(browser, live_server):
    live_server.start()
    slot, _ = first_free_slot(live_server, "CT")
    booked = live_server.post("/api/v1/appointments", {"service": "CT", "start": slot["start"], "phone": "0987654321"}).json()
    with sized_page(browser, 390, 844) as page:
        page.goto(booked["manage_url"])
        page.click("#reschedule")
        page.locator(".day-choice:not([disabled])").nth(1).click()  # the next day with places
        new_day = page.get_attribute(".day-choice[aria-pressed=true]", "data-date")
        page.locator(".slot-choice:not([disabled])").first.click()
        expect(page.locator("#date")).to_contain_text(f"{new_day[8:10]}/{new_day[5:7]}/{new_day[:4]}")
    moved = requests.get(f"{live_server.url}/api/v1/appointments/{booked['code']}", timeout=10).json()
    assert moved["start"][:10] == new_day and moved["status"] == "booked"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_check_in_at_the_kiosk_by_typing_the_code(browser, live_server, tmp_path, size):
    start_in_office_hours(live_server)
    slot, today = first_free_slot(live_server, "HT")
    assert today, slot
    booked = live_server.post("/api/v1/appointments", {"service": "HT", "start": slot["start"], "phone": "0912345678"}).json()
    with sized_page(browser, *size) as page:
        page.goto(live_server.url + "/kiosk")
        page.wait_for_selector("body[data-ready=yes][data-connected=yes]")
        page.click("#appointment-button")
        expect(page.locator("#checkin-code")).to_be_focused()  # a USB scanner types into it at once
        page.keyboard.type(booked["code_shown"].lower())
        page.screenshot(path=str(tmp_path / "kiosk-code.png"))
        assert layout_problems(page) == []
        page.keyboard.press("Enter")
        expect(page.locator("#ticket-number")).to_have_text("A001")
        page.screenshot(path=str(tmp_path / "kiosk-ticket.png"))
    staff = requests.get(live_server.url + "/api/v1/appointments", headers=live_server.login("canbo1"),
                         params={"date": slot["start"][:10]}, timeout=10).json()["appointments"]
    assert [(item["status"], item["ticket"]["number"], item["ticket"]["channel"]) for item in staff] == [
        ("checked_in", "A001", "appointment")]


def test_a_scanned_link_and_a_wrong_code_at_the_kiosk(browser, live_server):
    start_in_office_hours(live_server)
    slot, today = first_free_slot(live_server, "CT")
    assert today, slot
    booked = live_server.post("/api/v1/appointments", {"service": "CT", "start": slot["start"], "phone": "0912345678"}).json()
    with sized_page(browser, 1920, 1080) as page:
        page.goto(live_server.url + "/kiosk")
        page.wait_for_selector("body[data-ready=yes]")
        page.click("#appointment-button")
        page.keyboard.type("ZZZZ-ZZZZ-ZZZZZ\n")
        expect(page.locator("#error-message")).to_have_text("Không tìm thấy lịch hẹn này. Xin kiểm tra lại mã đặt lịch.")
        expect(page.locator("#error-normal")).to_be_visible()  # a normal number instead
        page.click("#error-close")
        page.keyboard.type(booked["manage_url"] + "\n")  # a scanner reading the QR code types the link
        expect(page.locator("#ticket-number")).to_have_text("C001")


def test_the_staff_list_of_the_day(browser, live_server):
    live_server.start()
    slot, _ = first_free_slot(live_server, "GCN")
    live_server.post("/api/v1/appointments", {"service": "GCN", "start": slot["start"], "phone": "0912345678",
                                              "name": "Nguyễn Thị Hoa"}).raise_for_status()
    with sized_page(browser, 1366, 768) as page:
        page.goto(live_server.url + f"/lich-hen")
        page.fill("input[name=username]", "canbo4")
        page.fill("input[name=password]", "demo")
        page.keyboard.press("Enter")
        page.fill("input[name=date]", slot["start"][:10])
        page.click("#appointments-form button[type=submit]")
        row = page.locator("#appointments-table tbody tr").first
        expect(row).to_contain_text("Nguyễn Thị Hoa")
        expect(row).to_contain_text("09xx xxx 678")
        assert layout_problems(page, scrolls=True) == []
