"""Call next (gọi số tiếp theo): who a counter calls, atomically, across its services."""

from datetime import datetime

import pytest

from layso.errors import CounterNotHeld, CounterPaused, UnknownCounter
from layso.events import RATING_REQUESTED, TICKET_CALLED, TICKET_FINISHED
from layso.queue.calling import call_next, transfer
from layso.queue.counters import pause_counter
from tests.helpers import TZ, change_setting, issue, later, open_counters, serve, ticket_row


@pytest.fixture
def counters(db, now):
    """Counter 1 (HT, LLTP) held by an, 2 (LLTP, HT) by binh, 3 (GCN) by cuong, 4 (GCN, HT) by dung."""
    open_counters(db, now, c1="an", c2="binh", c3="cuong", c4="dung")


def called(db, counter, officer, now, times=1):
    """The labels a counter calls, ``times`` calls in a row (None when nobody waits)."""
    labels = []
    for index in range(times):
        ticket = call_next(db, counter, officer=officer, now=later(now, minutes=30 + index)).value
        labels.append(ticket and ticket["number"])
    return labels


def test_call_next_serves_priority_before_older_normal_ticket(db, now, counters):
    issue(db, "HT", now)
    issue(db, "HT", later(now, minutes=5), priority_reason="elderly")
    assert called(db, 1, "an", now, times=2) == ["A002", "A001"]


def test_call_next_serves_normal_tickets_oldest_first(db, now, counters):
    for minute in range(4):
        issue(db, "HT", later(now, minutes=minute))
    assert called(db, 1, "an", now, times=4) == ["A001", "A002", "A003", "A004"]


def test_call_next_serves_priority_tickets_oldest_first(db, now, counters):
    issue(db, "HT", now, priority_reason="merit")
    issue(db, "HT", later(now, minutes=1))
    issue(db, "HT", later(now, minutes=2), priority_reason="elderly")
    assert called(db, 1, "an", now, times=3) == ["A001", "A003", "A002"]


def test_call_next_follows_the_counter_service_preference_within_a_tier(db, now, counters):
    issue(db, "LLTP", now)  # older, but counter 1 prefers HT
    issue(db, "HT", later(now, minutes=5))
    assert called(db, 1, "an", now) == ["A001"]
    issue(db, "HT", later(now, minutes=6))
    assert called(db, 2, "binh", later(now, minutes=1)) == ["B001"]  # counter 2 prefers LLTP


def test_call_next_priority_tier_comes_before_service_preference(db, now, counters):
    issue(db, "HT", now)
    issue(db, "LLTP", later(now, minutes=1), priority_reason="disabled")
    assert called(db, 1, "an", now) == ["B001"]


def test_call_next_only_calls_services_the_counter_serves(db, now, counters):
    issue(db, "HT", now)
    assert called(db, 3, "cuong", now) == [None]
    assert ticket_row(db, 1)["status"] == "waiting"


def test_call_next_serves_tickets_transferred_into_its_services_first(db, now, counters):
    issue(db, "GCN", now)
    call_next(db, 3, officer="cuong", now=later(now, minutes=1))
    issue(db, "HT", later(now, minutes=2), priority_reason="elderly")
    issue(db, "HT", later(now, minutes=3))
    transfer(db, 3, officer="cuong", now=later(now, minutes=10), service="HT")
    assert called(db, 1, "an", now, times=3) == ["D001", "A001", "A002"]


def test_call_next_ticket_transferred_to_a_counter_is_called_only_there(db, now, counters):
    issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    transfer(db, 1, officer="an", now=later(now, minutes=5), counter=2)
    issue(db, "HT", later(now, minutes=6))
    assert called(db, 4, "dung", now, times=2) == ["A002", None]
    assert ticket_row(db, 1)["status"] == "waiting"


def test_call_next_ticket_transferred_to_a_counter_is_called_first_there(db, now, counters):
    issue(db, "GCN", now)
    call_next(db, 3, officer="cuong", now=later(now, minutes=1))
    issue(db, "LLTP", later(now, minutes=2), priority_reason="elderly")
    issue(db, "HT", later(now, minutes=3))
    call_next(db, 4, officer="dung", now=later(now, minutes=4))  # A001 at counter 4
    transfer(db, 4, officer="dung", now=later(now, minutes=6), service="LLTP")  # into LLTP's head
    transfer(db, 3, officer="cuong", now=later(now, minutes=8), counter=2, force=True)  # D001 to counter 2 only
    assert called(db, 2, "binh", now, times=3) == ["D001", "A001", "B001"]


def test_call_next_interleave_calls_a_normal_ticket_after_n_priority_calls_in_a_row(db, now, counters):
    change_setting(db, "queue", ordering="interleave", interleave_priority_run=2)
    issue(db, "HT", now)  # A001 normal
    issue(db, "HT", later(now, minutes=1))  # A002 normal
    for minute in range(2, 7):
        issue(db, "HT", later(now, minutes=minute), priority_reason="elderly")  # A003..A007
    assert called(db, 1, "an", now, times=7) == ["A003", "A004", "A001", "A005", "A006", "A002", "A007"]


def test_call_next_interleave_keeps_calling_priority_while_no_normal_ticket_waits(db, now, counters):
    change_setting(db, "queue", ordering="interleave", interleave_priority_run=2)
    for minute in range(3):
        issue(db, "HT", later(now, minutes=minute), priority_reason="elderly")
    assert called(db, 1, "an", now, times=3) == ["A001", "A002", "A003"]
    issue(db, "HT", later(now, minutes=40), priority_reason="pregnant")  # A004
    issue(db, "HT", later(now, minutes=41))  # A005 normal: it has waited behind a run of 3
    assert called(db, 1, "an", later(now, minutes=20), times=2) == ["A005", "A004"]


def test_call_next_interleave_run_is_counted_per_counter(db, now, counters):
    change_setting(db, "queue", ordering="interleave", interleave_priority_run=1)
    issue(db, "HT", now)  # A001 normal
    issue(db, "HT", later(now, minutes=1), priority_reason="elderly")  # A002
    issue(db, "HT", later(now, minutes=2), priority_reason="elderly")  # A003
    assert called(db, 1, "an", now) == ["A002"]
    assert called(db, 2, "binh", now) == ["A003"]  # counter 2 has no run yet
    assert called(db, 1, "an", later(now, minutes=1)) == ["A001"]


def test_call_next_strict_never_interleaves(db, now, counters):
    issue(db, "HT", now)
    for minute in range(1, 4):
        issue(db, "HT", later(now, minutes=minute), priority_reason="elderly")
    assert called(db, 1, "an", now, times=4) == ["A002", "A003", "A004", "A001"]


def test_call_next_refuses_a_paused_counter(db, now, counters):
    issue(db, "HT", now)
    pause_counter(db, 1, officer="an", reason="Nghỉ giải lao", now=now)
    with pytest.raises(CounterPaused):
        call_next(db, 1, officer="an", now=later(now, minutes=1))
    assert ticket_row(db, 1)["status"] == "waiting"


def test_call_next_refuses_an_officer_who_does_not_hold_the_counter(db, now, counters):
    issue(db, "HT", now)
    with pytest.raises(CounterNotHeld):
        call_next(db, 1, officer="binh", now=now)
    with pytest.raises(CounterNotHeld):
        call_next(db, 1, officer="quanly", now=now)
    assert ticket_row(db, 1)["status"] == "waiting"


def test_call_next_refuses_a_closed_counter(db, now):
    issue(db, "HT", now)
    with pytest.raises(CounterNotHeld):
        call_next(db, 1, officer="an", now=now)


def test_call_next_refuses_an_unknown_counter(db, now):
    with pytest.raises(UnknownCounter):
        call_next(db, 99, officer="an", now=now)


def test_call_next_with_nobody_waiting_returns_none_and_no_events(db, now, counters):
    outcome = call_next(db, 1, officer="an", now=now)
    assert (outcome.value, outcome.events) == (None, [])


def test_call_next_marks_the_ticket_called_at_this_counter(db, now, counters):
    issue(db, "HT", now)
    ticket = call_next(db, 1, officer="an", now=later(now, minutes=7)).value
    assert (ticket["number"], ticket["status"], ticket["counter"]) == ("A001", "called", 1)
    row = ticket_row(db, ticket["id"])
    assert (row["status"], row["counter"], row["officer"], row["calls"], row["wait_s"]) == ("called", 1, "an", 1, 420)
    assert row["called_at"] == row["first_called_at"] == "2026-11-23T09:07:00+07:00"
    counter = db.table("counters").get(1)
    assert (counter["status"], counter["current_ticket"]) == ("serving", ticket["id"])


def test_call_next_while_serving_finishes_the_current_ticket_first(db, now, counters):
    issue(db, "HT", now)
    issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    outcome = call_next(db, 1, officer="an", now=later(now, minutes=6))
    assert outcome.value["number"] == "A002"
    assert [event.name for event in outcome.events if event.name != "counter.updated"] == [
        TICKET_FINISHED, RATING_REQUESTED, TICKET_CALLED]
    first = ticket_row(db, 1)
    assert (first["status"], first["finished_at"], first["service_s"]) == ("finished", "2026-11-23T09:06:00+07:00", 300)
    rating_request = next(event for event in outcome.events if event.name == RATING_REQUESTED)
    assert rating_request.data["ticket"]["number"] == "A001"


def test_call_next_never_calls_tickets_of_previous_days(db, counters):
    friday = datetime(2026, 11, 20, 16, 0, tzinfo=TZ)
    monday = datetime(2026, 11, 23, 8, 0, tzinfo=TZ)
    issue(db, "HT", friday)
    assert call_next(db, 1, officer="an", now=monday).value is None
    assert ticket_row(db, 1)["status"] == "waiting"
    assert issue(db, "HT", monday)["number"] == "A001"
    assert call_next(db, 1, officer="an", now=later(monday, minutes=1)).value["id"] == 2


def test_call_next_gives_each_waiting_ticket_to_one_counter_only(db, now, counters):
    for minute in range(3):
        issue(db, "HT", later(now, minutes=minute))
    labels = [call_next(db, number, officer=officer, now=later(now, minutes=10)).value["number"]
              for number, officer in ((1, "an"), (2, "binh"), (4, "dung"))]
    assert labels == ["A001", "A002", "A003"]
    assert called(db, 1, "an", later(now, minutes=20)) == [None]


def test_call_next_after_a_served_ticket_continues_the_queue(db, now, counters):
    issue(db, "HT", now)
    issue(db, "HT", now)
    assert serve(db, 1, "an", later(now, minutes=1))["number"] == "A001"
    assert called(db, 1, "an", now) == ["A002"]
