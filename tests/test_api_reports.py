"""The reports HTTP contract: JSON, CSV and XLSX give the same hand-counted figures; only
managers and admins may read them; bad input is a 400 with the one error shape."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests.report_data import BY_SERVICE, DAY1, DAY2, build_known_center

LEVEL_HEADERS = ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
OFFICER_HEADERS = ["Tên đăng nhập", "Cán bộ", "Số lượt phục vụ", "Hoàn thành", "Vắng mặt", "Chuyển đi", "Chờ trung bình",
                   "90% chờ không quá", "Phục vụ trung bình", "90% phục vụ không quá", *LEVEL_HEADERS, "Chưa đánh giá",
                   "Tỷ lệ hài lòng"]
# BY_OFFICER (tests/report_data.py) as the page writes it, then the center's totals for the two days.
OFFICER_TEXT = [
    ["an", "Nguyễn Văn An", "3", "3", "0", "0", "9 phút 30 giây", "16 phút", "7 phút 20 giây", "10 phút",
     "1", "1", "0", "1", "100,0 %"],
    ["binh", "Trần Thị Bình", "2", "1", "0", "1", "6 phút 30 giây", "9 phút", "7 phút", "9 phút",
     "1", "0", "0", "0", "100,0 %"],
    ["cuong", "Lê Văn Cường", "2", "1", "1", "0", "4 phút", "7 phút", "5 phút 30 giây", "9 phút",
     "0", "0", "1", "0", "0,0 %"],
]
# issued by officer is tickets handled: 3 + 2 + 2 (T3 was handled by binh and cuong); the times are
# the center's over all 8 stretches (442.5 s → 7 min 23 s, half up), not an average of the rows.
OFFICER_TOTALS = ["Tổng cộng", "", "7", "5", "1", "1", "7 phút 23 giây", "16 phút", "6 phút 43 giây", "10 phút",
                  "2", "1", "1", "1", "75,0 %"]


@pytest.fixture(autouse=True)
def passwords_already_changed(db):
    """The seeded accounts have been through their first-login password change."""
    db.execute("UPDATE users SET must_change_password = 0")


@pytest.fixture
def known_client(db, client):
    build_known_center(db)
    return client


def url(by="officer", output="json", date_from=DAY1, date_to=DAY2):
    return f"/api/v1/reports/summary?from={date_from}&to={date_to}&by={by}&format={output}"


def test_summary_json_has_the_hand_counted_rows(known_client, login):
    response = known_client.get(url("service"), headers=login("quanly"))
    assert response.status_code == 200
    body = response.get_json()
    names = {"GCN": "Đất đai", "HT": "Hộ tịch", "LLTP": "Lý lịch tư pháp"}
    assert body["rows"] == [row | {"name": names[row["key"]]} for row in BY_SERVICE]
    assert (body["from"], body["to"], body["by"]) == (DAY1, DAY2, "service")
    assert (body["totals"]["issued"], body["totals"]["served"], body["totals"]["satisfied_pct"]) == (7, 5, 75.0)


def test_summary_json_table_speaks_the_directors_language(known_client, login):
    body = known_client.get(url("officer"), headers=login("quanly")).get_json()
    assert [row["name"] for row in body["rows"]] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert [column["title"] for column in body["table"]["columns"]] == OFFICER_HEADERS
    assert body["table"]["rows"] == OFFICER_TEXT
    assert body["table"]["totals"] == OFFICER_TOTALS


def test_summary_table_in_english(known_client, login):
    body = known_client.get(url("day") + "&lang=en", headers=login("quanly")).get_json()
    table = body["table"]
    assert [column["title"] for column in table["columns"]][:4] == ["Date", "Weekday", "Tickets issued", "Served"]
    assert table["rows"][0][:2] == ["23/11/2026", "Monday"]
    assert table["rows"][0][6] == "7 min 51 s"  # 471.4 s
    assert table["rows"][0][-1] == "66.7%"
    assert table["totals"][0] == "Total"


def test_summary_csv_is_utf8_with_bom_names_and_a_totals_row(known_client, login):
    response = known_client.get(url("officer", "csv"), headers=login("quantri"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="bao-cao-officer-2026-11-23-2026-11-24.csv"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert lines == [OFFICER_HEADERS, *OFFICER_TEXT, OFFICER_TOTALS]


def test_summary_xlsx_has_number_cells_widths_and_a_frozen_header(known_client, login):
    response = known_client.get(url("officer", "xlsx"), headers=login("quanly"))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "23/11/2026" in rows[0][0] and "24/11/2026" in rows[0][0]
    assert rows[1] == OFFICER_HEADERS
    an = rows[2]
    assert an[:6] == ["an", "Nguyễn Văn An", 3, 3, 0, 0]
    assert an[6] == timedelta(seconds=570) and an[14] == pytest.approx(1.0)  # a real duration and a fraction
    assert rows[-1][:4] == ["Tổng cộng", None, 7, 5]
    assert sheet.freeze_panes == "A3"
    formats = {sheet.cell(row=3, column=column).number_format for column in (3, 7, 15)}
    assert formats == {"#,##0", '[m] "phút" ss "giây"', "0.0 %"}
    assert sheet.column_dimensions["B"].width >= len("Nguyễn Văn An")
    assert sheet.cell(row=sheet.max_row, column=1).font.bold


def test_evaluation_by_quarter(known_client, login):
    body = known_client.get("/api/v1/reports/evaluation?quarter=2026-Q4", headers=login("quanly")).get_json()
    assert [(o["key"], o["points"], o["rank"]) for o in body["officers"]] == [
        ("an", 3, 1), ("binh", 2, 2), ("cuong", 0, 3), ("dung", 0, None)]
    table = body["table"]
    assert [column["title"] for column in table["columns"]][-3:] == ["Điểm", "Điểm trung bình", "Xếp hạng"]
    assert [row[-3:] for row in table["rows"]] == [["3", "1,50", "1"], ["2", "2,00", "2"], ["0", "0,00", "3"],
                                                   ["0", "–", "–"]]


@pytest.mark.parametrize("query, field", [
    ("from=2026-11-31&to=2026-12-01&by=day", "from"),
    ("from=2026-11-01&to=yesterday&by=day", "to"),
    ("from=2026-11-02&to=2026-11-01&by=day", "from"),
    ("from=2026-11-01&to=2026-11-02&by=kiosk", "by"),
    ("from=2026-11-01&to=2026-11-02&by=day&format=pdf", "format"),
    ("to=2026-11-02", "from"),
])
def test_bad_report_input_is_a_400_naming_the_field(client, login, query, field):
    response = client.get(f"/api/v1/reports/summary?{query}", headers=login("quanly"))
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "invalid_input" and f"'{field}'" in body["message"]


def test_bad_quarter_is_a_400(client, login):
    response = client.get("/api/v1/reports/evaluation?quarter=Q4-2026", headers=login("quanly"))
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_input"


@pytest.mark.parametrize("path", [url(), "/api/v1/reports/evaluation?quarter=2026-Q4", "/api/v1/dashboard",
                                  "/api/v1/admin/services"])
def test_officer_cannot_read_reports_dashboard_or_admin(client, login, path):
    response = client.get(path, headers=login("an"))
    assert response.status_code == 403 and response.get_json()["error"] == "forbidden"


@pytest.mark.parametrize("path", [url(), "/api/v1/dashboard", "/api/v1/admin/services"])
def test_no_token_is_a_401(client, path):
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("path", ["/dashboard", "/reports", "/reports/monthly", "/admin"])
def test_officer_pages_are_forbidden(client, path):
    client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"})
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/dashboard", "/reports", "/admin"])
def test_pages_show_a_login_form_when_not_logged_in(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and b'id="login-form"' in response.data


def test_manager_cannot_open_admin_page(client):
    client.post("/api/v1/auth/login", json={"username": "quanly", "password": "quanly-password-1"})
    assert client.get("/admin", headers={"Accept": "text/html"}).status_code == 403
    assert client.get("/dashboard", headers={"Accept": "text/html"}).status_code == 200


def test_public_page_shows_month_aggregates_and_nothing_identifying(db, client):
    build_known_center(db)
    db.execute("UPDATE ratings SET comment = 'Chị Lan ở phường 5 góp ý' WHERE level = 'not_satisfied'")
    page = client.get("/public?month=2026-11", headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="public-issued">7<' in html and 'id="public-served">5<' in html and 'id="public-satisfied">75,0 %<' in html
    for secret in ("Chị Lan", "Nguyễn Văn An", "Trần Thị Bình", "A001", "B001", "attitude", "Thái độ"):
        assert secret not in html


def test_public_page_refuses_a_bad_month(client):
    assert client.get("/public?month=2026-13").status_code == 400


def test_monthly_report_page_prints_the_months_figures(db, client):
    build_known_center(db)
    client.post("/api/v1/auth/login", json={"username": "quanly", "password": "quanly-password-1"})
    html = client.get("/reports/monthly?month=2026-11", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="month-issued">7<' in html and 'id="month-satisfied">75,0 %<' in html
    assert "Nguyễn Văn An" in html and "@media print" not in html  # print rules live in the stylesheet


def test_dashboard_snapshot_counts_today(db, client, login):
    from tests.report_data import DAY2
    from layso.reports.live import snapshot
    from tests.report_data import at
    build_known_center(db)
    body = snapshot(db, now=at(DAY2, "09:30"))
    assert body["today"] == {"issued": 2, "served": 1, "no_show": 0, "waiting": 1}
    assert body["satisfaction"]["overall"]["ratings"] == {"very_satisfied": 1, "satisfied": 0, "not_satisfied": 0}
    assert [(row["key"], row["satisfied_pct"]) for row in body["satisfaction"]["officers"]] == [("binh", 100.0)]
    gcn = next(s for s in body["services"] if s["code"] == "GCN")
    assert (gcn["waiting"], gcn["longest_wait_s"]) == (1, 25 * 60.0)
    counters = {c["number"]: c for c in body["counters"]}
    assert counters[2]["status"] == "idle" and counters[2]["officer"]["username"] == "binh"
    hour9 = body["hourly"]["hours"].index(9)
    assert (body["hourly"]["arrivals"][hour9], body["hourly"]["served"][hour9]) == (2, 1)
    # counter 3 (GCN) idle since 09:30 yesterday while D001 waits: an idle-counter alert
    assert {(a["kind"], a.get("counter")) for a in body["alerts"]} >= {("counter_idle", 3)}
