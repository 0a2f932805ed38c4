"""Issue 15 item 9: a call makes the displays flash for 8 s, and the number stays readable in
every frame of it — WCAG AA, a contrast of at least 4.5:1 between the number and what is behind it.

The test stops the page's animations and steps them through the whole flash (every 50 ms),
takes a screenshot of the number at each step and measures the colours on it: the commonest
colour is the background, the next one the glyphs' fill (antialiased edges are each rare)."""

import io
import pytest
from PIL import Image

from tests.browser.test_display_browser import call_next_over_http, open_counters, show, take_numbers

pytestmark = pytest.mark.browser

FLASH_MS = 8000
STEP_MS = 50
AA_CONTRAST = 4.5
FLASH_YELLOW = (0xFF, 0xD2, 0x3F)  # display.css --number: the panel's flash colour

SEEK = """async (at) => {
  for (const animation of document.getAnimations()) { animation.pause(); animation.currentTime = at; }
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}"""


def relative_luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_wcag_examples():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((0x77, 0x77, 0x77), (255, 255, 255)), 2) == 4.48  # the classic just-fails grey


def background_and_ink(page, selector):
    """The commonest colour in the element's box and the next one: the background and the glyphs."""
    png = page.locator(selector).screenshot(animations="allow")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = sorted(image.getcolors(maxcolors=image.width * image.height), reverse=True)[:2]
    assert len(colours) == 2, f"{selector} shows one colour only"
    return colours[0][1], colours[1][1]


def frames_of_the_flash(page, selectors):
    """{selector: [(at_ms, background, ink)]} over the whole flash, and just after it."""
    frames = {selector: [] for selector in selectors}
    for at in [*range(0, FLASH_MS, STEP_MS), FLASH_MS + 100]:
        page.evaluate(SEEK, at)
        for selector in selectors:
            frames[selector].append((at, *background_and_ink(page, selector)))
    return frames


def assert_readable_in_every_frame(frames):
    for selector, shots in frames.items():
        low = [(at, background, ink, round(contrast(background, ink), 2)) for at, background, ink in shots
               if contrast(background, ink) < AA_CONTRAST]
        assert not low, f"{selector}: frames under {AA_CONTRAST}:1 (ms, background, ink, ratio): {low[:5]}"
        # Still a flash: some frames are the yellow panel, some the resting colours.
        assert {background == FLASH_YELLOW for _, background, _ in shots} == {True, False}, selector


def test_counter_display_number_keeps_aa_contrast_in_every_frame_of_the_call_flash(live_server, page):
    live_server.start()
    officers = open_counters(live_server, [2])
    take_numbers(live_server, "HT", 1)
    show(page, live_server.url + "/display/counter/2")
    call_next_over_http(live_server, 2, officers[2])
    page.wait_for_selector("#counter-screen.blink")
    assert_readable_in_every_frame(frames_of_the_flash(page, ["#counter-number"]))


def test_hall_display_call_panel_and_tile_numbers_keep_aa_contrast_while_flashing(live_server, page):
    live_server.start()
    officers = open_counters(live_server, [1])
    take_numbers(live_server, "HT", 1)
    show(page, live_server.url + "/display")
    # The hall fetches the state again after a call and draws its tiles anew: the called tile
    # must go on flashing, and the frames are taken once the page is quiet.
    with page.expect_response(lambda response: response.url.endswith("/api/v1/state")):
        number = call_next_over_http(live_server, 1, officers[1])
    tile = '.counter-tile[data-counter="1"]'
    page.wait_for_selector(f"#now-calling.blink >> text={number}")
    page.wait_for_selector(f"{tile}.blink .tile-number")
    assert_readable_in_every_frame(frames_of_the_flash(page, ["#now-number", f"{tile} .tile-number"]))
