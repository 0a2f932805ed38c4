"""Calls become announcements: in order, off the caller's path, cached, and never lost to a failure."""

import json
import unicodedata
from pathlib import Path

import pytest
from tests.helpers import Published, run_under_gevent
from tests.speech_helpers import WAIT_S, CountingEngine, FlakyEngine, GatedEngine

from layso.events import ANNOUNCEMENT_FAILED, ANNOUNCEMENT_READY, dashboard_room, display_room
from layso.speech.announcer import (
    Announcer,
    VoiceSettings,
    announcement_text,
    start_announcer,
)
from layso.speech.engines import plain_text, validate_wav

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = VoiceSettings()


def ticket(number, **extra):
    return {"id": int(number[1:]), "number": number, "service": "TP", **extra}


@pytest.fixture
def events():
    return Published()


@pytest.fixture
def make_announcer(tmp_path, events):
    """Build an Announcer on a wrapping engine; every one is closed after the test."""
    made = []

    def make(engine=None, **options):
        announcer = Announcer(engine or CountingEngine(), tmp_path / "audio", events, **options)
        made.append(announcer)
        return announcer

    yield make
    for announcer in made:
        announcer.close()


def audio_file(tmp_path, event):
    return tmp_path / "audio" / event.data["audio_url"].rsplit("/", 1)[1]


def test_default_template_reads_number_and_counter_as_words():
    text = announcement_text(SETTINGS.template, label="1023", counter=5, dialect="north",
                             digit_by_digit=False)
    assert text == "Xin mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số năm"


def test_southern_and_digit_by_digit_readings_fill_the_template():
    south = announcement_text("{number} quầy {counter}", label="A1005", counter=15,
                              dialect="south", digit_by_digit=False)
    digits = announcement_text("{number} quầy {counter}", label="A015", counter=15,
                               dialect="north", digit_by_digit=True)
    assert south == "A một ngàn không trăm lẻ năm quầy mười lăm"
    assert digits == "A không một năm quầy mười lăm"


def test_announcement_text_is_nfc_even_from_a_decomposed_template():
    template = unicodedata.normalize("NFD", SETTINGS.template)
    text = announcement_text(template, label="A015", counter=5, dialect="north", digit_by_digit=False)
    assert text == "Xin mời công dân có số thứ tự A mười lăm đến quầy số năm"
    assert unicodedata.is_normalized("NFC", text)


def test_template_with_an_unknown_placeholder_is_refused():
    with pytest.raises(ValueError, match="voice.template"):
        VoiceSettings(template="Mời số {number} đến {desk}")


def test_dialect_follows_the_southern_voice_unless_set():
    assert VoiceSettings().dialect == "north"
    assert VoiceSettings(voice="vi-vn-x-central").dialect == "north"
    assert VoiceSettings(voice="vi-vn-x-south").dialect == "south"
    assert VoiceSettings(voice="vi-vn-x-south", dialect="north").dialect == "north"


@pytest.mark.parametrize(("key", "value"), [("engine", "festival"), ("voice", "en"),
                                            ("speed", 10), ("volume", 300), ("dialect", "hue")])
def test_bad_voice_setting_is_refused_naming_its_key(key, value):
    with pytest.raises(ValueError, match=f"voice.{key}"):
        VoiceSettings(**{key: value})


def test_call_is_announced_to_displays_with_a_valid_wav(make_announcer, events, tmp_path):
    make_announcer().announce(ticket("A015", status_token="secret"), 5, SETTINGS)
    [event] = events.wait_for_count(1)
    text = "Xin mời công dân có số thứ tự A mười lăm đến quầy số năm"
    assert event.name == ANNOUNCEMENT_READY
    assert event.rooms == (display_room(),)
    assert event.data["counter"] == 5
    assert event.data["text"] == text
    assert event.data["ticket"] == ticket("A015")  # the status link stays private
    assert event.data["audio_url"].startswith("/audio/") and event.data["audio_url"].endswith(".wav")
    assert validate_wav(audio_file(tmp_path, event), text) > 2


def test_audio_url_comes_from_the_given_function(make_announcer, events):
    make_announcer(audio_url=lambda name: f"http://hall/audio/{name}").announce(ticket("A015"), 5, SETTINGS)
    [event] = events.wait_for_count(1)
    assert event.data["audio_url"].startswith("http://hall/audio/")


def test_same_text_reuses_the_cached_file_without_synthesis(make_announcer, events, tmp_path):
    engine = CountingEngine()
    announcer = make_announcer(engine)
    announcer.announce(ticket("A015"), 5, SETTINGS)
    announcer.announce(ticket("A015"), 5, SETTINGS)  # a recall
    announcer.announce(ticket("A015"), 6, SETTINGS)
    first, recall, other = events.wait_for_count(3)
    assert recall.data["audio_url"] == first.data["audio_url"] != other.data["audio_url"]
    assert [" ".join(plain_text(text).split()) for text in engine.texts] == [first.data["text"], other.data["text"]]
    # A new announcer on the same cache directory (a restart) finds the files too.
    engine_after_restart = CountingEngine()
    make_announcer(engine_after_restart).announce(ticket("A015"), 5, SETTINGS)
    assert events.wait_for_count(4)[3].data["audio_url"] == first.data["audio_url"]
    assert engine_after_restart.texts == []


def test_another_voice_does_not_reuse_the_cached_file(make_announcer, events, tmp_path):
    """An admin's new speed: the next call is spoken anew, by an engine at that speed."""
    announcer = make_announcer(CountingEngine(speed=150))
    announcer.announce(ticket("A015"), 5, SETTINGS)
    announcer.announce(ticket("A015"), 5, VoiceSettings(speed=180))
    first, second = events.wait_for_count(2)
    assert first.data["audio_url"] != second.data["audio_url"]
    assert (announcer.engine.name, announcer.engine.speed) == ("espeak-ng", 180)
    assert validate_wav(audio_file(tmp_path, second), second.data["text"]) > 2


def test_slow_synthesis_neither_blocks_the_caller_nor_reorders_calls(make_announcer, events):
    engine = GatedEngine()
    announcer = make_announcer(engine)
    announcer.announce(ticket("A001"), 1, SETTINGS)
    assert engine.started.wait(WAIT_S)
    # The engine is still held inside the first synthesis, yet announce() returned.
    announcer.announce(ticket("B002"), 2, SETTINGS)
    announcer.announce(ticket("A001"), 1, SETTINGS)  # recalled: spoken again, in its turn
    assert events.events == []
    engine.gate.set()
    announced = events.wait_for_count(3)
    assert [(e.data["ticket"]["number"], e.data["counter"]) for e in announced] == [
        ("A001", 1), ("B002", 2), ("A001", 1)]
    assert all(e.data["audio_url"] for e in announced)


def test_broken_engine_still_announces_without_audio_and_tells_dashboards(make_announcer, events,
                                                                          tmp_path):
    engine = FlakyEngine(failures=1)
    announcer = make_announcer(engine)
    announcer.announce(ticket("A015"), 5, SETTINGS)
    announcer.announce(ticket("A016"), 5, SETTINGS)
    ready, failed, next_ready = events.wait_for_count(3)
    assert (ready.name, ready.data["audio_url"], ready.data["ticket"]["number"]) == (
        ANNOUNCEMENT_READY, None, "A015")
    assert ready.data["text"] == "Xin mời công dân có số thứ tự A mười lăm đến quầy số năm"
    assert failed.name == ANNOUNCEMENT_FAILED
    assert failed.rooms == (dashboard_room(),)
    assert failed.data == {"ticket": ticket("A015"), "counter": 5, "error": "engine broke"}
    # The worker keeps going, and the failure left no half file in the cache.
    assert next_ready.data["ticket"]["number"] == "A016" and next_ready.data["audio_url"]
    assert sorted(path.name for path in (tmp_path / "audio").iterdir()) == [
        next_ready.data["audio_url"].rsplit("/", 1)[1]]


def test_unreadable_label_is_shown_without_audio(make_announcer, events):
    make_announcer().announce({"id": 1, "number": "A-B"}, 5, SETTINGS)
    ready, failed = events.wait_for_count(2)
    assert (ready.data["text"], ready.data["audio_url"]) == (None, None)
    assert "label" in failed.data["error"]


def test_failing_publish_does_not_stop_later_announcements(tmp_path, events):
    calls = []

    def publish(event):
        calls.append(event)
        if len(calls) == 1:
            raise ConnectionError("socket gone")
        events(event)

    announcer = Announcer(CountingEngine(), tmp_path / "audio", publish)
    announcer.announce(ticket("A001"), 1, SETTINGS)
    announcer.announce(ticket("A002"), 1, SETTINGS)
    [event] = events.wait_for_count(1)
    announcer.close()
    assert event.data["ticket"]["number"] == "A002"


def test_close_finishes_queued_announcements(tmp_path, events):
    announcer = Announcer(CountingEngine(), tmp_path / "audio", events)
    for number in ("A001", "A002", "A003"):
        announcer.announce(ticket(number), 1, SETTINGS)
    announcer.close()
    assert [e.data["ticket"]["number"] for e in events.events] == ["A001", "A002", "A003"]


def test_call_after_close_is_dropped_without_raising(tmp_path, events):
    announcer = Announcer(CountingEngine(), tmp_path / "audio", events)
    announcer.close()
    announcer.announce(ticket("A001"), 1, SETTINGS)
    assert events.events == []


@pytest.mark.parametrize("separate_process", [False, True], ids=["in-process", "worker-process"])
@pytest.mark.parametrize("engine", ["espeak-ng", "pyttsx3"])
def test_real_announcement_with_each_engine(engine, separate_process, tmp_path, events):
    settings = VoiceSettings(engine=engine, voice="vi-vn-x-south")  # dialect: south
    announcer = start_announcer(settings, tmp_path / "audio", events, separate_process=separate_process)
    try:
        announcer.announce(ticket("A1005"), 12, settings)
        [event] = events.wait_for_count(1)
    finally:
        announcer.close()
    text = "Xin mời công dân có số thứ tự A một ngàn không trăm lẻ năm đến quầy số mười hai"
    assert event.data["text"] == text
    assert 3 < validate_wav(audio_file(tmp_path, event), text) < 9


@pytest.mark.parametrize("separate_process", [False, True], ids=["in-process", "worker-process"])
def test_missing_engine_still_shows_calls_and_reports_why(separate_process, monkeypatch, tmp_path, events):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng program
    announcer = start_announcer(SETTINGS, tmp_path / "audio", events, separate_process=separate_process)
    announcer.announce(ticket("A015"), 5, SETTINGS)
    ready, failed = events.wait_for_count(2)
    announcer.close()
    assert ready.data["audio_url"] is None
    assert "espeak-ng is not installed" in failed.data["error"]


def test_a_new_voice_gets_a_new_worker_process_and_the_old_one_ends(tmp_path, events):
    announcer = start_announcer(SETTINGS, tmp_path / "audio", events, separate_process=True)
    first = announcer.engine._process
    faster = VoiceSettings(speed=200)
    try:
        announcer.announce(ticket("A015"), 5, SETTINGS)
        announcer.announce(ticket("A016"), 5, faster)
        spoken = events.wait_for_count(2)
    finally:
        announcer.close()
    assert all(event.data["audio_url"] for event in spoken)
    assert first.returncode == 0  # closed when the voice changed
    assert announcer.engine.speed == 200 and announcer.engine._process is None  # and the new one at close


GEVENT_SCRIPT = """
from gevent import monkey
monkey.patch_all()
import json, sys, threading
from pathlib import Path
from layso.speech.announcer import VoiceSettings, start_announcer

events, done = [], threading.Event()
def publish(event):
    events.append(event.data)
    if len(events) == 3:
        done.set()

announcer = start_announcer(VoiceSettings(), Path(sys.argv[1]), publish, separate_process=True)  # as the server
for number, counter in (("A001", 1), ("B002", 2), ("A001", 1)):
    announcer.announce({"number": number}, counter, VoiceSettings())
done.wait(60)
announcer.close()
print(json.dumps(events))
"""


@pytest.mark.slow
def test_worker_announces_in_order_under_gevent_monkey_patching(tmp_path):
    announced = json.loads(run_under_gevent(GEVENT_SCRIPT, str(tmp_path / "audio"), timeout_s=120))
    assert [(e["ticket"]["number"], e["counter"]) for e in announced] == [
        ("A001", 1), ("B002", 2), ("A001", 1)]
    assert all(e["audio_url"] for e in announced)
