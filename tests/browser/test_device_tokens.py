"""Issue 14, security item 11: a registered display opened once with ?token= keeps its token
in the browser, drops it from the address bar (as the tablet does) and connects again after a
reload without it; the server never writes it into the page."""

import re

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000


@pytest.fixture
def displays_must_register(tmp_path, live_server):
    demo = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    config = tmp_path / "center.toml"
    config.write_text(re.sub(r'require_registration = \["tablet"\]', 'require_registration = ["tablet", "display"]', demo),
                      encoding="utf-8")
    live_server.config = config
    live_server.start()
    admin = live_server.login("admin")
    return live_server, admin


@pytest.mark.parametrize("path", ["/display", "/display/counter/1"])
def test_item_11_a_display_keeps_its_token_out_of_the_address_bar_and_the_page(browser, displays_must_register, path):
    server, admin = displays_must_register
    created = server.post("/api/v1/admin/devices", {"id": "hall-tv", "kind": "display", "name": "TV sảnh"}, headers=admin)
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    page = context.new_page()
    try:
        response = page.goto(f"{server.url}{path}?token={token}&lang=vi")
        assert token not in response.text()
        page.wait_for_selector("body[data-connected=yes]", timeout=TIMEOUT_MS)
        assert page.url == f"{server.url}{path}?lang=vi"
        page.goto(server.url + path)  # the bookmark without the token
        page.wait_for_selector("body[data-connected=yes]", timeout=TIMEOUT_MS)
        assert token not in page.content()
        other = browser.new_context().new_page()  # a browser that was never given the token is refused
        other.goto(server.url + path)
        other.wait_for_selector("body[data-connected=no]", timeout=TIMEOUT_MS)
        other.context.close()
    finally:
        context.close()
