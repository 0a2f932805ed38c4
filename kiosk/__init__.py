"""The kiosk (/kiosk), the tickets' API (/api/v1/tickets) and the citizen's status page (/t/<token>)."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static", static_url_path="/static/kiosk")

from kiosk import routes  # noqa: E402,F401  (routes attach to bp)
