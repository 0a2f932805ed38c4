"""The live dashboard's figures and alerts."""

import pytest

from layso.events import KIOSK_ALERT, PRINTER_PAPER_LOW, RATING_SUBMITTED, Event
from layso.queue.counters import open_counter
from layso.queue.tickets import issue_ticket
from layso.reports.alerts import ALERT_RAISED, AlertBoard, message
from layso.reports.live import hourly, snapshot
from layso.store.db import Pool
from tests.helpers import open_all_day
from tests.report_data import at


def test_hourly_chart_compares_today_with_the_same_weekday_of_weeks_that_were_open(db):
    for clock in ("09:00", "09:10", "09:20", "09:30"):
        issue_ticket(db, "HT", now=at("2026-11-09", clock))
    for clock in ("09:05", "10:05"):
        issue_ticket(db, "HT", now=at("2026-11-16", clock))
    issue_ticket(db, "HT", now=at("2026-11-23", "09:10"))
    chart = hourly(db, now=at("2026-11-23", "10:30"))
    nine, ten = chart["hours"].index(9), chart["hours"].index(10)
    assert chart["usual_days"] == ["2026-11-09", "2026-11-16"]  # 11-02 and 10-26 had no tickets
    assert (chart["arrivals"][nine], chart["usual_arrivals"][nine], chart["usual_arrivals"][ten]) == (1, 2.5, 0.5)  # (4 + 1) / 2 and (0 + 1) / 2


def test_hourly_axis_has_every_opening_hour_and_no_gap_before_a_late_ticket(db):
    chart = hourly(db, now=at("2026-11-23", "06:00"))  # Monday 07:30-11:30, 13:30-17:00 (tests/data/center.toml)
    assert chart["hours"] == list(range(7, 17))  # 17:00 closes: no 17h
    open_all_day(db)
    issue_ticket(db, "HT", now=at("2026-11-23", "21:10"))
    chart = hourly(db, now=at("2026-11-23", "21:30"))
    assert chart["hours"] == list(range(24))
    assert chart["arrivals"][21] == 1 and sum(chart["arrivals"]) == 1


def test_hourly_axis_of_a_holiday_shows_only_hours_with_tickets(db):
    assert hourly(db, now=at("2026-09-02", "09:00"))["hours"] == []


def test_a_citizen_waiting_past_the_target_raises_an_alert(db):
    open_counter(db, 1, officer="an", now=at("2026-11-23", "08:00"))
    db.execute("UPDATE counters SET status = 'serving' WHERE number = 1")  # busy, so not "idle while people wait"
    issue_ticket(db, "HT", now=at("2026-11-23", "09:00"))  # HT's target: 900 s
    assert [a["kind"] for a in snapshot(db, now=at("2026-11-23", "09:14"))["alerts"]] == []
    alerts = snapshot(db, now=at("2026-11-23", "09:20"))["alerts"]
    assert [(a["kind"], a["service"], a["wait_s"]) for a in alerts] == [("wait_over_target", "HT", 1200.0)]


def test_a_registered_display_not_seen_for_ten_minutes_is_reported(db):
    db.execute("INSERT INTO devices (id, kind, name, token_hash, last_seen) VALUES "
               "('hall', 'display', 'Sảnh', 'x', '2026-11-23T09:00:00+07:00')")
    assert snapshot(db, now=at("2026-11-23", "09:05"))["alerts"] == []
    assert [a["device"] for a in snapshot(db, now=at("2026-11-23", "09:11"))["alerts"]] == ["hall"]


def rating_event(satisfied: bool) -> Event:
    rating = {"id": 1, "ticket": 1, "number": "A001", "level": "x", "reasons": ["attitude"], "satisfied": satisfied,
              "officer": "an", "counter": 1, "service": "HT", "at": "2026-11-23T09:00:00+07:00"}
    return Event(RATING_SUBMITTED, {"rating": rating, "counter": 1})


def test_a_roll_near_its_end_stays_on_the_board_until_a_new_roll_whatever_else_the_printer_does(db, settings):
    published = []
    pool = Pool(settings.db_path)
    board = AlertBoard(pool, published.extend, lambda: at("2026-11-23", "09:00"))
    board.hear(Event(PRINTER_PAPER_LOW, {"kiosk": "k1", "low": True, "message": "…"}))
    board.hear(Event(KIOSK_ALERT, {"kiosk": "k1", "job": None, "error": "printer_offline", "message": "…", "resolved": False}))
    board.hear(Event(KIOSK_ALERT, {"kiosk": "k1", "error": None, "message": "…", "resolved": True}))
    shown = [(alert["kind"], alert["level"], alert["resolved"]) for alert in board.list()]
    assert shown == [("printer", "info", True), ("printer", "danger", True), ("paper_low", "warning", False)]
    assert "sắp hết giấy" in board.list()[-1]["message"] and board.list()[-1]["kiosk"] == "k1"
    board.hear(Event(PRINTER_PAPER_LOW, {"kiosk": "k1", "low": False, "message": "…"}))
    assert [(alert["kind"], alert["resolved"]) for alert in board.list()][::3] == [("paper_low", True), ("paper_low", True)]
    assert [event.name for event in published] == [ALERT_RAISED] * 4
    pool.close()


def test_not_satisfied_ratings_and_printer_failures_are_kept_and_announced(db, settings):
    published = []
    pool = Pool(settings.db_path)
    board = AlertBoard(pool, published.extend, lambda: at("2026-11-23", "09:00"))
    board.hear(rating_event(satisfied=True))
    board.hear(rating_event(satisfied=False))
    board.hear(Event(KIOSK_ALERT, {"kiosk": "k1", "job": "j1", "error": "paper_out", "message": "Hết giấy", "resolved": False}))
    board.hear(Event(KIOSK_ALERT, {"kiosk": "k1", "error": None, "message": "ok", "resolved": True}))
    kinds = [(alert["kind"], alert.get("resolved")) for alert in board.list()]
    assert kinds == [("printer", True), ("printer", True), ("not_satisfied", None)]
    assert [event.name for event in published] == [ALERT_RAISED] * 3
    assert published[0].rooms == ("dashboard",)
    assert "A001" not in str(board.list())  # the alert names the counter, never the citizen's number
    assert [event.data["alert"]["id"] for event in published] == [alert["id"] for alert in board.list()][::-1]
    # A restarted server (a new board on the same database) still shows them.
    assert AlertBoard(pool, published.extend, lambda: at("2026-11-23", "10:00")).list() == board.list()
    pool.close()


@pytest.mark.parametrize("alert, vi, en", [
    ({"kind": "wait_over_target", "service_name": "Hộ tịch", "wait_s": 1385, "target_s": 900},
     "Hộ tịch: có người chờ 23 phút 5 giây (mục tiêu 15 phút).", "Hộ tịch: someone has waited 23 min 5 s (target 15 min)."),
    ({"kind": "counter_idle", "counter": 3, "idle_s": 300, "waiting": 4},
     "Quầy 3 sẵn sàng mà chưa gọi số đã 5 phút, trong khi 4 người đang chờ.",
     "Counter 3 has been ready without calling for 5 min while 4 waiting."),
    ({"kind": "display_silent", "name": "Màn hình sảnh", "last_seen": "2026-11-23T08:05:00+07:00"},
     "Màn hình Màn hình sảnh không phản hồi từ 08:05.", "Display Màn hình sảnh is not answering since 08:05."),
    ({"kind": "paper_low", "kiosk": "k1", "resolved": False},
     "Máy in kiosk k1 sắp hết giấy: xin thay cuộn giấy mới.", "Kiosk k1's printer is nearly out of paper: put in a new roll."),
    ({"kind": "printer", "kiosk": "k1", "resolved": False, "error": "printer_offline", "detail": "Mất kết nối"},
     "Máy in kiosk k1 gặp sự cố: Mất kết nối", "Kiosk k1's printer has a problem: printer_offline"),
    ({"kind": "not_satisfied", "counter": 2}, "Quầy 2: một công dân không hài lòng.", "Counter 2: a citizen was not satisfied."),
    ({"kind": "queue_unattended", "service_name": "Hộ tịch", "waiting": 2},
     "Hộ tịch: 2 người đang chờ nhưng không có quầy nào đang mở phục vụ.", "Hộ tịch: 2 waiting, but no open counter serves it."),
    ({"kind": "queue_unattended", "counter": 3, "waiting": 1},
     "Quầy 3 đang đóng nhưng có 1 người được chuyển đến đang chờ.", "Counter 3 is closed, yet 1 sent to it is waiting."),
])
def test_alerts_are_worded_from_their_fields_in_both_languages(alert, vi, en):
    assert (message(alert, "vi"), message(alert, "en")) == (vi, en)


def test_the_dashboard_in_english_words_its_alerts_in_english(client, login, db, clock):
    for _ in range(2):
        issue_ticket(db, "HT", now=clock.now)
    clock.now = clock.now.replace(hour=10)  # both have waited an hour: past HT's target
    db.execute("UPDATE users SET must_change_password = 0")
    body = client.get("/api/v1/dashboard?lang=en", headers=login("quanly")).get_json()
    [alert] = [alert for alert in body["alerts"] if alert["kind"] == "wait_over_target"]
    assert (alert["message"], alert["shown"]["message"]) == (
        "Hộ tịch: có người chờ 1 giờ (mục tiêu 15 phút).", "Hộ tịch: someone has waited 1 h (target 15 min).")


def test_people_waiting_whom_no_open_counter_serves_raise_an_alert(db):
    """At 7:30 citizens take numbers while no officer has sat down yet: the manager sees it."""
    issue_ticket(db, "HT", now=at("2026-11-23", "07:30"))
    issue_ticket(db, "HT", now=at("2026-11-23", "07:31"))
    alerts = snapshot(db, now=at("2026-11-23", "07:35"))["alerts"]
    assert [(a["kind"], a["service"], a["waiting"]) for a in alerts] == [("queue_unattended", "HT", 2)]
    assert alerts[0]["message"] == "Hộ tịch: 2 người đang chờ nhưng không có quầy nào đang mở phục vụ."
    open_counter(db, 2, officer="binh", now=at("2026-11-23", "07:36"))  # counter 2 serves LLTP and HT
    assert [a["kind"] for a in snapshot(db, now=at("2026-11-23", "07:36"))["alerts"]] == []


def test_people_transferred_to_a_closed_counter_raise_an_alert(db):
    ticket = issue_ticket(db, "HT", now=at("2026-11-23", "09:00")).value
    open_counter(db, 1, officer="an", now=at("2026-11-23", "09:00"))
    db.execute("UPDATE counters SET status = 'serving' WHERE number = 1")
    db.execute("UPDATE tickets SET target_counter = 3 WHERE id = ?", [ticket["id"]])  # a forced transfer
    alerts = snapshot(db, now=at("2026-11-23", "09:01"))["alerts"]
    assert [(a["kind"], a.get("counter"), a["waiting"]) for a in alerts] == [("queue_unattended", 3, 1)]
