"""Issue 14, "Data that must not be at risk": a write that fails after its COMMIT, a failed
fsync (fail-stop), and GET /healthz."""

import errno
import os
import sqlite3
import sys

import pytest
import requests

from layso.store import durable
from layso.web.realtime import add_listener
from tests.helpers import ROOT, Published
from tests.test_backup import admin, passwords_already_changed  # noqa: F401  (fixtures: an admin, a center open all day)


@pytest.fixture
def failing_fsync(monkeypatch):
    """Make every fsync of the WAL fail with EIO, as a dying disk does, while ``failing.on``."""
    real = durable._fsync

    class Failing:
        on = False

    def fsync(path):
        if Failing.on:
            raise OSError(errno.EIO, "Input/output error")
        real(path)

    monkeypatch.setattr(durable, "_fsync", fsync)
    return Failing


def tickets_in(settings) -> int:
    connection = sqlite3.connect(settings.db_path)
    try:
        return connection.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    finally:
        connection.close()


def test_data_item_write_after_commit_a_stored_ticket_is_never_answered_as_a_plain_failure(app, client, admin, settings, failing_fsync):
    """write() raised after COMMIT: the ticket was stored, answered 500 and never published.
    Now the request whose fsync fails gets 503 writes_stopped saying its outcome is unknown,
    and the server stops taking writes."""
    assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 201
    published = Published()
    add_listener(app, published)
    failing_fsync.on = True
    answer = client.post("/api/v1/tickets", json={"service": "HT"})
    assert answer.status_code == 503, answer.get_json()
    assert answer.get_json()["error"] == "writes_stopped"
    assert "có thể đã được lưu hoặc chưa" in answer.get_json()["message"]  # not "failed": unknown
    assert tickets_in(settings) == 2  # it is stored (SQLite committed it) …
    assert published.named("ticket.issued") == []  # … but not acknowledged to anyone
    assert published.wait_for("alert.raised").data["alert"]["level"] == "critical"


def test_data_item_fsync_after_a_failed_fsync_every_write_answers_503_and_nothing_is_written(app, client, admin, login, settings, failing_fsync):
    """Fail-stop: even when fsync works again, nothing more is written or acknowledged; reads
    still answer, the dashboard shows a critical alert and /healthz says why."""
    manager, officer = login("quanly"), login("an")
    backup = client.post("/api/v1/admin/backups", headers=admin).get_json()["name"]
    failing_fsync.on = True
    client.post("/api/v1/tickets", json={"service": "HT"})
    failing_fsync.on = False  # the disk "recovers": a later fsync would succeed, and proves nothing
    stored = tickets_in(settings)
    refused = [
        client.post("/api/v1/tickets", json={"service": "HT"}),
        client.post("/api/v1/counters/1/open", headers=officer),
        client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"}),  # writes a token
        client.post("/api/v1/admin/restore", json={"name": backup}, headers=admin),
    ]
    for answer in refused:
        assert answer.status_code == 503, answer.get_json()
        assert answer.get_json()["error"] == "writes_stopped"
        assert "có thể" not in answer.get_json()["message"]  # refused before anything was written
    assert tickets_in(settings) == stored
    assert client.get("/api/v1/state").status_code == 200
    alerts = client.get("/api/v1/dashboard", headers=manager).get_json()["alerts"]
    assert alerts[0]["kind"] == "writes_stopped" and alerts[0]["level"] == "critical"
    health = client.get("/healthz")
    assert health.status_code == 503
    body = health.get_json()
    assert body["ok"] is False and body["reason"] == "fsync_failed"
    assert "Input/output error" in body["detail"] and body["since"] and body["message"]


def test_data_item_healthz_is_200_while_the_database_answers_and_fsyncs_succeed(client, db):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"ok": True, "database": "ok", "fsync": "ok"}
    assert answer.headers["Cache-Control"] == "no-store"
    assert client.get("/healthz", headers={"Accept": "text/html"}).status_code == 200  # no login, no page


def test_data_item_healthz_is_503_when_the_database_cannot_be_read(app, client, settings, tmp_path):
    app.extensions["layso.pool"].close()
    for suffix in ("", "-wal", "-shm"):  # the file overwritten by something else, its WAL gone
        os.rename(f"{settings.db_path}{suffix}", tmp_path / f"moved{suffix}")
    settings.db_path.write_bytes(b"this is not a database any more" * 200)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["reason"] == "database_unavailable"


FAILING_SERVER = """
import os, runpy, sys
from gevent import monkey; monkey.patch_all()
from layso.store import durable
real_fsync = durable._fsync
def fsync(path):  # a dying disk, from the moment the trigger file exists
    if os.path.exists(os.environ["FAIL_FSYNC_FROM"]):
        raise OSError(5, "Input/output error")
    real_fsync(path)
durable._fsync = fsync
sys.argv[0] = sys.argv[1]
del sys.argv[1]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.mark.slow
def test_data_item_fsync_live_server_stops_writes_reports_it_and_a_restart_recovers(live_server, tmp_path):
    """The gevent server with an fsync that starts failing: the write is 503, /healthz 503
    with the reason, and after a restart (a normal server on the same file) everything
    acknowledged is there, /healthz is 200 and numbers go on."""
    trigger = tmp_path / "disk-dies"
    live_server.command_prefix = [sys.executable, "-c", FAILING_SERVER]
    live_server.start(env={"FAIL_FSYNC_FROM": str(trigger), "PYTHONPATH": str(ROOT)})
    manager = live_server.login("lanhdao")
    acknowledged = [live_server.post("/api/v1/tickets", json={"service": "HT"}).json() for _ in range(3)]
    assert requests.get(live_server.url + "/healthz", timeout=5).json()["ok"] is True
    trigger.touch()
    unknown = live_server.post("/api/v1/tickets", json={"service": "HT"})
    assert unknown.status_code == 503 and unknown.json()["error"] == "writes_stopped"
    trigger.unlink()
    refused = live_server.post("/api/v1/tickets", json={"service": "HT"})
    assert refused.status_code == 503 and refused.json()["error"] == "writes_stopped"
    health = requests.get(live_server.url + "/healthz", timeout=5)
    assert health.status_code == 503 and health.json()["reason"] == "fsync_failed"
    dashboard = requests.get(live_server.url + "/api/v1/dashboard", headers=manager, timeout=5).json()
    assert dashboard["alerts"][0]["kind"] == "writes_stopped"

    live_server.stop()
    live_server.command_prefix = None
    live_server.start(env={})
    assert requests.get(live_server.url + "/healthz", timeout=5).json() == {"ok": True, "database": "ok", "fsync": "ok"}
    with sqlite3.connect(live_server.db_path) as database:
        stored = dict(database.execute("SELECT id, number FROM tickets").fetchall())
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert all(stored[ticket["id"]] == ticket["number"] for ticket in acknowledged)
    assert len(stored) == 4  # the three acknowledged, and the one whose outcome was unknown: recovered from the WAL
    after = live_server.post("/api/v1/tickets", json={"service": "HT"})
    assert after.status_code == 201 and after.json()["number"] not in stored.values()
