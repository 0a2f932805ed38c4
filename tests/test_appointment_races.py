"""Issue 16, "a race test for the last place in a slot (threads and two processes)": many
citizens booking the same slots at once never get more places than a slot has; every
refusal is ``slot_full``. Correctness, not fairness (docs/benchmarks.md has the timing)."""

import multiprocessing
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from layso.queue import slots
from layso.store.center import set_setting
from tests import workers

STARTS = [f"2026-11-24T{hour:02d}:{minute:02d}" for hour in (8, 9) for minute in (0, 15, 30, 45)]  # 8 slots


def configure(db, now, capacity):
    value = slots.check_settings({"services": {"HT": [{"every_min": 15, "capacity": capacity}]}}, services={"HT"})
    set_setting(db, "appointments", value, by="test", now=now)


def booked_per_slot(db) -> Counter:
    return Counter(row[0][11:16] for row in db.execute(
        "SELECT starts_at FROM appointments WHERE status = 'booked'"))


def test_two_threads_racing_for_the_last_place_exactly_one_gets_it(db, settings, now):
    configure(db, now, capacity=1)
    for _ in range(20):  # twenty rounds, each a fresh slot with one place and two citizens at the barrier
        db.execute("DELETE FROM appointments")
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda phone: workers.book_slots(
                settings.db_path, "HT", [STARTS[0]], [phone], now, barrier), ["0912000001", "0912000002"]))
        outcomes = sorted(result[0][0] for result in results)
        assert outcomes == ["booked", "slot_full"]
        assert booked_per_slot(db) == {"08:00": 1}


def test_eight_threads_booking_every_slot_never_exceed_its_capacity(db, settings, now):
    configure(db, now, capacity=2)
    threads = 8
    barrier = threading.Barrier(threads)
    phones = [[f"09120{thread:02d}{index:03d}" for index in range(len(STARTS))] for thread in range(threads)]
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda thread: workers.book_slots(
            settings.db_path, "HT", STARTS, phones[thread], now, barrier), range(threads)))
    outcomes = Counter(outcome for result in results for outcome, _ in result)
    assert outcomes == {"booked": 2 * len(STARTS), "slot_full": (threads - 2) * len(STARTS)}
    assert set(booked_per_slot(db).values()) == {2} and len(booked_per_slot(db)) == len(STARTS)


def test_two_processes_racing_on_one_file_never_exceed_a_slot(db, settings, now):
    configure(db, now, capacity=3)
    path = str(settings.db_path)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(2, mp_context=context) as pool:
        barrier = manager.Barrier(2)
        futures = [pool.submit(workers.book_slots, path, "HT", STARTS * 4,
                               [f"0913{process}{index:05d}" for index in range(len(STARTS) * 4)], now, barrier)
                   for process in range(2)]
        results = [outcome for future in futures for outcome, _ in future.result(timeout=120)]
    assert Counter(results) == {"booked": 3 * len(STARTS), "slot_full": 5 * len(STARTS)}
    assert set(booked_per_slot(db).values()) == {3}
