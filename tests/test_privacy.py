"""Issue 14, security item 11 (privacy): a citizen's priority group ("disabled") stays with
staff; displays, kiosks, tablets, the citizen status page and API, and the printed ticket get
the priority flag only."""

import json
import re

import pytest

from kiosk.printing import ticket_print
from layso.printing.render import ticket_text_lines
from layso.web.context import absolute_status_url


def has_reason(value) -> bool:
    return "priority_reason" in json.dumps(value)


@pytest.mark.slow
def test_item_11_sockets_outside_staff_rooms_hear_the_priority_flag_but_not_the_group(live_server, sio_client):
    live_server.start()
    officer = live_server.login("canbo1")
    manager = live_server.login("lanhdao")
    assert live_server.post("/api/v1/counters/1/open", headers=officer).status_code == 200
    ticket = live_server.post("/api/v1/tickets", {"service": "HT", "priority": True, "priority_reason": "disabled"}).json()
    anonymous = {
        "display": sio_client({"role": "display"}),
        "counter display": sio_client({"role": "display", "counter": 1}),
        "kiosk": sio_client({"role": "kiosk", "kiosk": "k1"}),
        "tablet": sio_client({"role": "tablet", "token": "demo-tablet-1"}),
        "citizen": sio_client({"role": "citizen", "ticket": ticket["status_url"].rsplit("/", 1)[1]}),
    }
    staff = {
        "dashboard": sio_client({"role": "dashboard", "token": manager["Authorization"][7:]}),
        "console": sio_client({"role": "counter", "counter": 1, "token": officer["Authorization"][7:]}),
    }
    for client in (*anonymous.values(), *staff.values()):
        client.wait_for("state")
    assert live_server.post("/api/v1/counters/1/call-next", headers=officer).status_code == 200

    for name, client in anonymous.items():
        called = client.wait_for("ticket.called")
        assert called["ticket"]["priority"] is True and "priority_reason" not in called["ticket"], name
    for client in (anonymous["display"], anonymous["tablet"]):
        serving = client.wait_for("counter.updated", lambda data: data["counter"]["current_ticket"] is not None)
        assert serving["counter"]["current_ticket"]["priority"] is True
    for auth in ({"role": "display"}, {"role": "tablet", "token": "demo-tablet-1"}):  # state on connect
        current = sio_client(auth).wait_for("state")["counters"][0]["current_ticket"]
        assert current["number"] == ticket["number"] and current["priority"] is True and not has_reason(current)
    for name, client in anonymous.items():
        assert not has_reason(client.events), (name, client.events)

    assert staff["dashboard"].wait_for("ticket.called")["ticket"]["priority_reason"] == "disabled"
    assert staff["console"].wait_for("ticket.called")["ticket"]["priority_reason"] == "disabled"
    serving = staff["dashboard"].wait_for("counter.updated", lambda data: data["counter"]["current_ticket"] is not None)
    assert serving["counter"]["current_ticket"]["priority_reason"] == "disabled"


@pytest.fixture
def priority_ticket(client, login):
    ticket = client.post("/api/v1/tickets", json={"service": "HT", "priority": True, "priority_reason": "disabled"}).get_json()
    officer = login("an")
    assert client.post("/api/v1/counters/1/open", headers=officer).status_code == 200
    assert client.post("/api/v1/counters/1/call-next", headers=officer).status_code == 200
    ticket["officer"] = officer
    return ticket


def test_item_11_public_answers_and_pages_carry_the_flag_and_staff_answers_the_group(client, priority_ticket):
    token = priority_ticket["status_url"].rsplit("/", 1)[1]
    state = client.get("/api/v1/state").get_json()
    assert state["counters"][0]["current_ticket"]["priority"] is True and not has_reason(state)
    own = client.get(f"/api/v1/tickets/by-token/{token}").get_json()
    assert own["priority"] is True and "priority_reason" not in own
    for page in ("/display", "/display/counter/1", f"/t/{token}"):
        html = client.get(page).get_data(as_text=True)
        assert priority_ticket["number"] in html and "priority_reason" not in html and "disabled" not in html, page
    staff = client.get(f"/api/v1/tickets/{priority_ticket['id']}", headers=priority_ticket["officer"]).get_json()
    assert staff["priority_reason"] == "disabled"


def test_item_11_the_printed_ticket_says_priority_without_the_group(app, db, now):
    from layso.queue.tickets import issue_ticket

    ticket = issue_ticket(db, "HT", now=now, priority=True, priority_reason="disabled").value
    with app.test_request_context("/"):
        printed = ticket_print(db, absolute_status_url(ticket))
    lines = ticket_text_lines(printed)
    assert "ƯU TIÊN" in lines
    assert not [line for line in lines if re.search("khuyết tật|disabled", line, re.I)]


def test_item_11_display_pages_never_echo_their_device_token(client):
    secret = "display-device-token-that-must-not-echo"
    for page in ("/display", "/display/counter/1"):
        html = client.get(f"{page}?token={secret}").get_data(as_text=True)
        assert "display-boot" in html and secret not in html, page
