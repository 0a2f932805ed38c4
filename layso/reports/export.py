"""A report table (layso/reports/table.py) as CSV (UTF-8 with BOM, so Excel shows
Vietnamese) and XLSX (openpyxl): the same columns, names and totals row as the page.

Stored text (rating level labels, names, codes) is typed by staff, and a spreadsheet must
never run it: in the XLSX every text cell is a string cell, never a formula; in the CSV a
text cell starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe
(OWASP, "CSV Injection"). Numbers stay numbers in both.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from layso.errors import InvalidInput
from layso.reports import formats
from layso.reports.table import shown as table_text

# XLSX number formats: cells hold real numbers, shown like the page. A spreadsheet writes
# the decimal and thousands marks of its own locale (Vietnamese: "92,5 %", "1.234").
XLSX_FORMATS = {
    "count": "#,##0", "rank": "0", "decimal": "0.00", "percent": "0.0 %",
    "duration": {"vi": '[m] "phút" ss "giây"', "en": '[m] "min" ss "s"'},
}
SECONDS_PER_DAY = 86400
FORMATS = ("json", "csv", "xlsx")  # what a report endpoint's ``format`` may ask for
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def check_format(output) -> str:
    """A report's ``format``: json, csv or xlsx. Raises InvalidInput."""
    if output not in FORMATS:
        raise InvalidInput("'format' phải là json, csv hoặc xlsx.", message_en="'format' must be json, csv or xlsx.")
    return output


def inert(text: str) -> str:
    """Text a spreadsheet would take for a formula, defused with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(kind: str, value, lang: str) -> str:
    """Counts are plain digits (any spreadsheet reads "1234"; "1.234" would be read as a
    decimal where a dot is the decimal mark); the rest is written as on the page."""
    if value is None:
        return ""
    if kind in ("count", "rank"):
        return str(value)
    return inert(formats.text(kind, value, lang))


def to_csv(table: dict, *, lang: str = "vi") -> bytes:
    kinds = [column["kind"] for column in table["columns"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([inert(column["title"]) for column in table["columns"]])
    for cells in table["rows"] + ([table["totals"]] if table["totals"] else []):
        writer.writerow([csv_cell(kind, value, lang) for kind, value in zip(kinds, cells)])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_value(kind: str, value):
    """A cell's stored number: a duration as a fraction of a day rounded to the second
    (how spreadsheets keep time), a percentage as a fraction (92.5 → 0.925)."""
    if value is None or kind == "text":
        return value
    if kind == "duration":
        return formats.whole_seconds(value) / SECONDS_PER_DAY
    if kind == "percent":
        return value / 100
    return value


def append_row(sheet, values: list) -> None:
    """Append a row whose text cells stay text: openpyxl would make "=…" a formula and "#N/A" an error."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def to_xlsx(table: dict, *, title: str, lang: str = "vi") -> bytes:
    """One sheet: a title row (the period), the header row in bold and frozen, the rows,
    the totals row in bold; columns as wide as their longest text."""
    columns = table["columns"]
    shown = table_text(table, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo" if lang == "vi" else "Report"
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [column["title"] for column in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    lines = table["rows"] + ([table["totals"]] if table["totals"] else [])
    for cells in lines:
        append_row(sheet, [xlsx_value(column["kind"], value) for column, value in zip(columns, cells)])
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for column, cell in zip(columns, row):
            number_format = XLSX_FORMATS.get(column["kind"])
            if number_format:
                cell.number_format = number_format[lang] if isinstance(number_format, dict) else number_format
    if table["totals"]:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"  # the title and header rows stay in view
    texts = [[column["title"] for column in columns], *shown["rows"], *([shown["totals"]] if shown["totals"] else [])]
    for index in range(len(columns)):
        longest = max(len(str(line[index])) for line in texts)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(60, max(8, longest + 2))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
