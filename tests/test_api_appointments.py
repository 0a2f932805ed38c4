"""The appointments API (issue 16, docs/api.md "Appointments"): names and shapes as the
issue wrote them, the status codes of each refusal, the kiosk's check-in, the staff list,
and a phone number never in a public answer."""

import pytest

from layso.queue import slots
from layso.store.center import set_setting
from layso.store.db import open_db
from tests.helpers import later

RULES = {"services": {"HT": [{"from": "08:00", "to": "11:00", "every_min": 15, "capacity": 2}],
                      "LLTP": [{"every_min": 30, "capacity": 1}]}}


@pytest.fixture
def bookable(app, now):
    database = open_db(app.extensions["layso.settings"].db_path)
    set_setting(database, "appointments", slots.check_settings(RULES, services={"HT", "LLTP", "GCN"}), by="test", now=now)
    database.conn.close()
    return app


def book(client, start="2026-11-24T09:00:00+07:00", phone="0912 345 678", **extra):
    return client.post("/api/v1/appointments", json={"service": "HT", "start": start, "phone": phone, **extra})


def test_slots_as_the_issue_names_them(client, bookable):
    answer = client.get("/api/v1/appointments/slots?service=HT&date=2026-11-24")
    assert answer.status_code == 200
    slots_ = answer.get_json()["slots"]
    assert slots_[0] == {"start": "2026-11-24T08:00:00+07:00", "end": "2026-11-24T08:15:00+07:00",
                         "capacity": 2, "booked": 0, "available": 2}
    assert len(slots_) == 12


@pytest.mark.parametrize("query, status", [
    ("service=HT&date=24/11/2026", 400), ("service=HT&date=", 400), ("service=HT", 400),
    ("service=HT&date=99999-01-01", 400), ("service=HT&date=２０２６-11-24", 400), ("service=XX&date=2026-11-24", 404),
    ("date=2026-11-24", 404), ("service=HT&date=2026-02-30", 400),
])
def test_slots_refuse_bad_queries(client, bookable, query, status):
    answer = client.get(f"/api/v1/appointments/slots?{query}")
    assert answer.status_code == status and set(answer.get_json()) == {"error", "message"}


def test_days_of_the_calendar(client, bookable):
    days = client.get("/api/v1/appointments/days?service=HT").get_json()["days"]
    assert len(days) == 15 and days[0]["date"] == "2026-11-23"
    assert days[0]["available"] == 2 * 3  # 10:15, 10:30, 10:45: after the cut-off (10:00)
    assert {day["date"]: day["available"] for day in days}["2026-11-29"] == 0  # Sunday


def test_book_read_cancel(client, bookable):
    answer = book(client, name="Trần Thị Bình")
    assert answer.status_code == 201
    body = answer.get_json()
    assert {"code", "service", "start", "end", "status", "manage_url"} <= set(body)
    assert body["status"] == "booked" and body["manage_url"] == f"http://localhost/dat-lich/{body['code']}"
    assert "phone" not in body and "0912" not in answer.get_data(as_text=True)
    read = client.get(f"/api/v1/appointments/{body['code']}").get_json()
    assert read["start"] == body["start"] and "phone" not in read and "name" not in read
    cancelled = client.post(f"/api/v1/appointments/{body['code']}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = client.post(f"/api/v1/appointments/{body['code']}/cancel")
    assert again.status_code == 409 and again.get_json()["error"] == "appointment_closed"


def test_refusals_and_their_codes(client, bookable):
    assert book(client, start="2026-11-23T09:30").status_code == 400  # cut-off
    assert book(client, start="2026-12-24T09:00").status_code == 400  # horizon
    assert book(client, start="2026-11-24T12:00").status_code == 400  # outside hours
    assert book(client, phone="123").status_code == 400
    assert book(client, service="XX").status_code == 404
    assert book(client).status_code == 201
    limited = book(client, start="2026-11-25T09:00")
    assert limited.status_code == 429 and "tối đa 1" in limited.get_json()["message"]
    assert book(client, phone="0987654321").status_code == 201
    full = book(client, phone="0977777777")
    assert full.status_code == 409 and full.get_json()["error"] == "slot_full"
    english = client.post("/api/v1/appointments", headers={"X-Layso-Language": "en"},
                          json={"service": "HT", "start": "2026-11-24T09:00", "phone": "0966666666"})
    assert english.get_json()["message"] == "This time slot has just filled up. Please choose another."


@pytest.mark.parametrize("body", [{}, {"service": "HT"}, {"service": None, "start": None, "phone": None},
                                  {"service": "HT", "start": ["x"], "phone": "0912345678"},
                                  {"service": "HT", "start": "2026-11-24T09:00", "phone": "0912345678", "name": 5}])
def test_empty_and_absurd_bodies_are_4xx(client, bookable, body):
    answer = client.post("/api/v1/appointments", json=body)
    assert 400 <= answer.status_code < 500 and set(answer.get_json()) == {"error", "message"}


def test_reschedule(client, bookable):
    code = book(client).get_json()["code"]
    moved = client.post(f"/api/v1/appointments/{code}/reschedule", json={"start": "2026-11-25T10:00"})
    assert moved.status_code == 200 and moved.get_json()["start"] == "2026-11-25T10:00:00+07:00"
    assert client.post(f"/api/v1/appointments/{code}/reschedule", json={}).status_code == 400


def test_check_in_at_the_kiosk_gives_an_appointment_ticket(client, bookable, clock, now):
    code = book(client, start="2026-11-23T10:15").get_json()["code"]
    early = client.post(f"/api/v1/appointments/{code}/check-in", json={"kiosk": "k1"})
    assert early.status_code == 409 and "09:45" in early.get_json()["message"]
    clock.now = later(now, minutes=50)
    typed = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    answer = client.post(f"/api/v1/appointments/{typed}/check-in", json={"kiosk": "k1"})
    assert answer.status_code == 201
    ticket = answer.get_json()
    assert ticket["channel"] == "appointment" and ticket["number"] == "A001" and ticket["status_url"].startswith("http")
    assert client.get(f"/api/v1/appointments/{code}").get_json()["status"] == "checked_in"
    assert client.post(f"/api/v1/appointments/{code}/check-in", json={}).status_code == 409


def test_check_in_by_phone_and_late_check_in(client, bookable, clock, now):
    book(client, start="2026-11-23T10:15")
    late = book(client, start="2026-11-23T10:45", phone="0987654321").get_json()["code"]
    clock.now = later(now, minutes=80)
    answer = client.post("/api/v1/appointments/check-in", json={"phone": "0912345678", "service": "HT"})
    assert answer.status_code == 201 and answer.get_json()["channel"] == "appointment"
    clock.now = later(now, minutes=121)  # 11:01: the grace time (15 minutes after 10:45) is over
    refused = client.post(f"/api/v1/appointments/{late}/check-in", json={})
    assert refused.status_code == 409 and "lấy số thứ tự thường" in refused.get_json()["message"]


def test_staff_list_masks_the_phone_and_needs_a_login(client, bookable, login):
    book(client, name="Lê Văn Cường")
    assert client.get("/api/v1/appointments?date=2026-11-24").status_code == 401
    officer = login("an")
    listed = client.get("/api/v1/appointments?date=2026-11-24&service=HT", headers=officer)
    assert listed.status_code == 200
    [item] = listed.get_json()["appointments"]
    assert item["phone_masked"] == "09xx xxx 678" and item["name"] == "Lê Văn Cường" and item["status"] == "booked"
    assert "+84912345678" not in listed.get_data(as_text=True)
    assert client.get("/api/v1/appointments?date=x", headers=officer).get_json()["error"] == "invalid_input"


def test_staff_cancel_is_recorded_with_their_name(client, bookable, login):
    code = book(client).get_json()["code"]
    manager = login("quanly")
    client.post(f"/api/v1/appointments/{code}/cancel", headers=manager)
    listed = client.get("/api/v1/appointments?date=2026-11-24", headers=manager).get_json()["appointments"]
    assert listed[0]["cancelled_by"] == "quanly"


def test_unknown_codes_are_404(client, bookable):
    for code in ("x", "0" * 13, "A" * 300, "%00", "..%2F..%2Fetc"):
        assert client.get(f"/api/v1/appointments/{code}").status_code == 404
        assert client.post(f"/api/v1/appointments/{code}/cancel").status_code == 404


def test_admin_sets_the_rules_and_a_new_holiday_cancels_its_bookings(client, bookable, admin):
    changed = client.post("/api/v1/admin/settings/appointments", headers=admin,
                          json={"value": {**RULES, "cutoff_min": 5}})
    assert changed.status_code == 200 and changed.get_json()["appointments"]["grace_min"] == 15
    refused = client.post("/api/v1/admin/settings/appointments", headers=admin,
                          json={"value": {"services": {"HT": [{"every_min": 1, "capacity": 1}]}}})
    assert refused.status_code == 400 and "every_min" in refused.get_json()["message"]
    code = book(client).get_json()["code"]
    hours = client.get("/api/v1/admin/settings", headers=admin).get_json()["settings"]["hours"]
    client.post("/api/v1/admin/settings/hours", headers=admin, json={"value": {**hours, "holidays": ["2026-11-24"]}})
    read = client.get(f"/api/v1/appointments/{code}").get_json()
    assert read["status"] == "cancelled"
    listed = client.get("/api/v1/appointments?date=2026-11-24", headers=admin).get_json()["appointments"]
    assert listed[0]["cancelled_by"] == "holiday"
    assert client.get("/api/v1/appointments/slots?service=HT&date=2026-11-24").get_json()["slots"] == []


def test_status_page_counts_a_due_appointment_ahead_of_walk_ins(client, bookable, clock, now):
    """The citizen's status (GET /api/v1/tickets/by-token, the page /t/<token>) counts the
    people the ordering calls first: before its slot a checked-in appointment waits like
    others; from its slot it is ahead of the walk-ins."""
    code = book(client, start="2026-11-23T10:15").get_json()["code"]
    clock.now = later(now, minutes=50)  # 09:50
    walk_in = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    booked = client.post(f"/api/v1/appointments/{code}/check-in", json={"kiosk": "k1"}).get_json()
    assert booked["ahead"] == 1

    def ahead(ticket):
        token = ticket["status_url"].rsplit("/", 1)[1]
        status = client.get(f"/api/v1/tickets/by-token/{token}").get_json()["ahead"]
        page = client.get(f"/t/{token}").get_data(as_text=True)
        return status, f'<dd id="ahead">{status}</dd>' in page

    assert ahead(walk_in) == (0, True) and ahead(booked) == (1, True)
    clock.now = later(now, minutes=75)  # 10:15, the slot
    assert ahead(walk_in) == (1, True) and ahead(booked) == (0, True)
