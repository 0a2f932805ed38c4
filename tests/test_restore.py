"""Security item 4 (issue 14), restore safety: a file is restored only after a scratch copy
of it passed every check; a refused file leaves the live database exactly as it was, and
the center keeps working (login, tickets)."""

import io
import random
import re
import sqlite3
import threading
import time

import pytest

from layso.errors import InvalidInput
from layso.store.backup import backup_dir
from layso.store.db import open_db
from layso.store.migrations import migrate
from layso.store.restore import check_layso_db, reference_schema, schema_of, swap_in
from layso.store.seed import seed_database
from tests.test_backup import admin, passwords_already_changed  # noqa: F401  (fixtures: an admin, a center open all day)


@pytest.fixture
def backup_bytes(client, admin, settings):
    """A genuine backup of the center with two tickets in it."""
    client.post("/api/v1/tickets", json={"service": "HT"})
    client.post("/api/v1/tickets", json={"service": "HT"})
    name = client.post("/api/v1/admin/backups", headers=admin).get_json()["name"]
    return (backup_dir(settings.instance_dir) / name).read_bytes()


def upload(client, admin, data: bytes):
    return client.post("/api/v1/admin/restore", headers=admin, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "layso-backup.db")})


def everything(settings) -> list[str]:
    """The live database, every row of every table, as SQL."""
    connection = sqlite3.connect(settings.db_path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def assert_refused_and_unharmed(client, admin, settings, data: bytes, *, mentions: str = ""):
    before = everything(settings)
    answer = upload(client, admin, data)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["error"] == "invalid_input" and mentions in answer.get_json()["message"]
    assert everything(settings) == before  # not a row, not a table changed
    scratch = [path.name for path in backup_dir(settings.instance_dir).iterdir() if not path.name.startswith("layso-")]
    assert scratch == []  # the upload and its scratch copy are gone
    assert not any("before-restore" in path.name for path in backup_dir(settings.instance_dir).iterdir())
    login = client.post("/api/v1/auth/login", json={"username": "quantri", "password": "quantri-password-1"})
    assert login.status_code == 200, login.get_json()
    ticket = client.post("/api/v1/tickets", json={"service": "HT"})
    assert ticket.status_code == 201, ticket.get_json()
    return answer.get_json()


def crafted_file(tmp_path, settings) -> bytes:
    """Every table name of the real schema, each with one dummy column, and the full list of
    applied migrations: what passed the old check before bricking the center."""
    live = sqlite3.connect(settings.db_path)
    tables = [row[0] for row in live.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    applied = live.execute("SELECT migration_set, name, applied_at FROM _sqlite_migrations").fetchall()
    live.close()
    path = tmp_path / "crafted.db"
    crafted = sqlite3.connect(path)
    for table in tables:
        if table == "_sqlite_migrations":
            crafted.execute("CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)")
            crafted.executemany("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)", applied)
        else:
            crafted.execute(f'CREATE TABLE "{table}" (dummy)')
    crafted.commit()
    crafted.close()
    return path.read_bytes()


def altered(tmp_path, data: bytes, *statements: str) -> bytes:
    """A genuine backup with a few statements run on it."""
    path = tmp_path / "altered.db"
    path.write_bytes(data)
    connection = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        connection.execute(statement)
    connection.close()
    return path.read_bytes()


def test_item_4_a_crafted_file_with_the_right_names_is_refused_and_the_center_keeps_working(client, admin, settings, tmp_path):
    assert_refused_and_unharmed(client, admin, settings, crafted_file(tmp_path, settings), mentions="LấySố")


def test_item_4_text_that_is_not_utf8_in_a_backup_is_refused_not_restored(client, admin, settings, backup_bytes):
    """Corrupted pages whose structure SQLite still accepts: every request reading the text
    failed after such a restore."""
    damaged = bytearray(backup_bytes)
    for match in re.finditer("ị".encode(), damaged):  # "Hộ tịch", "Quản trị": the bytes of one letter
        damaged[match.start()] = 0xFF
    assert_refused_and_unharmed(client, admin, settings, bytes(damaged))


def test_item_4_a_backup_with_corrupted_pages_is_refused(client, admin, settings, backup_bytes):
    damaged = bytearray(backup_bytes)
    noise = random.Random(14)
    for _ in range(3000):
        damaged[noise.randrange(4096, len(damaged))] = noise.randrange(256)
    assert_refused_and_unharmed(client, admin, settings, bytes(damaged))


def test_item_4_a_backup_whose_schema_page_is_corrupted_is_refused(client, admin, settings, backup_bytes):
    damaged = bytearray(backup_bytes)
    for offset in range(100, 4096):  # page 1 holds the schema: its names and statements
        if damaged[offset] >= 0x61:
            damaged[offset] = 0xFF
    assert_refused_and_unharmed(client, admin, settings, bytes(damaged))


def test_item_4_a_truncated_or_empty_file_is_refused(client, admin, settings, backup_bytes):
    assert_refused_and_unharmed(client, admin, settings, backup_bytes[: len(backup_bytes) // 2])
    assert_refused_and_unharmed(client, admin, settings, backup_bytes[:100])
    assert_refused_and_unharmed(client, admin, settings, b"")


def test_item_4_an_extra_trigger_or_a_changed_column_is_refused(client, admin, settings, backup_bytes, tmp_path):
    """The schema is compared whole: a trigger that would wipe the users at the next ticket,
    a dropped constraint, an extra column."""
    trigger = "CREATE TRIGGER wipe AFTER INSERT ON tickets BEGIN DELETE FROM tokens; END"
    assert_refused_and_unharmed(client, admin, settings, altered(tmp_path, backup_bytes, trigger), mentions="wipe")
    assert_refused_and_unharmed(client, admin, settings, altered(tmp_path, backup_bytes, "ALTER TABLE users ADD COLUMN x TEXT"))
    assert_refused_and_unharmed(client, admin, settings, altered(tmp_path, backup_bytes, "DROP INDEX tickets_day"))


def test_item_4_a_backup_of_a_newer_version_is_refused(client, admin, settings, backup_bytes, tmp_path):
    newer = altered(tmp_path, backup_bytes, "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                                            "VALUES ('layso', 'm999_from_the_future', '2030-01-01')")
    assert "mới hơn" in assert_refused_and_unharmed(client, admin, settings, newer)["message"]


def test_item_4_a_backup_with_broken_settings_is_refused(client, admin, settings, backup_bytes, tmp_path):
    """Opened as the app opens it: settings that are not JSON would fail every screen."""
    broken = altered(tmp_path, backup_bytes, "UPDATE center_settings SET value = '{not json' WHERE key = 'hours'")
    assert_refused_and_unharmed(client, admin, settings, broken)


def test_item_4_an_older_version_backup_is_migrated_and_restored(client, admin, settings, make_settings, tmp_path):
    """A backup made before migration m005 (tickets numbered per queue) restores: its ticket
    comes through the migrations, and the live schema is the current one."""
    old_path = tmp_path / "old" / "layso.db"
    old = open_db(old_path)
    migrate(old, stop_before="m005_number_service")
    seed_database(old, make_settings())
    old.execute("INSERT INTO tickets (day, service, seq, number, status, status_token, issued_at, queued_at) "
                "VALUES ('2026-11-20', 'HT', 7, 'A007', 'finished', 'old-token', '2026-11-20T09:00:00+07:00', "
                "'2026-11-20T09:00:00+07:00')")
    old.execute("PRAGMA journal_mode=DELETE")
    old.conn.close()
    answer = upload(client, admin, old_path.read_bytes())
    assert answer.status_code == 200, answer.get_json()
    live = sqlite3.connect(settings.db_path)
    assert live.execute("SELECT number, number_service FROM tickets").fetchall() == [("A007", "HT")]
    assert schema_of(live) == reference_schema(None)
    live.close()
    assert client.post("/api/v1/auth/login", json={"username": "quantri", "password": "quantri-password-1"}).status_code == 200


def test_item_4_a_backup_with_another_page_size_restores(client, admin, settings, backup_bytes, tmp_path):
    """SQLite cannot copy into a WAL database across page sizes: the scratch copy is rebuilt."""
    other = altered(tmp_path, backup_bytes, "PRAGMA page_size=1024", "VACUUM")
    assert int.from_bytes(other[16:18], "big") == 1024
    assert upload(client, admin, other).status_code == 200
    assert client.post("/api/v1/tickets", json={"service": "HT"}).get_json()["number"] == "A003"


def test_item_4_a_failure_during_the_swap_leaves_the_live_database_as_it_was(client, admin, settings, backup_bytes,
                                                                            tmp_path, monkeypatch):
    """The copy into the live database is one SQLite transaction: a disk that fills up half-way
    (the live file may not grow past its size) rolls it back."""
    client.post("/api/v1/tickets", json={"service": "HT"})
    bigger = altered(tmp_path, backup_bytes, "INSERT INTO audit_log (at, action, detail) "
                                             "VALUES ('2026-11-23T08:00:00+07:00', 'note', hex(randomblob(200000)))")
    before = everything(settings)

    def with_a_full_disk(db, scratch):
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        try:
            swap_in(db, scratch)
        finally:
            db.execute("PRAGMA max_page_count = 4294967294")

    monkeypatch.setattr("layso.admin.restore.swap_in", with_a_full_disk)
    answer = upload(client, admin, bigger)
    assert answer.status_code == 500 and answer.get_json()["error"] == "restore_failed", answer.get_json()
    assert everything(settings) == before
    monkeypatch.undo()
    assert client.post("/api/v1/tickets", json={"service": "HT"}).get_json()["number"] == "A004"


def test_item_4_tickets_issued_during_a_restore_are_never_lost_afterwards(app, admin, settings, backup_bytes):
    """Writers race the restore: every ticket asked for after the restore answered is in the
    database afterwards (a file renamed over the live one would strand the writes of
    connections lent at that moment), and no number is given twice."""
    start, stop, restored = threading.Barrier(4), threading.Event(), threading.Event()
    acknowledged = [[] for _ in range(3)]  # per writer: (asked after the restore?, ticket)

    def issue(mine):
        client = app.test_client()
        start.wait(timeout=10)
        while not stop.is_set():
            after = restored.is_set()
            answer = client.post("/api/v1/tickets", json={"service": "HT"})
            if answer.status_code == 201:
                mine.append((after, answer.get_json()))

    writers = [threading.Thread(target=issue, args=(mine,)) for mine in acknowledged]
    for writer in writers:
        writer.start()
    start.wait(timeout=10)
    answer = upload(app.test_client(), admin, backup_bytes)
    restored.set()
    deadline = time.monotonic() + 30
    while not all(sum(after for after, _ in mine) >= 3 for mine in acknowledged) and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    for writer in writers:
        writer.join(timeout=30)
        assert not writer.is_alive()
    assert answer.status_code == 200, answer.get_json()
    live = sqlite3.connect(settings.db_path)
    stored = dict(live.execute("SELECT id, number FROM tickets").fetchall())
    live.close()
    after = [ticket for mine in acknowledged for asked_after, ticket in mine if asked_after]
    assert len(after) >= 9
    assert all(stored.get(ticket["id"]) == ticket["number"] for ticket in after)
    assert len(set(stored.values())) == len(stored)


def test_item_4_check_layso_db_refuses_what_a_restore_refuses(tmp_path, settings, backup_bytes):
    path = tmp_path / "crafted.db"
    path.write_bytes(crafted_file(tmp_path, settings))
    with pytest.raises(InvalidInput):
        check_layso_db(path)
    genuine = tmp_path / "genuine.db"
    genuine.write_bytes(backup_bytes)
    check_layso_db(genuine)
    assert not any(item.name.startswith("restore-") for item in tmp_path.iterdir())  # scratch copies removed


@pytest.mark.slow
def test_item_4_the_gevent_server_checks_off_its_hub_and_restores(live_server):
    """Production's mode: the checks run in gevent's thread pool, the copy in on the hub."""
    import requests

    live_server.start()
    admin = live_server.login("admin")
    live_server.post("/api/v1/tickets", {"service": "HT"})
    name = live_server.post("/api/v1/admin/backups", headers=admin).json()["name"]
    live_server.post("/api/v1/tickets", {"service": "HT"})
    restored = live_server.post("/api/v1/admin/restore", {"name": name}, headers=admin)
    assert restored.status_code == 200, restored.text
    services = requests.get(live_server.url + "/api/v1/services", timeout=10).json()["services"]
    assert next(service for service in services if service["code"] == "HT")["waiting"] == 1
    corrupt = requests.post(live_server.url + "/api/v1/admin/restore", headers=admin, timeout=30,
                            files={"file": ("x.db", b"SQLite format 3\x00" + b"\xff" * 4000)})
    assert corrupt.status_code == 400 and corrupt.json()["error"] == "invalid_input"
