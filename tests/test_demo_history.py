"""Issue 20, "Demo with history": a new demo database gets the past 30 days of a living
center (layso.demo.history), written as the core writes them; today's queue starts empty."""

import json
import random
from collections import Counter
from datetime import datetime, timedelta

import pytest
import requests

from layso.demo import model
from layso.demo.history import generate_history
from layso.reports.summary import summary
from tests.helpers import TZ

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=TZ)  # a Monday; 2026-11-01 (a Sunday) is 22 days before


@pytest.fixture
def history(db):
    made = generate_history(db, now=NOW, days=30)
    return db, made


def test_the_history_covers_the_open_days_before_today_and_nothing_of_today(history):
    db, made = history
    days = [day for (day,) in db.execute("SELECT DISTINCT day FROM tickets ORDER BY day")]
    first = (NOW - timedelta(days=30)).date().isoformat()
    assert days[0] >= first and days[-1] == "2026-11-21"  # Sunday 22nd: the test center is closed
    weekdays = {datetime.fromisoformat(day).weekday() for day in days}
    assert 6 not in weekdays  # the test center is closed on Sundays
    assert made["days"] == len(days) and made["tickets"] == db.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    assert db.execute("SELECT COUNT(*) FROM tickets WHERE status IN ('waiting', 'called', 'held')").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM waiting_counts WHERE waiting != 0").fetchone()[0] == 0
    times = [at[11:16] for (at,) in db.execute("SELECT issued_at FROM tickets")]
    assert all("07:30" <= time < "11:15" or "13:30" <= time < "16:45" for time in times)  # open, not in the last 15 min
    by_hour = Counter(time[:2] for time in times)
    assert by_hour["08"] > by_hour["10"] and by_hour["14"] > by_hour["16"]  # the morning and afternoon peaks


def test_every_ticket_is_consistent_with_its_stretches_its_trail_and_its_rating(history):
    db, _ = history
    for ticket in db.query("SELECT * FROM tickets"):
        visits = list(db.query("SELECT * FROM visits WHERE ticket = ? ORDER BY id", [ticket["id"]]))
        actions = [row["action"] for row in db.query("SELECT action FROM ticket_events WHERE ticket = ? ORDER BY id",
                                                     [ticket["id"]])]
        assert actions[0] == "issued" and ticket["calls"] == len(visits) == actions.count("called")
        assert ticket["wait_s"] == pytest.approx(sum(visit["wait_s"] for visit in visits))
        assert ticket["service_s"] == pytest.approx(sum(visit["service_s"] for visit in visits))
        last = visits[-1]
        assert last["outcome"] == ticket["status"] and actions[-1] == ticket["status"]
        assert ticket["closed_at"] == last["ended_at"] and ticket["counter"] == last["counter"]
        assert all(visit["outcome"] == "transferred" for visit in visits[:-1])
        assert ticket["transferred"] == int(len(visits) > 1)
        assert ticket["number"].startswith(db.table("services").get(ticket["number_service"])["prefix"])
    unrated_finished = db.execute(
        "SELECT COUNT(*) FROM ratings r JOIN tickets t ON t.id = r.ticket WHERE t.status != 'finished'").fetchone()[0]
    assert unrated_finished == 0


def test_ratings_are_mostly_satisfied_about_one_percent_not_with_reasons_and_some_not_rated(history):
    db, _ = history
    finished = db.execute("SELECT COUNT(*) FROM tickets WHERE status = 'finished'").fetchone()[0]
    levels = Counter(level for (level,) in db.execute("SELECT level FROM ratings"))
    rated = sum(levels.values())
    assert 0.80 * finished < rated < 0.95 * finished
    assert 0 < levels["not_satisfied"] < 0.03 * rated
    assert levels["very_satisfied"] > levels["satisfied"] > levels["not_satisfied"]
    for (reasons,) in db.execute("SELECT reasons FROM ratings WHERE level = 'not_satisfied'"):
        assert 1 <= len(json.loads(reasons)) <= 2
    no_shows = db.execute("SELECT COUNT(*) FROM tickets WHERE status = 'no_show'").fetchone()[0]
    assert 0 < no_shows < 0.1 * finished
    assert db.execute("SELECT COUNT(*) FROM tickets WHERE priority = 1").fetchone()[0] > 0


def test_the_reports_count_what_the_history_wrote(history):
    db, _ = history
    totals = Counter()
    for row in summary(db, "2026-10-24", "2026-11-22", "service", now=NOW):
        totals.update({key: row[key] for key in ("issued", "served", "no_show", "transferred")})
    assert totals["issued"] == db.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    assert totals["served"] == db.execute("SELECT COUNT(*) FROM tickets WHERE status = 'finished'").fetchone()[0]
    assert totals["no_show"] == db.execute("SELECT COUNT(*) FROM tickets WHERE status = 'no_show'").fetchone()[0]
    assert totals["transferred"] == db.execute("SELECT COUNT(*) FROM tickets WHERE transferred = 1").fetchone()[0]


def test_the_same_seed_gives_the_same_day_and_a_center_always_open_gets_usual_hours():
    def a_day(seed):
        spans = model.spans_of({"monday": ["00:00-24:00"]}, datetime(2026, 11, 23, tzinfo=TZ))
        return model.day_citizens(random.Random(seed), spans=spans, services=["HT"], priority_reasons=[], levels=[],
                                  reasons=[])

    first = a_day(5)
    assert first and first == a_day(5) and first != a_day(6)
    assert all("07:30" <= person.arrives.strftime("%H:%M") < "11:15" or "13:30" <= person.arrives.strftime("%H:%M") < "16:45"
               for person in first)
    assert model.spans_of({"holidays": ["2026-11-23"], "monday": ["07:30-11:30"]}, datetime(2026, 11, 23, tzinfo=TZ)) == []


def test_an_empty_center_gets_no_history(tmp_path):
    from layso.store.db import open_db
    from layso.store.migrations import migrate

    database = open_db(tmp_path / "empty.db")
    migrate(database)  # no services, no counters, no hours
    assert generate_history(database, now=NOW) == {"days": 0, "tickets": 0, "ratings": 0}


def test_a_fresh_demo_start_shows_the_past_month_in_the_summary_and_an_empty_queue_today(live_server):
    live_server.start(env={"LAYSO_DEMO_HISTORY_DAYS": "30"})
    manager = live_server.login("lanhdao")
    today = datetime.now(TZ).date()
    answer = requests.get(live_server.url + "/api/v1/reports/summary", headers=manager, timeout=30, params={
        "from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat(), "by": "day"})
    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    days = {row["key"] for row in rows if row["issued"]}
    assert len(days) >= 20 and today.isoformat() not in days  # six days a week for 30 days, none today
    assert all(row["served"] > 0 and sum(row["ratings"].values()) > 0 for row in rows if row["issued"])
    state = requests.get(live_server.url + "/api/v1/state", timeout=10).json()
    assert all(service["waiting"] == 0 for service in state["services"])
    live_server.restart()  # the same database: no second month
    again = requests.get(live_server.url + "/api/v1/reports/summary", headers=manager, timeout=30, params={
        "from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat(), "by": "day"}).json()["rows"]
    assert again == rows
