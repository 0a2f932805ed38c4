"""One error shape everywhere; bad input never becomes a 500."""

import pytest


@pytest.mark.parametrize(
    "method, path, kwargs, status",
    [
        ("post", "/api/v1/tickets", {"data": "x" * (5 * 1024 * 1024), "content_type": "application/json"}, 413),
        ("post", "/api/v1/tickets", {"data": "\xff\xfe", "content_type": "application/json"}, 400),
        ("post", "/api/v1/tickets", {"json": {"service": None}}, 404),
        ("post", "/api/v1/tickets", {"json": {"service": "HT", "kiosk": 5}}, 400),
        ("get", "/api/v1/nothing-here", {}, 404),
        ("delete", "/api/v1/tickets", {}, 405),
        ("post", "/api/v1/auth/login", {"json": {"username": 1, "password": []}}, 400),
        ("post", "/api/v1/ratings", {"json": {"ticket": 1, "level": "very_satisfied"}}, 401),
        ("get", "/api/v1/tickets/abc", {}, 404),
    ],
)
def test_errors_have_one_json_shape(client, method, path, kwargs, status):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error", "message"} and body["error"] and body["message"]


def test_bad_counter_action_inputs_are_4xx(client, login):
    headers = login("an")
    client.post("/api/v1/counters/1/open", headers=headers)
    client.post("/api/v1/tickets", json={"service": "HT"})
    client.post("/api/v1/counters/1/call-next", headers=headers)
    for body in ({"service": 5}, {"counter": "abc"}, {"service": "HT", "counter": 2}, {"service": "HT", "note": 5}):
        response = client.post("/api/v1/counters/1/transfer", headers=headers, json=body)
        assert 400 <= response.status_code < 500, body
    for body in ({"ticket": "x"}, {"ticket": None}, {"ticket": True}):
        assert 400 <= client.post("/api/v1/counters/1/call", headers=headers, json=body).status_code < 500
    assert client.post("/api/v1/counters/1/pause", headers=headers, json={"reason": 7}).status_code == 400
    too_long = client.post("/api/v1/counters/1/finish", headers={**headers, "Idempotency-Key": "k" * 500})
    assert too_long.status_code == 400


def test_browsers_get_a_friendly_page_not_json(client):
    response = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.content_type
    assert "Không tìm thấy" in response.get_data(as_text=True)
