"""The rating tablet's page (/tablet/<n>): bound to counter n, authenticated by its device token."""

from flask import render_template

from layso.queue.counters import load_counter
from layso.web import i18n
from layso.web.context import db, settings

from rating_tablet import bp
from rating_tablet.messages import CATALOG

i18n.register(CATALOG)


@bp.get("/tablet/<int:number>")
def tablet(number):
    load_counter(db(), number)  # an unknown counter is a 404 page, not a tablet that never wakes
    return render_template(
        "rating_tablet/tablet.html",
        counter=number,
        # Demo mode: counter n's registered demo tablet, so the page works without set-up.
        demo_token=f"demo-tablet-{number}" if settings().demo else None,
        js_catalog=CATALOG if i18n.language() == "en" else {},
    )
