"""The hub's Socket.IO: province dashboards connect with their login token and join the
``province`` room; every worker process publishes through Redis's message queue, so an
event ingested by one worker reaches dashboards connected to any other."""

from flask import current_app, request
from flask_socketio import SocketIO, join_room

from layso.province.accounts import account_by_token

PROVINCE_ROOM = "province"
MANAGERS = ("province_manager", "admin")

socketio = SocketIO()


@socketio.on("connect")
def connect(auth):
    """Refuse a socket without a live province manager's or admin's token."""
    token = auth.get("token") if isinstance(auth, dict) else None
    with current_app.extensions["province.pool"].connection() as connection:
        account = account_by_token(connection, token if isinstance(token, str) else None,
                                   now=current_app.extensions["province.clock"]())
    if account is None or account["role"] not in MANAGERS or account["must_change_password"]:
        return False
    join_room(PROVINCE_ROOM, sid=request.sid)
    return True


def publish_center(app, code: str) -> None:
    """Send ``code``'s live state to every province dashboard, whichever worker holds it
    (after the batch's commit, off the request: the center's answer does not wait)."""
    from layso.province.live import CENTER_STATE, center_states

    def send():
        settings = app.extensions["province.settings"]
        with app.extensions["province.pool"].connection() as connection:
            states = center_states(connection, now=app.extensions["province.clock"](),
                                   offline_after_s=settings.offline_after_s, code=code)
        for state in states:
            socketio.emit(CENTER_STATE, state, to=PROVINCE_ROOM)

    socketio.start_background_task(send)


def publish_all(app) -> None:
    """Every center's state to every dashboard (the leader's periodic pass: offline
    centers and waits passing their target change with time alone)."""
    from layso.province.live import CENTER_STATE, center_states

    settings = app.extensions["province.settings"]
    with app.extensions["province.pool"].connection() as connection:
        states = center_states(connection, now=app.extensions["province.clock"](), offline_after_s=settings.offline_after_s)
    for state in states:
        socketio.emit(CENTER_STATE, state, to=PROVINCE_ROOM)
