"""GET /api/v1/province/summary (docs/hub.md, "Reports"): the center's row shape plus
``center``, for province managers and admins only, CSV and XLSX like a center's, and bad input
a 400 in the one error shape."""

import io

import pytest
from openpyxl import load_workbook

from tests.province_data import busy_days, center_events, login

DAYS = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def synced(hub_client, db, clock):
    """The test center's 16–20 November, synced as demo-1; the clock on the 23rd."""
    busy_days(db, "2026-11-16", 5, seed=3)
    events = center_events(db)
    answer = hub_client.post("/api/v1/hub/ingest", json={"events": events}, headers={"Authorization": "Bearer demo-hub-token-1"})
    assert answer.json["acked"] == len(events)
    return db


def test_summary_by_center_lists_every_center(hub_client, synced):
    answer = hub_client.get("/api/v1/province/summary", query_string=DAYS | {"by": "center"}, headers=login(hub_client))
    assert answer.status_code == 200
    rows = answer.json["rows"]
    assert [row["center"] for row in rows] == ["demo-1", "demo-2", "demo-3"]
    assert rows[0]["issued"] > 0 and rows[1]["issued"] == 0
    assert set(rows[0]) == {"center", "key", "issued", "served", "no_show", "transferred", "avg_wait_s", "p90_wait_s",
                            "avg_service_s", "p90_service_s", "ratings", "not_rated", "satisfied_pct"}
    assert set(rows[0]["ratings"]) == {"very_satisfied", "satisfied", "not_satisfied"}


def test_summary_of_one_center_by_service(hub_client, synced):
    answer = hub_client.get("/api/v1/province/summary", query_string=DAYS | {"by": "service", "center": "demo-1"},
                        headers=login(hub_client, "admin"))
    assert answer.status_code == 200
    assert {row["key"] for row in answer.json["rows"]} <= {"HT", "LLTP", "GCN"}


def test_csv_and_xlsx_name_centers_and_services(hub_client, synced):
    headers = login(hub_client)
    csv = hub_client.get("/api/v1/province/summary", query_string=DAYS | {"by": "service", "format": "csv"}, headers=headers)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Trung tâm,Mã,Dịch vụ")
    assert "Trung tâm Phục vụ hành chính công phường Thuận Hóa,HT,Hộ tịch" in text
    xlsx = hub_client.get("/api/v1/province/summary", query_string=DAYS | {"by": "center", "format": "xlsx"}, headers=headers)
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "demo-3" in values


def test_summary_needs_a_province_login(hub_client, synced):
    assert hub_client.get("/api/v1/province/summary", query_string=DAYS).status_code == 401
    bad = hub_client.get("/api/v1/province/summary", query_string=DAYS, headers={"Authorization": "Bearer demo-hub-token-1"})
    assert bad.status_code == 401  # a center's hub token is not a login


@pytest.mark.parametrize("query", [
    {}, {"from": "2026-11-31", "to": "2026-11-30"}, DAYS | {"by": "ward"}, DAYS | {"format": "pdf"},
    DAYS | {"center": "khong-co"}, {"from": "２０２６-11-01", "to": "2026-11-30"}, {"from": "2020-01-01", "to": "2026-11-30"},
    DAYS | {"center": "x" * 10000},
])
def test_bad_summary_questions_are_a_400(hub_client, query):
    answer = hub_client.get("/api/v1/province/summary", query_string=query, headers=login(hub_client))
    assert answer.status_code == 400, answer.json
    assert set(answer.json) == {"error", "message"}
