"""Alembic's environment for the hub's schema: run on the connection that
layso.province.schema.migrate() hands over (no alembic.ini, no URL here)."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    # Two hub processes started at once: the second waits, then finds nothing to do.
    context.execute("SELECT pg_advisory_xact_lock(2018180001)")
    context.run_migrations()
