"""A known set of tickets, stretches and ratings over two days, built through the core
verbs with fixed clocks; tests/test_reports*.py check every figure against hand counts.

Day 1 (Mon 2026-11-23), counters 1 an, 2 binh, 3 cuong:
  09:00 A001 (T1), A002 (T2); 09:02 B001 (T3); 09:05 D001 (T4); 09:06 A003 (T5)
  09:10 c1 calls T1 · 09:11 c2 calls T3 · 09:12 c3 calls T4 · 09:14 c3 no-show T4
  09:15 c1 finishes T1, rated very_satisfied 09:16 · 09:16 c1 calls T2 · 09:17 c1 holds T2
  09:18 c1 calls T5 · 09:20 c2 transfers T3 to counter 3 · 09:21 c3 calls T3 · 09:25 c1 finishes T5 (not rated)
  09:26 c1 calls back T2 · 09:30 c3 finishes T3, rated not_satisfied 09:31
  09:36 c1 finishes T2, rated satisfied 09:37
Day 2 (Tue 2026-11-24): 09:00 A001 (T6); 09:04 c2 calls T6; 09:05 D001 (T7, never called);
  09:09 c2 finishes T6, rated very_satisfied 09:10.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from layso.queue.calling import call_next, call_ticket, finish, hold, no_show, transfer
from layso.queue.counters import open_counter
from layso.queue.ratings import rate
from layso.queue.tickets import issue_ticket

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY1, DAY2 = "2026-11-23", "2026-11-24"


def at(day: str, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    year, month, date = map(int, day.split("-"))
    return datetime(year, month, date, hour, minute, tzinfo=TZ)


def build_known_center(db) -> dict:
    """Run the scenario above; return the tickets by name (T1…T7)."""
    def issue(service, clock, day=DAY1):
        return issue_ticket(db, service, now=at(day, clock)).value["id"]

    def rate_at(ticket, counter, level, clock, day=DAY1, reasons=None):
        rate(db, ticket_id=ticket, counter=counter, level=level, reasons=reasons, device=None, now=at(day, clock))

    for number, officer in ((1, "an"), (2, "binh"), (3, "cuong")):
        open_counter(db, number, officer=officer, now=at(DAY1, "08:55"))
    t = {"T1": issue("HT", "09:00"), "T2": issue("HT", "09:00"), "T3": issue("LLTP", "09:02"),
         "T4": issue("GCN", "09:05"), "T5": issue("HT", "09:06")}
    assert call_next(db, 1, officer="an", now=at(DAY1, "09:10")).value["id"] == t["T1"]
    assert call_next(db, 2, officer="binh", now=at(DAY1, "09:11")).value["id"] == t["T3"]
    assert call_next(db, 3, officer="cuong", now=at(DAY1, "09:12")).value["id"] == t["T4"]
    no_show(db, 3, officer="cuong", now=at(DAY1, "09:14"))
    finish(db, 1, officer="an", now=at(DAY1, "09:15"))
    rate_at(t["T1"], 1, "very_satisfied", "09:16")
    assert call_next(db, 1, officer="an", now=at(DAY1, "09:16")).value["id"] == t["T2"]
    hold(db, 1, officer="an", now=at(DAY1, "09:17"))
    assert call_next(db, 1, officer="an", now=at(DAY1, "09:18")).value["id"] == t["T5"]
    transfer(db, 2, officer="binh", counter=3, now=at(DAY1, "09:20"), force=True)  # 3 serves GCN only
    assert call_next(db, 3, officer="cuong", now=at(DAY1, "09:21")).value["id"] == t["T3"]
    finish(db, 1, officer="an", now=at(DAY1, "09:25"))
    call_ticket(db, 1, t["T2"], officer="an", now=at(DAY1, "09:26"))
    finish(db, 3, officer="cuong", now=at(DAY1, "09:30"))
    rate_at(t["T3"], 3, "not_satisfied", "09:31", reasons=["attitude"])
    finish(db, 1, officer="an", now=at(DAY1, "09:36"))
    rate_at(t["T2"], 1, "satisfied", "09:37")

    t["T6"] = issue("HT", "09:00", DAY2)
    assert call_next(db, 2, officer="binh", now=at(DAY2, "09:04")).value["id"] == t["T6"]
    t["T7"] = issue("GCN", "09:05", DAY2)
    finish(db, 2, officer="binh", now=at(DAY2, "09:09"))
    rate_at(t["T6"], 2, "very_satisfied", "09:10", DAY2)
    return t


def ratings(very_satisfied=0, satisfied=0, not_satisfied=0) -> dict:
    return {"very_satisfied": very_satisfied, "satisfied": satisfied, "not_satisfied": not_satisfied}


# Hand-computed rows (see docs/reports.md for the definitions).
BY_OFFICER = [
    {"key": "an", "issued": 3, "served": 3, "no_show": 0, "transferred": 0,
     "avg_wait_s": 570.0, "p90_wait_s": 960.0, "avg_service_s": 440.0, "p90_service_s": 600.0,
     "ratings": ratings(1, 1, 0), "not_rated": 1, "satisfied_pct": 100.0},
    {"key": "binh", "issued": 2, "served": 1, "no_show": 0, "transferred": 1,
     "avg_wait_s": 390.0, "p90_wait_s": 540.0, "avg_service_s": 420.0, "p90_service_s": 540.0,
     "ratings": ratings(1, 0, 0), "not_rated": 0, "satisfied_pct": 100.0},
    {"key": "cuong", "issued": 2, "served": 1, "no_show": 1, "transferred": 0,
     "avg_wait_s": 240.0, "p90_wait_s": 420.0, "avg_service_s": 330.0, "p90_service_s": 540.0,
     "ratings": ratings(0, 0, 1), "not_rated": 0, "satisfied_pct": 0.0},
]
BY_COUNTER = [row | {"key": number} for row, number in zip(BY_OFFICER, (1, 2, 3))]
BY_SERVICE = [
    {"key": "GCN", "issued": 2, "served": 0, "no_show": 1, "transferred": 0,
     "avg_wait_s": 420.0, "p90_wait_s": 420.0, "avg_service_s": 120.0, "p90_service_s": 120.0,
     "ratings": ratings(), "not_rated": 0, "satisfied_pct": None},
    {"key": "HT", "issued": 4, "served": 4, "no_show": 0, "transferred": 0,
     "avg_wait_s": 504.0, "p90_wait_s": 960.0, "avg_service_s": 405.0, "p90_service_s": 600.0,
     "ratings": ratings(2, 1, 0), "not_rated": 1, "satisfied_pct": 100.0},
    {"key": "LLTP", "issued": 1, "served": 1, "no_show": 0, "transferred": 1,
     "avg_wait_s": 300.0, "p90_wait_s": 540.0, "avg_service_s": 540.0, "p90_service_s": 540.0,
     "ratings": ratings(0, 0, 1), "not_rated": 0, "satisfied_pct": 0.0},
]
BY_DAY = [
    {"key": DAY1, "issued": 5, "served": 4, "no_show": 1, "transferred": 1,
     "avg_wait_s": 471.4, "p90_wait_s": 960.0, "avg_service_s": 420.0, "p90_service_s": 600.0,
     "ratings": ratings(1, 1, 1), "not_rated": 1, "satisfied_pct": 66.7},
    {"key": DAY2, "issued": 2, "served": 1, "no_show": 0, "transferred": 0,
     "avg_wait_s": 240.0, "p90_wait_s": 240.0, "avg_service_s": 300.0, "p90_service_s": 300.0,
     "ratings": ratings(1, 0, 0), "not_rated": 0, "satisfied_pct": 100.0},
]

CENTER = [
    {"key": "center", "issued": 7, "served": 5, "no_show": 1, "transferred": 1,
     "avg_wait_s": 442.5, "p90_wait_s": 960.0, "avg_service_s": 402.9, "p90_service_s": 600.0,
     "ratings": ratings(2, 1, 1), "not_rated": 1, "satisfied_pct": 75.0},
]
EXPECTED = {"officer": BY_OFFICER, "counter": BY_COUNTER, "service": BY_SERVICE, "day": BY_DAY, "center": CENTER}



def build_busy_month(db, month: str = "2026-10", *, services: int = 24, officers: int = 30) -> list[str]:
    """A month at a big center for the printed report: ``services`` services with long
    names ending "(mã <code>)", ``officers`` officers each at a counter of their own, and
    on every weekday each officer serves one citizen who rates them. Returns the codes."""
    from datetime import date, timedelta

    from layso.admin.accounts import create_officer
    from layso.admin.catalog import create_counter, create_service
    from layso.queue.services import WEEKDAYS

    first = date.fromisoformat(month + "-01")
    setup = at(first.isoformat(), "06:00")
    field = db.execute("SELECT code FROM fields ORDER BY position LIMIT 1").fetchone()[0]
    codes = [f"S{index:02d}" for index in range(services)]
    for index, code in enumerate(codes):
        create_service(db, {"code": code, "prefix": "Q" + chr(65 + index), "field": field,
                            "name": f"Thủ tục thử nghiệm số {index} về đăng ký, cấp đổi và chứng thực giấy tờ (mã {code})"},
                       by="test", now=setup)
    for index in range(officers):
        username = f"busy{index:02d}"
        create_officer(db, {"username": username, "name": f"Cán bộ Nguyễn Thị Thử Nghiệm {index:02d}",
                            "password": "busy-password-1"}, by="test", now=setup, password_method="pbkdf2:sha256:1000")
        create_counter(db, {"number": 100 + index, "name": f"Quầy {100 + index}", "services": [codes[index % services]]},
                       by="test", now=setup)
        open_counter(db, 100 + index, officer=username, now=setup)
    levels = ("very_satisfied", "very_satisfied", "satisfied", "not_satisfied")
    day = first
    while day.month == first.month:
        if WEEKDAYS[day.weekday()] not in ("saturday", "sunday"):
            for index in range(officers):
                issue_ticket(db, codes[index % services], now=at(day.isoformat(), "08:00"))
            for index in range(officers):
                ticket = call_next(db, 100 + index, officer=f"busy{index:02d}", now=at(day.isoformat(), "08:10")).value
                finish(db, 100 + index, officer=f"busy{index:02d}", now=at(day.isoformat(), "08:20"))
                level = levels[(index + day.day) % len(levels)]
                rate(db, ticket_id=ticket["id"], counter=100 + index, level=level,
                     reasons=["attitude"] if level == "not_satisfied" else None, device=None, now=at(day.isoformat(), "08:21"))
        day += timedelta(days=1)
    return codes
