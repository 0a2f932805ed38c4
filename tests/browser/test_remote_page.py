"""Taking a number from a phone (/lay-so) in real Chromium at phone size, then following it on
its status page until it is called."""

import pytest
from playwright.sync_api import expect

from tests.browser.layout import layout_problems, small_targets
from tests.browser.test_status_page import act, officer_at
from tests.helpers import screenshot

pytestmark = pytest.mark.browser



def phone(browser, width=390, height=844):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN", is_mobile=True,
                                  has_touch=True)
    return context.new_page()


def test_a_citizen_takes_a_number_on_the_phone_page_and_watches_it_called(browser, live_server):
    live_server.start()
    for _ in range(2):
        live_server.post("/api/v1/tickets", {"service": "HT"}).raise_for_status()
    page = phone(browser)
    try:
        page.goto(live_server.url + "/lay-so")
        problems = layout_problems(page, scrolls=True) + small_targets(page)
        screenshot(page, "lay-so-390x844.png", full_page=True)
        assert not problems, "\n".join(problems)
        page.click("input[name=service][value=HT]")
        page.fill("#phone", "0912 345 678")
        page.click("#remote-submit")
        expect(page.locator("#remote-error")).to_contain_text("đồng ý")  # consent first
        page.check("#consent")
        page.fill("#phone", "0912 345 67")
        page.click("#remote-submit")
        expect(page.locator("#remote-error")).to_contain_text("không hợp lệ")
        page.fill("#phone", "0912 345 678")
        with page.expect_navigation(url="**/t/**"):
            page.click("#remote-submit")
        page.wait_for_selector("body[data-connected=yes]")
        expect(page.locator("#number")).to_have_text("A003")
        expect(page.locator("#come-when")).to_contain_text("trước khi còn 5 người trước bạn")
        expect(page.locator("#come-now")).to_be_visible()  # two ahead: time to set out
        assert "912" not in page.content()  # the phone number is not on the public page
        screenshot(page, "remote-status-390x844.png", full_page=True)
        officer = officer_at(live_server, 1)
        for _ in range(3):
            act(live_server, 1, officer, "call-next")
        expect(page.locator("#status")).to_have_text("Mời bạn đến quầy số 1")
        expect(page.locator("#come-when")).to_be_hidden()
        again = phone(browser)
        try:  # the same phone the same day for the same service: the limit, in words
            again.goto(live_server.url + "/lay-so")
            again.click("input[name=service][value=HT]")
            again.fill("#phone", "+84 912 345 678")
            again.check("#consent")
            again.click("#remote-submit")
            expect(again.locator("#remote-error")).to_contain_text("chỉ được lấy 1 số từ xa mỗi ngày")
        finally:
            again.context.close()
    finally:
        page.context.close()


def test_the_phone_page_fits_small_and_large_phones_in_both_languages(browser, live_server):
    live_server.start()
    problems = []
    for width, height in ((360, 640), (390, 844), (430, 932)):
        for query in ("", "?lang=en"):
            page = phone(browser, width, height)
            try:
                page.goto(live_server.url + "/lay-so" + query)
                problems += [f"{width}×{height}{query}: {problem}" for problem in layout_problems(page, scrolls=True)]
            finally:
                page.context.close()
    assert not problems, "\n".join(problems)
