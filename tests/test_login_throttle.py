"""Issue 14, security item 2: guessing is throttled by address and by (user name, address),
and nobody can lock an officer out by failing on their name (layso.web.throttle)."""

import pytest

from layso.web.throttle import FAILURES_PER_ADDRESS, MAX_DELAY_S, MAX_KEYS, WINDOW_S, LoginThrottle


def login_from(client, address, username, password):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def waits(app):
    """The backoff waits the app's throttle asks for, recorded instead of slept."""
    asked = []
    app.extensions["layso.login_throttle"].sleep = asked.append
    return asked


def test_item_2_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out_of_another(client, waits):
    for _ in range(5):
        assert login_from(client, "10.0.0.66", "binh", "wrong password").status_code == 401
    assert login_from(client, "10.0.0.66", "binh", "binh-password-1").status_code == 429  # that address stops
    answer = login_from(client, "10.0.0.12", "binh", "binh-password-1")
    assert answer.status_code == 200 and answer.get_json()["username"] == "binh"


def test_item_2_a_burst_over_many_addresses_slows_down_but_the_owner_gets_in_after_a_bounded_wait(client, waits):
    for attacker in range(200):
        assert login_from(client, f"10.1.{attacker // 250}.{attacker % 250}", "binh", "guess").status_code == 401
    assert waits == sorted(waits) and waits[-1] == MAX_DELAY_S  # backoff: growing, then capped
    assert max(waits) <= MAX_DELAY_S <= 5
    waits.clear()
    owner = login_from(client, "10.0.0.12", "binh", "binh-password-1")
    assert owner.status_code == 200
    assert waits == [MAX_DELAY_S]  # one capped wait, never a lock-out


def test_item_2_one_address_trying_many_user_names_is_refused(client, waits):
    for number in range(FAILURES_PER_ADDRESS):
        assert login_from(client, "10.0.0.66", f"user{number}", "guess").status_code == 401
    refused = login_from(client, "10.0.0.66", "binh", "binh-password-1")
    assert refused.status_code == 429 and refused.get_json()["error"] == "too_many_requests"
    assert login_from(client, "10.0.0.12", "binh", "binh-password-1").status_code == 200


def test_item_2_the_throttle_s_memory_is_bounded_and_expires():
    clock = [1000.0]
    throttle = LoginThrottle(clock=lambda: clock[0], sleep=lambda seconds: None)
    for number in range(MAX_KEYS * 2):
        throttle.failed(f"user{number}", f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}")
    assert throttle.size() <= MAX_KEYS
    clock[0] += WINDOW_S + 1
    throttle.failed("someone", "10.9.9.9")
    assert throttle.size() == 3  # everything older than the window is gone
