"""The hall displays (/display, /display/<screen-id>), the counter displays
(/display/counter/<n>), the spoken calls' audio (/audio/<name>.wav) and the voice itself."""

from flask import Blueprint

from layso.web import i18n

from display.messages import ENGLISH, OWN_READINGS
from display.screens import screens
from display.voice import start_voice

bp = Blueprint("display", __name__, template_folder="templates", static_folder="static", static_url_path="/static/display")
i18n.register(ENGLISH)
i18n.register(OWN_READINGS, blueprint=bp.name)


def _init_app(state) -> None:
    screens(state.app.extensions["layso.settings"])  # a bad [[displays]] entry stops the start, naming its key
    start_voice(state.app)


bp.record_once(_init_app)

from display import routes  # noqa: E402,F401  (routes attach to bp)
