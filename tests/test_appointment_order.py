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
