"""The entrance poster (/admin/poster): one A4 page whose QR codes, read back from the page as
Chromium draws it, are the center's public links to take a number remotely and to book."""

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.layout import sized_page
from tests.browser.test_dashboard_pages import log_in
from tests.helpers import ROOT, screenshot

pytestmark = pytest.mark.browser
PUBLIC = "https://hcc.example.gov.vn"
A4 = (794, 1123)  # 210 × 297 mm at 96 CSS pixels an inch


@pytest.fixture
def public_center(tmp_path, live_server):
    demo = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    config = tmp_path / "center.toml"
    config.write_text(demo.replace('public_url = ""', f'public_url = "{PUBLIC}"', 1), encoding="utf-8")
    live_server.config = config
    live_server.start()
    return live_server


def decoded(locator) -> str:
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(locator.screenshot())).convert("L"))
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    return code.text


def test_the_posters_qr_codes_read_as_the_public_links(public_center, browser):
    with sized_page(browser, *A4) as page:
        log_in(page, public_center.url + "/admin", "admin")
        page.wait_for_selector("#remote-form[data-loaded=yes]")
        with page.expect_popup() as opened:
            page.click("#poster-link")
        poster = opened.value
        poster.set_viewport_size({"width": A4[0], "height": A4[1]})
        expect(poster.locator(".code")).to_have_count(2)
        assert decoded(poster.locator(".code[data-kind=remote] .qr svg")) == f"{PUBLIC}/lay-so"
        assert decoded(poster.locator(".code[data-kind=booking] .qr svg")) == f"{PUBLIC}/dat-lich"
        expect(poster.locator(".center-name")).to_have_text("Trung tâm Phục vụ hành chính công tỉnh (demo)")
        poster.emulate_media(media="print")
        expect(poster.locator(".poster-tools")).to_be_hidden()
        screenshot(poster.locator("#poster"), "poster.png")
        pdf = poster.pdf(prefer_css_page_size=True, print_background=True)
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one A4 sheet


def test_without_a_public_url_the_links_start_with_the_address_the_admin_used(live_server, browser):
    live_server.start()
    with sized_page(browser, 1366, 768) as page:
        log_in(page, live_server.url + "/admin/poster", "admin")
        assert decoded(page.locator(".code[data-kind=remote] .qr svg")) == f"{live_server.url}/lay-so"
