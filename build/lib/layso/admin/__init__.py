"""Administration (quản trị): the center's set-up, changed live by admins.

Every change is one write transaction that also appends to the audit log (who, what, when),
and returns a ``settings.changed`` event so kiosks, displays, consoles, tablets and
dashboards reload what changed. The database is the truth; nothing needs a restart.
"""

from layso.events import SETTINGS_CHANGED, Event, counters_room, dashboard_room, display_room, kiosks_room, tablet_room


def settings_changed(db, what: str, *, at: str) -> Event:
    """``settings.changed`` {what, at} to every screen (each tablet room included)."""
    rooms = [kiosks_room(), display_room(), counters_room(), dashboard_room()]
    rooms += [tablet_room(number) for (number,) in db.execute("SELECT number FROM counters")]
    return Event(SETTINGS_CHANGED, {"what": what, "at": at}, tuple(rooms))
