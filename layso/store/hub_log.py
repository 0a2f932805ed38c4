"""The center's side of the province hub's log (docs/hub-sync.md): reading what to send,
keeping the hub's acknowledgement, reconciling after a restore.

``hub_log`` is filled by triggers (migration m014): each change of what the hub needs gets
the next sequence number in the transaction that makes it. Nothing here sends anything:
the sync worker (:mod:`layso.sync.worker`) reads batches, asks the hub, and records its
answers through these functions.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from layso.store.db import write

# Rows logged again after a restore when the hub held more than the backup: the catalog
# whole, and the activity of the days the lost hours could have touched. Each is "updated"
# to itself (a sent column that no other trigger watches), which fires its hub_log trigger.
_CATALOG_TOUCH = {"fields": "name", "services": "name", "counters": "name", "users": "name"}
_ACTIVITY_TOUCH = {"tickets": "calls", "visits": "officer", "ratings": "level"}


@dataclass(frozen=True)
class LogPosition:
    acked: int  # the hub's last answer: it holds every seq up to here
    last: int  # the newest seq in the log (0 when empty)
    restored_at_seq: int | None  # a restore waits to be reconciled with the hub

    @property
    def backlog(self) -> int:
        """Events not yet acknowledged by the hub."""
        return max(0, self.last - self.acked)


def position(db) -> LogPosition:
    acked, restored = db.execute("SELECT acked, restored_at_seq FROM hub_link WHERE id = 1").fetchone()
    return LogPosition(acked, last_seq(db), restored)


def last_seq(db) -> int:
    # AUTOINCREMENT's own counter, not MAX(seq): old acknowledged rows may have been forgotten.
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'hub_log'").fetchone()
    return row[0] if row else 0


def read_batch(db, *, after: int, limit: int) -> list[dict]:
    """Up to ``limit`` events with a seq above ``after``, oldest first, as the hub takes them:
    {seq, kind, key, at, data} with ``data`` parsed."""
    return [
        {"seq": seq, "kind": kind, "key": key, "at": at, "data": json.loads(data)}
        for seq, kind, key, at, data in db.execute(
            "SELECT seq, kind, key, at, data FROM hub_log WHERE seq > ? ORDER BY seq LIMIT ?", [after, limit])
    ]


# The wire body of a batch, written by SQLite from the stored JSON text: each event's ``data``
# goes out as it was logged, not parsed into Python and encoded again (that was four fifths of
# a center's cost of a batch: 11 µs an event against 2.6 µs, docs/benchmarks.md).
_BATCH_BODY = (
    """SELECT COUNT(*), '{"events":[' || COALESCE(group_concat("""
    """'{"seq":' || seq || ',"kind":' || json_quote(kind) || ',"key":' || json_quote(key) || """
    """',"at":' || json_quote(at) || ',"data":' || data || '}', ','), '') || ']}' """
    "FROM (SELECT seq, kind, key, at, data FROM hub_log WHERE seq > ? ORDER BY seq LIMIT ?)"
)


def read_batch_body(db, *, after: int, limit: int) -> tuple[int, bytes]:
    """The events :func:`read_batch` reads, as the hub's ingest body
    ``{"events": [{seq, kind, key, at, data}, …]}`` in UTF-8, oldest first; and how many."""
    count, body = db.execute(_BATCH_BODY, [after, limit]).fetchone()
    return count, body.encode()


def oldest_pending_at(db, *, after: int) -> datetime | None:
    """When the first event past ``after`` was committed (UTC), None if there is none."""
    row = db.execute("SELECT at FROM hub_log WHERE seq > ? ORDER BY seq LIMIT 1", [after]).fetchone()
    return None if row is None else datetime.fromisoformat(row[0].replace("Z", "+00:00"))


def record_ack(db, acked: int) -> bool:
    """Keep the hub's answer as the cursor (the hub is the authority: a hub restored from an
    older dump answers lower, and the log is sent again from there). Ignored while a restore
    waits to be reconciled (an answer about the log from before the restore). Returns
    whether it was recorded."""
    with write(db):
        return db.execute("UPDATE hub_link SET acked = ? WHERE id = 1 AND restored_at_seq IS NULL",
                          [acked]).rowcount == 1


def mark_restored(db) -> None:
    """Inside a restored copy, before it is swapped in: the hub may hold events this backup
    never had; the sync worker reconciles (:func:`reconcile`) before it sends again."""
    with write(db):
        db.execute("UPDATE hub_link SET restored_at_seq = (SELECT COALESCE(MAX(seq), 0) FROM hub_log) WHERE id = 1")


def reconcile(db, hub_acked: int, *, now: datetime) -> int:
    """Agree with a hub that says it holds every seq up to ``hub_acked``.

    When the hub holds no more than this log, nothing changes. When it holds more (this
    center was restored from a backup, or its file replaced), the seqs it holds past ours
    belong to a history this center no longer has: events logged since the restore are
    renumbered to follow the hub's, the sequence jumps past it, and the current rows of
    the catalog, the reported settings and the activity of the restored days are logged
    again through the same triggers (a no-op update fires them), so the hub ends up with
    the center's present truth and new events are never taken for ones it already has.
    Returns the cursor to send from (the hub's answer, at most our last seq)."""
    with write(db):
        restored = db.execute("SELECT restored_at_seq FROM hub_link WHERE id = 1").fetchone()[0]
        ours = last_seq(db)
        base = ours if restored is None else restored  # the log both sides may share
        if hub_acked > base:
            shift = hub_acked - base
            # Two steps: renumbering in place would collide with the rows not yet moved.
            db.execute("UPDATE hub_log SET seq = -seq WHERE seq > ?", [base])
            db.execute("UPDATE hub_log SET seq = -seq + ? WHERE seq < 0", [shift])
            if not db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'hub_log'", [ours + shift]).rowcount:
                db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('hub_log', ?)", [ours + shift])
            _relog_current_rows(db, since=_restored_since(db, now))
        cursor = hub_acked
        db.execute("UPDATE hub_link SET acked = ?, restored_at_seq = NULL WHERE id = 1", [cursor])
    return cursor


def _restored_since(db, now: datetime) -> str:
    """The first day whose activity is logged again: the restored data's newest day, or
    yesterday's if older (tickets of a day are closed the next morning)."""
    newest = db.execute("SELECT MAX(day) FROM tickets").fetchone()[0]
    yesterday = (now - timedelta(days=1)).date().isoformat()
    return min(newest or yesterday, yesterday)


def _relog_current_rows(db, *, since: str) -> None:
    for table, column in _CATALOG_TOUCH.items():
        db.execute(f"UPDATE {table} SET {column} = {column}")
    db.execute("UPDATE center_settings SET value = value")  # the trigger sends only the reported ones
    for table, column in _ACTIVITY_TOUCH.items():
        db.execute(f"UPDATE {table} SET {column} = {column} WHERE day >= ?", [since])


def forget_acknowledged(db, *, now: datetime, keep_days: int = 30) -> int:
    """Drop events the hub acknowledged more than ``keep_days`` ago (by their time), so the
    log does not grow for ever; numbering goes on (AUTOINCREMENT never reuses a seq).
    Returns how many were dropped."""
    cutoff = (now - timedelta(days=keep_days)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    with write(db):
        return db.execute("DELETE FROM hub_log WHERE seq <= (SELECT acked FROM hub_link WHERE id = 1) AND at < ?",
                          [cutoff]).rowcount
