"""The kiosk (/kiosk), the tickets' API (/api/v1/tickets), its printers and print agents,
and the citizen's status page (/t/<token>)."""

from flask import Blueprint

from layso.web import i18n

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static", static_url_path="/kiosk/static")


@bp.record_once
def _start_printers(state):
    from kiosk.printing import start_printers

    start_printers(state.app, state.app.extensions["layso.settings"])


from kiosk import check_in, dossiers, events, pages, remote, routes  # noqa: E402,F401  (handlers attach to bp and socketio)
from kiosk.messages import CATALOG  # noqa: E402

i18n.register(CATALOG)
