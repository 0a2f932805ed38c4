"""The hub's PostgreSQL schema: migrations run by Alembic (layso/province/migrations), and the
monthly partitions of the tables that grow with every ticket, made when a month is first
needed."""

from datetime import date
from pathlib import Path

import psycopg

MIGRATIONS = Path(__file__).parent / "migrations"
PARTITIONED = ("tickets", "visits", "ratings", "rollup")  # by month of the ticket's day


def sqlalchemy_url(database_url: str) -> str:
    """postgresql://… as SQLAlchemy names psycopg 3 (Alembic's connection only)."""
    scheme, _, rest = database_url.partition("://")
    if scheme in ("postgres", "postgresql"):
        scheme = "postgresql+psycopg"
    return f"{scheme}://{rest}"


def migrate(database_url: str, revision: str = "head") -> None:
    """Bring the database to the newest revision (alembic upgrade head; tests of a migration
    stop at an older ``revision`` first); safe to run from several processes at once (an
    advisory lock in env.py)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(sqlalchemy_url(database_url), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def month_of(day: date) -> date:
    return day.replace(day=1)


def partition_name(table: str, month: date) -> str:
    return f"{table}_{month.year:04d}_{month.month:02d}"


def _next_month(month: date) -> date | None:
    """The first day of the next month; None after December 9999 (the partition then runs to MAXVALUE)."""
    if month.month == 12:
        return None if month.year == 9999 else date(month.year + 1, 1, 1)
    return date(month.year, month.month + 1, 1)


def ensure_partitions(connection: psycopg.Connection, months, *, known: set) -> None:
    """Create the monthly partitions of every partitioned table for ``months`` (first days)
    that are missing, each in a short transaction of its own under an advisory lock, so two
    workers never race to create the same one. ``known`` remembers what exists (per process)."""
    for month in sorted(set(months) - known):
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(2018180002)")
            for table in PARTITIONED:
                name = partition_name(table, month)
                until = _next_month(month)
                bound = "MAXVALUE" if until is None else f"'{until.isoformat()}'"
                connection.execute(
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {table} "
                    f"FOR VALUES FROM ('{month.isoformat()}') TO ({bound})"
                )
        known.add(month)
