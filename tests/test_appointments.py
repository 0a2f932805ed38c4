"""Appointments (issue 16): the slot rules (capacity, horizon, cut-off, check-in window),
booking, cancelling, moving, checking in, the per-phone limit, and the empty and the absurd.

The test center is open Monday to Friday 07:30–11:30 and 13:30–17:00, Saturday mornings;
the clock is Monday 23 November 2026, 09:00 in Huế."""

from datetime import date, datetime, timedelta

import pytest

from layso.errors import (
    AppointmentClosed, CheckInRefused, InvalidInput, SlotFull, TooManyRequests, UnknownAppointment, UnknownService,
)
from layso.queue import appointments, slots
from layso.store.center import get_setting, set_setting
from tests.helpers import TZ, later

PHONE = "0912 345 678"
RULES = {"HT": [{"days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "from": "08:00", "to": "11:00",
                 "every_min": 15, "capacity": 2}],
         "LLTP": [{"every_min": 30, "capacity": 1}]}


def configure(db, now, **changes):
    value = {"services": RULES, **changes}
    set_setting(db, "appointments", slots.check_settings(value, services={"HT", "LLTP", "GCN"}), by="test", now=now)


@pytest.fixture
def booking(db, now):
    configure(db, now)
    return db


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ)


def book(db, now, start, phone=PHONE, service="HT", **options):
    return appointments.book(db, service=service, start=start, phone=phone, now=now, **options).value


# --- the slot rules, as a table -------------------------------------------------------------

HOURS = {"monday": ["07:30-11:30", "13:30-17:00"], "saturday": ["07:30-11:30"], "sunday": [], "holidays": ["2026-11-30"]}


@pytest.mark.parametrize("rule, day, first, last, count", [
    ({"from": "08:00", "to": "11:00", "every_min": 15, "capacity": 2}, "2026-11-23", "08:00", "10:45", 12),
    # no from/to: through every opening span, on each span's own grid
    ({"every_min": 30, "capacity": 1}, "2026-11-23", "07:30", "16:30", 15),
    # a rule reaching past closing time stops at it; the lunch break has no slot
    ({"from": "11:00", "to": "14:30", "every_min": 30, "capacity": 1}, "2026-11-23", "11:00", "14:00", 3),
    ({"days": ["saturday"], "every_min": 60, "capacity": 3}, "2026-11-28", "07:30", "10:30", 4),
    ({"days": ["saturday"], "every_min": 60, "capacity": 3}, "2026-11-23", None, None, 0),  # not a Saturday
    ({"every_min": 15, "capacity": 2}, "2026-11-29", None, None, 0),  # Sunday: closed
    ({"every_min": 15, "capacity": 2}, "2026-11-30", None, None, 0),  # a holiday
    ({"every_min": 300, "capacity": 2}, "2026-11-23", None, None, 0),  # longer than any opening span
])
def test_slots_of_a_day(rule, day, first, last, count):
    config = slots.check_settings({"services": {"HT": [rule]}}, services={"HT"})
    found = slots.day_slots(config, HOURS, "HT", date.fromisoformat(day), TZ)
    assert len(found) == count
    if count:
        assert (found[0].start.strftime("%H:%M"), found[-1].start.strftime("%H:%M")) == (first, last)
        assert all(slot.capacity == rule["capacity"] for slot in found)
        assert found[0].start.utcoffset() == timedelta(hours=7)


def test_a_whole_day_open_gives_slots_until_midnight():
    config = slots.check_settings({"services": {"HT": [{"every_min": 15, "capacity": 2}]}}, services={"HT"})
    found = slots.day_slots(config, {"monday": ["00:00-24:00"]}, "HT", date(2026, 11, 23), TZ)
    assert len(found) == 96
    assert found[-1].end == datetime(2026, 11, 24, 0, 0, tzinfo=TZ)


@pytest.mark.parametrize("minutes_ahead, days_ahead, expected", [
    (61, 0, True), (60, 0, False), (0, 0, False), (-30, 0, False),  # cut-off 60 min, a started slot
    (0, 14, True), (0, 15, False),  # horizon 14 days
])
def test_bookable_within_the_horizon_and_before_the_cut_off(now, minutes_ahead, days_ahead, expected):
    config = slots.appointment_settings({})
    start = now + timedelta(days=days_ahead, minutes=minutes_ahead)
    assert slots.bookable(config, start, now) is expected


@pytest.mark.parametrize("minutes, expected", [
    (-31, "early"), (-30, "open"), (0, "open"), (15, "open"), (16, "late"),
])
def test_check_in_window_from_30_minutes_before_to_15_after(now, minutes, expected):
    assert slots.check_in_window(slots.appointment_settings({}), now, now + timedelta(minutes=minutes)) == expected


@pytest.mark.parametrize("value, names", [
    ("x", "phải là một đối tượng"), ({"cutoff_min": -1}, "cutoff_min"), ({"cutoff_min": True}, "cutoff_min"),
    ({"horizon_days": 10**30}, "horizon_days"), ({"ordering": "random"}, "ordering"), ({"colour": 1}, "colour"),
    ({"services": {"XX": []}}, "XX"), ({"services": {"HT": [{"every_min": 15}]}}, "capacity"),
    ({"services": {"HT": [{"every_min": 1, "capacity": 1}]}}, "every_min"),
    ({"services": {"HT": [{"every_min": 15, "capacity": 1, "from": "25:00"}]}}, "from"),
    ({"services": {"HT": [{"every_min": 15, "capacity": 1, "from": "11:00", "to": "10:00"}]}}, "11:00"),
    ({"services": {"HT": [{"every_min": 15, "capacity": 1, "days": ["thứ hai"]}]}}, "days"),
    ({"services": {"HT": "every day"}}, "HT"),
])
def test_settings_refused_name_what_is_wrong(value, names):
    with pytest.raises(InvalidInput) as refused:
        slots.check_settings(value, services={"HT"})
    assert names in refused.value.message


# --- booking ---------------------------------------------------------------------------------

def test_slots_answer_places_and_local_times(booking, now):
    listed = appointments.slot_list(booking, "HT", "2026-11-23", now=now)
    assert listed[0] == {"start": "2026-11-23T08:00:00+07:00", "end": "2026-11-23T08:15:00+07:00",
                         "capacity": 2, "booked": 0, "available": 0}  # started
    by_start = {slot["start"][11:16]: slot for slot in listed}
    assert by_start["10:00"]["available"] == 0 and by_start["10:15"]["available"] == 2  # cut-off 60 min
    book(booking, now, "2026-11-23T10:15:00+07:00")
    by_start = {slot["start"][11:16]: slot for slot in appointments.slot_list(booking, "HT", "2026-11-23", now=now)}
    assert (by_start["10:15"]["booked"], by_start["10:15"]["available"]) == (1, 1)
    assert appointments.slot_list(booking, "HT", "2026-11-29", now=now) == []  # Sunday
    assert appointments.slot_list(booking, "GCN", "2026-11-24", now=now) == []  # no rule for it


def test_a_booking_and_its_answer(booking, now):
    answer = book(booking, now, "2026-11-24T08:30:00+07:00", name="Nguyễn Văn An")
    assert answer["status"] == "booked" and answer["service"] == "HT"
    assert (answer["start"], answer["end"]) == ("2026-11-24T08:30:00+07:00", "2026-11-24T08:45:00+07:00")
    assert answer["manage_url"] == f"/dat-lich/{answer['code']}"
    assert len(answer["code"]) == 13 and "phone" not in answer and "name" not in answer
    row = booking.table("appointments").get(1)
    assert row["phone"] == "+84912345678"  # stored as E.164
    staff = appointments.bookings_of_day(booking, "2026-11-24", now=now)
    assert staff[0]["phone_masked"] == "09xx xxx 678" and staff[0]["name"] == "Nguyễn Văn An"


def test_a_start_without_offset_is_local_time_and_another_offset_is_converted(booking, now):
    assert book(booking, now, "2026-11-24T08:30")["start"] == "2026-11-24T08:30:00+07:00"
    assert book(booking, now, "2026-11-24T01:45:00+00:00", phone="0987654321")["start"] == "2026-11-24T08:45:00+07:00"


def test_the_last_place_then_409(booking, now):
    book(booking, now, "2026-11-24T09:00", phone="0912000001")
    book(booking, now, "2026-11-24T09:00", phone="0912000002")
    with pytest.raises(SlotFull) as full:
        book(booking, now, "2026-11-24T09:00", phone="0912000003")
    assert full.value.status == 409
    assert booking.execute("SELECT COUNT(*) FROM appointments").fetchone()[0] == 2


@pytest.mark.parametrize("start, words", [
    ("2026-11-24T07:45", "Không có khung giờ"),  # before the rule's 08:00
    ("2026-11-24T08:10", "Không có khung giờ"),  # off the 15-minute grid
    ("2026-11-24T12:00", "Không có khung giờ"),  # lunch
    ("2026-11-29T09:00", "Không có khung giờ"),  # Sunday
    ("2026-11-23T09:30", "ít nhất 60 phút"),  # inside the cut-off
    ("2026-11-23T08:00", "ít nhất 60 phút"),  # passed
    ("2026-12-08T08:00", "tối đa 14 ngày"),  # beyond the horizon (a Tuesday)
])
def test_outside_hours_horizon_or_cut_off_is_400(booking, now, start, words):
    with pytest.raises(InvalidInput) as refused:
        book(booking, now, start)
    assert words in refused.value.message and refused.value.status == 400


def test_the_per_phone_limit_is_429_naming_it_and_configurable(booking, now):
    book(booking, now, "2026-11-24T09:00")
    with pytest.raises(TooManyRequests) as limited:
        book(booking, now, "2026-11-25T09:00", phone="+84 912 345 678")  # the same number written otherwise
    assert "tối đa 1" in limited.value.message and limited.value.status == 429
    book(booking, now, "2026-11-24T09:00", service="LLTP")  # another service
    configure(booking, now, per_phone=2)
    book(booking, now, "2026-11-25T09:00")


def test_a_cancelled_or_past_booking_no_longer_counts_for_the_phone(booking, now):
    first = book(booking, now, "2026-11-23T10:15")
    appointments.cancel(booking, first["code"], by="citizen", now=now)
    second = book(booking, now, "2026-11-23T10:30")
    assert appointments.appointment_object(booking, appointments.load_appointment(booking, second["code"]),
                                           now=later(now, minutes=106))["status"] == "no_show"
    book(booking, later(now, minutes=106), "2026-11-24T09:00")  # the no-show is not open any more


@pytest.mark.parametrize("phone", [None, "", "123", "0912 345 67a", "٠٩١٢٣٤٥٦٧٨", "0243 825 1234", "0" * 10_000, 912345678])
def test_a_phone_that_is_not_a_vietnamese_mobile_is_400(booking, now, phone):
    with pytest.raises(InvalidInput):
        book(booking, now, "2026-11-24T09:00", phone=phone)


@pytest.mark.parametrize("start", [None, "", "tomorrow", "2026-11-24", "99999-01-01T08:00", "1900-01-01T08:00",
                                   "２０２６-11-24T09:00", "2026-11-24T09:00" + " " * 100, 1732413600, ["2026-11-24T09:00"]])
def test_an_absurd_start_is_400(booking, now, start):
    with pytest.raises(InvalidInput):
        book(booking, now, start)


def test_unknown_service_and_huge_name(booking, now):
    with pytest.raises(UnknownService):
        book(booking, now, "2026-11-24T09:00", service="XX")
    with pytest.raises(UnknownService):
        book(booking, now, "2026-11-24T09:00", service={"code": "HT"})
    with pytest.raises(InvalidInput):
        book(booking, now, "2026-11-24T09:00", name="A" * 101)
    assert book(booking, now, "2026-11-24T09:00", name="   ")["status"] == "booked"


def test_an_empty_center_has_no_slots(db, now):
    assert appointments.slot_list(db, "HT", "2026-11-24", now=now) == []
    with pytest.raises(InvalidInput):
        book(db, now, "2026-11-24T09:00")
    assert appointments.bookings_of_day(db, "2026-11-24", now=now) == []


@pytest.mark.parametrize("code", ["", "x", "A" * 13, "0" * 14, "٠" * 13, "../../etc", None, 12, "Z" * 10_000])
def test_unknown_or_absurd_codes_are_404(booking, code):
    with pytest.raises(UnknownAppointment):
        appointments.load_appointment(booking, code)


def test_a_code_typed_loosely_is_found(booking, now):
    code = book(booking, now, "2026-11-24T09:00")["code"]
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} ".replace("0", "o").replace("1", "l")
    assert appointments.load_appointment(booking, typed)["code"] == code


# --- cancel, reschedule ------------------------------------------------------------------------

def test_cancel_frees_the_place_and_cannot_happen_twice(booking, now):
    configure(booking, now, services={"HT": [{"every_min": 15, "capacity": 1}]})
    first = book(booking, now, "2026-11-24T09:00")
    cancelled = appointments.cancel(booking, first["code"], by="citizen", now=now)
    assert cancelled.value["status"] == "cancelled" and cancelled.events[0].name == "appointment.cancelled"
    with pytest.raises(AppointmentClosed):
        appointments.cancel(booking, first["code"], by="citizen", now=now)
    book(booking, now, "2026-11-24T09:00", phone="0987654321")


def test_reschedule_moves_within_the_rules_and_keeps_the_code(booking, now):
    configure(booking, now, services={"HT": [{"every_min": 15, "capacity": 1}]})
    mine = book(booking, now, "2026-11-24T09:00")
    book(booking, now, "2026-11-24T09:15", phone="0987654321")
    with pytest.raises(SlotFull):
        appointments.reschedule(booking, mine["code"], "2026-11-24T09:15", now=now)
    with pytest.raises(InvalidInput):
        appointments.reschedule(booking, mine["code"], "2026-11-23T09:30", now=now)  # inside the cut-off
    moved = appointments.reschedule(booking, mine["code"], "2026-11-25T14:00", now=now).value
    assert (moved["code"], moved["start"]) == (mine["code"], "2026-11-25T14:00:00+07:00")
    assert appointments.reschedule(booking, mine["code"], "2026-11-25T14:00", now=now).value["start"] == moved["start"]
    book(booking, now, "2026-11-24T09:00", phone="0911111111")  # the old place is free


# --- check-in ----------------------------------------------------------------------------------

def test_check_in_gives_an_appointment_ticket_within_its_window(booking, now):
    code = book(booking, now, "2026-11-23T10:15")["code"]
    with pytest.raises(CheckInRefused) as early:
        appointments.check_in(booking, code, now=later(now, minutes=44))
    assert "09:45" in early.value.message
    outcome = appointments.check_in(booking, code, kiosk="k1", now=later(now, minutes=45))
    ticket = outcome.value
    assert ticket["channel"] == "appointment" and ticket["number"] == "A001" and ticket["kiosk"] == "k1"
    assert [event.name for event in outcome.events] == ["ticket.issued", "appointment.checked_in"]
    row = appointments.load_appointment(booking, code)
    assert (row["status"], row["ticket"]) == ("checked_in", ticket["id"])
    assert booking.table("tickets").get(ticket["id"])["appointment_at"] == "2026-11-23T10:15:00+07:00"
    with pytest.raises(AppointmentClosed):
        appointments.check_in(booking, code, now=later(now, minutes=46))
    with pytest.raises(AppointmentClosed):
        appointments.cancel(booking, code, by="citizen", now=later(now, minutes=46))


def test_check_in_after_the_grace_time_offers_a_normal_number(booking, now):
    code = book(booking, now, "2026-11-23T10:15")["code"]
    with pytest.raises(CheckInRefused) as late:
        appointments.check_in(booking, code, now=later(now, minutes=91))
    assert "lấy số thứ tự thường" in late.value.message
    assert appointments.load_appointment(booking, code)["status"] == "booked"


def test_check_in_ignores_the_daily_cap_it_was_promised(booking, now):
    code = book(booking, now, "2026-11-23T10:30", service="LLTP")["code"]  # LLTP: a cap of 5 a day
    for _ in range(5):
        appointments.issue_ticket(booking, "LLTP", now=now)
    assert appointments.check_in(booking, code, now=later(now, minutes=70)).value["number"] == "B006"


def test_check_in_by_phone_and_service(booking, now):
    book(booking, now, "2026-11-23T10:15")
    with pytest.raises(UnknownAppointment):
        appointments.check_in_by_phone(booking, PHONE, "HT", now=now)  # 75 minutes early
    with pytest.raises(UnknownAppointment):
        appointments.check_in_by_phone(booking, "0987654321", "HT", now=later(now, minutes=60))
    assert appointments.check_in_by_phone(booking, "+84912345678", "HT", now=later(now, minutes=60)).value["channel"] == "appointment"


def test_statuses_of_the_day_for_staff(booking, now):
    checked = book(booking, now, "2026-11-23T10:15", phone="0911000001")
    book(booking, now, "2026-11-23T10:30", phone="0911000002")
    cancelled = book(booking, now, "2026-11-23T10:45", phone="0911000003")
    appointments.cancel(booking, cancelled["code"], by="lanhdao", now=now)
    appointments.check_in(booking, checked["code"], now=later(now, minutes=60))
    listed = appointments.bookings_of_day(booking, "2026-11-23", "HT", now=later(now, minutes=110))
    assert [item["status"] for item in listed] == ["checked_in", "no_show", "cancelled"]
    assert listed[0]["ticket"]["number"] == "A001" and "status_token" not in listed[0]["ticket"]
    assert listed[2]["cancelled_by"] == "lanhdao"
    assert appointments.bookings_of_day(booking, "2026-11-23", "LLTP", now=now) == []
    with pytest.raises(InvalidInput):
        appointments.bookings_of_day(booking, "23/11/2026", now=now)


def test_settings_default_when_never_set(db):
    assert get_setting(db, "appointments") is None
    assert appointments.config(db)["grace_min"] == 15


def test_phone_numbers_are_erased_after_the_retention_time(booking, now):
    kept = book(booking, now, "2026-11-24T09:00")
    cancelled = book(booking, now, "2026-11-25T09:00", service="LLTP")
    appointments.cancel(booking, cancelled["code"], by="citizen", now=now)
    assert appointments.erase_old_phones(booking, now=later(now, minutes=29 * 24 * 60)) == 0
    assert appointments.erase_old_phones(booking, now=later(now, minutes=30 * 24 * 60 + 1)) == 1  # the cancelled one
    assert appointments.erase_old_phones(booking, now=later(now, minutes=31 * 24 * 60 + 60)) == 1
    assert [row["phone"] for row in booking.query("SELECT phone FROM appointments")] == [None, None]
    staff = appointments.bookings_of_day(booking, "2026-11-24", now=now)
    assert staff[0]["phone_masked"] is None and staff[0]["code"] == kept["code"]


def test_the_demo_center_offers_every_service_every_15_minutes_with_a_5_minute_cut_off(make_settings, tmp_path):
    from layso.settings import DEMO_CONFIG
    from layso.store.db import open_db
    from layso.store.migrations import migrate
    from layso.store.seed import seed_database

    demo = make_settings(config=DEMO_CONFIG, demo=True)
    database = open_db(demo.db_path)
    migrate(database)
    seed_database(database, demo)
    sunday_night = datetime(2026, 11, 29, 23, 20, tzinfo=TZ)
    for (code,) in database.execute("SELECT code FROM services").fetchall():
        listed = appointments.slot_list(database, code, "2026-11-29", now=sunday_night)
        assert len(listed) == 96 and {slot["capacity"] for slot in listed} == {2}
        assert [slot["start"][11:16] for slot in listed if slot["available"]] == ["23:30", "23:45"]
    database.conn.close()


def test_report_counts_per_service_and_day(booking, now):
    from layso.reports.appointments import appointment_counts

    came = book(booking, now, "2026-11-23T10:15", phone="0911000001")
    book(booking, now, "2026-11-23T10:30", phone="0911000002")  # will not come
    gone = book(booking, now, "2026-11-24T09:00", phone="0911000003", service="LLTP")
    book(booking, now, "2026-11-24T09:00", phone="0911000004")  # still to come
    appointments.cancel(booking, gone["code"], by="citizen", now=now)
    appointments.check_in(booking, came["code"], now=later(now, minutes=60))
    moment = later(now, minutes=120)  # 11:00: the 10:30 booking's grace time is over
    by_service = appointment_counts(booking, "2026-11-23", "2026-11-24", "service", now=moment)
    assert by_service["rows"] == {"HT": {"booked": 3, "checked_in": 1, "no_show": 1, "cancelled": 0},
                                  "LLTP": {"booked": 0, "checked_in": 0, "no_show": 0, "cancelled": 1}}
    assert by_service["text"] == "Lịch hẹn: 3 đã đặt · 1 đã đến · 1 không đến · 1 đã hủy"
    by_day = appointment_counts(booking, "2026-11-23", "2026-11-24", "day", now=moment, lang="en")
    assert by_day["rows"]["2026-11-23"] == {"booked": 2, "checked_in": 1, "no_show": 1, "cancelled": 0}
    assert by_day["text"] == "Appointments: 3 booked · 1 checked in · 1 no-show · 1 cancelled"
    assert appointment_counts(booking, "2026-11-23", "2026-11-24", "officer", now=moment)["rows"] == {}
    assert appointment_counts(booking, "2025-01-01", "2025-01-31", "service", now=moment)["text"] == "Lịch hẹn: 0"
