"""Group commit: the server's commits share fsyncs of the WAL, and none returns before
its own commit is on disk (layso/store/durable.py)."""

import threading
import time
from pathlib import Path

import pytest

from layso.errors import OutcomeUnknown, WritesStopped
from layso.store import durable
from layso.store.db import Pool, open_db, write
from layso.store.durable import WalSync
from tests.helpers import run_under_gevent

WRITERS = 8


def test_a_commit_is_answered_only_after_an_fsync_that_began_after_it_and_fsyncs_are_shared(tmp_path, monkeypatch):
    sync = WalSync(tmp_path / "center.db")
    fsyncs = []  # (began, ended)

    def slow_fsync(path):
        began = time.monotonic()
        # The first fsync lasts until every writer has reported its commit, so the test
        # never depends on how the threads happen to be scheduled.
        deadline = began + 10
        while not fsyncs and sync._commits < WRITERS and time.monotonic() < deadline:
            time.sleep(0.001)
        fsyncs.append((began, time.monotonic()))

    monkeypatch.setattr(durable, "_fsync", slow_fsync)
    errors = []

    def writer():
        try:
            committed_at = time.monotonic()
            sync.committed()
            returned_at = time.monotonic()
            assert any(committed_at <= began and ended <= returned_at for began, ended in fsyncs)
        except BaseException as error:  # an assertion in a thread would otherwise pass unseen
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    # The first writer syncs alone or with a few; all who came during its fsync share the next.
    assert len(fsyncs) == sync.fsyncs <= 2


def test_the_pools_connections_commit_at_normal_and_sync_each_write(tmp_path):
    pool = Pool(tmp_path / "center.db")
    with pool.connection() as db:
        assert db.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
        with write(db):
            db.execute("CREATE TABLE rows (value TEXT)")
        with write(db):
            db.execute("INSERT INTO rows VALUES ('one')")
    assert pool.wal_sync.fsyncs == 2
    assert Path(pool.wal_sync.wal_path).stat().st_size > 0  # the file SQLite writes is the one synced
    pool.close()


def test_a_database_reached_through_a_symbolic_link_syncs_the_wal_beside_the_real_file(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "center.db").symlink_to(tmp_path / "data" / "center.db")
    pool = Pool(tmp_path / "center.db")
    with pool.connection() as db, write(db):
        db.execute("CREATE TABLE rows (value TEXT)")
    assert pool.wal_sync.wal_path == str(tmp_path / "data" / "center.db-wal")
    assert Path(pool.wal_sync.wal_path).exists()
    pool.close()


def test_a_connection_opened_on_its_own_commits_at_full(tmp_path):
    db = open_db(tmp_path / "center.db")
    assert db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL: SQLite syncs each commit
    assert db.wal_sync is None


def test_a_write_that_fails_is_rolled_back_and_not_synced(tmp_path):
    pool = Pool(tmp_path / "center.db")
    with pool.connection() as db:
        with write(db):
            db.execute("CREATE TABLE rows (value TEXT)")
        with pytest.raises(RuntimeError), write(db):
            db.execute("INSERT INTO rows VALUES ('lost')")
            raise RuntimeError("the core refused")
        assert db.execute("SELECT COUNT(*) FROM rows").fetchone() == (0,)
    assert pool.wal_sync.fsyncs == 1


def test_no_wal_file_means_nothing_to_sync(tmp_path):
    durable._fsync(str(tmp_path / "gone.db-wal"))  # checkpointed and removed: no error


GEVENT_WRITERS = """
from gevent import monkey; monkey.patch_all()
import sys, time, gevent
from layso.errors import OutcomeUnknown, WritesStopped
from layso.store import durable
from layso.store.db import Pool, write

fsyncs = []
real_fsync = durable._fsync
def recording_fsync(path):
    began = time.monotonic(); real_fsync(path); fsyncs.append((began, time.monotonic()))
durable._fsync = recording_fsync

pool = Pool(sys.argv[1])
with pool.connection() as db, write(db):
    db.execute("CREATE TABLE rows (writer INTEGER)")
late = []
def writer(number):
    with pool.connection() as db:
        with write(db):
            db.execute("INSERT INTO rows VALUES (?)", [number])
            committing = time.monotonic()
        if not any(committing <= began and ended <= time.monotonic() for began, ended in fsyncs):
            late.append(number)
gevent.joinall([gevent.spawn(writer, number) for number in range(20)])
with pool.connection() as db:
    rows = db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
print(rows, pool.wal_sync.fsyncs, len(late))
"""


def test_under_gevent_writers_that_commit_together_share_one_fsync(tmp_path):
    """The server's mode: twenty greenlets write at once; their commits need two fsyncs
    (the table's, then one for all twenty), not twenty-one, and each answer waits for one."""
    rows, fsyncs, late = map(int, run_under_gevent(GEVENT_WRITERS, str(tmp_path / "center.db")).split())
    assert (rows, late) == (20, 0)
    assert fsyncs == 2


def test_data_item_fsync_after_a_failed_fsync_no_later_commit_is_acknowledged_even_when_fsync_works_again(tmp_path, monkeypatch):
    """Issue 14, "Data that must not be at risk": after a failed fsync Linux may have dropped
    the pages it could not write, so the next fsync's success proves nothing. The store
    stops: the failed commit's outcome is unknown, and no later commit is acknowledged."""
    stopped = []
    sync = WalSync(tmp_path / "center.db", on_stop=stopped.append)
    failures = iter([OSError(5, "Input/output error")])

    def failing_once(path):
        failure = next(failures, None)
        if failure is not None:
            raise failure

    monkeypatch.setattr(durable, "_fsync", failing_once)
    with pytest.raises(OutcomeUnknown):
        sync.committed()  # neither acknowledged nor reported as a plain failure
    with pytest.raises(OutcomeUnknown):
        sync.committed()  # the next fsync would succeed: it is not even tried
    assert sync.fsyncs == 0 and sync._synced == 0
    assert "Input/output error" in sync.failure and sync.failed_at is not None
    assert stopped == [sync.failure]  # told once


def test_data_item_fsync_writers_waiting_on_a_failed_fsync_are_none_of_them_acknowledged(tmp_path, monkeypatch):
    """Writers that committed while the failing fsync ran wait for it; none of them may
    then run an fsync of its own and be acknowledged."""
    sync = WalSync(tmp_path / "center.db")
    calls = []

    def failing_after_everyone_committed(path):
        calls.append(path)
        deadline = time.monotonic() + 10
        while sync._commits < WRITERS and time.monotonic() < deadline:
            time.sleep(0.001)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(durable, "_fsync", failing_after_everyone_committed)
    outcomes = []
    start = threading.Barrier(WRITERS)

    def writer():
        start.wait(timeout=10)
        try:
            sync.committed()
            outcomes.append("acknowledged")
        except OutcomeUnknown:
            outcomes.append("unknown")

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert outcomes == ["unknown"] * WRITERS
    assert len(calls) == 1


def test_data_item_fsync_a_stopped_store_refuses_writes_before_they_start(tmp_path, monkeypatch):
    pool = Pool(tmp_path / "center.db")
    with pool.connection() as db, write(db):
        db.execute("CREATE TABLE rows (value TEXT)")

    def failing(path):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(durable, "_fsync", failing)
    with pool.connection() as db:
        with pytest.raises(OutcomeUnknown):
            with write(db):
                db.execute("INSERT INTO rows VALUES ('committed, not known to be on disk')")
        monkeypatch.undo()
        with pytest.raises(WritesStopped) as refused:
            with write(db):
                db.execute("INSERT INTO rows VALUES ('never written')")
        assert type(refused.value) is WritesStopped and refused.value.status == 503
        assert not db.conn.in_transaction
        assert db.execute("SELECT value FROM rows").fetchall() == [("committed, not known to be on disk",)]
    pool.close()


WRITERS_AMONG_BUSY_READERS = """
from gevent import monkey; monkey.patch_all()
import sys, time, gevent
from layso.store.db import Pool, write

pool = Pool(sys.argv[1])
with pool.connection() as db, write(db):
    db.execute("CREATE TABLE rows (writer INTEGER)")
busy = True
def reader():  # a flood of reads: always another request ready, the hub never idle
    while busy:
        time.sleep(0)
def writer(number):
    with pool.connection() as db, write(db):
        db.execute("INSERT INTO rows VALUES (?)", [number])
readers = [gevent.spawn(reader) for _ in range(20)]
began = time.monotonic()
finished = gevent.joinall([gevent.spawn(writer, number) for number in range(10)], timeout=10)
took = time.monotonic() - began
busy = False
gevent.joinall(readers)
print(len(finished), round(took, 3))
"""


def test_under_gevent_writers_are_not_starved_by_readers_that_are_always_ready(tmp_path):
    """Before its fsync a writer waits for an idle hub only so long: with twenty greenlets
    always ready the hub is never idle, and the ten writes must still be done at once."""
    finished, seconds = run_under_gevent(WRITERS_AMONG_BUSY_READERS, str(tmp_path / "center.db")).split()
    assert int(finished) == 10
    assert float(seconds) < 5
