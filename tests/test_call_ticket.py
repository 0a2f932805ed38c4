"""Calling one chosen ticket (gọi một số cụ thể): a waiting one of the counter's services."""

from datetime import datetime

import pytest

from layso.errors import CounterNotHeld, CounterPaused, TicketNotWaiting, UnknownTicket
from layso.events import TICKET_CALLED, TICKET_FINISHED
from layso.queue.calling import call_next, call_ticket, finish, transfer
from layso.queue.counters import pause_counter
from tests.helpers import TZ, issue, later, open_counters, ticket_row


@pytest.fixture
def counters(db, now):
    open_counters(db, now, c1="an", c2="binh", c3="cuong")


def test_call_ticket_calls_a_chosen_waiting_ticket_out_of_turn(db, now, counters):
    issue(db, "HT", now)
    chosen = issue(db, "HT", later(now, minutes=1))
    ticket = call_ticket(db, 1, chosen["id"], officer="an", now=later(now, minutes=5)).value
    assert (ticket["number"], ticket["status"], ticket["counter"]) == ("A002", "called", 1)
    assert ticket_row(db, 1)["status"] == "waiting"
    assert call_next(db, 2, officer="binh", now=later(now, minutes=6)).value["number"] == "A001"


def test_call_ticket_finishes_the_current_ticket_first(db, now, counters):
    issue(db, "HT", now)
    chosen = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    outcome = call_ticket(db, 1, chosen["id"], officer="an", now=later(now, minutes=4))
    names = [event.name for event in outcome.events]
    assert names.index(TICKET_FINISHED) < names.index(TICKET_CALLED)
    assert ticket_row(db, 1)["status"] == "finished"


def test_call_ticket_refuses_a_ticket_of_a_service_the_counter_does_not_serve(db, now, counters):
    ticket = issue(db, "GCN", now)
    with pytest.raises(TicketNotWaiting):
        call_ticket(db, 1, ticket["id"], officer="an", now=now)
    assert ticket_row(db, ticket["id"])["status"] == "waiting"


def test_call_ticket_refuses_a_ticket_already_called_elsewhere(db, now, counters):
    ticket = issue(db, "HT", now)
    call_next(db, 2, officer="binh", now=now)
    with pytest.raises(TicketNotWaiting):
        call_ticket(db, 1, ticket["id"], officer="an", now=now)
    assert ticket_row(db, ticket["id"])["counter"] == 2


def test_call_ticket_refuses_a_finished_ticket(db, now, counters):
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    finish(db, 1, officer="an", now=later(now, minutes=2))
    with pytest.raises(TicketNotWaiting):
        call_ticket(db, 1, ticket["id"], officer="an", now=later(now, minutes=3))


def test_call_ticket_refuses_a_ticket_transferred_to_another_counter(db, now, counters):
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    transfer(db, 1, officer="an", now=later(now, minutes=1), counter=2)
    with pytest.raises(TicketNotWaiting):
        call_ticket(db, 1, ticket["id"], officer="an", now=later(now, minutes=2))
    assert call_ticket(db, 2, ticket["id"], officer="binh", now=later(now, minutes=3)).value["counter"] == 2


def test_call_ticket_refuses_a_ticket_of_a_previous_day(db, counters):
    ticket = issue(db, "HT", datetime(2026, 11, 20, 10, 0, tzinfo=TZ))
    with pytest.raises(TicketNotWaiting):
        call_ticket(db, 1, ticket["id"], officer="an", now=datetime(2026, 11, 23, 9, 0, tzinfo=TZ))


@pytest.mark.parametrize("ticket_id", [999, "abc", None, True, -1])
def test_call_ticket_refuses_an_unknown_ticket(db, now, counters, ticket_id):
    with pytest.raises(UnknownTicket):
        call_ticket(db, 1, ticket_id, officer="an", now=now)


def test_call_ticket_refuses_an_officer_who_does_not_hold_the_counter(db, now, counters):
    ticket = issue(db, "HT", now)
    with pytest.raises(CounterNotHeld):
        call_ticket(db, 1, ticket["id"], officer="binh", now=now)


def test_call_ticket_refuses_a_paused_counter(db, now, counters):
    ticket = issue(db, "HT", now)
    pause_counter(db, 1, officer="an", reason="Họp", now=now)
    with pytest.raises(CounterPaused):
        call_ticket(db, 1, ticket["id"], officer="an", now=now)
