"""Take docs/dashboard.png, docs/report.png, docs/report-monthly.png and docs/admin.png from a
demo server with a morning's activity, in headless Chromium at the managers' screen size
(1366×768). Run: python scripts/screenshots_dashboard.py"""

import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.helpers import LiveServer  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def activity(server) -> None:
    rng = random.Random(7)
    for _ in range(40):
        server.post("/api/v1/tickets", {"service": rng.choice(["HT", "HT", "LLTP", "CT", "GCN", "DKKD", "GPLX"])})
    for number in range(1, 8):
        officer = server.login(f"canbo{number}")
        server.post(f"/api/v1/counters/{number}/open", headers=officer)
        for _ in range(rng.randint(1, 3)):
            called = server.post(f"/api/v1/counters/{number}/call-next", headers=officer).json()
            if not called.get("ticket"):
                break
            server.post(f"/api/v1/counters/{number}/finish", headers=officer)
            level = rng.choice(["very_satisfied", "very_satisfied", "satisfied", "not_satisfied"])
            server.post("/api/v1/ratings", {"ticket": called["ticket"]["id"], "level": level,
                                            "reasons": ["waiting_time"] if level == "not_satisfied" else []},
                        headers={"Authorization": f"Bearer demo-tablet-{number}"})
        if number in (1, 4, 7):
            server.post(f"/api/v1/counters/{number}/call-next", headers=officer)
        if number == 6:
            server.post(f"/api/v1/counters/{number}/pause", {"reason": "Họp giao ban"}, headers=officer)


def main() -> None:
    server = LiveServer(Path(tempfile.mkdtemp()))
    server.start()
    try:
        activity(server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="vi-VN")
            for path, user, shot, ready, scroll_to in (
                ("/dashboard", "lanhdao", "dashboard.png", "#counters .counter-card", None),
                ("/reports", "lanhdao", "report.png", "body[data-loaded=yes]", "#report-table"),
                ("/reports/monthly", "lanhdao", "report-monthly.png", "#signatures", None),
                ("/admin", "admin", "admin.png", "body[data-loaded=yes]", "#counters-section"),
            ):
                page.context.clear_cookies()
                page.goto(server.url + path)
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", "demo")
                page.click("#login-form button[type=submit]")
                page.wait_for_selector(ready)
                if scroll_to:
                    page.evaluate("(selector) => document.querySelector(selector).scrollIntoView()", scroll_to)
                page.wait_for_timeout(800)  # let the charts finish drawing
                page.screenshot(path=str(ROOT / "docs" / shot))
                print("wrote", ROOT / "docs" / shot)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
