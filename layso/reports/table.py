"""Report tables (bảng báo cáo) as a director reads them: the code and the name of each
service, officer, counter or day in their own columns, the figures with headers that fit
the grouping, and a totals row. The reports page, CSV and XLSX are all made from one
table; each cell is written by layso/reports/formats.py."""

from layso.reports import formats

# (code column, name column) per grouping
KEY_TITLES = {
    "service": ("Mã", "Dịch vụ"),
    "officer": ("Tên đăng nhập", "Cán bộ"),
    "counter": ("Số quầy", "Quầy"),
    "day": ("Ngày", "Thứ"),
}
# Officers and counters issue no numbers: their "issued" is the tickets they handled.
HANDLING = ("officer", "counter")
TOTAL = "Tổng cộng"
EVALUATION_COLUMNS = (("points", "Điểm", "count"), ("points_avg", "Điểm trung bình", "decimal"), ("rank", "Xếp hạng", "rank"))


def columns(by: str, levels: list[dict], extra=()) -> list[dict]:
    """[{key, title, kind}] — kind is text, count, duration, percent, decimal or rank."""
    code_title, name_title = KEY_TITLES[by]
    handling = by in HANDLING
    spec = [
        ("code", code_title, "text"), ("name", name_title, "text"),
        ("issued", "Số lượt phục vụ" if handling else "Số phát ra", "count"),
        ("served", "Hoàn thành" if handling else "Đã phục vụ", "count"),
        ("no_show", "Vắng mặt", "count"),
        ("transferred", "Chuyển đi" if handling else "Chuyển quầy", "count"),
        ("avg_wait_s", "Chờ trung bình", "duration"),
        ("p90_wait_s", "90% chờ không quá", "duration"),
        ("avg_service_s", "Phục vụ trung bình", "duration"),
        ("p90_service_s", "90% phục vụ không quá", "duration"),
        *((f"ratings.{level['id']}", level["label"], "count") for level in levels),
        ("not_rated", "Chưa đánh giá", "count"),
        ("satisfied_pct", "Tỷ lệ hài lòng", "percent"),
        *extra,
    ]
    return [{"key": key, "title": title, "kind": kind} for key, title, kind in spec]


def names(db, by: str) -> dict:
    """Key → the name people know it by (a day's weekday)."""
    if by == "service":
        return dict(db.execute("SELECT code, name FROM services").fetchall())
    if by == "officer":
        return dict(db.execute("SELECT username, name FROM users").fetchall())
    if by == "counter":
        return dict(db.execute("SELECT number, name FROM counters").fetchall())
    return {}


def _cells(row: dict, spec: list[dict], code: str, name: str) -> list:
    cells = []
    for column in spec:
        key = column["key"]
        if key == "code":
            cells.append(code)
        elif key == "name":
            cells.append(name)
        elif key.startswith("ratings."):
            cells.append(row["ratings"].get(key[8:], 0))
        else:
            cells.append(row.get(key))
    return cells


def report_table(rows: list[dict], *, by: str, levels: list[dict], names: dict, totals: dict | None = None,
                 extra=(), translate=lambda text: text, lang: str = "vi") -> dict:
    """{columns, rows, totals}: raw cell values (numbers stay numbers; codes and names are
    text); ``totals`` is None without rows. ``translate`` gives the titles in the page's
    language, ``lang`` the weekdays."""
    spec = columns(by, levels, extra)
    for column in spec:
        if not column["key"].startswith("ratings."):
            column["title"] = translate(column["title"])

    def labels(row):
        if by == "day":
            return formats.day(row["key"]), formats.weekday(row["key"], lang)
        return str(row["key"]), names.get(row["key"], "")

    body = [_cells(row, spec, *labels(row)) for row in rows]
    total = _cells(totals, spec, translate(TOTAL), "") if totals is not None and rows else None
    return {"columns": spec, "rows": body, "totals": total}


def shown(table: dict, lang: str) -> dict:
    """The same table with every cell written for people (formats.text)."""
    kinds = [column["kind"] for column in table["columns"]]

    def line(cells):
        return [formats.text(kind, value, lang) for kind, value in zip(kinds, cells)]

    return {
        "columns": table["columns"],
        "rows": [line(cells) for cells in table["rows"]],
        "totals": line(table["totals"]) if table["totals"] else None,
    }
