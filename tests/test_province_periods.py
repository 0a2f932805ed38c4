"""The hub's roll-up of closed months and years (layso/province/periods.py, docs/scale.md "The year
summary"): read from it, every figure still equals the center's own report exactly — a period of
whole months, one across a month boundary, one starting mid-month, a whole year, an empty
period — and a late row of a closed month drops that month and its year."""

import math
from datetime import date
from fractions import Fraction

import psycopg
import pytest

from layso.province.centers import register_center
from layso.province.periods import exact_sum, pack, periods_within, unpack
from layso.province.reports import build_missing, province_summary
from layso.reports.summary import summary
from tests.province_data import as_json, at, busy_days, replicate, rows_without_center, send_late_wait

BYS = ("officer", "counter", "service", "day")
MOMENT = at("2026-01-07", 10 * 3600)  # the 7th of January 2026: 2025 is over and closed


@pytest.fixture
def hub(hub_database_url):
    with psycopg.connect(hub_database_url, autocommit=True) as connection:
        register_center(connection, "xa-a", "Trung tâm xã A", by=None, token="token-a")
        yield connection


@pytest.fixture
def busy(db, hub):
    """Activity on both sides of the October/November boundary, in December, and in this week."""
    busy_days(db, "2025-10-30", 4, seed=31)  # 30, 31 October, 1, 2 November
    busy_days(db, "2025-12-15", 1, seed=32)
    busy_days(db, "2026-01-05", 1, seed=33)
    replicate(db, hub, "xa-a", now=MOMENT)


def assert_same(db, hub, first, last, *, build=True):
    for by in BYS:
        hub_rows = province_summary(hub, first, last, by, center="xa-a", now=MOMENT, build=build)
        assert as_json(rows_without_center(hub_rows)) == as_json(summary(db, first, last, by, now=MOMENT)), by
    (hub_row,) = province_summary(hub, first, last, "center", center="xa-a", now=MOMENT, build=build)
    (center_row,) = summary(db, first, last, "center", now=MOMENT)
    assert as_json(rows_without_center([hub_row | {"key": "center"}])) == as_json([center_row])


def built(hub) -> list[tuple[str, str]]:
    return [(period, first) for period, first in hub.execute(
        "SELECT period, first_day::text FROM rollup_periods_built ORDER BY period, first_day")]


def test_periods_within_a_period():
    assert periods_within("2025-10-15", "2025-12-31") == [("month", date(2025, 11, 1)), ("month", date(2025, 12, 1))]
    assert periods_within("2025-01-01", "2026-02-27") == [("year", date(2025, 1, 1)), ("month", date(2026, 1, 1))]
    assert periods_within("2025-01-01", "2025-12-31", years=False)[-1] == ("month", date(2025, 12, 1))
    assert periods_within("2025-10-02", "2025-10-31") == []


def test_exact_sums_and_packed_values():
    values = [0.1, 0.2, 0.30000000000000004, 1e-3, 2400.5, 1e-9, 86399.99999999999]
    assert Fraction(exact_sum(values)) == sum(map(Fraction, values))  # no rounding at all
    assert float(exact_sum(values)) == math.fsum(values)  # rounded once, as the center's mean rounds it
    assert list(unpack(pack(sorted(values)))) == sorted(values)


def test_whole_months_across_a_boundary_equal_the_center(db, hub, busy):
    assert_same(db, hub, "2025-10-01", "2025-11-30")  # two month rows a key: values read, p90 of both
    assert {("month", "2025-10-01"), ("month", "2025-11-01")} <= set(built(hub))
    assert_same(db, hub, "2025-11-01", "2025-11-30")  # one row a key: the stored p90
    assert_same(db, hub, "2025-10-01", "2025-11-30", build=False)


def test_a_period_starting_mid_month_mixes_days_and_months(db, hub, busy):
    assert_same(db, hub, "2025-10-31", "2025-12-31")  # 31 October from the daily roll-up, then two months
    assert_same(db, hub, "2025-11-02", "2026-01-07")  # a day, December, and this week read live


def test_a_whole_year_is_read_from_its_row(db, hub, busy):
    assert_same(db, hub, "2025-01-01", "2025-12-31")
    assert ("year", "2025-01-01") in built(hub)
    assert_same(db, hub, "2025-01-01", "2026-01-07")  # the year's row, then live days


def test_an_empty_period(db, hub, busy):
    assert_same(db, hub, "2025-03-01", "2025-03-31")
    assert ("month", "2025-03-01") in built(hub)
    assert province_summary(hub, "2025-03-01", "2025-03-31", "service", now=MOMENT) == []
    assert_same(db, hub, "2024-01-01", "2024-12-31")


def test_a_late_row_drops_its_closed_month_and_year(db, hub, busy):
    assert_same(db, hub, "2025-01-01", "2025-12-31")
    assert_same(db, hub, "2025-10-01", "2025-12-31")
    assert {("month", "2025-10-01"), ("month", "2025-11-01"), ("year", "2025-01-01")} <= set(built(hub))
    # a center offline for weeks sends a changed stretch of 1 November
    send_late_wait(db, hub, "xa-a", "2025-11-01", seconds=1000.25, now=MOMENT)
    left = set(built(hub))
    assert ("month", "2025-11-01") not in left and ("year", "2025-01-01") not in left
    assert ("month", "2025-10-01") in left and ("month", "2025-12-01") in left
    assert_same(db, hub, "2025-10-01", "2025-12-31", build=False)  # November read from its days meanwhile
    assert_same(db, hub, "2025-01-01", "2025-12-31")
    assert ("year", "2025-01-01") in set(built(hub))


def test_the_background_job_rolls_up_last_month_and_last_year(db, hub, busy):
    build_missing(hub, now=MOMENT)
    assert {("month", "2025-12-01"), ("year", "2025-01-01")} <= set(built(hub))
    assert_same(db, hub, "2025-01-01", "2025-12-31", build=False)
