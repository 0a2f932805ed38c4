"""Every interactive target is at least 44 × 44 px (issue 15, item 12) on the kiosk and the
admin pages; the console and the tablet are measured view by view in test_console_layout."""

import pytest

from tests.browser.layout import sized_page, small_targets
from tests.browser.test_dashboard_pages import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, height", [(1366, 768), (1080, 1920)])
def test_every_kiosk_screen_has_finger_sized_targets(browser, live_server, width, height):
    live_server.start()
    found = []
    with sized_page(browser, width, height) as kiosk:
        kiosk.goto(live_server.url + "/kiosk/k1")
        kiosk.wait_for_selector("body[data-ready=yes][data-connected=yes]")
        found += [f"fields: {problem}" for problem in small_targets(kiosk)]
        kiosk.click("#priority-button")
        kiosk.wait_for_selector("#screen-priority:not([hidden])")
        found += [f"priority: {problem}" for problem in small_targets(kiosk)]
        kiosk.click("[data-reason=elderly]")
        kiosk.click("[data-field=TP]")
        kiosk.wait_for_selector("#screen-services:not([hidden])")
        found += [f"services: {problem}" for problem in small_targets(kiosk)]
        kiosk.click("[data-service=HT]")
        kiosk.wait_for_selector("#screen-ticket:not([hidden])")
        found += [f"ticket: {problem}" for problem in small_targets(kiosk)]
    assert found == []


def test_every_admin_control_is_finger_sized(browser, live_server):
    live_server.start()
    with sized_page(browser, 1366, 768) as admin:
        log_in(admin, live_server.url + "/admin", "admin")
        admin.wait_for_selector("body[data-loaded=yes]")
        assert small_targets(admin) == []
