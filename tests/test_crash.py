"""Process-crash safety: SIGKILL the server in the middle of a burst, restart it on the same file.

This is not power-cut safety: a killed process leaves the operating system's page cache
behind, so committed pages reach the disk whether they were fsynced or not. That an
acknowledged ticket survives a power cut rests on the fsync before every answer
(tests/test_durable.py) and on the disk; no test here cuts the power."""

import sqlite3
import threading
import time

import pytest
import requests


BURST = 150  # tickets acknowledged before the kill
DEADLINE_S = 60  # for that many, on a busy 2-core machine (a few seconds when idle)


@pytest.mark.slow
def test_a_killed_server_keeps_every_acknowledged_ticket_and_never_reuses_a_number(live_server):
    live_server.start()
    officer = live_server.login("canbo1")
    requests.post(live_server.url + "/api/v1/counters/1/open", headers=officer, timeout=10).raise_for_status()
    acknowledged, called, stop = [], [], threading.Event()

    def issue_tickets():
        session = requests.Session()
        while not stop.is_set():
            try:
                response = session.post(live_server.url + "/api/v1/tickets", json={"service": "HT"}, timeout=5)
            except requests.RequestException:
                return
            if response.status_code == 201:
                acknowledged.append(response.json())

    def call_tickets():
        session = requests.Session()
        while not stop.is_set():
            try:
                response = session.post(live_server.url + "/api/v1/counters/1/call-next", headers=officer, timeout=5)
            except requests.RequestException:
                return
            if response.status_code == 200 and response.json()["ticket"]:
                called.append(response.json()["ticket"]["number"])

    workers = [threading.Thread(target=issue_tickets) for _ in range(3)] + [threading.Thread(target=call_tickets)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + DEADLINE_S
    while len(acknowledged) < BURST and time.monotonic() < deadline:  # a burst well under way, then the kill
        time.sleep(0.01)
    live_server.stop(kill=True)
    stop.set()
    for worker in workers:
        worker.join(timeout=10)
    assert not any(worker.is_alive() for worker in workers)
    assert len(acknowledged) >= BURST, f"only {len(acknowledged)} tickets in {DEADLINE_S} s:\n{live_server.output()}"

    with sqlite3.connect(live_server.db_path) as database:
        rows = dict(database.execute("SELECT id, number FROM tickets").fetchall())
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for ticket in acknowledged:
        assert rows[ticket["id"]] == ticket["number"]
    assert len(set(rows.values())) == len(rows)

    live_server.start()
    after = requests.post(live_server.url + "/api/v1/tickets", json={"service": "HT"}, timeout=10).json()
    assert after["number"] not in rows.values()
    assert int(after["number"][1:]) == max(int(number[1:]) for number in rows.values()) + 1
    state = requests.get(live_server.url + "/api/v1/state", timeout=10).json()
    counter = state["counters"][0]
    assert counter["officer"]["username"] == "canbo1"
    if called:
        assert counter["current_ticket"]["number"] in set(called) | set(rows.values())
    waiting = next(s for s in state["services"] if s["code"] == "HT")["waiting"]
    with sqlite3.connect(live_server.db_path) as database:
        (expected,) = database.execute("SELECT COUNT(*) FROM tickets WHERE status = 'waiting' AND service = 'HT'").fetchone()
    assert waiting == expected
