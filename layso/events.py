"""Events: what happened, who hears it.

The core returns a list of :class:`Event` from each operation; the web layer
publishes them after the transaction commits (``layso.web.realtime.publish``).
Workers (printing, speech) are handed that same ``publish`` callable.

Each event's docstring below is the reference that ``docs/events.md`` follows.
Room names are built only here, so a typo can never split a room in two.
"""

from dataclasses import dataclass, field

# Wire names are contracts with every screen: never rename them.
TICKET_ISSUED = "ticket.issued"
TICKET_CALLED = "ticket.called"
TICKET_RECALLED = "ticket.recalled"
TICKET_HELD = "ticket.held"
TICKET_NO_SHOW = "ticket.no_show"
TICKET_TRANSFERRED = "ticket.transferred"
TICKET_FINISHED = "ticket.finished"
TICKET_CANCELLED = "ticket.cancelled"
TICKET_EXPIRED = "ticket.expired"
TICKET_PRINTED = "ticket.printed"
COUNTER_UPDATED = "counter.updated"
STATE = "state"
ANNOUNCEMENT_READY = "announcement.ready"
ANNOUNCEMENT_FAILED = "announcement.failed"
KIOSK_ALERT = "kiosk.alert"
PRINTER_PAPER_LOW = "printer.paper_low"
PRINT_JOB = "print.job"
PRINT_RESULT = "print.result"
PRINT_STATUS = "print.status"
RATING_REQUESTED = "rating.requested"
RATING_SUBMITTED = "rating.submitted"
SETTINGS_CHANGED = "settings.changed"
TRANSFER_RECEIVED = "transfer.received"
HUB_LINK = "hub.link"  # the link to the province hub changed state (layso.sync.worker.LinkStatus)
APPOINTMENT_BOOKED = "appointment.booked"
APPOINTMENT_RESCHEDULED = "appointment.rescheduled"
APPOINTMENT_CANCELLED = "appointment.cancelled"
APPOINTMENT_CHECKED_IN = "appointment.checked_in"

TICKET_EVENTS = (
    TICKET_ISSUED,
    TICKET_CALLED,
    TICKET_RECALLED,
    TICKET_HELD,
    TICKET_NO_SHOW,
    TICKET_TRANSFERRED,
    TICKET_FINISHED,
    TICKET_CANCELLED,
    TICKET_EXPIRED,
)


@dataclass(frozen=True)
class Event:
    """One thing that happened, its JSON payload and the rooms that hear it."""

    name: str
    data: dict
    rooms: tuple[str, ...] = field(default_factory=tuple)


# Rooms. Every connected client joins the rooms of its role (layso.web.realtime).
def display_room() -> str:
    """Every hall and counter display."""
    return "display"


def dashboard_room() -> str:
    """Managers' and admins' dashboards."""
    return "dashboard"


def counters_room() -> str:
    """Every officer console (waiting lists change for all of them)."""
    return "counters"


def counter_room(counter: int) -> str:
    """The console and counter display of one counter."""
    return f"counter:{int(counter)}"


def tablet_room(counter: int) -> str:
    """The rating tablet bound to one counter."""
    return f"tablet:{int(counter)}"


def kiosks_room() -> str:
    """Every kiosk page (waiting counts, open/closed services)."""
    return "kiosks"


def kiosk_room(kiosk: str) -> str:
    """One kiosk: its page and its print agent."""
    return f"kiosk:{kiosk}"


def kiosk_agent_room(kiosk: str) -> str:
    """The print agent of one kiosk (it receives ``print.job``)."""
    return f"kiosk-agent:{kiosk}"


def ticket_room(status_token: str) -> str:
    """A citizen's live status page for one ticket."""
    return f"ticket:{status_token}"


def is_staff_room(room: str) -> bool:
    """Whether only logged-in officers, managers and admins join ``room`` (realtime checks
    the login): the dashboards, the consoles, and a counter's own room (its console, while
    the officer holds it). Every other room has screens anyone may open, or devices in the
    hall, in it."""
    return room in (dashboard_room(), counters_room()) or room.startswith("counter:")


# What only staff may know of a ticket: the citizen's priority group (người khuyết tật,
# phụ nữ mang thai…) is personal data; everyone else sees the ``priority`` flag only. A
# remote ticket's phone number reaches staff only masked, and never a display or public page.
STAFF_ONLY_KEYS = frozenset({"priority_reason", "phone_masked"})


# An officer's pause note ("Họp: bàn việc riêng") is for staff; a public screen shows only a
# configured public reason ([pause] public_reasons), or nothing and its neutral "Tạm dừng phục vụ".
PAUSE_REASON_KEY = "paused_reason"


def public_pause_reason(reason: str | None, public_reasons=()) -> str | None:
    """What anyone may see of a counter's pause reason: the reason when it is one of
    ``public_reasons``; that reason alone when the console added a note to it ("Họp: …" → "Họp");
    otherwise None (the screens then say "Tạm dừng phục vụ")."""
    if not reason:
        return None
    for public in public_reasons:
        if reason == public or reason.startswith(public + ":"):
            return public
    return None


def for_anyone(data, public_pause_reasons=()):
    """``data`` without :data:`STAFF_ONLY_KEYS`, at any depth, and with each pause reason cut to
    :func:`public_pause_reason`: what public screens, devices and the citizen's own status page
    receive. ``public_pause_reasons`` is the setting of that name (none: no reason is public)."""
    if isinstance(data, dict):
        return {
            key: (public_pause_reason(value, public_pause_reasons) if key == PAUSE_REASON_KEY
                  else for_anyone(value, public_pause_reasons))
            for key, value in data.items() if key not in STAFF_ONLY_KEYS
        }
    if isinstance(data, list):
        return [for_anyone(value, public_pause_reasons) for value in data]
    return data


def public_ticket(ticket: dict) -> dict:
    """The ticket without its status link, for screens anyone can open."""
    # The status link is the citizen's secret.
    return {k: v for k, v in ticket.items() if k not in ("status_token", "status_url")}


def ticket_event(name: str, ticket: dict, counter: int | None = None) -> Event:
    """A ``ticket.*`` event: {ticket, counter} to every screen that shows queues."""
    rooms = [display_room(), dashboard_room(), counters_room(), kiosks_room()]
    if ticket.get("status_token"):
        rooms.append(ticket_room(ticket["status_token"]))
    if counter is not None:
        rooms.append(tablet_room(counter))
    return Event(name, {"ticket": public_ticket(ticket), "counter": counter}, tuple(rooms))


def appointment_event(name: str, appointment: dict) -> Event:
    """An ``appointment.*`` event: {appointment} as staff see it (the phone masked) to the
    dashboards and consoles only; a booking never reaches a public screen."""
    return Event(name, {"appointment": appointment}, (dashboard_room(), counters_room()))


def counter_event(counter: dict) -> Event:
    """``counter.updated`` {counter}: status, officer or current ticket changed."""
    number = counter["number"]
    rooms = (display_room(), dashboard_room(), counters_room(), tablet_room(number))
    return Event(COUNTER_UPDATED, {"counter": counter}, rooms)


def transfer_received_event(ticket: dict, *, from_counter: int, to_counter: int, forced: bool, note: str | None) -> Event:
    """``transfer.received`` {ticket, from_counter, counter, forced, note} to the console of
    the counter a citizen was sent to: it is at the head of that counter's queue."""
    data = {"ticket": public_ticket(ticket), "from_counter": from_counter, "counter": to_counter, "forced": forced,
            "note": note}
    return Event(TRANSFER_RECEIVED, data, (counter_room(to_counter),))


def latest_counter_states(events) -> list[Event]:
    """The events without a ``counter.updated`` that a later one for the same counter
    replaces: a call-next that first finishes the current ticket leaves the counter idle
    only inside its transaction, and each broadcast costs every display a message."""
    events = list(events)
    later = set()
    kept = []
    for event in reversed(events):
        if event.name == COUNTER_UPDATED:
            number = event.data["counter"]["number"]
            if number in later:
                continue
            later.add(number)
        kept.append(event)
    return kept[::-1]


@dataclass
class Outcome:
    """What a core operation returns: its result and the events to publish after commit."""

    value: object
    events: list[Event] = field(default_factory=list)
