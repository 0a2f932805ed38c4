"""Staff tools for one ticket (issue 15, item 13): looking it up by number or dossier code
with its day's history, and reprinting it on a chosen kiosk — officers too, for tickets
still in play."""

import pytest

from layso.queue.calling import call_next, finish, record_dossier, transfer
from layso.queue.history import find_tickets
from tests.helpers import issue, later, open_counters


def test_a_ticket_is_found_by_its_number_however_it_is_typed_or_by_its_dossier_code(db, now):
    open_counters(db, now, c1="an")
    first = issue(db, "HT", now, kiosk="k1")
    issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    record_dossier(db, 1, officer="an", dossier_code="H12.34-261122-0001", now=later(now, minutes=2))
    for typed in ("A001", "a1", " a 001 ", "Ａ０１", "h12.34-261122-0001"):
        assert [ticket["id"] for ticket in find_tickets(db, typed, day="2026-11-23")] == [first["id"]], typed
    assert find_tickets(db, "A001", day="2026-11-22") == []  # another day's A001
    assert find_tickets(db, "A9", day="2026-11-23") == [] and find_tickets(db, "B001", day="2026-11-23") == []


def test_the_history_lists_every_step_of_the_ticket_in_words(client, login, db, now):
    open_counters(db, now, c1="an", c2="binh")
    ticket = issue(db, "HT", now, kiosk="k1")
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    transfer(db, 1, officer="an", now=later(now, minutes=3), counter=2, note="Cần bản sao")
    call_next(db, 2, officer="binh", now=later(now, minutes=4))
    record_dossier(db, 2, officer="binh", dossier_code="HS-7", now=later(now, minutes=5))
    finish(db, 2, officer="binh", now=later(now, minutes=9))

    officer = login("an")
    answer = client.get("/api/v1/tickets/lookup?q=hs-7", headers=officer)
    assert answer.status_code == 200
    (found,) = answer.get_json()["tickets"]
    assert (found["number"], found["status"], found["status_text"], found["dossier_code"]) == (
        "A001", "finished", "Đã phục vụ xong", "HS-7")
    assert "status_url" not in found and "status_token" not in found
    assert [(event["at"][11:16], event["text"]) for event in found["events"]] == [
        ("09:00", "Lấy số tại kiosk k1"),
        ("09:01", "Được gọi tại quầy 1 (Nguyễn Văn An)"),
        ("09:03", "Chuyển sang quầy 2 từ quầy 1 (Nguyễn Văn An) — ghi chú: Cần bản sao"),
        ("09:04", "Được gọi tại quầy 2 (Trần Thị Bình)"),
        ("09:05", "Ghi mã hồ sơ HS-7 tại quầy 2 (Trần Thị Bình)"),
        ("09:09", "Phục vụ xong tại quầy 2 (Trần Thị Bình)"),
    ]
    english = client.get("/api/v1/tickets/lookup?q=A001", headers={**officer, "Accept-Language": "en"}).get_json()
    assert english["tickets"][0]["events"][0]["text"] == "Number taken at kiosk k1"


@pytest.mark.parametrize("query, status", [("", 400), ("x" * 65, 400), ("x" * 250_000, 400), ("A001", 200)])
def test_a_lookup_needs_a_sensible_query_and_a_login(app, client, login, query, status):
    assert client.get("/api/v1/tickets/lookup", query_string={"q": query}, headers=login("an")).status_code == status
    assert app.test_client().get("/api/v1/tickets/lookup", query_string={"q": query}).status_code == 401


@pytest.mark.parametrize("day", ["2026-13-01", "hôm nay", "2026-02-30", "２０２６-11-23"])
def test_a_lookup_for_an_impossible_day_is_a_400(client, login, day):
    answer = client.get("/api/v1/tickets/lookup", query_string={"q": "A001", "day": day}, headers=login("an"))
    assert (answer.status_code, answer.get_json()["error"]) == (400, "invalid_input")


def test_an_officer_reprints_a_ticket_in_play_on_a_chosen_kiosk_and_it_is_in_its_history(client, login):
    officer = login("an")
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()  # taken on the phone: no kiosk
    assert client.post(f"/api/v1/tickets/{ticket['id']}/reprint", headers=officer).status_code == 409  # no printer
    answer = client.post(f"/api/v1/tickets/{ticket['id']}/reprint", json={"kiosk": "k1"}, headers=officer)
    assert answer.status_code == 202, answer.get_json()
    (found,) = client.get("/api/v1/tickets/lookup?q=A001", headers=officer).get_json()["tickets"]
    assert found["events"][-1]["text"] == "In lại phiếu ở kiosk k1"
    assert found["events"][-1]["officer"] == "an"


def test_an_officer_may_not_reprint_a_served_ticket_but_a_manager_may(client, login, db, now):
    open_counters(db, now, c1="an")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=now)
    finish(db, 1, officer="an", now=now)
    refused = client.post(f"/api/v1/tickets/{ticket['id']}/reprint", json={"kiosk": "k1"}, headers=login("an"))
    assert (refused.status_code, refused.get_json()["error"]) == (403, "forbidden")
    assert "hôm nay" in refused.get_json()["message"]
    assert client.post(f"/api/v1/tickets/{ticket['id']}/reprint", json={"kiosk": "k1"},
                       headers=login("quanly")).status_code == 202


def test_the_staff_see_which_kiosks_can_reprint(app, client, login):
    assert app.test_client().get("/api/v1/kiosks").status_code == 401
    answer = client.get("/api/v1/kiosks", headers=login("an")).get_json()
    assert answer == {"kiosks": [{"id": "k1", "name": "Kiosk 1", "printer": True, "printer_failing": False}]}
