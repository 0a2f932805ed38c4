"""The display blueprint."""

from flask import Blueprint

bp = Blueprint("display", __name__, template_folder="templates", static_folder="static", static_url_path="/static/display")
