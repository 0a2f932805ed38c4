"""The kiosk's camera reads QR codes (issues 16, 17): Chromium films a fake camera whose picture
is a file (a YUV4MPEG2 video of a QR code made with the ``qrcode`` package), and the kiosk checks
in the booking whose link the QR code holds (its code shown grouped like a typed one), or looks up the dossier whose code it holds.
Without a camera the keypad stays and nothing breaks."""

from pathlib import Path

import pytest
import qrcode
import requests
from PIL import Image
from playwright.sync_api import expect

from tests.browser.layout import layout_problems, small_targets
from tests.browser.test_booking import start_in_office_hours
from tests.browser.test_kiosk_keypad import booking_today, open_kiosk
from tests.helpers import CHROMIUM_ARGS, screenshot

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 640, 480


def write_qr_video(path: Path, text: str) -> Path:
    """A still video (YUV4MPEG2, 4:2:0) of ``text`` as a QR code on white, as a phone held up
    to the kiosk's camera shows it."""
    code = qrcode.make(text, border=4).get_image().convert("L")
    side = HEIGHT - 40
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(code.resize((side, side), Image.NEAREST), ((WIDTH - side) // 2, 20))
    y, u, v = frame.convert("RGB").convert("YCbCr").split()
    planes = y.tobytes() + u.resize((WIDTH // 2, HEIGHT // 2)).tobytes() + v.resize((WIDTH // 2, HEIGHT // 2)).tobytes()
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + planes)
    return path


def camera_browser(browser, video: Path):
    """A Chromium of its own whose camera films ``video``, the camera permission granted (the
    kiosk PC's browser is set up the same way: docs/operations.md)."""
    return browser.browser_type.launch(
        executable_path="/usr/bin/chromium", headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"])


@pytest.mark.parametrize("size", [(1920, 1080), (768, 1366)])
def test_check_in_by_showing_the_bookings_qr_code_to_the_camera(browser, live_server, tmp_path, size):
    start_in_office_hours(live_server)
    booked = booking_today(live_server, "HT")
    # What the booking page's QR code holds (/dat-lich/<code>/qr.svg): its link.
    assert requests.get(booked["manage_url"] + "/qr.svg", timeout=10).status_code == 200
    camera = camera_browser(browser, write_qr_video(tmp_path / "booking.y4m", booked["manage_url"]))
    try:
        context = camera.new_context(viewport={"width": size[0], "height": size[1]}, locale="vi-VN")
        page = context.new_page()
        open_kiosk(page, live_server.url + "/kiosk")
        held = []
        page.route("**/check-in", lambda route: held.append(route))  # hold the request: first look at the screen with the camera on
        page.click("#appointment-button")
        expect(page.locator("body")).to_have_attribute("data-camera", "on")
        expect(page.locator("#checkin-camera")).to_be_visible()
        page.wait_for_function("() => document.querySelector('#checkin-camera video').videoWidth > 0")
        expect(page.locator("#busy")).to_be_visible()  # the camera read the code and checks in
        # shown grouped as a typed code is (the server's CODE_GROUPS, through the keypad), not as the link held it
        expect(page.locator("#checkin-code")).to_have_value(booked["code_shown"])
        assert held[0].request.url.endswith(f"/api/v1/appointments/{booked['code_shown']}/check-in")
        page.evaluate("() => { document.getElementById('busy').hidden = true; }")
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        assert layout_problems(page) == [] and small_targets(page) == []
        page.screenshot(path=str(tmp_path / "camera.png"))
        if size == (1920, 1080):
            screenshot(page, "kiosk-check-in-camera.png")
        held[0].abort()  # never reaches the server
        context.close()
        # The same, answered.
        context = camera.new_context(viewport={"width": size[0], "height": size[1]}, locale="vi-VN")
        page = context.new_page()
        open_kiosk(page, live_server.url + "/kiosk")
        page.click("#appointment-button")
        expect(page.locator("#ticket-number")).to_have_text("A001")
        expect(page.locator("body")).to_have_attribute("data-camera", "off")  # released with the check-in screen
        context.close()
    finally:
        camera.close()
    assert requests.get(f"{live_server.url}/api/v1/appointments/{booked['code']}", timeout=10).json()["status"] == "checked_in"


def test_look_up_a_dossier_by_showing_its_qr_code_to_the_camera(browser, live_server, tmp_path):
    live_server.start()
    live_server.report_dossier("H57.1-261123-0001", status="processing")
    camera = camera_browser(browser, write_qr_video(tmp_path / "receipt.y4m", "H57.1-261123-0001"))
    try:
        for size in ((1366, 768), (1080, 1920)):
            context = camera.new_context(viewport={"width": size[0], "height": size[1]}, locale="vi-VN")
            page = context.new_page()
            open_kiosk(page, live_server.url + "/kiosk/k1")
            page.click("#dossier-open")
            expect(page.locator("#dossier-status")).to_have_text("Đang giải quyết")
            expect(page.locator("#dossier-camera")).to_be_visible()
            page.wait_for_function("() => document.fonts.status === 'loaded'")
            assert layout_problems(page, within="#dossier-lookup") == [], size
            page.screenshot(path=str(tmp_path / f"dossier-{size[0]}x{size[1]}.png"))
            if size == (1080, 1920):
                screenshot(page, "kiosk-dossier-camera.png")
            page.click("#dossier-close")
            expect(page.locator("body")).to_have_attribute("data-camera", "off")
            context.close()
    finally:
        camera.close()


def test_without_a_camera_the_keypad_stays(browser, live_server):
    live_server.start()  # the default browser has no camera: getUserMedia finds no device
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    try:
        page = context.new_page()
        open_kiosk(page, live_server.url + "/kiosk")
        page.click("#appointment-button")
        expect(page.locator("body")).to_have_attribute("data-camera", "off")
        expect(page.locator("#checkin-camera")).to_be_hidden()
        page.click("#checkin-keypad [data-key='A']")
        expect(page.locator("#checkin-code")).to_have_value("A")
        page.click("#dossier-open")
        expect(page.locator("#dossier-camera")).to_be_hidden()
        expect(page.locator("#dossier-keypad")).to_be_visible()
    finally:
        context.close()
