"""The remote limits as a table: a setting, a moment, what a remote request gets."""

import pytest

from layso.errors import ServiceClosed, TooManyRequests
from layso.queue.remote import service_rules
from layso.queue.tickets import issue_ticket
from tests.helpers import issue

PHONE = "+84912345678"


def outcome(db, service, moment, phone=PHONE) -> str:
    try:
        issue_ticket(db, service, now=moment, channel="remote", phone=phone)
        return "issued"
    except TooManyRequests as refusal:
        return refusal.code
    except ServiceClosed:
        return "closed"


@pytest.mark.parametrize("setting, clock, expected", [
    ({}, "09:00", "issued"),
    ({}, "10:59", "issued"),               # the morning span ends 11:30: margin 30 min
    ({}, "11:00", "remote_limit"),
    ({}, "11:29", "remote_limit"),
    ({}, "11:30", "closed"),               # outside opening hours, as at the kiosk
    ({}, "13:30", "issued"),               # the afternoon span
    ({}, "16:30", "remote_limit"),
    ({"close_margin_min": 0}, "11:29", "issued"),
    ({"close_margin_min": 0, "last_issue": "10:00"}, "09:59", "issued"),
    ({"close_margin_min": 0, "last_issue": "10:00"}, "10:00", "remote_limit"),
    ({"services": {"HT": {"last_issue": "08:00"}}}, "09:00", "remote_limit"),
    ({"services": {"GCN": {"last_issue": "08:00"}}}, "09:00", "issued"),  # another service's own rule
    ({"enabled": False}, "09:00", "closed"),
    ({"enabled": False, "services": {"HT": {"enabled": True}}}, "09:00", "issued"),
])
def test_when_a_remote_number_may_be_taken(db, now, setting, clock, expected):
    change_setting_fresh(db, setting)
    hour, minute = map(int, clock.split(":"))
    assert outcome(db, "HT", now.replace(hour=hour, minute=minute)) == expected


@pytest.mark.parametrize("per_phone, taken_before, expected", [
    (1, 0, "issued"), (1, 1, "remote_limit"), (2, 1, "issued"), (2, 2, "remote_limit"), (0, 5, "issued"),
])
def test_remote_numbers_per_phone_per_day_and_service(db, now, per_phone, taken_before, expected):
    change_setting_fresh(db, {"per_phone_per_day": 0})
    for _ in range(taken_before):
        issue_ticket(db, "HT", now=now, channel="remote", phone=PHONE)
    issue_ticket(db, "GCN", now=now, channel="remote", phone=PHONE)  # another service: not counted
    issue(db, "HT", now)  # a kiosk number: not counted
    change_setting_fresh(db, {"per_phone_per_day": per_phone})
    assert outcome(db, "HT", now) == expected


@pytest.mark.parametrize("cap, share, remote_before, expected", [
    (5, 0.3, 0, "issued"),        # floor(1.5) = 1
    (5, 0.3, 1, "remote_limit"),
    (10, 0.3, 2, "issued"),       # floor(3.0) = 3
    (10, 0.3, 3, "remote_limit"),
    (3, 0.3, 0, "remote_limit"),  # floor(0.9) = 0: a small cap gives nothing remotely
    (5, 1.0, 4, "issued"),
    (5, 0.0, 0, "remote_limit"),
])
def test_a_capped_service_gives_remotely_at_most_its_share(db, now, cap, share, remote_before, expected):
    db.execute("UPDATE services SET daily_cap = ? WHERE code = 'LLTP'", [cap])
    change_setting_fresh(db, {"cap_share": 1.0})
    for index in range(remote_before):
        issue_ticket(db, "LLTP", now=now, channel="remote", phone=f"+8491234560{index}")
    change_setting_fresh(db, {"cap_share": share})
    assert outcome(db, "LLTP", now) == expected


def test_a_service_rule_overrides_the_center_value_and_nothing_else(db):
    change_setting_fresh(db, {"per_phone_per_day": 3, "services": {"HT": {"come_when_ahead": 9}}})
    assert service_rules(db, "HT") == {
        "enabled": True, "per_phone_per_day": 3, "cap_share": 0.3, "last_issue": None, "close_margin_min": 30,
        "come_when_ahead": 9}
    assert service_rules(db, "GCN")["come_when_ahead"] == 5


def change_setting_fresh(db, value: dict):
    """Store the whole ``remote`` setting as an admin would."""
    from datetime import datetime

    from layso.store.center import set_setting
    from tests.helpers import TZ

    set_setting(db, "remote", value, by="quantri", now=datetime(2026, 11, 23, 7, 0, tzinfo=TZ))
