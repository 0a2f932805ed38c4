"""End of day: every ticket of a past day still open is closed as expired, never deleted."""

from datetime import datetime

from layso.events import COUNTER_UPDATED, TICKET_EXPIRED
from layso.queue.calling import call_next, hold
from layso.queue.day import expire_past_days
from tests.helpers import TZ, counter_row, issue, later, open_counters, serve, ticket_row, trail, visits_of

FRIDAY = datetime(2026, 11, 20, 15, 0, tzinfo=TZ)
MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=TZ)


def friday_left_open(db):
    """Friday ends with A001 finished, A002 held, A003 at counter 1, A004 and B001 waiting."""
    open_counters(db, FRIDAY, c1="an", c2="binh")
    for minute in range(4):
        issue(db, "HT", later(FRIDAY, minutes=minute))
    issue(db, "LLTP", FRIDAY)
    serve(db, 1, "an", later(FRIDAY, minutes=10))
    call_next(db, 1, officer="an", now=later(FRIDAY, minutes=20))
    hold(db, 1, officer="an", now=later(FRIDAY, minutes=21))
    call_next(db, 1, officer="an", now=later(FRIDAY, minutes=22))


def statuses(db):
    return {row["number"]: row["status"] for row in db.query("SELECT number, status FROM tickets WHERE day = '2026-11-20'")}


def test_expire_past_days_closes_open_tickets_of_past_days_as_expired(db):
    friday_left_open(db)
    outcome = expire_past_days(db, now=MONDAY)
    assert outcome.value == 4
    assert statuses(db) == {"A001": "finished", "A002": "expired", "A003": "expired", "A004": "expired", "B001": "expired"}
    assert db.table("tickets").count == 5  # never deleted
    expired = ticket_row(db, 3)
    assert (expired["closed_at"], expired["finished_at"]) == ("2026-11-23T07:00:00+07:00", None)
    assert trail(db, 3)[-1] == ("expired", None, None)
    assert visits_of(db, 3)[-1]["outcome"] == "expired"


def test_expire_past_days_closes_counters_left_open_overnight(db):
    friday_left_open(db)
    outcome = expire_past_days(db, now=MONDAY)
    for number in (1, 2):
        row = counter_row(db, number)
        assert (row["status"], row["officer"], row["current_ticket"]) == ("closed", None, None)
    assert [event.name for event in outcome.events].count(TICKET_EXPIRED) == 4
    assert [event.data["counter"]["number"] for event in outcome.events if event.name == COUNTER_UPDATED] == [1, 2]


def test_a_counter_opened_today_stays_open(db):
    friday_left_open(db)
    open_counters(db, later(MONDAY, minutes=5), c3="cuong")
    expire_past_days(db, now=later(MONDAY, minutes=6))
    assert (counter_row(db, 3)["status"], counter_row(db, 3)["officer"]) == ("idle", "cuong")


def test_expire_past_days_leaves_today_untouched(db):
    friday_left_open(db)
    monday_ticket = issue(db, "HT", later(MONDAY, minutes=40))
    expire_past_days(db, now=later(MONDAY, minutes=41))
    assert ticket_row(db, monday_ticket["id"])["status"] == "waiting"


def test_expire_past_days_twice_changes_nothing_more(db):
    friday_left_open(db)
    expire_past_days(db, now=MONDAY)
    outcome = expire_past_days(db, now=later(MONDAY, minutes=1))
    assert (outcome.value, outcome.events) == (0, [])
