"""POST /api/v1/tickets with ``channel: "remote"``: a number taken from a phone (lấy số từ xa)."""

import re
from ipaddress import ip_network

import pytest

from tests.helpers import change_setting, later, ticket_row

PHONE = "0912 345 678"


def remote(client, service="HT", phone=PHONE, **extra):
    body = {"service": service, "channel": "remote", "phone": phone, "consent": True, **extra}
    return client.post("/api/v1/tickets", json=body)


def test_a_remote_ticket_is_the_next_number_of_its_service_with_its_channel(client):
    kiosk = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    response = remote(client)
    assert response.status_code == 201
    ticket = response.get_json()
    assert kiosk["channel"] == "kiosk" and kiosk["phone_masked"] is None
    assert (ticket["number"], ticket["channel"], ticket["ahead"], ticket["kiosk"]) == ("A002", "remote", 1, None)
    assert ticket["status_url"].startswith("http://localhost/t/") and ticket["print_job"] is None


def test_a_remote_ticket_keeps_the_phone_in_e164_and_shows_it_only_masked(app, client):
    ticket = remote(client, phone="+84 912.345.678").get_json()
    db = app.extensions["layso.pool"]
    with db.connection() as database:
        row = ticket_row(database, ticket["id"])
    assert (row["channel"], row["phone"]) == ("remote", "+84912345678")
    assert ticket["phone_masked"] == "09xx xxx 678"
    token = ticket["status_url"].rsplit("/", 1)[1]
    public = client.get(f"/api/v1/tickets/by-token/{token}").get_json()
    assert public["channel"] == "remote" and "phone_masked" not in public
    assert "912" not in client.get(f"/t/{token}").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["0912 345 678", "0912.345.678", "0912-345-678", "84912345678", "+84912345678",
                                   "\u00a00912\u00a0345\u00a0678 "])
def test_phone_numbers_are_read_as_people_type_them(client, typed):
    assert remote(client, phone=typed).status_code == 201


@pytest.mark.parametrize("typed", [
    "", None, 912345678, ["0912345678"], {"phone": "0912345678"}, True,
    "０９１２３４５６７８",  # full-width digits
    "٠٩١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    "0912 345 67", "09123456789", "0301234567", "1900 1234", "+1 202 555 0100", "tel:0912345678",
    "0912345678" * 2, "0" * 250_000,
])
def test_a_phone_that_is_not_a_vietnamese_mobile_number_is_a_400(client, typed):
    response = remote(client, phone=typed)
    assert response.status_code == 400, typed
    assert response.get_json()["error"] == "invalid_input"
    assert client.get("/api/v1/services").get_json()["services"][0]["waiting"] == 0


def test_a_landline_is_refused_saying_a_mobile_number_is_needed(client):
    response = remote(client, phone="(024) 3825 1234")
    assert response.status_code == 400 and "di động" in response.get_json()["message"]


def test_a_remote_ticket_needs_explicit_consent(client):
    for consent in (None, False, "yes", 1):
        body = {"service": "HT", "channel": "remote", "phone": PHONE, "consent": consent}
        response = client.post("/api/v1/tickets", json=body)
        assert response.status_code == 400 and "đồng ý" in response.get_json()["message"]


def test_unknown_channels_and_remote_kiosks_or_priority_are_400(client):
    for channel in ("appointment", "web", "", None, 1, ["remote"]):
        response = client.post("/api/v1/tickets", json={"service": "HT", "channel": channel})
        assert response.status_code == 400, channel
    assert remote(client, kiosk="k1").status_code == 400
    assert remote(client, priority=True, priority_reason="elderly").status_code == 400


def test_one_remote_number_per_phone_per_day_and_service(client, clock, now):
    assert remote(client).status_code == 201
    again = remote(client, phone="+84912345678")
    assert again.status_code == 429
    assert again.get_json() == {
        "error": "remote_limit",
        "message": "Mỗi số điện thoại chỉ được lấy 1 số từ xa mỗi ngày cho dịch vụ này.",
    }
    assert remote(client, service="GCN").status_code == 201  # another service
    assert remote(client, phone="0987 654 321").status_code == 201  # another phone
    clock.now = later(now, minutes=24 * 60)  # the next day
    assert remote(client).status_code == 201


def test_the_limit_is_worded_in_english_for_an_english_page(client):
    remote(client)
    response = client.post("/api/v1/tickets", json={"service": "HT", "channel": "remote", "phone": PHONE, "consent": True},
                           headers={"X-Layso-Language": "en"})
    assert response.status_code == 429 and "remote number" in response.get_json()["message"]


def test_a_capped_service_gives_at_most_its_share_remotely(client):
    # LLTP has a daily cap of 5 in the test center: 30 % of it is 1 remote number.
    assert remote(client, service="LLTP").status_code == 201
    refused = remote(client, service="LLTP", phone="0987 654 321")
    assert refused.status_code == 429 and "30 % của 5 số" in refused.get_json()["message"]
    assert client.post("/api/v1/tickets", json={"service": "LLTP"}).status_code == 201  # the kiosk still gives


def test_no_remote_number_near_closing_or_after_the_last_issue_time(app, client, clock, now):
    clock.now = now.replace(hour=11, minute=5)  # the morning span ends 11:30; default margin 30 min
    near = remote(client)
    assert near.status_code == 429 and "30 phút cuối" in near.get_json()["message"]
    assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 201
    with app.extensions["layso.pool"].connection() as database:
        change_setting(database, "remote", close_margin_min=0, services={"HT": {"last_issue": "10:00"}})
    late = remote(client)
    assert late.status_code == 429 and "trước 10:00" in late.get_json()["message"]
    assert remote(client, service="GCN").status_code == 201


def test_a_service_can_take_no_remote_numbers(app, client):
    with app.extensions["layso.pool"].connection() as database:
        change_setting(database, "remote", services={"HT": {"enabled": False}})
    response = remote(client)
    assert response.status_code == 409 and response.get_json()["error"] == "service_closed"
    assert remote(client, service="GCN").status_code == 201


def test_remote_numbers_outside_opening_hours_are_refused_like_the_kiosk(client, clock, now):
    clock.now = now.replace(hour=12)
    response = remote(client)
    assert response.status_code == 409 and response.get_json()["message"].startswith("Ngoài giờ làm việc")


def test_remote_requests_count_against_the_per_address_rate_limit(make_client):
    client = make_client(ticket_rate_limit=2)
    assert remote(client, phone="0912345678").status_code == 201
    assert remote(client, phone="0912345679").status_code == 201
    over = remote(client, phone="0912345670")
    assert over.status_code == 429 and "tối đa 2 số/phút" in over.get_json()["message"]


def test_remote_tickets_are_taken_from_any_network(make_client):
    client = make_client(kiosk_networks=(ip_network("10.9.0.0/16"),), require_registration=("kiosk", "tablet"))
    assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 403
    assert remote(client).status_code == 201


def test_the_phone_page_offers_each_open_service_and_asks_for_consent(client):
    page = client.get("/lay-so").get_data(as_text=True)
    assert "Lấy số từ xa" in page and 'name="service" value="HT"' in page
    assert 'type="tel"' in page and 'id="consent"' in page and "chỉ cho việc đó" in page
    english = client.get("/lay-so?lang=en").get_data(as_text=True)
    assert "Take a number remotely" in english and "for nothing else" in english


def test_a_service_without_remote_numbers_is_shown_but_cannot_be_chosen(app, client):
    with app.extensions["layso.pool"].connection() as database:
        change_setting(database, "remote", services={"HT": {"enabled": False}})
    page = client.get("/lay-so").get_data(as_text=True)
    assert 'value="HT" disabled' in page and "Chỉ lấy số tại trung tâm." in page


def test_opening_the_phone_page_writes_nothing(app, client):
    from tests.helpers import database_digest

    client.get("/lay-so")
    before = database_digest(app.extensions["layso.settings"].db_path)
    client.get("/lay-so?lang=en")
    assert database_digest(app.extensions["layso.settings"].db_path) == before


def test_a_remote_status_page_says_when_to_come(app, client):
    for _ in range(6):
        client.post("/api/v1/tickets", json={"service": "HT"})
    ticket = remote(client).get_json()
    page = client.get(ticket["status_url"].replace("http://localhost", "")).get_data(as_text=True)
    assert "trước khi còn 5 người trước bạn" in page
    assert 'id="come-now" class="status-come-now" hidden' in page  # 6 people ahead: not yet
    with app.extensions["layso.pool"].connection() as database:
        change_setting(database, "remote", come_when_ahead=6)
    page = client.get(ticket["status_url"].replace("http://localhost", "")).get_data(as_text=True)
    assert "trước khi còn 6 người" in page and 'class="status-come-now" hidden' not in page
    kiosk = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    assert "come-when" not in client.get(kiosk["status_url"].replace("http://localhost", "")).get_data(as_text=True)


class FakeSender:
    """The notification package's one-time-code hook, recording what it was asked to send."""

    def __init__(self):
        self.sent = []

    def __call__(self, db, phone, code, *, now, language):
        self.sent.append((phone, code, language))


@pytest.fixture
def code_client(app, client):
    with app.extensions["layso.pool"].connection() as database:
        change_setting(database, "remote", one_time_code=True)
    return client


def test_without_a_message_sender_the_one_time_code_setting_gives_no_number(app, code_client):
    del app.extensions["layso.code_sender"]
    response = remote(code_client)
    assert response.status_code == 503 and response.get_json()["error"] == "sms_unavailable"


def test_a_one_time_code_is_sent_then_confirmed_before_the_number(app, code_client):
    sender = app.extensions["layso.code_sender"] = FakeSender()
    asked = remote(code_client)
    assert asked.status_code == 202 and asked.get_json() == {"code_required": True, "expires_in_s": 300}
    [(phone, code, language)] = sender.sent
    assert phone == "+84912345678" and len(code) == 6 and code.isdigit() and language == "vi"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert remote(code_client, code=wrong).status_code == 400
    for bad in ("", "12345", "１２３４５６", 123456, "1234567"):
        assert remote(code_client, code=bad).status_code == 400
    issued = remote(code_client, code=code)
    assert issued.status_code == 201 and issued.get_json()["channel"] == "remote"
    assert remote(code_client, service="GCN", code=code).status_code == 400  # a code is for one service, once


def test_codes_are_not_resent_within_a_minute_and_die_after_five_wrong_tries(app, code_client):
    sender = app.extensions["layso.code_sender"] = FakeSender()
    assert remote(code_client).status_code == 202
    again = remote(code_client)
    assert again.status_code == 429 and "1 phút" in again.get_json()["message"]
    [(_, code, _)] = sender.sent
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        assert remote(code_client, code=wrong).status_code == 400
    assert remote(code_client, code=wrong).status_code == 429
    assert remote(code_client, code=code).status_code == 400  # void now


def test_no_code_is_sent_for_a_number_that_would_be_refused(app, code_client):
    sender = app.extensions["layso.code_sender"] = FakeSender()
    assert remote(code_client, service="NOPE").status_code == 404
    with app.extensions["layso.pool"].connection() as database:
        change_setting(database, "remote", services={"HT": {"enabled": False}})
    assert remote(code_client).status_code == 409
    assert sender.sent == []


def test_a_code_expires_after_its_time():
    from kiosk.remote import OneTimeCodes
    from layso.errors import InvalidInput

    moment = [1000.0]
    codes = OneTimeCodes(clock=lambda: moment[0])
    code = codes.new(("+84912345678", "HT"), ttl_s=300)
    moment[0] += 300
    with pytest.raises(InvalidInput, match="hết hạn"):
        codes.confirm(("+84912345678", "HT"), code)
    code = codes.new(("+84912345678", "HT"), ttl_s=300)  # a new one may be asked for
    moment[0] += 299
    codes.confirm(("+84912345678", "HT"), code)


def test_the_notification_outbox_gets_the_code_text(app, code_client):
    assert remote(code_client).status_code == 202
    with app.extensions["layso.pool"].connection() as database:
        [notice] = list(database.query("SELECT kind, phone, text FROM notices"))
    assert (notice["kind"], notice["phone"]) == ("otp", "+84912345678")
    assert re.search(r"\b[0-9]{6}\b", notice["text"])


def test_a_remote_phone_is_erased_after_the_retention_days_and_the_ticket_stays(app, client, now):
    from tests.test_background import run_minute

    ticket = remote(client).get_json()
    pool = app.extensions["layso.pool"]
    run_minute(app, later(now, minutes=30 * 24 * 60))  # 30 days on: still kept
    with pool.connection() as database:
        assert ticket_row(database, ticket["id"])["phone"] == "+84912345678"
    run_minute(app, later(now, minutes=31 * 24 * 60))
    with pool.connection() as database:
        row = ticket_row(database, ticket["id"])
        assert (row["phone"], row["channel"], row["status"]) == (None, "remote", "expired")
        change_setting(database, "remote", retention_days=2)
    fresh = remote(client, service="GCN", phone="0987654321").get_json()
    run_minute(app, later(now, minutes=2 * 24 * 60))
    with pool.connection() as database:
        assert ticket_row(database, fresh["id"])["phone"] == "+84987654321"
    run_minute(app, later(now, minutes=3 * 24 * 60))
    with pool.connection() as database:
        assert ticket_row(database, fresh["id"])["phone"] is None


def test_the_summary_report_counts_numbers_by_where_they_were_taken(client, login):
    client.post("/api/v1/tickets", json={"service": "HT"})
    client.post("/api/v1/tickets", json={"service": "HT"})
    remote(client)
    remote(client, service="GCN")
    headers = login("quanly")
    body = client.get("/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&by=service", headers=headers).get_json()
    channels = body["channels"]
    assert channels["rows"]["HT"] == {"kiosk": 2, "remote": 1, "appointment": 0}
    assert channels["rows"]["GCN"] == {"kiosk": 0, "remote": 1, "appointment": 0}
    assert channels["total"] == {"kiosk": 2, "remote": 2, "appointment": 0}
    assert channels["text"] == "Số đã lấy: 2 tại kiosk · 2 từ xa"
    by_officer = client.get("/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&by=officer", headers=headers).get_json()
    assert by_officer["channels"]["rows"] == {} and by_officer["channels"]["total"]["remote"] == 2
    english = client.get("/api/v1/reports/summary?from=2026-11-01&to=2026-11-22&by=day",
                         headers={**headers, "X-Layso-Language": "en"}).get_json()
    assert english["channels"] == {"rows": {}, "total": {"kiosk": 0, "remote": 0, "appointment": 0}, "text": "Numbers taken: 0"}
    assert "912" not in str(body)


def test_an_admin_changes_the_remote_limits_live(client, login):
    headers = login("quantri")
    refused = client.post("/api/v1/admin/settings/remote", json={"value": {"services": {"HT": {"cap_share": 2}}}},
                          headers=headers)
    assert refused.status_code == 400 and "remote.services.HT.cap_share" in refused.get_json()["message"]
    unknown = client.post("/api/v1/admin/settings/remote", json={"value": {"services": {"NOPE": {}}}}, headers=headers)
    assert unknown.status_code == 400 and "NOPE" in unknown.get_json()["message"]
    changed = client.post("/api/v1/admin/settings/remote", json={"value": {"per_phone_per_day": 2}}, headers=headers)
    assert changed.status_code == 200
    assert client.get("/api/v1/admin/settings", headers=headers).get_json()["settings"]["remote"]["per_phone_per_day"] == 2
    assert remote(client).status_code == 201 and remote(client).status_code == 201
    assert remote(client).status_code == 429
