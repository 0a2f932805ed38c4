"""The link to the province hub in the center's admin and on its dashboard: an admin sets
the hub's address and the center's token (never shown back, never audited), the staff see
the link's state in words, and the sync worker uses a saved link at once."""

import time

import pytest

from layso.settings import HubLink
from layso.sync.words import link_words
from tests.fake_hub import FakeHub

TOKEN = "hub-token-admin-1"


@pytest.fixture(autouse=True)
def passwords_already_changed(db):
    db.execute("UPDATE users SET must_change_password = 0")


@pytest.fixture
def hub():
    fake = FakeHub(TOKEN)
    yield fake
    fake.close()


def test_an_admin_sets_the_hub_link_and_the_token_is_never_shown_nor_audited(client, admin, db, hub):
    answer = client.get("/api/v1/admin/hub", headers=admin).get_json()
    assert answer["link"] == {"url": "", "token_set": False, "batch_max": 500, "batch_ms": 1000, "source": "default"}
    assert answer["status"]["state"] == "off" and answer["status"]["shown"]["text"]
    saved = client.post("/api/v1/admin/hub", json={"url": hub.url + "/", "token": TOKEN, "batch_max": 200}, headers=admin)
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["link"] == {"url": hub.url, "token_set": True, "batch_max": 200, "batch_ms": 1000, "source": "admin"}
    # Saved again without a token: the one set stays.
    client.post("/api/v1/admin/hub", json={"url": hub.url, "batch_ms": 50}, headers=admin)
    stored = db.execute("SELECT value FROM center_settings WHERE key = 'hub'").fetchone()[0]
    assert TOKEN in stored
    everything = str(client.get("/api/v1/admin/hub", headers=admin).get_json())
    everything += str(db.execute("SELECT detail FROM audit_log WHERE action = 'setting.hub'").fetchall())
    everything += str(db.execute("SELECT data FROM hub_log").fetchall())
    assert TOKEN not in everything


@pytest.mark.parametrize("body, word", [
    ({"url": "ftp://hub.tinh.gov.vn", "token": "t"}, "http"),
    ({"url": "http://hub.tinh.gov.vn"}, "token"),
    ({"url": "http://hub", "token": "a b"}, "token"),
    ({"url": "http://hub", "token": "t", "batch_max": 0}, "5000"),
    ({"url": "http://hub", "token": "t", "batch_ms": "1000"}, "60000"),
    ({"url": "http://hub", "token": "t", "password": "x"}, "password"),
    ({"url": 5, "token": "t"}, "http"),
])
def test_a_wrong_hub_link_is_refused_naming_what_is_wrong(client, admin, body, word):
    answer = client.post("/api/v1/admin/hub", json=body, headers=admin)
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "invalid_input" and word in answer.get_json()["message"]


def test_only_admins_see_or_change_the_hub_link(client, manager):
    assert client.get("/api/v1/admin/hub", headers=manager).status_code == 403
    assert client.post("/api/v1/admin/hub", json={"url": ""}, headers=manager).status_code == 403


def test_a_link_set_by_the_environment_cannot_be_changed_in_the_admin(make_client):
    client = make_client(hub=HubLink("http://hub.tinh.gov.vn", "t-env", 500, 1000, "environment"))
    response = client.post("/api/v1/auth/login", json={"username": "quantri", "password": "quantri-password-1"})
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    assert client.get("/api/v1/admin/hub", headers=headers).get_json()["link"]["source"] == "environment"
    refused = client.post("/api/v1/admin/hub", json={"url": "http://other", "token": "x"}, headers=headers)
    assert refused.status_code == 400 and "LAYSO_HUB_URL" in refused.get_json()["message"]


def test_the_worker_sends_to_the_link_an_admin_saved_and_the_dashboard_says_so(app, client, admin, manager, db, hub):
    sync = app.extensions["layso.hub_sync"].start()
    try:
        client.post("/api/v1/admin/hub", json={"url": hub.url, "token": TOKEN, "batch_ms": 20}, headers=admin)
        last = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'hub_log'").fetchone()[0]
        hub.wait_for_acked(last)
        deadline = time.monotonic() + 10
        while sync.status().state != "ok" and time.monotonic() < deadline:
            time.sleep(0.02)
        link = client.get("/api/v1/dashboard", headers=manager).get_json()["hub_link"]
        assert link["state"] == "ok" and link["shown"]["level"] == "info"
        assert link["shown"]["text"].startswith("Đã liên thông với máy chủ tỉnh")
    finally:
        sync.close()


def test_the_link_state_in_words_in_both_languages():
    offline = {"state": "offline", "since": "2026-11-23T09:15:00+07:00", "last_contact": None, "acked": 10,
               "backlog": 1234, "message": "connection refused"}
    assert link_words(offline) == ("Mất kết nối máy chủ tỉnh từ 23/11/2026 09:15; trung tâm vẫn hoạt động bình thường, "
                                   "dữ liệu sẽ được gửi khi có kết nối. Còn 1.234 thay đổi chờ gửi.")
    assert link_words(offline | {"backlog": 1}, "en").endswith("sends its data when the link is back. 1 change waiting to be sent.")
    assert link_words({"state": "off", "backlog": 50}) == "Chưa liên thông với máy chủ tỉnh."
    assert "từ chối" in link_words({"state": "refused", "since": "2026-11-23T09:15:00+07:00", "backlog": 0})
