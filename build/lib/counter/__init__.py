"""The officer's console (/counter) and the counters' API (/api/v1/counters/...)."""

from flask import Blueprint

bp = Blueprint("counter", __name__, template_folder="templates", static_folder="static", static_url_path="/static/counter")

from counter import pages, routes  # noqa: E402,F401  (routes attach to bp)
