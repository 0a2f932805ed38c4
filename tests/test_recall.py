"""Recall (gọi lại): the current ticket is called again; screens and voice repeat it."""

import pytest

from layso.errors import CounterNotHeld, NoCurrentTicket
from layso.events import TICKET_RECALLED
from layso.queue.calling import call_next, finish, recall
from tests.helpers import issue, later, open_counters, ticket_row, trail


@pytest.fixture
def serving(db, now):
    open_counters(db, now, c1="an", c2="binh")
    issue(db, "HT", now)
    return call_next(db, 1, officer="an", now=later(now, minutes=1)).value


def test_recall_calls_the_same_ticket_again_and_counts_the_call(db, now, serving):
    outcome = recall(db, 1, officer="an", now=later(now, minutes=2))
    assert (outcome.value["number"], outcome.value["status"]) == ("A001", "called")
    assert outcome.events[0].name == TICKET_RECALLED
    assert outcome.events[0].data["counter"] == 1
    row = ticket_row(db, serving["id"])
    assert (row["calls"], row["called_at"]) == (2, "2026-11-23T09:01:00+07:00")  # the wait ended at the first call


def test_recall_is_written_in_the_ticket_trail(db, now, serving):
    recall(db, 1, officer="an", now=later(now, minutes=2))
    assert trail(db, serving["id"])[-1] == ("recalled", 1, "an")


def test_recall_refuses_a_counter_with_no_current_ticket(db, now, serving):
    finish(db, 1, officer="an", now=later(now, minutes=2))
    with pytest.raises(NoCurrentTicket):
        recall(db, 1, officer="an", now=later(now, minutes=3))
    with pytest.raises(NoCurrentTicket):
        recall(db, 2, officer="binh", now=later(now, minutes=3))


def test_recall_refuses_an_officer_who_does_not_hold_the_counter(db, now, serving):
    with pytest.raises(CounterNotHeld):
        recall(db, 1, officer="binh", now=later(now, minutes=2))
    assert ticket_row(db, serving["id"])["calls"] == 1
