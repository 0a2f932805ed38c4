"""Which notices a ticket's change makes, decided inside the transaction that changes it.

:func:`ticket_changed` is called for every line of a ticket's audit trail
(``layso.queue.tickets.log_event``), so every verb that moves a ticket — issue, call,
recall, hold, no-show, transfer, cancel — is covered in one place, in its own
transaction. A ticket with a phone (a remote ticket, given with consent) that did not
opt out gets:

- ``remote_issued`` when it is issued, with its status link;
- ``near`` once, when ``[notify] near_ahead`` people or fewer are ahead of it (checked
  after each call or cancellation in its service);
- ``called`` / ``recalled`` with the counter, ``held``, ``no_show`` with what to do next.

Each notice's dedupe key names its cause: ``ticket:<id>:called:<calls before>`` is one
notice per call, however often the same change is replayed.
"""

from datetime import datetime

from layso.notify.config import effective
from layso.notify.notices import queue_notice
from layso.notify.texts import BASE_URL
from layso.queue.ordering import appointments_due, service_order_sql
from layso.store.center import get_setting
from layso.store.notices import opted_out, queue_head, service_name

# trail action → notice kind, for the ticket itself
OWN_NOTICES = {"issued": "remote_issued", "called": "called", "recalled": "recalled", "held": "held",
               "no_show": "no_show"}
# trail actions after which the ticket's queue may have moved up: a waiting ticket left it.
# (A transfer puts a ticket at the head of its new queue: nobody there moves up.)
QUEUE_MOVES = frozenset({"called", "cancelled"})


def ticket_changed(db, ticket: dict, action: str, *, now: datetime, counter=None) -> None:
    """Queue the notices ``action`` on ``ticket`` (its row before the change) makes."""
    kind = OWN_NOTICES.get(action)
    if kind is not None and ticket.get("phone") and (action != "issued" or ticket.get("channel") == "remote"):
        _own_notice(db, ticket, kind, now=now, counter=counter)
    if action in QUEUE_MOVES:
        _near_notices(db, ticket, now=now)


def _own_notice(db, ticket: dict, kind: str, *, now: datetime, counter) -> None:
    if opted_out(db, ticket["id"]):
        return
    values = {"number": ticket["number"], "counter": counter if counter is not None else ticket.get("counter")}
    if kind == "remote_issued":
        values.update(service=service_name(db, ticket["service"]), link=f"{BASE_URL}/t/{ticket['status_token']}")
    # calls before this change: each call, recall and hold of a ticket is its own notice
    cause = f"ticket:{ticket['id']}:{kind}" + (f":{ticket['calls']}" if kind in ("called", "recalled", "held") else "")
    queue_notice(db, kind=kind, phone=ticket["phone"], values=values, dedupe=cause, now=now, ticket=ticket["id"])


def _near_notices(db, ticket: dict, *, now: datetime) -> None:
    """Tell the tickets now ``near_ahead`` or fewer places from the front, once each."""
    ahead_at_most = effective(get_setting(db, "notify"), {}).near_ahead(ticket["service"])
    # the order people ahead are counted in (layso.queue.estimates.ticket_position)
    order = service_order_sql(due=appointments_due(get_setting(db, "appointments", {}) or {}, now))
    head = queue_head(db, day=ticket["day"], service=ticket["service"], limit=ahead_at_most + 1, order=order)
    for ahead, waiting in enumerate(head):
        if waiting["phone"]:
            queue_notice(db, kind="near", phone=waiting["phone"], values={"number": waiting["number"], "ahead": ahead},
                         dedupe=f"ticket:{waiting['id']}:near", now=now, ticket=waiting["id"])


# appointment change → notice kind (the appointment's own words: layso.notify.texts)
APPOINTMENT_NOTICES = {"booked": "appointment_booked", "rescheduled": "appointment_rescheduled",
                       "cancelled": "appointment_cancelled", "holiday": "appointment_holiday",
                       "reminder_eve": "appointment_reminder", "reminder_soon": "appointment_reminder"}


def appointment_changed(db, appointment: dict, change: str, *, code_shown: str, now: datetime) -> bool:
    """Queue the notice a booking's ``change`` makes (booked, rescheduled, cancelled,
    holiday, reminder_eve, reminder_soon), inside the caller's transaction, to the phone
    it was booked with; once per change (a move, once per new time)."""
    if not appointment.get("phone"):
        return False
    start = datetime.fromisoformat(appointment["starts_at"])
    values = {"service": service_name(db, appointment["service"]), "date": start.strftime("%d/%m/%Y"),
              "time": start.strftime("%H:%M"), "code": code_shown}
    cause = f"appointment:{appointment['id']}:{change}" + (f":{appointment['starts_at']}" if change == "rescheduled" else "")
    return queue_notice(db, kind=APPOINTMENT_NOTICES[change], phone=appointment["phone"], values=values, dedupe=cause,
                        now=now)
