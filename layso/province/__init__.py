"""The province hub (trung tâm dữ liệu cấp tỉnh): one live view and one set of reports over a
province's centers (docs/hub.md).

Each center keeps running on its own server and SQLite; its sync worker pushes what the hub
needs (tickets, stretches, ratings, its catalog) as numbered events to ``POST
/api/v1/hub/ingest``. The hub keeps them in PostgreSQL (``layso.province.store``), partitioned
by month, and counts its reports by the same functions as the center (layso/reports/parts.py,
layso/reports/summary.py). This package knows no Flask: the pages and the API are the
``province/`` blueprint, started by ``python -m layso.province``.
"""
