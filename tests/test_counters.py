"""Counters (quầy): officers open, pause, resume and close them; one officer, one counter."""

import pytest

from layso.errors import Conflict, CounterNotHeld, CounterOccupied, InvalidInput, UnknownCounter
from layso.events import COUNTER_UPDATED, TICKET_TRANSFERRED
from layso.queue.calling import call_next
from layso.queue.counters import close_counter, open_counter, pause_counter, resume_counter, state
from tests.helpers import counter_row, issue, later, open_counters, ticket_row, trail, visits_of


def test_open_counter_gives_it_to_the_officer_idle(db, now):
    outcome = open_counter(db, 1, officer="an", now=now)
    assert (outcome.value["status"], outcome.value["officer"]["username"]) == ("idle", "an")
    assert [event.name for event in outcome.events] == [COUNTER_UPDATED]
    assert (counter_row(db, 1)["status"], counter_row(db, 1)["officer"]) == ("idle", "an")


def test_open_counter_again_by_the_same_officer_changes_nothing(db, now):
    open_counter(db, 1, officer="an", now=now)
    outcome = open_counter(db, 1, officer="an", now=later(now, minutes=1))
    assert (outcome.value["status"], outcome.events) == ("idle", [])


def test_taking_a_counter_held_by_another_officer_is_refused(db, now):
    open_counter(db, 1, officer="an", now=now)
    with pytest.raises(CounterOccupied):
        open_counter(db, 1, officer="binh", now=now)
    assert counter_row(db, 1)["officer"] == "an"


def test_one_officer_holds_one_counter_moving_leaves_the_old_one_closed(db, now):
    open_counter(db, 1, officer="an", now=now)
    outcome = open_counter(db, 2, officer="an", now=later(now, minutes=1))
    assert [event.data["counter"]["number"] for event in outcome.events] == [1, 2]
    assert (counter_row(db, 1)["status"], counter_row(db, 1)["officer"]) == ("closed", None)
    assert (counter_row(db, 2)["status"], counter_row(db, 2)["officer"]) == ("idle", "an")


def test_an_officer_serving_a_citizen_cannot_move_to_another_counter(db, now):
    open_counter(db, 1, officer="an", now=now)
    issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    with pytest.raises(Conflict):
        open_counter(db, 2, officer="an", now=now)
    assert (counter_row(db, 1)["officer"], counter_row(db, 2)["officer"]) == ("an", None)


def test_open_counter_refuses_an_unknown_counter(db, now):
    with pytest.raises(UnknownCounter):
        open_counter(db, 42, officer="an", now=now)


def test_pause_counter_records_the_reason(db, now):
    open_counter(db, 1, officer="an", now=now)
    outcome = pause_counter(db, 1, officer="an", reason="  Nghỉ trưa ", now=now)
    assert (outcome.value["status"], outcome.value["paused_reason"]) == ("paused", "Nghỉ trưa")
    assert (counter_row(db, 1)["status"], counter_row(db, 1)["paused_reason"]) == ("paused", "Nghỉ trưa")


@pytest.mark.parametrize("reason", ["", "   ", None, 5])
def test_pause_counter_requires_a_reason(db, now, reason):
    open_counter(db, 1, officer="an", now=now)
    with pytest.raises(InvalidInput):
        pause_counter(db, 1, officer="an", reason=reason, now=now)
    assert counter_row(db, 1)["status"] == "idle"


def test_pause_counter_refuses_while_a_citizen_is_at_the_desk(db, now):
    open_counter(db, 1, officer="an", now=now)
    issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    with pytest.raises(Conflict):
        pause_counter(db, 1, officer="an", reason="Họp", now=now)
    assert counter_row(db, 1)["status"] == "serving"


def test_pause_counter_refuses_an_officer_who_does_not_hold_it(db, now):
    open_counter(db, 1, officer="an", now=now)
    with pytest.raises(CounterNotHeld):
        pause_counter(db, 1, officer="binh", reason="Họp", now=now)


def test_resume_counter_makes_it_idle_again_and_clears_the_reason(db, now):
    open_counter(db, 1, officer="an", now=now)
    pause_counter(db, 1, officer="an", reason="Họp", now=now)
    outcome = resume_counter(db, 1, officer="an", now=later(now, minutes=20))
    assert (outcome.value["status"], outcome.value["paused_reason"]) == ("idle", None)
    issue(db, "HT", later(now, minutes=21))
    assert call_next(db, 1, officer="an", now=later(now, minutes=22)).value["number"] == "A001"


def test_resume_counter_refuses_a_counter_that_is_not_paused(db, now):
    open_counter(db, 1, officer="an", now=now)
    with pytest.raises(Conflict):
        resume_counter(db, 1, officer="an", now=now)


def test_close_counter_lets_the_officer_go(db, now):
    open_counter(db, 1, officer="an", now=now)
    pause_counter(db, 1, officer="an", reason="Hết giờ", now=now)
    outcome = close_counter(db, 1, by="an", now=now)
    assert (outcome.value["status"], outcome.value["officer"], outcome.value["paused_reason"]) == ("closed", None, None)
    assert open_counter(db, 1, officer="binh", now=now).value["officer"]["username"] == "binh"


def test_close_counter_refuses_an_officer_who_does_not_hold_it(db, now):
    open_counter(db, 1, officer="an", now=now)
    with pytest.raises(CounterNotHeld):
        close_counter(db, 1, by="binh", now=now)
    assert counter_row(db, 1)["officer"] == "an"


def test_manager_close_puts_the_current_citizen_back_at_the_head_of_the_queue(db, now):
    open_counters(db, now, c1="an", c2="binh")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    issue(db, "HT", later(now, minutes=2), priority_reason="elderly")
    outcome = close_counter(db, 1, by="quanly", manager=True, now=later(now, minutes=4))
    assert [event.name for event in outcome.events] == [TICKET_TRANSFERRED, COUNTER_UPDATED]
    row = ticket_row(db, ticket["id"])
    assert (row["status"], row["transferred"], row["queued_at"]) == ("waiting", 1, "2026-11-23T09:04:00+07:00")
    assert visits_of(db, ticket["id"])[0]["outcome"] == "transferred"
    assert trail(db, ticket["id"])[-1] == ("transferred", 1, "quanly")
    assert (counter_row(db, 1)["status"], counter_row(db, 1)["officer"], counter_row(db, 1)["current_ticket"]) == (
        "closed", None, None)
    assert call_next(db, 2, officer="binh", now=later(now, minutes=5)).value["number"] == "A001"


def test_state_shows_every_counter_and_the_waiting_count_per_service(db, now):
    open_counters(db, now, c1="an")
    issue(db, "HT", now)
    issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    snapshot = state(db, now=now)
    assert [(c["number"], c["status"]) for c in snapshot["counters"]] == [(1, "serving"), (2, "closed"), (3, "closed"), (4, "closed")]
    assert snapshot["counters"][0]["current_ticket"]["number"] == "A001"
    assert "status_token" not in snapshot["counters"][0]["current_ticket"]
    assert {s["code"]: s["waiting"] for s in snapshot["services"]} == {"HT": 1, "LLTP": 0, "GCN": 0}
    assert snapshot["day"] == "2026-11-23"
