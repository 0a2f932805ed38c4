"""Opening the store and writing to it.

SQLite in WAL mode, every commit on disk before :func:`write` returns: centers lose power,
and a ticket that was acknowledged must survive it. If the server's pool cannot be sure
of that any more (a failed fsync), it stops taking writes (:mod:`layso.store.durable`). A connection on its own commits with
``synchronous=FULL``; the server's pool commits with ``NORMAL`` and syncs the WAL once for
the commits made together (:mod:`layso.store.durable`), which is as safe and faster.
Every write goes through :func:`write`, which takes the write lock up front
(``BEGIN IMMEDIATE``) so a read-then-write never fails half-way with "database is locked".
"""

import logging
import queue
import sqlite3
import time
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path

import sqlite_utils
from sqlite_utils.utils import dedupe_keys

from layso.errors import WritesStopped
from layso.store.durable import WalSync

BUSY_TIMEOUT_S = 10.0
audit_log = logging.getLogger("layso.audit")


class Store(sqlite_utils.Database):
    """sqlite-utils' Database, with reads run straight on the connection.

    ``Database.query()`` wraps every statement in a savepoint (three statements a read) so
    that a statement returning no rows can be rolled back before it complains; the store
    only passes it statements that return rows (reads, and ``INSERT … RETURNING`` inside
    :func:`write`), and a ticket taken at the kiosk makes a dozen of them."""

    wal_sync: WalSync | None = None  # set when the connection commits at synchronous=NORMAL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.committed_lines: list = []  # (format, args) to log once the transaction commits

    def query(self, sql: str, params=None):
        cursor = self.conn.execute(sql, () if params is None else params)
        if cursor.description is None:
            raise ValueError(f"query() is for statements that return rows: {sql[:60]!r}")
        names = tuple(map(itemgetter(0), cursor.description))
        keys = _KEYS.get(names)
        if keys is None:  # "id, id" → "id, id_2", as sqlite-utils names them
            keys = _KEYS.setdefault(names, tuple(dedupe_keys(names)))
        return (dict(zip(keys, row)) for row in cursor)


_KEYS: dict[tuple, tuple] = {}  # column names → row keys: a handful of distinct queries


def open_db(path: str | Path, *, wal_sync: WalSync | None = None) -> Store:
    """Open (creating if needed) the database file, in WAL mode, ready for one thread.
    With ``wal_sync``, commits are synced through it rather than one by one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves (sqlite-utils 4 leaves
    # row-returning statements in an open transaction otherwise).
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    _enable_wal(conn)
    conn.execute(f"PRAGMA synchronous={'NORMAL' if wal_sync else 'FULL'}")
    conn.execute("PRAGMA foreign_keys=ON")
    db = Store(conn)
    db.wal_sync = wal_sync
    return db


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL. When two processes open a new file at the same moment,
    SQLite answers the loser "database is locked" at once, without using the busy
    timeout, so retry until the timeout has passed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def ensure_writable(db: Store) -> None:
    """Raise WritesStopped once the store has stopped (fail-stop): nothing is written."""
    if db.wal_sync is not None and db.wal_sync.failure is not None:
        raise WritesStopped()


@contextmanager
def write(db: Store):
    """One write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on error.
    Returns once the commit is on disk. After the COMMIT only one thing can go wrong: the
    fsync fails, and then the store stops (OutcomeUnknown for this write, WritesStopped
    before any later one), so a stored change is never reported as a plain failure.

    Nested use joins the outer transaction, so an idempotent API call can wrap a core
    operation and the record of its answer in one commit.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    ensure_writable(db)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        db.committed_lines.clear()
        raise
    conn.execute("COMMIT")
    lines, db.committed_lines = db.committed_lines, []
    if db.wal_sync is not None:
        db.wal_sync.committed()
    for line, args in lines:  # what changed the center's set-up, once it is on disk
        audit_log.info(line, *args)


class Pool:
    """Connections to one database file, one per concurrent user (thread or greenlet).

    A connection is lent for one request or one socket event and given back, so a
    server with thousands of open sockets keeps only as many connections as run at once.
    """

    def __init__(self, path: str | Path, *, on_stop=None):
        """``on_stop(reason)`` is called once if the store stops taking writes."""
        self.path = Path(path)
        self.wal_sync = WalSync(self.path, on_stop=on_stop)
        self._idle: queue.LifoQueue = queue.LifoQueue()

    @contextmanager
    def connection(self):
        try:
            db = self._idle.get_nowait()
        except queue.Empty:
            db = open_db(self.path, wal_sync=self.wal_sync)
        try:
            yield db
        finally:
            if db.conn.in_transaction:  # never hand on a connection holding the lock
                db.conn.execute("ROLLBACK")
            self._idle.put(db)

    def close(self):
        while True:
            try:
                self._idle.get_nowait().conn.close()
            except queue.Empty:
                return
