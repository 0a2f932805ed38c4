"""Screenshots of the province hub from real headless Chromium: docs/province.png (the live
dashboard, 1600×900: demo-1 and demo-2 synced by real centers with people waiting, one rating
"Không hài lòng", demo-3 never connected) and docs/province-public.png (/cong-khai).

    python bench/screenshot_province.py
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from layso.province.schema import migrate  # noqa: E402
from tests.helpers import CHROMIUM_ARGS, LiveServer  # noqa: E402
from tests.province_hub import HubServer  # noqa: E402
from tests.province_services import PostgresServer, RedisServer  # noqa: E402


def busy(center: LiveServer, waiting: int, *, unhappy: bool) -> None:
    officer = center.login("canbo1")
    center.post("/api/v1/counters/1/open", headers=officer).raise_for_status()
    first = center.post("/api/v1/tickets", {"service": "HT"}).json()
    for _ in range(waiting):
        center.post("/api/v1/tickets", {"service": "HT"}).raise_for_status()
    center.post("/api/v1/counters/1/call-next", headers=officer).raise_for_status()
    center.post("/api/v1/counters/1/finish", headers=officer).raise_for_status()
    level = "not_satisfied" if unhappy else "very_satisfied"
    center.post("/api/v1/ratings", {"ticket": first["id"], "level": level, "reasons": ["attitude"] if unhappy else []},
                headers={"Authorization": "Bearer demo-tablet-1"})
    center.post("/api/v1/counters/1/call-next", headers=officer).raise_for_status()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="layso-province-shot-"))
    postgres, redis = PostgresServer().start(), RedisServer().start()
    hub = centers = None
    try:
        url = postgres.create_database("hub")
        migrate(url)
        hub = HubServer(folder, url, redis.url, workers=2).start()
        centers = []
        for number, (waiting, unhappy) in enumerate(((6, True), (2, False)), start=1):
            (folder / f"c{number}").mkdir()
            center = LiveServer(folder / f"c{number}")
            center.start(env={"LAYSO_HUB_URL": hub.url, "LAYSO_HUB_TOKEN": f"demo-hub-token-{number}"})
            busy(center, waiting, unhappy=unhappy)
            centers.append(center)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 900}, locale="vi-VN")
            page.goto(hub.url + "/province")
            page.fill("input[name=username]", "tinh")
            page.fill("input[name=password]", "demo")
            page.click("#login-form button[type=submit]")
            expect(page.locator("tr[data-center='demo-1'] .waiting")).to_have_text("5", timeout=30_000)
            expect(page.locator("tr[data-center='demo-2'] .waiting")).to_have_text("1", timeout=30_000)
            page.screenshot(path=str(ROOT / "docs" / "province.png"))
            page.goto(hub.url + "/cong-khai")
            page.screenshot(path=str(ROOT / "docs" / "province-public.png"))
            browser.close()
    finally:
        for center in centers or []:
            center.stop()
        if hub:
            hub.stop()
        postgres.stop()
        redis.stop()


if __name__ == "__main__":
    main()
