"""Issue 19, recording in the browser: Chromium takes a WAV file the test makes as its
microphone (--use-file-for-fake-audio-capture); the admin records a clip on the "Giọng đọc"
page; the stored clip is trimmed, normalised and plays; once every clip exists, the next
call's announcement.ready audio is built from the pack."""

import io

import numpy as np
import pytest
import requests
from playwright.sync_api import expect

from layso.events import ANNOUNCEMENT_READY
from layso.speech import audio
from tests.browser.test_dashboard_pages import log_in
from tests.helpers import CHROMIUM_ARGS
from tests.test_display_voice import call_at_counter_5
from tests.test_voice_assembly import dominant_frequency, sounding_runs, tone

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT_MS = 30_000


@pytest.fixture
def microphone(tmp_path):
    """What the fake microphone hears, over and over: 0.3 s of quiet, a 0.6 s voice-like
    tone at 440 Hz (with its harmonics), then 2.1 s of quiet — at 48 kHz, as a USB microphone gives it."""
    rate = 48000
    time_s = np.arange(int(0.6 * rate)) / rate
    voice = sum(amplitude * np.sin(2 * np.pi * 440 * harmonic * time_s) for harmonic, amplitude in ((1, 0.3), (2, 0.1), (3, 0.05)))
    voice = audio.fade_edges(voice, rate, 0.02)
    path = tmp_path / "microphone.wav"
    path.write_bytes(audio.wav_bytes(np.concatenate([np.zeros(int(0.3 * rate)), voice, np.zeros(int(2.1 * rate))]), rate))
    return path


@pytest.fixture
def recording_page(browser, microphone):
    """A Chromium of its own (the session's Playwright launches it): one whose microphone is the test's WAV."""
    args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone}", "--autoplay-policy=no-user-gesture-required"]
    recording = browser.browser_type.launch(executable_path="/usr/bin/chromium", headless=True, args=args)
    context = recording.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    yield context.new_page()
    recording.close()


def test_a_clip_recorded_in_the_browser_is_stored_trimmed_normalised_and_plays(live_server, recording_page, sio_client, tmp_path):
    live_server.start()
    page = recording_page
    log_in(page, live_server.url + "/admin/voice", "admin")
    page.wait_for_selector("body[data-ready=yes]", timeout=WAIT_MS)
    page.locator("tr[data-key=digit-7] .record").click()
    expect(page.locator("#recorder")).to_be_visible()
    page.wait_for_function("() => Number(document.body.dataset.recordedSeconds || 0) >= 2.0", timeout=WAIT_MS)
    assert page.eval_on_selector("#level", "meter => meter.value") >= 0  # the level is shown while recording
    page.click("#stop-recording")
    expect(page.locator("tr[data-key=digit-7]")).to_have_attribute("data-recorded", "true", timeout=WAIT_MS)
    expect(page.locator("tr[data-key=digit-7] .status")).to_have_text("Đã ghi âm")

    admin = live_server.login("admin")
    stored = requests.get(live_server.url + "/api/v1/admin/voice-pack/clips/digit-7", headers=admin, timeout=10)
    assert stored.status_code == 200 and stored.headers["Content-Type"] == "audio/wav"
    samples, rate = audio.read_wav(stored.content)
    assert rate == audio.RATE
    # ≥ 2 s recorded; kept: the one sound and 30 ms either side (the loop's start is the device's, so a margin)
    assert 0.4 < len(samples) / rate < 1.3
    assert np.max(np.abs(samples)) <= 10 ** (-1 / 20)
    assert audio.loudness_db(samples) == pytest.approx(audio.TARGET_DB, abs=1.5)
    assert dominant_frequency(samples) == pytest.approx(440, abs=5)

    page.locator("tr[data-key=digit-7] .play").click()
    page.wait_for_function("() => document.getElementById('player').currentTime > 0.1", timeout=WAIT_MS)

    # Every other clip uploaded as a file (each a tone of its own): the next call is built from the pack.
    clips = requests.get(live_server.url + "/api/v1/admin/voice-pack", headers=admin, timeout=10).json()["clips"]
    for index, clip in enumerate(clips):
        if clip["key"] != "digit-7":
            data = audio.wav_bytes(tone(300 + 40 * index, 0.25, 44100), 44100)
            answer = requests.put(f"{live_server.url}/api/v1/admin/voice-pack/clips/{clip['key']}", data=data,
                                  headers=admin | {"Content-Type": "audio/wav"}, timeout=10)
            assert answer.status_code == 200, answer.json()
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-pack-complete", "yes", timeout=WAIT_MS)
    page.fill("#preview-form [name=number]", "A1023")
    page.click("#preview-form button[type=submit]")
    expect(page.locator("body")).to_have_attribute("data-preview-voice", "pack", timeout=WAIT_MS)

    display = sio_client({"role": "display"})
    display.wait_for("state")
    number, _ = call_at_counter_5(live_server)
    ready = display.wait_for(ANNOUNCEMENT_READY, lambda data: data["ticket"]["number"] == number, timeout=30)
    assert ready["chime_included"] is True
    spoken, _ = audio.read_wav(requests.get(live_server.url + ready["audio_url"], timeout=10).content)
    chime_frequency = 300 + 40 * next(index for index, clip in enumerate(clips) if clip["key"] == "chime")
    first, *rest = sounding_runs(spoken)
    assert dominant_frequency(spoken[first[0]:first[1]]) == pytest.approx(chime_frequency, abs=6)
    last = rest[-1]  # "năm", counter 5, the recorded clip "digit-5"
    five = 300 + 40 * next(index for index, clip in enumerate(clips) if clip["key"] == "digit-5")
    assert dominant_frequency(spoken[last[0]:last[1]]) == pytest.approx(five, abs=6)
    page.screenshot(path=str(tmp_path / "voice.png"), full_page=True)
