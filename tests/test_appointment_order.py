"""The appointment tier of the ordering (issue 16): a checked-in appointment's ticket is
called at its slot time ahead of walk-in tickets of its service; before its slot time it
waits like others; ``fifo`` makes it wait by check-in time always. Tables in the style of
test_call_next.py: tickets issued one a minute from 09:00, then called from ``calling``."""

import pytest

from layso.queue.calling import call_next
from layso.queue.counters import load_counter
from layso.queue.waiting import next_waiting, waiting_rows
from layso.store.center import get_setting, set_setting
from tests.helpers import issue, later, open_counters

# Tickets: "walk-in", "priority", "appt 09:30" (checked in, slot at 09:30), an LLTP ticket with "LLTP/" first.
CASES = [
    # before its slot an appointment waits like others, in check-in order
    ("appointment_first", "09:10", ["walk-in", "appt 09:30", "walk-in"], ["A001", "A002", "A003"]),
    # at its slot time it goes ahead of the walk-ins who came before it
    ("appointment_first", "09:30", ["walk-in", "walk-in", "appt 09:30"], ["A003", "A001", "A002"]),
    # and ahead of priority tickets (a third tier: appointment, priority, normal)
    ("appointment_first", "09:30", ["priority", "walk-in", "appt 09:30"], ["A003", "A001", "A002"]),
    # two due appointments: the earlier slot first, whoever checked in first
    ("appointment_first", "09:45", ["appt 09:45", "appt 09:15", "walk-in"], ["A002", "A001", "A003"]),
    # one due, one not yet
    ("appointment_first", "09:20", ["walk-in", "appt 09:45", "appt 09:15"], ["A003", "A001", "A002"]),
    # fifo: by check-in time, whatever the slot
    ("fifo", "09:45", ["walk-in", "walk-in", "appt 09:30"], ["A001", "A002", "A003"]),
    ("fifo", "09:45", ["priority", "appt 09:15", "walk-in"], ["A001", "A002", "A003"]),
    # only the same service's walk-ins are passed: the counter's service preference still ranks
    # among due appointments, and an LLTP appointment goes ahead of HT walk-ins at counter 1 too
    ("appointment_first", "09:40", ["walk-in", "LLTP/appt 09:30", "walk-in"], ["B001", "A001", "A002"]),
]


def issue_kind(db, kind: str, moment):
    service, _, kind = kind.rpartition("/")
    service = service or "HT"
    if kind.startswith("appt"):
        slot = moment.replace(hour=int(kind[5:7]), minute=int(kind[8:10]))
        return issue(db, service, moment, channel="appointment", appointment_at=slot.isoformat(timespec="seconds"))
    return issue(db, service, moment, priority=kind == "priority")


@pytest.mark.parametrize("policy, calling, tickets, expected", CASES)
def test_appointment_tier(db, now, policy, calling, tickets, expected):
    set_setting(db, "appointments", {"ordering": policy}, by="test", now=now)
    open_counters(db, now, c1="an")
    for minute, kind in enumerate(tickets):
        issue_kind(db, kind, later(now, minutes=minute))
    moment = now.replace(hour=int(calling[:2]), minute=int(calling[3:]))
    labels = []
    for step in range(len(tickets)):
        labels.append(call_next(db, 1, officer="an", now=later(moment, seconds=step)).value["number"])
    assert labels == expected


def test_transferred_tickets_still_come_before_due_appointments(db, now):
    from layso.queue.calling import transfer

    open_counters(db, now, c1="an", c2="binh")
    issue_kind(db, "appt 09:30", now)
    issue(db, "LLTP", now)
    call_next(db, 2, officer="binh", now=later(now, minutes=1))  # counter 2 prefers LLTP: B001
    transfer(db, 2, officer="binh", service="HT", now=later(now, minutes=2))
    assert call_next(db, 1, officer="an", now=later(now, minutes=31)).value["number"] == "B001"
    assert call_next(db, 1, officer="an", now=later(now, minutes=32)).value["number"] == "A001"


@pytest.mark.parametrize("policy", ["appointment_first", "fifo"])
@pytest.mark.parametrize("ordering", ["strict", "interleave"])
def test_next_waiting_is_the_head_of_the_console_list_with_appointments(db, now, policy, ordering):
    """call-next's index seeks and the console's sorted list agree when appointments wait."""
    set_setting(db, "queue", {**get_setting(db, "queue", {}), "ordering": ordering}, by="test", now=now)
    set_setting(db, "appointments", {"ordering": policy}, by="test", now=now)
    for minute, kind in enumerate(["walk-in", "appt 09:05", "LLTP/priority", "appt 09:45", "priority",
                                   "LLTP/appt 09:00", "walk-in", "LLTP/walk-in", "appt 09:05"]):
        issue_kind(db, kind, later(now, minutes=minute))
    db.execute("UPDATE tickets SET transferred = 1 WHERE id = 8")
    moment = later(now, minutes=20)
    day = now.date().isoformat()
    for number in (1, 2):
        counter = load_counter(db, number)
        called = []
        while (head := next(iter(waiting_rows(db, counter, day=day, limit=1, now=moment)), None)) is not None:
            assert next_waiting(db, counter, day=day, now=moment)["id"] == head["id"]
            db.execute("UPDATE tickets SET status = 'called' WHERE id = ?", [head["id"]])
            called.append(head["id"])
        db.execute("UPDATE tickets SET status = 'waiting' WHERE id IN (%s)" % ", ".join(map(str, called)))
        assert len(called) == 9
        if policy == "appointment_first":
            assert called[:2] == [8, 6] if number == 1 else called[0] == 8


# People ahead (issue 16): the figure on the status page, the ticket and the "N people ahead"
# notice counts those the ordering above will call first, at the moment it is asked.
# (policy, asked at, tickets issued one a minute from 09:00, people ahead of each in issue order)
AHEAD_CASES = [
    # before its slot an appointment waits like others: counted by check-in time
    ("appointment_first", "09:10", ["walk-in", "appt 09:30", "walk-in"], [0, 1, 2]),
    # from its slot it is ahead of the walk-ins who came before it
    ("appointment_first", "09:30", ["walk-in", "walk-in", "appt 09:30"], [1, 2, 0]),
    # and of priority tickets; a later walk-in has everyone ahead
    ("appointment_first", "09:30", ["priority", "walk-in", "appt 09:30", "walk-in"], [1, 2, 0, 3]),
    # two due: the earlier slot first, whoever checked in first
    ("appointment_first", "09:45", ["appt 09:45", "appt 09:15", "walk-in"], [1, 0, 2]),
    # one due, one not yet: the one not due waits by check-in time
    ("appointment_first", "09:20", ["walk-in", "appt 09:45", "appt 09:15"], [1, 2, 0]),
    # fifo: check-in time only, priority still first
    ("fifo", "09:45", ["walk-in", "walk-in", "appt 09:30"], [0, 1, 2]),
    ("fifo", "09:45", ["priority", "appt 09:15", "walk-in"], [0, 1, 2]),
    # another service's appointment is not in this queue
    ("appointment_first", "09:40", ["walk-in", "LLTP/appt 09:30", "walk-in"], [0, 0, 1]),
]


@pytest.mark.parametrize("policy, asked, tickets, expected", AHEAD_CASES)
def test_people_ahead_count_who_the_ordering_calls_first(db, now, policy, asked, tickets, expected):
    from layso.queue.estimates import ticket_position

    set_setting(db, "appointments", {"ordering": policy}, by="test", now=now)
    ids = [issue_kind(db, kind, later(now, minutes=minute))["id"] for minute, kind in enumerate(tickets)]
    moment = now.replace(hour=int(asked[:2]), minute=int(asked[3:]))
    rows = {row["id"]: row for row in db.query("SELECT * FROM tickets")}
    assert [ticket_position(db, rows[ticket_id], now=moment)[0] for ticket_id in ids] == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_people_ahead_is_the_place_in_the_call_order_through_a_random_morning(db, now, seed):
    """After every step of a random morning (walk-ins, priority, appointments checked in,
    calls, transfers), each waiting ticket's people ahead equals its place among its
    service's tickets as the counters would call them (call order of a counter serving
    only that service)."""
    import json
    import random
    from datetime import timedelta

    from layso.errors import LaysoError
    from layso.queue.calling import transfer
    from layso.queue.estimates import ticket_position

    rng = random.Random(seed)
    open_counters(db, now, c1="an")
    seen_due = 0
    for step in range(120):
        moment = later(now, minutes=step // 2)
        kind = rng.choice(["walk-in", "walk-in", "priority", "appt", "appt", "LLTP/walk-in", "call", "transfer"])
        try:
            if kind == "appt":
                slot = now + timedelta(minutes=rng.randrange(0, 80))
                issue(db, "HT", moment, channel="appointment", appointment_at=slot.isoformat(timespec="seconds"))
            elif kind == "call":
                call_next(db, 1, officer="an", now=moment)
            elif kind == "transfer":
                transfer(db, 1, officer="an", service=rng.choice(["HT", "LLTP"]), now=moment)
            else:
                issue_kind(db, kind, moment)
        except LaysoError:
            pass  # nobody to call or transfer, a service's numbers used up: as at a real counter
        if step % 6:
            continue
        for service in ("HT", "LLTP"):
            # the service's call order: a counter serving it alone, nothing aimed at a counter
            db.execute("UPDATE counters SET services = ? WHERE number = 4", [json.dumps([service])])
            counter = load_counter(db, 4)
            in_order = [row for row in waiting_rows(db, counter, day=now.date().isoformat(), now=moment)]
            for place, row in enumerate(in_order):
                assert ticket_position(db, row, now=moment)[0] == place, (step, row["number"])
                seen_due += bool(row["appointment_at"] and row["appointment_at"] <= moment.isoformat())
    assert seen_due  # due appointments were among those checked
