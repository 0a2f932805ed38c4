"""The citizen's status page (/t/<token>) on phones, in real headless Chromium."""

import pytest
import requests
from playwright.sync_api import expect

from layso.wording import wait_words
from tests.browser.layout import layout_problems

pytestmark = pytest.mark.browser

PHONES = [(360, 640), (375, 667), (390, 844), (412, 915), (430, 932)]


def take(server, service, **options):
    answer = server.post("/api/v1/tickets", {"service": service, **options})
    answer.raise_for_status()
    return answer.json()


def officer_at(server, counter):
    headers = server.login(f"canbo{counter}")
    server.post(f"/api/v1/counters/{counter}/open", headers=headers).raise_for_status()
    return headers


def act(server, counter, headers, action):
    server.post(f"/api/v1/counters/{counter}/{action}", headers=headers).raise_for_status()


def open_status(page, ticket):
    """Open the status page and wait for its script's first refresh (on connecting)."""
    with page.expect_response(lambda response: "/api/v1/tickets/by-token/" in response.url):
        page.goto(ticket["status_url"])
    page.wait_for_selector("body[data-connected=yes]")


def test_the_status_page_keeps_its_wait_wording_when_its_script_refreshes(page, live_server):
    live_server.start()
    take(live_server, "LLTP")
    ticket = take(live_server, "LLTP")  # one ahead × 300 s ÷ 2 counters = 150 s
    assert ticket["estimated_wait_s"] == 150
    served = requests.get(ticket["status_url"], timeout=5).text
    assert f'<dd id="wait">{wait_words(150)}</dd>' in served  # "khoảng 3 phút", as the paper says
    open_status(page, ticket)
    expect(page.locator("#wait")).to_have_text(wait_words(150))
    answer = requests.get(live_server.url + "/api/v1/tickets/by-token/" + ticket["status_url"].rsplit("/", 1)[1], timeout=5)
    assert answer.json()["estimated_wait_text"] == "khoảng 3 phút"


def test_a_no_show_status_page_tells_the_citizen_what_to_do_next(page, live_server):
    live_server.start()
    ticket = take(live_server, "HT")
    headers = officer_at(live_server, 1)
    open_status(page, ticket)
    assert page.is_hidden("#next-step")
    act(live_server, 1, headers, "call-next")
    expect(page.locator("#status")).to_have_text("Mời bạn đến quầy số 1")
    act(live_server, 1, headers, "no-show")
    expect(page.locator("#status")).to_have_text("Đã qua lượt (vắng mặt)")
    next_step = page.locator("#next-step")
    expect(next_step).to_be_visible()
    expect(next_step).to_contain_text("đến bàn hướng dẫn")
    expect(next_step).to_contain_text("lấy số mới")
    page.reload()  # the same words when the page is opened afresh
    expect(page.locator("#next-step")).to_contain_text("lấy số mới")


def test_the_status_page_fits_every_phone(browser, live_server):
    live_server.start()
    waiting = take(live_server, "GCN", priority=True, priority_reason="child")  # the longest service name
    for _ in range(3):
        take(live_server, "GCN")
    no_show, called = take(live_server, "HT"), take(live_server, "HT")
    officer = officer_at(live_server, 1)
    act(live_server, 1, officer, "call-next")  # no_show
    act(live_server, 1, officer, "no-show")
    act(live_server, 1, officer, "call-next")  # called
    problems = []
    for width, height in PHONES:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                      is_mobile=True, has_touch=True)
        try:
            page = context.new_page()
            for ticket, status in ((waiting, "waiting"), (called, "called"), (no_show, "no_show")):
                open_status(page, ticket)
                page.wait_for_selector(f".status-card[data-status={status}]")
                problems += [f"{status} at {width}×{height}: {problem}" for problem in layout_problems(page, scrolls=True)]
                number_bottom = page.evaluate("() => document.querySelector('.status-number').getBoundingClientRect().bottom")
                assert number_bottom <= height, f"the number is below the first screen at {width}×{height}"
        finally:
            context.close()
    assert not problems, "\n".join(problems)
