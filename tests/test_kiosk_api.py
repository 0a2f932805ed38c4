"""Issue 5 over HTTP: who may take a number (rate limit, kiosk networks), reprint rights,
the citizen's status page and its QR code, and the kiosk page itself."""

import ipaddress
import re

import pytest
import qrcode
import qrcode.image.svg


def test_more_tickets_than_the_rate_limit_from_one_address_get_429_in_vietnamese(make_client):
    client = make_client(ticket_rate_limit=3)
    for _ in range(3):
        assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 201
    refused = client.post("/api/v1/tickets", json={"service": "HT"})
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "too_many_requests"
    assert "tối đa 3 số/phút" in refused.get_json()["message"]
    other_address = client.post("/api/v1/tickets", json={"service": "HT"}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other_address.status_code == 201


def test_a_rate_limit_of_zero_turns_it_off(make_client):
    client = make_client(ticket_rate_limit=0)
    assert all(client.post("/api/v1/tickets", json={"service": "GCN"}).status_code == 201 for _ in range(40))


def test_the_environment_variable_overrides_the_configured_rate_limit(make_settings):
    from layso import settings as settings_module
    from tests.conftest import DATA

    loaded = settings_module.load(
        config=str(DATA / "center.toml"), db="unused.db",
        environ={"LAYSO_SECRET_KEY": "test-secret-key-0123456789", "LAYSO_TICKET_RATE_LIMIT": "7"},
    )
    assert loaded.ticket_rate_limit == 7


def test_only_the_configured_kiosk_network_may_issue_tickets(make_client):
    client = make_client(kiosk_networks=(ipaddress.ip_network("10.1.2.0/24"),))
    outside = client.post("/api/v1/tickets", json={"service": "HT"})
    assert outside.status_code == 403 and outside.get_json()["error"] == "forbidden"
    assert "không được phép lấy số" in outside.get_json()["message"]
    inside = client.post("/api/v1/tickets", json={"service": "HT"}, environ_base={"REMOTE_ADDR": "10.1.2.30"})
    assert inside.status_code == 201


def test_staff_may_issue_tickets_from_outside_the_kiosk_network(make_client):
    client = make_client(kiosk_networks=(ipaddress.ip_network("10.1.2.0/24"),))
    token = client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"}).get_json()["token"]
    answer = client.post("/api/v1/tickets", json={"service": "HT"}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201


def test_a_forged_bearer_token_cannot_issue_tickets(client):
    answer = client.post("/api/v1/tickets", json={"service": "HT"}, headers={"Authorization": "Bearer forged"})
    assert answer.status_code == 401


def test_reprint_is_for_the_staff_and_needs_a_kiosk_with_a_printer(client, login):
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    assert client.post(f"/api/v1/tickets/{ticket['id']}/reprint").status_code == 401
    assert client.post(f"/api/v1/tickets/{ticket['id']}/reprint", headers={"Authorization": "Bearer demo-tablet-1"}).status_code == 401
    manager = login("quanly")
    no_printer = client.post(f"/api/v1/tickets/{ticket['id']}/reprint", headers=manager)
    assert no_printer.status_code == 409
    answer = client.post(f"/api/v1/tickets/{ticket['id']}/reprint", json={"kiosk": "k1"}, headers=manager)
    assert answer.status_code == 202
    assert re.fullmatch(rf"t{ticket['id']}-r[0-9a-f]{{6}}", answer.get_json()["job"])
    assert client.post("/api/v1/tickets/999/reprint", headers=manager).status_code == 404


def token_of(ticket) -> str:
    return ticket["status_url"].rsplit("/", 1)[1]


def test_status_page_shows_number_service_status_people_ahead_and_wait_in_the_html(client):
    client.post("/api/v1/tickets", json={"service": "HT"})
    ticket = client.post("/api/v1/tickets", json={"service": "HT", "priority": False}).get_json()
    page = client.get(f"/t/{token_of(ticket)}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'id="number" class="status-number">A002<' in html
    assert "Hộ tịch" in html and "Đang chờ đến lượt" in html
    assert re.search(r'id="ahead">1<', html)
    assert re.search(r'id="wait">khoảng 2 phút<', html)  # one ahead × 300 s default ÷ 3 counters serving HT
    assert 'name="viewport"' in html


def test_status_page_says_which_counter_once_called(client, login):
    officer = login("an")
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    client.post("/api/v1/counters/1/open", headers=officer)
    client.post("/api/v1/counters/1/call-next", headers=officer)
    html = client.get(f"/t/{token_of(ticket)}").get_data(as_text=True)
    assert "Mời bạn đến quầy số 1" in html
    live = client.get(f"/api/v1/tickets/by-token/{token_of(ticket)}").get_json()
    assert live["status"] == "called" and live["counter"] == 1


def test_an_unknown_status_link_gets_a_friendly_404_page(client):
    answer = client.get("/t/not-a-real-token", headers={"Accept": "application/json"})
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "Không tìm thấy số thứ tự này." in answer.get_data(as_text=True)
    assert client.get("/t/not-a-real-token/qr.svg").status_code == 404
    assert client.get("/api/v1/tickets/by-token/not-a-real-token").status_code == 404


def test_qr_code_encodes_only_the_tickets_own_status_link(client):
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    answer = client.get(f"/t/{token_of(ticket)}/qr.svg?data=http://evil.example")
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    expected = qrcode.make(ticket["status_url"], image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    assert answer.data == expected.to_string()


def test_kiosk_page_lists_fields_services_and_priority_reasons_in_vietnamese_and_english(client):
    html = client.get("/kiosk/k1").get_data(as_text=True)
    assert "Mời chọn lĩnh vực" in html and "Người cao tuổi" in html
    assert '"kiosk": "k1"' in html and '"has_printer": true' in html
    assert "Tư pháp" in html and "Lý lịch tư pháp" in html
    english = client.get("/kiosk?lang=en").get_data(as_text=True)
    assert "Choose a field" in english and "I have priority" in english
    assert '"has_printer": false' in english
