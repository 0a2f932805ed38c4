"""How figures are written for people: one table of cases per function (layso/reports/formats.py)."""

import pytest

from layso.reports import formats
from layso.reports.appointments import appointments_text
from layso.reports.channels import channels_text


@pytest.mark.parametrize("value, places, vi, en", [
    (0, 0, "0", "0"), (1234, 0, "1.234", "1,234"), (1234567.25, 1, "1.234.567,3", "1,234,567.3"),
    (2.345, 2, "2,35", "2.35"), (None, 0, "–", "–"),
    # places=None: the decimals the value has, as a setting's bounds are written in a message
    (2.5, None, "2,5", "2.5"), (0.1, None, "0,1", "0.1"), (120, None, "120", "120"), (120.0, None, "120", "120"),
    (604800, None, "604.800", "604,800"),
])
def test_numbers_in_vietnamese_and_english(value, places, vi, en):
    assert (formats.number(value, places, "vi"), formats.number(value, places, "en")) == (vi, en)


@pytest.mark.parametrize("value, vi, en", [
    (92.5, "92,5 %", "92.5%"), (100, "100,0 %", "100.0%"), (66.65, "66,7 %", "66.7%"), (None, "–", "–")])
def test_percentages(value, vi, en):
    assert (formats.percent(value, "vi"), formats.percent(value, "en")) == (vi, en)


@pytest.mark.parametrize("seconds, vi, en", [
    (0, "0 giây", "0 s"), (0.4, "0 giây", "0 s"), (0.5, "1 giây", "1 s"), (45, "45 giây", "45 s"),
    (59.5, "1 phút", "1 min"), (504, "8 phút 24 giây", "8 min 24 s"), (471.4, "7 phút 51 giây", "7 min 51 s"),
    (4800, "1 giờ 20 phút", "1 h 20 min"), (3661, "1 giờ 1 phút 1 giây", "1 h 1 min 1 s"), (None, "–", "–"),
])
def test_durations_are_rounded_to_the_second_and_read_as_minutes_and_seconds(seconds, vi, en):
    assert (formats.duration(seconds, "vi"), formats.duration(seconds, "en")) == (vi, en)


def test_dates_are_day_month_year():
    assert (formats.day("2026-11-03"), formats.moment("2026-11-03T09:05:07+07:00")) == ("03/11/2026", "03/11/2026 09:05")
    assert formats.weekday("2026-11-23") == "Thứ Hai"


def test_names_sort_in_vietnamese_alphabet_order():
    names = ["Giang", "Ê", "Đức", "Dũng", "E", "An", "Ân"]
    assert sorted(names, key=formats.name_order) == ["An", "Ân", "Dũng", "Đức", "E", "Ê", "Giang"]


@pytest.mark.parametrize("counts, vi, en", [
    ({"kiosk": 1200, "remote": 15, "appointment": 0}, "Số đã lấy: 1.200 tại kiosk · 15 từ xa",
     "Numbers taken: 1,200 at a kiosk · 15 remotely"),
    ({"kiosk": 0, "remote": 0, "appointment": 3}, "Số đã lấy: 3 theo lịch hẹn", "Numbers taken: 3 by appointment"),
    ({"kiosk": 0, "remote": 0, "appointment": 0}, "Số đã lấy: 0", "Numbers taken: 0"),
])
def test_a_line_of_counts_names_only_what_happened(counts, vi, en):
    assert (channels_text(counts, "vi"), channels_text(counts, "en")) == (vi, en)
    booked = {"booked": 12, "checked_in": 9, "no_show": 2, "cancelled": 0}
    assert appointments_text(booked) == "Lịch hẹn: 12 đã đặt · 9 đã đến · 2 không đến"
