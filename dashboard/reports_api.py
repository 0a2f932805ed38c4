"""Reports and the live dashboard's data: ``/api/v1/reports/*`` and ``/api/v1/dashboard``
(manager or admin)."""

from flask import Response, current_app, jsonify, request

from layso.admin import voice_pack
from layso.queue.counters import STATUS_WORDS
from layso.queue.ratings import rating_config
from layso.reports import alerts, formats
from layso.reports.appointments import appointment_counts
from layso.reports.channels import channel_counts
from layso.reports.evaluation import evaluation
from layso.reports.export import XLSX_TYPE, check_format, to_csv, to_xlsx
from layso.notify.staff import stuck_alert
from layso.reports.alerts import writes_stopped_alert
from layso.reports.live import snapshot
from layso.reports.summary import check_grouping, parse_period, summary, totals
from layso.reports.table import EVALUATION_COLUMNS, KEY_TITLES, names, report_table, shown
from layso.sync.words import shown_status
from layso.web.auth import require_user
from layso.web.i18n import gettext, language
from layso.speech.pack import pack_folder
from layso.web.context import db, now, settings

from dashboard import bp

MANAGERS = ("manager", "admin")


@bp.get("/api/v1/reports/summary")
@require_user(*MANAGERS)
def report_summary():
    date_from, date_to = parse_period(request.args.get("from"), request.args.get("to"))
    by = check_grouping(request.args.get("by", "service"))
    output = check_format(request.args.get("format", "json"))
    rows = summary(db(), date_from, date_to, by, now=now())
    total = totals(db(), rows, date_from, date_to, by, now=now())
    levels = rating_config(db())["levels"]
    known = names(db(), by)
    lang = language()
    table = report_table(rows, by=by, levels=levels, names=known, totals=total, translate=gettext, lang=language())
    if output == "json":
        named = [row | {"name": table_row[1]} for row, table_row in zip(rows, table["rows"])]
        return jsonify(**{"from": date_from, "to": date_to}, by=by, levels=levels, rows=named, totals=total,
                       table=shown(table, lang), channels=channel_counts(db(), date_from, date_to, by, lang=lang),
                       appointments=appointment_counts(db(), date_from, date_to, by, now=now(), lang=lang))
    name = f"bao-cao-{by}-{date_from}-{date_to}.{output}"
    if output == "csv":
        body, mimetype = to_csv(table, lang=lang), "text/csv; charset=utf-8"
    else:
        title = gettext("Báo cáo theo {grouping} từ {start} đến {end}").format(
            grouping=gettext(KEY_TITLES[by][1]).lower(), start=formats.day(date_from), end=formats.day(date_to))
        body, mimetype = to_xlsx(table, title=title, lang=lang), XLSX_TYPE
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/api/v1/reports/evaluation")
@require_user(*MANAGERS)
def report_evaluation():
    result = evaluation(db(), request.args.get("quarter"), now=now())
    table = report_table(result["officers"], by="officer", levels=result["levels"],
                         names={officer["key"]: officer["name"] for officer in result["officers"]},
                         extra=EVALUATION_COLUMNS, translate=gettext)
    return jsonify(result | {"table": shown(table, language())})


@bp.get("/api/v1/dashboard")
@require_user(*MANAGERS)
def dashboard_snapshot():
    body = snapshot(db(), now=now())
    failure = current_app.extensions["layso.pool"].wal_sync.failure
    if failure is not None:
        body["alerts"].insert(0, writes_stopped_alert(failure))
    voice = voice_pack.missing_alert(db(), pack_folder(settings().instance_dir))
    if voice is not None:
        body["alerts"].append(voice | {"message": alerts.message(voice)})
    stuck = stuck_alert(db())
    if stuck is not None:  # the SMS/Zalo gateway is down or refusing: notices pile up
        body["alerts"].append(stuck | {"message": alerts.message(stuck)})
    body["events"] = current_app.extensions["layso.alerts"].list()
    body["hub_link"] = hub_link_status()
    return jsonify(with_texts(body, language()))


def hub_link_status() -> dict:
    """The link to the province hub as the sync worker last saw it, worded (layso.sync.words)."""
    return shown_status(current_app.extensions["layso.hub_sync"].status().as_json(), language())


def with_texts(body: dict, lang: str) -> dict:
    """Beside each figure, its text as people read it (``shown``), so the page writes no
    number, time or status word itself (layso/reports/formats.py, STATUS_WORDS)."""
    for counter in body["counters"]:
        counter["shown"] = {"status": gettext(STATUS_WORDS[counter["status"]]),
                            "serving": formats.duration(counter["serving_s"], lang)}
    for service in body["services"]:
        service["shown"] = {key: formats.duration(service[f"{key}_s"], lang) for key in ("longest_wait", "avg_wait", "avg_service")}
    satisfaction = body["satisfaction"]
    for row in [satisfaction["overall"], *satisfaction["officers"], *satisfaction["services"]]:
        row["shown"] = {"satisfied": formats.percent(row["satisfied_pct"], lang), "rated": formats.number(row["rated"], 0, lang)}
    body["today_shown"] = {key: formats.number(value, 0, lang) for key, value in body["today"].items()}
    for alert in body["alerts"] + body["events"]:
        alert["shown"] = {"message": alert_words(alert, lang)}
    return body


def alert_words(alert: dict, lang: str) -> str:
    """The alert in the page's language; one stored by an older version keeps the words it was stored with."""
    try:
        return alerts.message(alert, lang)
    except KeyError:
        return alert["message"]

