"""The hub's JSON API: the centers' sync (``/api/v1/hub/ingest``, ``/api/v1/hub/cursor``,
with the center's hub token), hub logins (``/api/v1/auth/login``) and province reports."""

from flask import current_app, jsonify, request

from layso.errors import Unauthorized
from layso.province.accounts import check_login, issue_token
from layso.province.centers import center_by_token
from layso.province.ingest import apply_batch, check_batch
from layso.web.context import body_limit, json_body

from province import bp
from province.context import bearer, connection, now, release_connection, settings

bp.teardown_app_request(release_connection)


@bp.post("/api/v1/auth/login")
def login():
    body = json_body()
    username, password = body.get("username"), body.get("password")
    throttle = current_app.extensions["layso.login_throttle"]
    address = request.remote_addr or ""
    throttle.before_try(str(username), address)
    try:
        account = check_login(connection(), username, password, method=settings().password_hash)
    except Unauthorized:
        throttle.failed(str(username), address)
        raise
    throttle.succeeded(str(username), address)
    return jsonify(issue_token(connection(), account, now=now(), ttl_s=settings().token_ttl_s))


@bp.post("/api/v1/hub/ingest")
@body_limit(8 * 1024 * 1024)
def ingest():
    center = center_by_token(connection(), bearer())
    events = check_batch(json_body())
    applied = apply_batch(connection(), center, events, now=now(),
                          known_months=current_app.extensions["province.partitions"])
    current_app.extensions.get("province.after_ingest", lambda applied: None)(applied)
    return jsonify(center=center.code, acked=applied.acked)


@bp.get("/api/v1/hub/cursor")
def cursor():
    center = center_by_token(connection(), bearer())
    return jsonify(center=center.code, acked=center.acked)
