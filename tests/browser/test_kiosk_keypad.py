"""The kiosk without a keyboard (issues 16 and 17): a citizen checks in by tapping the booking
code on the on-screen keypad, or by tapping the phone number and choosing the service, and
looks up a dossier by tapping its code; the server's messages show as it words them."""

import pytest
import requests
from playwright.sync_api import expect

from layso.notify.dossiers import CODE_KEYS
from layso.queue.appointments import CODE_ALPHABET
from tests.browser.layout import layout_problems, sized_page, small_targets
from tests.browser.test_booking import first_free_slot, start_in_office_hours
from tests.helpers import screenshot

pytestmark = pytest.mark.browser


def booking_today(server, service, phone="0912345678"):
    slot, today = first_free_slot(server, service)
    assert today, slot  # the test started the server with start_in_office_hours
    answer = server.post("/api/v1/appointments", {"service": service, "start": slot["start"], "phone": phone})
    assert answer.status_code == 201, answer.text
    return answer.json()


def tap(page, keypad, text):
    for char in text:
        page.click(f"#{keypad} [data-key='{char}']")


def open_kiosk(page, url):
    page.goto(url)
    page.wait_for_selector("body[data-ready=yes][data-connected=yes]")


def test_the_keypads_hold_the_servers_characters(browser, live_server):
    live_server.start()
    with sized_page(browser, 1920, 1080) as page:
        open_kiosk(page, live_server.url + "/kiosk")
        keys = {keypad: "".join(page.eval_on_selector_all(f"#{keypad} .key:not(.key-back)", "keys => keys.map(k => k.dataset.key)"))
                for keypad in ("checkin-keypad", "phone-keypad", "dossier-keypad")}
    assert keys == {"checkin-keypad": CODE_ALPHABET, "phone-keypad": "1234567890", "dossier-keypad": CODE_KEYS}


@pytest.mark.parametrize("size", [(1920, 1080), (768, 1366)])
def test_check_in_by_tapping_the_code_on_the_keypad(browser, live_server, size):
    start_in_office_hours(live_server)
    booked = booking_today(live_server, "HT")
    with sized_page(browser, *size) as page:
        open_kiosk(page, live_server.url + "/kiosk")
        page.click("#appointment-button")
        tap(page, "checkin-keypad", booked["code"][:5] + "Z")
        expect(page.locator("#checkin-code")).to_have_value(f"{booked['code'][:4]}-{booked['code'][4]}Z")  # in groups
        page.click("#checkin-keypad [data-key=back]")  # ⌫ takes the mistake back
        tap(page, "checkin-keypad", booked["code"][5:] + "ZZZ")  # keys past the code's length do nothing
        expect(page.locator("#checkin-code")).to_have_value(booked["code_shown"])
        expect(page.locator("#checkin-code")).to_be_focused()  # a scanner could still type at any time
        assert layout_problems(page) == [] and small_targets(page) == []
        if size == (1920, 1080):
            screenshot(page, "kiosk-check-in.png")
        page.click("#checkin-submit")
        expect(page.locator("#ticket-number")).to_have_text("A001")
    assert requests.get(f"{live_server.url}/api/v1/appointments/{booked['code']}", timeout=10).json()["status"] == "checked_in"


def test_clear_empties_the_code_and_a_scanner_still_types_it(browser, live_server):
    start_in_office_hours(live_server)
    booked = booking_today(live_server, "CT")
    with sized_page(browser, 1366, 768) as page:
        open_kiosk(page, live_server.url + "/kiosk")
        page.click("#appointment-button")
        tap(page, "checkin-keypad", "ABC")
        page.click("#checkin-clear")
        expect(page.locator("#checkin-code")).to_have_value("")
        page.keyboard.type(booked["manage_url"] + "\n")  # a USB scanner reading the QR code: the link, then Enter
        expect(page.locator("#ticket-number")).to_have_text("C001")


def test_check_in_by_phone_number_and_service(browser, live_server, tmp_path):
    start_in_office_hours(live_server)
    booking_today(live_server, "CT", phone="0987654321")
    with sized_page(browser, 1366, 768) as page:
        open_kiosk(page, live_server.url + "/kiosk")
        page.click("#appointment-button")
        page.click("#checkin-by-phone")
        expect(page.locator("#checkin-phone")).to_be_focused()
        tap(page, "phone-keypad", "0987654321")
        assert layout_problems(page) == [] and small_targets(page) == []
        page.screenshot(path=str(tmp_path / "phone.png"))
        page.click("#phone-next")
        # The wrong service first: the server's words, and a normal number offered.
        page.click("#booked-service-tiles [data-service=HT]")
        expect(page.locator("#error-message")).to_have_text(
            "Không có lịch hẹn nào của số điện thoại này cho dịch vụ này vào giờ này.")
        expect(page.locator("#error-normal")).to_be_visible()
        page.click("#error-close")
        expect(page.locator("#screen-phone-service")).to_be_visible()  # the citizen chooses again
        page.click("#booked-service-tiles [data-service=CT]")
        expect(page.locator("#ticket-number")).to_have_text("C001")


def test_a_phone_number_that_is_not_one_is_refused_in_english_too(browser, live_server):
    live_server.start()
    with sized_page(browser, 1366, 768) as page:
        open_kiosk(page, live_server.url + "/kiosk?lang=en")
        page.click("#appointment-button")
        page.click("#checkin-by-phone")
        tap(page, "phone-keypad", "12345")
        page.click("#phone-next")
        expect(page.locator("#prompt")).to_have_text("Choose the service you booked")
        page.click("#booked-service-tiles [data-service=HT]")
        answer = requests.post(live_server.url + "/api/v1/appointments/check-in", json={"phone": "12345", "service": "HT"},
                               headers={"Accept-Language": "en"}, timeout=10)
        assert answer.status_code == 400
        expect(page.locator("#error-message")).to_have_text(answer.json()["message"])  # as the server words it
        page.click("#error-close")
        page.click("#screen-phone-service [data-back=phone]")
        expect(page.locator("#checkin-phone")).to_have_value("12345")  # kept, to correct


def test_look_up_a_dossier_by_tapping_its_code(browser, live_server):
    live_server.start()
    live_server.report_dossier("H57.1-261123-0001", status="ready", due_date="2026-12-01")
    for size in ((1920, 1080), (1366, 768), (768, 1366)):
        with sized_page(browser, *size) as page:
            open_kiosk(page, live_server.url + "/kiosk/k1")
            page.click("#dossier-open")
            tap(page, "dossier-keypad", "H57.1-261123-0001")
            assert layout_problems(page, within="#dossier-lookup") == [], size
            assert small_targets(page) == [], size
            page.click("#dossier-submit")
            expect(page.locator("#dossier-status")).to_have_text("Có kết quả")
            expect(page.locator("#dossier-keypad")).to_be_hidden()  # the result where the keypad was
            assert layout_problems(page, within="#dossier-lookup") == [], size  # (screenshot: test_notify_pages)
            page.click("#dossier-again")
            expect(page.locator("#dossier-keypad")).to_be_visible()
            expect(page.locator("#dossier-code")).to_have_value("")
            tap(page, "dossier-keypad", "KHONG")
            page.click("#dossier-submit")
            expect(page.locator("#dossier-error")).to_contain_text("Không tìm thấy hồ sơ này")
