"""The rating tablet's page (/tablet/<n>): bound to counter n, authenticated by its device
token; and the officers' photos it shows (/photos/<name>.jpg)."""

import re

from flask import abort, render_template, send_from_directory

from layso.admin.photos import PHOTO_PATH, photos_dir
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


@bp.get("/photos/<name>")
def officer_photo(name):
    """An officer's photo, as the tablet shows it (uploaded in the admin screen); no login."""
    if not re.fullmatch(PHOTO_PATH, f"/photos/{name}"):
        abort(404)
    return send_from_directory(photos_dir(settings().instance_dir), name, mimetype="image/jpeg", max_age=365 * 24 * 3600)
