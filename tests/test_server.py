"""server.py: flags, settings, the secret guard, demo mode."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from tests.helpers import ROOT, LiveServer, demo_config_with


def run_server(*args, env=None, timeout=30):
    environment = {"PATH": "/usr/bin:/bin", "LAYSO_ASYNC_MODE": "threading", **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "server.py"), *args], env=environment, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_without_demo_the_server_refuses_a_missing_or_default_secret(tmp_path):
    for env in ({}, {"LAYSO_SECRET_KEY": "change-me"}, {"LAYSO_SECRET_KEY": "short"}):
        result = run_server("--config", str(ROOT / "tests/data/center.toml"), "--db", str(tmp_path / "x.db"), env=env)
        assert result.returncode == 2
        assert "secret_key" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_bad_config_is_refused_with_the_key_named(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text((ROOT / "tests/data/center.toml").read_text().replace('prefix = "B"', 'prefix = "b1"'))
    result = run_server("--config", str(config), "--db", str(tmp_path / "x.db"),
                        env={"LAYSO_SECRET_KEY": "a-long-enough-secret-key"})
    assert result.returncode == 2 and "services[1].prefix" in result.stderr


def test_n_people_ahead_for_a_service_the_file_does_not_have_stops_the_start(tmp_path):
    config = demo_config_with(tmp_path, '[notify]\nnear_ahead_by_service = { HT = 5, XX = 4 }\n')
    result = run_server("--config", str(config), "--db", str(tmp_path / "x.db"),
                        env={"LAYSO_SECRET_KEY": "a-long-enough-secret-key"})
    assert result.returncode == 2
    assert "layso: notify.near_ahead_by_service.XX: not a code in [[services]]" in result.stderr
    assert not (tmp_path / "x.db").exists()


@pytest.mark.slow
def test_a_real_center_has_no_demo_accounts(tmp_path):
    server = LiveServer(tmp_path, demo=False, config=ROOT / "tests/data/center.toml")
    server.start()
    try:
        response = requests.post(server.url + "/api/v1/auth/login", json={"username": "canbo1", "password": "demo"})
        assert response.status_code == 401
        assert requests.post(server.url + "/api/v1/auth/login", json={"username": "admin", "password": "demo"}).status_code == 401
    finally:
        server.stop()


@pytest.mark.slow
def test_demo_mode_serves_the_demo_center_with_its_accounts(live_server):
    live_server.start()
    services = requests.get(live_server.url + "/api/v1/services").json()["services"]
    assert len(services) >= 4 and len({s["group"] for s in services}) >= 2
    assert len({s["prefix"] for s in services}) == len(services)
    for username in ("canbo1", "canbo6", "lanhdao", "admin"):
        assert live_server.login(username)
    counters = requests.get(live_server.url + "/api/v1/state").json()["counters"]
    assert len(counters) >= 6
    assert {code for c in counters for code in c["services"]} == {s["code"] for s in services}


def test_a_bad_printer_is_refused_with_the_key_named_not_a_traceback(tmp_path):
    config = tmp_path / "bad-printer.toml"
    config.write_text((ROOT / "tests/data/center.toml").read_text().replace('kind = "file"', 'kind = "laser"'))
    result = run_server("--config", str(config), "--db", str(tmp_path / "x.db"),
                        env={"LAYSO_SECRET_KEY": "a-long-enough-secret-key"})
    assert result.returncode == 2
    assert "kiosks" in result.stderr and "Traceback" not in result.stderr


def _ticket_request() -> bytes:
    body = b'{"service": "HT"}'
    return (b"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


def _ticket_ids(sock, count: int) -> list[int]:
    """Read ``count`` HTTP responses off a keep-alive socket; the ticket id of each."""
    buffer, ids = b"", []
    while len(ids) < count:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        buffer += chunk
        while b"\r\n\r\n" in buffer:
            head, rest = buffer.split(b"\r\n\r\n", 1)
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            if len(rest) < length:
                break
            ids.append(json.loads(rest[:length])["id"])
            buffer = rest[length:]
    return ids


@pytest.mark.slow
def test_a_connection_with_requests_queued_does_not_keep_the_others_waiting(live_server):
    """Requests already waiting on one kiosk's connection and one on another's: the second
    connection is served before the first one's second request (gevent would otherwise
    serve a connection for as long as it has requests buffered, and the rest would starve).

    Which of the two connections gevent takes up first when both are ready is not fixed
    (the second's request goes in first, which makes the first usually go first), and only
    the first one going first can starve the other: a few rounds make that case come up.
    Both the yield after each request (serve_gevent) and group commit's wait for an idle
    hub give the other connection its turn."""
    live_server.start()
    first, second = (socket.create_connection(("127.0.0.1", live_server.port)) for _ in range(2))
    try:
        for connection in (first, second):  # both accepted and waiting for their next request
            connection.sendall(_ticket_request())
            _ticket_ids(connection, 1)
        for _round in range(4):
            os.kill(live_server.process.pid, signal.SIGSTOP)  # everything arrives before it runs
            try:
                # on loopback, sendall returns once the bytes are in the server's receive queue
                second.sendall(_ticket_request())
                first.sendall(_ticket_request() * 3)
            finally:
                os.kill(live_server.process.pid, signal.SIGCONT)
            first_ids, (second_id,) = _ticket_ids(first, 3), _ticket_ids(second, 1)
            assert second_id < first_ids[1], (first_ids, second_id)
    finally:
        first.close()
        second.close()


def test_a_password_change_never_holds_up_the_tickets_being_issued(live_server):
    """The new password's hash (scrypt, slow on purpose) runs in gevent's thread pool while
    the hub serves the kiosks: it must not hold the database's write lock meanwhile, or
    every kiosk waits for the lock's 10 s timeout and gets an error."""
    live_server.start()
    officer = live_server.login("canbo1")
    answers, stop = [], threading.Event()

    def kiosk():
        session = requests.Session()
        while not stop.is_set():
            began = time.monotonic()
            status = session.post(live_server.url + "/api/v1/tickets", json={"service": "HT"}, timeout=30).status_code
            answers.append((status, time.monotonic() - began))

    worker = threading.Thread(target=kiosk)
    worker.start()
    try:
        while len(answers) < 5:  # tickets are flowing
            time.sleep(0.01)
        changed = requests.post(live_server.url + "/api/v1/auth/password", headers=officer, timeout=30,
                                json={"old_password": "demo", "new_password": "a-better-password"})
        during = len(answers)
        while len(answers) < during + 5:
            time.sleep(0.01)
    finally:
        stop.set()
        worker.join(timeout=60)
    assert changed.status_code == 200
    assert {status for status, _ in answers} == {201}
    assert max(seconds for _, seconds in answers) < 5
