"""Issue 14, security item 3: a user who must change their password (the first one came from
the config file) sees no page, gets no socket token and no socket until they have."""

import pytest

from tests.helpers import NEW_PASSWORD


@pytest.fixture
def first_login(client):
    """quanly (manager), logged in by cookie with the password from the config file."""
    answer = client.post("/api/v1/auth/login", json={"username": "quanly", "password": "quanly-password-1"}).get_json()
    assert answer["must_change_password"] is True
    return answer


@pytest.mark.parametrize("page", ["/reports/monthly", "/reports/monthly?month=2026-11", "/dashboard", "/reports",
                                  "/counter", "/admin"])
def test_item_3_every_staff_page_sends_a_user_who_must_change_the_password_to_the_form(client, first_login, page):
    answer = client.get(page, headers={"Accept": "text/html"})
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("/password?next=")
    form = client.get(answer.headers["Location"])
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and 'id="password-form"' in html
    assert f'data-next="{page}"' in html  # and back to the page asked for afterwards


def test_item_3_no_socket_token_until_the_password_is_changed(client, first_login):
    refused = client.get("/api/v1/auth/socket-token")
    assert refused.status_code == 403 and refused.get_json()["error"] == "password_change_required"
    changed = client.post("/api/v1/auth/password", headers={"X-CSRF-Token": first_login["csrf_token"]},
                          json={"old_password": "quanly-password-1", "new_password": NEW_PASSWORD})
    assert changed.status_code == 200
    assert client.get("/api/v1/auth/socket-token").status_code == 200
    assert client.get("/reports").status_code == 200


def test_item_3_a_socket_with_the_token_of_a_user_who_must_change_the_password_is_refused(app, first_login):
    from layso.web.realtime import socketio

    for role in ("dashboard", "counter"):
        refused = socketio.test_client(app, auth={"role": role, "token": first_login["token"]})
        assert not refused.is_connected()


def test_item_3_the_form_goes_back_only_to_a_page_of_this_server(client, first_login):
    for target in ("https://example.com/x", "//example.com/x", "/\\example.com", "/password"):
        html = client.get("/password", query_string={"next": target}).get_data(as_text=True)
        assert 'data-next="/dashboard"' in html, target


def test_item_3_the_form_without_a_session_is_the_login_form(client):
    html = client.get("/password").get_data(as_text=True)
    assert 'id="login-form"' in html and 'data-next="/password"' in html
