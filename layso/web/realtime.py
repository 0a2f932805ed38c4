"""The real-time bus: the one SocketIO object, who may join which rooms, and publishing.

A client connects with ``auth`` = {role, counter?, kiosk?, token?, ticket?, lang?}. The role is
checked against the token (or config, for devices that need none); the client joins its
role's rooms and at once receives ``state``, so a screen that comes back after a network
drop is right again without reloading; a tablet also receives the rating it should be asking
for, if there is one. Events reach clients only through :func:`publish`,
which the web layer calls after the transaction has committed. A socket lasts only as long
as the login or device token that let it in (:func:`end_lapsed_sockets`). ``lang`` is the
page's language: a refusal's ``data.message`` is worded in it.
"""

import logging
from dataclasses import dataclass

from flask import g, request
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room  # its refusal reaches the client

from layso import events as rooms
from layso.admin.accounts import known_kiosk, mark_devices_seen
from layso.clock import parse
from layso.errors import InvalidInput, LaysoError
from layso.events import COUNTER_UPDATED, STATE
from layso.queue.counters import load_counter, state
from layso.queue.ratings import pending_rating_request
from layso.queue.tickets import ticket_by_status_token
from layso.store.seed import token_hash
from layso.web.auth import user_principal, device_for
from layso.web.context import db, for_public, now, settings
from layso.web.i18n import language, use_language

log = logging.getLogger(__name__)
socketio = SocketIO()
USER_ROLES = {"counter": ("officer", "manager", "admin"), "dashboard": ("manager", "admin")}
SUPERVISORS = ("manager", "admin")  # see every counter's ratings on the dashboard already
CHECK_SOCKETS_EVERY_S = 0.5


@dataclass
class SocketOwner:
    """What let an authenticated socket in, so that it ends when that ends."""

    role: str                       # the socket's role: dashboard, counter, display, kiosk, tablet
    token_hash: str | None = None   # a user's login token
    username: str | None = None
    user_role: str | None = None    # officer, manager or admin
    device: str | None = None       # a registered device
    counter: int | None = None      # the counter:<n> room a console joined


_owners: dict[str, SocketOwner] = {}  # socket id → owner, for sockets with a login or a registered device
_roles: dict[str, str] = {}  # socket id → role, for every socket let in (/metrics: layso_sockets{role})


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


def publish(events, public_pause_reasons=()) -> None:
    """Emit each event to its rooms (a client in several of them gets it once), leaving out
    a counter's states that a later event of the same commit replaces. A counter that
    changed hands loses the consoles of officers who no longer hold it first. Staff rooms
    get the whole payload; the others get :func:`layso.events.for_anyone` of it, with the
    center's ``public_pause_reasons`` (no staff
    socket joins a public room that hears the same event, so nobody gets it twice)."""
    for event in rooms.latest_counter_states(events):
        if event.name == COUNTER_UPDATED:
            officer = event.data["counter"]["officer"]
            _leave_counters_not_held({event.data["counter"]["number"]: officer and officer["username"]})
        private = [room for room in event.rooms if rooms.is_staff_room(room)]
        public = [room for room in event.rooms if not rooms.is_staff_room(room)]
        if private:
            socketio.emit(event.name, event.data, to=private)
        if public:
            socketio.emit(event.name, rooms.for_anyone(event.data, public_pause_reasons), to=public)


def publish_and_notify(app, events) -> None:
    """Emit events to their rooms, then hand them to in-process listeners (the announcer,
    the printers). A listener's failure is logged; it never undoes or blocks the emit."""
    events = list(events)
    publish(events, app.extensions["layso.settings"].public_pause_reasons)
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
        g.socket_owner = owner = SocketOwner(role, token_hash=token_hash(token), username=principal.username,
                                             user_role=principal.role)
        if role == "dashboard":
            return [rooms.dashboard_room()]
        joined = [rooms.counters_room()]
        if auth.get("counter") is not None:
            counter = load_counter(db(), auth["counter"])
            # An officer hears only the counter they hold (its ratings); choosing one, the list.
            if principal.role in SUPERVISORS or counter["officer"] == principal.username:
                owner.counter = counter["number"]
                joined.append(rooms.counter_room(owner.counter))
        return joined
    if role in ("display", "kiosk", "tablet"):
        device = device_for(role, token if isinstance(token, str) else None)
        if device is not None:
            mark_devices_seen(db(), [device.device], now=now())
            g.socket_owner = SocketOwner(role, device=device.device)
        if role == "display":
            return [rooms.display_room()]
        if role == "kiosk":
            if auth.get("agent") is True:
                return _agent_rooms(device, auth.get("kiosk"))
            kiosk = (device.device if device else None) or auth.get("kiosk")
            if kiosk and not known_kiosk(db(), settings().kiosks, kiosk):
                raise InvalidInput("Không có kiosk này.", message_en="Unknown kiosk.")
            return [rooms.kiosks_room()] + ([rooms.kiosk_room(kiosk)] if kiosk else [])
        counter = device.counter if device and device.counter else auth.get("counter")
        if counter is None:
            _refuse("tablet needs a counter")
        g.tablet_counter = load_counter(db(), counter)["number"]
        return [rooms.tablet_room(g.tablet_counter)]
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
    use_language(auth.get("lang"))
    try:
        joined = _rooms_for(auth)
    except LaysoError as error:
        log.info("socket refused from %s: %s", request.remote_addr, error.code)
        message = error.message_en if language() == "en" else error.message
        raise ConnectionRefusedError(error.code, {"error": error.code, "message": message}) from None
    for room in joined:
        join_room(room)
    _roles[request.sid] = "agent" if auth.get("role") == "kiosk" and auth.get("agent") is True else auth["role"]
    if g.get("socket_owner"):
        _owners[request.sid] = g.socket_owner
    snapshot = state(db(), now=now())
    emit(STATE, snapshot if auth.get("role") in USER_ROLES else for_public(snapshot))
    if g.get("tablet_counter") is not None:
        # A tablet that reloads or reconnects right after a finish still asks for that rating.
        pending = pending_rating_request(db(), g.tablet_counter, now=now())
        if pending is not None:
            emit(pending.name, for_public(pending.data))


@socketio.on("disconnect")
def disconnect(*_reason):
    _owners.pop(request.sid, None)
    _roles.pop(request.sid, None)


def sockets_by_role() -> dict[str, int]:
    """How many sockets are open now, by role (dashboard, counter, display, kiosk, agent,
    tablet, citizen)."""
    counts: dict[str, int] = {}
    for role in list(_roles.values()):
        counts[role] = counts.get(role, 0) + 1
    return counts


def connected_devices() -> set[str]:
    """Registered devices with a socket open now (marked seen each minute)."""
    return {owner.device for owner in list(_owners.values()) if owner.device}


def end_lapsed_sockets(database, *, now) -> list[str]:
    """Disconnect every socket whose login or device no longer lets it in — the token ended
    (logout, a password change, a reset, the account deactivated), expired, or its user's
    role no longer fits the socket; the device was revoked — and take a console out of a
    counter its officer no longer holds. The server runs this every
    ``CHECK_SOCKETS_EVERY_S``, so no socket outlives what let it in by a second, whatever
    ended it (an admin screen, a restore, the clock). Returns the sockets disconnected."""
    owners = list(_owners.items())
    if not owners:
        return []
    logins = {row[0]: row[1:] for row in database.execute(
        "SELECT t.token_hash, t.expires_at, u.role FROM tokens t JOIN users u ON u.username = t.username "
        "WHERE u.active = 1")}
    devices = {row[0] for row in database.execute("SELECT id FROM devices WHERE revoked = 0")}
    ended = []
    for sid, owner in owners:
        login = logins.get(owner.token_hash)
        if owner.device is not None:
            alive = owner.device in devices
        else:
            alive = login is not None and parse(login[0]) > now and login[1] in USER_ROLES[owner.role]
        if alive:
            owner.user_role = login[1] if login else None
        else:
            socketio.server.disconnect(sid, namespace="/")
            ended.append(sid)
    _leave_counters_not_held(dict(database.execute("SELECT number, officer FROM counters").fetchall()))
    return ended


def _leave_counters_not_held(holders: dict) -> None:
    """Take each officer's console out of ``counter:<n>`` when ``holders`` ({number: username
    or None}) says someone else, or nobody, holds counter n now."""
    for sid, owner in list(_owners.items()):
        if owner.counter in holders and holders[owner.counter] != owner.username and owner.user_role not in SUPERVISORS:
            socketio.server.leave_room(sid, rooms.counter_room(owner.counter), namespace="/")
            owner.counter = None
