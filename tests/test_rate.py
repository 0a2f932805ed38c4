"""Rating (đánh giá mức độ hài lòng): once per served ticket, from the tablet of the counter
that served it, within the window, anonymous."""

import pytest

from layso.errors import AlreadyRated, InvalidInput, RatingNotAllowed, UnknownTicket
from layso.events import RATING_REQUESTED, RATING_SUBMITTED, counter_room, dashboard_room, tablet_room
from layso.queue.calling import call_next
from layso.queue.ratings import pending_rating_request, rate
from tests.helpers import issue, later, open_counters, serve


@pytest.fixture
def served(db, now):
    """A001 served at counter 1 by an, finished at 09:05."""
    open_counters(db, now, c1="an", c2="binh")
    issue(db, "HT", now)
    return serve(db, 1, "an", now, minutes=5)


def rate_it(db, ticket, now, *, counter=1, level="very_satisfied", reasons=None, comment=None, minutes=6):
    return rate(db, ticket_id=ticket["id"], counter=counter, level=level, reasons=reasons, comment=comment,
                device="tablet-1", now=later(now, minutes=minutes))


def test_rate_stores_one_rating_attributed_to_officer_counter_and_service(db, now, served):
    rating = rate_it(db, served, now).value
    assert (rating["level"], rating["officer"], rating["counter"], rating["service"], rating["satisfied"]) == (
        "very_satisfied", "an", 1, "HT", True)
    row = db.execute("SELECT ticket, day, level, officer, counter, service, reasons FROM ratings").fetchall()
    assert row == [(served["id"], "2026-11-23", "very_satisfied", "an", 1, "HT", "[]")]


def test_rate_emits_rating_submitted_to_dashboard_counter_and_tablet(db, now, served):
    (event,) = rate_it(db, served, now).events
    assert event.name == RATING_SUBMITTED
    assert set(event.rooms) == {dashboard_room(), counter_room(1), tablet_room(1)}
    assert event.data["rating"]["number"] == "A001"


def test_rate_stores_nothing_that_identifies_the_citizen(db, now, served):
    rate_it(db, served, now, level="satisfied", comment="  Cán bộ nhiệt tình  ")
    columns = [column.name for column in db.table("ratings").columns]
    assert columns == ["id", "ticket", "day", "at", "level", "reasons", "comment", "officer", "counter", "service", "device"]
    (row,) = db.table("ratings").rows
    assert row["comment"] == "Cán bộ nhiệt tình"
    assert served["status_token"] not in str(row)


def test_rate_a_ticket_only_once(db, now, served):
    rate_it(db, served, now)
    with pytest.raises(AlreadyRated):
        rate_it(db, served, now, level="not_satisfied", reasons=["attitude"], minutes=7)
    assert db.table("ratings").count == 1


def test_rate_refuses_a_ticket_of_another_counter(db, now, served):
    with pytest.raises(RatingNotAllowed):
        rate_it(db, served, now, counter=2)


def test_rate_refuses_a_ticket_that_is_not_the_latest_finished_at_the_counter(db, now, served):
    issue(db, "HT", later(now, minutes=5))
    serve(db, 1, "an", later(now, minutes=6), minutes=2)
    with pytest.raises(RatingNotAllowed):
        rate_it(db, served, now, minutes=9)


def test_rate_refuses_a_ticket_not_finished(db, now):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    with pytest.raises(RatingNotAllowed):
        rate_it(db, ticket, now)


def test_rate_accepts_at_the_end_of_the_window_and_refuses_after_it(db, now, served):
    with pytest.raises(RatingNotAllowed):
        rate(db, ticket_id=served["id"], counter=1, level="satisfied", device=None, now=later(now, minutes=8, seconds=1))
    rating = rate(db, ticket_id=served["id"], counter=1, level="satisfied", device=None, now=later(now, minutes=8)).value
    assert rating["level"] == "satisfied"  # finished 09:05, window 180 s: 09:08 is the last moment


@pytest.mark.parametrize(
    "choice",
    [
        {"level": "excellent"},
        {"level": None},
        {"level": "satisfied", "reasons": ["rude"]},
        {"level": "satisfied", "reasons": "attitude"},
        {"level": "satisfied", "comment": "x" * 1001},
    ],
)
def test_rate_refuses_levels_and_reasons_not_in_the_configuration(db, now, served, choice):
    with pytest.raises(InvalidInput):
        rate_it(db, served, now, **choice)
    assert db.table("ratings").count == 0


def test_rate_not_satisfied_requires_a_reason(db, now, served):
    with pytest.raises(InvalidInput):
        rate_it(db, served, now, level="not_satisfied")
    rating = rate_it(db, served, now, level="not_satisfied", reasons=["waiting_time", "attitude", "attitude"]).value
    assert (rating["satisfied"], rating["reasons"]) == (False, ["attitude", "waiting_time"])


def test_rate_refuses_an_unknown_ticket(db, now, served):
    with pytest.raises(UnknownTicket):
        rate(db, ticket_id=999, counter=1, level="satisfied", device=None, now=now)


def test_a_finished_ticket_rated_after_the_next_call_still_counts_as_latest(db, now, served):
    issue(db, "HT", later(now, minutes=5))
    call_next(db, 1, officer="an", now=later(now, minutes=5))  # next citizen at the desk, not finished yet
    assert rate_it(db, served, now).value["ticket"] == served["id"]


def test_finishing_by_calling_next_lets_the_finished_ticket_be_rated(db, now):
    open_counters(db, now, c1="an")
    first = issue(db, "HT", now)
    issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    call_next(db, 1, officer="an", now=later(now, minutes=4))  # finishes A001
    assert rate_it(db, first, now, minutes=5).value["officer"] == "an"


def test_a_reconnecting_tablet_is_asked_for_the_rating_still_open(db, now, served):
    """served: A001 finished at counter 1 at 09:05; the window is 180 s."""
    pending = pending_rating_request(db, 1, now=later(now, minutes=7))
    assert pending.name == RATING_REQUESTED and pending.rooms == (tablet_room(1),)
    assert pending.data["ticket"]["id"] == served["id"] and pending.data["officer"]["username"] == "an"
    assert pending.data["expires_at"] == "2026-11-23T09:08:00+07:00"  # from the finish, not from the reconnect
    assert pending_rating_request(db, 2, now=later(now, minutes=7)) is None  # another counter's tablet


def test_nothing_is_asked_again_after_the_window_or_once_rated(db, now, served):
    assert pending_rating_request(db, 1, now=later(now, minutes=8, seconds=1)) is None
    rate_it(db, served, now)
    assert pending_rating_request(db, 1, now=later(now, minutes=6)) is None


def test_a_brand_new_counter_has_no_rating_to_ask_for(db, now):
    assert pending_rating_request(db, 1, now=now) is None
