"""Code run in other processes by the race and migration tests (spawned: importable, top level)."""

from layso.queue.calling import call_next
from layso.queue.counters import open_counter
from layso.queue.tickets import issue_ticket
from layso.store.db import open_db
from layso.store.migrations import migrate


def migrate_new_files(paths, barrier):
    """For each path: wait for the other process, then open (creating it) and migrate."""
    for path in paths:
        barrier.wait(timeout=30)
        db = open_db(path)
        migrate(db)
        db.conn.close()
    return "migrated"


def issue_many(path, service, count, now, barrier):
    """Issue ``count`` tickets; return their ids."""
    db = open_db(path)
    barrier.wait(timeout=30)
    ids = [issue_ticket(db, service, now=now).value["id"] for _ in range(count)]
    db.conn.close()
    return ids


def call_until_empty(path, counter, officer, now, barrier, *, open_first=False):
    """Call next at one counter until nobody waits; return the ids called, in order."""
    db = open_db(path)
    if open_first:
        open_counter(db, counter, officer=officer, now=now)
    barrier.wait(timeout=30)
    called = []
    while (ticket := call_next(db, counter, officer=officer, now=now).value) is not None:
        called.append(ticket["id"])
    db.conn.close()
    return called


def book_slots(path, service, starts, phones, now, barrier):
    """Try to book each start with the matching phone; return ("booked", code) or
    ("full", start) or (error code, start) for each try, in order."""
    from layso.errors import LaysoError
    from layso.queue.appointments import book

    db = open_db(path)
    barrier.wait(timeout=30)
    results = []
    for start, phone in zip(starts, phones):
        try:
            results.append(("booked", book(db, service=service, start=start, phone=phone, now=now).value["start"]))
        except LaysoError as refused:
            results.append((refused.code, start))
    db.conn.close()
    return results
