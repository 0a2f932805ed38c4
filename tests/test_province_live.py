"""The province dashboard's data and the public province page (docs/hub.md): each center's
live state from the rows the hub holds, worded by the server, for province accounts only;
/cong-khai ranks centers by satisfaction without any personal data and writes nothing."""

import os
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest

from layso.province.public import public_ranking
from layso.province.schema import migrate

from tests.helpers import issue, later, open_all_day, open_counters
from tests.province_data import busy_days, center_events, login

TOKEN = {"Authorization": "Bearer demo-hub-token-1"}


def sync(hub_client, db, headers=TOKEN):
    acked = hub_client.get("/api/v1/hub/cursor", headers=headers).json["acked"]
    events = center_events(db, first_seq=acked + 1)
    answer = hub_client.post("/api/v1/hub/ingest", json={"events": events}, headers=headers)
    assert answer.status_code == 200, answer.json


def test_live_state_of_a_center_today(hub_client, db, clock, now):
    open_all_day(db)
    open_counters(db, now, c1="an", c2="binh")
    first = issue(db, "HT", now)
    issue(db, "HT", now)
    from layso.queue.calling import call_next

    call_next(db, 1, officer="an", now=later(now, minutes=3))
    clock.now = later(now, minutes=4)
    sync(hub_client, db)
    answer = hub_client.get("/api/v1/province/live", headers=login(hub_client))
    assert answer.status_code == 200
    centers = {state["center"]: state for state in answer.json["centers"]}
    assert list(centers) == ["demo-1", "demo-2", "demo-3"]
    state = centers["demo-1"]
    assert state["online"] is True
    assert (state["open_counters"], state["waiting"], state["serving"]) == (2, 1, 1)
    assert state["avg_wait_s"] == 180.0 and state["p90_wait_s"] == 180.0
    assert state["shown"]["vi"]["avg_wait"] == "3 phút" and state["shown"]["en"]["avg_wait"] == "3 min"
    assert first["id"]  # noqa: the first ticket is the one being served
    silent = centers["demo-2"]
    assert silent["online"] is False
    assert [alert["kind"] for alert in silent["alerts"]] == ["center_offline"]
    assert silent["alerts"][0]["text"]["vi"] == "Trung tâm chưa kết nối lần nào."


def test_a_center_silent_for_over_two_minutes_is_offline(hub_client, db, clock, now):
    clock.now = now
    hub_client.post("/api/v1/hub/ingest", json={"events": []}, headers=TOKEN)
    clock.now = now + timedelta(seconds=121)
    state = hub_client.get("/api/v1/province/live", headers=login(hub_client)).json["centers"][0]
    assert state["online"] is False
    assert state["alerts"][0]["text"]["vi"] == "Mất kết nối với trung tâm từ 23/11/2026 09:00."


def test_waits_over_target_and_not_satisfied_ratings_are_alerts(hub_client, db, clock, now):
    from layso.queue.calling import call_next, finish
    from layso.queue.ratings import rate
    from layso.store.db import write

    open_all_day(db)
    with write(db):
        db.execute("UPDATE services SET wait_target_s = 600 WHERE code = 'HT'")
    open_counters(db, now, c1="an")
    served = issue(db, "HT", now)
    issue(db, "HT", later(now, minutes=1))
    call_next(db, 1, officer="an", now=later(now, minutes=2))
    finish(db, 1, officer="an", now=later(now, minutes=5))
    rate(db, ticket_id=served["id"], counter=1, level="not_satisfied", reasons=["attitude"], device=None,
         now=later(now, minutes=6))
    clock.now = later(now, minutes=30)
    sync(hub_client, db)
    state = hub_client.get("/api/v1/province/live", headers=login(hub_client)).json["centers"][0]
    texts = [alert["text"]["vi"] for alert in state["alerts"]]
    assert texts == ["Hộ tịch: có người chờ 29 phút (mục tiêu 10 phút).",
                     "1 lượt đánh giá «Không hài lòng» hôm nay."]
    assert state["satisfied_pct"] == 0.0


def test_live_needs_a_province_login(hub_client):
    assert hub_client.get("/api/v1/province/live").status_code == 401
    assert hub_client.get("/api/v1/province/live", headers=TOKEN).status_code == 401


def test_the_dashboard_page_is_served_with_a_login_form(hub_client):
    page = hub_client.get("/province")
    assert page.status_code == 200
    assert 'id="login-form"' in page.text and "province.js" in page.text


def test_public_page_ranks_centers_without_personal_data(hub_client, db, clock):
    busy_days(db, "2026-11-02", 3, seed=11)
    with db.conn:
        db.execute("UPDATE ratings SET comment = 'Gọi tôi 0912345678'")
    sync(hub_client, db)
    page = hub_client.get("/cong-khai?month=2026-11")
    assert page.status_code == 200
    assert "0912345678" not in page.text and "binh" not in page.text
    first = page.text.index('data-center="demo-1"')
    assert first < page.text.index('data-center="demo-2"')
    assert "Trung tâm Phục vụ hành chính công phường Thuận Hóa" in page.text
    english = hub_client.get("/cong-khai?month=2026-11&lang=en")
    assert "Service results of the province" in english.text


def test_public_page_writes_nothing(hub_client, db, hub_app):
    busy_days(db, "2026-11-02", 2, seed=2)
    sync(hub_client, db)
    hub_client.get("/cong-khai?month=2026-11")
    with hub_app.extensions["province.pool"].connection() as connection:
        assert connection.execute("SELECT count(*) FROM rollup_days").fetchone() == (0,)


@pytest.mark.parametrize("month", ["2026-13", "x", "２０２６-11", "1900-01"])
def test_public_page_refuses_a_bad_month(hub_client, month):
    answer = hub_client.get("/cong-khai", query_string={"month": month}, headers={"Accept": "application/json"})
    assert answer.status_code == 400


def public_rows(hub_client, month, lang="vi"):
    """The public page's rows for a month: {center: (rank cell, name cell, issued cell, row tag)}."""
    page = hub_client.get(f"/cong-khai?month={month}&lang={lang}")
    assert page.status_code == 200
    rows = re.findall(r'(<tr data-center="([^"]+)"[^>]*>)<td class="number">([^<]*)</td>\s*<td>(.*?)</td>'
                      r'<td class="number">([^<]*)</td>', page.text, flags=re.S)
    return {center: (rank.strip(), " ".join(re.sub(r"<[^>]+>", " ", name).split()), issued, tag)
            for tag, center, rank, name, issued in rows}


def test_a_deactivated_center_keeps_its_past_months_marked_and_has_none_after(hub_client, db, clock):
    busy_days(db, "2026-10-05", 3, seed=5)
    busy_days(db, "2026-11-02", 3, seed=6)
    sync(hub_client, db)
    clock.now = clock.now + timedelta(days=2)  # deactivated on 25 November
    assert hub_client.post("/api/v1/admin/centers/demo-1", json={"active": False},
                       headers=login(hub_client, "admin")).status_code == 200

    for month in ("2026-10", "2026-11"):
        rows = public_rows(hub_client, month)
        rank, name, issued, tag = rows["demo-1"]
        assert rank == "1" and int(issued) > 0  # its real figures, still ranked among the others
        assert name == "Trung tâm Phục vụ hành chính công phường Thuận Hóa Ngừng hoạt động từ 25/11/2026"
        assert 'class="inactive"' in tag and set(rows) == {"demo-1", "demo-2", "demo-3"}
    assert public_rows(hub_client, "2026-10", "en")["demo-1"][1].endswith("No longer active since 25/11/2026")
    for month in ("2026-12", "2027-01"):  # nothing after the month it stopped in
        assert set(public_rows(hub_client, month)) == {"demo-2", "demo-3"}

    clock.now = clock.now + timedelta(days=20)  # made active again in December: listed again, unmarked
    assert hub_client.post("/api/v1/admin/centers/demo-1", json={"active": True},
                       headers=login(hub_client, "admin")).status_code == 200
    rows = public_rows(hub_client, "2026-12")
    assert set(rows) == {"demo-1", "demo-2", "demo-3"} and "inactive" not in rows["demo-1"][3]
    assert public_rows(hub_client, "2026-11")["demo-1"][1] == "Trung tâm Phục vụ hành chính công phường Thuận Hóa"


def test_deactivating_twice_keeps_the_first_day(hub_client, clock):
    hub_client.post("/api/v1/admin/centers/demo-2", json={"active": False}, headers=login(hub_client, "admin"))
    clock.now = clock.now + timedelta(days=40)
    hub_client.post("/api/v1/admin/centers/demo-2", json={"active": False}, headers=login(hub_client, "admin"))
    assert "demo-2" not in public_rows(hub_client, "2026-12")
    assert public_rows(hub_client, "2026-11")["demo-2"][1].endswith("Ngừng hoạt động từ 23/11/2026")


def test_a_center_deactivated_before_the_hub_knew_when_stops_at_its_last_contact(postgres_server):
    url = postgres_server.create_database(f"hub_before_0005_{os.getpid()}")
    migrate(url, "0004")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("INSERT INTO centers (code, name, token_hash, active, last_contact) VALUES "
                           "('xa-cu', 'Xã cũ', 'a', false, '2026-10-20T10:00:00+07:00'), "
                           "('xa-moi', 'Xã mới', 'b', true, '2026-10-20T10:00:00+07:00')")
        migrate(url)  # 0005: when it was deactivated, taken as its last contact
        now = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        october = public_ranking(connection, "2026-10-01", "2026-10-31", now=now)
        assert [(row["center"], row["deactivated_on"]) for row in october] == [("xa-cu", "2026-10-20"), ("xa-moi", None)]
        november = public_ranking(connection, "2026-11-01", "2026-11-30", now=now)
        assert [row["center"] for row in november] == ["xa-moi"]
