"""Transfer (chuyển quầy): to another service or counter, to the head of that queue, keeping the label."""

import pytest

from layso.errors import CounterNotHeld, InvalidInput, NoCurrentTicket, UnknownCounter, UnknownService
from layso.queue.calling import call_next, transfer
from tests.helpers import issue, later, open_counters


@pytest.fixture
def at_counter_1(db, now):
    """A001 is at counter 1 (officer an); counters 2 (binh), 3 (cuong) and 4 (dung) are open."""
    open_counters(db, now, c1="an", c2="binh", c3="cuong", c4="dung")
    issue(db, "HT", now)
    ticket = call_next(db, 1, officer="an", now=later(now, minutes=1)).value
    return ticket


def test_transfer_to_service_keeps_the_label_and_puts_it_at_the_head_of_that_queue(db, now, at_counter_1):
    issue(db, "LLTP", now)  # B001 waited since 09:00
    moved = transfer(db, 1, officer="an", now=later(now, minutes=5), service="LLTP").value
    assert (moved["number"], moved["service"], moved["status"], moved["transferred"]) == ("A001", "LLTP", "waiting", True)
    assert call_next(db, 2, officer="binh", now=later(now, minutes=6)).value["number"] == "A001"


def test_transfer_to_a_service_does_not_collide_with_that_service_own_numbers(db, now, at_counter_1):
    issue(db, "LLTP", now)  # B001: same daily sequence number 1 as A001
    moved = transfer(db, 1, officer="an", now=later(now, minutes=5), service="LLTP").value
    assert moved["number"] == "A001"
    assert issue(db, "LLTP", later(now, minutes=6))["number"] == "B002"
    assert issue(db, "HT", later(now, minutes=6))["number"] == "A002"
