"""No-show (vắng mặt): the citizen called did not come."""

import pytest

from layso.errors import CounterNotHeld, NoCurrentTicket, TicketNotWaiting
from layso.events import RATING_REQUESTED, TICKET_NO_SHOW
from layso.queue.calling import call_next, call_ticket, no_show
from tests.helpers import later, ticket_row, visits_of



def test_no_show_closes_the_ticket_and_frees_the_counter(db, now, serving):
    outcome = no_show(db, 1, officer="an", now=later(now, minutes=3))
    assert outcome.value["status"] == "no_show"
    row = ticket_row(db, serving["id"])
    assert (row["status"], row["closed_at"], row["finished_at"]) == ("no_show", "2026-11-23T09:03:00+07:00", None)
    counter = db.table("counters").get(1)
    assert (counter["status"], counter["current_ticket"]) == ("idle", None)
    assert [(visit["outcome"], visit["service_s"]) for visit in visits_of(db, serving["id"])] == [("no_show", 120)]


def test_no_show_announces_it_and_asks_no_rating(db, now, serving):
    names = [event.name for event in no_show(db, 1, officer="an", now=later(now, minutes=3)).events]
    assert TICKET_NO_SHOW in names and RATING_REQUESTED not in names


def test_a_no_show_ticket_is_never_called_again(db, now, serving):
    no_show(db, 1, officer="an", now=later(now, minutes=3))
    assert call_next(db, 2, officer="binh", now=later(now, minutes=4)).value is None
    with pytest.raises(TicketNotWaiting):
        call_ticket(db, 1, serving["id"], officer="an", now=later(now, minutes=4))


def test_no_show_refuses_without_a_current_ticket_or_by_another_officer(db, now, serving):
    with pytest.raises(CounterNotHeld):
        no_show(db, 1, officer="binh", now=later(now, minutes=2))
    with pytest.raises(NoCurrentTicket):
        no_show(db, 2, officer="binh", now=later(now, minutes=2))
    assert ticket_row(db, serving["id"])["status"] == "called"
