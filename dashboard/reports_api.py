"""Reports and the live dashboard's data: ``/api/v1/reports/*`` and ``/api/v1/dashboard``
(manager or admin)."""

from flask import Response, current_app, jsonify, request

from layso.errors import InvalidInput
from layso.queue.ratings import rating_config
from layso.reports.evaluation import evaluation
from layso.reports.export import KEY_HEADERS, to_csv, to_xlsx
from layso.reports.alerts import writes_stopped_alert
from layso.reports.live import snapshot
from layso.reports.summary import check_grouping, parse_period, summary
from layso.web.auth import require_user
from layso.web.context import db, now

from dashboard import bp

MANAGERS = ("manager", "admin")
FORMATS = ("json", "csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/api/v1/reports/summary")
@require_user(*MANAGERS)
def report_summary():
    date_from, date_to = parse_period(request.args.get("from"), request.args.get("to"))
    by = check_grouping(request.args.get("by", "service"))
    output = request.args.get("format", "json")
    if output not in FORMATS:
        raise InvalidInput("'format' phải là json, csv hoặc xlsx.", message_en="'format' must be json, csv or xlsx.")
    rows = summary(db(), date_from, date_to, by, now=now())
    levels = rating_config(db())["levels"]
    if output == "json":
        return jsonify(**{"from": date_from, "to": date_to}, by=by, levels=levels, rows=rows)
    name = f"bao-cao-{by}-{date_from}-{date_to}.{output}"
    if output == "csv":
        body, mimetype = to_csv(rows, by=by, levels=levels), "text/csv; charset=utf-8"
    else:
        title = f"Báo cáo theo {KEY_HEADERS[by].lower()} từ {date_from} đến {date_to}"
        body, mimetype = to_xlsx(rows, by=by, levels=levels, title=title), XLSX_TYPE
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/api/v1/reports/evaluation")
@require_user(*MANAGERS)
def report_evaluation():
    return jsonify(evaluation(db(), request.args.get("quarter"), now=now()))


@bp.get("/api/v1/dashboard")
@require_user(*MANAGERS)
def dashboard_snapshot():
    body = snapshot(db(), now=now())
    failure = current_app.extensions["layso.pool"].wal_sync.failure
    if failure is not None:
        body["alerts"].insert(0, writes_stopped_alert(failure))
    body["events"] = current_app.extensions["layso.alerts"].list()
    return jsonify(body)

