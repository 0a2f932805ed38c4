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

A failed fsync stops the store for good (fail-stop). On Linux the kernel may already
have dropped the pages it could not write, marked clean, so a later fsync that
"succeeds" proves nothing about them (PostgreSQL's fsync problem of 2018). From then on
no commit is acknowledged: the writers waiting for that fsync get OutcomeUnknown, every
later write is refused before it starts (WritesStopped, ``layso.store.db.write``), and
``failure`` says why until the server restarts, when SQLite recovers from the WAL.
"""

import logging
import os
import threading
import time
from pathlib import Path
from typing import Callable

from layso.errors import OutcomeUnknown
from layso.hub import under_gevent

log = logging.getLogger(__name__)

IDLE_WAIT_S = 0.0005  # measured: the same batches as 2 ms, and writers less held up by reads


class WalSync:
    """The fsyncs of one database file's WAL, shared by all of a server's connections.

    The lock is only ever held for a few statements, never across a wait: under gevent a
    woken writer must not queue behind the others for it. Writers wait for the sync in
    progress on an Event, which wakes them all at once."""

    def __init__(self, db_path: str | Path, *, on_stop: Callable[[str], None] | None = None):
        # SQLite names the WAL after the database's real path (symbolic links followed).
        self.wal_path = f"{os.path.realpath(db_path)}-wal"
        self._lock = threading.Lock()  # gevent's own lock and Event once server.py has patched threading
        self._commits = 0  # commits reported so far
        self._synced = 0  # of those, known to be on disk
        self._sync_done: threading.Event | None = None  # set when the sync in progress ends
        self._on_stop = on_stop  # told once, with the reason, when the store stops
        self.fsyncs = 0  # fsyncs done; against the commits, how many shared each
        self.fsync_seconds = 0.0  # time spent in those fsyncs (/metrics: layso_fsync_seconds)
        self.failure: str | None = None  # why the store stopped (fail-stop), None while it works
        self.failed_at: float | None = None  # when, time.time()

    def committed(self) -> None:
        """Call right after a ``COMMIT``: returns once that commit is on disk. Raises
        OutcomeUnknown if the store stopped before it was (a failed fsync)."""
        with self._lock:
            self._commits += 1
            mine = self._commits
        while True:
            with self._lock:
                if self._synced >= mine:  # on disk by an fsync that succeeded before any failure
                    return
                if self.failure is not None:
                    raise OutcomeUnknown()
                sync_done, leading = self._sync_done, self._sync_done is None
                if leading:
                    self._sync_done = sync_done = threading.Event()
            if leading:
                self._sync_for_all(sync_done)
            else:
                sync_done.wait()

    def _sync_for_all(self, sync_done: threading.Event) -> None:
        """Sync every commit reported before the fsync starts. A failure stops the store:
        the commits it should have covered, and every later one, are never acknowledged."""
        failure = None
        try:
            _let_others_commit()
            covered = self._commits
            started = time.perf_counter()
            try:
                _fsync(self.wal_path)
            except OSError as error:  # whatever the errno: the pages' fate is unknown
                # shown to anyone by /healthz: the error, not the server's paths
                failure = f"fsync of the database's WAL failed: [Errno {error.errno}] {error.strerror}"
            with self._lock:
                if failure is None:
                    self._synced = covered
                    self.fsyncs += 1
                    self.fsync_seconds += time.perf_counter() - started
                else:
                    self.failure, self.failed_at = failure, time.time()
        finally:
            with self._lock:
                self._sync_done = None
            sync_done.set()
        if failure is not None:
            log.critical("writes stopped until the server restarts: %s (%s)", failure, self.wal_path)
            if self._on_stop is not None:
                self._on_stop(failure)


def _let_others_commit() -> None:
    """Let the requests that are ready run up to their commit, to share the next fsync.

    A thread gives up the GIL. On gevent's hub, wait until it has nothing else to run —
    everybody who has arrived has committed and waits for the fsync — but no longer than
    IDLE_WAIT_S: under a flood of reads the hub is never idle, and the writers would wait
    for ever. (A turn at the back of the queue, ``gevent.sleep(0)``, formed smaller batches:
    call-next's p99 was 40–55 ms against 13 ms.)"""
    if not under_gevent():
        time.sleep(0)
        return
    import gevent

    with gevent.Timeout(IDLE_WAIT_S, False):
        gevent.idle()


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
