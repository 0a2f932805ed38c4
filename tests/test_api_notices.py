"""What staff see of the notices (GET /api/v1/notices, /notices, the dashboard's alert) and
the citizen's "Không nhận tin nhắn nữa" on the status page."""

import re
import time

from layso.notify.staff import stuck_alert
from layso.store.db import write
from layso.store.notices import list_notices
from tests.test_notify_outbox import set_notify

PHONE = "0912 345 678"


def remote(client, phone=PHONE, service="HT"):
    answer = client.post("/api/v1/tickets", json={"service": service, "channel": "remote", "phone": phone, "consent": True})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_managers_see_every_notice_with_the_phone_masked(client, manager, login):
    ticket = remote(client)
    answer = client.get("/api/v1/notices", headers=manager)
    assert answer.status_code == 200
    [notice] = answer.get_json()["notices"]
    assert notice["kind"] == "remote_issued" and notice["kind_words"] == "Đã lấy số từ xa"
    assert notice["phone_masked"] == "09xx xxx 678" and "912345678" not in str(answer.get_json())
    assert notice["text"].endswith(ticket["status_url"].split("/t/")[1]) and "{base}" not in notice["text"]
    assert (notice["status"], notice["status_words"]) == ("pending", "Đang chờ gửi")
    assert answer.get_json()["counts"] == {"pending": 1, "sent": 0, "failed": 0, "cancelled": 0}
    english = client.get("/api/v1/notices?lang=en", headers=manager).get_json()["notices"][0]
    assert (english["kind_words"], english["status_words"]) == ("Remote ticket taken", "Waiting to be sent")
    assert client.get("/api/v1/notices", headers=login("an")).status_code == 403


def test_the_list_filters_by_status_and_refuses_the_absurd(client, manager):
    remote(client)
    assert client.get("/api/v1/notices?status=sent", headers=manager).get_json()["notices"] == []
    for query in ("status=lost", "limit=0", "limit=501", "limit=²", "before=99999999999999999999", "before=-1"):
        answer = client.get(f"/api/v1/notices?{query}", headers=manager)
        assert answer.status_code == 400, query
    assert client.get("/api/v1/notices?before=1", headers=manager).get_json()["notices"] == []


def test_the_notices_page_lists_them_for_managers(client, manager, app):
    page = client.get("/notices")  # the client holds the manager's session cookie
    assert page.status_code == 200 and "Tin nhắn SMS/Zalo" in page.get_data(as_text=True)
    assert app.test_client().get("/notices").status_code == 200  # the login form for anyone else


def test_the_dashboard_warns_when_the_oldest_unsent_notice_is_too_old(client, manager, app):
    set_notify_app(app, alert_after_s=60)
    remote(client)
    alerts = client.get("/api/v1/dashboard", headers=manager).get_json()["alerts"]
    assert not any(alert["kind"] == "notices_unsent" for alert in alerts)
    with app.extensions["layso.pool"].connection() as database:
        with write(database):
            database.execute("UPDATE notices SET created_ts = ?", [time.time() - 3600])
        assert stuck_alert(database)["age_s"] >= 3600
    [alert] = [alert for alert in client.get("/api/v1/dashboard", headers=manager).get_json()["alerts"]
               if alert["kind"] == "notices_unsent"]
    assert alert["shown"]["message"].startswith("Tin nhắn SMS/Zalo chưa gửi được: 1 tin đang chờ, tin cũ nhất đã 1 giờ")


def set_notify_app(app, **values):
    with app.extensions["layso.pool"].connection() as database:
        set_notify(database, **values)


def test_the_citizen_stops_the_messages_on_the_status_page(client, app):
    ticket = remote(client)
    token = ticket["status_url"].rsplit("/", 1)[1]
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert "Không nhận tin nhắn nữa" in page
    answer = client.post(f"/t/{token}/no-messages")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/t/{token}")
    assert "Đã dừng gửi tin nhắn cho số này." in client.get(f"/t/{token}").get_data(as_text=True)
    with app.extensions["layso.pool"].connection() as database:
        assert [notice["status"] for notice in list_notices(database)] == ["cancelled"]


def test_a_kiosk_ticket_has_no_message_choice_and_an_unknown_token_changes_nothing(client):
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    token = ticket["status_url"].rsplit("/", 1)[1]
    assert "tin nhắn" not in client.get(f"/t/{token}").get_data(as_text=True).lower()
    assert client.post("/t/not-a-token/no-messages").status_code == 303
    assert client.post("/t/" + "x" * 5000 + "/no-messages").status_code in (303, 404)
    assert re.search(r"<form[^>]*no-messages", client.get(f"/t/{token}").get_data(as_text=True)) is None
