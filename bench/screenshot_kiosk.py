"""Screenshots of the kiosk from real headless Chromium: docs/kiosk.png (1920×1080) and
docs/kiosk-portrait.png (1080×1920), on the demo center with a few people waiting.

    python bench/screenshot_kiosk.py
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.helpers import LiveServer  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    server = LiveServer(Path(tempfile.mkdtemp(prefix="layso-shot-")))
    server.start()
    try:
        for service, count in (("HT", 7), ("LLTP", 3), ("CT", 2), ("GCN", 11), ("DKKD", 4), ("GPLX", 9)):
            for _ in range(count):
                server.post("/api/v1/tickets", {"service": service}).raise_for_status()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            shots = (("kiosk.png", 1920, 1080, False), ("kiosk-portrait.png", 1080, 1920, True))
            for name, width, height, services in shots:
                page = browser.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
                page.goto(server.url + "/kiosk/k1")
                page.wait_for_selector("body[data-ready=yes][data-connected=yes]")
                if services:
                    page.click("[data-field=TP]")
                page.screenshot(path=str(ROOT / "docs" / name))
                print("wrote", ROOT / "docs" / name)
                page.close()
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
            page.goto(server.url + "/kiosk/k1")
            page.wait_for_selector("body[data-ready=yes][data-connected=yes]")
            page.click("[data-field=TP]")
            page.click("[data-service=HT]")
            page.wait_for_selector("body[data-print=printed]")
            page.screenshot(path=str(ROOT / "docs" / "kiosk-ticket.png"))
            print("wrote", ROOT / "docs" / "kiosk-ticket.png")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
