"""The real-time bus against a running server: rooms, state on connect, events after commit."""

import requests


def test_display_gets_state_on_connect_and_ticket_called_after_call_next(live_server, sio_client):
    live_server.start()
    display = sio_client({"role": "display"})
    state = display.wait_for("state")
    assert [counter["number"] for counter in state["counters"]][:2] == [1, 2]
    officer = live_server.login("canbo1")
    assert live_server.post("/api/v1/tickets", {"service": "HT"}).status_code == 201
    assert live_server.post("/api/v1/counters/1/open", headers=officer).status_code == 200
    answer = live_server.post("/api/v1/counters/1/call-next", headers=officer).json()
    called = display.wait_for("ticket.called")
    assert called["ticket"]["number"] == answer["ticket"]["number"] == "A001"
    assert called["counter"] == 1
    assert "status_url" not in called["ticket"]
