"""``Idempotency-Key``: a repeated key gets the first answer and changes nothing.

The key's record is written in the same transaction as the action, so even two copies
of one request racing each other act once: the second waits for the write lock, then
finds the first one's answer.
"""

import json
from datetime import datetime, timedelta

from flask import request

from layso.clock import iso
from layso.errors import InvalidInput
from layso.store.db import write
from layso.web.context import db, now

MAX_KEY_LENGTH = 200
KEEP_KEYS = timedelta(hours=24)  # a console retries within seconds; each key keeps a full answer


def run_idempotent(scope: str, action):
    """Run ``action() -> (status, body, events)`` at most once per Idempotency-Key.

    Returns (status, body, events); a replay returns the stored answer and no events.
    Only successful answers are stored: a refused action changed nothing, so retrying
    it is safe.
    """
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return action()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput("Idempotency-Key không hợp lệ.", message_en="Invalid Idempotency-Key.")
    scope = f"{scope} {request.method} {request.path}"
    with write(db()):
        row = db().execute(
            "SELECT status, body FROM idempotency_keys WHERE scope = ? AND key = ?", [scope, key]
        ).fetchone()
        if row is not None:
            return row[0], json.loads(row[1]), []
        status, body, events = action()
        db().execute(  # plain INSERT: sqlite-utils' insert() inspects the schema every time
            "INSERT INTO idempotency_keys (scope, key, status, body, created_at) VALUES (?, ?, ?, ?, ?)",
            [scope, key, status, json.dumps(body, ensure_ascii=False), iso(now())],
        )
    return status, body, events


def forget_old_keys(database, *, now: datetime) -> int:
    """Delete the keys (and the answers they replay) older than KEEP_KEYS; return how many."""
    with write(database):
        return database.execute("DELETE FROM idempotency_keys WHERE created_at < ?", [iso(now - KEEP_KEYS)]).rowcount
