"""Migrations: the app builds and upgrades its own schema; an older database keeps its rows."""

import multiprocessing
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime

import pytest

from layso.queue.tickets import issue_ticket
from layso.store.db import open_db
from layso.store.migrations import migrate, migrations
from tests import workers
from tests.helpers import TZ

ALL = [migration.name for migration in migrations._migrations]


def applied(db):
    return [row["name"] for row in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]


def columns(db, table):
    return [column.name for column in db.table(table).columns]


def old_center(db):
    """Rows written the way the first schema (m001) wrote them, with no code of today."""
    db.execute("INSERT INTO fields (code, name) VALUES ('TP', 'Tư pháp')")
    db.execute("INSERT INTO services (code, prefix, name, field) VALUES ('HT', 'A', 'Hộ tịch', 'TP'), ('LLTP', 'B', 'Lý lịch', 'TP')")
    db.execute("INSERT INTO users (username, name, role, password_hash) VALUES ('an', 'An', 'officer', 'x')")
    db.execute("INSERT INTO counters (number, name, services) VALUES (1, 'Quầy 1', '[\"HT\", \"LLTP\"]')")
    rows = [  # A001 was transferred into LLTP's queue; the old numbering then skipped B001
        (1, "LLTP", 1, "A001", "waiting", "tok-1", 1),
        (2, "LLTP", 2, "B002", "finished", "tok-2", 0),
        (3, "HT", 2, "A002", "waiting", "tok-3", 0),
    ]
    for ticket_id, service, seq, number, status, token, transferred in rows:
        db.execute(
            "INSERT INTO tickets (id, day, service, seq, number, status, status_token, issued_at, queued_at, transferred) "
            "VALUES (?, '2026-11-23', ?, ?, ?, ?, ?, '2026-11-23T08:00:00+07:00', '2026-11-23T08:00:00+07:00', ?)",
            [ticket_id, service, seq, number, status, token, transferred],
        )
    db.execute(
        "INSERT INTO visits (ticket, day, service, counter, officer, queued_at, called_at, wait_s, ended_at, outcome, service_s) "
        "VALUES (2, '2026-11-23', 'LLTP', 1, 'an', '2026-11-23T08:00:00+07:00', '2026-11-23T08:05:00+07:00', 300, "
        "'2026-11-23T08:10:00+07:00', 'finished', 300)"
    )
    db.execute("INSERT INTO ticket_events (ticket, day, action, at) VALUES (2, '2026-11-23', 'issued', '2026-11-23T08:00:00+07:00')")
    db.execute(
        "INSERT INTO ratings (ticket, day, at, level, officer, counter, service) "
        "VALUES (2, '2026-11-23', '2026-11-23T08:11:00+07:00', 'satisfied', 'an', 1, 'LLTP')"
    )


def test_a_new_database_gets_every_migration(tmp_path):
    db = open_db(tmp_path / "new.db")
    migrate(db)
    assert applied(db) == ALL
    assert {"dossier_code", "number_service"} <= set(columns(db, "tickets"))


def test_migrating_twice_changes_nothing(tmp_path):
    db = open_db(tmp_path / "twice.db")
    migrate(db)
    schema = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    migrate(db)
    assert applied(db) == ALL
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema


def test_a_database_of_the_first_schema_upgrades_and_keeps_its_rows(tmp_path):
    db = open_db(tmp_path / "old.db")
    migrate(db, stop_before="m002_dossier_code")
    assert applied(db) == ["m001_initial"] and "dossier_code" not in columns(db, "tickets")
    old_center(db)
    db.conn.close()

    db = open_db(tmp_path / "old.db")
    migrate(db)
    assert applied(db) == ALL
    tickets = db.execute("SELECT id, service, number_service, number, status, transferred, dossier_code FROM tickets ORDER BY id").fetchall()
    assert tickets == [
        (1, "LLTP", "HT", "A001", "waiting", 1, None),
        (2, "LLTP", "LLTP", "B002", "finished", 0, None),
        (3, "HT", "HT", "A002", "waiting", 0, None),
    ]
    assert db.execute("SELECT ticket, outcome, note FROM visits").fetchall() == [(2, "finished", None)]
    assert db.execute("SELECT ticket, level FROM ratings").fetchall() == [(2, "satisfied")]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)


def test_an_upgraded_database_goes_on_numbering_where_it_left_off(tmp_path):
    db = open_db(tmp_path / "old.db")
    migrate(db, stop_before="m002_dossier_code")
    old_center(db)
    migrate(db)
    db.execute("INSERT INTO center_settings (key, value) VALUES ('hours', ?)", ['{"monday": ["00:00-24:00"]}'])
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
    assert issue_ticket(db, "HT", now=monday).value["number"] == "A003"
    assert issue_ticket(db, "LLTP", now=monday).value["number"] == "B003"


def test_foreign_keys_are_enforced_again_after_migrating(tmp_path):
    db = open_db(tmp_path / "fk.db")
    migrate(db)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO visits (ticket, day, service, counter, officer, queued_at, called_at, wait_s) "
                   "VALUES (99, 'd', 'HT', 1, 'an', 'q', 'c', 0)")


def test_two_processes_creating_and_migrating_a_new_file_at_once_both_succeed(tmp_path):
    paths = [str(tmp_path / f"shared-{round_}.db") for round_ in range(20)]  # 20 rounds: the race is narrow
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(2, mp_context=context) as pool:
        barrier = manager.Barrier(2)
        results = [pool.submit(workers.migrate_new_files, paths, barrier) for _ in range(2)]
        assert [result.result(timeout=120) for result in results] == ["migrated", "migrated"]
    for path in paths:
        assert applied(open_db(path)) == ALL


def test_tickets_from_before_remote_numbers_have_no_phone(tmp_path):
    db = open_db(tmp_path / "old.db")
    migrate(db, stop_before="m012_ticket_phone")
    db.execute("INSERT INTO fields (code, name) VALUES ('TP', 'Tư pháp')")
    db.execute("INSERT INTO services (code, prefix, name, field) VALUES ('HT', 'A', 'Hộ tịch', 'TP')")
    db.execute(
        "INSERT INTO tickets (id, day, service, number_service, seq, number, status, status_token, issued_at, queued_at) "
        "VALUES (1, '2026-11-23', 'HT', 'HT', 1, 'A001', 'waiting', 'tok-1', '2026-11-23T08:00:00+07:00', "
        "'2026-11-23T08:00:00+07:00')"
    )
    migrate(db)
    assert list(db.query("SELECT id, channel, phone FROM tickets")) == [{"id": 1, "channel": "kiosk", "phone": None}]
