"""Administration: admins change the center live (no restart), every change is audited and
announced with settings.changed; managers and officers may not change anything."""

import json

import pytest

from layso.events import COUNTER_UPDATED, SETTINGS_CHANGED
from layso.queue.services import NOT_SERVED
from layso.web.realtime import add_listener

NEW_SERVICE = {"code": "BHXH", "prefix": "H", "name": "Bảo hiểm xã hội", "field": "TP", "wait_target_s": 600,
               "number_digits": 4, "daily_cap": 50}
ALWAYS_OPEN = {day: ["00:00-24:00"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


@pytest.fixture(autouse=True)
def passwords_already_changed(db):
    db.execute("UPDATE users SET must_change_password = 0")


@pytest.fixture
def published(app):
    events = []
    add_listener(app, events.append)
    return events


def audit_actions(db):
    return [(row["username"], row["action"]) for row in db.query("SELECT * FROM audit_log ORDER BY id")]


def test_new_service_is_offered_once_a_counter_serves_it_audited_and_announced(client, admin, db, published):
    # A span may end at 24:00: "00:00-23:59" closed the last minute of the day.
    assert client.post("/api/v1/admin/settings/hours", json={"value": ALWAYS_OPEN}, headers=admin).status_code == 200
    response = client.post("/api/v1/admin/services", json=NEW_SERVICE, headers=admin)
    assert response.status_code == 201, response.get_json()
    services = {s["code"]: s for s in client.get("/api/v1/services").get_json()["services"]}
    assert services["BHXH"]["name"] == "Bảo hiểm xã hội" and services["BHXH"]["wait_target_s"] == 600
    # No counter serves it yet: shown closed with the reason, and no number is given for it.
    assert (services["BHXH"]["open"], services["BHXH"]["closed_reason"]) == (False, NOT_SERVED)
    refused = client.post("/api/v1/tickets", json={"service": "BHXH"})
    assert (refused.status_code, refused.get_json()["error"]) == (409, "service_closed")
    assert client.get("/api/v1/admin/services", headers=admin).get_json()["services"][-1]["counters"] == []

    client.post("/api/v1/admin/counters/4", json={"services": ["GCN", "BHXH"]}, headers=admin)  # counter 4, not open
    assert client.get("/api/v1/admin/services", headers=admin).get_json()["services"][-1]["counters"] == [4]
    ticket = client.post("/api/v1/tickets", json={"service": "BHXH"})
    assert ticket.status_code == 201 and ticket.get_json()["number"] == "H0001"
    assert ("quantri", "service.create") in audit_actions(db)
    changed = [event for event in published if event.name == SETTINGS_CHANGED]
    assert [event.data["what"] for event in changed] == ["hours", "services", "counters"]
    assert {"kiosks", "display", "dashboard", "counters", "tablet:1"} <= set(changed[1].rooms)


def test_closing_a_service_with_a_reason_shows_on_the_kiosk_list(client, admin):
    client.post("/api/v1/admin/settings/hours", json={"value": ALWAYS_OPEN}, headers=admin)
    response = client.post("/api/v1/admin/services/HT", json={"closed_reason": "Tạm ngưng do mất điện."}, headers=admin)
    assert response.status_code == 200
    service = next(s for s in client.get("/api/v1/services").get_json()["services"] if s["code"] == "HT")
    assert (service["open"], service["closed_reason"]) == (False, "Tạm ngưng do mất điện.")


def test_deactivated_service_disappears_from_the_kiosk(client, admin):
    client.post("/api/v1/admin/services/GCN", json={"active": False}, headers=admin)
    assert "GCN" not in [s["code"] for s in client.get("/api/v1/services").get_json()["services"]]


@pytest.mark.parametrize("body, status", [
    (NEW_SERVICE | {"prefix": "h1"}, 400),
    (NEW_SERVICE | {"field": "XX"}, 400),
    (NEW_SERVICE | {"number_digits": 9}, 400),
    (NEW_SERVICE | {"daily_cap": "50"}, 400),
    (NEW_SERVICE | {"colour": "red"}, 400),
    (NEW_SERVICE | {"code": "HT"}, 409),
    (NEW_SERVICE | {"prefix": "A"}, 409),
])
def test_bad_service_input_is_refused_clearly(client, admin, db, body, status):
    response = client.post("/api/v1/admin/services", json=body, headers=admin)
    assert response.status_code == status
    assert set(response.get_json()) == {"error", "message"}
    assert ("quantri", "service.create") not in audit_actions(db)


@pytest.mark.parametrize("method, path, body", [
    ("post", "/api/v1/admin/services", NEW_SERVICE),
    ("post", "/api/v1/admin/settings/announcement", {"value": "Xin chào"}),
    ("post", "/api/v1/admin/backups", None),
    ("get", "/api/v1/admin/services", None),
])
@pytest.mark.parametrize("username", ["quanly", "an"])
def test_managers_and_officers_cannot_change_settings(client, login, db, method, path, body, username):
    response = getattr(client, method)(path, json=body, headers=login(username))
    assert response.status_code == 403
    assert audit_actions(db) == []


def test_counter_services_change_and_held_counter_cannot_be_deactivated(client, admin, login, db):
    response = client.post("/api/v1/admin/counters/1", json={"services": ["LLTP", "HT"], "name": "Quầy Tư pháp"}, headers=admin)
    assert response.get_json()["services"] == ["LLTP", "HT"]
    state = client.get("/api/v1/state").get_json()
    assert state["counters"][0]["services"] == ["LLTP", "HT"] and state["counters"][0]["name"] == "Quầy Tư pháp"
    client.post("/api/v1/counters/1/open", headers=login("an"))
    assert client.post("/api/v1/admin/counters/1", json={"active": False}, headers=admin).status_code == 409
    assert client.post("/api/v1/admin/counters", json={"number": 9, "name": "Quầy 9", "services": ["ZZ"]}, headers=admin).status_code == 400
    created = client.post("/api/v1/admin/counters", json={"number": 9, "name": "Quầy 9", "services": ["GCN"]}, headers=admin)
    assert created.status_code == 201
    assert 9 in [c["number"] for c in client.get("/api/v1/state").get_json()["counters"]]


def test_new_officer_must_change_password_and_reset_ends_sessions(client, admin, login, db):
    body = {"username": "giang", "name": "Hoàng Thị Giang", "title": "Chuyên viên", "password": "tạm thời Quy Nhơn 1"}
    assert client.post("/api/v1/admin/officers", json=body, headers=admin).status_code == 201
    first = client.post("/api/v1/auth/login", json={"username": "giang", "password": "tạm thời Quy Nhơn 1"}).get_json()
    assert first["must_change_password"] is True
    old_token = login("an")
    reset = client.post("/api/v1/admin/officers/an/reset-password", headers=admin).get_json()
    assert client.get("/api/v1/auth/me", headers=old_token).status_code == 401
    again = client.post("/api/v1/auth/login", json={"username": "an", "password": reset["password"]}).get_json()
    assert again["must_change_password"] is True
    assert [a for a in audit_actions(db) if a[1].startswith("officer")] == [
        ("quantri", "officer.create"), ("quantri", "officer.reset_password")]
    assert "password" not in json.dumps(list(db.query("SELECT detail FROM audit_log")))


def test_admin_cannot_remove_their_own_admin_role(client, admin):
    assert client.post("/api/v1/admin/officers/quantri", json={"role": "officer"}, headers=admin).status_code == 409


def test_device_token_is_shown_once_works_and_can_be_revoked(client, admin, db):
    created = client.post("/api/v1/admin/devices", json={"id": "tab-2", "kind": "tablet", "name": "Bảng quầy 2", "counter": 2},
                          headers=admin).get_json()
    token = created["token"]
    assert db.execute("SELECT token_hash FROM devices WHERE id = 'tab-2'").fetchone()[0] != token
    assert "token" not in client.get("/api/v1/admin/devices", headers=admin).get_json()["devices"][0]
    levels = client.post("/api/v1/ratings", json={"ticket": 1, "level": "satisfied"}, headers={"Authorization": f"Bearer {token}"})
    assert levels.status_code != 401  # known tablet (the ticket itself is refused)
    client.post("/api/v1/admin/devices/tab-2/revoke", headers=admin)
    revoked = client.post("/api/v1/ratings", json={"ticket": 1, "level": "satisfied"}, headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401
    assert client.post("/api/v1/admin/devices", json={"id": "t", "kind": "tablet", "name": "x"}, headers=admin).status_code == 400


def test_hours_announcement_voice_and_rating_settings_apply_live(client, admin, db):
    hours = {day: [] for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
    assert client.post("/api/v1/admin/settings/hours", json={"value": hours | {"holidays": ["2026-12-25"]}}, headers=admin).status_code == 200
    assert all(not s["open"] for s in client.get("/api/v1/services").get_json()["services"])
    client.post("/api/v1/admin/settings/announcement", json={"value": "Trung tâm nghỉ chiều thứ Sáu."}, headers=admin)
    assert client.get("/api/v1/state").get_json()["announcement"] == "Trung tâm nghỉ chiều thứ Sáu."
    voice = client.post("/api/v1/admin/settings/voice", json={"value": {"template": "Mời số {number} đến quầy {counter}", "speed": 170}},
                        headers=admin).get_json()["voice"]
    assert (voice["template"], voice["speed"], voice["engine"]) == ("Mời số {number} đến quầy {counter}", 170, "espeak-ng")
    rating = {"levels": [{"id": "good", "label": "Tốt", "satisfied": True, "points": 2},
                         {"id": "bad", "label": "Chưa tốt", "points": 0, "requires_reason": True}],
              "reasons": [{"id": "slow", "label": "Chậm"}]}
    client.post("/api/v1/admin/settings/rating", json={"value": rating}, headers=admin)
    assert [level["id"] for level in client.get("/api/v1/ratings/levels").get_json()["levels"]] == ["good", "bad"]
    assert [a[1] for a in audit_actions(db)] == ["setting.hours", "setting.announcement", "setting.voice", "setting.rating"]


@pytest.mark.parametrize("key, value", [
    ("hours", {"monday": ["7:30-11:30"]}),
    ("hours", {"monday": ["11:30-07:30"]}),
    ("hours", {"monday": ["24:00-24:00"]}),
    ("hours", {"monday": ["13:30-24:30"]}),
    ("hours", {"holidays": ["25/12/2026"]}),
    ("voice", {"template": "Mời số {ticket}"}),
    ("voice", {"speed": 1000}),
    ("voice", {"voice": "en"}),
    ("voice", {"part_pause_ms": 5000}),
    ("voice", {"word_pause_ms": -1}),
    ("voice", {"crossfade_ms": True}),
    ("rating", {"levels": []}),
    ("rating", {"levels": [{"id": "a", "label": "A", "points": 99}]}),
    ("announcement", 42),
    ("secret_key", "x"),
])
def test_bad_settings_are_a_400(client, admin, key, value):
    response = client.post(f"/api/v1/admin/settings/{key}", json={"value": value}, headers=admin)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_input"


def test_audit_log_lists_who_changed_what_and_when(client, admin):
    client.post("/api/v1/admin/settings/announcement", json={"value": "Chào mừng"}, headers=admin)
    entry = client.get("/api/v1/admin/audit", headers=admin).get_json()["entries"][0]
    assert (entry["username"], entry["action"]) == ("quantri", "setting.announcement")
    assert json.loads(entry["detail"]) == {"value": "Chào mừng"} and entry["at"].endswith("+07:00")


def test_opening_hours_are_sorted_and_overlaps_refused_naming_the_day(client, admin):
    hours = {"monday": ["13:30-17:00", "07:30-11:30"], "holidays": ["2026-12-25"]}
    stored = client.post("/api/v1/admin/settings/hours", json={"value": hours}, headers=admin).get_json()["hours"]
    assert stored["monday"] == ["07:30-11:30", "13:30-17:00"]
    answer = client.post("/api/v1/admin/settings/hours", json={"value": {"tuesday": ["07:30-12:00", "11:00-17:00"]}},
                         headers=admin)
    assert answer.status_code == 400
    assert answer.get_json()["message"] == "Giờ làm việc: Thứ Ba: 07:30-12:00 và 11:00-17:00 chồng lên nhau."
    answer = client.post("/api/v1/admin/settings/hours", json={"value": {"friday": ["17:00-08:00"]}},
                         headers=admin | {"Accept-Language": "en"})
    assert answer.get_json()["message"] == "Opening hours: Friday: opening at 17:00 must come before closing at 08:00."


def test_rating_levels_added_without_an_id_get_one_from_their_name_and_keep_it_when_renamed(client, admin):
    levels = [{"id": "very_satisfied", "label": "Rất hài lòng", "satisfied": True, "points": 2},
              {"label": "Bình thường", "satisfied": True, "points": 1},
              {"id": "not_satisfied", "label": "Không hài lòng", "points": 0, "requires_reason": True}]
    reasons = [{"id": "attitude", "label": "Thái độ"}, {"label": "Chờ quá lâu"}]
    stored = client.post("/api/v1/admin/settings/rating", json={"value": {"levels": levels, "reasons": reasons}},
                         headers=admin).get_json()["rating"]
    assert [level["id"] for level in stored["levels"]] == ["very_satisfied", "binh_thuong", "not_satisfied"]
    assert [reason["id"] for reason in stored["reasons"]] == ["attitude", "cho_qua_lau"]
    stored["levels"][1]["label"] = "Tạm được"
    renamed = client.post("/api/v1/admin/settings/rating", json={"value": {"levels": stored["levels"]}},
                          headers=admin).get_json()["rating"]
    assert (renamed["levels"][1]["id"], renamed["levels"][1]["label"]) == ("binh_thuong", "Tạm được")


@pytest.mark.parametrize("value, message", [
    ({"levels": [{"label": "Tốt"}, {"label": " tốt "}]}, "Mức đánh giá: hai mức cùng tên 'tốt'."),
    ({"levels": [{"label": "Tốt"}, {"label": ""}]}, "Mức đánh giá: mức thứ 2 cần có tên."),
    ({"levels": [{"label": "Tệ", "requires_reason": True}], "reasons": []},
     "Mức đánh giá: có mức yêu cầu lý do nhưng danh sách lý do trống."),
    ({"levels": [{"id": "Tốt", "label": "Tốt"}]}, "Mức đánh giá: mã mức 'Tốt' chỉ gồm chữ thường không dấu, số và _."),
])
def test_bad_rating_levels_get_a_message_that_names_the_level(client, admin, value, message):
    answer = client.post("/api/v1/admin/settings/rating", json={"value": value}, headers=admin)
    assert (answer.status_code, answer.get_json()["message"]) == (400, message)


def test_renaming_an_officer_or_a_counter_reaches_its_screens_at_once(client, admin, login, published):
    client.post("/api/v1/counters/1/open", headers=login("an"))
    published.clear()
    response = client.post("/api/v1/admin/officers/an", json={"name": "Nguyễn Văn Ân", "title": "Phó phòng"}, headers=admin)
    assert response.status_code == 200
    (updated,) = [event for event in published if event.name == COUNTER_UPDATED]
    assert updated.data["counter"]["number"] == 1 and {"display", "tablet:1"} <= set(updated.rooms)
    assert (updated.data["counter"]["officer"]["name"], updated.data["counter"]["officer"]["title"]) == (
        "Nguyễn Văn Ân", "Phó phòng")

    published.clear()
    client.post("/api/v1/admin/officers/binh", json={"name": "Trần Bình"}, headers=admin)  # holds no counter
    assert [event.name for event in published] == [SETTINGS_CHANGED]
    client.post("/api/v1/admin/counters/2", json={"name": "Quầy Lý lịch"}, headers=admin)
    (updated,) = [event for event in published if event.name == COUNTER_UPDATED]
    assert updated.data["counter"]["name"] == "Quầy Lý lịch" and "tablet:2" in updated.rooms
