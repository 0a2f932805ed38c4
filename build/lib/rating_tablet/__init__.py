"""The rating tablet (/tablet/<n>) and the ratings' API (/api/v1/ratings)."""

from flask import Blueprint

bp = Blueprint("rating_tablet", __name__, template_folder="templates", static_folder="static", static_url_path="/static/rating_tablet")

from rating_tablet import pages, routes  # noqa: E402,F401  (routes attach to bp)
