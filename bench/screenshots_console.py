"""Screenshots of the counter console and the rating tablet for the docs, from headless
Chromium against a demo server with a realistic morning (queue, priority, a transfer,
a held citizen, a few services done).

    .venv/bin/python bench/screenshots_console.py   → docs/counter-console.png, docs/rating-tablet.png

The console at 1366×768 (the smallest desk monitor it is made for), the tablet at 1280×800.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import LiveServer  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def morning(server: LiveServer) -> None:
    """Counter 1 has served three citizens, holds one, and a colleague transferred one to it."""
    canbo1, canbo2 = server.login("canbo1"), server.login("canbo2")
    server.post("/api/v1/counters/1/open", headers=canbo1)
    server.post("/api/v1/counters/2/open", headers=canbo2)
    for service in ("HT", "HT", "CT", "HT", "HT", "CT", "HT", "LLTP"):
        server.post("/api/v1/tickets", {"service": service})
    for _ in range(3):
        server.post("/api/v1/counters/1/call-next", headers=canbo1)
        server.post("/api/v1/counters/1/finish", headers=canbo1)
    server.post("/api/v1/counters/1/call-next", headers=canbo1)
    server.post("/api/v1/counters/1/hold", headers=canbo1)
    server.post("/api/v1/counters/2/call-next", headers=canbo2)
    server.post("/api/v1/counters/2/transfer", {"counter": 1, "note": "Cần chứng thực bản sao"}, headers=canbo2)
    server.post("/api/v1/tickets", {"service": "HT", "priority": True, "priority_reason": "elderly"})
    server.post("/api/v1/tickets", {"service": "CT", "priority": True, "priority_reason": "disabled"})


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server = LiveServer(Path(folder)).start()
        try:
            morning(server)
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            console = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
            tablet = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN").new_page()
            tablet.goto(server.url + "/tablet/1")
            console.goto(server.url + "/counter")
            console.fill("input[name=username]", "canbo1")
            console.fill("input[name=password]", "demo")
            console.click("#login-form button[type=submit]")
            console.wait_for_selector("#console-view:not([hidden])")
            console.wait_for_selector("#held-list li")
            console.keyboard.press("F1")  # the transferred citizen comes first
            console.fill("#dossier-code", "H12.34-261122-0042")
            console.click(".current-caption")  # leave the field, as after typing the code
            console.wait_for_timeout(3500)  # let the service timer run a little
            console.screenshot(path=str(ROOT / "docs" / "counter-console.png"))
            console.click("button[data-action='finish']")
            tablet.wait_for_selector("#ask-view:not([hidden])")
            tablet.click(".level[data-level='not_satisfied']")
            tablet.click(".reason[data-reason='waiting_time']")
            tablet.screenshot(path=str(ROOT / "docs" / "rating-tablet.png"))
            browser.close()
        finally:
            server.stop()
    print("wrote docs/counter-console.png and docs/rating-tablet.png")


if __name__ == "__main__":
    main()
