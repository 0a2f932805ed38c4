"""Every report figure against hand counts of a known set of tickets (tests/report_data.py)."""

import pytest

from layso.errors import InvalidInput
from layso.reports.evaluation import evaluation, quarter_period, rank
from layso.reports.summary import half_up, summary
from tests.report_data import DAY1, DAY2, EXPECTED, build_known_center


@pytest.fixture
def known(db):
    build_known_center(db)
    return db


@pytest.mark.parametrize("by", ["officer", "counter", "service", "day", "center"])
def test_summary_matches_hand_counts(known, by):
    assert summary(known, DAY1, DAY2, by) == EXPECTED[by]


def test_summary_period_is_inclusive_local_dates(known):
    assert [row["key"] for row in summary(known, DAY2, DAY2, "day")] == [DAY2]
    rows = summary(known, DAY2, DAY2, "officer")
    assert [(row["key"], row["issued"], row["served"]) for row in rows] == [("binh", 1, 1)]


def test_ticket_never_called_counts_as_issued_only(known):
    gcn_day2 = summary(known, DAY2, DAY2, "service")
    assert [(row["key"], row["issued"], row["served"], row["avg_wait_s"]) for row in gcn_day2] == [
        ("GCN", 1, 0, None), ("HT", 1, 1, 240.0)]


def test_empty_period_has_no_rows(known):
    assert summary(known, "2026-01-01", "2026-01-31", "service") == []


def test_not_rated_plus_ratings_equals_served(known):
    for row in summary(known, DAY1, DAY2, "officer"):
        assert row["not_rated"] + sum(row["ratings"].values()) == row["served"]


def test_satisfied_levels_follow_the_configuration(known):
    from layso.store.center import get_setting, put_setting
    from layso.store.db import write
    rating = get_setting(known, "rating")
    for level in rating["levels"]:
        level["satisfied"] = level["id"] == "very_satisfied"
    with write(known):
        put_setting(known, "rating", rating)
    day1 = summary(known, DAY1, DAY1, "day")[0]
    assert day1["satisfied_pct"] == 33.3


@pytest.mark.parametrize("date_from, date_to", [
    ("2026-11-1", "2026-11-02"), ("2026-02-30", "2026-03-01"), ("2026-11-24", "2026-11-23"), (None, "2026-11-23"),
])
def test_bad_dates_are_refused(db, date_from, date_to):
    with pytest.raises(InvalidInput):
        summary(db, date_from, date_to, "day")


def test_unknown_grouping_is_refused(db):
    with pytest.raises(InvalidInput):
        summary(db, DAY1, DAY1, "kiosk")


def test_half_up_rounds_halves_away_from_zero():
    assert (half_up(12.25), half_up(66.66666), half_up(0.05), half_up(None)) == (12.3, 66.7, 0.1, None)


def test_quarter_covers_its_three_months():
    assert quarter_period("2026-Q4") == ("2026-10-01", "2026-12-31")
    assert quarter_period("2024-Q1") == ("2024-01-01", "2024-03-31")
    with pytest.raises(InvalidInput):
        quarter_period("2026-Q5")


def test_evaluation_sums_configured_points_per_officer(known):
    result = evaluation(known, "2026-Q4")
    figures = [(o["key"], o["rated"], o["points"], o["points_avg"], o["rank"]) for o in result["officers"]]
    # an: 2 + 1; binh: 2; cuong: 0 from one rating; dung: nobody rated him, so no rank at all.
    assert figures == [("an", 2, 3, 1.5, 1), ("binh", 1, 2, 2.0, 2), ("cuong", 1, 0, 0.0, 3), ("dung", 0, 0, None, None)]
    an = result["officers"][0]
    assert (an["name"], an["served"], an["avg_service_s"]) == ("Nguyễn Văn An", 3, 440.0)


def test_rank_ties_share_a_rank_and_unrated_officers_come_last_without_one():
    def officer(key, name, rated, points):
        return {"key": key, "name": name, "rated": rated, "points": points}

    officers = [officer("e", "Ê", 0, 0), officer("d", "Dũng", 3, 0), officer("c", "Cường", 2, 4),
                officer("b", "Bình", 5, 7), officer("a", "An", 4, 4), officer("g", "Giang", 0, 0)]
    rank(officers)
    assert [(o["key"], o["rank"]) for o in officers] == [
        ("b", 1), ("a", 2), ("c", 2), ("d", 4), ("e", None), ("g", None)]


def test_evaluation_outside_the_quarter_is_all_zero(known):
    result = evaluation(known, "2026-Q3")
    assert {o["key"]: o["points"] for o in result["officers"]} == {"an": 0, "binh": 0, "cuong": 0, "dung": 0}
    assert {o["rank"] for o in result["officers"]} == {None}


def test_transfer_to_another_service_keeps_issued_with_the_chosen_service(db):
    from layso.queue.calling import call_next, finish, transfer
    from layso.queue.counters import open_counter
    from layso.queue.tickets import issue_ticket
    from tests.report_data import at

    open_counter(db, 2, officer="binh", now=at(DAY1, "08:55"))
    open_counter(db, 3, officer="cuong", now=at(DAY1, "08:55"))
    issue_ticket(db, "LLTP", now=at(DAY1, "09:00"))
    call_next(db, 2, officer="binh", now=at(DAY1, "09:01"))
    transfer(db, 2, officer="binh", service="GCN", now=at(DAY1, "09:05"))
    call_next(db, 3, officer="cuong", now=at(DAY1, "09:06"))
    finish(db, 3, officer="cuong", now=at(DAY1, "09:10"))
    rows = {row["key"]: row for row in summary(db, DAY1, DAY1, "service")}
    assert [(key, rows[key]["issued"], rows[key]["served"], rows[key]["transferred"], rows[key]["avg_wait_s"],
             rows[key]["avg_service_s"]) for key in sorted(rows)] == [
        ("GCN", 0, 1, 0, 60.0, 240.0), ("LLTP", 1, 0, 1, 60.0, 240.0)]


def test_a_citizen_still_at_the_counter_counts_their_wait_but_no_service_yet(db):
    from layso.queue.calling import call_next
    from layso.queue.counters import open_counter
    from layso.queue.tickets import issue_ticket
    from tests.report_data import at

    open_counter(db, 1, officer="an", now=at(DAY1, "08:55"))
    issue_ticket(db, "HT", now=at(DAY1, "09:00"))
    call_next(db, 1, officer="an", now=at(DAY1, "09:03"))
    [row] = summary(db, DAY1, DAY1, "officer")
    assert (row["issued"], row["served"], row["no_show"], row["transferred"], row["not_rated"]) == (1, 0, 0, 0, 0)
    assert (row["avg_wait_s"], row["p90_wait_s"], row["avg_service_s"], row["p90_service_s"]) == (180.0, 180.0, None, None)
