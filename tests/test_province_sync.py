"""Issue 18's exact-equality test: days of activity in several real center processes
(server.py, each with its own SQLite), synced by their own sync workers to a real hub process
(python -m layso.province on a throwaway PostgreSQL) that was down when they started and is
killed mid-way; then for every center, period and grouping, the hub's
/api/v1/province/summary equals the center's own /api/v1/reports/summary field by field."""

import sqlite3
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests

from layso import settings as settings_module
from layso.store.db import open_db
from layso.store.migrations import migrate
from layso.store.seed import seed_database
from tests.conftest import DATA
from tests.helpers import LiveServer
from tests.province_data import busy_days
from tests.province_hub import HubServer

CENTERS = 3
SECRET = {"LAYSO_SECRET_KEY": "test-secret-key-0123456789"}
GROUPINGS = ("service", "officer", "counter", "day")


def a_center_with_history(folder, seed: int):
    """The test center's database with five busy November days (the core verbs, so every
    change went through hub_log's triggers) and its staff past their first login."""
    folder.mkdir()
    settings = settings_module.load(config=str(DATA / "center.toml"), db=str(folder / "live.db"), environ=SECRET,
                                    password_hash="pbkdf2:sha256:1000")
    database = open_db(settings.db_path)
    migrate(database)
    seed_database(database, settings)
    busy_days(database, "2026-11-16", 5, seed=seed, per_day=40)
    database.execute("UPDATE users SET must_change_password = 0")
    database.conn.close()
    return settings.db_path


def log_position(db_path) -> tuple[int, int]:
    """(acked, last) of a center's hub_log, read beside the running server (WAL)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        acked = connection.execute("SELECT acked FROM hub_link").fetchone()[0]
        row = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'hub_log'").fetchone()
    return acked, row[0] if row else 0


def today_at_the_counters(center: LiveServer, tickets: int) -> None:
    """Live activity through the center's API: tickets taken, called and finished at counter 4."""
    officer = login(center, "dung")
    center.post("/api/v1/counters/4/open", {}, headers=officer)
    for _ in range(tickets):
        assert center.post("/api/v1/tickets", {"service": "HT"}).status_code == 201
    for _ in range(tickets - 1):  # the last one still waits
        assert center.post("/api/v1/counters/4/call-next", {}, headers=officer).status_code == 200
        assert center.post("/api/v1/counters/4/finish", {}, headers=officer).status_code == 200


def login(center: LiveServer, username: str) -> dict:
    answer = center.post("/api/v1/auth/login", {"username": username, "password": f"{username}-password-1"})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def get_json(center: LiveServer, path: str, params: dict, headers: dict) -> dict:
    answer = requests.get(center.url + path, params=params, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def wait_until_synced(centers, timeout_s=120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        positions = [log_position(center.db_path) for center in centers]
        if all(acked == last for acked, last in positions):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not synced in {timeout_s} s: (acked, last) {positions}")
        time.sleep(0.2)


@pytest.fixture
def province(tmp_path, hub_database_url, redis_server):
    hub = HubServer(tmp_path, hub_database_url, redis_server.url)
    centers = []
    for number in range(1, CENTERS + 1):
        folder = tmp_path / f"center-{number}"
        center = LiveServer(folder, demo=False, config=DATA / "center.toml")
        center.db_path = a_center_with_history(folder, seed=number)
        centers.append(center)
    yield hub, centers
    for center in centers:
        center.stop()
    hub.stop()


def test_the_hubs_summary_equals_each_centers_own_report_field_by_field(province):
    hub, centers = province
    # The centers start while the hub is down: they serve, and their backlog waits.
    for number, center in enumerate(centers, start=1):
        center.start(env={"LAYSO_HUB_URL": hub.url, "LAYSO_HUB_TOKEN": f"demo-hub-token-{number}"})
        today_at_the_counters(center, tickets=3)
    assert all(log_position(center.db_path)[0] == 0 for center in centers)
    hub.start()
    # Killed while the backlog is being pushed, started again: nothing lost, nothing counted twice.
    deadline = time.monotonic() + 60
    while not any(0 < log_position(center.db_path)[0] for center in centers) and time.monotonic() < deadline:
        time.sleep(0.02)
    hub.stop(kill=True)
    for center in centers:
        today_at_the_counters(center, tickets=2)
    hub.start()
    wait_until_synced(centers)

    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
    periods = [("2026-11-16", "2026-11-20"), ("2026-11-18", "2026-11-18"), ("2026-11-01", today), (today, today)]
    province_headers = {"Authorization": f"Bearer {hub.login()}"}
    compared = 0
    for number, center in enumerate(centers, start=1):
        manager = login(center, "quanly")
        for date_from, date_to in periods:
            for by in GROUPINGS:
                query = {"from": date_from, "to": date_to, "by": by}
                own = get_json(center, "/api/v1/reports/summary", query, manager)
                theirs = requests.get(hub.url + "/api/v1/province/summary", params=query | {"center": f"demo-{number}"},
                                      headers=province_headers, timeout=30)
                assert theirs.status_code == 200, theirs.text
                hub_rows = [{k: v for k, v in row.items() if k != "center"} for row in theirs.json()["rows"]]
                center_rows = [{k: v for k, v in row.items() if k != "name"} for row in own["rows"]]
                assert hub_rows == center_rows, (number, date_from, date_to, by)
                compared += len(center_rows)
            whole = requests.get(hub.url + "/api/v1/province/summary", headers=province_headers, timeout=30,
                                 params={"from": date_from, "to": date_to, "by": "center", "center": f"demo-{number}"})
            center_total = get_json(center, "/api/v1/reports/summary", {"from": date_from, "to": date_to, "by": "day"},
                                    manager)["totals"]
            hub_total = whole.json()["rows"][0]
            if center_total is None:  # no activity in the period
                assert hub_total["issued"] == 0
            else:
                assert {k: v for k, v in hub_total.items() if k not in ("center", "key")} == \
                       {k: v for k, v in center_total.items() if k != "key"}, (number, date_from, date_to)
    assert compared > 100  # rows of every grouping, not a comparison of empty reports
