"""Backup and restore: online copies, a restore inside the running server, the nightly job."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from layso.errors import InvalidInput
from layso.store.backup import backup_dir, create_backup, list_backups, nightly_backup
from layso.store.restore import check_layso_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ALWAYS_OPEN = {day: ["00:00-24:00"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


@pytest.fixture(autouse=True)
def passwords_already_changed(db):
    db.execute("UPDATE users SET must_change_password = 0")


@pytest.fixture
def admin(login, client):
    headers = login("quantri")
    client.post("/api/v1/admin/settings/hours", json={"value": ALWAYS_OPEN}, headers=headers)
    return headers


def ticket_numbers(client, admin):
    return [s["waiting"] for s in client.get("/api/v1/services").get_json()["services"] if s["code"] == "HT"][0]


def test_backup_then_restore_brings_back_the_earlier_tickets(client, admin, settings):
    client.post("/api/v1/tickets", json={"service": "HT"})
    made = client.post("/api/v1/admin/backups", headers=admin)
    assert made.status_code == 201
    name = made.get_json()["name"]
    client.post("/api/v1/tickets", json={"service": "HT"})
    client.post("/api/v1/tickets", json={"service": "HT"})
    assert ticket_numbers(client, admin) == 3
    restored = client.post("/api/v1/admin/restore", json={"name": name}, headers=admin)
    assert restored.status_code == 200, restored.get_json()
    assert ticket_numbers(client, admin) == 1  # the live server reads the restored data at once
    assert client.post("/api/v1/tickets", json={"service": "HT"}).get_json()["number"] == "A002"
    names = [item["name"] for item in client.get("/api/v1/admin/backups", headers=admin).get_json()["backups"]]
    assert restored.get_json()["saved_before"] in names  # the state before the restore was kept


def test_backup_downloads_as_an_sqlite_file(client, admin):
    name = client.post("/api/v1/admin/backups", headers=admin).get_json()["name"]
    response = client.get(f"/api/v1/admin/backups/{name}", headers=admin)
    assert response.status_code == 200 and response.data.startswith(b"SQLite format 3\x00")
    assert client.get("/api/v1/admin/backups/..%2Flayso.db", headers=admin).status_code == 404


def test_uploaded_backup_restores_and_a_foreign_file_is_refused(client, admin, settings, tmp_path):
    client.post("/api/v1/tickets", json={"service": "HT"})
    name = client.post("/api/v1/admin/backups", headers=admin).get_json()["name"]
    data = (backup_dir(settings.instance_dir) / name).read_bytes()
    client.post("/api/v1/tickets", json={"service": "HT"})
    upload = client.post("/api/v1/admin/restore", headers=admin, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "layso-backup.db")})
    assert upload.status_code == 200, upload.get_json()
    assert ticket_numbers(client, admin) == 1
    foreign = client.post("/api/v1/admin/restore", headers=admin, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"not a database" * 100), "x.db")})
    assert foreign.status_code == 400 and foreign.get_json()["error"] == "invalid_input"
    assert ticket_numbers(client, admin) == 1


def test_an_sqlite_file_of_another_program_is_not_a_layso_backup(tmp_path):
    import sqlite3
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(InvalidInput):
        check_layso_db(other)


def test_manager_cannot_back_up_or_restore(client, login):
    manager = login("quanly")
    assert client.post("/api/v1/admin/backups", headers=manager).status_code == 403
    assert client.post("/api/v1/admin/restore", json={"name": "x"}, headers=manager).status_code == 403


def test_nightly_backup_runs_once_a_day_and_keeps_the_configured_days(db, settings, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 11, 1, 0, 30, tzinfo=TZ)
    assert nightly_backup(settings.db_path, folder, keep_days=3, now=start) is None  # before 01:00
    for day in range(6):
        moment = start + timedelta(days=day, hours=1)
        assert nightly_backup(settings.db_path, folder, keep_days=3, now=moment) is not None
        assert nightly_backup(settings.db_path, folder, keep_days=3, now=moment + timedelta(hours=2)) is None
    kept = sorted(item["name"] for item in list_backups(folder))
    assert kept == [f"layso-2026110{day}-013000-nightly.db" for day in (3, 4, 5, 6)]
    check_layso_db(folder / kept[-1])


def test_backup_is_consistent_while_the_server_keeps_writing(db, settings, tmp_path):
    folder = tmp_path / "copies"
    folder.mkdir()
    path = create_backup(settings.db_path, folder, now=datetime(2026, 11, 23, 9, tzinfo=TZ))
    check_layso_db(path)
