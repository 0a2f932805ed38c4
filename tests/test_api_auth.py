"""Login, tokens, roles, CSRF and throttling over HTTP."""

from datetime import timedelta

from layso.store.seed import token_hash
from tests.helpers import NEW_PASSWORD


def test_login_returns_a_bearer_token_and_role(client):
    response = client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["role"] == "officer" and body["username"] == "an" and len(body["token"]) > 30
    assert body["must_change_password"] is True  # set from the config file, outside demo mode


def test_wrong_password_is_401_with_a_vietnamese_message(client):
    response = client.post("/api/v1/auth/login", json={"username": "an", "password": "nope"})
    assert response.status_code == 401
    assert response.get_json() == {"error": "unauthorized", "message": "Tên đăng nhập hoặc mật khẩu không đúng."}


def test_english_clients_get_english_messages(client):
    response = client.post("/api/v1/auth/login", json={"username": "an", "password": "nope"},
                           headers={"Accept-Language": "en"})
    assert response.get_json()["message"] == "Wrong username or password."


def test_a_password_from_the_config_must_be_changed_before_anything_else(client):
    token = client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    refused = client.post("/api/v1/counters/1/open", headers=headers)
    assert refused.status_code == 403 and refused.get_json()["error"] == "password_change_required"
    too_short = client.post("/api/v1/auth/password", headers=headers, json={"old_password": "an-password-1", "new_password": "x"})
    assert too_short.status_code == 400
    changed = client.post("/api/v1/auth/password", headers=headers,
                          json={"old_password": "an-password-1", "new_password": "a-better-password"})
    assert changed.status_code == 200
    assert client.post("/api/v1/counters/1/open", headers=headers).status_code == 200
    relogin = client.post("/api/v1/auth/login", json={"username": "an", "password": "a-better-password"})
    assert relogin.get_json()["must_change_password"] is False


def test_failed_logins_are_throttled(client):
    for _ in range(5):
        assert client.post("/api/v1/auth/login", json={"username": "binh", "password": "wrong"}).status_code == 401
    response = client.post("/api/v1/auth/login", json={"username": "binh", "password": "binh-password-1"})
    assert response.status_code == 429
    assert response.get_json()["error"] == "too_many_requests"


def test_no_token_forged_token_and_expired_token_are_401(client, login, db, now):
    assert client.get("/api/v1/tickets/1").status_code == 401
    forged = client.get("/api/v1/tickets/1", headers={"Authorization": "Bearer forged-token"})
    assert forged.status_code == 401 and forged.get_json()["error"] == "unauthorized"
    headers = login("an")
    token = headers["Authorization"][7:]
    db.execute("UPDATE tokens SET expires_at = ? WHERE token_hash = ?",
               [(now - timedelta(days=400)).isoformat(), token_hash(token)])
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_logout_revokes_the_token(client, login):
    headers = login("an")
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 200
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_cookie_session_writes_need_the_csrf_token(client, login):
    login("an")  # the test client keeps the session cookie of the last login
    answer = client.post("/api/v1/auth/login", json={"username": "an", "password": NEW_PASSWORD}).get_json()
    without = client.post("/api/v1/counters/1/open")
    assert without.status_code == 403 and without.get_json()["error"] == "forbidden"
    with_token = client.post("/api/v1/counters/1/open", headers={"X-CSRF-Token": answer["csrf_token"]})
    assert with_token.status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 200  # reads need no CSRF token


def test_an_officer_cannot_act_on_a_counter_held_by_someone_else(client, login):
    an, binh = login("an"), login("binh")
    assert client.post("/api/v1/counters/1/open", headers=an).status_code == 200
    taken = client.post("/api/v1/counters/1/open", headers=binh)
    assert taken.status_code == 409 and taken.get_json()["error"] == "counter_occupied"
    not_held = client.post("/api/v1/counters/1/call-next", headers=binh)
    assert not_held.status_code == 403 and not_held.get_json()["error"] == "counter_not_held"


def test_a_manager_may_close_any_counter_but_an_officer_may_not(client, login):
    an, binh, manager = login("an"), login("binh"), login("quanly")
    client.post("/api/v1/counters/1/open", headers=an)
    assert client.post("/api/v1/counters/1/close", headers=binh).status_code == 403
    closed = client.post("/api/v1/counters/1/close", headers=manager)
    assert closed.status_code == 200 and closed.get_json()["counter"]["status"] == "closed"


def test_item_6_a_password_change_ends_the_user_s_other_tokens_but_not_its_own(client, login):
    """Issue 14, security item 6: a password changed because it leaked must end the thief's sessions too."""
    kept = login("an")
    other = login("an", NEW_PASSWORD)
    changed = client.post("/api/v1/auth/password", headers=kept,
                          json={"old_password": NEW_PASSWORD, "new_password": "bánh bèo chén nhỏ 9"})
    assert changed.status_code == 200
    assert client.get("/api/v1/auth/me", headers=other).status_code == 401
    assert client.get("/api/v1/auth/me", headers=kept).status_code == 200
