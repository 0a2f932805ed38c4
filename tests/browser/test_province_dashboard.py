"""The province dashboard in real Chromium (docs/hub.md): a ticket issued at a center running
server.py, synced by its own sync worker, shows on /province within 2 s; the page fits a wall
screen and a laptop; the public province page lists every center."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.layout import layout_problems, sized_page, small_targets
from tests.province_hub import HubServer

pytestmark = pytest.mark.browser


@pytest.fixture
def hub(tmp_path, hub_database_url, redis_server):
    server = HubServer(tmp_path, hub_database_url, redis_server.url, workers=2).start()
    yield server
    server.stop()


def log_in(page, url):
    page.goto(url + "/province")
    page.fill("input[name=username]", "tinh")
    page.fill("input[name=password]", "demo")
    page.click("#login-form button[type=submit]")
    expect(page.locator("body")).to_have_attribute("data-connected", "yes")


def test_a_ticket_issued_at_a_center_shows_on_the_province_dashboard_within_2_s(hub, live_server, page):
    live_server.start(env={"LAYSO_HUB_URL": hub.url, "LAYSO_HUB_TOKEN": "demo-hub-token-1"})
    log_in(page, hub.url)
    row = page.locator("tr[data-center='demo-1']")
    expect(row.locator(".status")).to_have_text("Đang kết nối", timeout=40_000)  # the center's first sync
    expect(row.locator(".waiting")).to_have_text("0")
    issued = time.monotonic()
    answer = live_server.post("/api/v1/tickets", {"service": "HT"})
    assert answer.status_code == 201, answer.text
    expect(row.locator(".waiting")).to_have_text("1", timeout=2_000)
    assert time.monotonic() - issued <= 2.0
    expect(page.locator("tr[data-center='demo-2'] .status")).to_have_text("Mất kết nối")
    expect(page.locator("tr[data-center='demo-2'] .alert.center_offline")).to_have_text("Trung tâm chưa kết nối lần nào.")
    page.screenshot(path=str(hub.log_path.parent / "province.png"))


@pytest.mark.parametrize("width, height", [(1920, 1080), (1366, 768)])
def test_the_dashboard_fits_and_its_controls_are_big_enough(hub, browser, width, height):
    with sized_page(browser, width, height) as page:
        page.goto(hub.url + "/province")
        assert small_targets(page) == []
        log_in(page, hub.url)
        expect(page.locator("tr[data-center]")).to_have_count(3)
        assert layout_problems(page, scrolls=True) == []
        assert small_targets(page) == []


def test_the_public_page_lists_every_center(hub, page):
    page.goto(hub.url + "/cong-khai")
    expect(page.locator("#ranking tr[data-center]")).to_have_count(3)
    assert layout_problems(page, scrolls=True) == []
