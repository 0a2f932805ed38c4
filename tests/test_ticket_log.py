"""The record: every action appends to the ticket's trail (who, when, where), and each
stretch at a counter is a visit credited to that counter and officer."""

from layso.queue.calling import call_next, call_ticket, cancel, finish, hold, no_show, recall, transfer
from layso.queue.tickets import issue_ticket
from tests.helpers import issue, later, open_counters, ticket_row, visits_of


def full_trail(db, ticket_id):
    return [
        (row["action"], row["at"][11:16], row["counter"], row["officer"], row["service"])
        for row in db.query("SELECT * FROM ticket_events WHERE ticket = ? ORDER BY id", [ticket_id])
    ]


def test_every_action_on_a_ticket_is_appended_with_who_when_and_where(db, now):
    open_counters(db, now, c1="an", c2="binh")
    ticket = issue_ticket(db, "HT", now=now, kiosk="k1").value
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    recall(db, 1, officer="an", now=later(now, minutes=2))
    hold(db, 1, officer="an", now=later(now, minutes=3))
    call_ticket(db, 1, ticket["id"], officer="an", now=later(now, minutes=10))
    transfer(db, 1, officer="an", now=later(now, minutes=12), service="LLTP")
    call_next(db, 2, officer="binh", now=later(now, minutes=13))
    finish(db, 2, officer="binh", now=later(now, minutes=20))
    assert full_trail(db, ticket["id"]) == [
        ("issued", "09:00", None, None, "HT"),
        ("called", "09:01", 1, "an", "HT"),
        ("recalled", "09:02", 1, "an", "HT"),
        ("held", "09:03", 1, "an", "HT"),
        ("called", "09:10", 1, "an", "HT"),
        ("transferred", "09:12", 1, "an", "HT"),
        ("called", "09:13", 2, "binh", "LLTP"),
        ("finished", "09:20", 2, "binh", "LLTP"),
    ]
    first = db.execute("SELECT day, detail FROM ticket_events WHERE ticket = ? ORDER BY id LIMIT 1", [ticket["id"]]).fetchone()
    assert first == ("2026-11-23", '{"kiosk": "k1"}')


def test_no_show_and_cancel_are_in_the_trail(db, now):
    open_counters(db, now, c1="an")
    first, second = issue(db, "HT", now), issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    no_show(db, 1, officer="an", now=later(now, minutes=1))
    call_next(db, 1, officer="an", now=later(now, minutes=2))
    cancel(db, 1, officer="an", now=later(now, minutes=3))
    assert full_trail(db, first["id"])[-1] == ("no_show", "09:01", 1, "an", "HT")
    assert full_trail(db, second["id"])[-1] == ("cancelled", "09:03", 1, "an", "HT")


def test_the_trail_is_append_only_a_ticket_keeps_every_line(db, now):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    before = [tuple(row.values()) for row in db.query("SELECT * FROM ticket_events WHERE ticket = ?", [ticket["id"]])]
    finish(db, 1, officer="an", now=later(now, minutes=1))
    after = [tuple(row.values()) for row in db.query("SELECT * FROM ticket_events WHERE ticket = ?", [ticket["id"]])]
    assert after[: len(before)] == before and len(after) == len(before) + 1


def test_visits_credit_each_stretch_to_its_counter_and_officer_across_a_transfer(db, now):
    open_counters(db, now, c1="an", c2="binh")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=4))  # waited 240 s
    transfer(db, 1, officer="an", now=later(now, minutes=10), service="LLTP", note="Cần xác nhận")  # 360 s at 1
    call_next(db, 2, officer="binh", now=later(now, minutes=15))  # waited 300 s more
    finish(db, 2, officer="binh", now=later(now, minutes=22))  # 420 s at 2
    assert [
        (v["counter"], v["officer"], v["service"], v["wait_s"], v["service_s"], v["outcome"], v["note"])
        for v in visits_of(db, ticket["id"])
    ] == [
        (1, "an", "HT", 240, 360, "transferred", "Cần xác nhận"),
        (2, "binh", "LLTP", 300, 420, "finished", None),
    ]
    row = ticket_row(db, ticket["id"])
    assert (row["wait_s"], row["service_s"], row["calls"], row["counter"], row["officer"]) == (540, 780, 2, 2, "binh")
    assert (row["first_called_at"], row["called_at"]) == ("2026-11-23T09:04:00+07:00", "2026-11-23T09:15:00+07:00")


def test_a_visit_records_when_it_was_queued_called_and_ended(db, now):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=2))
    finish(db, 1, officer="an", now=later(now, minutes=9))
    (visit,) = visits_of(db, ticket["id"])
    assert (visit["day"], visit["queued_at"], visit["called_at"], visit["ended_at"]) == (
        "2026-11-23", "2026-11-23T09:00:00+07:00", "2026-11-23T09:02:00+07:00", "2026-11-23T09:09:00+07:00")
