"""The citizen's "Không nhận tin nhắn nữa" on their status page (/t/<token>): a plain form
POST, so it works on any phone, then back to the page."""

from flask import redirect

from layso.errors import UnknownTicket
from layso.notify.staff import messages_stopped, stop_messages
from layso.queue.tickets import ticket_by_status_token
from layso.web.context import db, now

from kiosk import bp


def message_choice(database, token: str) -> str | None:
    """For the status page: ``"on"`` while this ticket's phone gets notices, ``"off"`` once
    the citizen stopped them, None for a ticket without a phone."""
    ticket = ticket_by_status_token(database, token)
    if not ticket.get("phone"):
        return None
    return "off" if messages_stopped(database, ticket["id"]) else "on"


@bp.post("/t/<token>/no-messages")
def no_more_messages(token):
    try:
        ticket = ticket_by_status_token(db(), token)
    except UnknownTicket:
        return redirect(f"/t/{token}", 303)  # the status page says the link is unknown
    if ticket.get("phone"):
        stop_messages(db(), ticket, now=now())
    return redirect(f"/t/{token}", 303)
