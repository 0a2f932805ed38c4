"""The hub's JSON API: the centers' sync (``/api/v1/hub/ingest``, ``/api/v1/hub/cursor``,
with the center's hub token), hub logins (``/api/v1/auth/login``) and province reports."""

from flask import Response, current_app, jsonify, request

from layso.errors import Unauthorized
from layso.province.accounts import check_login, issue_token
from layso.province.centers import center_by_token
from layso.province.ingest import apply_batch, check_batch
from layso.province.reports import province_summary as summary
from layso.province.tables import province_table
from layso.reports import formats
from layso.reports.export import XLSX_TYPE, check_format, to_csv, to_xlsx
from layso.web.i18n import gettext, language
from layso.web.context import body_limit, json_body
from layso.web.province_openapi import document

from province import bp
from province.context import bearer, connection, now, require_manager, settings


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


@bp.get("/api/v1/openapi.json")
def openapi():
    """The hub's API as an OpenAPI 3.1 document (layso/web/province_openapi.py)."""
    return jsonify(document())


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


@bp.get("/api/v1/province/summary")
def province_summary():
    require_manager()
    by = request.args.get("by", "center")
    output = check_format(request.args.get("format", "json"))
    date_from, date_to = request.args.get("from"), request.args.get("to")
    rows = summary(connection(), date_from, date_to, by, center=request.args.get("center"), now=now())
    if output == "json":
        return jsonify(**{"from": date_from, "to": date_to}, by=by, rows=rows)
    table = province_table(connection(), rows, by=by, translate=gettext, lang=language())
    name = f"bao-cao-tinh-{by}-{date_from}-{date_to}.{output}"
    if output == "csv":
        body, mimetype = to_csv(table, lang=language()), "text/csv; charset=utf-8"
    else:
        title = gettext("Báo cáo cấp tỉnh từ {start} đến {end}").format(start=formats.day(date_from), end=formats.day(date_to))
        body, mimetype = to_xlsx(table, title=title, lang=language()), XLSX_TYPE
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
