"""Screenshots of the kiosk from real headless Chromium, on the demo center with a few people
waiting: docs/kiosk.png (1920×1080), docs/kiosk-portrait.png (1080×1920, a field's services),
docs/kiosk-ticket.png (a printed number, 1920×1080) and docs/kiosk-fallback.png (1366×768: the
printer is out of order, a priority number shown with its QR code to photograph).

    python bench/screenshot_kiosk.py
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.helpers import CHROMIUM_ARGS, LiveServer, agent_kiosk_config  # noqa: E402

WAITING = (("HT", 7), ("LLTP", 3), ("CT", 2), ("GCN", 11), ("DKKD", 4), ("GPLX", 9))


def started(config=None) -> LiveServer:
    folder = Path(tempfile.mkdtemp(prefix="layso-shot-"))
    server = LiveServer(folder, config=config(folder) if config else None)
    server.start()
    for service, count in WAITING:
        for _ in range(count):
            server.post("/api/v1/tickets", {"service": service}).raise_for_status()
    return server


def kiosk(browser, server, width, height):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
    page.goto(server.url + "/kiosk/k1")
    page.wait_for_selector("body[data-ready=yes][data-connected=yes]")
    return page


def save(page, name):
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    page.screenshot(path=str(ROOT / "docs" / name))
    print("wrote", ROOT / "docs" / name)
    page.close()


def main() -> None:
    printing, failing = started(), started(agent_kiosk_config)  # k1's print agent never comes
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            save(kiosk(browser, printing, 1920, 1080), "kiosk.png")
            page = kiosk(browser, printing, 1080, 1920)
            page.click("[data-field=TP]")
            save(page, "kiosk-portrait.png")
            page = kiosk(browser, printing, 1920, 1080)
            page.click("[data-field=TP]")
            page.click("[data-service=HT]")
            page.wait_for_selector("body[data-print=printed]")
            save(page, "kiosk-ticket.png")
            page = kiosk(browser, failing, 1366, 768)
            page.click("#priority-button")
            page.click("[data-reason=elderly]")
            page.click("[data-field=TP]")
            page.click("[data-service=HT]")
            page.wait_for_selector("body[data-print=fallback]")
            page.wait_for_function("() => document.getElementById('ticket-qr').naturalWidth > 0")
            save(page, "kiosk-fallback.png")
            browser.close()
    finally:
        printing.stop()
        failing.stop()


if __name__ == "__main__":
    main()
