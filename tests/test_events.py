"""Each core verb returns the events that happened, for the rooms that must hear them;
nothing broadcast ever carries a citizen's status link."""

import pytest

from layso.events import (
    COUNTER_UPDATED,
    RATING_REQUESTED,
    TICKET_CALLED,
    TICKET_CANCELLED,
    TICKET_FINISHED,
    TICKET_HELD,
    TICKET_ISSUED,
    TICKET_NO_SHOW,
    TICKET_RECALLED,
    TICKET_TRANSFERRED,
    Event,
    counters_room,
    dashboard_room,
    display_room,
    kiosks_room,
    latest_counter_states,
    tablet_room,
    ticket_room,
)
from layso.queue import calling
from layso.queue.counters import close_counter, open_counter, pause_counter, resume_counter
from layso.queue.tickets import issue_ticket
from tests.helpers import issue, later, open_counters, ticket_row

SCREENS = {display_room(), dashboard_room(), counters_room(), kiosks_room()}


def names(outcome):
    return [event.name for event in outcome.events]


def assert_no_status_link(events):
    for event in events:
        assert "status_token" not in repr(event.data) and "status_url" not in repr(event.data), event.name


def test_issue_emits_ticket_issued_to_every_queue_screen_and_the_citizen_page(db, now):
    outcome = issue_ticket(db, "HT", now=now, kiosk="k1")
    (event,) = outcome.events
    token = ticket_row(db, outcome.value["id"])["status_token"]
    assert (event.name, set(event.rooms)) == (TICKET_ISSUED, SCREENS | {ticket_room(token)})
    assert event.data["ticket"]["number"] == "A001" and event.data["counter"] is None
    assert_no_status_link(outcome.events)
    assert outcome.value["status_token"] == token  # the kiosk's own answer keeps the link


@pytest.mark.parametrize(
    "verb, expected",
    [
        (lambda db, now: calling.call_next(db, 1, officer="an", now=now), [TICKET_CALLED, COUNTER_UPDATED]),
        (lambda db, now: calling.recall(db, 1, officer="an", now=now), [TICKET_RECALLED, COUNTER_UPDATED]),
        (lambda db, now: calling.finish(db, 1, officer="an", now=now), [TICKET_FINISHED, COUNTER_UPDATED, RATING_REQUESTED]),
        (lambda db, now: calling.no_show(db, 1, officer="an", now=now), [TICKET_NO_SHOW, COUNTER_UPDATED]),
        (lambda db, now: calling.cancel(db, 1, officer="an", now=now), [TICKET_CANCELLED, COUNTER_UPDATED]),
        (lambda db, now: calling.hold(db, 1, officer="an", now=now), [TICKET_HELD, COUNTER_UPDATED]),
        (lambda db, now: calling.transfer(db, 1, officer="an", now=now, service="LLTP"), [TICKET_TRANSFERRED, COUNTER_UPDATED]),
    ],
    ids=["call_next", "recall", "finish", "no_show", "cancel", "hold", "transfer"],
)
def test_calling_verbs_emit_the_ticket_event_then_the_counter_update(db, now, verb, expected):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now)
    if expected[0] != TICKET_CALLED:
        calling.call_next(db, 1, officer="an", now=now)
    outcome = verb(db, later(now, minutes=3))
    assert names(outcome) == expected
    ticket_event, counter_event = outcome.events[:2]
    assert set(ticket_event.rooms) == SCREENS | {ticket_room(ticket["status_token"]), tablet_room(1)}
    assert ticket_event.data["counter"] == 1 and ticket_event.data["ticket"]["number"] == "A001"
    assert set(counter_event.rooms) == {display_room(), dashboard_room(), counters_room(), tablet_room(1)}
    assert counter_event.data["counter"]["number"] == 1
    assert_no_status_link(outcome.events)


def test_call_ticket_emits_ticket_called_and_the_counter_update(db, now):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now)
    assert names(calling.call_ticket(db, 1, ticket["id"], officer="an", now=now)) == [TICKET_CALLED, COUNTER_UPDATED]


def test_counter_verbs_emit_counter_updated(db, now):
    assert names(open_counter(db, 1, officer="an", now=now)) == [COUNTER_UPDATED]
    assert names(pause_counter(db, 1, officer="an", reason="Họp", now=now)) == [COUNTER_UPDATED]
    assert names(resume_counter(db, 1, officer="an", now=now)) == [COUNTER_UPDATED]
    (event,) = close_counter(db, 1, by="an", now=now).events
    assert (event.name, event.data["counter"]["status"]) == (COUNTER_UPDATED, "closed")
    assert set(event.rooms) == {display_room(), dashboard_room(), counters_room(), tablet_room(1)}


def test_a_counter_update_never_carries_the_current_citizen_status_link(db, now):
    open_counters(db, now, c1="an")
    issue(db, "HT", now)
    outcome = calling.call_next(db, 1, officer="an", now=now)
    assert outcome.events[1].data["counter"]["current_ticket"]["number"] == "A001"
    assert_no_status_link(outcome.events)


def test_manager_close_emits_the_transfer_back_to_the_queue(db, now):
    open_counters(db, now, c1="an")
    issue(db, "HT", now)
    calling.call_next(db, 1, officer="an", now=now)
    outcome = close_counter(db, 1, by="quanly", manager=True, now=now)
    assert names(outcome) == [TICKET_TRANSFERRED, COUNTER_UPDATED]
    assert outcome.events[0].data["ticket"]["status"] == "waiting"
    assert_no_status_link(outcome.events)


def test_a_counter_state_replaced_in_the_same_commit_is_not_broadcast():
    def counter_updated(number, status):
        return Event(COUNTER_UPDATED, {"counter": {"number": number, "status": status}}, (display_room(),))

    finished = Event(TICKET_FINISHED, {"ticket": {"id": 1}, "counter": 1}, (display_room(),))
    called = Event(TICKET_CALLED, {"ticket": {"id": 2}, "counter": 1}, (display_room(),))
    other_counter = counter_updated(2, "paused")
    events = [finished, counter_updated(1, "idle"), other_counter, called, counter_updated(1, "serving")]

    assert latest_counter_states(events) == [finished, other_counter, called, counter_updated(1, "serving")]
