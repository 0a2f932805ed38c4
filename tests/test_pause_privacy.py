"""Issue 15 item 11: an officer's free-text pause note stays with staff. Public screens (hall
and counter displays, tablets, the public state) show a configured public reason, or only
"Tạm dừng phục vụ"; consoles and dashboards keep the whole note. One rule,
layso.events.for_anyone, applied wherever a payload leaves for a room that is not a staff room."""

import re

import pytest

from layso.events import for_anyone, public_pause_reason
from layso.settings import DEFAULT_PUBLIC_PAUSE_REASONS, SettingsError
from layso.web.realtime import socketio
from tests.helpers import demo_config_with

PUBLIC = ("Nghỉ giải lao", "Họp")
NOTE = "Đi đón con ở trường, về muộn"


@pytest.mark.parametrize("reason, shown", [
    ("Nghỉ giải lao", "Nghỉ giải lao"),
    ("Họp", "Họp"),
    ("Họp: bàn chuyện nội bộ", "Họp"),           # the console's "reason: note" keeps the reason only
    ("Họp giao ban", None),                       # not a public reason, only starts like one
    (NOTE, None),
    ("Lý do khác: ốm", None),
    ("", None),
    (None, None),
    ("ư" * 200, None),
])
def test_only_a_configured_public_reason_reaches_a_public_screen(reason, shown):
    assert public_pause_reason(reason, PUBLIC) == shown


def test_for_anyone_cuts_pause_reasons_at_any_depth_and_no_reason_is_public_by_default():
    state = {"counters": [{"number": 1, "status": "paused", "paused_reason": NOTE},
                          {"number": 2, "status": "paused", "paused_reason": "Họp"}]}
    assert [c["paused_reason"] for c in for_anyone(state, PUBLIC)["counters"]] == [None, "Họp"]
    assert [c["paused_reason"] for c in for_anyone(state)["counters"]] == [None, None]
    assert state["counters"][0]["paused_reason"] == NOTE  # the staff's copy is untouched


def test_the_console_s_own_choices_but_other_are_public_by_default():
    from counter.messages import PAUSE_REASONS

    assert set(DEFAULT_PUBLIC_PAUSE_REASONS) == set(PAUSE_REASONS) - {"Lý do khác"}


def test_public_reasons_are_configured_in_the_pause_section(make_settings, tmp_path):
    config = demo_config_with(tmp_path, '\n[pause]\npublic_reasons = ["Nghỉ trưa"]\n')
    assert make_settings(config=config).public_pause_reasons == ("Nghỉ trưa",)
    bad = demo_config_with(tmp_path, '\n[pause]\npublic_reasons = "Nghỉ trưa"\n')
    with pytest.raises(SettingsError, match=re.escape("pause.public_reasons")):
        make_settings(config=bad)


def pause(client, login, counter, officer, reason):
    headers = login(officer)
    assert client.post(f"/api/v1/counters/{counter}/open", headers=headers).status_code == 200
    response = client.post(f"/api/v1/counters/{counter}/pause", json={"reason": reason}, headers=headers)
    assert response.status_code == 200
    return headers


def status_line(html: str) -> str:
    return re.search(r'id="counter-status"[^>]*>([^<]*)<', html).group(1).strip()


def test_public_pages_and_the_public_state_show_a_note_as_a_neutral_pause(client, login):
    headers = pause(client, login, 1, "an", NOTE)
    assert status_line(client.get("/display/counter/1").get_data(as_text=True)) == "Tạm dừng phục vụ"
    for page in ("/display", "/display/counter/1", "/api/v1/state"):
        assert NOTE not in client.get(page).get_data(as_text=True), page
    assert client.post("/api/v1/counters/1/resume", headers=headers).status_code == 200
    assert client.post("/api/v1/counters/1/pause", json={"reason": "Họp: giao ban quý"}, headers=headers).status_code == 200
    html = client.get("/display/counter/1").get_data(as_text=True)
    assert status_line(html) == "Tạm dừng — Họp" and "giao ban quý" not in html


def test_sockets_outside_staff_rooms_never_hear_the_note_and_the_console_does(app, client, login):
    officer = login("an")
    assert client.post("/api/v1/counters/1/open", headers=officer).status_code == 200
    display = socketio.test_client(app, auth={"role": "display"})
    counter_display = socketio.test_client(app, auth={"role": "display", "counter": 1})
    console = socketio.test_client(app, auth={"role": "counter", "counter": 1, "token": officer["Authorization"][7:]})
    for socket in (display, counter_display, console):
        socket.get_received()
    assert client.post("/api/v1/counters/1/pause", json={"reason": NOTE}, headers=officer).status_code == 200

    def paused_reasons(socket):
        return [event["args"][0]["counter"]["paused_reason"] for event in socket.get_received()
                if event["name"] == "counter.updated"]

    assert paused_reasons(display) == paused_reasons(counter_display) == [None]
    assert paused_reasons(console) == [NOTE]
    late = socketio.test_client(app, auth={"role": "display"})  # the state on connect too
    state = next(event["args"][0] for event in late.get_received() if event["name"] == "state")
    assert NOTE not in str(state) and state["counters"][0]["status"] == "paused"
    for socket in (display, counter_display, console, late):
        socket.disconnect()
