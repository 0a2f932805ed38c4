"""Storage of the reports' daily roll-up (m006): rows per day × grouping × key, and the
list of days built. What goes in the rows and when a day may be built is decided in
layso/reports/rollup.py; here are only the reads and writes of the two tables.
"""

import json
import sys
from array import array

# The blobs are little-endian whatever the machine, so a backup opens anywhere.
_SWAP = sys.byteorder == "big"
COUNTS = ("issued", "served", "no_show", "transferred", "not_rated")


def pack(values) -> bytes:
    """Sorted float64 values → bytes (the exact doubles SQLite stores in REAL columns)."""
    packed = array("d", values)
    if _SWAP:
        packed.byteswap()
    return packed.tobytes()


def unpack(blob: bytes) -> array:
    values = array("d")
    values.frombytes(blob)
    if _SWAP:
        values.byteswap()
    return values


def built_days(db, first: str, last: str, *, version: int) -> set[str]:
    """Days from ``first`` to ``last`` whose roll-up is built with ``version``."""
    return {
        day for (day,) in db.execute(
            "SELECT day FROM report_rollup_days WHERE day BETWEEN ? AND ? AND version = ?", [first, last, version]
        )
    }


def save_day(db, day: str, parts: dict, *, version: int, built_at: str) -> None:
    """Replace the day's rows with ``parts`` ({grouping: {key: part}}) and mark it built.
    Call inside a write transaction."""
    forget_days(db, [day])
    db.conn.executemany(
        "INSERT INTO report_rollup (day, grouping, key, issued, served, no_show, transferred, not_rated, ratings, "
        "wait_s, service_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (day, grouping, key, *(part[name] for name in COUNTS), json.dumps(part["ratings"], sort_keys=True),
             pack(part["wait_s"]), pack(part["service_s"]))
            for grouping, by_key in parts.items()
            for key, part in by_key.items()
        ],
    )
    db.execute("INSERT INTO report_rollup_days (day, version, built_at) VALUES (?, ?, ?)", [day, version, built_at])


def forget_days(db, days) -> None:
    """Drop the roll-up of ``days`` (it is rebuilt when next needed). Call inside a write
    transaction, with the change that made it stale."""
    for day in days:
        db.execute("DELETE FROM report_rollup WHERE day = ?", [day])
        db.execute("DELETE FROM report_rollup_days WHERE day = ?", [day])


def load_totals(db, grouping: str, first: str, last: str) -> dict:
    """{key: totals} of ``grouping`` from ``first`` to ``last``: the counts and ratings summed
    (by SQLite), and wait_s / service_s as the list of each stored day's sorted values."""
    period = [grouping, first, last]
    where = "WHERE grouping = ? AND day BETWEEN ? AND ?"
    totals = {
        key: dict(zip(COUNTS, counts)) | {"ratings": {}, "wait_s": [], "service_s": []}
        for key, *counts in db.execute(
            f"SELECT key, {', '.join(f'SUM({name})' for name in COUNTS)} FROM report_rollup {where} GROUP BY key", period)
    }
    ratings = db.execute(
        f"SELECT r.key, level.key, SUM(level.value) FROM report_rollup r, json_each(r.ratings) level {where} "
        "GROUP BY 1, 2", period,
    )
    for key, level, count in ratings:
        totals[key]["ratings"][level] = count
    for key, wait_s, service_s in db.execute(f"SELECT key, wait_s, service_s FROM report_rollup {where}", period):
        totals[key]["wait_s"].append(unpack(wait_s))
        totals[key]["service_s"].append(unpack(service_s))
    return totals
