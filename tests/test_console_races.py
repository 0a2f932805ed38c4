"""Races and abuse against a running server (gevent, as in production): two consoles
calling at once, one action sent twice, and every way a rating can be refused — each
refused with its status and JSON error, and nothing counted twice (checked in the DB)."""

import sqlite3
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import requests

pytestmark = pytest.mark.slow
CALLS_PER_CONSOLE = 12


def _db(live_server):
    return sqlite3.connect(live_server.db_path, timeout=10)


def _count(live_server, sql, params=()):
    with _db(live_server) as connection:
        return connection.execute(sql, params).fetchone()[0]


def _console(live_server, username):
    """A console's HTTP client: its own connection pool and login."""
    session = requests.Session()
    session.headers.update(live_server.login(username))
    return session


def _post(session, live_server, path, body=None, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return session.post(live_server.url + path, json=body or {}, headers=headers, timeout=15)


def _issue(live_server, service, count):
    return [live_server.post("/api/v1/tickets", {"service": service}).json() for _ in range(count)]


def _served_ticket(live_server, counter=1, username=None):
    """Open ``counter``, call one HT ticket there and finish it; return (console, ticket)."""
    console = _console(live_server, username or f"canbo{counter}")
    assert _post(console, live_server, f"/api/v1/counters/{counter}/open").status_code == 200
    _issue(live_server, "HT", 1)
    ticket = _post(console, live_server, f"/api/v1/counters/{counter}/call-next").json()["ticket"]
    assert _post(console, live_server, f"/api/v1/counters/{counter}/finish").status_code == 200
    return console, ticket


def _rate(live_server, body, token="demo-tablet-1"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(live_server.url + "/api/v1/ratings", json=body, headers=headers, timeout=15)


def test_two_consoles_calling_at_the_same_instant_never_get_the_same_ticket(live_server):
    live_server.start()
    consoles = {1: _console(live_server, "canbo1"), 2: _console(live_server, "canbo2")}
    for number, console in consoles.items():  # counters 1 and 2 both serve HT
        assert _post(console, live_server, f"/api/v1/counters/{number}/open").status_code == 200
    _issue(live_server, "HT", 2 * CALLS_PER_CONSOLE)
    barrier = threading.Barrier(2)

    def call_repeatedly(number):
        barrier.wait(timeout=10)
        called = []
        for _ in range(CALLS_PER_CONSOLE):
            answer = _post(consoles[number], live_server, f"/api/v1/counters/{number}/call-next")
            assert answer.status_code == 200, answer.text
            called.append(answer.json()["ticket"]["id"])
        return called

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(call_repeatedly, (1, 2))

    assert len(set(first)) == len(first) == CALLS_PER_CONSOLE
    assert not set(first) & set(second)
    assert _count(live_server, "SELECT COUNT(*) FROM visits") == 2 * CALLS_PER_CONSOLE
    assert _count(live_server, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM visits GROUP BY ticket)") == 1


def test_the_same_call_sent_twice_with_one_idempotency_key_calls_once(live_server):
    live_server.start()
    console = _console(live_server, "canbo1")
    _post(console, live_server, "/api/v1/counters/1/open")
    _issue(live_server, "HT", 3)
    key = str(uuid.uuid4())

    first = _post(console, live_server, "/api/v1/counters/1/call-next", key=key)
    again = _post(console, live_server, "/api/v1/counters/1/call-next", key=key)

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert _count(live_server, "SELECT COUNT(*) FROM visits") == 1
    assert _count(live_server, "SELECT COUNT(*) FROM tickets WHERE status = 'waiting'") == 2


def test_the_same_finish_sent_concurrently_with_one_key_acts_once(live_server):
    live_server.start()
    consoles = [_console(live_server, "canbo1") for _ in range(2)]  # one officer, a retry on a second socket
    _post(consoles[0], live_server, "/api/v1/counters/1/open")
    _issue(live_server, "HT", 2)
    _post(consoles[0], live_server, "/api/v1/counters/1/call-next")
    key = str(uuid.uuid4())
    barrier = threading.Barrier(2)

    def finish(console):
        barrier.wait(timeout=10)
        return _post(console, live_server, "/api/v1/counters/1/finish", key=key)

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(finish, consoles))

    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert _count(live_server, "SELECT COUNT(*) FROM ticket_events WHERE action = 'finished'") == 1


def test_a_rating_sent_twice_at_once_is_stored_once_and_the_second_is_a_conflict(live_server):
    live_server.start()
    _, ticket = _served_ticket(live_server)
    barrier = threading.Barrier(2)

    def rate(_):
        barrier.wait(timeout=10)
        return _rate(live_server, {"ticket": ticket["id"], "level": "satisfied"})

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(rate, range(2)), key=lambda answer: answer.status_code)

    assert [answer.status_code for answer in answers] == [201, 409]
    assert answers[1].json()["error"] == "already_rated" and answers[1].json()["message"]
    again = _rate(live_server, {"ticket": ticket["id"], "level": "very_satisfied"})
    assert (again.status_code, again.json()["error"]) == (409, "already_rated")
    assert _count(live_server, "SELECT COUNT(*) FROM ratings WHERE ticket = ?", [ticket["id"]]) == 1
    assert _count(live_server, "SELECT level FROM ratings WHERE ticket = ?", [ticket["id"]]) == "satisfied"


@pytest.mark.parametrize(
    ("case", "status", "error"),
    [
        ("another_counters_tablet", 403, "rating_not_allowed"),
        ("after_the_window", 403, "rating_not_allowed"),
        ("unregistered_device", 401, "unauthorized"),
        ("no_device_token", 401, "unauthorized"),
        ("officer_token", 401, "unauthorized"),
        ("level_not_configured", 400, "invalid_input"),
        ("reason_not_configured", 400, "invalid_input"),
        ("required_reason_missing", 400, "invalid_input"),
        ("ticket_not_served_yet", 403, "rating_not_allowed"),
    ],
)
def test_a_rating_that_must_not_count_is_refused_and_nothing_is_stored(live_server, case, status, error):
    live_server.start()
    console, ticket = _served_ticket(live_server)
    body, token = {"ticket": ticket["id"], "level": "very_satisfied"}, "demo-tablet-1"
    if case == "another_counters_tablet":
        token = "demo-tablet-2"
    elif case == "after_the_window":
        with _db(live_server) as connection:  # finished 4 minutes ago: the window is 3
            earlier = (datetime.fromisoformat(ticket["issued_at"]) - timedelta(minutes=4)).isoformat(timespec="seconds")
            connection.execute("UPDATE tickets SET finished_at = ? WHERE id = ?", [earlier, ticket["id"]])
    elif case == "unregistered_device":
        token = "forged-tablet-token"
    elif case == "no_device_token":
        token = None
    elif case == "officer_token":
        token = console.headers["Authorization"][7:]
    elif case == "level_not_configured":
        body["level"] = "excellent"
    elif case == "reason_not_configured":
        body.update(level="not_satisfied", reasons=["too_cold"])
    elif case == "required_reason_missing":
        body["level"] = "not_satisfied"
    elif case == "ticket_not_served_yet":
        waiting = _issue(live_server, "HT", 1)[0]
        body["ticket"] = waiting["id"]

    answer = _rate(live_server, body, token)

    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error and answer.json()["message"]
    assert _count(live_server, "SELECT COUNT(*) FROM ratings") == 0
