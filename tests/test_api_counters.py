"""POST /api/v1/counters/<n>/<action>: every action over HTTP, and Idempotency-Key."""

import pytest


@pytest.fixture
def officer(client, login):
    headers = login("an")
    assert client.post("/api/v1/counters/1/open", headers=headers).status_code == 200
    return headers


def act(client, headers, action, body=None, counter=1, key=None):
    if key:
        headers = {**headers, "Idempotency-Key": key}
    return client.post(f"/api/v1/counters/{counter}/{action}", headers=headers, json=body)


def test_call_next_with_nobody_waiting_answers_null(client, officer):
    response = act(client, officer, "call-next")
    assert response.status_code == 200 and response.get_json()["ticket"] is None


def test_a_citizen_is_called_served_and_finished(client, officer):
    client.post("/api/v1/tickets", json={"service": "HT"})
    called = act(client, officer, "call-next").get_json()
    assert called["ticket"]["number"] == "A001" and called["ticket"]["status"] == "called"
    assert called["counter"]["status"] == "serving" and called["counter"]["current_ticket"]["number"] == "A001"
    assert act(client, officer, "recall").get_json()["ticket"]["number"] == "A001"
    assert act(client, officer, "dossier", {"dossier_code": "H12.34-0001"}).status_code == 200
    finished = act(client, officer, "finish").get_json()
    assert finished["ticket"]["status"] == "finished" and finished["counter"]["status"] == "idle"
    assert act(client, officer, "finish").get_json()["error"] == "no_current_ticket"


def test_hold_then_call_back_no_show_cancel(client, officer):
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service": "HT"})
    first = act(client, officer, "call-next").get_json()["ticket"]
    assert act(client, officer, "hold").get_json()["ticket"]["status"] == "held"
    assert act(client, officer, "call-next").get_json()["ticket"]["number"] == "A002"
    assert act(client, officer, "no-show").get_json()["ticket"]["status"] == "no_show"
    back = act(client, officer, "call", {"ticket": first["id"]}).get_json()
    assert back["ticket"]["number"] == "A001" and back["ticket"]["status"] == "called"
    assert act(client, officer, "cancel").get_json()["ticket"]["status"] == "cancelled"
    missing = act(client, officer, "call", {"ticket": 12345})
    assert missing.status_code == 404 and missing.get_json()["error"] == "unknown_ticket"
    gone = act(client, officer, "call", {"ticket": first["id"]})
    assert gone.status_code == 409 and gone.get_json()["error"] == "ticket_not_waiting"


def test_transfer_to_a_service_or_a_counter(client, officer, login):
    client.post("/api/v1/tickets", json={"service": "HT"})
    act(client, officer, "call-next")
    moved = act(client, officer, "transfer", {"service": "GCN", "note": "hồ sơ đất"}).get_json()
    assert moved["ticket"]["service"] == "GCN" and moved["ticket"]["number"] == "A001"
    assert moved["ticket"]["status"] == "waiting" and moved["ticket"]["transferred"] is True
    neither = act(client, officer, "transfer", {})
    assert neither.status_code == 400 and neither.get_json()["error"] == "invalid_input"
    cuong = login("cuong")
    act(client, cuong, "open", counter=3)
    assert act(client, cuong, "call-next", counter=3).get_json()["ticket"]["number"] == "A001"
    refused = act(client, cuong, "transfer", {"counter": 1}, counter=3)  # counter 1 serves no GCN
    assert (refused.status_code, refused.get_json()["error"]) == (409, "transfer_refused")
    assert refused.get_json()["message"].startswith("Quầy 1 không phục vụ dịch vụ")
    to_counter = act(client, cuong, "transfer", {"counter": 1, "force": True}, counter=3).get_json()
    assert to_counter["ticket"]["status"] == "waiting"
    assert act(client, officer, "call-next").get_json()["ticket"]["number"] == "A001"
    bad = act(client, officer, "transfer", {"counter": 99})
    assert bad.status_code == 404 and bad.get_json()["error"] == "unknown_counter"


def test_pause_needs_a_reason_and_blocks_calls_until_resume(client, officer):
    client.post("/api/v1/tickets", json={"service": "HT"})
    assert act(client, officer, "pause", {}).status_code == 400
    paused = act(client, officer, "pause", {"reason": "Nghỉ giải lao"}).get_json()
    assert paused["counter"]["status"] == "paused" and paused["counter"]["paused_reason"] == "Nghỉ giải lao"
    refused = act(client, officer, "call-next")
    assert refused.status_code == 409 and refused.get_json()["error"] == "counter_paused"
    assert act(client, officer, "resume").get_json()["counter"]["status"] == "idle"
    assert act(client, officer, "call-next").get_json()["ticket"]["number"] == "A001"


def test_unknown_counter_and_unknown_action_are_404(client, officer):
    assert act(client, officer, "call-next", counter=42).status_code == 404
    assert act(client, officer, "dance").status_code == 404


def test_a_repeated_idempotency_key_gets_the_first_answer_and_changes_nothing(client, officer, db):
    for _ in range(2):
        client.post("/api/v1/tickets", json={"service": "HT"})
    first = act(client, officer, "call-next", key="press-1")
    again = act(client, officer, "call-next", key="press-1")
    assert first.get_json() == again.get_json()
    assert first.get_json()["ticket"]["number"] == "A001"
    statuses = dict(db.execute("SELECT number, status FROM tickets").fetchall())
    assert statuses == {"A001": "called", "A002": "waiting"}
    assert act(client, officer, "call-next", key="press-2").get_json()["ticket"]["number"] == "A002"


def test_a_refused_action_is_not_remembered_under_its_key(client, officer):
    refused = act(client, officer, "finish", key="k")
    assert refused.status_code == 409
    client.post("/api/v1/tickets", json={"service": "HT"})
    act(client, officer, "call-next")
    assert act(client, officer, "finish", key="k").status_code == 200


def test_idempotency_keys_belong_to_their_user(client, officer, login):
    client.post("/api/v1/tickets", json={"service": "GCN"})
    cuong = login("cuong")
    act(client, cuong, "open", counter=3)
    act(client, officer, "call-next", key="same")
    assert act(client, cuong, "call-next", counter=3, key="same").get_json()["ticket"]["number"] == "D001"
