"""The center's side of the province hub (docs/hub-sync.md): every change the hub needs gets
the next seq in its own transaction, no personal data is in the log, and the sync worker
delivers all of it once, in order, whatever the hub and the WAN do meanwhile."""

import json
import sqlite3
import time
from datetime import datetime, timedelta

import pytest

from layso.admin.restore import restore_backup
from layso.queue.calling import call_next, finish, transfer
from layso.queue.ratings import rate
from layso.settings import HubLink, SettingsError, load
from layso.store.backup import create_backup
from layso.store.center import set_setting
from layso.store.db import Pool, write
from layso.store.hub_log import forget_acknowledged, position, read_batch, read_batch_body
from layso.sync.worker import HubSync
from tests.conftest import DATA, TZ
from tests.fake_hub import FakeHub
from tests.helpers import Published, issue, later, open_counters

TOKEN = "hub-token-1"


@pytest.fixture
def hub():
    fake = FakeHub(TOKEN)
    yield fake
    fake.close()


@pytest.fixture
def make_sync(settings):
    """make_sync(hub, batch_max=…, batch_ms=…) → a started HubSync on the test database."""
    pools, workers = [], []

    def make(hub, *, batch_max=500, batch_ms=20, token=TOKEN, clock=None):
        pool = Pool(settings.db_path)
        heard = Published()
        link = HubLink(url=hub.url, token=token, batch_max=batch_max, batch_ms=batch_ms, source="config")
        worker = HubSync(pool.connection, lambda _db: link, lambda events: [heard(event) for event in events],
                         clock=clock or (lambda: datetime(2026, 11, 23, 9, 0, tzinfo=TZ)), backoff_s=(0.02, 0.2))
        worker.heard = heard
        pools.append(pool)
        workers.append(worker)
        return worker.start()

    yield make
    for worker in workers:
        worker.close()
    for pool in pools:
        pool.close()


def log_rows(db) -> list[dict]:
    return read_batch(db, after=0, limit=10**6)


def a_day(db, now, tickets=10):
    """Tickets issued, served and rated at two counters: every kind of row the hub needs."""
    open_counters(db, now, c1="an", c2="binh")
    for index in range(tickets):
        moment = later(now, minutes=index)
        ticket = issue(db, "HT", moment)
        counter = 1 + index % 2
        call_next(db, counter, officer="an" if counter == 1 else "binh", now=later(moment, minutes=1))
        finish(db, counter, officer="an" if counter == 1 else "binh", now=later(moment, minutes=3))
        rate(db, ticket_id=ticket["id"], counter=counter, level="satisfied", device=None, now=later(moment, minutes=3))


def assert_hub_has_the_log(hub, db):
    rows = log_rows(db)
    assert [hub.events[row["seq"]] for row in rows] == rows
    assert hub.stored_twice == 0


# --- the log --------------------------------------------------------------------


def test_each_change_gets_the_next_seq_in_its_own_transaction(db, now):
    before = position(db).last
    ticket = issue(db, "HT", now)
    issued = log_rows(db)[before:]
    assert [row["kind"] for row in issued] == ["tickets", "ticket_events"]
    assert issued[0]["data"]["id"] == ticket["id"] and issued[0]["data"]["status"] == "waiting"
    # A change rolled back takes its seq back with it: the sequence has no gap.
    with pytest.raises(RuntimeError), write(db):
        db.execute("UPDATE tickets SET status = 'cancelled' WHERE id = ?", [ticket["id"]])
        raise RuntimeError("the operation failed after its update")
    issue(db, "HT", now)
    seqs = [row["seq"] for row in log_rows(db)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert all(row["data"]["status"] != "cancelled" for row in log_rows(db) if row["kind"] == "tickets")


def test_the_seed_and_a_day_are_logged_catalog_first(db, now):
    kinds = [row["kind"] for row in log_rows(db)]
    assert {"fields", "services", "counters", "users", "settings"} <= set(kinds)
    a_day(db, now, tickets=2)
    kinds = {row["kind"] for row in log_rows(db)}
    assert {"tickets", "visits", "ratings", "ticket_events", "counters"} <= kinds
    visit = next(row for row in log_rows(db) if row["kind"] == "visits")
    assert visit["data"]["wait_s"] == 60 and visit["data"]["officer"] in ("an", "binh")


def test_no_personal_data_is_in_the_log(db, now):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now, priority_reason="disabled")
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    transfer(db, 1, officer="an", now=later(now, minutes=2), service="LLTP", note="Bà Nguyễn Thị Lan 0905123456")
    call_next(db, 1, officer="an", now=later(now, minutes=3))
    finish(db, 1, officer="an", now=later(now, minutes=4))
    rate(db, ticket_id=ticket["id"], counter=1, level="not_satisfied", reasons=["attitude"],
         comment="Anh ở quầy 1 gọi 0905123456", device=None, now=later(now, minutes=4))
    remote = issue(db, "HT", later(now, minutes=5), channel="remote", phone="+84905123456")
    set_setting(db, "announcement", "Thông báo", by="quantri", now=now)
    with write(db):
        db.execute("INSERT INTO center_settings (key, value) VALUES ('hub', ?)",
                   [json.dumps({"url": "http://hub", "token": "secret-hub-token"})])
    text = json.dumps(log_rows(db), ensure_ascii=False)
    token = db.execute("SELECT status_token FROM tickets WHERE id = ?", [ticket["id"]]).fetchone()[0]
    hashes = [row[0] for row in db.execute("SELECT password_hash FROM users")]
    for secret in [token, *hashes, "905123456", "secret-hub-token", "Thông báo"]:
        assert secret not in text
    assert next(row for row in log_rows(db) if (row["kind"], row["key"]) == ("tickets", str(remote["id"])))["data"]["channel"] == "remote"
    for row in log_rows(db):
        assert not {"status_token", "priority_reason", "comment", "note", "password_hash", "phone",
                    "dossier_code"} & set(row["data"])


def test_deleting_a_row_logs_it_deleted(db):
    with write(db):
        db.execute("INSERT INTO fields (code, name) VALUES ('XX', 'Tạm')")
        db.execute("DELETE FROM fields WHERE code = 'XX'")
    last = log_rows(db)[-1]
    assert (last["kind"], last["key"], last["data"]) == ("fields", "XX", {"deleted": True})


def test_the_wire_body_written_by_sqlite_holds_exactly_the_logged_events(db):
    # The body is concatenated by SQLite from the stored text: quotes, backslashes, control
    # characters and Vietnamese in a key or a name, a deleted row, and a double that needs
    # all 17 digits must reach the hub as read_batch reads them.
    with write(db):
        db.execute("INSERT INTO fields (code, name) VALUES (?, ?)", ['X"\\\t1', 'Hộ tịch "mới" \\ \n'])
        db.execute("DELETE FROM fields WHERE code = ?", ['X"\\\t1'])
        db.execute("INSERT INTO hub_log (kind, key, at, data) VALUES ('visits', '77', '2026-11-23T02:00:00.000Z', ?)",
                   ['{"id":77,"day":"2026-11-23","wait_s":0.30000000000000004}'])
    last = position(db).last
    count, body = read_batch_body(db, after=0, limit=10**6)
    assert json.loads(body) == {"events": log_rows(db)} and count == len(log_rows(db))
    assert json.loads(body)["events"][-1]["data"]["wait_s"] == 0.1 + 0.2
    count, body = read_batch_body(db, after=last - 2, limit=1)
    assert (count, [event["seq"] for event in json.loads(body)["events"]]) == (1, [last - 1])
    assert read_batch_body(db, after=last, limit=500) == (0, b'{"events":[]}')


def test_an_existing_center_logs_its_history_once_when_it_migrates(tmp_path):
    from layso.store.db import open_db
    from layso.store.migrations import migrate

    database = open_db(tmp_path / "older.db")
    migrate(database, stop_before="m014_hub_log")
    # A center's rows as that version stored them (plain SQL: today's code writes later columns).
    with write(database):
        database.execute("INSERT INTO fields (code, name) VALUES ('TP', 'Tư pháp')")
        database.execute("INSERT INTO services (code, prefix, name, field) VALUES ('HT', 'A', 'Hộ tịch', 'TP')")
        database.execute("INSERT INTO users (username, name, role, password_hash) VALUES ('an', 'An', 'officer', 'x')")
        database.execute("INSERT INTO counters (number, name, services) VALUES (1, 'Quầy 1', '[\"HT\"]')")
        for number in range(1, 4):
            at = f"2026-11-20T09:0{number}:00+07:00"
            database.execute(
                "INSERT INTO tickets (id, day, service, number_service, seq, number, status, status_token, issued_at, "
                "queued_at) VALUES (?, '2026-11-20', 'HT', 'HT', ?, ?, 'finished', ?, ?, ?)",
                [number, number, f"A00{number}", f"token-{number}", at, at])
            database.execute(
                "INSERT INTO visits (ticket, day, service, counter, officer, queued_at, called_at, wait_s, outcome) "
                "VALUES (?, '2026-11-20', 'HT', 1, 'an', ?, ?, 60, 'finished')", [number, at, at])
            database.execute(
                "INSERT INTO ratings (ticket, day, at, level, officer, counter, service, comment) "
                "VALUES (?, '2026-11-20', ?, 'satisfied', 'an', 1, 'HT', 'Chị Lan 0905123456')", [number, at])
    migrate(database)
    rows = log_rows(database)
    assert [row["kind"] for row in rows][:4] == ["fields", "services", "users", "counters"]  # the catalog first
    assert {row["key"] for row in rows if row["kind"] == "tickets"} == {"1", "2", "3"}
    assert len([row for row in rows if row["kind"] == "visits"]) == 3
    assert len([row for row in rows if row["kind"] == "ratings"]) == 3
    assert "0905123456" not in str(rows) and "token-1" not in str(rows)
    database.conn.close()


# --- the worker -------------------------------------------------------------------


def test_everything_reaches_the_hub_once_in_order_in_bounded_batches(db, now, hub, make_sync):
    a_day(db, now, tickets=12)
    sync = make_sync(hub, batch_max=25)
    hub.wait_for_acked(position(db).last)
    assert_hub_has_the_log(hub, db)
    assert all(0 < len(batch) <= 25 for batch in hub.received)
    starts = [batch[0] for batch in hub.received]
    assert starts == sorted(starts) and starts[0] == 1
    wait_until(lambda: position(db).acked == position(db).last)
    wait_until(lambda: (sync.status().state, sync.status().backlog, sync.status().acked) == ("ok", 0, position(db).last))
    # A new ticket goes out within batch_ms of the worker being woken.
    issue(db, "HT", later(now, minutes=30))
    sync.wake()
    hub.wait_for_acked(position(db).last, timeout_s=5)


def test_a_partial_batch_waits_batch_ms_for_company(db, now, hub, make_sync):
    sync = make_sync(hub, batch_max=5000, batch_ms=400)
    hub.wait_for_acked(position(db).last)
    requests_before = len(hub.received)
    for minute in range(5):
        issue(db, "HT", later(now, minutes=minute))
        sync.wake()
    hub.wait_for_acked(position(db).last)
    assert len(hub.received) - requests_before == 1  # five tickets, one batch


def test_a_hub_that_is_down_only_delays(db, now, hub, make_sync):
    hub.go_offline()
    sync = make_sync(hub, batch_max=50)
    a_day(db, now, tickets=5)  # the center serves meanwhile
    wait_until(lambda: sync.status().state == "offline")
    assert position(db).acked == 0 and sync.status().backlog > 0
    assert sync.heard.named("hub.link")[-1].data["state"] == "offline"
    hub.mode = "unavailable"
    hub.go_online()
    hub.wait_for_requests(2)
    assert position(db).acked == 0  # a 503 moves nothing
    hub.mode = "ok"
    hub.wait_for_acked(position(db).last)
    assert_hub_has_the_log(hub, db)
    wait_until(lambda: sync.status().state == "ok")


def test_a_hub_restarting_mid_batch_gets_the_batch_again_and_keeps_it_once(db, now, hub, make_sync):
    a_day(db, now, tickets=6)
    hub.drop_answers = 2  # stored, then the connection drops before the answer, twice
    make_sync(hub, batch_max=40)
    hub.wait_for_acked(position(db).last)
    wait_until(lambda: position(db).acked == position(db).last)
    assert hub.received[0] == hub.received[1] == hub.received[2]  # the same batch, answered the third time
    assert_hub_has_the_log(hub, db)


def test_a_hub_process_restart_keeps_the_center_waiting_not_losing(db, now, hub, make_sync):
    make_sync(hub, batch_max=30)
    hub.wait_for_acked(position(db).last)
    hub.go_offline()
    a_day(db, now, tickets=4)
    hub.go_online()
    hub.wait_for_acked(position(db).last)
    assert_hub_has_the_log(hub, db)


def test_a_sequence_gap_resumes_from_the_seq_the_hub_expects(db, now, hub, make_sync):
    a_day(db, now, tickets=4)
    sync = make_sync(hub, batch_max=1000)
    hub.wait_for_acked(position(db).last)
    wait_until(lambda: position(db).acked == position(db).last)
    sync.close()
    hub.forget_from(10)  # the hub was restored from an older dump
    a_day(db, later(now, minutes=60), tickets=2)
    make_sync(hub, batch_max=1000)
    hub.wait_for_acked(position(db).last)
    assert_hub_has_the_log(hub, db)
    assert any(batch and batch[0] == 10 for batch in hub.received)  # sent again from what it expected


def test_an_idle_center_sends_heartbeats_and_refills_a_hub_that_lost_its_events(db, hub, make_sync, monkeypatch):
    monkeypatch.setattr("layso.sync.worker.HEARTBEAT_S", 0.05)
    make_sync(hub)
    hub.wait_for_acked(position(db).last)
    empty_before = sum(1 for batch in hub.received if not batch)
    wait_until(lambda: sum(1 for batch in hub.received if not batch) >= empty_before + 3)
    hub.forget_from(1)  # the hub's database restored from before this center joined
    hub.wait_for_acked(position(db).last)
    assert_hub_has_the_log(hub, db)


def test_an_answer_that_moves_nothing_is_retried_with_backoff_not_in_a_loop(db, now, hub, make_sync):
    hub.stall = True
    sync = make_sync(hub)
    wait_until(lambda: sync.status().state == "rejected")
    count = hub.requests
    time.sleep(0.3)  # measuring a rate: what a hot loop would do in this time
    assert hub.requests - count < 10
    hub.stall = False
    hub.wait_for_acked(position(db).last)


def test_a_refused_token_moves_nothing_and_is_shown(db, now, hub, make_sync):
    sync = make_sync(hub, token="wrong-token")
    wait_until(lambda: sync.status().state == "refused")
    assert position(db).acked == 0 and hub.events == {}
    assert sync.heard.named("hub.link")[-1].data["message"] == "bad hub token"


def test_an_hour_offline_is_caught_up_oldest_first_in_bounded_batches(db, now, hub, make_sync):
    hub.go_offline()
    sync = make_sync(hub, batch_max=200)
    # An hour at a busy center: a ticket every 30 s at each of two counters, served and rated.
    a_day(db, now, tickets=120)
    wait_until(lambda: sync.status().state == "offline")
    backlog = position(db).backlog
    assert backlog > 1000
    hub.go_online()
    hub.wait_for_acked(position(db).last, timeout_s=60)
    assert_hub_has_the_log(hub, db)
    sent = [batch for batch in hub.received if batch]
    assert all(len(batch) <= 200 for batch in sent)
    assert [seq for batch in sent for seq in batch] == sorted(seq for batch in sent for seq in batch)


def test_acknowledged_events_are_forgotten_after_a_month_and_numbering_goes_on(db, now, hub, make_sync):
    make_sync(hub)
    hub.wait_for_acked(position(db).last)
    wait_until(lambda: position(db).acked == position(db).last)
    last = position(db).last
    assert forget_acknowledged(db, now=datetime.now(TZ)) == 0  # `at` is the real time of the commit
    assert forget_acknowledged(db, now=datetime.now(TZ) + timedelta(days=31)) == last
    issue(db, "HT", now)
    assert log_rows(db)[0]["seq"] == last + 1


# --- a restored center ------------------------------------------------------------


def test_a_restored_center_resends_from_the_hubs_cursor_and_its_new_events_follow_it(
        db, settings, now, hub, make_sync, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    a_day(db, now, tickets=3)
    sync = make_sync(hub)
    hub.wait_for_acked(position(db).last)
    backup = create_backup(settings.db_path, folder, now=now)
    a_day(db, later(now, minutes=30), tickets=3)  # reaches the hub, then the disk is lost
    hub.wait_for_acked(position(db).last)
    hub_before = hub.acked
    sync.close()

    restore_backup(db, backup, folder, now=later(now, minutes=60))
    assert position(db).restored_at_seq is not None
    issue(db, "HT", later(now, minutes=61))  # the center serves before it reaches the hub
    sync = make_sync(hub)
    wait_until(lambda: position(db).restored_at_seq is None and position(db).backlog == 0)
    assert position(db).last > hub_before
    assert hub.acked == position(db).last and hub.stored_twice == 0
    # The hub's latest row of every ticket is the restored center's row.
    latest = {}
    for seq in sorted(hub.events):
        event = hub.events[seq]
        if event["kind"] == "tickets":
            latest[event["key"]] = event["data"]
    for row in db.query("SELECT * FROM tickets"):
        assert latest[str(row["id"])]["status"] == row["status"]
        assert latest[str(row["id"])]["number"] == row["number"]


def test_a_restored_center_behind_nothing_just_resumes(db, settings, now, hub, make_sync, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    a_day(db, now, tickets=2)
    backup = create_backup(settings.db_path, folder, now=now)
    restore_backup(db, backup, folder, now=now)  # the hub never saw any of it
    make_sync(hub)
    hub.wait_for_acked(position(db).last)
    assert_hub_has_the_log(hub, db)


# --- settings ---------------------------------------------------------------------


def test_the_hub_link_comes_from_the_environment_first_then_the_file(tmp_path):
    config = tmp_path / "center.toml"
    config.write_text((DATA / "center.toml").read_text() + '\n[hub]\nurl = "http://hub.tinh.gov.vn/"\n'
                      'token = "t-1"\nbatch_max = 100\nbatch_ms = 250\n')
    secret = {"LAYSO_SECRET_KEY": "test-secret-key-0123456789"}
    link = load(config=str(config), environ=secret).hub
    assert link == HubLink("http://hub.tinh.gov.vn", "t-1", 100, 250, "config")
    link = load(config=str(config), environ=secret | {"LAYSO_HUB_URL": "https://other", "LAYSO_HUB_TOKEN": "t-2"}).hub
    assert (link.url, link.token, link.source) == ("https://other", "t-2", "environment")
    assert not load(config=str(DATA / "center.toml"), environ=secret).hub.enabled


@pytest.mark.parametrize("section, key", [
    ('url = "ftp://hub"\ntoken = "t"', "hub.url"),
    ('url = "http://hub"', "hub.token"),
    ('url = "http://hub"\ntoken = "t"\nbatch_max = 0', "hub.batch_max"),
    ('url = "http://hub"\ntoken = "t"\nbatch_max = 5001', "hub.batch_max"),
    ('url = "http://hub"\ntoken = "t"\nbatch_ms = -1', "hub.batch_ms"),
    ('url = "http://hub"\ntoken = "a b"', "hub.token"),
])
def test_a_wrong_hub_setting_names_its_key(tmp_path, section, key):
    config = tmp_path / "center.toml"
    config.write_text((DATA / "center.toml").read_text() + f"\n[hub]\n{section}\n")
    with pytest.raises(SettingsError, match=key):
        load(config=str(config), environ={"LAYSO_SECRET_KEY": "test-secret-key-0123456789"})


def wait_until(condition, timeout_s=20.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def test_the_log_is_readable_by_another_process_while_the_center_writes(settings, db, now):
    # The worker reads on its own connection: a reader never blocks the center's writes (WAL).
    reader = sqlite3.connect(str(settings.db_path))
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM hub_log").fetchone()
    issue(db, "HT", now)
    reader.rollback()
    reader.close()
