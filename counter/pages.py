"""The officer's console page (/counter): one page for login, choosing a counter and serving."""

from flask import render_template, session

from layso.web import i18n
from layso.web.auth import user_principal
from layso.web.ticket_tools import CATALOG as TICKET_TOOLS

from counter import bp
from counter.messages import CATALOG, OWN_READINGS, PAUSE_REASONS

i18n.register(CATALOG)
i18n.register(OWN_READINGS, blueprint=bp.name)
i18n.register(TICKET_TOOLS)


@bp.get("/counter")
def console():
    token = session.get("token")
    principal = user_principal(token) if token else None
    if principal is not None and principal.kind == "user":
        user = {"username": principal.username, "name": principal.name, "role": principal.role}
    else:
        user = None
    return render_template(
        "counter/console.html",
        user=user,
        pause_reasons=PAUSE_REASONS,
        js_catalog={**CATALOG, **TICKET_TOOLS} if i18n.language() == "en" else {},
    )
