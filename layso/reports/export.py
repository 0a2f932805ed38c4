"""Summary rows as CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX (openpyxl),
with Vietnamese headers.

Stored text (rating level labels, names, codes) is typed by staff, and a spreadsheet must
never run it: in the XLSX every text cell is a string cell, never a formula; in the CSV a
text cell starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe
(OWASP, "CSV Injection"). Numbers stay numbers in both.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

KEY_HEADERS = {"officer": "Cán bộ", "counter": "Quầy", "service": "Dịch vụ", "day": "Ngày"}
FIGURE_HEADERS = (
    ("issued", "Số phát ra"),
    ("served", "Đã phục vụ"),
    ("no_show", "Vắng mặt"),
    ("transferred", "Chuyển quầy"),
    ("avg_wait_s", "Thời gian chờ TB (giây)"),
    ("p90_wait_s", "Thời gian chờ P90 (giây)"),
    ("avg_service_s", "Thời gian phục vụ TB (giây)"),
    ("p90_service_s", "Thời gian phục vụ P90 (giây)"),
)
TAIL_HEADERS = (("not_rated", "Chưa đánh giá"), ("satisfied_pct", "Tỷ lệ hài lòng (%)"))
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def table(rows: list[dict], *, by: str, levels: list[dict]) -> tuple[list[str], list[list]]:
    """Headers and cell values, one column per rating level (by its label)."""
    level_ids = [level["id"] for level in levels]
    extra = sorted({level for row in rows for level in row["ratings"]} - set(level_ids))
    headers = [KEY_HEADERS[by], *(title for _, title in FIGURE_HEADERS)]
    headers += [level["label"] for level in levels] + extra + [title for _, title in TAIL_HEADERS]
    cells = []
    for row in rows:
        cells.append([
            row["key"], *(row[name] for name, _ in FIGURE_HEADERS),
            *(row["ratings"].get(level, 0) for level in level_ids + extra),
            *(row[name] for name, _ in TAIL_HEADERS),
        ])
    return headers, cells


def csv_cell(value):
    """A CSV cell: empty for None; text a spreadsheet would take for a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[dict], *, by: str, levels: list[dict]) -> bytes:
    headers, cells = table(rows, by=by, levels=levels)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[csv_cell(value) for value in line] for line in [headers, *cells]])
    return buffer.getvalue().encode("utf-8-sig")


def append_row(sheet, values: list) -> None:
    """Append a row whose text cells stay text: openpyxl would make "=…" a formula and "#N/A" an error."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def to_xlsx(rows: list[dict], *, by: str, levels: list[dict], title: str) -> bytes:
    """One sheet: a title row (the period), the header row in bold, then the rows."""
    headers, cells = table(rows, by=by, levels=levels)
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in cells:
        append_row(sheet, line)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = max(12, len(header) + 2)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
