"""Hold (tạm giữ): park a citizen who must fetch a paper, and bring them back by calling
the ticket; the time parked is not waiting time."""

import pytest

from layso.errors import NoCurrentTicket, TicketNotWaiting
from layso.events import TICKET_HELD
from layso.queue.calling import call_next, call_ticket, hold, transfer
from tests.helpers import issue, later, open_counters, ticket_row, visits_of


@pytest.fixture
def held(db, now):
    """A001 (waited 2 minutes) is held at counter 1 at 09:05."""
    open_counters(db, now, c1="an", c2="binh", c3="cuong")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=2))
    hold(db, 1, officer="an", now=later(now, minutes=5))
    return ticket


def test_hold_parks_the_ticket_and_frees_the_counter(db, now):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=2))
    outcome = hold(db, 1, officer="an", now=later(now, minutes=5))
    assert outcome.value["status"] == "held"
    assert outcome.events[0].name == TICKET_HELD
    row = ticket_row(db, ticket["id"])
    assert (row["status"], row["held_at"], row["closed_at"]) == ("held", "2026-11-23T09:05:00+07:00", None)
    counter = db.table("counters").get(1)
    assert (counter["status"], counter["current_ticket"]) == ("idle", None)


def test_a_held_ticket_is_not_called_by_call_next(db, now, held):
    assert call_next(db, 1, officer="an", now=later(now, minutes=6)).value is None
    assert call_next(db, 2, officer="binh", now=later(now, minutes=6)).value is None


def test_a_held_ticket_is_brought_back_by_calling_it(db, now, held):
    ticket = call_ticket(db, 1, held["id"], officer="an", now=later(now, minutes=30)).value
    assert (ticket["status"], ticket["counter"]) == ("called", 1)
    row = ticket_row(db, held["id"])
    assert (row["status"], row["held_at"], row["calls"]) == ("called", None, 2)


def test_time_held_is_not_counted_as_waiting(db, now, held):
    call_ticket(db, 1, held["id"], officer="an", now=later(now, minutes=30))
    assert ticket_row(db, held["id"])["wait_s"] == 120  # only the 2 minutes before the first call
    assert [(visit["wait_s"], visit["outcome"]) for visit in visits_of(db, held["id"])] == [
        (120, "held"), (0, None)]


def test_a_held_ticket_can_be_brought_back_by_another_counter_of_its_service(db, now, held):
    assert call_ticket(db, 2, held["id"], officer="binh", now=later(now, minutes=10)).value["counter"] == 2


def test_a_held_ticket_cannot_be_brought_back_by_a_counter_of_another_service(db, now, held):
    with pytest.raises(TicketNotWaiting):
        call_ticket(db, 3, held["id"], officer="cuong", now=later(now, minutes=10))
    assert ticket_row(db, held["id"])["status"] == "held"


def test_hold_refuses_a_counter_with_no_current_ticket(db, now):
    open_counters(db, now, c1="an")
    with pytest.raises(NoCurrentTicket):
        hold(db, 1, officer="an", now=now)


def test_the_counter_that_held_a_ticket_can_bring_it_back_even_outside_its_services(db, now):
    open_counters(db, now, c1="an", c3="cuong")
    ticket = issue(db, "GCN", now)
    call_next(db, 3, officer="cuong", now=now)
    transfer(db, 3, officer="cuong", now=later(now, minutes=1), counter=1, force=True)  # 1 serves no GCN
    call_next(db, 1, officer="an", now=later(now, minutes=2))
    hold(db, 1, officer="an", now=later(now, minutes=3))
    assert call_ticket(db, 1, ticket["id"], officer="an", now=later(now, minutes=9)).value["counter"] == 1
