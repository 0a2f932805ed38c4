"""The remote limits hold when requests race: they are checked inside the issuing
transaction, so the last allowed number goes to exactly one of the racers (threads, and
processes on one database file)."""

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from layso.errors import TooManyRequests
from layso.queue.tickets import issue_ticket
from layso.store.db import open_db

RACERS = 8


def take_remote(path, service, phone, now, barrier) -> str:
    """One remote number for ``phone``: "issued" or the refusal's code."""
    db = open_db(path)
    try:
        barrier.wait(timeout=30)
        issue_ticket(db, service, now=now, channel="remote", phone=phone)
        return "issued"
    except TooManyRequests as refusal:
        return refusal.code
    finally:
        db.conn.close()


def test_eight_requests_of_one_phone_at_once_get_exactly_one_number(db, settings, now):
    barrier = threading.Barrier(RACERS)
    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(lambda _: take_remote(settings.db_path, "HT", "+84912345678", now, barrier),
                                range(RACERS)))
    assert sorted(results) == ["issued"] + ["remote_limit"] * (RACERS - 1)
    assert db.execute("SELECT COUNT(*) FROM tickets WHERE phone = '+84912345678'").fetchone()[0] == 1


def test_four_processes_racing_for_a_capped_services_remote_share_get_only_its_share(db, settings, now):
    # LLTP's daily cap is 5: 30 % of it is one remote number, whoever asks first.
    context = multiprocessing.get_context("spawn")
    phones = [f"+8491234567{digit}" for digit in range(4)]
    with context.Manager() as manager, ProcessPoolExecutor(4, mp_context=context) as pool:
        barrier = manager.Barrier(4)
        futures = [pool.submit(take_remote, str(settings.db_path), "LLTP", phone, now, barrier) for phone in phones]
        results = [future.result(timeout=120) for future in futures]
    assert sorted(results) == ["issued", "remote_limit", "remote_limit", "remote_limit"]
    assert db.execute("SELECT COUNT(*) FROM tickets WHERE channel = 'remote'").fetchone()[0] == 1
