"""Transfer (chuyển quầy): to another service or counter, to the head of that queue,
keeping the ticket's label, with a note for the next officer."""

import pytest

from layso.errors import (
    Conflict,
    CounterNotHeld,
    InvalidInput,
    NoCurrentTicket,
    ServiceClosed,
    TransferRefused,
    UnknownCounter,
    UnknownService,
)
from layso.events import TICKET_TRANSFERRED, TRANSFER_RECEIVED, counter_room
from layso.queue.calling import call_next, transfer
from layso.queue.counters import close_counter
from tests.helpers import issue, later, open_counters, ticket_row, trail, visits_of


@pytest.fixture
def at_counter_1(db, now):
    """A001 is at counter 1 (officer an) since 09:01; counters 2, 3 and 4 are open."""
    open_counters(db, now, c1="an", c2="binh", c3="cuong", c4="dung")
    issue(db, "HT", now)
    return call_next(db, 1, officer="an", now=later(now, minutes=1)).value


def test_transfer_to_service_keeps_the_label_and_puts_it_at_the_head_of_that_queue(db, now, at_counter_1):
    issue(db, "LLTP", now, priority_reason="elderly")  # B001 waited since 09:00, with priority
    outcome = transfer(db, 1, officer="an", now=later(now, minutes=5), service="LLTP")
    moved = outcome.value
    assert (moved["number"], moved["service"], moved["status"], moved["transferred"]) == ("A001", "LLTP", "waiting", True)
    assert outcome.events[0].name == TICKET_TRANSFERRED
    assert call_next(db, 2, officer="binh", now=later(now, minutes=6)).value["number"] == "A001"


def test_transfer_to_a_service_does_not_collide_with_that_service_own_numbers(db, now, at_counter_1):
    issue(db, "LLTP", now)  # B001: the same daily sequence number 1 as A001
    assert transfer(db, 1, officer="an", now=later(now, minutes=5), service="LLTP").value["number"] == "A001"
    assert issue(db, "LLTP", later(now, minutes=6))["number"] == "B002"
    assert issue(db, "HT", later(now, minutes=6))["number"] == "A002"


def test_a_ticket_transferred_in_does_not_use_up_the_daily_cap_of_its_new_service(db, now):
    open_counters(db, now, c1="an")
    for minute in range(4):
        issue(db, "HT", later(now, minutes=minute))
        call_next(db, 1, officer="an", now=later(now, minutes=minute))
        transfer(db, 1, officer="an", now=later(now, minutes=minute), service="LLTP")
    assert [issue(db, "LLTP", later(now, minutes=10))["number"] for _ in range(5)] == [
        "B001", "B002", "B003", "B004", "B005"]  # LLTP's daily_cap is 5 numbers of its own


def test_transfer_to_a_counter_sends_it_only_to_that_counter(db, now, at_counter_1):
    # Counter 3 serves GCN only: the officer forces it (its officer takes this citizen all the same).
    moved = transfer(db, 1, officer="an", now=later(now, minutes=5), counter=3, force=True).value
    assert (moved["service"], moved["status"]) == ("HT", "waiting")
    assert ticket_row(db, moved["id"])["target_counter"] == 3
    assert call_next(db, 4, officer="dung", now=later(now, minutes=6)).value is None
    assert call_next(db, 3, officer="cuong", now=later(now, minutes=6)).value["number"] == "A001"  # GCN desk, HT ticket


def test_transfer_ends_the_stretch_at_this_counter_and_restarts_the_wait(db, now, at_counter_1):
    transfer(db, 1, officer="an", now=later(now, minutes=5), service="LLTP")
    row = ticket_row(db, at_counter_1["id"])
    assert (row["queued_at"], row["service_s"]) == ("2026-11-23T09:05:00+07:00", 240)
    assert [(v["outcome"], v["service"], v["service_s"]) for v in visits_of(db, row["id"])] == [("transferred", "HT", 240)]
    counter = db.table("counters").get(1)
    assert (counter["status"], counter["current_ticket"]) == ("idle", None)


def test_transfer_stores_the_note_for_the_next_officer(db, now, at_counter_1):
    transfer(db, 1, officer="an", now=later(now, minutes=5), service="LLTP", note="Thiếu bản sao CCCD")
    assert visits_of(db, at_counter_1["id"])[0]["note"] == "Thiếu bản sao CCCD"


def test_transfer_is_written_in_the_trail_with_its_destination(db, now, at_counter_1):
    transfer(db, 1, officer="an", now=later(now, minutes=5), counter=2)
    last = db.execute("SELECT action, counter, officer, detail FROM ticket_events ORDER BY id DESC LIMIT 1").fetchone()
    assert last == ("transferred", 1, "an", '{"target_counter": 2}')
    assert trail(db, at_counter_1["id"])[-1] == ("transferred", 1, "an")


@pytest.mark.parametrize(
    "destination, error",
    [
        ({}, InvalidInput),
        ({"service": "LLTP", "counter": 2}, InvalidInput),
        ({"service": "XX"}, UnknownService),
        ({"counter": 99}, UnknownCounter),
        ({"counter": "hai"}, UnknownCounter),
        ({"counter": 1}, Conflict),
        ({"service": "LLTP", "note": 42}, InvalidInput),
        ({"counter": 2, "force": "yes"}, InvalidInput),
        ({"counter": 3}, TransferRefused),  # open, but serves GCN only
    ],
)
def test_transfer_refuses_wrong_destinations_and_leaves_the_ticket_at_the_counter(db, now, at_counter_1, destination, error):
    with pytest.raises(error):
        transfer(db, 1, officer="an", now=later(now, minutes=5), **destination)
    row = ticket_row(db, at_counter_1["id"])
    assert (row["status"], row["service"], row["counter"]) == ("called", "HT", 1)
    assert db.table("counters").get(1)["current_ticket"] == row["id"]


def test_transfer_refuses_without_a_current_ticket_or_by_another_officer(db, now, at_counter_1):
    with pytest.raises(CounterNotHeld):
        transfer(db, 1, officer="binh", now=now, service="LLTP")
    with pytest.raises(NoCurrentTicket):
        transfer(db, 2, officer="binh", now=now, service="HT")


def test_the_counter_a_citizen_is_sent_to_is_told(db, now, at_counter_1):
    outcome = transfer(db, 1, officer="an", now=later(now, minutes=5), counter=2, note="Cần bản sao")
    (told,) = [event for event in outcome.events if event.name == TRANSFER_RECEIVED]
    assert told.rooms == (counter_room(2),)
    assert {key: told.data[key] for key in ("from_counter", "counter", "forced", "note")} == {
        "from_counter": 1, "counter": 2, "forced": False, "note": "Cần bản sao"}
    assert told.data["ticket"]["number"] == "A001" and "status_url" not in told.data["ticket"]
    assert not [event for event in transfer_to_service(db, now).events if event.name == TRANSFER_RECEIVED]


def transfer_to_service(db, now):
    issue(db, "HT", now)
    call_next(db, 4, officer="dung", now=later(now, minutes=6))
    return transfer(db, 4, officer="dung", now=later(now, minutes=7), service="LLTP")


def test_a_closed_counter_or_one_not_serving_the_service_is_refused_unless_forced(db, now, at_counter_1):
    close_counter(db, 4, by="dung", now=later(now, minutes=2))  # counter 4 serves HT, but nobody is there
    with pytest.raises(TransferRefused) as closed:
        transfer(db, 1, officer="an", now=later(now, minutes=5), counter=4)
    assert closed.value.message.startswith("Quầy 4 đang đóng")
    with pytest.raises(TransferRefused) as elsewhere:
        transfer(db, 1, officer="an", now=later(now, minutes=5), counter=3)
    assert elsewhere.value.message.startswith("Quầy 3 không phục vụ dịch vụ Hộ tịch")
    assert ticket_row(db, at_counter_1["id"])["status"] == "called"  # refused: still at counter 1

    outcome = transfer(db, 1, officer="an", now=later(now, minutes=5), counter=4, force=True)
    assert ticket_row(db, at_counter_1["id"])["target_counter"] == 4
    (told,) = [event for event in outcome.events if event.name == TRANSFER_RECEIVED]
    assert (told.rooms, told.data["forced"]) == ((counter_room(4),), True)
    last = db.execute("SELECT detail FROM ticket_events ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert last == '{"target_counter": 4, "forced": true}'


def test_a_service_no_counter_serves_cannot_be_a_transfer_target(db, now, at_counter_1):
    db.execute("""UPDATE counters SET services = '["HT"]' WHERE number IN (3, 4)""")  # GCN is nobody's now
    with pytest.raises(ServiceClosed):
        transfer(db, 1, officer="an", now=later(now, minutes=5), service="GCN")
    assert ticket_row(db, at_counter_1["id"])["status"] == "called"
