"""Issue 14, security item 8: Secure cookies for a center behind HTTPS, and a cookie
session's logout needs its CSRF token like every other cookie write."""

import pytest

from layso import settings as settings_module
from layso.settings import SettingsError
from tests.conftest import DATA
from tests.helpers import NEW_PASSWORD


def cookie_headers(response, name):
    return [value for value in response.headers.getlist("Set-Cookie") if value.startswith(name + "=")]


@pytest.mark.parametrize("secure", [False, True])
def test_item_8_the_secure_cookies_setting_marks_the_session_and_language_cookies_secure(make_settings, clock, secure):
    from kiosk.printing import close_printers
    from layso.web.app import create_app

    app = create_app(make_settings(secure_cookies=secure), now=clock)
    try:
        client = app.test_client()
        login = client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"})
        [session_cookie] = cookie_headers(login, "session")
        [language_cookie] = cookie_headers(client.get("/?lang=en"), "lang")
        for cookie in (session_cookie, language_cookie):
            assert ("; Secure" in cookie) is secure, cookie
        assert "; HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    finally:
        close_printers(app)
        app.extensions["layso.pool"].close()


def test_item_8_secure_cookies_come_from_the_security_table_or_the_environment(tmp_path):
    config = tmp_path / "center.toml"
    config.write_text((DATA / "center.toml").read_text(encoding="utf-8") + "\n[security]\nsecure_cookies = true\n",
                      encoding="utf-8")
    environ = {"LAYSO_SECRET_KEY": "test-secret-key-0123456789"}
    assert settings_module.load(config=str(config), environ=environ).secure_cookies is True
    assert settings_module.load(config=str(DATA / "center.toml"), environ=environ).secure_cookies is False
    for value, expected in (("1", True), ("yes", True), ("0", False)):
        loaded = settings_module.load(config=str(config), environ={**environ, "LAYSO_SECURE_COOKIES": value})
        assert loaded.secure_cookies is expected
    with pytest.raises(SettingsError, match="LAYSO_SECURE_COOKIES"):
        settings_module.load(config=str(config), environ={**environ, "LAYSO_SECURE_COOKIES": "maybe"})
    config.write_text(config.read_text(encoding="utf-8").replace("secure_cookies = true", 'secure_cookies = "yes"'),
                      encoding="utf-8")
    with pytest.raises(SettingsError, match="security.secure_cookies"):
        settings_module.load(config=str(config), environ=environ)


def test_item_8_a_cookie_session_logout_needs_the_csrf_token(client, login):
    login("an")
    answer = client.post("/api/v1/auth/login", json={"username": "an", "password": NEW_PASSWORD}).get_json()
    for wrong in ({}, {"X-CSRF-Token": "not-the-token"}, {"X-CSRF-Token": "é"}):
        refused = client.post("/api/v1/auth/logout", headers=wrong)
        assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden", wrong
        assert client.get("/api/v1/auth/me").status_code == 200  # still logged in
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": answer["csrf_token"]}).status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401


def test_item_8_a_bearer_logout_needs_no_csrf_token_and_a_wrong_csrf_header_is_never_a_500(app, client, login):
    headers = login("an")
    without_cookie = app.test_client()
    assert without_cookie.post("/api/v1/auth/logout", headers=headers).status_code == 200
    assert without_cookie.get("/api/v1/auth/me", headers=headers).status_code == 401
    login("binh")
    assert client.post("/api/v1/counters/1/open", headers={"X-CSRF-Token": "ếch"}).status_code == 403
