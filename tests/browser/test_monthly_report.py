"""The printable monthly report: the form of a Vietnamese administrative report, printed to
A4 by Chromium (page.pdf) and read back with pypdf."""

import io
import re

import pytest
from pypdf import PdfReader

from layso.store.db import open_db
from tests.browser.test_dashboard_pages import log_in
from tests.helpers import LiveServer
from tests.report_data import build_busy_month

pytestmark = pytest.mark.browser
A4_LANDSCAPE_PT = (842, 595)


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory):
    """The demo server with a busy October 2026: 24 services, 30 officers, 22 working days
    (shared by this module's tests, which only read it)."""
    server = LiveServer(tmp_path_factory.mktemp("busy"))
    server.start()
    server.stop()
    database = open_db(server.db_path)
    try:
        server.codes = build_busy_month(database, "2026-10")
    finally:
        database.conn.close()
    server.start()
    yield server
    server.stop()


def pdf_pages(page) -> list[str]:
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    for pdf_page in reader.pages:
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        assert (round(width), round(height)) == A4_LANDSCAPE_PT
    return [" ".join(pdf_page.extract_text().split()) for pdf_page in reader.pages]


def test_monthly_report_has_the_administrative_form(busy_server, page):
    log_in(page, busy_server.url + "/reports/monthly?month=2026-10", "lanhdao")
    article = page.locator("article.official")
    header = article.locator(".official-head")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.inner_text()
    assert "Độc lập - Tự do - Hạnh phúc" in header.inner_text()
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH (DEMO)" in header.inner_text()
    assert re.fullmatch(r"Huế, ngày \d\d tháng \d\d năm \d{4}", page.locator("#date-line").inner_text())
    text = article.inner_text()
    assert "từ ngày 01/10/2026 đến ngày 31/10/2026" in text
    assert "2026-10-01" not in text and "docs/" not in text
    signatures = page.locator("#signatures").inner_text()
    assert "NGƯỜI LẬP BIỂU" in signatures and "GIÁM ĐỐC" in signatures and "Lãnh đạo trung tâm" in signatures
    # names and codes in their own columns, a totals row, Vietnamese numbers
    first = page.locator("#by-service tbody tr").first.locator("td")
    assert first.nth(0).inner_text() == "S00" and first.nth(1).inner_text().startswith("Thủ tục thử nghiệm số 0")
    assert page.locator("#by-service tfoot td").first.inner_text() == "Tổng cộng"
    assert page.locator("#month-satisfied").inner_text() == "75,0 %"
    assert page.locator("#by-officer thead th").nth(2).inner_text() == "Số lượt phục vụ"


def test_monthly_report_prints_on_a4_without_a_cut_row(busy_server, page):
    log_in(page, busy_server.url + "/reports/monthly?month=2026-10", "lanhdao")
    page.wait_for_selector("#signatures")
    pages = pdf_pages(page)
    assert 4 <= len(pages) <= 12, len(pages)
    first_page_of = {}
    for code in busy_server.codes:  # each service row: its code cell and the last words of its name
        first_page_of[code] = next(index for index, text in enumerate(pages) if re.search(rf"\b{code}\b", text))
        assert f"(mã {code})" in pages[first_page_of[code]], f"the row of {code} is cut across pages"
    for index in range(30):  # each officer row: username and the end of the name
        username, ending = f"busy{index:02d}", f"Thử Nghiệm {index:02d}"
        where = next(number for number, text in enumerate(pages) if username in text)
        assert ending in pages[where], f"the row of {username} is cut across pages"
    for text in pages[1:]:  # the header row repeats on every page that continues a table
        if re.search(r"\bS\d\d\b|busy\d\d|\d\d/10/2026", text):
            assert "Tỷ lệ hài lòng" in text
    last = pages[-1]
    assert "NGƯỜI LẬP BIỂU" in last and "GIÁM ĐỐC" in last and "(Ký tên, đóng dấu)" in last
