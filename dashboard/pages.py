"""The managers' pages: live dashboard, reports, printable monthly report, admin, and the
public transparency page. Pages load their data from the JSON API; the monthly and public
pages are rendered on the server so they print and load without script."""

from flask import render_template, request

from layso import inputs
from layso.admin import center
from layso.admin.words import DEVICE_WORDS, ROLE_WORDS
from layso.errors import Forbidden
from layso.queue.services import WEEKDAYS
from layso.queue.ratings import rating_config
from layso.reports import formats
from layso.reports.summary import summary, totals
from layso.reports.table import names, report_table, shown
from layso.store.center import get_setting
from layso.web.auth import current_principal
from layso.web import i18n
from layso.web.context import db, now
from layso.web.i18n import gettext, language
from layso.web.ticket_tools import CATALOG as TICKET_TOOLS

from dashboard import bp
from dashboard.messages import CATALOG

MANAGERS = ("manager", "admin")
i18n.register(TICKET_TOOLS)


def _staff(roles: tuple):
    """The logged-in user if their role may see the page; None when nobody is logged in
    (the page then shows the login form); Forbidden for other roles."""
    principal = current_principal()
    if principal is None or principal.kind != "user":
        return None
    if principal.role not in roles:
        raise Forbidden()
    return principal


def _render(template: str, user, **context):
    return render_template(template, user=user, center=get_setting(db(), "center_name"), js_catalog=CATALOG, **context)


def _login():
    return render_template("dashboard/login.html", next_page=request.full_path.rstrip("?"))


def month_period(month: str | None) -> tuple[str, str, str]:
    """'2026-11' (default: this month) → (month, first day, last day); raises InvalidInput."""
    month = month or now().strftime("%Y-%m")
    first, last = inputs.month(month)
    return month, first.isoformat(), last.isoformat()


def month_figures(month: str | None, *, with_officers: bool) -> dict:
    """The month's figures; the public page (no officers) reads only, never writes."""
    month, first, last = month_period(month)
    moment = now()
    figures = {
        "month": month, "this_from": first, "this_to": last,
        "levels": rating_config(db())["levels"],
        "total": summary(db(), first, last, "center", now=moment, build=with_officers)[0],
        "services": summary(db(), first, last, "service", now=moment, build=with_officers),
        "service_names": names(db(), "service"),
    }
    if with_officers:
        for by in ("service", "officer", "day"):
            rows = figures["services"] if by == "service" else summary(db(), first, last, by, now=moment)
            table = report_table(rows, by=by, levels=figures["levels"], names=names(db(), by),
                                 totals=totals(db(), rows, first, last, by, now=moment), translate=gettext, lang=language())
            figures[f"{by}_table"] = shown(table, language())
    return figures


@bp.get("/dashboard")
def dashboard_page():
    user = _staff(MANAGERS)
    return _render("dashboard/dashboard.html", user) if user else _login()


@bp.get("/reports")
def reports_page():
    user = _staff(MANAGERS)
    if user is None:
        return _login()
    today = now().date()
    return _render("dashboard/reports.html", user, today=today.isoformat(), month_start=today.replace(day=1).isoformat(),
                   quarter=f"{today.year}-Q{(today.month - 1) // 3 + 1}")


@bp.get("/reports/monthly")
def monthly_page():
    user = _staff(MANAGERS)
    if user is None:
        return _login()
    return _render("dashboard/monthly.html", user, place=get_setting(db(), "place", ""), today=now().date(),
                   **month_figures(request.args.get("month"), with_officers=True))


@bp.app_template_filter("count")
def count_filter(value):
    return formats.number(value, 0, language())


@bp.app_template_filter("percent")
def percent_filter(value):
    return formats.percent(value, language())


@bp.app_template_filter("duration")
def duration_filter(seconds):
    return formats.duration(seconds, language())


@bp.app_template_filter("day")
def day_filter(value):
    return formats.day(value)


@bp.get("/lich-hen")
def appointments_page():
    """The day's bookings for the staff (officers too): who comes when, checked in or not."""
    user = _staff(("officer", "manager", "admin"))
    if user is None:
        return _login()
    services = [dict(row) for row in db().query("SELECT code, name FROM services WHERE active = 1 ORDER BY position, code")]
    return _render("dashboard/appointments.html", user, today=now().date().isoformat(), services=services)


@bp.get("/admin")
def admin_page():
    user = _staff(("admin",))
    if user is None:
        return _login()
    return _render("dashboard/admin.html", user, roles=ROLE_WORDS, kinds=DEVICE_WORDS, ranges=center.setting_ranges(),
                   remote_defaults=center.remote_defaults(),
                   weekdays=list(zip(WEEKDAYS, formats.WEEKDAY_NAMES[language()])),
                   weekday_short=dict(zip(WEEKDAYS, formats.WEEKDAY_SHORT[language()])))


@bp.get("/admin/voice")
def voice_page():
    """Giọng đọc: the recorded voice's clips, recording in the browser, "nghe thử"."""
    user = _staff(("admin",))
    return _render("dashboard/voice.html", user) if user else _login()


@bp.get("/public")
def public_page():
    """No login: the month's aggregate figures only — no comment, reason, number or name."""
    return render_template(
        "dashboard/public.html", center=get_setting(db(), "center_name"),
        **month_figures(request.args.get("month"), with_officers=False),
    )
