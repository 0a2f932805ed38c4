"""The hall's voice: one announcer per app, fed by published calls; announcement.ready on the wire."""

import gc
import io
import wave
import weakref
from pathlib import Path

import pytest
import requests

from layso.admin.center import change_setting
from layso.events import ANNOUNCEMENT_READY
from layso.queue.calling import call_next, recall
from layso.queue.counters import open_counter
from layso.queue.tickets import issue_ticket
from layso.speech.engines import validate_wav
from layso.web.realtime import add_listener

from display.voice import stop_voice
from tests.helpers import Published

SPEAKING_HALL = ({"id": "hall", "name": "Sảnh", "speak": True},)
WAIT_S = 30


@pytest.fixture
def speaking_app(make_settings):
    from layso.web.app import create_app

    app = create_app(make_settings(displays=SPEAKING_HALL))
    yield app
    stop_voice(app)
    app.extensions["layso.pool"].close()


def assert_valid_wav(data: bytes, text: str, tmp_path) -> float:
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(io.BytesIO(data)) as audio:
        assert audio.getnframes() > 0
    path = tmp_path / "fetched.wav"
    path.write_bytes(data)
    return validate_wav(path, text)


def test_no_announcer_runs_when_no_screen_speaks(app):
    assert "layso.announcer" not in app.extensions


def test_call_and_recall_are_each_spoken_and_served_from_the_audio_route(speaking_app, db, now, tmp_path):
    heard = Published()
    add_listener(speaking_app, heard)
    publish = speaking_app.extensions["layso.publish"]
    issue_ticket(db, "HT", now=now)
    open_counter(db, 1, officer="an", now=now)
    publish(call_next(db, 1, officer="an", now=now).events)
    publish(recall(db, 1, officer="an", now=now).events)
    first, again = heard.wait_for_count(2, ANNOUNCEMENT_READY)
    assert first.data["ticket"]["number"] == again.data["ticket"]["number"] == "A001"
    assert first.data["counter"] == 1
    assert first.data["text"] == "Xin mời công dân có số thứ tự A một đến quầy số một"
    assert first.data["audio_url"] == again.data["audio_url"]
    assert first.rooms == ("display",)
    response = speaking_app.test_client().get(first.data["audio_url"])
    assert response.status_code == 200
    assert 1.0 < assert_valid_wav(response.data, first.data["text"], tmp_path) < 10.0


def test_a_discarded_app_stops_its_announcer(make_settings):
    from layso.web.app import create_app

    app = create_app(make_settings(displays=SPEAKING_HALL))
    worker = app.extensions["layso.announcer"]._thread
    discarded = weakref.ref(app)
    app.extensions["layso.pool"].close()
    del app
    # The one SocketIO object keeps the latest app it was bound to; the next app replaces it.
    other = create_app(make_settings())
    gc.collect()
    assert discarded() is None
    worker.join(WAIT_S)
    assert not worker.is_alive()
    other.extensions["layso.pool"].close()


def child_commands(pid: int) -> str:
    """The command lines of a process's children, from /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return " ".join(Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode() for child in children)


def call_at_counter_5(live_server) -> tuple[str, dict]:
    """A GCN ticket issued and called at the demo's counter 5: its number, and the officer's headers."""
    officer = live_server.login("canbo5")
    live_server.post("/api/v1/tickets", {"service": "GCN"}).raise_for_status()
    live_server.post("/api/v1/counters/5/open", headers=officer).raise_for_status()
    return live_server.post("/api/v1/counters/5/call-next", headers=officer).json()["ticket"]["number"], officer


def test_display_client_receives_announcement_ready_with_a_valid_wav(live_server, sio_client, tmp_path):
    live_server.start()
    display = sio_client({"role": "display"})
    display.wait_for("state")
    number, officer = call_at_counter_5(live_server)
    ready = display.wait_for(ANNOUNCEMENT_READY, lambda data: data["ticket"]["number"] == number, timeout=WAIT_S)
    assert ready["counter"] == 5
    assert ready["text"].endswith("đến quầy số năm")
    assert "status_url" not in ready["ticket"]
    response = requests.get(live_server.url + ready["audio_url"], timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"] == "audio/wav"
    assert 1.0 < assert_valid_wav(response.content, ready["text"], tmp_path) < 10.0
    assert "layso.speech.process" in child_commands(live_server.process.pid)  # made outside the hub's process
    live_server.post("/api/v1/counters/5/recall", headers=officer).raise_for_status()
    display.wait_for(ANNOUNCEMENT_READY, lambda data: data is not ready and data["ticket"]["number"] == number,
                     timeout=WAIT_S)


def test_an_admin_change_of_the_voice_applies_from_the_next_call_without_a_restart(speaking_app, db, now, tmp_path):
    heard = Published()
    add_listener(speaking_app, heard)
    publish = speaking_app.extensions["layso.publish"]
    for _ in range(2):
        issue_ticket(db, "HT", now=now)
    open_counter(db, 1, officer="an", now=now)
    publish(call_next(db, 1, officer="an", now=now).events)
    before = heard.wait_for_count(1, ANNOUNCEMENT_READY)[0]
    changed = change_setting(db, "voice", {"template": "Mời số {number} đến quầy {counter}", "speed": 200},
                             by="quantri", now=now)
    publish(changed.events)
    publish(call_next(db, 1, officer="an", now=now).events)
    after = heard.wait_for_count(2, ANNOUNCEMENT_READY)[1]
    assert before.data["text"] == "Xin mời công dân có số thứ tự A một đến quầy số một"
    assert after.data["text"] == "Mời số A hai đến quầy một"
    assert speaking_app.extensions["layso.announcer"].engine.speed == 200
    response = speaking_app.test_client().get(after.data["audio_url"])
    assert 0.5 < assert_valid_wav(response.data, after.data["text"], tmp_path) < 10.0
