"""A ticket taken over HTTP prints on its kiosk's printer, and a failing printer never
leaves the citizen without a number: the ticket exists, the failure is recorded and
raised (kiosk.alert), and nothing prints twice once the printer is back."""

import time

import pytest
import requests

from layso.events import KIOSK_ALERT, PRINTER_PAPER_LOW, TICKET_PRINTED
from layso.printing.escpos_bytes import CUT, GS_V0, INIT, decode_raster
from layso.web.realtime import add_listener
from tests.helpers import LiveServer, Published, banner_hidden, kiosk_printer_config



@pytest.fixture
def settings(make_settings, fake_printer, request):
    """The test center, its kiosk k1 printing to the fake network printer (printer keys
    may be added by indirect parametrization)."""
    printer = {"kind": "network", "host": "127.0.0.1", "port": fake_printer.port, "timeout_s": 0.5,
               **getattr(request, "param", {})}
    return make_settings(kiosks=({"id": "k1", "name": "Kiosk 1", "printer": printer},))


@pytest.fixture
def kiosk_client(app, client):
    """(client, heard, app): the app's test client and every event it publishes."""
    heard = Published()
    add_listener(app, heard)
    return client, heard, app


def print_status_of(app, ticket_id, expected, timeout_s=10.0):
    """The ticket's stored print status once it is ``expected`` (deadline)."""
    deadline = time.monotonic() + timeout_s
    while True:
        with app.extensions["layso.pool"].connection() as database:
            row = database.execute("SELECT print_status, print_error FROM tickets WHERE id = ?", [ticket_id]).fetchone()
        if row[0] == expected or time.monotonic() > deadline:
            return row
        time.sleep(0.02)


def take(client, **body):
    answer = client.post("/api/v1/tickets", json={"service": "HT", "kiosk": "k1", **body})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_ticket_issued_over_http_reaches_the_network_printer_as_escpos_raster_of_paper_width(kiosk_client, fake_printer):
    client, heard, app = kiosk_client
    ticket = take(client)
    assert ticket["print_job"] == f"t{ticket['id']}" and ticket["print_status"] is None  # answered before printing
    [job] = fake_printer.wait_for_jobs(1)
    assert job.startswith(INIT) and GS_V0 in job and job.rstrip(b"\x00").endswith(CUT)
    image = decode_raster(job)
    assert image.width == 576 and image.height > 400
    heard.wait_for(TICKET_PRINTED, job=ticket["print_job"], kiosk="k1", ticket_number="A001")
    assert print_status_of(app, ticket["id"], "printed") == ("printed", None)


def test_printer_port_closed_keeps_the_ticket_raises_the_alert_and_later_prints_only_new_tickets(kiosk_client, fake_printer):
    client, heard, app = kiosk_client
    fake_printer.go_offline()
    lost = take(client)
    alert = heard.wait_for(KIOSK_ALERT, job=lost["print_job"])
    assert alert.data["error"] == "printer_offline" and alert.data["resolved"] is False
    assert set(alert.rooms) == {"kiosk:k1", "dashboard"}
    assert print_status_of(app, lost["id"], "failed") == ("failed", "printer_offline")
    assert client.get("/api/v1/services").get_json()["services"][0]["waiting"] == 1  # the ticket is kept

    fake_printer.go_online()
    after = take(client)
    heard.wait_for(TICKET_PRINTED, job=after["print_job"])
    heard.wait_for(KIOSK_ALERT, kiosk="k1", resolved=True)
    later = take(client)
    heard.wait_for(TICKET_PRINTED, job=later["print_job"])
    # The new tickets only, in order; the lost one never printed behind them (FIFO queue).
    assert len(fake_printer.wait_for_jobs(2)) == 2


def test_printer_that_accepts_then_hangs_times_out_and_nothing_prints_twice(kiosk_client, fake_printer):
    client, heard, app = kiosk_client
    fake_printer.mode = "hang"
    stuck = take(client)
    alert = heard.wait_for(KIOSK_ALERT, job=stuck["print_job"])
    assert alert.data["error"] in ("printer_timeout", "printer_disconnected")
    assert print_status_of(app, stuck["id"], "failed")[0] == "failed"

    fake_printer.mode = "ok"
    first = take(client)
    second = take(client)
    heard.wait_for(TICKET_PRINTED, job=second["print_job"])
    heard.wait_for(TICKET_PRINTED, job=first["print_job"])
    assert len(fake_printer.wait_for_jobs(2)) == 2


def test_a_reprint_prints_the_ticket_again_on_request(kiosk_client, fake_printer, login):
    client, heard, app = kiosk_client
    ticket = take(client)
    fake_printer.wait_for_jobs(1)
    answer = client.post(f"/api/v1/tickets/{ticket['id']}/reprint", headers=login("quanly"))
    assert answer.status_code == 202, answer.get_json()
    heard.wait_for(TICKET_PRINTED, job=answer.get_json()["job"])
    first, again = fake_printer.wait_for_jobs(2)
    assert decode_raster(first).tobytes() == decode_raster(again).tobytes()


@pytest.mark.parametrize("settings", [{"check_every_s": 0.1}], indirect=True)
def test_paper_running_out_between_citizens_shows_on_the_kiosk_and_the_dashboard_before_the_next_ticket(
        kiosk_client, fake_printer, login):
    client, heard, app = kiosk_client
    app.extensions["kiosk.printers"].start()  # as the server does at start (start_background_jobs)
    assert banner_hidden(client.get("/kiosk/k1").text)
    fake_printer.paper_out = True  # nobody is printing: the idle check finds it
    alert = heard.wait_for(KIOSK_ALERT, kiosk="k1", resolved=False)
    assert (alert.data["job"], alert.data["error"]) == (None, "paper_out")
    assert not banner_hidden(client.get("/kiosk/k1").text)  # a kiosk page loaded now shows it at once
    events = client.get("/api/v1/dashboard", headers=login("quanly")).get_json()["events"]
    assert [(event["kind"], event["kiosk"], event["resolved"]) for event in events] == [("printer", "k1", False)]

    fake_printer.paper_out = False
    heard.wait_for(KIOSK_ALERT, kiosk="k1", resolved=True)
    assert banner_hidden(client.get("/kiosk/k1").text)
    assert fake_printer.jobs == []


def test_the_running_server_checks_its_printers_from_the_start(tmp_path, fake_printer):
    printer = f'{{ kind = "network", host = "127.0.0.1", port = {fake_printer.port}, check_every_s = 0.2 }}'
    fake_printer.paper_out = True  # before the server starts; nobody will take a number
    server = LiveServer(tmp_path, config=kiosk_printer_config(tmp_path, printer)).start()
    try:
        # What a kiosk page loaded now and the managers' dashboard show (the one kiosk.alert
        # may go out before a test client could connect).
        deadline = time.monotonic() + 10
        while banner_hidden(requests.get(server.url + "/kiosk/k1", timeout=5).text) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not banner_hidden(requests.get(server.url + "/kiosk/k1", timeout=5).text)
        dashboard = requests.get(server.url + "/api/v1/dashboard", headers=server.login("lanhdao"), timeout=5).json()
        assert [(event["kind"], event["kiosk"], event["error"]) for event in dashboard["events"]] == [
            ("printer", "k1", "paper_out")]
    finally:
        server.stop()


@pytest.mark.parametrize("settings", [{"check_every_s": 0.1}], indirect=True)
def test_a_roll_near_its_end_warns_the_managers_and_leaves_the_kiosk_as_it_is(kiosk_client, fake_printer, login):
    client, heard, app = kiosk_client
    app.extensions["kiosk.printers"].start()
    fake_printer.paper_low = True
    heard.wait_for(PRINTER_PAPER_LOW, kiosk="k1", low=True)
    events = client.get("/api/v1/dashboard", headers=login("quanly")).get_json()["events"]
    assert [(event["kind"], event["level"], event["resolved"]) for event in events] == [("paper_low", "warning", False)]
    assert banner_hidden(client.get("/kiosk/k1").text)  # citizens still get their ticket printed
    ticket = take(client)
    heard.wait_for(TICKET_PRINTED, job=ticket["print_job"])
