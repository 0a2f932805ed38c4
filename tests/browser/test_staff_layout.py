"""The managers' pages (dashboard, reports, monthly report, admin) at 1366×768 and up:
nothing reaches past the viewport sideways, no two pieces of text overlap, and no text of
three words or more (a name, a label) is squeezed to a word a line."""

import pytest

from tests.browser.test_dashboard_pages import log_in
from tests.helpers import LiveServer

pytestmark = pytest.mark.browser

# Every element that shows text of its own, with its box; then the offenders.
LAYOUT = r"""() => {
  const width = document.documentElement.clientWidth;
  const shown = (node) => { const style = getComputedStyle(node); return style.visibility !== "hidden" && style.display !== "none"; };
  const boxes = [];
  for (const node of document.body.querySelectorAll("*")) {
    if (!shown(node) || node.closest("[hidden], canvas, script")) continue;
    const ownText = Array.from(node.childNodes).some((child) => child.nodeType === Node.TEXT_NODE && child.textContent.trim());
    const control = ["INPUT", "SELECT", "BUTTON", "TEXTAREA"].includes(node.tagName);
    if (!ownText && !control) continue;
    const box = node.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    boxes.push({ node, box, name: node.tagName + (node.id ? "#" + node.id : "") + " " + (node.innerText || node.value || "").trim().slice(0, 30) });
  }
  const outside = boxes.filter(({ box }) => box.left < -1 || box.right > width + 1).map(({ name }) => name);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.node.contains(b.node) || b.node.contains(a.node)) continue;
      const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (x > 2 && y > 2) overlaps.push(a.name + " / " + b.name);
    }
  }
  const squeezed = [];
  for (const { node, name } of boxes) {
    if (node.tagName === "TH") continue;  // a narrow figure's heading may take a word a line; what it heads may not
    const texts = Array.from(node.childNodes).filter((child) => child.nodeType === Node.TEXT_NODE && child.textContent.trim());
    const words = texts.map((child) => child.textContent).join(" ").trim().split(/\s+/).length;
    if (words < 3) continue;
    const range = document.createRange();
    const tops = new Set();
    texts.forEach((child) => { range.selectNodeContents(child); Array.from(range.getClientRects()).forEach((rect) => tops.add(Math.round(rect.top))); });
    if (tops.size >= words) squeezed.push(name);
  }
  return { scroll: document.documentElement.scrollWidth - width, outside, overlaps: overlaps.slice(0, 10), squeezed: squeezed.slice(0, 10) };
}"""


@pytest.fixture(scope="module")
def busy_morning(tmp_path_factory):
    """The demo center with a morning's work: tickets for every service, counters serving,
    ratings, a paused counter (shared by this module's tests, which only read it)."""
    server = LiveServer(tmp_path_factory.mktemp("layout"))
    server.start()
    for index in range(24):
        server.post("/api/v1/tickets", {"service": ["HT", "LLTP", "CT", "GCN", "DKKD", "GPLX"][index % 6]})
    for number in range(1, 8):
        officer = server.login(f"canbo{number}")
        server.post(f"/api/v1/counters/{number}/open", headers=officer)
        called = server.post(f"/api/v1/counters/{number}/call-next", headers=officer).json()
        if called.get("ticket") and number % 2:
            server.post(f"/api/v1/counters/{number}/finish", headers=officer)
            server.post("/api/v1/ratings", {"ticket": called["ticket"]["id"], "level": "very_satisfied"},
                        headers={"Authorization": f"Bearer demo-tablet-{number}"})
    server.post("/api/v1/counters/6/pause", {"reason": "Họp giao ban"}, headers=server.login("canbo6"))
    yield server
    server.stop()


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
@pytest.mark.parametrize("path, user, ready", [
    ("/dashboard", "lanhdao", "#counters .counter-card"),
    ("/reports", "lanhdao", "body[data-loaded=yes]"),
    ("/reports/monthly", "lanhdao", "#signatures"),
    ("/admin", "admin", "body[data-loaded=yes]"),
    ("/admin/voice", "admin", "body[data-ready=yes]"),
])
def test_staff_page_fits_the_screen_without_overlaps(busy_morning, browser, path, user, ready, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    try:
        page = context.new_page()
        log_in(page, busy_morning.url + path, user)
        page.wait_for_selector(ready)
        result = page.evaluate(LAYOUT)
        assert result == {"scroll": 0, "outside": [], "overlaps": [], "squeezed": []}, f"{path} at {width}×{height}: {result}"
    finally:
        context.close()
