"""Issue 14, security item 10: the passwords people may choose, and logins that tell no one
which user names exist (layso.passwords)."""

import pytest

from layso.passwords import check_new_password
from tests.helpers import NEW_PASSWORD

CENTER = "Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế"


@pytest.mark.parametrize("password, why", [
    ("Hue-2026!", "ít nhất 10 ký tự"),                       # 9 characters
    ("x" * 129, "tối đa 128"),
    ("1234567890", "phổ biến"),
    ("Password123", "phổ biến"),
    ("MậtKhẩu@2026", "phổ biến"),                           # "matkhau" with symbols and a year around it
    ("qwertyuiop", "phổ biến"),
    ("ababababababab", "phổ biến"),                         # a run of two characters
    ("giang.hoang.1990", "tên đăng nhập"),                  # contains the username, any case
    ("GIANG-nam-bo-xua", "tên đăng nhập"),
    ("Trung Tâm Phục Vụ", "tên trung tâm"),                  # a piece of the center's name
    ("ThuaThienHue2026", "tên trung tâm"),
    ("Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế 1", "tên trung tâm"),
])
def test_item_10_a_chosen_password_is_refused_when_short_common_or_made_of_names(password, why):
    with pytest.raises(Exception) as refused:
        check_new_password(password, username="giang", center_name=CENTER)
    assert why in refused.value.message and refused.value.status == 400


@pytest.mark.parametrize("password", [NEW_PASSWORD, "cá kho tộ nồi đất", "7 con voi đi qua cầu"])
def test_item_10_a_long_uncommon_password_is_accepted(password):
    assert check_new_password(password, username="giang", center_name=CENTER) == password


def test_item_10_changing_or_giving_a_password_follows_the_rules_over_http(client, login):
    headers = login("an")
    for weak in ("an-short", "password2026", "trung tâm thử nghiệm 2026"):
        answer = client.post("/api/v1/auth/password", headers=headers, json={"old_password": NEW_PASSWORD, "new_password": weak})
        assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_input", weak
    created = client.post("/api/v1/admin/officers", headers=login("quantri"),
                          json={"username": "giang", "name": "Hoàng Thị Giang", "password": "giang-2026-tam"})
    assert created.status_code == 400 and "tên đăng nhập" in created.get_json()["message"]


def test_item_10_a_wrong_password_for_a_missing_user_costs_one_hash_like_an_existing_one(client, settings, monkeypatch):
    import layso.web.auth

    checked = []
    real = layso.web.auth.verify_password
    monkeypatch.setattr(layso.web.auth, "verify_password",
                        lambda password_hash, password: checked.append(password_hash) or real(password_hash, password))
    assert client.post("/api/v1/auth/login", json={"username": "an", "password": "wrong one"}).status_code == 401
    assert client.post("/api/v1/auth/login", json={"username": "nobody", "password": "wrong one"}).status_code == 401
    existing, missing = checked
    method = settings.password_hash
    assert existing.startswith(method + "$") and missing.startswith(method + "$")  # the same work, both times


def test_item_10_the_demo_password_is_seeded_for_the_demo_only(make_settings, tmp_path):
    from layso.store.db import open_db
    from layso.store.migrations import migrate
    from layso.store.seed import seed_database
    from layso.passwords import verify_password

    for demo, expected in ((True, True), (False, False)):
        database = open_db(tmp_path / f"demo-{demo}.db")
        migrate(database)
        seed_database(database, make_settings(demo=demo))
        row = next(database.query("SELECT password_hash FROM users WHERE username = 'canbo1'"), None)
        assert (row is not None and verify_password(row["password_hash"], "demo")) is expected
        database.conn.close()
