"""The print agent (python -m kiosk.agent) against a running server: jobs sent as
print.job, answered with print.result; an agent gone mid-print or never there leaves
the ticket issued, the alert raised, and the job printed exactly once when it returns."""

import threading
import time

import pytest
import socketio

from kiosk.agent import PrintAgent
from layso.printing.printers import parse_printer
from tests.helpers import LiveServer, RecordingClient, agent_kiosk_config, assert_socket_refused, banner_hidden

AGENT_TIMEOUT_S = 1  # the server waits 2 × this for an answer before showing the fallback


@pytest.fixture
def agent_server(tmp_path):
    """The demo center with kiosk k1 driven by a print agent; ``kiosk_token`` is k1's device token."""
    server = LiveServer(tmp_path, config=agent_kiosk_config(tmp_path, timeout_s=AGENT_TIMEOUT_S))
    server.start()
    server.kiosk_token = server.register_device("kiosk", "k1")
    yield server
    server.stop()


@pytest.fixture
def kiosk_screen(agent_server):
    """What kiosk k1's page hears."""
    recorder = RecordingClient(agent_server.url, {"role": "kiosk", "kiosk": "k1"})
    yield recorder
    recorder.close()



class SilentAgent:
    """An agent that takes a job and vanishes before answering."""

    def __init__(self, url, token):
        self.jobs = []
        self.got_job = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("print.job", self._job)
        self.client.connect(url, auth={"role": "kiosk", "kiosk": "k1", "agent": True, "token": token},
                            transports=["websocket"], wait_timeout=10)

    def _job(self, data):
        self.jobs.append(data)
        self.got_job.set()


def ticket(server, headers):
    answer = server.post("/api/v1/tickets", {"service": "HT", "kiosk": "k1"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def stored(server, ticket_id, headers):
    import requests

    return requests.get(f"{server.url}/api/v1/tickets/{ticket_id}", headers=headers, timeout=5).json()


def test_agent_gone_mid_print_then_back_prints_the_ticket_exactly_once(agent_server, kiosk_screen, fake_printer):
    staff = agent_server.login("lanhdao")
    silent = SilentAgent(agent_server.url, agent_server.kiosk_token)
    issued = ticket(agent_server, staff)
    assert silent.got_job.wait(10) and silent.jobs[0]["job"] == issued["print_job"]
    assert silent.jobs[0]["ticket"]["number"] == issued["number"]
    silent.client.disconnect()  # gone mid-print: no print.result

    alert = kiosk_screen.wait_for("kiosk.alert", lambda data: data.get("job") == issued["print_job"])
    assert alert["error"] == "printer_timeout" and alert["resolved"] is False
    assert stored(agent_server, issued["id"], staff)["print_status"] == "failed"
    assert stored(agent_server, issued["id"], staff)["status"] == "waiting"

    printer = parse_printer({"kind": "network", "host": "127.0.0.1", "port": fake_printer.port, "timeout_s": 2})
    agent = PrintAgent(agent_server.url, "k1", printer, token=agent_server.kiosk_token)
    agent.start()
    try:
        kiosk_screen.wait_for("ticket.printed", lambda data: data.get("job") == issued["print_job"])
        kiosk_screen.wait_for("kiosk.alert", lambda data: data.get("resolved") is True)
        assert len(fake_printer.wait_for_jobs(1)) == 1
        assert stored(agent_server, issued["id"], staff)["print_status"] == "printed"
        # Reconnecting again: the server has nothing left to send, so nothing prints twice.
        agent.client.disconnect()
        again = socketio.Client(reconnection=False)
        again.connect(agent_server.url, auth={"role": "kiosk", "kiosk": "k1", "agent": True,
                                              "token": agent_server.kiosk_token},
                      transports=["websocket"], wait_timeout=10)
        assert again.call("print.ready", {"kiosk": "k1"}, timeout=10) == {"ok": True, "resent": 0}
        again.disconnect()
        assert len(fake_printer.jobs) == 1
    finally:
        agent.stop()


def test_no_agent_connected_still_issues_the_ticket_and_raises_the_alert_at_once(agent_server, kiosk_screen):
    staff = agent_server.login("lanhdao")
    issued = ticket(agent_server, staff)
    alert = kiosk_screen.wait_for("kiosk.alert", lambda data: data.get("job") == issued["print_job"], timeout=5)
    assert alert["error"] == "printer_offline"
    assert stored(agent_server, issued["id"], staff)["print_status"] == "failed"


def test_an_agent_that_prints_answers_and_the_job_is_never_sent_to_other_clients(agent_server, kiosk_screen, fake_printer):
    printer = parse_printer({"kind": "network", "host": "127.0.0.1", "port": fake_printer.port, "timeout_s": 2})
    agent = PrintAgent(agent_server.url, "k1", printer, token=agent_server.kiosk_token)
    agent.start()
    try:
        issued = ticket(agent_server, None)
        kiosk_screen.wait_for("ticket.printed", lambda data: data.get("job") == issued["print_job"])
        assert len(fake_printer.wait_for_jobs(1)) == 1
        assert "print.job" not in kiosk_screen.names()  # the kiosk page never sees jobs
        # A plain kiosk client cannot answer for the agent, nor raise or clear its alerts.
        for event, body in (("print.result", {"job": issued["print_job"], "ok": False}),
                            ("print.status", {"ok": False, "error": "paper_out"})):
            assert kiosk_screen.client.call(event, body, timeout=5) == {"ok": False, "error": "not_an_agent"}
    finally:
        agent.stop()


def test_a_printer_back_after_a_failure_is_reported_before_the_next_ticket(agent_server, kiosk_screen, fake_printer):
    printer = parse_printer({"kind": "network", "host": "127.0.0.1", "port": fake_printer.port, "timeout_s": 1})
    agent = PrintAgent(agent_server.url, "k1", printer, token=agent_server.kiosk_token, probe_interval_s=0.3)
    agent.start()
    try:
        fake_printer.go_offline()  # the printer is switched off between two citizens
        issued = ticket(agent_server, None)
        alert = kiosk_screen.wait_for("kiosk.alert", lambda data: data.get("job") == issued["print_job"])
        assert alert["resolved"] is False
        fake_printer.go_online()  # switched back on; nobody takes a number
        back = kiosk_screen.wait_for("kiosk.alert", lambda data: data.get("resolved") is True)
        assert back["kiosk"] == "k1"
        assert fake_printer.jobs == []  # the failed ticket is not printed behind the citizen's back
    finally:
        agent.stop()


def test_an_agent_s_printer_out_of_paper_between_citizens_is_reported_before_the_next_ticket(
        agent_server, kiosk_screen, fake_printer):
    printer = parse_printer({"kind": "network", "host": "127.0.0.1", "port": fake_printer.port, "timeout_s": 1,
                             "check_every_s": 0.2})
    agent = PrintAgent(agent_server.url, "k1", printer, token=agent_server.kiosk_token, probe_interval_s=0.3)
    agent.start()
    try:
        fake_printer.paper_out = True  # the roll runs out; nobody takes a number
        alert = kiosk_screen.wait_for("kiosk.alert", lambda data: data.get("resolved") is False)
        assert (alert["kiosk"], alert["job"], alert["error"]) == ("k1", None, "paper_out")
        fake_printer.paper_out = False
        back = kiosk_screen.wait_for("kiosk.alert", lambda data: data.get("resolved") is True)
        assert back["kiosk"] == "k1"
        failing = [data for name, data in kiosk_screen.events if name == "kiosk.alert" and not data["resolved"]]
        assert len(failing) == 1  # told once, not at every check
    finally:
        agent.stop()


def test_a_print_agent_away_for_longer_than_allowed_is_reported_and_its_return_resolves_it(tmp_path, fake_printer):
    import requests

    server = LiveServer(tmp_path, config=agent_kiosk_config(tmp_path, timeout_s=AGENT_TIMEOUT_S, check_every_s=1))
    server.start()
    token = server.register_device("kiosk", "k1")
    kiosk_screen = RecordingClient(server.url, {"role": "kiosk", "kiosk": "k1"})
    printer = parse_printer({"kind": "network", "host": "127.0.0.1", "port": fake_printer.port})
    agent = PrintAgent(server.url, "k1", printer, token=token)
    agent.start()
    try:
        # Settled: the agent is connected and the kiosk shows no printer problem.
        deadline = time.monotonic() + 10
        while not banner_hidden(requests.get(server.url + "/kiosk/k1", timeout=5).text) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert agent.client.connected
        kiosk_screen.clear()
        agent.stop()  # the kiosk PC is switched off
        alert = kiosk_screen.wait_for("kiosk.alert", lambda data: data["resolved"] is False)
        assert (alert["kiosk"], alert["job"], alert["error"]) == ("k1", None, "printer_offline")
        agent = PrintAgent(server.url, "k1", printer, token=token)  # switched on again
        agent.start()
        kiosk_screen.wait_for("kiosk.alert", lambda data: data["resolved"] is True)
        assert [data["resolved"] for name, data in kiosk_screen.events if name == "kiosk.alert"] == [False, True]
    finally:
        agent.stop()
        kiosk_screen.close()
        server.stop()


def test_an_agent_s_roll_near_its_end_reaches_the_managers_dashboard(agent_server, fake_printer):
    token = agent_server.login("lanhdao")["Authorization"].removeprefix("Bearer ")
    dashboard = RecordingClient(agent_server.url, {"role": "dashboard", "token": token})
    printer = parse_printer({"kind": "network", "host": "127.0.0.1", "port": fake_printer.port, "check_every_s": 0.2})
    agent = PrintAgent(agent_server.url, "k1", printer, token=agent_server.kiosk_token)
    agent.start()
    try:
        fake_printer.paper_low = True
        low = dashboard.wait_for("printer.paper_low", lambda data: data["low"] is True)
        assert low["kiosk"] == "k1"
        alert = dashboard.wait_for("alert.raised", lambda data: data["alert"]["kind"] == "paper_low")["alert"]
        assert (alert["kiosk"], alert["level"], alert["resolved"]) == ("k1", "warning", False)
        fake_printer.paper_low = False
        dashboard.wait_for("printer.paper_low", lambda data: data["low"] is False)
        assert "kiosk.alert" not in dashboard.names()  # the printer works: the kiosk is not out of order
    finally:
        agent.stop()
        dashboard.close()


def test_item_1_only_the_kiosk_s_own_registered_token_makes_a_print_agent(agent_server):
    """Issue 14, security item 1: anyone on the LAN posing as k1's print agent is refused at
    connect, and so never hears a print.job (with the citizen's status link) or answers one."""
    other_kiosk = agent_server.register_device("kiosk", "k2")  # registered, but its printer is not an agent
    for auth in ({"role": "kiosk", "kiosk": "k1", "agent": True},
                 {"role": "kiosk", "kiosk": "k1", "agent": True, "token": "forged"},
                 {"role": "kiosk", "kiosk": "k1", "agent": True, "token": "demo-tablet-1"},
                 {"role": "kiosk", "kiosk": "k1", "agent": True, "token": other_kiosk},
                 {"role": "kiosk", "agent": True, "token": other_kiosk}):
        assert_socket_refused(agent_server.url, auth)
    # The real agent with k1's token prints, and nobody else may answer for it:
    # test_an_agent_that_prints_answers_and_the_job_is_never_sent_to_other_clients.


def test_item_1_no_print_agent_for_a_kiosk_whose_printer_the_server_drives(live_server):
    """Issue 14, security item 1: the demo's kiosk k1 prints from the server (a file printer):
    even its own registered token makes no agent there."""
    live_server.start()
    token = live_server.register_device("kiosk", "k1")
    assert_socket_refused(live_server.url, {"role": "kiosk", "kiosk": "k1", "agent": True, "token": token})
    RecordingClient(live_server.url, {"role": "kiosk", "token": token}).close()  # as the kiosk page it connects


def test_item_1_the_agent_will_not_start_without_its_kiosk_s_token(monkeypatch, capsys):
    from kiosk.agent import main

    monkeypatch.delenv("LAYSO_KIOSK_TOKEN", raising=False)
    assert main(["--server", "http://127.0.0.1:9", "--kiosk", "k1", "--printer-kind", "network", "--host", "127.0.0.1"]) == 2
    assert "device token is required" in capsys.readouterr().err
