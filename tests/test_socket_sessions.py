"""Issue 14, security items 6 and 7, with real Socket.IO clients against a running server:
a socket ends within a second of what let it in (logout, expiry, deactivation, a password
change, a revoked device), and an officer's console hears only the counter they hold."""

import pytest
import requests

from tests.helpers import LiveServer, RecordingClient, assert_socket_refused, demo_config_with

pytestmark = pytest.mark.slow
DEADLINE_S = 5  # the server checks every half second; the rest is a busy test machine's slack


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    """One demo server for the whole module (each test uses its own accounts and devices)."""
    server = LiveServer(tmp_path_factory.mktemp("sessions")).start()
    yield server
    server.stop()


@pytest.fixture
def sockets():
    opened = []

    def connect(server, auth):
        recorder = RecordingClient(server.url, auth)
        opened.append(recorder)
        recorder.wait_for("state")
        return recorder

    yield connect
    for recorder in opened:
        recorder.close()


def token_of(headers):
    return headers["Authorization"][7:]


def assert_ended(recorder, server):
    """Disconnected by the server, and not let back in (the client would reconnect)."""
    recorder.wait_for("disconnect", timeout=DEADLINE_S)
    assert not recorder.client.connected
    assert server.post("/api/v1/tickets", {"service": "HT"}).status_code == 201
    assert "ticket.issued" not in recorder.names()


def test_item_6_logout_ends_the_dashboard_s_socket(center, sockets):
    manager = center.login("lanhdao")
    dashboard = sockets(center, {"role": "dashboard", "token": token_of(manager)})
    assert center.post("/api/v1/auth/logout", headers=manager).status_code == 200
    assert_ended(dashboard, center)


def test_item_6_deactivating_an_account_ends_its_console_s_socket(center, sockets):
    officer = center.login("canbo3")
    console = sockets(center, {"role": "counter", "token": token_of(officer)})
    answer = center.post("/api/v1/admin/officers/canbo3", {"active": False}, headers=center.login("admin"))
    assert answer.status_code == 200, answer.text
    assert_ended(console, center)


def test_item_6_a_password_change_ends_the_user_s_other_sockets_not_its_own(center, sockets):
    kept, stolen = center.login("canbo4"), center.login("canbo4")
    own = sockets(center, {"role": "counter", "token": token_of(kept)})
    other = sockets(center, {"role": "counter", "token": token_of(stolen)})
    changed = center.post("/api/v1/auth/password", {"old_password": "demo", "new_password": "gió mùa đông bắc 7"},
                          headers=kept)
    assert changed.status_code == 200, changed.text
    assert_ended(other, center)
    own.wait_for("ticket.issued")  # the socket of the session that changed it goes on
    assert own.client.connected


def test_item_6_revoking_a_device_ends_its_socket(center, sockets):
    token = center.register_device("display", "tv-sessions")
    display = sockets(center, {"role": "display", "token": token})
    admin = center.login("admin")
    assert center.post("/api/v1/admin/devices/tv-sessions/revoke", headers=admin).status_code == 200
    assert_ended(display, center)
    assert_socket_refused(center.url, {"role": "display", "token": token})


def test_item_6_an_expired_login_ends_its_socket(tmp_path, sockets):
    server = LiveServer(tmp_path, config=demo_config_with(tmp_path, "[security]\ntoken_ttl_s = 2\n")).start()
    try:
        dashboard = sockets(server, {"role": "dashboard", "token": token_of(server.login("lanhdao"))})
        assert_ended(dashboard, server)
    finally:
        server.stop()


def test_item_7_an_officer_hears_the_ratings_of_the_counter_they_hold_only(center, sockets):
    canbo1, canbo2 = center.login("canbo1"), center.login("canbo2")
    assert center.post("/api/v1/counters/2/open", headers=canbo2).status_code == 200
    try:
        snooping = sockets(center, {"role": "counter", "counter": 2, "token": token_of(canbo1)})
        screen = sockets(center, {"role": "display", "counter": 2})
        holder = sockets(center, {"role": "counter", "counter": 2, "token": token_of(canbo2)})
        supervisor = sockets(center, {"role": "counter", "counter": 2, "token": token_of(center.login("lanhdao"))})
        rate_at_counter_2(center, canbo2)
        holder.wait_for("rating.submitted", lambda data: data["counter"] == 2)
        supervisor.wait_for("rating.submitted", lambda data: data["counter"] == 2)
        assert "rating.submitted" not in snooping.names() and "rating.submitted" not in screen.names()
        snooping.wait_for("ticket.finished")  # it still hears the counters list

        # Counter 2 changes hands: the first officer's console leaves its room at once.
        manager = center.login("lanhdao")
        assert center.post("/api/v1/counters/2/close", headers=manager).status_code == 200
        canbo5 = center.login("canbo5")
        assert center.post("/api/v1/counters/2/open", headers=canbo5).status_code == 200
        holder.clear()
        newcomer = sockets(center, {"role": "counter", "counter": 2, "token": token_of(canbo5)})
        rate_at_counter_2(center, canbo5)
        newcomer.wait_for("rating.submitted", lambda data: data["counter"] == 2)
        assert "rating.submitted" not in holder.names()
    finally:
        center.post("/api/v1/counters/2/close", headers=center.login("lanhdao"))


def rate_at_counter_2(server, officer):
    ticket = server.post("/api/v1/tickets", {"service": "LLTP"}).json()
    called = server.post("/api/v1/counters/2/call", {"ticket": ticket["id"]}, headers=officer)
    assert called.status_code == 200, called.text
    assert server.post("/api/v1/counters/2/finish", headers=officer).status_code == 200
    rated = requests.post(server.url + "/api/v1/ratings", json={"ticket": ticket["id"], "level": "satisfied"},
                          headers={"Authorization": "Bearer demo-tablet-2"}, timeout=10)
    assert rated.status_code == 201, rated.text
