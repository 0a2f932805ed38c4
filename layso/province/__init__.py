"""The province hub (trung tâm dữ liệu cấp tỉnh): one live view and one set of reports over a
province's centers (docs/hub.md).

Each center keeps running on its own server and SQLite; its sync worker pushes what the hub
needs (tickets, stretches, ratings, its catalog) as numbered events to ``POST
/api/v1/hub/ingest``. The hub keeps them in PostgreSQL (``layso.province.store``), partitioned
by month, and counts its reports by the same functions as the center (layso/reports/parts.py,
layso/reports/summary.py). This package knows no Flask: the pages and the API are the
``province/`` blueprint, started by ``python -m layso.province``.
"""

import importlib.util

# The hub's own packages are the wheel's "province" extra: a center is installed without them.
HUB_PACKAGES = {"psycopg": "psycopg", "psycopg_pool": "psycopg-pool", "redis": "redis", "alembic": "alembic"}


def missing_hub_packages() -> list[str]:
    return [name for module, name in HUB_PACKAGES.items() if importlib.util.find_spec(module) is None]
