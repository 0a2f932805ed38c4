"""Crash safety: SIGKILL the server in the middle of a burst, restart it on the same file."""

import sqlite3
import threading

import pytest
import requests


@pytest.mark.slow
def test_a_killed_server_keeps_every_acknowledged_ticket_and_never_reuses_a_number(live_server):
    live_server.start()
    officer = live_server.login("canbo1")
    requests.post(live_server.url + "/api/v1/counters/1/open", headers=officer).raise_for_status()
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
    while len(acknowledged) < 150:  # a burst well under way, then the power goes
        threading.Event().wait(0.01)
    live_server.stop(kill=True)
    stop.set()
    for worker in workers:
        worker.join(timeout=10)

    with sqlite3.connect(live_server.db_path) as database:
        rows = dict(database.execute("SELECT id, number FROM tickets").fetchall())
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for ticket in acknowledged:
        assert rows[ticket["id"]] == ticket["number"]
    assert len(set(rows.values())) == len(rows)

    live_server.start()
    after = requests.post(live_server.url + "/api/v1/tickets", json={"service": "HT"}).json()
    assert after["number"] not in rows.values()
    assert int(after["number"][1:]) == max(int(number[1:]) for number in rows.values()) + 1
    state = requests.get(live_server.url + "/api/v1/state").json()
    counter = state["counters"][0]
    assert counter["officer"]["username"] == "canbo1"
    if called:
        assert counter["current_ticket"]["number"] in set(called) | set(rows.values())
    waiting = next(s for s in state["services"] if s["code"] == "HT")["waiting"]
    with sqlite3.connect(live_server.db_path) as database:
        (expected,) = database.execute("SELECT COUNT(*) FROM tickets WHERE status = 'waiting' AND service = 'HT'").fetchone()
    assert waiting == expected
