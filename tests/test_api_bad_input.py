"""Issue 14, "Answers that are 500s today": the empty and the absurd get a 4xx JSON answer
or a friendly page, never a traceback, and a public GET never writes."""

import re
from datetime import timedelta

import pytest

from tests.helpers import database_digest

BIG = "99999999999999999999999"


@pytest.fixture
def officer(client, login):
    headers = login("an")
    assert client.post("/api/v1/counters/1/open", headers=headers).status_code == 200
    return headers


def test_empty_month_renders_with_dashes_and_zeros_on_a_brand_new_center(client, manager):
    """Answers that are 500s today: /public and /reports/monthly for a month with no tickets
    (the current month of a brand-new center) render with dashes and zeros."""
    html = {"Accept": "text/html"}
    public = client.get("/public", headers=html)
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert 'id="public-issued">0<' in text and 'id="public-satisfied">–<' in text
    monthly = client.get("/reports/monthly", headers={**html, **manager})
    assert monthly.status_code == 200
    assert "–" in monthly.get_data(as_text=True)
    assert client.get("/public?month=2026-10", headers=html).status_code == 200


@pytest.mark.parametrize("path", [
    "/public?month=0000-01", "/public?month=9999-12", "/reports/monthly?month=0000-01",
    "/api/v1/reports/evaluation?quarter=0000-Q1", "/api/v1/reports/evaluation?quarter=9999-Q4",
    "/api/v1/reports/summary?from=0000-01-01&to=2026-01-01", "/api/v1/reports/summary?from=2026-01-01&to=9999-12-31",
])
def test_years_out_of_range_are_400(client, manager, path):
    """Answers that are 500s today: a year out of range (0000, 9999) is a 400 naming the field."""
    response = client.get(path, headers=manager)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_input"
    if not path.startswith("/api/"):  # a browser gets the friendly page
        page = client.get(path, headers={**manager, "Accept": "text/html"})
        assert page.status_code == 400 and "text/html" in page.content_type


def test_integers_beyond_64_bits_are_4xx_in_paths_and_bodies(client, officer, admin, manager):
    """Answers that are 500s today: integers beyond SQLite's 64 bits, in every path
    parameter and JSON body field, are a 4xx (no OverflowError)."""
    for method, path, headers in [
        ("get", f"/api/v1/tickets/{BIG}", manager), ("post", f"/api/v1/tickets/{BIG}/reprint", manager),
        ("post", f"/api/v1/counters/{BIG}/open", officer), ("get", f"/api/v1/counters/{BIG}", officer),
        ("get", f"/api/v1/counters/{BIG}/queue", officer), ("post", f"/api/v1/admin/counters/{BIG}", admin),
        ("get", f"/tablet/{BIG}", {}), ("get", f"/display/counter/{BIG}", {}),
        ("get", "/api/v1/tickets/9223372036854775808", manager),  # 2**63: one past SQLite's largest
    ]:
        assert getattr(client, method)(path, headers=headers).status_code == 404, path
    huge = 10**40
    for path, body, headers in [
        ("/api/v1/ratings", {"ticket": huge, "level": "satisfied"}, {"Authorization": "Bearer demo"}),
        ("/api/v1/counters/1/call", {"ticket": huge}, officer),
        ("/api/v1/counters/1/transfer", {"counter": huge}, officer),
        ("/api/v1/admin/counters", {"number": huge, "name": "x", "services": ["HT"]}, admin),
        ("/api/v1/admin/services/HT", {"daily_cap": -huge}, admin),
        ("/api/v1/tickets", {"service": "HT", "priority": huge}, {}),
    ]:
        response = client.post(path, json=body, headers=headers)
        assert response.status_code in (400, 401), (path, response.get_json())
        assert set(response.get_json()) == {"error", "message"}
    # the core refuses them too, whoever calls it
    from layso.errors import UnknownTicket
    from layso.queue.tickets import load_ticket
    from layso.web.context import db
    with client.application.app_context(), pytest.raises(UnknownTicket):
        load_ticket(db(), huge)


def test_deeply_nested_json_is_400_not_recursion_error(client):
    """Answers that are 500s today: 100,000 '[' as the body of POST /api/v1/tickets."""
    response = client.post("/api/v1/tickets", data="[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_input"


@pytest.mark.parametrize("body", ['{"service": NaN}', '{"service": "HT", "priority": 1e400}', '{"service": "\\ud800"}'])
def test_json_that_sqlite_or_python_cannot_hold_is_400(client, body):
    """Answers that are 500s today: NaN, 1e400 and an unpaired surrogate (UnicodeEncodeError
    in SQLite) are refused as invalid JSON."""
    response = client.post("/api/v1/tickets", data=body, content_type="application/json")
    assert response.status_code == 400, response.get_json()


@pytest.mark.parametrize("raw, parsed", [
    (b'{"a": 9223372036854775807, "b": -12}', {"a": 2**63 - 1, "b": -12}),
    (b'{"a": 1e308, "b": 1.5E-5, "c": 123456789012345678}', {"a": 1e308, "b": 1.5e-5, "c": 123456789012345678}),
    (b'{"a": 12345678901234567890.5, "b": 1e-400}', {"a": 12345678901234567890.5, "b": 0.0}),
    (b'{"a": "12345678901234567890", "b": "e1000"}', {"a": "12345678901234567890", "b": "e1000"}),
    ('{"a": "Hộ tịch", "b": 7}'.encode("utf-8-sig"), {"a": "Hộ tịch", "b": 7}),
    ('{"a": 7}'.encode("utf-16"), {"a": 7}),
])
def test_json_body_numbers_within_range_are_read_as_they_are(client, raw, parsed):
    """A body whose numbers all fit (checked at once by the shape of its digits, or each one
    when it has a long run of digits or a long exponent) reads as json.loads reads it."""
    from layso.web.context import json_body
    with client.application.test_request_context("/", method="POST", data=raw, content_type="application/json"):
        assert json_body() == parsed


@pytest.mark.parametrize("raw", [
    b'{"a": 9223372036854775808}', b'{"a": [1, {"b": -99999999999999999999}]}', b'{"a": 1e400}', b'{"a": 1E+0400}',
    b'{"a": 2e-0, "b": 1' + b"0" * 400 + b'}', '{"a": 100000000000000000000}'.encode("utf-16"),
    '{"a": 1e999}'.encode("utf-32"), '{"a": 99999999999999999999}'.encode("utf-8-sig"),
])
def test_json_body_numbers_beyond_64_bits_or_a_float_are_400(client, raw):
    """Whatever the body's encoding and wherever the number sits: a 400, never stored."""
    from layso.errors import InvalidInput
    from layso.web.context import json_body
    with client.application.test_request_context("/", method="POST", data=raw, content_type="application/json"):
        with pytest.raises(InvalidInput):
            json_body()


def test_unicode_digits_are_400_or_404_never_500(client, admin, manager, officer):
    """Answers that are 500s today: GET /api/v1/admin/audit?limit=² and other Unicode digits."""
    assert client.get("/api/v1/admin/audit?limit=²", headers=admin).status_code == 400
    assert client.get("/api/v1/admin/audit?limit=٣", headers=admin).status_code == 400
    assert client.get("/api/v1/admin/audit?limit=3", headers=admin).status_code == 200
    client.post("/api/v1/tickets", json={"service": "HT"})
    assert client.get("/api/v1/tickets/1", headers=manager).status_code == 200
    assert client.get("/api/v1/tickets/١", headers=manager).status_code == 404  # Arabic-Indic one is not ticket 1
    assert client.post("/api/v1/counters/1/call", json={"ticket": "²"}, headers=officer).status_code == 404
    summary = client.get("/api/v1/reports/summary?from=٢٠٢٦-11-01&to=2026-11-02", headers=manager)
    assert summary.status_code == 400
    assert client.get("/public?month=٢٠٢٦-11").status_code == 400


def test_public_month_outside_the_centers_life_writes_nothing(client, app, clock):
    """Answers that are 500s today: an anonymous GET /public?month= before the center's
    first ticket or after today writes nothing (no roll-up rows); a public GET never writes,
    even for a past month whose days are not rolled up yet."""
    path = app.extensions["layso.settings"].db_path
    assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 201
    clock.now = clock.now + timedelta(days=40)  # the ticket's month is closed now
    before = database_digest(path)
    for month in ("2000-01", "2025-02", "2026-10", "2026-11", "2026-12", "2027-01", "2999-12"):
        assert client.get(f"/public?month={month}", headers={"Accept": "text/html"}).status_code == 200, month
        assert database_digest(path) == before, month
    november = client.get("/public?month=2026-11", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="public-issued">1<' in november  # read live, not from a roll-up


def test_staff_report_of_months_before_the_first_ticket_stores_no_rollup(client, app, manager, db):
    """Answers that are 500s today: days before the center's first ticket are empty and
    closed, so a report over them builds no roll-up rows."""
    assert client.get("/api/v1/reports/summary?from=2024-01-01&to=2026-11-22", headers=manager).status_code == 200
    assert db.execute("SELECT COUNT(*) FROM report_rollup_days").fetchone()[0] == 0


def test_no_anonymous_get_writes_anything(app, client, clock):
    """Answers that are 500s today: a public GET never writes — every GET route of the app,
    asked anonymously (a past month with tickets not rolled up yet, this month empty)."""
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()  # no kiosk: no print job writes later
    clock.now = clock.now + timedelta(days=40)
    values = {"number": "1", "ticket_id": str(ticket["id"]), "token": ticket["status_url"].rsplit("/", 1)[1],
              "kiosk_id": "k1", "screen_id": "x", "name": "0" * 64, "code": "HT", "username": "an", "key": "hours",
              "device_id": "k1"}
    path = app.extensions["layso.settings"].db_path
    before = database_digest(path)
    asked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "filename" in rule.arguments or rule.endpoint == "vendor":
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+:)?{argument}>", values[argument], url)
        for query in ("", "?month=2026-11", "?month=2025-01"):
            response = client.get(url + query, headers={"Accept": "text/html"})
            assert response.status_code < 500, url
            assert database_digest(path) == before, url + query
            asked += 1
    assert asked > 60
