"""Notices through the real server (gevent, a subprocess) and a fake SMS gateway on
127.0.0.1: a SIGKILL between the commit of a call and the send loses nothing and sends
nothing twice; a gateway that hangs leaves issuing and calling as fast as before."""

import sqlite3
import statistics
import time

import pytest
import requests

from tests.fake_gateway import FakeGateway

DEADLINE_S = 60


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.close()


def notices(db_path) -> list[dict]:
    with sqlite3.connect(db_path) as database:
        database.row_factory = sqlite3.Row
        return [dict(row) for row in database.execute("SELECT * FROM notices ORDER BY id")]


def wait_until(condition, what: str, timeout_s: float = DEADLINE_S):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start(live_server, gateway, **env):
    live_server.start(env={"LAYSO_NOTIFY_CHANNEL": "sms", "LAYSO_SMS_URL": gateway.url + "/sms", **env})
    officer = live_server.login("canbo1")
    requests.post(live_server.url + "/api/v1/counters/1/open", headers=officer, timeout=10).raise_for_status()
    return officer


def remote_ticket(live_server, phone: str) -> dict:
    answer = live_server.post("/api/v1/tickets", {"service": "HT", "channel": "remote", "phone": phone, "consent": True})
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.mark.slow
def test_a_server_killed_after_the_call_commits_sends_its_notices_once_after_restart(live_server, gateway):
    gateway.go_offline()  # every try fails: the notices stay between commit and send
    officer = start(live_server, gateway)
    remote_ticket(live_server, "0912345678")
    called = live_server.post("/api/v1/counters/1/call-next", headers=officer).json()["ticket"]
    assert called["number"] == "A001"
    wait_until(lambda: all(notice["attempts"] >= 1 for notice in notices(live_server.db_path)), "a first, failed try")
    live_server.stop(kill=True)  # SIGKILL
    written = notices(live_server.db_path)
    assert [(notice["kind"], notice["status"]) for notice in written] == [("remote_issued", "pending"), ("called", "pending")]
    gateway.go_online()
    live_server.start()
    wait_until(lambda: all(notice["status"] == "sent" for notice in notices(live_server.db_path)), "every notice sent")
    assert sorted(gateway.delivered) == sorted(notice["uid"] for notice in written)
    assert len(gateway.requests) == 2  # once each: nothing sent twice
    texts = {request["body"]["text"] for request in gateway.requests}
    assert "Mời số A001 đến quầy số 1." in texts


@pytest.mark.slow
def test_a_server_killed_while_the_gateway_holds_a_request_retries_it_with_the_same_id(live_server, gateway):
    gateway.ambiguous, gateway.ambiguous_delay_s = 1, 30  # received, never answered in time
    start(live_server, gateway)
    remote_ticket(live_server, "0912345679")
    gateway.wait_for_requests(1)
    live_server.stop(kill=True)
    live_server.start()
    wait_until(lambda: notices(live_server.db_path)[0]["status"] == "sent", "the notice sent after restart")
    first, second = gateway.requests
    assert first["body"]["id"] == second["body"]["id"]  # the gateway recognises the retry
    assert len(gateway.delivered) == 1


def _timed(call) -> float:
    started = time.perf_counter()
    answer = call()
    assert answer.status_code in (200, 201), answer.text
    return time.perf_counter() - started


@pytest.mark.slow
def test_a_hanging_gateway_does_not_slow_issuing_or_calling(live_server, gateway):
    """The bound is generous (a busy 2-core CI machine); bench/bench_notify.py measures precisely."""
    gateway.delay_s = 60  # every request hangs past the timeout
    officer = start(live_server, gateway, LAYSO_ASYNC_MODE="gevent")
    session = requests.Session()
    times = []
    for index in range(40):
        phone = f"09123456{index:02d}"
        times.append(_timed(lambda: session.post(live_server.url + "/api/v1/tickets", timeout=10, json={
            "service": "HT", "channel": "remote", "phone": phone, "consent": True})))
        times.append(_timed(lambda: session.post(live_server.url + "/api/v1/counters/1/call-next", headers=officer,
                                                 timeout=10)))
    wait_until(lambda: len(gateway.requests) >= 8, "the sender's loops all held by the gateway")
    assert len(notices(live_server.db_path)) >= 80  # every notice written, most of them waiting
    assert statistics.median(times) < 0.25, times
    assert max(times) < 2.0, times


def test_the_give_up_time_edited_on_the_admin_page_is_the_one_the_running_sender_uses(live_server, gateway):
    gateway.status = 503  # down: every try is tried again, until the give-up time
    start(live_server, gateway)
    admin = live_server.login("admin")
    settings = requests.get(live_server.url + "/api/v1/admin/notify", headers=admin, timeout=10).json()["settings"]
    edited = {**settings, "give_up_s": 2, "max_backoff_s": 0.5}  # the default would keep it trying for 30 minutes
    saved = requests.post(live_server.url + "/api/v1/admin/settings/notify", json={"value": edited}, headers=admin,
                          timeout=10)
    assert saved.status_code == 200, saved.text
    remote_ticket(live_server, "0912345677")
    [notice] = wait_until(lambda: [row for row in notices(live_server.db_path) if row["status"] == "failed"],
                          "the notice given up")
    assert notice["give_up_ts"] - notice["created_ts"] == pytest.approx(2)
    assert notice["attempts"] >= 2 and "503" in notice["last_error"]
    assert len(gateway.requests) == notice["attempts"]
