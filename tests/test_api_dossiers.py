"""Dossier status (hồ sơ): PUT by a registered integration, GET for staff, a public look-up
that shows status and dates only (rate limited); every change of status notifies the phone
attached, once; the officer attaches a phone at the counter."""

import pytest

from layso.store.notices import list_notices

PHONE = "0912 345 678"


@pytest.fixture
def integration(client, admin):
    answer = client.post("/api/v1/admin/devices", headers=admin,
                         json={"id": "motcua", "kind": "integration", "name": "Một cửa điện tử tỉnh"})
    assert answer.status_code == 201, answer.get_json()
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def put(client, headers, code="H57.1-261123-0001", **body):
    return client.put(f"/api/v1/dossiers/{code}", json=body, headers=headers)


def dossier_notices(app):
    with app.extensions["layso.pool"].connection() as database:
        return [(notice["kind"], notice["phone"], notice["text"]) for notice in reversed(list_notices(database))]


def test_a_first_put_creates_the_dossier_and_every_change_of_status_notifies_once(client, app, integration, manager):
    created = put(client, integration, status="received", phone=PHONE, due_date="2026-12-01", service="Cấp GCN")
    assert created.status_code == 201
    body = created.get_json()
    assert body["code"] == "H57.1-261123-0001" and body["status_words"] == "Đã tiếp nhận"
    assert body["phone_masked"] == "09xx xxx 678" and "phone" not in body
    assert put(client, integration, status="received", phone=PHONE).status_code == 200  # the same again
    put(client, integration, status="processing")
    put(client, integration, status="processing", status_text="Đang thẩm định")  # no new status: no notice
    put(client, integration, status="ready")
    assert dossier_notices(app) == [
        ("dossier_received", "+84912345678", "Hồ sơ H57.1-261123-0001 đã được tiếp nhận. Hẹn trả: 01/12/2026."),
        ("dossier_processing", "+84912345678", "Hồ sơ H57.1-261123-0001 đang được giải quyết."),
        ("dossier_ready", "+84912345678", "Hồ sơ H57.1-261123-0001 đã có kết quả. Mời đến nhận."),
    ]
    history = client.get("/api/v1/dossiers/h57.1-261123-0001", headers=manager).get_json()["history"]
    assert [line["status"] for line in history] == ["received", "processing", "processing", "ready"]


@pytest.mark.parametrize("status", ["received", "processing", "needs_more", "ready", "returned", "overdue_apology"])
def test_every_status_has_words_and_a_next_step_in_both_languages(client, integration, status):
    put(client, integration, code="X1", status=status)
    vi = client.get("/api/v1/dossiers/X1/public").get_json()
    en = client.get("/api/v1/dossiers/X1/public?lang=en").get_json()
    assert vi["status"] == en["status"] == status
    assert vi["status_words"] != en["status_words"] and vi["next_step"] and en["next_step"]


def test_the_public_look_up_shows_status_and_dates_only(client, integration):
    put(client, integration, code="HS-9", status="needs_more", phone=PHONE, status_text="Thiếu bản sao CCCD của Nguyễn Văn A",
        due_date="2026-12-01")
    answer = client.get("/api/v1/dossiers/hs-9/public").get_json()
    assert set(answer) == {"code", "status", "status_words", "next_step", "received_on", "updated_at", "due_date", "shown"}
    assert answer["shown"] == {"received_on": "23/11/2026", "updated_at": "23/11/2026 09:00", "due_date": "01/12/2026"}
    assert answer["status_words"] == "Cần bổ sung" and answer["due_date"] == "2026-12-01"


def test_the_public_look_up_is_rate_limited(client, integration):
    put(client, integration, code="HS-1", status="ready")
    answers = [client.get("/api/v1/dossiers/HS-1/public").status_code for _ in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429
    assert "tối đa 30" in client.get("/api/v1/dossiers/HS-1/public").get_json()["message"]


@pytest.mark.parametrize("code", ["NOPE-1", "ＨＳ１", "a" * 65, "-x", "x%20y", "9" * 30])
def test_an_unknown_or_impossible_code_is_404(client, code):
    answer = client.get(f"/api/v1/dossiers/{code}/public")
    assert answer.status_code == 404 and answer.get_json()["error"] == "not_found"


def test_only_a_registered_integration_may_put(client, app, login, integration, admin):
    assert put(app.test_client(), {}, status="ready").status_code == 401  # a client without the login cookie
    assert put(client, login("an"), status="ready").status_code == 403
    assert put(client, admin, status="ready").status_code == 403
    client.post("/api/v1/admin/devices/motcua/revoke", headers=admin)
    assert put(client, integration, status="ready").status_code == 401


@pytest.mark.parametrize("body, field", [
    ({}, "status"), ({"status": "lost"}, "status"), ({"status": "ready", "colour": 1}, "colour"),
    ({"status": "ready", "phone": "12345"}, "điện thoại"), ({"status": "ready", "due_date": "01/12/2026"}, "due_date"),
    ({"status": "ready", "due_date": "9999-01-01"}, "due_date"), ({"status": "ready", "status_text": "x" * 301}, "status_text"),
])
def test_bad_input_is_400_naming_the_field(client, integration, body, field):
    answer = client.put("/api/v1/dossiers/HS-2", json=body, headers=integration)
    assert answer.status_code == 400 and field in answer.get_json()["message"]


def test_staff_read_the_dossier_anyone_else_does_not(client, app, integration, login):
    put(client, integration, code="HS-3", status="processing", phone=PHONE)
    assert app.test_client().get("/api/v1/dossiers/HS-3").status_code == 401
    answer = client.get("/api/v1/dossiers/HS-3", headers=login("an")).get_json()
    assert answer["phone_masked"] == "09xx xxx 678" and "+84912345678" not in str(answer)


def test_a_phone_given_as_null_is_forgotten(client, integration, app):
    put(client, integration, code="HS-4", status="received", phone=PHONE)
    assert put(client, integration, code="HS-4", status="processing", phone=None).get_json()["phone_masked"] is None
    assert [kind for kind, _, _ in dossier_notices(app)] == ["dossier_received"]


def test_the_officer_attaches_a_phone_with_consent_at_the_counter(client, app, login, integration):
    officer = login("an")
    client.post("/api/v1/counters/1/open", headers=officer)
    client.post("/api/v1/tickets", json={"service": "HT"})
    client.post("/api/v1/counters/1/call-next", headers=officer)
    refused = client.post("/api/v1/counters/1/dossier", headers=officer, json={"dossier_code": "HS-7", "phone": PHONE})
    assert refused.status_code == 400 and "đồng ý" in refused.get_json()["message"]
    answer = client.post("/api/v1/counters/1/dossier", headers=officer,
                         json={"dossier_code": "hs-7", "phone": PHONE, "consent": True})
    assert answer.status_code == 200, answer.get_json()
    assert dossier_notices(app) == [("dossier_received", "+84912345678", "Hồ sơ HS-7 đã được tiếp nhận. Hẹn trả: —.")]
    put(client, integration, code="HS-7", status="received")  # the one-stop software catches up: nothing new
    put(client, integration, code="HS-7", status="ready")
    assert [kind for kind, _, _ in dossier_notices(app)] == ["dossier_received", "dossier_ready"]
