"""Group commit: one fsync of the write-ahead log for the commits made together.

With ``synchronous=FULL`` every ``COMMIT`` waits for its own fsync of the WAL (about
0.3 ms here, a third of a ticket's time in the server, and under gevent the whole process
waits with it). The server's connections commit with ``synchronous=NORMAL`` instead —
the transaction is written to the WAL but not yet forced to disk — and then call
:meth:`WalSync.committed`, which returns only once an fsync of the WAL that began after
that commit has finished. Whoever arrives first does the fsync; before it starts, it
lets every other request that is ready run up to its own commit, so one fsync covers
them all. Nothing is answered, and no event published, before its commit is on disk, so
an acknowledged ticket survives a power cut as it did with ``FULL``.

The WAL is appended to in commit order, so an fsync that covers one commit covers every
earlier one. Another connection may read a commit in the fraction of a millisecond
before it is on disk; only a power cut in that window could take back what it read.
SQLite itself still syncs the WAL before each checkpoint and the database file after it.
"""

import os
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path


class WalSync:
    """The fsyncs of one database file's WAL, shared by all of a server's connections."""

    def __init__(self, db_path: str | Path, *, others_first: Callable[[], None] = partial(time.sleep, 0)):
        """``others_first`` returns once the requests that are ready have run up to their
        commit: a thread gives up the GIL (the default); under gevent the app passes
        ``gevent.idle``, which returns when the hub has nothing else to run."""
        # SQLite names the WAL after the database's real path (symbolic links followed).
        self.wal_path = f"{os.path.realpath(db_path)}-wal"
        self._others_first = others_first
        self._lock = threading.Lock()  # gevent's own lock once server.py has patched threading
        self._changed = threading.Condition(self._lock)
        self._commits = 0  # commits reported so far
        self._synced = 0  # of those, known to be on disk
        self._syncing = False
        self.fsyncs = 0  # fsyncs done; against the commits, how many shared each

    def committed(self) -> None:
        """Call right after a ``COMMIT``: returns once that commit is on disk."""
        with self._changed:
            self._commits += 1
            mine = self._commits
            while self._synced < mine:
                if self._syncing:
                    self._changed.wait()
                else:
                    self._sync_for_all()

    def _sync_for_all(self) -> None:
        """Called holding the lock; syncs every commit reported before the fsync starts.
        If the fsync fails, the caller gets the error and a waiting writer tries again."""
        self._syncing = True
        self._lock.release()
        target = None
        try:
            self._others_first()  # requests ready to commit do so now and share this fsync
            covered = self._commits
            _fsync(self.wal_path)
            target = covered
        finally:
            self._lock.acquire()
            self._syncing = False
            if target is not None:
                self._synced = target
                self.fsyncs += 1
            self._changed.notify_all()


def _fsync(path: str) -> None:
    """fsync(2) acts on the file, whichever descriptor names it. No WAL file means the
    last connection checkpointed it into the database file, which SQLite synced."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
