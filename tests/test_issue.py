"""Issuing a ticket (lấy số): daily numbers per service, priority, when a service is closed,
people ahead and the estimated wait."""

from datetime import datetime

import pytest

from layso.errors import InvalidInput, ServiceClosed, UnknownService
from layso.queue.counters import open_counter
from layso.queue.services import service_overview
from layso.queue.tickets import issue_ticket
from tests.helpers import TZ, change_setting, issue, later, open_all_day, open_counters, serve, ticket_row


def test_issue_numbers_each_service_separately_from_one(db, now):
    labels = [issue(db, code, later(now, minutes=i))["number"] for i, code in enumerate(["HT", "HT", "LLTP", "HT", "GCN"])]
    assert labels == ["A001", "A002", "B001", "A003", "D001"]


def test_issue_stores_a_waiting_ticket_of_the_local_day(db, now):
    ticket = issue(db, "HT", now, kiosk="k1")
    row = ticket_row(db, ticket["id"])
    assert (row["day"], row["service"], row["seq"], row["number"], row["status"], row["kiosk"]) == (
        "2026-11-23", "HT", 1, "A001", "waiting", "k1")
    assert row["issued_at"] == row["queued_at"] == "2026-11-23T09:00:00+07:00"


def test_issue_restarts_numbers_the_next_day(db, now):
    issue(db, "HT", now)
    issue(db, "HT", later(now, minutes=1))
    tuesday = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
    ticket = issue(db, "HT", tuesday)
    assert ticket["number"] == "A001"
    assert ticket_row(db, ticket["id"])["day"] == "2026-11-24"


def test_issue_restarts_numbers_at_midnight_in_ho_chi_minh_city_not_utc(db):
    open_all_day(db)
    before_midnight = datetime(2026, 11, 23, 23, 59, tzinfo=TZ)
    # 06:30 on the 24th in Huế is still the 23rd in UTC (23:30Z): a new day all the same.
    early_morning = datetime(2026, 11, 24, 6, 30, tzinfo=TZ)
    assert early_morning.utcoffset().total_seconds() == 7 * 3600
    first = issue(db, "HT", before_midnight)
    second = issue(db, "HT", early_morning)
    assert (first["number"], second["number"]) == ("A001", "A001")
    assert [ticket_row(db, t["id"])["day"] for t in (first, second)] == ["2026-11-23", "2026-11-24"]


def test_issue_marks_priority_with_its_reason(db, now):
    ticket = issue(db, "HT", now, priority=True, priority_reason="elderly")
    assert (ticket["priority"], ticket["priority_reason"]) == (True, "elderly")
    assert (ticket_row(db, ticket["id"])["priority"], ticket_row(db, ticket["id"])["priority_reason"]) == (1, "elderly")


def test_issue_with_only_a_priority_reason_is_a_priority_ticket(db, now):
    assert issue(db, "HT", now, priority_reason="pregnant")["priority"] is True


def test_issue_refuses_a_priority_reason_not_in_the_configuration(db, now):
    with pytest.raises(InvalidInput):
        issue_ticket(db, "HT", now=now, priority=True, priority_reason="vip")
    assert db.table("tickets").count == 0


def test_issue_refuses_a_priority_flag_that_is_not_a_boolean(db, now):
    with pytest.raises(InvalidInput):
        issue_ticket(db, "HT", now=now, priority="yes")


def test_issue_normal_ticket_has_no_priority(db, now):
    ticket = issue(db, "HT", now)
    assert (ticket["priority"], ticket["priority_reason"]) == (False, None)


def test_issue_refuses_an_unknown_service(db, now):
    with pytest.raises(UnknownService):
        issue_ticket(db, "XX", now=now)


def test_issue_refuses_an_inactive_service(db, now):
    db.execute("UPDATE services SET active = 0 WHERE code = 'GCN'")
    with pytest.raises(UnknownService):
        issue_ticket(db, "GCN", now=now)


@pytest.mark.parametrize(
    "moment, reason",
    [
        (datetime(2026, 11, 23, 7, 29, tzinfo=TZ), "Ngoài giờ làm việc (07:30–11:30, 13:30–17:00)."),
        (datetime(2026, 11, 23, 12, 0, tzinfo=TZ), "Ngoài giờ làm việc (07:30–11:30, 13:30–17:00)."),
        (datetime(2026, 11, 23, 17, 0, tzinfo=TZ), "Ngoài giờ làm việc (07:30–11:30, 13:30–17:00)."),
        (datetime(2026, 11, 28, 14, 0, tzinfo=TZ), "Ngoài giờ làm việc (07:30–11:30)."),  # Saturday afternoon
        (datetime(2026, 11, 29, 9, 0, tzinfo=TZ), "Hôm nay không làm việc."),  # Sunday
        (datetime(2026, 9, 2, 9, 0, tzinfo=TZ), "Hôm nay là ngày nghỉ."),  # National Day, a Wednesday
    ],
)
def test_issue_refuses_outside_opening_hours_and_on_holidays_with_the_reason(db, moment, reason):
    with pytest.raises(ServiceClosed) as refused:
        issue_ticket(db, "HT", now=moment)
    assert refused.value.message == reason
    assert db.table("tickets").count == 0


@pytest.mark.parametrize("hour, minute", [(7, 30), (11, 29), (13, 30), (16, 59)])
def test_issue_accepts_inside_opening_hours(db, hour, minute):
    assert issue(db, "HT", datetime(2026, 11, 23, hour, minute, tzinfo=TZ))["number"] == "A001"


def test_a_day_open_until_24_00_is_open_in_its_last_minute(db):
    change_setting(db, "hours", monday=["00:00-24:00"])
    assert issue(db, "HT", datetime(2026, 11, 23, 23, 59, 59, tzinfo=TZ))["number"] == "A001"


def test_issue_refuses_once_the_daily_cap_is_reached(db, now):
    labels = [issue(db, "LLTP", later(now, minutes=i))["number"] for i in range(5)]
    assert labels[-1] == "B005"
    with pytest.raises(ServiceClosed) as refused:
        issue_ticket(db, "LLTP", now=later(now, minutes=6))
    assert refused.value.message == "Đã hết số trong ngày."
    assert issue(db, "HT", later(now, minutes=7))["number"] == "A001"  # other services still open
    assert issue(db, "LLTP", datetime(2026, 11, 24, 9, 0, tzinfo=TZ))["number"] == "B001"  # next day


def test_issue_refuses_a_service_closed_by_the_center_with_its_reason(db, now):
    db.execute("UPDATE services SET closed_reason = 'Mất kết nối phần mềm một cửa' WHERE code = 'GCN'")
    with pytest.raises(ServiceClosed) as refused:
        issue_ticket(db, "GCN", now=now)
    assert refused.value.message == "Mất kết nối phần mềm một cửa"


def test_issue_reports_people_ahead_in_the_same_queue(db, now):
    issue(db, "HT", now)
    issue(db, "HT", later(now, minutes=1))
    issue(db, "LLTP", later(now, minutes=2))
    assert issue(db, "HT", later(now, minutes=3))["ahead"] == 2
    assert issue(db, "LLTP", later(now, minutes=4))["ahead"] == 1


def test_issue_counts_priority_tickets_ahead_of_a_normal_one_but_not_the_reverse(db, now):
    issue(db, "HT", now)
    issue(db, "HT", later(now, minutes=1), priority_reason="elderly")
    assert issue(db, "HT", later(now, minutes=2))["ahead"] == 2
    assert issue(db, "HT", later(now, minutes=3), priority_reason="disabled")["ahead"] == 1


def test_estimated_wait_without_history_uses_the_default_over_every_counter_of_the_service(db, now):
    # No service history: queue.default_service_s = 300. No counter open: HT's 3 counters count.
    issue(db, "HT", now)
    issue(db, "HT", now)
    ticket = issue(db, "HT", now)
    assert (ticket["ahead"], ticket["estimated_wait_s"]) == (2, round(2 * 300 / 3))


def test_estimated_wait_is_people_ahead_times_recent_average_over_open_counters(db, now):
    open_counter(db, 1, officer="an", now=now)
    issue(db, "HT", now)
    issue(db, "HT", now)
    serve(db, 1, "an", later(now, minutes=1), minutes=3)  # 180 s
    serve(db, 1, "an", later(now, minutes=5), minutes=6)  # 360 s
    issue(db, "HT", later(now, minutes=20))
    issue(db, "HT", later(now, minutes=20))
    ticket = issue(db, "HT", later(now, minutes=20))
    # Only counter 1 is open for HT: 2 ahead × 270 s ÷ 1 counter.
    assert (ticket["ahead"], ticket["estimated_wait_s"]) == (2, 540)
    open_counter(db, 2, officer="binh", now=later(now, minutes=21))
    ticket = issue(db, "HT", later(now, minutes=22))
    assert (ticket["ahead"], ticket["estimated_wait_s"]) == (3, round(3 * 270 / 2))


def test_estimated_wait_uses_only_the_last_window_of_finished_services_of_that_service(db, now):
    change_setting(db, "queue", estimate_window=2)
    open_counters(db, now, c1="an", c3="cuong")
    for minute in range(3):
        issue(db, "HT", later(now, minutes=minute))
    issue(db, "GCN", now)
    serve(db, 1, "an", later(now, minutes=5), minutes=10)  # 600 s: outside the window of 2
    serve(db, 1, "an", later(now, minutes=15), minutes=2)  # 120 s
    serve(db, 1, "an", later(now, minutes=17), minutes=4)  # 240 s
    serve(db, 3, "cuong", later(now, minutes=5), minutes=30)  # another service's time does not count
    issue(db, "HT", later(now, minutes=40))
    ticket = issue(db, "HT", later(now, minutes=40))
    assert (ticket["ahead"], ticket["estimated_wait_s"]) == (1, 180)


def test_estimated_wait_is_zero_with_nobody_ahead(db, now):
    assert (issue(db, "HT", now)["ahead"], issue(db, "GCN", now)["estimated_wait_s"]) == (0, 0)


def test_no_number_is_given_for_a_service_no_counter_is_set_up_to_serve(db, now):
    """A ticket nobody will ever call must not be printed (with a blank counter line and
    "dưới 1 phút"); counters merely not opened yet do not close a service."""
    assert issue(db, "GCN", now)["number"] == "D001"  # counters 3 and 4 serve it, neither is open
    db.execute("""UPDATE counters SET services = '["HT"]' WHERE number = 4""")
    db.execute("UPDATE counters SET active = 0 WHERE number = 3")  # an inactive counter serves nobody
    with pytest.raises(ServiceClosed) as refused:
        issue(db, "GCN", now)
    assert refused.value.message == "Chưa có quầy nào phục vụ dịch vụ này. Xin hỏi quầy hướng dẫn."
    overview = {service["code"]: service for service in service_overview(db, now=now)}
    assert (overview["GCN"]["open"], overview["GCN"]["closed_reason"]) == (False, refused.value.message)
    assert overview["HT"]["open"] is True
