"""The province hub's application factory: HubSettings in, a ready Flask app out (its own
SocketIO, on Redis's message queue when several worker processes serve it)."""

import logging
from pathlib import Path

import redis
from flask import Flask
from psycopg.conninfo import conninfo_to_dict

from layso import clock
from layso.province.db import open_pool
from layso.province.settings import HubSettings
from layso.web import i18n
from layso.web.app import vendor_file
from layso.web.context import WholeNumberConverter, give_back_connections, refuse_oversized_body
from layso.web.errors import register_error_handlers
from layso.web.headers import with_security_headers
from layso.web.throttle import LoginThrottle, RedisFailures

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 8 * 1024 * 1024  # a batch of 5,000 events


def create_province_app(settings: HubSettings, *, now=None, pool_size: int = 8) -> Flask:
    """Build the hub's app on an already migrated database (``python -m layso.province``
    migrates once before starting its workers). ``now`` replaces the clock in tests."""
    from province import bp as province_bp
    from province.events import publish_center, socketio

    app = Flask("layso.province", root_path=str(Path(__file__).parent))
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=MAX_BODY_BYTES, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    app.url_map.converters["int"] = WholeNumberConverter
    app.extensions["province.settings"] = settings
    app.extensions["province.clock"] = now or (lambda: clock.now(settings.timezone))
    app.extensions["province.pool"] = open_pool(settings.database_url, size=pool_size)
    app.extensions["province.partitions"] = set()  # months whose partitions exist (this process)
    app.extensions["layso.login_throttle"] = login_throttle(settings)
    app.before_request(refuse_oversized_body)
    app.teardown_appcontext(give_back_connections)
    app.after_request(i18n.remember_language)
    app.jinja_env.globals.update(_=i18n.gettext, plural=i18n.plural, language=i18n.language)
    register_error_handlers(app)
    socketio.init_app(app, async_mode=settings.async_mode, message_queue=settings.redis_url,
                      cors_allowed_origins=None)
    app.wsgi_app = with_security_headers(app.wsgi_app)
    app.register_blueprint(province_bp)
    app.extensions["province.after_ingest"] = lambda applied: publish_center(app, applied.center.code)

    app.add_url_rule("/vendor/<name>", "vendor", vendor_file)
    return app


def login_throttle(settings: HubSettings) -> LoginThrottle:
    """The center's login throttle, its failures counted in the hub's Redis when it has one:
    every worker process then sees every failure, so ``--workers N`` does not grant N times
    the tries. Keys are namespaced by the hub's database, whose accounts they protect (two
    hubs, or two test databases, on one Redis do not throttle each other)."""
    if settings.redis_url is None:
        return LoginThrottle()
    database = conninfo_to_dict(settings.database_url)
    namespace = "layso:login-failures:{}:{}:{}".format(database.get("host", ""), database.get("port", ""),
                                                       database.get("dbname", ""))
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=10)
    return LoginThrottle(failures=RedisFailures(client, namespace=namespace))


def start_hub_jobs(app: Flask, *, leader: bool, interval_s: float = 15.0) -> None:
    """The hub's background work, run by the leader (worker 0) only, as it must happen once
    per hub, not once per worker: every ``interval_s`` every center's live state goes to the
    dashboards (a center going silent, a wait passing its target), and closed days are rolled
    up so reports need not build them."""
    from layso.province.reports import build_missing
    from province.events import publish_all, socketio

    if not leader:
        return

    def every_interval():
        passes = 0
        while True:
            socketio.sleep(interval_s)
            passes += 1
            try:
                publish_all(app)
                if passes % 4 == 0:  # about once a minute, the last week (a report builds older days itself)
                    with app.extensions["province.pool"].connection() as connection:
                        build_missing(connection, now=app.extensions["province.clock"](), days=7)
            except Exception:  # one failed pass must not stop the next
                log.exception("the hub's periodic pass failed")

    socketio.start_background_task(every_interval)
