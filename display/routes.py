"""Display pages, rendered with the current state so the number being called reads before
any script runs, and the spoken calls' audio files."""

import re
from dataclasses import asdict

from flask import abort, render_template, send_from_directory

from layso.queue.counters import counter_object, load_counter, state
from layso.web.context import db, for_public, now, settings
from layso.web.i18n import gettext as _

from display import bp
from display.messages import SCRIPT_TEXTS, WEEKDAYS
from display.screens import find_screen, screen_state
from display.voice import audio_dir

AUDIO_NAME = re.compile(r"[0-9a-f]{64}")  # the announcer's cache names: a SHA-256 in hex


def _page_context() -> dict:
    moment = now()
    return {
        "date_text": f"{_(WEEKDAYS[moment.weekday()])}, {moment:%d/%m/%Y}",
        "clock_text": f"{moment:%H:%M}",
        "texts": {text: _(text) for text in SCRIPT_TEXTS},
    }


def _boot(**values) -> dict:
    """What the page script starts from. Never the ?token= of a registered display: the
    script keeps it in the browser and takes it out of the address bar (Layso.deviceToken)."""
    return {"timezone": settings().timezone, **values}


@bp.get("/display")
@bp.get("/display/<screen_id>")
def hall(screen_id=None):
    screen = find_screen(settings(), screen_id)
    shown = screen_state(for_public(state(db(), now=now())), screen)
    latest = shown["calls"][0] if shown["calls"] else None
    return render_template(
        "display/hall.html", screen=screen, state=shown, latest=latest,
        boot=_boot(screen=asdict(screen), state=shown), **_page_context(),
    )


@bp.get("/display/counter/<int:number>")
def counter(number):
    shown = for_public(counter_object(db(), load_counter(db(), number)))
    return render_template(
        "display/counter.html", counter=shown, boot=_boot(counter=shown), **_page_context(),
    )


@bp.get("/audio/<name>.wav")
def audio(name):
    """A spoken call from the announcer's cache; any other name is a 404."""
    if not AUDIO_NAME.fullmatch(name):
        abort(404)
    return send_from_directory(audio_dir(settings()), f"{name}.wav", mimetype="audio/wav", max_age=24 * 3600)
