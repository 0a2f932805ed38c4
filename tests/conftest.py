"""Shared fixtures only; helpers live in tests/helpers.py."""

import itertools
import os
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
        overrides.setdefault("password_hash", "pbkdf2:sha256:1000")  # scrypt costs 0.3 s a hash
        overrides.setdefault("demo_history_days", 0)  # a demo's month of history: tests/test_demo_history.py
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


@pytest.fixture
def clock(now):
    """The app's clock: ``clock.now`` is what the server sees; tests may move it."""

    class Clock:
        def __init__(self):
            self.now = now

        def __call__(self):
            return self.now

    return Clock()


@pytest.fixture
def fake_printer():
    """A network printer on 127.0.0.1 that keeps the ESC/POS bytes it receives (tests/fake_printer.py)."""
    from tests.fake_printer import FakePrinter

    printer = FakePrinter()
    yield printer
    printer.close()


@pytest.fixture
def serving(db, now):
    """Counters 1 (an) and 2 (binh) open; A001 issued at ``now`` and called at counter 1 a minute later."""
    from layso.queue.calling import call_next
    from tests.helpers import issue, later, open_counters

    open_counters(db, now, c1="an", c2="binh")
    ticket = issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    return ticket


@pytest.fixture
def app(settings, clock):
    """The Flask app in threading mode (no monkey-patching inside pytest), on the test clock."""
    from kiosk.printing import close_printers
    from layso.web.app import create_app

    application = create_app(settings, now=clock)
    application.config["TESTING"] = True
    yield application
    close_printers(application)
    application.extensions["layso.pool"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(make_settings, clock):
    """make_client(**settings overrides) → a test client of an app built with them."""
    from kiosk.printing import close_printers
    from layso.web.app import create_app

    apps = []

    def make(**overrides):
        application = create_app(make_settings(**overrides), now=clock)
        application.config["TESTING"] = True
        apps.append(application)
        return application.test_client()

    yield make
    for application in apps:
        close_printers(application)
        application.extensions["layso.pool"].close()


@pytest.fixture
def login(client):
    """login("an") → headers with that user's bearer token (first-login password change done:
    the password is then tests.helpers.NEW_PASSWORD)."""
    from tests.helpers import NEW_PASSWORD

    def do_login(username, password=None):
        password = password or f"{username}-password-1"
        response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        answer = response.get_json()
        headers = {"Authorization": f"Bearer {answer['token']}"}
        if answer["must_change_password"]:
            changed = client.post("/api/v1/auth/password", headers=headers,
                                  json={"old_password": password, "new_password": NEW_PASSWORD})
            assert changed.status_code == 200, changed.get_json()
        return headers

    return do_login


@pytest.fixture
def admin(login):
    """The test center's admin (quantri), logged in: bearer headers."""
    return login("quantri")


@pytest.fixture
def manager(login):
    """The test center's manager (quanly), logged in: bearer headers."""
    return login("quanly")


@pytest.fixture
def live_server(tmp_path):
    """server.py in a subprocess on a free port with a temporary demo database.

    ``live_server.url``; ``live_server.restart()`` kills and starts it again on the
    same port and database. Pass extra env through ``live_server.start(env={...})``.
    """
    from tests.helpers import LiveServer

    server = LiveServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def sio_client(live_server):
    """sio_client(auth) → a connected python-socketio client that records events."""
    from tests.helpers import RecordingClient

    clients = []

    def connect(auth, **options):
        recorder = RecordingClient(live_server.url, auth, **options)
        clients.append(recorder)
        return recorder

    yield connect
    # Stop the server first: a websocket close then fails at once, instead of waiting
    # up to 3 s for the server's close frame.
    live_server.stop()
    for recorder in clients:
        recorder.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tests.helpers import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster for the whole run (tests/province_services.py), with a
    database ``hub_template`` migrated once, that each test's database is copied from."""
    from layso.province.schema import migrate
    from tests.province_services import PostgresServer

    server = PostgresServer().start()
    try:
        migrate(server.create_database("hub_template"))
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server():
    """A throwaway redis-server for the whole run."""
    from tests.province_services import RedisServer

    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def hub_database_url(postgres_server):
    """A fresh, migrated hub database of this test's own (a copy of ``hub_template``)."""
    name = f"hub_{next(_HUB_DATABASES)}_{os.getpid()}"
    return postgres_server.create_database(name, template="hub_template")


_HUB_DATABASES = itertools.count(1)


@pytest.fixture
def start_hub(tmp_path, hub_database_url, redis_server):
    """Start ``python -m layso.province`` processes (tests/province_hub.HubServer) on this
    test's database and the run's Redis (or ``redis_url``); each is stopped after the test."""
    from tests.province_hub import HubServer

    hubs = []

    def start(redis_url=None, **options):
        hub = HubServer(tmp_path, hub_database_url, redis_url or redis_server.url, name=f"hub{len(hubs)}",
                        **options).start()
        hubs.append(hub)
        return hub

    yield start
    for hub in hubs:
        hub.stop()


@pytest.fixture
def hub_app(hub_database_url, redis_server, clock):
    """The province hub's app in threading mode on its own database, the demo province
    registered (centers demo-1…3, accounts tinh and admin), on the test clock."""
    from layso.province import settings as hub_settings
    from layso.province.demo import seed_demo
    from layso.web.province_app import create_province_app

    settings = hub_settings.load(database_url=hub_database_url, redis_url=redis_server.url, demo=True,
                                 async_mode="threading", password_hash="pbkdf2:sha256:1000")
    application = create_province_app(settings, now=clock, pool_size=2)
    with application.extensions["province.pool"].connection() as connection:
        seed_demo(connection, method=settings.password_hash)
    application.config["TESTING"] = True
    yield application
    application.extensions["province.pool"].close()


@pytest.fixture
def hub_client(hub_app):
    return hub_app.test_client()


@pytest.fixture
def hub_admin(hub_client):
    """The demo hub's admin (admin/demo), logged in: bearer headers."""
    from tests.province_data import login

    return login(hub_client, "admin")
