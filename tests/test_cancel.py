"""Cancel (hủy số): the current ticket was taken by mistake or the citizen withdrew."""

import pytest

from layso.errors import CounterNotHeld, NoCurrentTicket
from layso.events import RATING_REQUESTED, TICKET_CANCELLED
from layso.queue.calling import cancel
from tests.helpers import issue, later, ticket_row, trail, visits_of



def test_cancel_closes_the_ticket_without_finishing_it(db, now, serving):
    outcome = cancel(db, 1, officer="an", now=later(now, minutes=2))
    assert outcome.value["status"] == "cancelled"
    row = ticket_row(db, serving["id"])
    assert (row["status"], row["closed_at"], row["finished_at"]) == ("cancelled", "2026-11-23T09:02:00+07:00", None)
    assert visits_of(db, serving["id"])[0]["outcome"] == "cancelled"
    assert trail(db, serving["id"])[-1] == ("cancelled", 1, "an")
    assert db.table("counters").get(1)["current_ticket"] is None


def test_cancel_announces_it_and_asks_no_rating(db, now, serving):
    names = [event.name for event in cancel(db, 1, officer="an", now=later(now, minutes=2)).events]
    assert TICKET_CANCELLED in names and RATING_REQUESTED not in names


def test_a_cancelled_number_is_not_issued_again(db, now, serving):
    cancel(db, 1, officer="an", now=later(now, minutes=2))
    assert issue(db, "HT", later(now, minutes=3))["number"] == "A002"


def test_cancel_refuses_without_a_current_ticket_or_by_another_officer(db, now, serving):
    with pytest.raises(CounterNotHeld):
        cancel(db, 1, officer="binh", now=now)
    with pytest.raises(NoCurrentTicket):
        cancel(db, 2, officer="binh", now=now)
