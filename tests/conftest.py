"""Shared fixtures only; helpers live in tests/helpers.py."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from layso import settings as settings_module
from layso.store.db import open_db
from layso.store.migrations import migrate
from layso.store.seed import seed_database

DATA = Path(__file__).parent / "data"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def now():
    """A fixed clock: Monday 23 November 2026, 09:00 in Huế, inside opening hours."""
    return datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


@pytest.fixture
def make_settings(tmp_path):
    """One factory for Settings: the test center, a database under tmp_path, overrides."""

    def make(config=DATA / "center.toml", **overrides):
        overrides.setdefault("async_mode", "threading")
        overrides.setdefault("ticket_rate_limit", 0)
        return settings_module.load(
            config=str(config),
            db=str(tmp_path / "layso.db"),
            environ={"LAYSO_SECRET_KEY": "test-secret-key-0123456789"},
            **overrides,
        )

    return make


@pytest.fixture
def settings(make_settings):
    return make_settings()


@pytest.fixture
def db(settings):
    """A migrated, seeded SQLite file (WAL) under tmp_path."""
    database = open_db(settings.db_path)
    migrate(database)
    seed_database(database, settings)
    yield database
    database.conn.close()
