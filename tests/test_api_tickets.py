"""POST /api/v1/tickets, GET /api/v1/tickets/<id>, GET /api/v1/services, GET /api/v1/state."""

import re


def test_issuing_a_ticket_returns_201_with_the_ticket_object(client):
    response = client.post("/api/v1/tickets", json={"service": "HT"})
    assert response.status_code == 201
    ticket = response.get_json()
    assert ticket["number"] == "A001" and ticket["service"] == "HT" and ticket["status"] == "waiting"
    assert ticket["priority"] is False and ticket["ahead"] == 0 and ticket["estimated_wait_s"] == 0
    assert ticket["issued_at"] == "2026-11-23T09:00:00+07:00"
    assert re.fullmatch(r"http://localhost/t/[A-Za-z0-9_-]{20,}", ticket["status_url"])
    assert "status_token" not in ticket


def test_a_priority_ticket_carries_its_reason_and_goes_ahead(client):
    client.post("/api/v1/tickets", json={"service": "HT"})
    ticket = client.post("/api/v1/tickets", json={"service": "HT", "priority": True, "priority_reason": "elderly"}).get_json()
    assert ticket["priority"] is True and ticket["priority_reason"] == "elderly" and ticket["ahead"] == 0
    normal = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    assert normal["ahead"] == 2


def test_bad_ticket_requests_are_clear_4xx(client):
    unknown = client.post("/api/v1/tickets", json={"service": "NOPE"})
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "unknown_service"
    wrong_type = client.post("/api/v1/tickets", json={"service": ["HT"]})
    assert wrong_type.status_code == 404 and wrong_type.get_json()["error"] == "unknown_service"
    bad_priority = client.post("/api/v1/tickets", json={"service": "HT", "priority": "yes"})
    assert bad_priority.status_code == 400 and bad_priority.get_json()["error"] == "invalid_input"
    bad_reason = client.post("/api/v1/tickets", json={"service": "HT", "priority": True, "priority_reason": "vip"})
    assert bad_reason.status_code == 400
    malformed = client.post("/api/v1/tickets", data="{not json", content_type="application/json")
    assert malformed.status_code == 400 and malformed.get_json()["error"] == "invalid_input"
    not_object = client.post("/api/v1/tickets", json=["HT"])
    assert not_object.status_code == 400


def test_a_service_over_its_daily_cap_is_closed_with_the_reason(client):
    for _ in range(5):
        assert client.post("/api/v1/tickets", json={"service": "LLTP"}).status_code == 201
    refused = client.post("/api/v1/tickets", json={"service": "LLTP"})
    assert refused.status_code == 409
    assert refused.get_json() == {"error": "service_closed", "message": "Đã hết số trong ngày."}
    service = next(s for s in client.get("/api/v1/services").get_json()["services"] if s["code"] == "LLTP")
    assert service["open"] is False and service["closed_reason"] == "Đã hết số trong ngày."


def test_services_are_closed_outside_opening_hours(client, clock, now):
    clock.now = now.replace(hour=12, minute=0)
    services = client.get("/api/v1/services").get_json()["services"]
    assert all(not service["open"] for service in services)
    assert services[0]["closed_reason"].startswith("Ngoài giờ làm việc")
    assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 409


def test_services_list_groups_waiting_and_estimates(client):
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service": "GCN"})
    services = {s["code"]: s for s in client.get("/api/v1/services").get_json()["services"]}
    assert set(services) == {"HT", "LLTP", "GCN"}
    assert services["GCN"]["group"] == "DD" and services["GCN"]["waiting"] == 3
    # 3 waiting × 300 s default service time ÷ 2 counters (3 and 4) serve GCN
    assert services["GCN"]["estimated_wait_s"] == 450
    assert services["HT"]["procedures"] == ["Đăng ký khai sinh", "Đăng ký kết hôn"]


def test_staff_read_a_ticket_citizens_cannot(client, login):
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    assert client.get(f"/api/v1/tickets/{ticket['id']}").status_code == 401
    staff = login("an")
    assert client.get(f"/api/v1/tickets/{ticket['id']}", headers=staff).get_json()["number"] == "A001"
    assert client.get("/api/v1/tickets/999", headers=staff).status_code == 404


def test_state_lists_every_counter_and_waiting_per_service(client, login):
    officer = login("an")
    client.post("/api/v1/counters/1/open", headers=officer)
    client.post("/api/v1/tickets", json={"service": "HT"})
    state = client.get("/api/v1/state").get_json()
    assert [c["number"] for c in state["counters"]] == [1, 2, 3, 4]
    assert state["counters"][0]["officer"]["name"] == "Nguyễn Văn An"
    assert state["counters"][0]["status"] == "idle" and state["counters"][1]["status"] == "closed"
    assert {s["code"]: s["waiting"] for s in state["services"]} == {"HT": 1, "LLTP": 0, "GCN": 0}

