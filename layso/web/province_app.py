"""The province hub's application factory: HubSettings in, a ready Flask app out (its own
SocketIO, on Redis's message queue when several worker processes serve it)."""

from pathlib import Path

from flask import Flask

from layso import clock
from layso.province.db import open_pool
from layso.province.settings import HubSettings
from layso.web import i18n
from layso.web.app import vendor_file
from layso.web.context import WholeNumberConverter, refuse_oversized_body
from layso.web.errors import register_error_handlers
from layso.web.headers import with_security_headers
from layso.web.throttle import LoginThrottle

MAX_BODY_BYTES = 8 * 1024 * 1024  # a batch of 5,000 events


def create_province_app(settings: HubSettings, *, now=None, pool_size: int = 8) -> Flask:
    """Build the hub's app on an already migrated database (``python -m layso.province``
    migrates once before starting its workers). ``now`` replaces the clock in tests."""
    from province import bp as province_bp
    from province.events import socketio

    app = Flask("layso.province", root_path=str(Path(__file__).parent))
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=MAX_BODY_BYTES, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    app.url_map.converters["int"] = WholeNumberConverter
    app.extensions["province.settings"] = settings
    app.extensions["province.clock"] = now or (lambda: clock.now(settings.timezone))
    app.extensions["province.pool"] = open_pool(settings.database_url, size=pool_size)
    app.extensions["province.partitions"] = set()  # months whose partitions exist (this process)
    app.extensions["layso.login_throttle"] = LoginThrottle()
    app.before_request(refuse_oversized_body)
    app.after_request(i18n.remember_language)
    app.jinja_env.globals.update(_=i18n.gettext, plural=i18n.plural, language=i18n.language)
    register_error_handlers(app)
    socketio.init_app(app, async_mode=settings.async_mode, message_queue=settings.redis_url,
                      cors_allowed_origins=None)
    app.wsgi_app = with_security_headers(app.wsgi_app)
    app.register_blueprint(province_bp)

    app.add_url_rule("/vendor/<name>", "vendor", vendor_file)
    return app


def start_hub_jobs(app: Flask, *, leader: bool) -> None:
    """The hub's background work. Only the leader (worker 0) runs what must happen once per
    hub, not once per worker."""
    if not leader:
        return
