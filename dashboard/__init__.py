"""The managers' blueprint: the live dashboard (/dashboard), reports (/reports, the
/api/v1/reports endpoints), the public transparency page (/public) and administration
(/admin, /api/v1/admin)."""

from flask import Blueprint

from layso.reports.alerts import AlertBoard
from layso.web import i18n
from layso.web.realtime import add_listener

from dashboard.messages import CATALOG

i18n.register(CATALOG)
bp = Blueprint("dashboard", __name__, template_folder="templates", static_folder="static", static_url_path="/static/dashboard")


@bp.record_once
def _listen(state):
    """One alert board per app, fed by every published event."""
    app = state.app
    board = AlertBoard(app.extensions["layso.pool"], lambda events: app.extensions["layso.publish"](events),
                       lambda: app.extensions["layso.clock"]())
    app.extensions["layso.alerts"] = board
    add_listener(app, board.hear)


from dashboard import admin_api, notices, pages, password, poster, reports_api, voice_api  # noqa: E402,F401  (routes attach to bp)
