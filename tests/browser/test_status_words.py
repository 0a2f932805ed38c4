"""One set of words for a counter's status on every screen: the console, the hall display
and the dashboard say the same word for the same idle counter."""

import pytest
from playwright.sync_api import expect

from layso.queue.counters import STATUS_WORDS
from tests.browser.test_dashboard_pages import log_in

pytestmark = pytest.mark.browser


def test_an_open_counter_with_nobody_called_reads_the_same_everywhere(live_server, browser):
    live_server.start()
    idle = STATUS_WORDS["idle"]
    pages = []
    try:
        for _ in range(3):  # each its own context: its own session cookie
            pages.append(browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page())
        console, dashboard, hall = pages
        log_in(console, live_server.url + "/counter", "canbo1")
        console.click(".counter-card[data-counter='1']")
        expect(console.locator("#counter-status")).to_contain_text(idle)
        log_in(dashboard, live_server.url + "/dashboard", "lanhdao")
        expect(dashboard.locator(".counter-card[data-counter='1'] .status")).to_have_text(idle)
        hall.goto(live_server.url + "/display")
        expect(hall.locator(".counter-tile[data-counter='1'] .tile-status")).to_have_text(idle)
    finally:
        for page in pages:
            page.context.close()
