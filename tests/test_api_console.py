"""The HTTP contract of what the counter console and the rating tablet load: the waiting
list, the officer's day, the socket token, the pages, and who may rate."""

import pytest

from tests.helpers import ROOT

DEMO = ROOT / "config" / "demo.toml"


@pytest.fixture
def settings(make_settings):
    # The demo center: open every day (the real clock is used), demo officers and tablets.
    return make_settings(config=DEMO, demo=True)


@pytest.fixture
def officer(client):
    """officer("canbo1") → bearer headers for that demo officer."""

    def log_in(username):
        response = client.post("/api/v1/auth/login", json={"username": username, "password": "demo"})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return log_in


def take(client, service, **options):
    response = client.post("/api/v1/tickets", json={"service": service, **options})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def act(client, headers, counter, action, body=None):
    response = client.post(f"/api/v1/counters/{counter}/{action}", json=body or {}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def queue(client, headers, counter=1):
    response = client.get(f"/api/v1/counters/{counter}/queue", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_queue_lists_waiting_tickets_in_the_order_call_next_follows(client, officer):
    canbo1 = officer("canbo1")
    act(client, canbo1, 1, "open")
    a1, a2 = take(client, "HT"), take(client, "HT")
    c1 = take(client, "CT")
    elderly = take(client, "HT", priority=True, priority_reason="elderly")
    take(client, "GCN")  # not a service of counter 1

    listed = queue(client, canbo1)

    assert [ticket["number"] for ticket in listed["waiting"]] == [
        elderly["number"], a1["number"], a2["number"], c1["number"]
    ]
    assert listed["waiting"][0]["priority"] is True
    assert listed["waiting_total"] == 4 and listed["held"] == []
    assert all("status_url" not in ticket and "status_token" not in ticket for ticket in listed["waiting"])
    for expected in listed["waiting"][:2]:
        assert act(client, canbo1, 1, "call-next")["ticket"]["id"] == expected["id"]


def test_queue_marks_a_transferred_ticket_and_puts_it_first(client, officer):
    canbo1, canbo2 = officer("canbo1"), officer("canbo2")
    act(client, canbo1, 1, "open")
    act(client, canbo2, 2, "open")
    take(client, "HT")
    moved = take(client, "LLTP")
    act(client, canbo2, 2, "call", {"ticket": moved["id"]})
    act(client, canbo2, 2, "transfer", {"counter": 1, "note": "Cần chứng thực", "force": True})  # 1 serves no LLTP

    listed = queue(client, canbo1)

    assert listed["waiting"][0]["id"] == moved["id"]
    assert listed["waiting"][0]["transferred"] is True


def test_held_ticket_is_listed_and_can_be_called_back(client, officer):
    canbo1 = officer("canbo1")
    act(client, canbo1, 1, "open")
    ticket = take(client, "HT")
    act(client, canbo1, 1, "call-next")
    act(client, canbo1, 1, "hold")

    listed = queue(client, canbo1)
    assert [held["id"] for held in listed["held"]] == [ticket["id"]]
    assert listed["waiting"] == []

    answer = act(client, canbo1, 1, "call", {"ticket": ticket["id"]})
    assert answer["ticket"]["status"] == "called"
    assert queue(client, canbo1)["held"] == []


def test_queue_needs_a_login_and_a_known_counter(client, officer, app):
    assert app.test_client().get("/api/v1/counters/1/queue").status_code == 401
    response = client.get("/api/v1/counters/99/queue", headers=officer("canbo1"))
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown_counter"


def test_officer_today_counts_only_this_officers_finished_services(client, officer, app):
    canbo1, canbo2 = officer("canbo1"), officer("canbo2")
    act(client, canbo1, 1, "open")
    act(client, canbo2, 2, "open")
    for _ in range(3):
        take(client, "HT")
    act(client, canbo1, 1, "call-next")
    act(client, canbo1, 1, "finish")
    act(client, canbo1, 1, "call-next")
    act(client, canbo1, 1, "no-show")  # not a citizen served
    act(client, canbo2, 2, "call-next")
    act(client, canbo2, 2, "finish")

    mine = client.get("/api/v1/officers/me/today", headers=canbo1).get_json()
    assert mine["served"] == 1
    assert mine["avg_service_s"] is not None and mine["avg_service_s"] >= 0
    fresh = client.get("/api/v1/officers/me/today", headers=officer("canbo3")).get_json()
    assert fresh["served"] == 0 and fresh["avg_service_s"] is None
    assert app.test_client().get("/api/v1/officers/me/today").status_code == 401


def test_socket_token_returns_the_cookie_sessions_token_uncached(client):
    assert client.get("/api/v1/auth/socket-token").status_code == 401
    login = client.post("/api/v1/auth/login", json={"username": "canbo1", "password": "demo"}).get_json()

    response = client.get("/api/v1/auth/socket-token")

    assert response.status_code == 200
    assert response.get_json()["token"] == login["token"]
    assert response.get_json()["username"] == "canbo1"
    assert response.headers["Cache-Control"] == "no-store"
    client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": login["csrf_token"]})
    assert client.get("/api/v1/auth/socket-token").status_code == 401


def test_an_officer_cannot_rate_from_the_console(client, officer, app):
    canbo1 = officer("canbo1")
    act(client, canbo1, 1, "open")
    take(client, "HT")
    ticket = act(client, canbo1, 1, "call-next")["ticket"]
    act(client, canbo1, 1, "finish")
    rating = {"ticket": ticket["id"], "level": "very_satisfied"}

    with_token = client.post("/api/v1/ratings", json=rating, headers=canbo1)
    login = client.post("/api/v1/auth/login", json={"username": "canbo1", "password": "demo"}).get_json()
    with_cookie = client.post("/api/v1/ratings", json=rating, headers={"X-CSRF-Token": login["csrf_token"]})

    assert (with_token.status_code, with_token.get_json()["error"]) == (401, "unauthorized")
    assert (with_cookie.status_code, with_cookie.get_json()["error"]) == (401, "unauthorized")
    with app.extensions["layso.pool"].connection() as database:
        assert database.execute("SELECT COUNT(*) FROM ratings").fetchone()[0] == 0


def test_rating_levels_carry_the_tablets_timings(client):
    body = client.get("/api/v1/ratings/levels").get_json()
    assert [level["id"] for level in body["levels"]] == ["very_satisfied", "satisfied", "not_satisfied"]
    assert body["levels"][2]["requires_reason"] is True
    assert body["window_s"] == 180 and body["idle_timeout_s"] == 30


def test_console_page_shows_the_login_form_then_the_console_with_a_csrf_token(client):
    page = client.get("/counter").get_data(as_text=True)
    assert 'id="login-form"' in page and 'name="csrf-token"' not in page

    client.post("/api/v1/auth/login", json={"username": "canbo1", "password": "demo"})
    page = client.get("/counter").get_data(as_text=True)

    assert 'name="csrf-token"' in page and 'id="console-view"' in page
    assert "Gọi số tiếp theo" in page and "<kbd>F1 / Space</kbd>" in page
    assert "Call next" in client.get("/counter?lang=en").get_data(as_text=True)


def test_tablet_page_exists_for_each_counter_only(client):
    page = client.get("/tablet/3")
    assert page.status_code == 200
    assert 'data-counter="3"' in page.get_data(as_text=True)
    assert 'data-demo-token="demo-tablet-3"' in page.get_data(as_text=True)
    assert client.get("/tablet/99", headers={"Accept": "text/html"}).status_code == 404
