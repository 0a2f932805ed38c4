"""Connections to the hub's PostgreSQL: one pool per process (each worker its own, made after
the fork), psycopg 3 (cooperative under gevent from 3.1.14 on)."""

from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool


def open_pool(database_url: str, *, size: int = 8) -> ConnectionPool:
    """A pool of ``size`` connections in autocommit mode: a statement alone commits, and
    ``with connection.transaction():`` is one transaction (never a savepoint by accident)."""
    pool = ConnectionPool(
        database_url, min_size=1, max_size=size, open=False, kwargs={"row_factory": tuple_row, "autocommit": True},
        name="layso-province",
    )
    pool.open(wait=True, timeout=30)
    return pool
