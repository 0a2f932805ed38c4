"""The hub's admin API (docs/hub.md, "Hub administration"): centers registered, given a new
token and deactivated from a screen instead of the command line, and hub accounts added,
deactivated and given a temporary password that must be changed at the first login."""

import pytest

from tests.province_data import login

PASSWORD = "Thu-Thiem-2026-xanh"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_admin_lists_every_center_with_its_cursor_and_last_contact(hub_client, hub_admin):
    hub_client.post("/api/v1/hub/ingest", json={"events": []}, headers=bearer("demo-hub-token-2"))
    answer = hub_client.get("/api/v1/admin/centers", headers=hub_admin)
    assert answer.status_code == 200
    rows = {row["code"]: row for row in answer.json["centers"]}
    assert list(rows) == ["demo-1", "demo-2", "demo-3"]
    assert rows["demo-2"]["online"] and rows["demo-2"]["last_contact"] and rows["demo-2"]["shown"]["vi"]["status"] == "Đang kết nối"
    assert rows["demo-1"]["last_contact"] is None and rows["demo-1"]["shown"]["en"]["status"] == "Offline"
    assert rows["demo-1"]["acked"] == 0 and "token" not in rows["demo-1"] and "token_hash" not in rows["demo-1"]


def test_a_registered_center_syncs_with_the_token_shown_once(hub_client, hub_admin):
    answer = hub_client.post("/api/v1/admin/centers", json={"code": "xa-phu-vinh", "name": "  Trung tâm xã Phú Vinh "},
                         headers=hub_admin)
    assert answer.status_code == 201
    assert answer.json["center"]["name"] == "Trung tâm xã Phú Vinh" and answer.json["center"]["active"]
    token = answer.json["token"]
    assert hub_client.get("/api/v1/hub/cursor", headers=bearer(token)).json == {"center": "xa-phu-vinh", "acked": 0}
    again = hub_client.post("/api/v1/admin/centers", json={"code": "xa-phu-vinh", "name": "Khác"}, headers=hub_admin)
    assert again.status_code == 409 and set(again.json) == {"error", "message"}
    assert hub_client.get("/api/v1/hub/cursor", headers=bearer(token)).status_code == 200  # the taken code kept its token


def test_a_new_token_stops_the_old_one_and_keeps_the_cursor(hub_client, hub_admin):
    hub_client.post("/api/v1/hub/ingest", headers=bearer("demo-hub-token-1"), json={"events": [
        {"seq": 1, "kind": "services", "key": "HT", "at": "", "data": {"code": "HT", "name": "Hộ tịch"}}]})
    answer = hub_client.post("/api/v1/admin/centers/demo-1/token", headers=hub_admin)
    assert answer.status_code == 200 and answer.json["center"]["acked"] == 1
    assert hub_client.get("/api/v1/hub/cursor", headers=bearer("demo-hub-token-1")).status_code == 401
    assert hub_client.get("/api/v1/hub/cursor", headers=bearer(answer.json["token"])).json == {"center": "demo-1", "acked": 1}


def test_a_deactivated_center_is_refused_and_leaves_the_live_view_until_made_active(hub_client, hub_admin):
    answer = hub_client.post("/api/v1/admin/centers/demo-3", json={"active": False}, headers=hub_admin)
    assert answer.status_code == 200 and answer.json["center"]["shown"]["vi"]["status"] == "Ngừng hoạt động"
    assert hub_client.post("/api/v1/hub/ingest", json={"events": []}, headers=bearer("demo-hub-token-3")).status_code == 401
    live = hub_client.get("/api/v1/province/live", headers=login(hub_client, "tinh")).json
    assert [state["center"] for state in live["centers"]] == ["demo-1", "demo-2"]
    assert hub_client.post("/api/v1/admin/centers/demo-3", json={"active": True}, headers=hub_admin).status_code == 200
    assert hub_client.get("/api/v1/hub/cursor", headers=bearer("demo-hub-token-3")).status_code == 200


def test_only_a_hub_admin_administers(hub_client):
    assert hub_client.get("/api/v1/admin/centers").status_code == 401
    manager = login(hub_client, "tinh")
    for method, url in [("GET", "/api/v1/admin/centers"), ("GET", "/api/v1/admin/accounts"),
                        ("POST", "/api/v1/admin/centers/demo-1/token"), ("POST", "/api/v1/admin/accounts/tinh/reset-password")]:
        assert hub_client.open(url, method=method, headers=manager).status_code == 403, url
    assert hub_client.get("/api/v1/admin/centers", headers=bearer("demo-hub-token-1")).status_code == 401


def test_a_new_account_changes_its_temporary_password_at_first_login(hub_client, hub_admin):
    answer = hub_client.post("/api/v1/admin/accounts", headers=hub_admin, json={
        "username": "lan.nguyen", "name": "Nguyễn Thị Lan", "role": "province_manager", "password": PASSWORD})
    assert answer.status_code == 201 and answer.json["account"]["must_change_password"]
    first = hub_client.post("/api/v1/auth/login", json={"username": "lan.nguyen", "password": PASSWORD})
    assert first.status_code == 200 and first.json["must_change_password"] is True
    headers = bearer(first.json["token"])
    refused = hub_client.get("/api/v1/province/live", headers=headers)
    assert refused.status_code == 403 and refused.json["error"] == "password_change_required"
    weak = hub_client.post("/api/v1/auth/password", headers=headers, json={"old_password": PASSWORD, "new_password": "123456"})
    assert weak.status_code == 400
    changed = hub_client.post("/api/v1/auth/password", headers=headers,
                          json={"old_password": PASSWORD, "new_password": "Song-Huong-chay-mai"})
    assert changed.status_code == 200
    assert hub_client.get("/api/v1/province/live", headers=headers).status_code == 200
    again = hub_client.post("/api/v1/auth/login", json={"username": "lan.nguyen", "password": "Song-Huong-chay-mai"})
    assert again.json["must_change_password"] is False


def test_reset_password_ends_sessions_and_must_be_changed(hub_client, hub_admin):
    old_session = login(hub_client, "tinh")
    answer = hub_client.post("/api/v1/admin/accounts/tinh/reset-password", headers=hub_admin)
    assert answer.status_code == 200 and len(answer.json["password"]) >= 10
    assert hub_client.get("/api/v1/province/live", headers=old_session).status_code == 401
    assert hub_client.post("/api/v1/auth/login", json={"username": "tinh", "password": "demo"}).status_code == 401
    fresh = hub_client.post("/api/v1/auth/login", json={"username": "tinh", "password": answer.json["password"]})
    assert fresh.json["must_change_password"] is True


def test_a_deactivated_account_is_logged_out_and_an_admin_keeps_their_own_access(hub_client, hub_admin):
    session = login(hub_client, "tinh")
    answer = hub_client.post("/api/v1/admin/accounts/tinh", json={"active": False}, headers=hub_admin)
    assert answer.status_code == 200 and answer.json["account"]["active"] is False
    assert hub_client.get("/api/v1/province/live", headers=session).status_code == 401
    assert hub_client.post("/api/v1/auth/login", json={"username": "tinh", "password": "demo"}).status_code == 401
    own = hub_client.post("/api/v1/admin/accounts/admin", json={"role": "province_manager"}, headers=hub_admin)
    assert own.status_code == 409
    listed = hub_client.get("/api/v1/admin/accounts", headers=hub_admin).json
    assert {row["username"]: row["active"] for row in listed["accounts"]} == {"admin": True, "tinh": False}
    assert [role["id"] for role in listed["roles"]] == ["province_manager", "admin"]


@pytest.mark.parametrize("url, body", [
    ("/api/v1/admin/centers", {"code": "Xã Phú Vinh", "name": "x"}),
    ("/api/v1/admin/centers", {"code": "xa-a", "name": "a\x00b"}),
    ("/api/v1/admin/centers", {"code": "xa-a", "name": "x" * 100_000}),
    ("/api/v1/admin/centers", {"code": "xa-a", "name": "   "}),
    ("/api/v1/admin/centers", {"code": "xa-a", "name": "A", "token": "mine"}),
    ("/api/v1/admin/centers/demo-1", {"active": "no"}),
    ("/api/v1/admin/accounts", {"username": "ab", "name": "A", "role": "officer", "password": PASSWORD}),
    ("/api/v1/admin/accounts", {"username": "a\x00b", "name": "A", "role": "admin", "password": PASSWORD}),
    ("/api/v1/admin/accounts", {"username": "ab", "name": "A", "role": "admin", "password": "password123"}),
    ("/api/v1/admin/accounts/tinh", {"name": 10**40}),
])
def test_bad_admin_input_is_a_400_in_the_pages_language(hub_client, hub_admin, url, body):
    answer = hub_client.post(url, json=body, headers=hub_admin | {"Accept-Language": "en"})
    assert answer.status_code == 400, answer.json
    assert set(answer.json) == {"error", "message"} and answer.json["message"].isascii()


@pytest.mark.parametrize("url", ["/api/v1/admin/centers/khong-co/token", "/api/v1/admin/centers/%00/token",
                                 "/api/v1/admin/accounts/khong-co/reset-password", "/api/v1/admin/accounts/%00"])
def test_unknown_centers_and_accounts_are_a_404(hub_client, hub_admin, url):
    answer = hub_client.post(url, json={}, headers=hub_admin)
    assert answer.status_code == 404 and set(answer.json) == {"error", "message"}
