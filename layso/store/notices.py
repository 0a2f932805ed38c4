"""The outbox of notices (tin nhắn): its SQL, and nothing else.

A notice is written by :func:`add_notice` inside the caller's transaction — the one that
records the event it tells of — so it exists exactly when the event does. The sender
(:mod:`layso.notify.sender`) then claims due notices one by one and records how each try
went. ``dedupe`` is unique: the same cause (a ticket's first call, a dossier's change to
``ready``) never makes a second notice, whoever asks twice.
"""

import json
import secrets

from layso.store.db import write

STATUSES = ("pending", "sent", "failed", "cancelled")


def add_notice(db, *, dedupe: str, kind: str, phone: str, text: str, data: dict, created_at: str,
               created_ts: float, not_before_ts: float, give_up_s: float, ticket=None, dossier=None) -> bool:
    """Queue one notice inside the caller's transaction; False when its ``dedupe`` key
    already made one (nothing is written then)."""
    cursor = db.execute(
        "INSERT INTO notices (uid, dedupe, kind, phone, text, data, ticket, dossier, created_at, created_ts, "
        "next_try_ts, give_up_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe) DO NOTHING",
        [secrets.token_hex(12), dedupe, kind, phone, text, json.dumps(data, ensure_ascii=False), ticket, dossier,
         created_at, created_ts, not_before_ts, not_before_ts + give_up_s],
    )
    return cursor.rowcount == 1


def has_notice(db, dedupe: str) -> bool:
    return db.execute("SELECT 1 FROM notices WHERE dedupe = ?", [dedupe]).fetchone() is not None


def next_due_ts(db) -> float | None:
    """When the earliest pending notice is due (Unix time), None when none is pending."""
    (due,) = db.execute("SELECT MIN(next_try_ts) FROM notices WHERE status = 'pending'").fetchone()
    return due


def claim_due(db, *, now_ts: float, lease_s: float) -> dict | None:
    """Take the earliest due notice for one try: its next try moves ``lease_s`` ahead (past
    the try's timeout), so a sender that dies mid-try leaves it to be tried again, and two
    senders never try it at once. None when nothing is due."""
    # A read first: the idle sender polls, and a read takes no write lock.
    if db.execute("SELECT 1 FROM notices WHERE status = 'pending' AND next_try_ts <= ? LIMIT 1",
                  [now_ts]).fetchone() is None:
        return None
    with write(db):
        rows = list(db.query(
            "UPDATE notices SET attempts = attempts + 1, next_try_ts = ? WHERE id = ("
            "SELECT id FROM notices WHERE status = 'pending' AND next_try_ts <= ? ORDER BY next_try_ts LIMIT 1) "
            "RETURNING *",
            [now_ts + lease_s, now_ts],
        ))
    return rows[0] if rows else None


def resume_after_restart(db, *, now_ts: float) -> int:
    """At start, no try can be in flight (one server sends a center's notices): the notices
    a killed server had claimed, or was backing off, are due now rather than when their
    lease ends. Notices never tried (a reminder waiting for the morning) keep their time."""
    with write(db):
        return db.execute("UPDATE notices SET next_try_ts = ? WHERE status = 'pending' AND attempts > 0 "
                          "AND next_try_ts > ?", [now_ts, now_ts]).rowcount


def record_sent(db, notice_id: int, *, channel: str, sent_at: str) -> None:
    with write(db):
        db.execute("UPDATE notices SET status = 'sent', channel = ?, sent_at = ?, last_error = NULL WHERE id = ?",
                   [channel, sent_at, notice_id])


def record_retry(db, notice_id: int, *, channel: str, error: str, next_try_ts: float,
                 give_up_ts: float | None = None) -> None:
    """A try that may succeed later (network error, 5xx): due again at ``next_try_ts``;
    ``give_up_ts`` restarts the time allowed (a fall-back to another channel)."""
    with write(db):
        db.execute(
            "UPDATE notices SET channel = ?, last_error = ?, next_try_ts = ?, give_up_ts = COALESCE(?, give_up_ts) "
            "WHERE id = ? AND status = 'pending'",
            [channel, error[:500], next_try_ts, give_up_ts, notice_id],
        )


def record_failed(db, notice_id: int, *, channel: str, error: str) -> None:
    with write(db):
        db.execute("UPDATE notices SET status = 'failed', channel = ?, last_error = ? WHERE id = ?",
                   [channel, error[:500], notice_id])


def list_notices(db, *, status: str | None = None, ticket: int | None = None, limit: int = 100,
                 before_id: int | None = None) -> list[dict]:
    """The newest notices first (staff page), optionally of one status or ticket."""
    where, params = ["1 = 1"], []
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if ticket is not None:
        where.append("ticket = ?")
        params.append(ticket)
    if before_id is not None:
        where.append("id < ?")
        params.append(before_id)
    return list(db.query(
        f"SELECT * FROM notices WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?", [*params, limit]))


def oldest_unsent_ts(db) -> float | None:
    """When the oldest notice still waiting to be sent was written (Unix time)."""
    (created,) = db.execute("SELECT MIN(created_ts) FROM notices WHERE status = 'pending'").fetchone()
    return created


def counts_by_status(db) -> dict:
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(dict(db.execute("SELECT status, COUNT(*) FROM notices GROUP BY status").fetchall()))
    return counts


def queue_head(db, *, day: str, service: str, limit: int, order: tuple[str, list]) -> list[dict]:
    """The first ``limit`` waiting tickets of a service in ``order`` (an ORDER BY clause over
    the tickets' columns and its parameters: the queue's, layso.queue.ordering), so the
    k-th has k people ahead. With the ones that have a phone and did not opt out marked
    by ``phone``."""
    clause, params = order
    return list(db.query(
        "SELECT tickets.id, tickets.number, tickets.service, "
        "CASE WHEN notice_opt_outs.ticket IS NULL THEN tickets.phone END AS phone FROM tickets "
        "LEFT JOIN notice_opt_outs ON notice_opt_outs.ticket = tickets.id "
        "WHERE tickets.day = ? AND tickets.service = ? AND tickets.status = 'waiting' "
        f"ORDER BY {clause} LIMIT ?",
        [day, service, *params, limit],
    ))


def opted_out(db, ticket_id: int) -> bool:
    return db.execute("SELECT 1 FROM notice_opt_outs WHERE ticket = ?", [ticket_id]).fetchone() is not None


def opt_out(db, ticket_id: int, *, at: str) -> int:
    """Record a ticket's "no more messages" and cancel its pending notices, inside the
    caller's transaction; how many were cancelled."""
    db.execute("INSERT INTO notice_opt_outs (ticket, at) VALUES (?, ?) ON CONFLICT DO NOTHING", [ticket_id, at])
    return db.execute("UPDATE notices SET status = 'cancelled' WHERE ticket = ? AND status = 'pending'",
                      [ticket_id]).rowcount


def service_name(db, code: str) -> str:
    row = db.execute("SELECT name FROM services WHERE code = ?", [code]).fetchone()
    return row[0] if row else code


def bookings_to_remind(db, *, day: str | None = None, starting_after: str | None = None,
                       starting_by: str | None = None) -> list[dict]:
    """Booked appointments with a phone: of ``day``, or starting in (``starting_after``,
    ``starting_by``] (ISO times in the center's offset, as stored)."""
    if day is not None:
        return list(db.query("SELECT * FROM appointments WHERE day = ? AND status = 'booked' AND phone IS NOT NULL",
                             [day]))
    return list(db.query("SELECT * FROM appointments WHERE status = 'booked' AND phone IS NOT NULL "
                         "AND starts_at > ? AND starts_at <= ?", [starting_after, starting_by]))
