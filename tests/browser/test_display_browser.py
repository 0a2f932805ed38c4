"""The displays in real headless Chromium against a running server: calls shown, spoken in order,
and right again after the server comes back."""

import base64

import pytest
from playwright.sync_api import expect

from layso import clock
from layso.queue.calling import call_next
from layso.speech.engines import validate_wav
from layso.store.db import open_db

SPEECH_WAIT_MS = 90_000  # a chime and about 4 s of speech per call, on a busy 2-core machine
CONNECTED = "() => document.body.dataset.connected === 'yes'"


def open_counters(server, counters):
    """Log the demo officers in and open their counters: {counter: headers}."""
    officers = {number: server.login(f"canbo{number}") for number in counters}
    for number, headers in officers.items():
        server.post(f"/api/v1/counters/{number}/open", headers=headers).raise_for_status()
    return officers


def call_next_over_http(server, counter, headers) -> str:
    response = server.post(f"/api/v1/counters/{counter}/call-next", headers=headers)
    response.raise_for_status()
    return response.json()["ticket"]["number"]


def show(page, url):
    """Open a display page and wait until its socket is connected."""
    page.goto(url)
    page.wait_for_function(CONNECTED)


def take_numbers(server, service, count):
    for _ in range(count):
        server.post("/api/v1/tickets", {"service": service}).raise_for_status()


@pytest.mark.browser
def test_hall_display_shows_a_call_and_plays_the_wav_it_was_given(live_server, sio_client, page, tmp_path):
    live_server.start()
    listener = sio_client({"role": "display"})
    officers = open_counters(live_server, [1])
    take_numbers(live_server, "HT", 1)
    show(page, live_server.url + "/display")
    with page.expect_response(lambda response: "/audio/" in response.url, timeout=SPEECH_WAIT_MS) as fetched:
        number = call_next_over_http(live_server, 1, officers[1])
        expect(page.locator("#now-number")).to_have_text(number)
        expect(page.locator("#now-counter")).to_have_text("1")
        expect(page.locator('.counter-tile[data-counter="1"] .tile-number')).to_have_text(number)
    ready = listener.wait_for("announcement.ready", lambda data: data["ticket"]["number"] == number)
    assert fetched.value.status in (200, 206)
    assert fetched.value.url == live_server.url + ready["audio_url"]
    assert page.eval_on_selector("#announcer", "audio => audio.src") == live_server.url + ready["audio_url"]
    encoded = page.evaluate(
        """async (url) => {
             const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
             let text = ""; bytes.forEach((byte) => { text += String.fromCharCode(byte); });
             return btoa(text);
           }""",
        ready["audio_url"],
    )
    path = tmp_path / "played.wav"
    path.write_bytes(base64.b64decode(encoded))
    assert path.read_bytes()[:4] == b"RIFF"
    assert 1.0 < validate_wav(path, ready["text"]) < 10.0
    page.wait_for_function(f"() => window.__speechLog.includes('end {number}')", timeout=SPEECH_WAIT_MS)


@pytest.mark.browser
def test_three_quick_calls_are_spoken_one_after_another_in_call_order(live_server, page):
    live_server.start()
    officers = open_counters(live_server, [1, 4, 7])
    for service in ("HT", "GCN", "GPLX"):
        take_numbers(live_server, service, 1)
    show(page, live_server.url + "/display/hall")
    numbers = [call_next_over_http(live_server, counter, officers[counter]) for counter in (1, 4, 7)]
    page.wait_for_function("() => window.__speechLog.length === 6", timeout=SPEECH_WAIT_MS)
    assert page.evaluate("window.__played") == numbers
    assert page.evaluate("window.__speechLog") == [f"{step} {number}" for number in numbers
                                                  for step in ("start", "end")]


@pytest.mark.browser
def test_display_shows_the_marker_while_the_server_is_down_and_the_right_state_after(live_server, page):
    live_server.start()
    officers = open_counters(live_server, [1])
    take_numbers(live_server, "HT", 2)
    show(page, live_server.url + "/display")
    first = call_next_over_http(live_server, 1, officers[1])
    expect(page.locator("#now-number")).to_have_text(first)
    live_server.stop()
    expect(page.locator("#connection-status")).to_be_visible()
    # While the server is down, the next call is made in the database: only the reconnect's
    # `state` can bring it to the screen.
    database = open_db(live_server.db_path)
    second = call_next(database, 1, officer="canbo1", now=clock.now("Asia/Ho_Chi_Minh")).value["number"]
    database.conn.close()
    live_server.start()
    expect(page.locator("#connection-status")).to_be_hidden(timeout=30_000)
    expect(page.locator("#now-number")).to_have_text(second)
    expect(page.locator('.counter-tile[data-counter="1"] .tile-number')).to_have_text(second)
    assert first != second


@pytest.mark.browser
def test_counter_display_follows_its_counter_into_a_pause_without_the_officer_s_note(live_server, page):
    live_server.start()
    officers = open_counters(live_server, [2])
    take_numbers(live_server, "HT", 1)
    show(page, live_server.url + "/display/counter/2")
    number = call_next_over_http(live_server, 2, officers[2])
    expect(page.locator("#counter-number")).to_have_text(number)
    expect(page.locator("#officer-name")).to_have_text("Cán bộ quầy 2")
    live_server.post("/api/v1/counters/2/finish", headers=officers[2]).raise_for_status()
    live_server.post("/api/v1/counters/2/pause", {"reason": "Nghỉ giữa giờ"}, headers=officers[2]).raise_for_status()
    expect(page.locator("#counter-status")).to_have_text("Tạm dừng phục vụ")  # a note, not a public reason
    expect(page.locator("body")).to_have_class("display counter-display status-paused")
    live_server.post("/api/v1/counters/2/resume", headers=officers[2]).raise_for_status()
    expect(page.locator("body")).to_have_class("display counter-display status-idle")
    live_server.post("/api/v1/counters/2/pause", {"reason": "Nghỉ giải lao: gọi điện cho nhà"},
                     headers=officers[2]).raise_for_status()
    expect(page.locator("#counter-status")).to_have_text("Tạm dừng — Nghỉ giải lao")


@pytest.mark.browser
def test_counter_display_shows_an_admin_s_change_of_its_officer_at_once(live_server, page):
    live_server.start()
    open_counters(live_server, [2])
    show(page, live_server.url + "/display/counter/2")
    expect(page.locator("#officer-name")).to_have_text("Cán bộ quầy 2")
    admin = live_server.login("admin")
    live_server.post("/api/v1/admin/officers/canbo2", {"name": "Nguyễn Thị Hoa", "title": "Chuyên viên"},
                     headers=admin).raise_for_status()
    expect(page.locator("#officer-name")).to_have_text("Nguyễn Thị Hoa")
    expect(page.locator("#officer-title")).to_have_text("Chuyên viên")


@pytest.mark.browser
def test_an_admin_s_new_announcement_line_shows_on_the_hall_at_once(live_server, page):
    live_server.start()
    show(page, live_server.url + "/display")
    line = "Chiều thứ Bảy trung tâm nghỉ để bảo trì hệ thống."
    admin = live_server.login("admin")
    live_server.post("/api/v1/admin/settings/announcement", {"value": line}, headers=admin).raise_for_status()
    expect(page.locator("#ticker-text")).to_have_text(line)
    expect(page.locator("#ticker")).to_be_visible()
