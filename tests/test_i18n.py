"""The language of an answer is the page's, never the browser's; plural forms (layso/web/i18n.py)."""

import os

import pytest

from layso.web import i18n

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


def unknown_service_error(client, headers):
    return client.post("/api/v1/tickets", json={"service": "NOPE"}, headers=headers).get_json()["message"]


def test_an_api_error_follows_the_page_language_header_not_the_browsers(client):
    vietnamese_page = {**ENGLISH_BROWSER, i18n.LANGUAGE_HEADER: "vi"}
    assert unknown_service_error(client, vietnamese_page) == "Không có dịch vụ này."
    assert unknown_service_error(client, {i18n.LANGUAGE_HEADER: "en"}) == "No such service."


def test_an_api_client_without_the_header_may_still_ask_with_accept_language(client):
    assert unknown_service_error(client, ENGLISH_BROWSER) == "No such service."
    assert unknown_service_error(client, {}) == "Không có dịch vụ này."
    assert unknown_service_error(client, {i18n.LANGUAGE_HEADER: "fr", **ENGLISH_BROWSER}) == "No such service."


def test_a_login_error_follows_the_page(client):
    answer = client.post("/api/v1/auth/login", json={"username": "an", "password": "wrong-password"},
                         headers={**ENGLISH_BROWSER, i18n.LANGUAGE_HEADER: "vi"})
    assert answer.status_code == 401
    assert answer.get_json()["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_english_chosen_on_the_home_page_does_not_switch_the_kiosk(client):
    home = client.get("/?lang=en")
    assert "Ticket kiosk" in home.get_data(as_text=True)
    assert "lang=en" in home.headers["Set-Cookie"]  # other screens of this browser remember it
    kiosk = client.get("/kiosk/k1").get_data(as_text=True)
    assert '<html lang="vi">' in kiosk and "Mời chọn lĩnh vực" in kiosk
    assert "Choose your counter" in client.get("/counter").get_data(as_text=True)


def test_the_kiosks_english_is_for_one_citizen_and_never_remembered(client):
    english = client.get("/kiosk/k1?lang=en")
    assert "Choose a field" in english.get_data(as_text=True)
    assert "Set-Cookie" not in english.headers
    assert "Mời chọn lĩnh vực" in client.get("/kiosk/k1").get_data(as_text=True)


@pytest.mark.parametrize(("language", "count", "text"), [
    ("vi", 1, "1 dịch vụ"), ("vi", 3, "3 dịch vụ"),
    ("en", 1, "1 service"), ("en", 3, "3 services"), ("en", 0, "0 services"),
])
def test_a_count_takes_the_plural_form_of_the_language(app, language, count, text):
    with app.test_request_context(f"/?lang={language}"):
        assert i18n.plural("{n} dịch vụ", count) == text


def test_people_ahead_read_as_english_in_english(app):
    with app.test_request_context("/kiosk?lang=en"):
        assert i18n.plural("Trước bạn còn {n} người", 1) == "1 person ahead of you"
        assert i18n.plural("Trước bạn còn {n} người", 18) == "18 people ahead of you"
        assert i18n.gettext("{n} dịch vụ") == "{n} services"


def test_one_vietnamese_text_reads_as_one_english_unless_a_screen_has_its_own_reading():
    i18n.register({"Một chữ thử": "A test word"})
    with pytest.raises(ValueError, match="another screen"):
        i18n.register({"Một chữ thử": "Another test word"})
    i18n.register({"Một chữ thử": "A screen's own reading"}, blueprint="a-test-screen")


def test_a_plural_entry_needs_its_other_form():
    with pytest.raises(ValueError, match="other"):
        i18n.register({"{n} quầy": {"one": "{n} counter"}})


def test_the_api_words_each_wait_in_the_pages_language(client):
    client.post("/api/v1/tickets", json={"service": "HT"})
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}, headers={i18n.LANGUAGE_HEADER: "en"}).get_json()
    assert ticket["estimated_wait_text"].startswith("about ")
    services = client.get("/api/v1/services", headers={i18n.LANGUAGE_HEADER: "vi"}).get_json()["services"]
    assert all(service["estimated_wait_text"] for service in services)
    assert {service["estimated_wait_text"] for service in services} <= {"dưới 1 phút"} | {
        f"khoảng {minutes} phút" for minutes in range(1, 60)}


def test_healthz_is_answered_to_programs_in_the_language_they_ask_for(app, client, settings, tmp_path):
    app.extensions["layso.pool"].close()
    for suffix in ("", "-wal", "-shm"):  # the database file replaced by something else
        if os.path.exists(f"{settings.db_path}{suffix}"):
            os.rename(f"{settings.db_path}{suffix}", tmp_path / f"moved{suffix}")
    settings.db_path.write_bytes(b"this is not a database any more" * 200)
    english, vietnamese = (client.get("/healthz", headers=headers).get_json()["message"]
                           for headers in (ENGLISH_BROWSER, {**ENGLISH_BROWSER, i18n.LANGUAGE_HEADER: "vi"}))
    assert english != vietnamese and english.isascii() and not vietnamese.isascii()
