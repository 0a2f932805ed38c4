"""Ingest: a center's numbered events into the hub, in one transaction per batch, idempotent
by (center, seq) (docs/hub.md, "Replication").

Each event carries the full new row of one of the center's tables (tickets, visits, ratings,
counters, services, fields, users, settings), or ``{"deleted": true}``. The hub keeps the
latest state of every row: tickets, stretches and ratings in their monthly partitions,
the rest in the catalog snapshot. Events at or below the cursor were applied already and are
skipped; a batch that starts past cursor + 1 is refused with the sequence expected, and one
with a gap inside is applied up to the gap. Every day a batch touches loses its roll-up in
the same transaction, so a report never counts a stale day.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime

import psycopg

from layso.errors import InvalidInput, SequenceGap
from layso.province.centers import Center
from layso.province.periods import forget_periods
from layso.province.schema import ensure_partitions, month_of

MAX_EVENTS = 5000
MAX_SEQ = 2**63 - 1
ROW_KINDS = ("tickets", "visits", "ratings")
CATALOG_KINDS = {"counters": "counters", "services": "services", "fields": "fields", "users": "users",
                 "settings": "settings", "center_settings": "settings"}
# Never kept at the hub, whatever a center sends: personal data and secrets.
PRIVATE_COLUMNS = {"status_token", "phone", "comment", "password_hash", "token_hash", "device"}

# (column, type in json_to_recordset, expression stored) per replicated table.
_TIME = "timestamptz"
COLUMNS = {
    "tickets": [
        ("id", "bigint", None), ("day", "date", None), ("service", "text", None), ("number_service", "text", None),
        ("number", "text", None), ("priority", "integer", None), ("status", "text", None), ("issued_at", _TIME, None),
        ("queued_at", _TIME, None), ("transferred", "text", "COALESCE(r.transferred, '0') NOT IN ('0', 'false')"),
        ("called_at", _TIME, None), ("finished_at", _TIME, None), ("closed_at", _TIME, None),
        ("counter", "integer", None), ("officer", "text", None), ("wait_s", "double precision", None),
        ("service_s", "double precision", None),
    ],
    "visits": [
        ("id", "bigint", None), ("ticket", "bigint", None), ("day", "date", None), ("service", "text", None),
        ("counter", "integer", None), ("officer", "text", None), ("queued_at", _TIME, None), ("called_at", _TIME, None),
        ("wait_s", "double precision", None), ("ended_at", _TIME, None), ("outcome", "text", None),
        ("service_s", "double precision", None),
    ],
    "ratings": [
        ("id", "bigint", None), ("ticket", "bigint", None), ("day", "date", None), ("at", _TIME, None),
        ("level", "text", None), ("reasons", "text", "COALESCE(r.reasons, '[]')::jsonb"), ("officer", "text", None),
        ("counter", "integer", None), ("service", "text", None),
    ],
}


def _upsert_sql(table: str) -> str:
    columns = COLUMNS[table]
    names = [name for name, _, _ in columns]
    record = ", ".join(f"{name} {kind}" for name, kind, _ in columns)
    values = ", ".join(expression or f"r.{name}" for name, _, expression in columns)
    updates = ", ".join(f"{name} = excluded.{name}" for name in names if name not in ("id", "day"))
    return (
        f"INSERT INTO {table} (center, {', '.join(names)}) "
        f"SELECT %s, {values} FROM json_to_recordset(%s::json) AS r({record}) "
        f"ON CONFLICT (center, day, id) DO UPDATE SET {updates}"
    )


UPSERT = {table: _upsert_sql(table) for table in ROW_KINDS}


@dataclass
class Applied:
    """What a batch changed: the new cursor, and what the live view must look at again."""

    center: Center
    acked: int
    applied: int = 0
    days: set = field(default_factory=set)
    kinds: set = field(default_factory=set)


def check_batch(body) -> list[dict]:
    """The events of an ingest body, checked for shape (not yet for order). Raises InvalidInput."""
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list):
        raise InvalidInput("Cần danh sách 'events'.", message_en="'events' must be a list.")
    if len(events) > MAX_EVENTS:
        raise InvalidInput(f"Tối đa {MAX_EVENTS} sự kiện mỗi lần gửi.", message_en=f"At most {MAX_EVENTS} events per batch.")
    for event in events:
        if not isinstance(event, dict):
            raise InvalidInput("Mỗi sự kiện phải là một đối tượng JSON.", message_en="Each event must be an object.")
        seq = event.get("seq")
        if type(seq) is not int or not 1 <= seq <= MAX_SEQ:
            raise InvalidInput("'seq' phải là số nguyên dương.", message_en="'seq' must be a positive integer.")
        if not isinstance(event.get("kind"), str) or type(event.get("key")) not in (str, int):
            raise InvalidInput(f"Sự kiện {seq}: thiếu 'kind' hoặc 'key'.", message_en=f"Event {seq}: 'kind' and 'key' are required.")
        if not isinstance(event.get("data"), dict):
            raise InvalidInput(f"Sự kiện {seq}: 'data' phải là một đối tượng.", message_en=f"Event {seq}: 'data' must be an object.")
    return events


def _day_of(seq: int, data: dict) -> date:
    try:
        return date.fromisoformat(data["day"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(f"Sự kiện {seq}: 'day' phải là ngày YYYY-MM-DD.",
                           message_en=f"Event {seq}: 'day' must be a YYYY-MM-DD date.") from None


def contiguous(events: list[dict], acked: int) -> list[dict]:
    """The events after ``acked`` in sequence order, up to the first gap, the last of each
    sequence kept once. Raises SequenceGap when the first is not ``acked + 1``."""
    fresh = sorted({event["seq"]: event for event in events if event["seq"] > acked}.values(), key=lambda e: e["seq"])
    if fresh and fresh[0]["seq"] != acked + 1:
        raise SequenceGap(expected=acked + 1)
    run = []
    for event in fresh:
        if event["seq"] != acked + 1 + len(run):
            break
        run.append(event)
    return run


def months_of(events: list[dict]) -> set[date]:
    """The months whose partitions a batch needs (checking each row's day on the way)."""
    return {month_of(_day_of(event["seq"], event["data"])) for event in events
            if event["kind"] in ROW_KINDS and event["data"].get("deleted") is not True}


def apply_batch(connection: psycopg.Connection, center: Center, events: list[dict], *, now: datetime,
                known_months: set) -> Applied:
    """Apply a checked batch for ``center`` in one transaction (the cursor row is locked, so
    two batches of one center never interleave). ``connection`` is in autocommit mode; the
    partitions a batch needs are made first, each in a short transaction of its own. Returns
    what was applied. Raises SequenceGap, InvalidInput (a row the database refuses: nothing
    of the batch is kept)."""
    ensure_partitions(connection, months_of(events), known=known_months)
    rows: dict = {kind: {} for kind in ROW_KINDS}
    catalog: dict = {}
    with connection.transaction():
        (acked,) = connection.execute("SELECT acked FROM centers WHERE id = %s FOR UPDATE", [center.id]).fetchone()
        run = contiguous(events, acked)
        for event in run:  # the latest state of each row wins
            kind, key, data = event["kind"], str(event["key"]), event["data"]
            deleted = data.get("deleted") is True
            if kind in ROW_KINDS:
                rows[kind][key] = None if deleted else (event["seq"], data)
            elif kind in CATALOG_KINDS:
                catalog[CATALOG_KINDS[kind], key] = None if deleted else data
        result = Applied(center=center, acked=run[-1]["seq"] if run else acked, applied=len(run))
        try:
            for kind in ROW_KINDS:
                _apply_rows(connection, center, kind, rows[kind], result)
            for (kind, key), data in catalog.items():
                result.kinds.add(kind)
                if data is None:
                    connection.execute("DELETE FROM catalog WHERE center = %s AND kind = %s AND key = %s",
                                       [center.id, kind, key])
                    continue
                connection.execute(
                    "INSERT INTO catalog (center, kind, key, data) VALUES (%s, %s, %s, %s::jsonb) "
                    "ON CONFLICT (center, kind, key) DO UPDATE SET data = excluded.data",
                    [center.id, kind, key, json.dumps(_public(data))],
                )
        except (psycopg.errors.DataError, psycopg.errors.IntegrityError) as refused:
            raise InvalidInput(f"Dữ liệu bị từ chối: {refused.diag.message_primary}",
                               message_en=f"Rows refused: {refused.diag.message_primary}") from None
        if result.days:
            days = sorted(result.days)
            connection.execute("DELETE FROM rollup_days WHERE center = %s AND day = ANY(%s)", [center.id, days])
            connection.execute("DELETE FROM rollup WHERE center = %s AND day = ANY(%s)", [center.id, days])
            forget_periods(connection, center.id, days)  # the days' months and years too
        connection.execute("UPDATE centers SET acked = %s, last_contact = %s WHERE id = %s",
                           [result.acked, now, center.id])
    return result


def _public(data: dict) -> dict:
    # A center sends none of these (docs/hub-sync.md), so the usual row passes as it is: copying
    # every row without them took about 2 µs of the hub's 13 µs an event (docs/benchmarks.md).
    if PRIVATE_COLUMNS.isdisjoint(data):
        return data
    return {name: value for name, value in data.items() if name not in PRIVATE_COLUMNS}


def _apply_rows(connection, center: Center, kind: str, by_key: dict, result: Applied) -> None:
    """Delete and upsert the latest state of ``kind``'s rows; the days they touch are noted."""
    deleted = [int(key) for key, latest in by_key.items() if latest is None and key.lstrip("-").isdigit()]
    if deleted:
        gone = connection.execute(f"DELETE FROM {kind} WHERE center = %s AND id = ANY(%s) RETURNING day",
                                  [center.id, deleted]).fetchall()
        result.days.update(day for (day,) in gone)
        result.kinds.add(kind)
    upserts = []
    for key, latest in by_key.items():
        if latest is not None:
            seq, data = latest
            result.days.add(_day_of(seq, data))
            row = _public(data)
            upserts.append(row if "id" in row else row | {"id": key})
    if upserts:
        result.kinds.add(kind)
        connection.execute(UPSERT[kind], [center.id, json.dumps(upserts, separators=(",", ":"))])
