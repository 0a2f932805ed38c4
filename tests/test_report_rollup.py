"""The daily roll-up: closed days come from stored parts, today from the raw rows, and the
figures are exactly those of the raw rows (docs/reports.md, "How a year stays fast")."""

import pytest

from layso.queue.calling import call_next, finish
from layso.queue.counters import open_counter
from layso.queue.day import expire_past_days
from layso.queue.ratings import rate
from layso.queue.tickets import issue_ticket
from layso.reports import rollup
from layso.reports.evaluation import evaluation
from layso.reports.summary import summary
from layso.store.center import get_setting, put_setting
from layso.store.db import write
from tests.helpers import later
from tests.report_data import DAY1, DAY2, EXPECTED, at, build_known_center

DAY3 = "2026-11-25"  # "today" in these tests


def serve_late_on_day2(db, finished=later(at(DAY2, "23:58"), seconds=30)):
    """A ticket issued just before closing on day 2 and finished late (by default at
    23:58:30: its rating may arrive until 00:01:30 on day 3). Returns the ticket id."""
    ticket = issue_ticket(db, "HT", now=at(DAY2, "16:59")).value["id"]
    assert call_next(db, 1, officer="an", now=at(DAY2, "23:50")).value["id"] == ticket
    finish(db, 1, officer="an", now=finished)
    return ticket


def rate_late(db, ticket, moment, level="satisfied"):
    rate(db, ticket_id=ticket, counter=1, level=level, device=None, now=moment)


def serve_today(db):
    """Day 3 up to 10:00: one ticket served and rated, one still waiting. Counters were
    closed by the end-of-day pass, so the officer opens counter 1 again first."""
    open_counter(db, 1, officer="an", now=at(DAY3, "07:30"))
    issue_ticket(db, "HT", now=at(DAY3, "09:00"))
    issue_ticket(db, "LLTP", now=at(DAY3, "09:02"))
    ticket = call_next(db, 1, officer="an", now=at(DAY3, "09:07")).value["id"]
    finish(db, 1, officer="an", now=at(DAY3, "09:19"))
    rate(db, ticket_id=ticket, counter=1, level="not_satisfied", reasons=["attitude"], device=None, now=at(DAY3, "09:20"))


@pytest.fixture
def three_days(db):
    """Days 1 and 2 of tests/report_data.py, the late service on day 2 rated after midnight,
    the end-of-day pass, and day 3 so far."""
    build_known_center(db)
    ticket = serve_late_on_day2(db)
    expire_past_days(db, now=later(at(DAY3, "00:00"), seconds=10))  # D001 of day 2 was never called
    rate_late(db, ticket, at(DAY3, "00:01"))
    serve_today(db)
    return db


def built(db) -> list[str]:
    return [day for (day,) in db.execute("SELECT day FROM report_rollup_days ORDER BY day")]


@pytest.mark.parametrize("by", ["officer", "counter", "service", "day", "center"])
def test_rollup_and_raw_rows_give_identical_rows_over_closed_days_and_today(three_days, by):
    moment = at(DAY3, "10:00")
    assert summary(three_days, "2026-11-01", DAY3, by, now=moment) == summary(three_days, "2026-11-01", DAY3, by)
    assert DAY2 in built(three_days) and DAY3 not in built(three_days)
    # and again, now that every closed day is read from the roll-up
    assert summary(three_days, DAY1, DAY3, by, now=moment) == summary(three_days, DAY1, DAY3, by)


@pytest.mark.parametrize("by", ["officer", "counter", "service", "day", "center"])
def test_rollup_keeps_the_hand_counted_figures(db, by):
    build_known_center(db)
    expire_past_days(db, now=at(DAY3, "00:00"))
    assert summary(db, DAY1, DAY2, by, now=at(DAY3, "10:00")) == EXPECTED[by]
    assert built(db) == [DAY1, DAY2]


def test_a_closed_day_is_built_once_and_then_reused(three_days, monkeypatch):
    moment = at(DAY3, "10:00")
    first = summary(three_days, DAY1, DAY3, "officer", now=moment)
    rows = three_days.execute("SELECT COUNT(*) FROM report_rollup").fetchone()[0]
    calls = []
    original = rollup.read_parts
    monkeypatch.setattr(rollup, "read_parts", lambda *args, **kwargs: calls.append(args[1:3]) or original(*args, **kwargs))
    for by in ("officer", "counter", "service", "day"):
        summary(three_days, DAY1, DAY3, by, now=later(moment, minutes=30))
    assert calls == []
    assert summary(three_days, DAY1, DAY3, "officer", now=moment) == first
    assert three_days.execute("SELECT COUNT(*) FROM report_rollup").fetchone()[0] == rows
    assert built(three_days) == [DAY1, DAY2]


def test_a_rating_arriving_after_midnight_within_the_window_is_counted(db):
    build_known_center(db)
    ticket = serve_late_on_day2(db)
    expire_past_days(db, now=later(at(DAY3, "00:00"), seconds=10))
    early = summary(db, DAY2, DAY2, "day", now=later(at(DAY3, "00:00"), seconds=30))
    assert built(db) == []  # still inside the window after the last finish: not closed yet
    rate_late(db, ticket, at(DAY3, "00:01"))
    [day2] = summary(db, DAY2, DAY2, "day", now=at(DAY3, "10:00"))
    assert built(db) == [DAY2]
    assert day2["ratings"]["satisfied"] == early[0]["ratings"]["satisfied"] + 1
    assert day2["not_rated"] == early[0]["not_rated"] - 1 == 0


def test_a_service_finished_after_midnight_keeps_its_day_open_for_its_rating(db):
    build_known_center(db)
    ticket = serve_late_on_day2(db, finished=at(DAY3, "00:02"))  # before the end-of-day pass
    expire_past_days(db, now=later(at(DAY3, "00:02"), seconds=10))
    summary(db, DAY1, DAY2, "officer", now=at(DAY3, "00:04"))  # midnight + window has passed
    assert built(db) == [DAY1]
    rate_late(db, ticket, later(at(DAY3, "00:04"), seconds=30))
    rows = {row["key"]: row for row in summary(db, DAY1, DAY2, "officer", now=at(DAY3, "10:00"))}
    assert built(db) == [DAY1, DAY2]
    assert (rows["an"]["served"], rows["an"]["ratings"]["satisfied"], rows["an"]["not_rated"]) == (4, 2, 1)


def test_a_day_with_a_ticket_still_open_is_not_rolled_up(db):
    build_known_center(db)  # day 2's D001 is still waiting: no end-of-day pass yet
    rows = summary(db, DAY1, DAY2, "service", now=at(DAY3, "10:00"))
    assert built(db) == [DAY1]
    assert rows == EXPECTED["service"]


def test_a_late_rating_after_the_window_was_lengthened_rebuilds_its_day(db):
    build_known_center(db)
    ticket = serve_late_on_day2(db)
    expire_past_days(db, now=at(DAY3, "00:00"))
    before = summary(db, DAY2, DAY2, "officer", now=at(DAY3, "00:05"))
    assert built(db) == [DAY2]
    rating = get_setting(db, "rating")
    with write(db):
        put_setting(db, "rating", rating | {"window_s": 3600})
    rate_late(db, ticket, at(DAY3, "00:10"), level="very_satisfied")
    assert built(db) == []
    after = {row["key"]: row for row in summary(db, DAY2, DAY2, "officer", now=at(DAY3, "10:00"))}
    assert after["an"]["ratings"]["very_satisfied"] == 1 and after["an"]["not_rated"] == 0
    assert [row["key"] for row in before] == sorted(after)


def test_a_changed_version_rebuilds_the_roll_up(db, monkeypatch):
    build_known_center(db)
    expire_past_days(db, now=at(DAY3, "00:00"))
    summary(db, DAY1, DAY2, "day", now=at(DAY3, "10:00"))
    monkeypatch.setattr(rollup, "ROLLUP_VERSION", rollup.ROLLUP_VERSION + 1)
    assert summary(db, DAY1, DAY2, "day", now=at(DAY3, "10:00")) == EXPECTED["day"]
    versions = {version for (version,) in db.execute("SELECT version FROM report_rollup_days")}
    assert versions == {rollup.ROLLUP_VERSION}


def test_evaluation_reads_the_roll_up_with_the_same_figures(three_days):
    assert evaluation(three_days, "2026-Q4", now=at(DAY3, "10:00")) == evaluation(three_days, "2026-Q4")
    assert built(three_days)[-1] == DAY2


def test_background_job_builds_missing_closed_days_once(three_days):
    assert rollup.build_missing(three_days, now=at(DAY3, "00:00"), days=3) == 2  # 22 Nov (empty) and day 1
    assert built(three_days) == ["2026-11-22", DAY1]  # day 2 still inside the rating window
    assert rollup.build_missing(three_days, now=at(DAY3, "00:05"), days=3) == 1
    assert rollup.build_missing(three_days, now=at(DAY3, "00:06"), days=3) == 0
    assert built(three_days) == ["2026-11-22", DAY1, DAY2]


@pytest.mark.parametrize("seed", range(20))
def test_p90_over_sorted_runs_is_the_nearest_rank_of_all_values(seed):
    import random

    from layso.reports.parts import p90
    rng = random.Random(seed)
    runs = [sorted(rng.choice([rng.randint(0, 50), rng.random() * 3000]) for _ in range(rng.randint(0, 400)))
            for _ in range(rng.randint(1, 40))]
    values = sorted(value for run in runs for value in run)
    expected = values[-(-9 * len(values) // 10) - 1] if values else None
    assert p90(runs) == expected


def test_p90_over_runs_whose_sample_overshoots_still_gives_the_exact_value():
    from layso.reports.parts import p90
    # Every 16th value of each run is sampled: here half the sample is the rare large value,
    # so the sampled threshold is too high and the full sort answers.
    assert p90([[0.0] * 16 + [100.0]] * 120) == 0.0
    assert p90([[0.0] * 14 + [100.0] * 3] * 120) == 100.0
