"""The application factory: settings in, a ready Flask app (with its SocketIO) out."""

import logging
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, abort, redirect, send_file, url_for

from layso import clock
from layso.demo.history import generate_history
from layso.logs import log_event
from layso.errors import WritesStopped
from layso.events import Outcome
from layso.notify.notices import send_one_time_code
from layso.queue import remote as remote_numbers
from layso.notify.reminders import queue_reminders
from layso.notify.sender import Sender
from layso.inputs import TEXT_LIMITS
from layso.queue.appointments import erase_old_phones
from layso.queue.day import expire_past_days
from layso.reports.alerts import forget_old_alerts, writes_stopped_event
from layso.reports.rollup import build_missing
from layso.passwords import dummy_hash
from layso.bundle import VENDOR_FILES, bundled_file
from layso.settings import Settings
from layso.store.backup import backup_dir, nightly_backup
from layso.store.db import Pool, open_db
from layso.store.migrations import migrate
from layso.store.seed import seed_database
from layso.web import i18n
from layso.web.auth import CookieSession, password_change_first
from layso.web.context import WholeNumberConverter, give_back_connections, refuse_oversized_body
from layso.web.errors import register_error_handlers
from layso.web.idempotency import forget_old_keys
from layso.web.metrics import install_metrics
from layso.web.headers import with_security_headers
from layso.web.proxy import behind_proxies
from layso.admin.accounts import mark_devices_seen
from layso.admin.hub import current_link
from layso.store.hub_log import forget_acknowledged
from layso.sync.worker import HubSync
from layso.web.throttle import LoginThrottle
from layso.web.realtime import (CHECK_SOCKETS_EVERY_S, add_listener, connected_devices, end_lapsed_sockets, publish_and_notify, socketio,
                                without_websocket_compression)

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 256 * 1024


def vendor_file(name):
    """A front-end library from npm (node_modules in a checkout, inside the package once
    installed: layso/bundle.py), by its short name."""
    if name not in VENDOR_FILES:
        abort(404)
    path = bundled_file("vendor", name)
    if not path.exists():
        log.error("front-end library missing: %s (run scripts/setup)", path)
        abort(404)
    return send_file(path, max_age=3600)


def prepare_database(settings: Settings, *, now) -> Outcome:
    """Create or upgrade the schema, seed a new center, close yesterday's tickets."""
    database = open_db(settings.db_path)
    try:
        migrate(database)
        if seed_database(database, settings):
            log.info("seeded a new center database at %s", settings.db_path)
            if settings.demo and settings.demo_history_days:
                started = time.perf_counter()
                made = generate_history(database, now=now, days=settings.demo_history_days)
                build_missing(database, now=now, days=settings.demo_history_days + 1)
                log.info("demo: %(tickets)d tickets and %(ratings)d ratings over the past %(days)d open days", made)
                log.info("demo history written in %.1f s", time.perf_counter() - started)
        return expire_past_days(database, now=now)
    finally:
        database.conn.close()


def center_clock(settings: Settings):
    """The center's clock: real time, or for a demo with LAYSO_CLOCK_SPEED / LAYSO_CLOCK_START
    one that runs faster from the given start (bench/simulate_day.py)."""
    if settings.clock_speed == 1 and settings.clock_start is None:
        return lambda: clock.now(settings.timezone)
    start = None
    if settings.clock_start is not None:
        if len(settings.clock_start) == 5:  # HH:MM today
            start = clock.now(settings.timezone).replace(hour=int(settings.clock_start[:2]),
                                                         minute=int(settings.clock_start[3:]), second=0, microsecond=0)
        else:
            start = datetime.fromisoformat(settings.clock_start).astimezone(ZoneInfo(settings.timezone))
    log.warning("demo clock: %s× real time from %s", settings.clock_speed, start or "now")
    return clock.FastClock(settings.timezone, speed=settings.clock_speed, start=start)


def create_app(settings: Settings, *, now=None) -> Flask:
    """Build the app. ``now`` (a callable returning an aware datetime) replaces the
    center's clock, for tests that need a fixed time of day."""
    app = Flask("layso", root_path=str(Path(__file__).parent), instance_path=str(settings.instance_dir.resolve()))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    app.url_map.converters["int"] = WholeNumberConverter  # before any route is added
    app.session_interface = CookieSession()
    app.extensions["layso.settings"] = settings
    app.extensions["layso.clock"] = now or center_clock(settings)
    prepare_database(settings, now=app.extensions["layso.clock"]())
    app.extensions["layso.pool"] = Pool(
        settings.db_path, on_stop=lambda reason: publish_and_notify(app, [writes_stopped_event(reason)]))
    app.extensions["layso.listeners"] = []
    app.extensions["layso.login_throttle"] = LoginThrottle()
    dummy_hash(settings.password_hash)  # made now, so the first login for a missing user costs no more than later ones
    sender = app.extensions["layso.notify"] = Sender(
        app.extensions["layso.pool"], env=settings.notify_env, clock=app.extensions["layso.clock"],
        start_task=socketio.start_background_task, public_url=settings.public_url)

    def publish(events):
        publish_and_notify(app, events)
        sender.wake()  # an event may have written notices to the outbox with it: send them now

    app.extensions["layso.publish"] = publish
    # The link to the province hub: started with the background jobs, woken by every commit's events.
    app.extensions["layso.hub_sync"] = hub_sync = HubSync(
        app.extensions["layso.pool"].connection, lambda database: current_link(database, settings.hub),
        app.extensions["layso.publish"], clock=app.extensions["layso.clock"])
    app.extensions["layso.listeners"].append(hub_sync.wake)
    # The hook remote number taking texts its one-time codes through (kiosk/remote.py).
    app.extensions["layso.code_sender"] = send_one_time_code
    app.teardown_appcontext(give_back_connections)
    app.before_request(refuse_oversized_body)
    app.before_request(password_change_first)
    app.after_request(i18n.remember_language)
    # limits: pages take maxlength= from the one table of text limits
    app.jinja_env.globals.update(_=i18n.gettext, plural=i18n.plural, language=i18n.language, limits=TEXT_LIMITS)
    register_error_handlers(app)
    socketio.init_app(app, async_mode=settings.async_mode, cors_allowed_origins=None)
    # outside Socket.IO's middleware, so its answers are covered too
    app.wsgi_app = with_security_headers(without_websocket_compression(app.wsgi_app))
    app.wsgi_app = behind_proxies(app.wsgi_app, settings.trusted_proxies)  # outermost: every layer sees the client

    from booking import bp as booking_bp
    from counter import bp as counter_bp
    from dashboard import bp as dashboard_bp
    from display import bp as display_bp
    from kiosk import bp as kiosk_bp
    from layso.web.api import bp as api_bp
    from layso.web.health import bp as health_bp
    from layso.web.home import bp as home_bp
    from rating_tablet import bp as rating_tablet_bp

    for blueprint in (home_bp, health_bp, api_bp, kiosk_bp, booking_bp, display_bp, counter_bp, rating_tablet_bp,
                      dashboard_bp):
        app.register_blueprint(blueprint)
    install_metrics(app)
    add_listener(app, log_event)  # printers, paper, announcements: one log line each

    @app.get("/favicon.ico")
    def favicon():
        # Browsers ask for /favicon.ico by themselves (for a JSON answer or an image too): the one icon, in SVG.
        return redirect(url_for("static", filename="favicon.svg"), 301)

    app.add_url_rule("/vendor/<name>", "vendor", vendor_file)

    return app


def minute_steps(app: Flask) -> list:
    """What the server does each minute, in order, each on a lent connection."""

    def close_past_days(database, moment):
        publish_and_notify(app, expire_past_days(database, now=moment).events)

    def roll_up_closed_days(database, moment):
        # once yesterday is closed, roll it up so the first report of the day is fast
        build_missing(database, now=moment)

    def mark_connected_devices_seen(database, moment):
        mark_devices_seen(database, connected_devices(), now=moment)

    def forget_old_records(database, moment):
        # each console press keeps its full answer, each alert its row: without this both grow for ever
        forget_old_keys(database, now=moment)
        forget_old_alerts(database, now=moment)
        erase_old_phones(database, now=moment)  # a booking's phone, retention_days after it ended

    def erase_remote_phones(database, moment):
        # a remote ticket's phone number, [remote] retention_days after its day (docs/security.md)
        remote_numbers.erase_old_phones(database, now=moment)

    def forget_sent_hub_log(database, moment):
        # what the province hub acknowledged a month ago is not needed again
        forget_acknowledged(database, now=moment)

    def send_appointment_reminders(database, moment):
        if queue_reminders(database, now=moment):
            app.extensions["layso.notify"].wake()

    def write_nightly_backup(_database, moment):
        settings = app.extensions["layso.settings"]
        created = nightly_backup(settings.db_path, backup_dir(settings.instance_dir),
                                 keep_days=settings.backup_keep_days, now=moment)
        if created:
            log.info("nightly backup written: %s", created)

    return [close_past_days, roll_up_closed_days, mark_connected_devices_seen, forget_old_records, erase_remote_phones,
            forget_sent_hub_log, send_appointment_reminders, write_nightly_backup]


def start_background_jobs(app: Flask, *, interval_s: float = 60.0) -> None:
    """Run :func:`minute_steps` every ``interval_s`` while the server runs: close past days,
    roll up closed days for reports, mark connected devices seen, forget idempotency keys
    after a day and event alerts after 90 days, erase bookings' phone numbers after their
    retention time, write the nightly backup.
    Kiosk printers are watched from now on (checks between tickets, print agents away), the
    outbox of notices is sent (layso.notify.sender), the link to the province hub starts sending
    (:mod:`layso.sync.worker`), and open sockets every half second (:func:`layso.web.realtime.end_lapsed_sockets`)."""
    app.extensions["kiosk.printers"].start()
    app.extensions["layso.notify"].start()
    app.extensions["layso.hub_sync"].start()

    def every_minute():
        while True:
            socketio.sleep(interval_s)
            for step in minute_steps(app):
                try:
                    with app.extensions["layso.pool"].connection() as database:
                        step(database, app.extensions["layso.clock"]())
                except WritesStopped:  # the dashboard and /healthz already say so
                    log.warning("background step %s skipped: writes are stopped", step.__name__)
                except Exception:  # one failed step must not stop the others; the next minute retries
                    log.exception("background step %s failed", step.__name__)

    def watch_sockets():
        while True:
            socketio.sleep(CHECK_SOCKETS_EVERY_S)
            try:
                with app.extensions["layso.pool"].connection() as database:
                    end_lapsed_sockets(database, now=app.extensions["layso.clock"]())
            except Exception:  # a failed check must not stop the next one
                log.exception("checking open sockets failed")

    socketio.start_background_task(every_minute)
    socketio.start_background_task(watch_sockets)
