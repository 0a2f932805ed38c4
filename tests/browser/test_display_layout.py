"""Issue 15 items 5 and 6: every display fits its screen — the hall screens (/display,
/display/<id>) and the counter display (/display/counter/<n>) at 1920×1080, 1366×768 and a
portrait 1080×1920, nothing outside the viewport, cut or overlapping — and a long service name
on the hall screen wraps to two lines, then shrinks, and is never cut."""

import re

import pytest

from tests.browser.layout import layout_problems, sized_page
from tests.helpers import ROOT, LiveServer, busy_center

pytestmark = pytest.mark.browser

DISPLAY_SIZES = [(1920, 1080), (1366, 768), (1080, 1920)]
PAGES = ["/display", "/display/hall", "/display/tang-2", "/display/counter/2", "/display/counter/6"]
LONG_NAME = "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất"
ABSURD_NAME = ("Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu, "
               "cấp đổi, cấp lại, đính chính và đăng ký biến động đất đai cho hộ gia đình, cá nhân, tổ chức trong xã")
LONG_CENTER = "Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế — Chi nhánh khu vực phía Bắc"


def long_names_config(tmp_path):
    """The demo center with a very long center name and a long service name (a real procedure's)."""
    demo = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    demo = demo.replace('name = "Cấp giấy chứng nhận quyền sử dụng đất"', f'name = "{LONG_NAME}"')
    demo = re.sub(r'(\[center\][^\[]*?\nname = )"[^"]*"', rf'\1"{LONG_CENTER}"', demo, count=1, flags=re.S)
    config = tmp_path / "center.toml"
    config.write_text(demo, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def display_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("display-layout")
    server = LiveServer(tmp_path, config=long_names_config(tmp_path))
    server.start()
    busy_center(server)
    yield server
    server.stop()


def on_purpose(problem: str) -> bool:
    """What a display shows past its boxes on purpose: the announcement line runs across the
    screen's edges, and the "tap to turn the sound on" prompt of a speaking screen whose browser
    refused to play sound stands over the page until someone taps it."""
    return "ticker" in problem or "#sound-unlock" in problem


def open_display(page, url):
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.connected === 'yes' && document.fonts.status === 'loaded'")
    # Let the page's own refresh after connecting land, then stop the clock-like motion.
    page.wait_for_function("() => !document.querySelector('.blink')")


@pytest.mark.parametrize("size", DISPLAY_SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_every_display_fits_its_screen(browser, display_server, size):
    problems = []
    with sized_page(browser, *size) as page:
        for path in PAGES:
            open_display(page, display_server.url + path)
            problems += [f"{path}: {problem}" for problem in layout_problems(page, within="body")
                         if not on_purpose(problem)]
    assert not problems, "\n".join(problems)


def test_hall_title_is_not_one_word_a_line_on_a_portrait_screen(browser, display_server):
    with sized_page(browser, 1080, 1920) as page:
        open_display(page, display_server.url + "/display")
        lines = page.evaluate("""() => {
          const title = document.getElementById("center-name");
          return Math.round(title.getBoundingClientRect().height / parseFloat(getComputedStyle(title).lineHeight));
        }""")
    assert lines <= 2


@pytest.mark.parametrize("size", DISPLAY_SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_long_service_names_wrap_to_two_lines_then_shrink_and_are_never_cut(browser, display_server, size):
    with sized_page(browser, *size) as page:
        open_display(page, display_server.url + "/display")
        names = page.evaluate("""() => [...document.querySelectorAll("#waiting .service-name")].map((name) => {
          const style = getComputedStyle(name);
          return { text: name.textContent, shown: name.innerText, fontSize: parseFloat(style.fontSize),
                   lines: Math.round(name.getBoundingClientRect().height / parseFloat(style.lineHeight)),
                   cut: name.scrollHeight > name.clientHeight + 1 || name.scrollWidth > name.clientWidth + 1,
                   ellipsis: style.textOverflow === "ellipsis" && style.overflow !== "visible" };
        })""")
    assert LONG_NAME in [name["text"] for name in names]
    for name in names:
        assert not name["cut"] and not name["ellipsis"], name
        assert name["lines"] <= 2, name
    longest = next(name for name in names if name["text"] == LONG_NAME)
    others = [name["fontSize"] for name in names if name["text"] != LONG_NAME]
    assert longest["fontSize"] < min(others), "the longest name shrinks to fit its two lines"


def test_an_absurdly_long_service_name_takes_more_lines_but_is_never_cut(browser, display_server):
    """200 characters: at half its size it still needs more than two lines; it gets them."""
    assert len(ABSURD_NAME) == 200
    admin = display_server.login("admin")
    display_server.post("/api/v1/admin/services/GCN", {"name": ABSURD_NAME}, headers=admin).raise_for_status()
    try:
        for size in DISPLAY_SIZES:
            with sized_page(browser, *size) as page:
                open_display(page, display_server.url + "/display")
                assert ABSURD_NAME in page.inner_text("#waiting")
                problems = [problem for problem in layout_problems(page, within="body") if not on_purpose(problem)]
                assert not problems, (size, problems)
    finally:
        display_server.post("/api/v1/admin/services/GCN", {"name": LONG_NAME}, headers=admin).raise_for_status()
