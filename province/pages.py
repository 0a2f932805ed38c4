"""The hub's pages: the province dashboard (/province: a login form, then every center's live
state over Socket.IO) and the public province page (/cong-khai: per center, the month's
tickets served, average wait and satisfaction, ranked; rendered on the server, no login)."""

from flask import jsonify, render_template, request

from layso import inputs
from layso.province.live import center_states
from layso.province.public import public_ranking
from layso.reports import formats
from layso.web.i18n import language

from province import bp
from province.context import connection, now, require_manager, settings


@bp.get("/province")
def dashboard():
    return render_template("province/dashboard.html")


@bp.get("/api/v1/province/live")
def live():
    require_manager()
    states = center_states(connection(), now=now(), offline_after_s=settings().offline_after_s)
    return jsonify(centers=states, offline_after_s=settings().offline_after_s)


@bp.get("/cong-khai")
def public_page():
    """No login, and nothing written (unbuilt days are read live): per center only."""
    month = request.args.get("month") or now().date().isoformat()[:7]
    first, last = inputs.month(month)
    rows = public_ranking(connection(), first.isoformat(), last.isoformat(), now=now())
    return render_template("province/public.html", month=month, rows=rows, lang=language(), formats=formats)
