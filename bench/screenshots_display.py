"""Screenshots of the displays from headless Chromium, on the demo center with a few calls.

Run: python bench/screenshots_display.py  →  docs/display-hall.png (1920×1080),
docs/display-portrait.png (1080×1920), docs/display-counter.png (1280×720), and the counter display
mid-flash, 0.1 s after a call (docs/display-counter-flash.png, 1280×720).
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.helpers import CHROMIUM_ARGS, LiveServer, busy_center  # noqa: E402

DOCS = ROOT / "docs"


def shoot(browser, url: str, path: Path, width: int, height: int, call=None) -> None:
    """A still of the page; ``call()`` (optional) makes a call once it is open, shot in a flash frame."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.connected === 'yes'")  # a function: the pages' CSP forbids eval
    if call is None:  # a still picture: no flash
        page.evaluate("document.querySelectorAll('.blink').forEach((node) => node.classList.remove('blink'))")
    else:
        call()
        page.wait_for_selector(".blink")
        page.evaluate("document.getAnimations().forEach((animation) => { animation.pause(); animation.currentTime = 100; })")
    # The announcement line stopped where it starts to read.
    page.evaluate("""() => {  // through the CSSOM: the pages' CSP allows no inline <style>
      const line = document.getElementById("ticker-text");
      if (line) { line.style.animation = "none"; line.style.paddingLeft = "2vw"; }
    }""")
    page.screenshot(path=str(path))
    context.close()
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder)).start()
        try:
            officers = busy_center(server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                     args=CHROMIUM_ARGS)
                shoot(browser, server.url + "/display/hall", DOCS / "display-hall.png", 1920, 1080)
                shoot(browser, server.url + "/display/tang-2", DOCS / "display-portrait.png", 1080, 1920)
                shoot(browser, server.url + "/display/counter/2", DOCS / "display-counter.png", 1280, 720)
                shoot(browser, server.url + "/display/counter/2", DOCS / "display-counter-flash.png", 1280, 720,
                      call=lambda: server.post("/api/v1/counters/2/call-next", headers=officers[2]).raise_for_status())
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
