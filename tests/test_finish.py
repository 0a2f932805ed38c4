"""Finish (kết thúc): the citizen has been served; the counter's tablet asks for a rating."""

import pytest

from layso.errors import CounterNotHeld, NoCurrentTicket
from layso.events import RATING_REQUESTED, TICKET_FINISHED, tablet_room
from layso.queue.calling import finish
from tests.helpers import later, ticket_row, visits_of



def test_finish_closes_the_ticket_with_its_service_time(db, now, serving):
    outcome = finish(db, 1, officer="an", now=later(now, minutes=8))
    assert outcome.value["status"] == "finished"
    row = ticket_row(db, serving["id"])
    assert (row["status"], row["finished_at"], row["closed_at"]) == (
        "finished", "2026-11-23T09:08:00+07:00", "2026-11-23T09:08:00+07:00")
    assert (row["wait_s"], row["service_s"], row["counter"], row["officer"]) == (60, 420, 1, "an")
    assert [(visit["outcome"], visit["service_s"]) for visit in visits_of(db, serving["id"])] == [("finished", 420)]


def test_finish_frees_the_counter(db, now, serving):
    finish(db, 1, officer="an", now=later(now, minutes=8))
    counter = db.table("counters").get(1)
    assert (counter["status"], counter["current_ticket"], counter["officer"]) == ("idle", None, "an")


def test_finish_asks_the_counter_tablet_for_a_rating_within_the_window(db, now, serving):
    events = finish(db, 1, officer="an", now=later(now, minutes=8)).events
    assert [event.name for event in events][0] == TICKET_FINISHED
    request = next(event for event in events if event.name == RATING_REQUESTED)
    assert request.rooms == (tablet_room(1),)
    assert request.data["ticket"] == {"id": serving["id"], "number": "A001", "service": "HT"}
    assert request.data["counter"] == 1
    assert request.data["officer"]["username"] == "an"
    assert request.data["expires_at"] == "2026-11-23T09:11:00+07:00"  # rating.window_s = 180


def test_finish_refuses_without_a_current_ticket(db, now, serving):
    finish(db, 1, officer="an", now=later(now, minutes=8))
    with pytest.raises(NoCurrentTicket):
        finish(db, 1, officer="an", now=later(now, minutes=9))


def test_finish_refuses_an_officer_who_does_not_hold_the_counter(db, now, serving):
    with pytest.raises(CounterNotHeld):
        finish(db, 1, officer="binh", now=later(now, minutes=8))
    assert ticket_row(db, serving["id"])["status"] == "called"
