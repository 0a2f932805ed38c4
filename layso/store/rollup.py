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


def load_parts(db, grouping: str, first: str, last: str):
    """Yield (key, part) for every stored row of ``grouping`` from ``first`` to ``last``;
    a part's wait_s and service_s are sorted arrays."""
    rows = db.execute(
        "SELECT key, issued, served, no_show, transferred, not_rated, ratings, wait_s, service_s FROM report_rollup "
        "WHERE grouping = ? AND day BETWEEN ? AND ?", [grouping, first, last],
    )
    for key, *counts, ratings, wait_s, service_s in rows:
        part = dict(zip(COUNTS, counts))
        part.update(ratings=json.loads(ratings), wait_s=unpack(wait_s), service_s=unpack(service_s))
        yield key, part
