"""Province report tables: the center's report table (layso/reports/table.py) with the
center in the first column, the names of services, officers and counters from each center's
catalog snapshot, and the rating levels of every center (a province's centers may configure
different ones)."""

from layso.province.reports import rating_configs
from layso.reports.table import report_table

CENTER_COLUMN = {"key": "center", "title": "Trung tâm", "kind": "text"}


def catalog_names(connection, by: str) -> dict:
    """{(center code, key): name} for the grouping (nothing for days and centers)."""
    kinds = {"service": ("services", "code"), "officer": ("users", "username"), "counter": ("counters", "number")}
    if by not in kinds:
        return {}
    kind, field = kinds[by]
    names = {}
    for code, key, name in connection.execute(
            "SELECT c.code, k.data->>%s, k.data->>'name' FROM catalog k JOIN centers c ON c.id = k.center "
            "WHERE k.kind = %s", [field, kind]):
        names[code, int(key) if by == "counter" and key and key.isdigit() else key] = name or ""
    return names


def all_levels(connection) -> list[dict]:
    """The rating levels of every center, each once (by id, first label wins), in order."""
    centers = [center for (center,) in connection.execute("SELECT id FROM centers ORDER BY code")]
    levels: dict = {}
    for config in rating_configs(connection, centers).values():
        for level in config["levels"]:
            levels.setdefault(level["id"], level)
    return list(levels.values())


def province_table(connection, rows: list[dict], *, by: str, translate=lambda text: text, lang: str = "vi") -> dict:
    """{columns, rows, totals}: the report table with a first column naming the center;
    no totals row (a province's totals are the ``by=center`` report)."""
    names = catalog_names(connection, by)
    center_names = dict(connection.execute("SELECT code, name FROM centers").fetchall())
    grouping = "service" if by == "center" else by  # by center: its code and name in the first two columns
    table = report_table(rows, by=grouping, levels=all_levels(connection), translate=translate, lang=lang, names={})
    if by == "center":
        table["columns"][1]["title"] = translate(CENTER_COLUMN["title"])
        for row, cells in zip(rows, table["rows"]):
            cells[1] = center_names.get(row["center"], "")
        return table
    column = CENTER_COLUMN | {"title": translate(CENTER_COLUMN["title"])}
    body = []
    for row, cells in zip(rows, table["rows"]):
        if by != "day":
            cells[1] = names.get((row["center"], row["key"]), "")
        body.append([center_names.get(row["center"], row["center"]), *cells])
    return {"columns": [column, *table["columns"]], "rows": body, "totals": None}
