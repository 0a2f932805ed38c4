"""The print agent's side of the bus: ``print.ready`` (an agent is connected and wants
its unanswered jobs again), ``print.result`` {job, ok, error?} and ``print.status``
{ok, error?, paper_low?} (on connecting; its idle printer stopped working, answers again
after a failure, or its roll is near the end).

Only a client that joined ``kiosk-agent:<id>`` at connect (role ``kiosk`` with
``agent: true``, past the kiosk's network and token checks) is heard.
"""

from flask import current_app, request
from flask_socketio import rooms

from layso.events import kiosk_agent_room
from layso.web.realtime import socketio


def _agent_kiosk() -> str | None:
    """The kiosk whose agent sent this event, or None for any other client."""
    joined = set(rooms())
    for kiosk in current_app.extensions["kiosk.printers"].configs:
        if kiosk_agent_room(kiosk) in joined:
            return kiosk
    return None


@socketio.on("print.ready")
def print_ready(data=None):
    kiosk = _agent_kiosk()
    if kiosk is None:
        return {"ok": False, "error": "not_an_agent"}
    sent = current_app.extensions["kiosk.printers"].agent_ready(kiosk, sid=request.sid)
    return {"ok": True, "resent": sent}


@socketio.on("print.result")
def print_result(data=None):
    kiosk = _agent_kiosk()
    if kiosk is None or not isinstance(data, dict):
        return {"ok": False, "error": "not_an_agent"}
    known = current_app.extensions["kiosk.printers"].agent_result(kiosk, data.get("job"), data.get("ok"), data.get("error"))
    return {"ok": known}


@socketio.on("print.status")
def print_status(data=None):
    kiosk = _agent_kiosk()
    if kiosk is None or not isinstance(data, dict):
        return {"ok": False, "error": "not_an_agent"}
    paper_low = data.get("paper_low")
    current_app.extensions["kiosk.printers"].agent_status(
        kiosk, ok=data.get("ok") is True, error=data.get("error"),
        paper_low=paper_low if isinstance(paper_low, bool) else None)
    return {"ok": True}
