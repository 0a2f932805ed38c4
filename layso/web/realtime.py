"""The real-time bus: the one SocketIO object, who may join which rooms, and publishing.

A client connects with ``auth`` = {role, counter?, kiosk?, token?, ticket?}. The role is
checked against the token (or config, for devices that need none); the client joins its
role's rooms and at once receives ``state``, so a screen that comes back after a network
drop is right again without reloading. Events reach clients only through :func:`publish`,
which the web layer calls after the transaction has committed.
"""

import logging

from flask import g, request
from flask_socketio import SocketIO, emit, join_room

from layso import events as rooms
from layso.admin.accounts import mark_devices_seen
from layso.errors import LaysoError
from layso.events import STATE
from layso.queue.counters import load_counter, state
from layso.queue.tickets import ticket_by_status_token
from layso.web.auth import user_principal, device_for
from layso.web.context import db, now, settings

log = logging.getLogger(__name__)
socketio = SocketIO()
_connected_devices: dict[str, str] = {}  # socket id → registered device id
USER_ROLES = {"counter": ("officer", "manager", "admin"), "dashboard": ("manager", "admin")}


def without_websocket_compression(wsgi_app):
    """WSGI middleware that declines permessage-deflate on WebSocket upgrades.

    Browsers and Node clients offer it and simple-websocket always accepts, and then every
    event is compressed once per client: at 1,000 displays that was most of the server's
    time in a broadcast, for messages of about 1 KB on a LAN.
    """
    def app(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return app


def publish(events) -> None:
    """Emit each event to its rooms (a client in several of them gets it once), leaving out
    a counter's states that a later event of the same commit replaces."""
    for event in rooms.latest_counter_states(events):
        socketio.emit(event.name, event.data, to=list(event.rooms))


def publish_and_notify(app, events) -> None:
    """Emit events to their rooms, then hand them to in-process listeners (the announcer,
    the printers). A listener's failure is logged; it never undoes or blocks the emit."""
    events = list(events)
    publish(events)
    for listener in app.extensions["layso.listeners"]:
        for event in events:
            try:
                listener(event)
            except Exception:  # a broken device worker must not break the officer's action
                log.exception("listener %r failed on %s", listener, event.name)


def add_listener(app, listener) -> None:
    """Call ``listener(event)`` for every event published after a commit."""
    app.extensions["layso.listeners"].append(listener)


def _refuse(message: str):
    raise ConnectionRefusedError(message)


def _rooms_for(auth: dict) -> list[str]:
    role = auth.get("role")
    token = auth.get("token") or None
    if role in USER_ROLES:
        principal = user_principal(token) if isinstance(token, str) else None
        if principal is None or principal.role not in USER_ROLES[role]:
            _refuse("unauthorized")
        if principal.must_change_password:
            _refuse("password_change_required")
        if role == "dashboard":
            return [rooms.dashboard_room()]
        joined = [rooms.counters_room()]
        if auth.get("counter") is not None:
            joined.append(rooms.counter_room(load_counter(db(), auth["counter"])["number"]))
        return joined
    if role in ("display", "kiosk", "tablet"):
        device = device_for(role, token if isinstance(token, str) else None)
        if device is not None:
            mark_devices_seen(db(), [device.device], now=now())
            g.connected_device = device.device
        if role == "display":
            joined = [rooms.display_room()]
            if auth.get("counter") is not None:
                joined.append(rooms.counter_room(load_counter(db(), auth["counter"])["number"]))
            return joined
        if role == "kiosk":
            if auth.get("agent") is True:
                return _agent_rooms(device, auth.get("kiosk"))
            kiosk = (device.device if device else None) or auth.get("kiosk")
            return [rooms.kiosks_room()] + ([rooms.kiosk_room(str(kiosk))] if kiosk else [])
        counter = device.counter if device and device.counter else auth.get("counter")
        if counter is None:
            _refuse("tablet needs a counter")
        return [rooms.tablet_room(load_counter(db(), counter)["number"])]
    if role == "citizen" and isinstance(auth.get("ticket"), str):
        return [rooms.ticket_room(ticket_by_status_token(db(), auth["ticket"])["status_token"])]
    _refuse("unknown role")


def _agent_rooms(device, kiosk) -> list[str]:
    """A kiosk PC's print agent (kiosk.agent): it must present its kiosk's registered device
    token, whatever ``devices.require_registration`` says, and that kiosk's printer must be
    of kind ``agent``; otherwise anyone on the LAN could take the citizens' tickets (with
    their status links) and fake printing results."""
    if device is None or kiosk not in (None, device.device):
        _refuse("unauthorized")
    if not any(str(entry["id"]) == device.device and (entry.get("printer") or {}).get("kind") == "agent"
               for entry in settings().kiosks):
        _refuse("not_an_agent_kiosk")
    return [rooms.kiosks_room(), rooms.kiosk_room(device.device), rooms.kiosk_agent_room(device.device)]


@socketio.on("connect")
def connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    try:
        joined = _rooms_for(auth)
    except LaysoError as error:
        log.info("socket refused from %s: %s", request.remote_addr, error.code)
        raise ConnectionRefusedError(error.code) from None
    for room in joined:
        join_room(room)
    if g.get("connected_device"):
        _connected_devices[request.sid] = g.connected_device
    emit(STATE, state(db(), now=now()))


@socketio.on("disconnect")
def disconnect(*_reason):
    _connected_devices.pop(request.sid, None)


def connected_devices() -> set[str]:
    """Registered devices with a socket open now (marked seen each minute)."""
    return set(_connected_devices.values())
