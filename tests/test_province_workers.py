"""The hub as it runs (docs/hub.md): ``python -m layso.province`` under gevent, several worker
processes sharing live updates through Redis, so a batch ingested by one reaches dashboards
connected to another; a hub killed mid-batch keeps nothing of it and takes it whole again."""

import contextlib
import threading
import time

import psycopg
import pytest

from layso import clock
from layso.province.settings import HubSettings
from tests.helpers import RecordingClient
from tests.test_hub_ingest import ticket

pytestmark = pytest.mark.slow


def hub_today():
    # The hub's "today" is the province's local day, not this machine's (UTC) date.
    return clock.local_day(clock.now(HubSettings.timezone))


def waiting_at(center, count):
    return lambda state: state["center"] == center and state["waiting"] == count


def test_two_hub_processes_send_one_live_update_to_dashboards_on_each(start_hub):
    first, second = start_hub(), start_hub()
    clients = [RecordingClient(hub.url, {"token": hub.login()}) for hub in (first, second)]
    try:
        answer = first.ingest([ticket(1, 1, day=hub_today())])
        assert answer.status_code == 200, answer.text
        for client in clients:
            client.wait_for("province.center", waiting_at("demo-1", 1), timeout=10)
    finally:
        for client in clients:
            client.close()


def test_workers_share_one_port(start_hub):
    hub = start_hub(workers=2)
    clients = [RecordingClient(hub.url, {"token": hub.login()}) for _ in range(4)]
    try:
        assert hub.ingest([ticket(1, 1, day=hub_today())]).json() == {"center": "demo-1", "acked": 1}
        for client in clients:
            client.wait_for("province.center", waiting_at("demo-1", 1), timeout=10)
    finally:
        for client in clients:
            client.close()


def test_a_socket_without_a_province_login_is_refused(start_hub):
    from tests.helpers import assert_socket_refused

    hub = start_hub()
    assert_socket_refused(hub.url, {"token": "demo-hub-token-1"})
    assert_socket_refused(hub.url, {})


def test_a_hub_killed_mid_batch_keeps_nothing_of_it_and_takes_it_again(start_hub, hub_database_url):
    hub = start_hub()
    assert hub.ingest([ticket(1, 1)]).json()["acked"] == 1
    batch = [ticket(seq, seq) for seq in range(2, 2001)]
    with psycopg.connect(hub_database_url) as blocker:
        # Hold the center's cursor row: the hub's batch transaction waits on it, mid-batch.
        blocker.execute("SELECT 1 FROM centers WHERE code = 'demo-1' FOR UPDATE")
        sender = threading.Thread(target=lambda: _sent_unanswered(hub.ingest, batch))
        sender.start()
        with psycopg.connect(hub_database_url, autocommit=True) as watcher:
            deadline = time.monotonic() + 20
            while not watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchone()[0]:
                assert time.monotonic() < deadline, "the batch never reached the cursor row"
                time.sleep(0.05)
        hub.stop(kill=True)
        blocker.rollback()
    sender.join(timeout=30)
    with psycopg.connect(hub_database_url, autocommit=True) as check:
        assert check.execute("SELECT acked FROM centers WHERE code = 'demo-1'").fetchone() == (1,)
        assert check.execute("SELECT count(*) FROM tickets").fetchone() == (1,)
    hub.start()
    assert hub.ingest(batch).json() == {"center": "demo-1", "acked": 2000}
    assert hub.ingest(batch[500:]).json() == {"center": "demo-1", "acked": 2000}
    with psycopg.connect(hub_database_url, autocommit=True) as check:
        assert check.execute("SELECT count(*), count(DISTINCT id) FROM tickets").fetchone() == (2000, 2000)


def _sent_unanswered(function, *args):
    # The hub is killed under this request: its answer never comes, whatever error that makes.
    with contextlib.suppress(Exception):
        function(*args)
