"""Issue 14, security item 8: every page of the center runs under its Content-Security-Policy
in real Chromium without a single violation — no inline script, style attribute or handler
left — and its socket still connects over the websocket ('self' in connect-src)."""

import pytest
import requests

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000

# Recorded in the page before any of its own script runs (an init script is not subject to the CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile + ":" + event.lineNumber);
});
"""


class Watched:
    """A browser tab that keeps every CSP complaint: console messages, violation events, script errors."""

    def __init__(self, browser, viewport=(1366, 768)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="vi-VN")
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.complaints = []
        self.websockets = []
        self.page.on("websocket", lambda socket: self.websockets.append(socket.url))
        self.page.on("console", lambda message: self._console(message))
        self.page.on("pageerror", lambda error: self.complaints.append(f"script error: {error}"))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.complaints.append(f"console: {message.text}")

    def open(self, url, *, connects=False, ready=None):
        """Load ``url``; check its policy header; wait for its socket or ``ready`` selector."""
        response = self.page.goto(url)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, (url, policy)
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (url, policy)
        self.page.wait_for_load_state("load")
        if connects:  # the page's socket is up, over a websocket to this host ('self' allows ws:)
            self.page.wait_for_selector("body[data-connected=yes]", timeout=TIMEOUT_MS)
            host = url.split("/")[2]
            assert any(socket.startswith(f"ws://{host}/socket.io/") for socket in self.websockets), self.websockets
        if ready:
            self.page.wait_for_selector(ready, timeout=TIMEOUT_MS)
        self.check(url)

    def check(self, where):
        violations = self.page.evaluate("window.__violations")
        assert not violations and not self.complaints, (where, violations, self.complaints)

    def close(self):
        self.context.close()


def test_item_8_every_page_loads_under_its_csp_without_a_violation(browser, live_server):
    live_server.start()
    base = live_server.url
    ticket = live_server.post("/api/v1/tickets", {"service": "HT"}).json()

    public = Watched(browser)
    try:
        public.open(base + "/")
        public.open(base + "/kiosk", connects=True, ready=".tile")
        public.open(base + "/kiosk?lang=en", connects=True, ready=".tile")
        public.open(base + "/t/" + ticket["status_url"].rsplit("/", 1)[1], connects=True)
        public.open(base + "/t/not-a-ticket")
        public.open(base + "/lay-so", ready="#remote-form")
        public.open(base + "/lay-so?lang=en", ready="#remote-form")
        public.open(base + "/display", connects=True)
        public.open(base + "/display/counter/1", connects=True)
        public.open(base + "/tablet/1", connects=True)
        public.open(base + "/public", ready="#public-services")
        public.open(base + "/dat-lich")
        day = next(day["date"] for day in requests.get(base + "/api/v1/appointments/days", params={"service": "HT"},
                                                       timeout=10).json()["days"] if day["available"])
        booking = live_server.post("/api/v1/appointments", {"service": "HT", "phone": "0912345678", "start": next(
            slot["start"] for slot in requests.get(base + "/api/v1/appointments/slots", params={
                "service": "HT", "date": day}, timeout=10).json()["slots"] if slot["available"])}).json()
        public.open(booking["manage_url"])
        public.open(base + "/dat-lich/not-a-booking")
        public.open(base + "/no-such-page")  # the friendly error page
    finally:
        public.close()

    officer = Watched(browser)
    try:
        officer.open(base + "/counter", ready="#login-form")
        officer.page.fill("input[name=username]", "canbo1")
        officer.page.fill("input[name=password]", "demo")
        officer.page.click("#login-form button[type=submit]")
        officer.page.click(".counter-card[data-counter='1']", timeout=TIMEOUT_MS)
        officer.page.wait_for_selector("#console-view:not([hidden])", timeout=TIMEOUT_MS)
        officer.page.wait_for_selector("body[data-connected=yes]", timeout=TIMEOUT_MS)
        officer.check("/counter after login")
    finally:
        officer.close()

    for username, pages in (("lanhdao", ("/dashboard", "/reports", "/reports/monthly", "/lich-hen", "/password")), ("admin", ("/admin", "/admin/voice"))):
        staff = Watched(browser)
        try:
            staff.open(base + pages[0], ready="#login-form")  # not logged in: the login form
            staff.page.fill("input[name=username]", username)
            staff.page.fill("input[name=password]", "demo")
            staff.page.click("#login-form button[type=submit]")
            staff.page.wait_for_selector("header.top", timeout=TIMEOUT_MS)
            staff.check(pages[0] + " after login")
            for path in pages:
                staff.open(base + path, connects=path == "/dashboard")
                if path == "/reports/monthly":  # the printable report, its tables by day
                    assert staff.page.locator("#by-day tbody tr").count() >= 1
        finally:
            staff.close()
