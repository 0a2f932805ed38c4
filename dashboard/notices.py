"""The notices page (/notices) and its API (GET /api/v1/notices): every SMS/Zalo notice with
its status, newest first, the phone masked — what the demo's log channel "sent" too."""

from flask import jsonify, request

from layso.notify.staff import staff_notices
from layso.web.auth import require_user
from layso.web.context import db, query_number, settings
from layso.web.i18n import language

from dashboard import bp
from dashboard.pages import MANAGERS, _login, _render, _staff


@bp.get("/api/v1/notices")
@require_user(*MANAGERS)
def list_notices():
    return jsonify(staff_notices(
        db(), status=request.args.get("status") or None, limit=query_number("limit", 100, low=1, high=500),
        before=query_number("before", 0, low=1, high=2**63 - 1) if request.args.get("before") else None,
        public_url=settings().public_url, english=language() == "en"))


@bp.get("/notices")
def notices_page():
    user = _staff(MANAGERS)
    return _render("dashboard/notices.html", user) if user else _login()
