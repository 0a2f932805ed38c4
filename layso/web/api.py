"""The parts of /api/v1 every device shares: auth, services, state, the OpenAPI document. Each device's own
endpoints live in its blueprint (kiosk → tickets, counter → counters, rating_tablet →
ratings, dashboard → reports and admin)."""

from flask import Blueprint, jsonify, session

from layso.errors import PasswordChangeRequired, Unauthorized
from layso.queue.counters import state as center_state
from layso.queue.services import service_overview
from layso.web import auth
from layso.web.context import db, for_public, json_body, now
from layso.web.i18n import with_wait_text
from layso.web.openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.post("/auth/login")
def login():
    body = json_body()
    return jsonify(auth.login(body.get("username"), body.get("password")))


@bp.post("/auth/logout")
def logout():
    auth.logout()
    return jsonify(ok=True)


@bp.post("/auth/password")
@auth.require_user()
def change_password():
    body = json_body()
    auth.change_password(auth.current_principal(), body.get("old_password"), body.get("new_password"))
    return jsonify(ok=True)


@bp.get("/auth/me")
@auth.require_user()
def me():
    principal = auth.current_principal()
    return jsonify(username=principal.username, name=principal.name, role=principal.role)


@bp.get("/auth/socket-token")
def socket_token():
    """The session's login token, for a cookie-authenticated page to open its socket.

    Only the session cookie answers (HttpOnly, SameSite=Lax: another site's page can neither
    send it on a fetch nor read the answer), and the answer is never cached. A user who
    must change their password gets no token until they have.
    """
    token = session.get("token")
    principal = auth.user_principal(token) if token else None
    if principal is None:
        raise Unauthorized()
    if principal.must_change_password:
        raise PasswordChangeRequired()
    response = jsonify(token=token, username=principal.username, name=principal.name, role=principal.role)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/services")
def services():
    return jsonify(services=[with_wait_text(service) for service in service_overview(db(), now=now())])


@bp.get("/state")
def state():
    """Public: counters' current tickets carry the priority flag, not the group; a pause
    reason only if it is a public one."""
    return jsonify(for_public(center_state(db(), now=now())))


@bp.get("/openapi.json")
def openapi():
    """The API as an OpenAPI 3.1 document (layso/web/openapi.py), for integrators' clients."""
    return jsonify(document())
