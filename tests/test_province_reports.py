"""Province reports (docs/hub.md, "Reports"): for any center and period the hub's figures
equal the center's own report exactly, counted by the center's functions over the rows the
hub holds, with closed days from the hub's roll-up and the rest read live; late rows drop a
stale day's roll-up."""

from datetime import timedelta

import psycopg
import pytest

from layso.province.centers import register_center
from layso.province.reports import build_missing, province_summary
from layso.province.tables import province_table
from layso.reports.summary import summary
from tests.helpers import later
from tests.province_data import as_json, at, busy_days, replicate, rows_without_center, send_late_wait
from tests.report_data import DAY1, DAY2, build_known_center

BYS = ("officer", "counter", "service", "day")


@pytest.fixture
def hub(hub_database_url):
    with psycopg.connect(hub_database_url, autocommit=True) as connection:
        register_center(connection, "xa-a", "Trung tâm xã A", by=None, token="token-a")
        register_center(connection, "xa-b", "Trung tâm xã B", by=None, token="token-b")
        yield connection


def assert_same(db, hub, first, last, *, now, code="xa-a", build=True):
    for by in BYS:
        center_rows = summary(db, first, last, by, now=now)
        hub_rows = province_summary(hub, first, last, by, center=code, now=now, build=build)
        assert {row["center"] for row in hub_rows} <= {code}
        assert as_json(rows_without_center(hub_rows)) == as_json(center_rows), by
    (center_row,) = summary(db, first, last, "center", now=now)
    (hub_row,) = province_summary(hub, first, last, "center", center=code, now=now, build=build)
    assert hub_row["center"] == code and hub_row["key"] == code
    assert as_json(rows_without_center([hub_row | {"key": "center"}])) == as_json([center_row])


def test_the_known_days_give_the_centers_figures(db, hub, now):
    build_known_center(db)
    moment = at(DAY2, 3 * 86400)  # days later: both days closed
    replicate(db, hub, "xa-a", now=moment)
    assert_same(db, hub, DAY1, DAY2, now=moment)
    assert_same(db, hub, DAY1, DAY1, now=moment)


def test_random_weeks_equal_the_center_for_every_grouping_and_period(db, hub):
    busy_days(db, "2026-11-02", 12, seed=18)
    moment = at("2026-11-13", 10 * 3600)  # the 13th is today, still open
    busy_days(db, "2026-11-13", 1, seed=19, close=False)
    replicate(db, hub, "xa-a", now=moment)
    for first, last in (("2026-11-02", "2026-11-13"), ("2026-11-05", "2026-11-05"), ("2026-10-01", "2026-12-31"),
                        ("2026-11-13", "2026-11-13")):
        assert_same(db, hub, first, last, now=moment)
    # the second time, closed days come from the hub's roll-up
    assert hub.execute("SELECT count(*) FROM rollup_days").fetchone()[0] == 11
    assert_same(db, hub, "2026-11-02", "2026-11-13", now=moment)
    assert_same(db, hub, "2026-11-02", "2026-11-13", now=moment, build=False)


def test_a_late_row_drops_the_days_roll_up(db, hub):
    busy_days(db, "2026-11-02", 3, seed=5)
    moment = at("2026-11-06", 9 * 3600)
    replicate(db, hub, "xa-a", now=moment)
    assert_same(db, hub, "2026-11-02", "2026-11-04", now=moment)
    assert hub.execute("SELECT count(*) FROM rollup_days").fetchone()[0] == 3
    # a center offline for days sends a changed row of the 3rd (here: a stretch's wait corrected)
    send_late_wait(db, hub, "xa-a", "2026-11-03", seconds=1.25, now=moment)
    assert [day for (day,) in hub.execute("SELECT day::text FROM rollup_days ORDER BY day")] == [
        "2026-11-02", "2026-11-04"]
    assert_same(db, hub, "2026-11-02", "2026-11-04", now=moment)


def test_centers_are_reported_apart_and_together(db, hub, make_settings, tmp_path):
    busy_days(db, "2026-11-02", 2, seed=1)
    moment = at("2026-11-05", 9 * 3600)
    replicate(db, hub, "xa-a", now=moment)
    rows = province_summary(hub, "2026-11-01", "2026-11-30", "center", now=moment)
    assert [row["center"] for row in rows] == ["xa-a", "xa-b"]
    assert rows[1]["issued"] == 0 and rows[1]["avg_wait_s"] is None and rows[1]["satisfied_pct"] is None
    assert rows[0]["issued"] == summary(db, "2026-11-01", "2026-11-30", "center", now=moment)[0]["issued"] > 0
    by_service = province_summary(hub, "2026-11-01", "2026-11-30", "service", now=moment)
    assert {row["center"] for row in by_service} == {"xa-a"}


def test_an_empty_province_and_a_long_period(hub, now):
    assert province_summary(hub, "2024-01-01", "2026-12-31", "day", now=now) == []
    rows = province_summary(hub, "2026-01-01", "2026-12-31", "center", now=now)
    assert [row["key"] for row in rows] == ["xa-a", "xa-b"]


def test_build_missing_rolls_up_closed_days_for_every_center(db, hub):
    busy_days(db, "2026-11-02", 3, seed=7)
    moment = at("2026-11-05", 9 * 3600)
    replicate(db, hub, "xa-a", now=moment)
    assert build_missing(hub, now=moment) == 3
    assert build_missing(hub, now=moment) == 0
    assert build_missing(hub, now=moment - timedelta(days=3)) == 0  # nothing closed yet then


def test_the_province_table_names_centers_and_services(db, hub):
    build_known_center(db)
    moment = later(at(DAY2, 0), minutes=3 * 24 * 60)
    replicate(db, hub, "xa-a", now=moment)
    rows = province_summary(hub, DAY1, DAY2, "service", now=moment)
    table = province_table(hub, rows, by="service")
    assert table["columns"][0]["key"] == "center"
    assert table["rows"][0][:3] == ["Trung tâm xã A", "GCN", "Đất đai"]
    by_center = province_table(hub, province_summary(hub, DAY1, DAY2, "center", now=moment), by="center")
    assert [cells[:2] for cells in by_center["rows"]] == [["xa-a", "Trung tâm xã A"], ["xa-b", "Trung tâm xã B"]]
