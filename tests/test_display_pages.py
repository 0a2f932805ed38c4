"""Display pages and the /audio route, in process: the call is in the HTML before any script runs."""

import re

import pytest

from layso import clock
from layso.queue.calling import call_next
from layso.queue.counters import open_counter, pause_counter
from layso.queue.tickets import issue_ticket
from layso.settings import DEMO_CONFIG, SettingsError
from layso.store.db import open_db
from layso.web.i18n import gettext

# The demo center is open all day, so calls made "now" (the app's clock) are today's.
SILENT_SCREENS = (
    {"id": "hall", "name": "Sảnh", "counters": [], "speak": False},
    {"id": "gplx", "name": "Tầng 2", "counters": [7], "speak": False, "layout": "portrait"},
)


@pytest.fixture
def demo(make_settings):
    """(client, db, now) for the demo center with silent screens."""
    from layso.web.app import create_app

    settings = make_settings(config=DEMO_CONFIG, demo=True, displays=SILENT_SCREENS)
    app = create_app(settings)
    database = open_db(settings.db_path)
    yield app.test_client(), database, clock.now(settings.timezone)
    database.conn.close()
    app.extensions["layso.pool"].close()


def call(database, now, counter, service):
    issue_ticket(database, service, now=now)
    open_counter(database, counter, officer=f"canbo{counter}", now=now)
    return call_next(database, counter, officer=f"canbo{counter}", now=now).value


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, f"no #{element_id} in the page"
    return match.group(1).strip()


def test_hall_display_has_the_number_being_called_in_its_html(demo):
    client, database, now = demo
    call(database, now, 1, "HT")
    latest = call(database, now, 2, "HT")
    html = client.get("/display").get_data(as_text=True)
    assert text_of(html, "now-number") == latest["number"] == "A002"
    assert text_of(html, "now-counter") == "2"
    assert re.search(r'data-counter="1">\s*<div class="tile-label">Quầy 1</div>\s*<div class="tile-number">A001<', html)
    assert re.search(r'class="call-number">A001</span><span class="call-counter">Quầy 1<', html)
    assert "Trung tâm Phục vụ hành chính công tỉnh (demo)" in html


def test_hall_display_before_any_call_says_none_was_called(demo):
    client, _, _ = demo
    html = client.get("/display/hall").get_data(as_text=True)
    assert 'class="now-calling empty"' in html
    assert "Chưa gọi số nào" in html


def test_screen_shows_only_its_counters_and_their_services(demo):
    client, database, now = demo
    call(database, now, 1, "HT")
    call(database, now, 7, "GPLX")
    html = client.get("/display/gplx").get_data(as_text=True)
    assert text_of(html, "now-number") == "G001"
    assert "A001" not in html
    assert re.findall(r'data-counter="(\d+)"', html) == ["7"]
    assert re.findall(r'class="service-prefix">(\w+)<', html) == ["G"]
    assert 'class="display hall portrait"' in html


def test_unknown_screen_is_not_found(demo):
    client, _, _ = demo
    assert client.get("/display/no-such-screen").status_code == 404
    assert client.get("/display/counter/99").status_code == 404


def test_counter_display_shows_officer_and_a_pause_with_a_public_reason_only(demo):
    client, database, now = demo
    served = call(database, now, 3, "LLTP")
    html = client.get("/display/counter/3").get_data(as_text=True)
    assert text_of(html, "counter-number") == served["number"]
    assert text_of(html, "officer-name") == "Cán bộ quầy 3"
    open_counter(database, 4, officer="canbo4", now=now)
    pause_counter(database, 4, officer="canbo4", reason="Họp", now=now)
    html = client.get("/display/counter/4").get_data(as_text=True)
    assert text_of(html, "counter-status") == "Tạm dừng — Họp"
    assert "status-paused" in html
    open_counter(database, 5, officer="canbo5", now=now)
    pause_counter(database, 5, officer="canbo5", reason="Họp giao ban", now=now)  # not a public reason
    assert text_of(client.get("/display/counter/5").get_data(as_text=True), "counter-status") == "Tạm dừng phục vụ"


def test_display_speaks_english_when_asked(demo):
    client, _, _ = demo
    html = client.get("/display?lang=en").get_data(as_text=True)
    assert "Now calling number" in html
    assert '"Quầy": "Counter"' in html  # the scripts' words, translated too
    # the hall's own readings, where the console reads the same Vietnamese as a button
    assert '"Đang phục vụ": "Now serving"' in html and '"Tạm dừng": "Paused"' in html
    with client.application.test_request_context("/counter?lang=en"):
        assert gettext("Tạm dừng") == "Pause"


@pytest.mark.parametrize("name", [
    "../layso.db", "..%2Flayso.db", "%2e%2e%2flive", "ABCDEF" + "0" * 58, "0" * 63, "0" * 65,
    ".partial-" + "0" * 55, "0" * 64 + ".wav",
])
def test_audio_route_refuses_names_that_are_not_cache_files(demo, name):
    client, _, _ = demo
    assert client.get(f"/audio/{name}.wav").status_code == 404


def test_audio_route_serves_a_cached_file_as_wav(demo, make_settings):
    client, _, _ = demo
    audio = make_settings().instance_dir / "audio"
    audio.mkdir(exist_ok=True)
    (audio / ("ab" * 32 + ".wav")).write_bytes(b"RIFF....WAVE")
    response = client.get("/audio/" + "ab" * 32 + ".wav")
    assert response.status_code == 200
    assert response.mimetype == "audio/wav"
    assert response.data == b"RIFF....WAVE"
    assert client.get("/audio/" + "cd" * 32 + ".wav").status_code == 404


@pytest.mark.parametrize("screen, key", [
    ({"id": "a", "layout": "sideways"}, "displays[0].layout"),
    ({"id": "a", "speak": "yes"}, "displays[0].speak"),
    ({"id": "a", "counters": ["1"]}, "displays[0].counters"),
])
def test_bad_display_config_stops_the_start_naming_its_key(make_settings, screen, key):
    from layso.web.app import create_app

    with pytest.raises(SettingsError, match=re.escape(key)):
        create_app(make_settings(displays=(screen,)))
