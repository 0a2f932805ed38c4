"""Races that really race: many threads and several processes on one database file.
They prove correctness (every label unique, nothing called twice, nothing lost), not
fairness: SQLite's write lock is not shared fairly between processes."""

import multiprocessing
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from layso.errors import AlreadyRated, ServiceClosed
from layso.queue.calling import call_next, finish
from layso.queue.ratings import rate
from layso.queue.tickets import issue_ticket
from layso.store.db import open_db
from tests import workers
from tests.helpers import issue, later, open_counters

THREADS = 8
TICKETS_EACH = 25


def labels_and_seqs(db, service):
    rows = db.execute("SELECT number, seq FROM tickets WHERE service = ? ORDER BY seq", [service]).fetchall()
    return [row[0] for row in rows], [row[1] for row in rows]


def calls_per_ticket(db):
    return Counter(row[0] for row in db.execute("SELECT ticket FROM visits"))


def test_eight_threads_issuing_at_once_get_unique_gap_free_numbers(db, settings, now):
    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(
            lambda _: workers.issue_many(settings.db_path, "HT", TICKETS_EACH, now, barrier), range(THREADS)))
    ids = [ticket_id for result in results for ticket_id in result]
    assert len(ids) == len(set(ids)) == THREADS * TICKETS_EACH
    labels, seqs = labels_and_seqs(db, "HT")
    assert seqs == list(range(1, THREADS * TICKETS_EACH + 1))
    assert labels == [f"A{seq:03d}" for seq in seqs]


def test_four_counters_calling_next_at_once_call_every_ticket_exactly_once(db, settings, now):
    open_counters(db, now, c1="an", c2="binh", c3="cuong", c4="dung")
    for index in range(200):
        issue(db, "GCN" if index % 4 == 0 else "HT", now, priority=index % 7 == 0)
    barrier = threading.Barrier(4)
    desks = [(1, "an"), (2, "binh"), (3, "cuong"), (4, "dung")]
    with ThreadPoolExecutor(4) as pool:
        called = list(pool.map(
            lambda desk: workers.call_until_empty(settings.db_path, *desk, later(now, minutes=5), barrier), desks))
    every_call = [ticket_id for ids in called for ticket_id in ids]
    assert sorted(every_call) == list(range(1, 201))  # none lost, none twice
    assert set(calls_per_ticket(db).values()) == {1}
    # The call that found nobody waiting finished each counter's last citizen.
    assert db.execute("SELECT status, COUNT(*) FROM tickets GROUP BY status").fetchall() == [("finished", 200)]


def test_processes_issuing_and_calling_at_once_on_one_file_lose_and_repeat_nothing(db, settings, now):
    open_counters(db, now, c1="an", c2="binh")
    for _ in range(100):
        issue(db, "HT", now)
    path = str(settings.db_path)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(4, mp_context=context) as pool:
        barrier = manager.Barrier(4)
        issuers = [pool.submit(workers.issue_many, path, "HT", 50, now, barrier) for _ in range(2)]
        callers = [pool.submit(workers.call_until_empty, path, number, officer, now, barrier)
                   for number, officer in ((1, "an"), (2, "binh"))]
        issued = [ticket_id for future in issuers for ticket_id in future.result(timeout=120)]
        called = [ticket_id for future in callers for ticket_id in future.result(timeout=120)]
    assert len(issued) == len(set(issued)) == 100
    labels, seqs = labels_and_seqs(db, "HT")
    assert seqs == list(range(1, 201)) and len(set(labels)) == 200
    assert len(called) == len(set(called))  # no ticket called twice
    # Callers stop when the queue is empty for a moment; whatever the issuers added after
    # is still waiting, not lost: drain it here.
    leftovers = workers.call_until_empty(path, 1, "an", now, threading.Barrier(1))
    assert sorted(called + leftovers) == list(range(1, 201))
    assert set(calls_per_ticket(db).values()) == {1}


def test_two_tablets_rating_the_same_ticket_at_once_store_exactly_one_rating(db, settings, now):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    finish(db, 1, officer="an", now=later(now, minutes=3))
    barrier = threading.Barrier(2)

    def rate_once(level):
        tablet = open_db(settings.db_path)
        barrier.wait(timeout=30)
        try:
            return rate(tablet, ticket_id=ticket["id"], counter=1, level=level, device="tablet-1",
                        now=later(now, minutes=4)).value["level"]
        except AlreadyRated:
            return "already_rated"
        finally:
            tablet.conn.close()

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(rate_once, ["very_satisfied", "satisfied"]))
    assert results in (["already_rated", "satisfied"], ["already_rated", "very_satisfied"])
    stored = db.execute("SELECT level FROM ratings WHERE ticket = ?", [ticket["id"]]).fetchall()
    assert stored == [(next(result for result in results if result != "already_rated"),)]


def test_threads_racing_for_the_last_numbers_under_a_daily_cap_never_exceed_it(db, settings, now):
    barrier = threading.Barrier(THREADS)

    def take_one(_):
        desk = open_db(settings.db_path)
        barrier.wait(timeout=30)
        try:
            return issue_ticket(desk, "LLTP", now=now).value["number"]  # LLTP: daily_cap 5
        except ServiceClosed:
            return None
        finally:
            desk.conn.close()

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = list(pool.map(take_one, range(THREADS)))
    assert sorted(number for number in numbers if number) == ["B001", "B002", "B003", "B004", "B005"]
    assert numbers.count(None) == THREADS - 5
