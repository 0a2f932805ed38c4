"""Taking a number: ``POST /api/v1/tickets`` (then printing it), reading a ticket back,
and a staff reprint."""

from flask import current_app, jsonify

from layso.errors import Conflict
from layso.queue.tickets import issue_ticket, load_ticket, ticket_by_status_token, ticket_object
from layso.web.auth import require_user
from layso.web.context import absolute_status_url, db, json_body, now, publish

from kiosk import bp
from kiosk.abuse import admit_ticket_request, known_kiosk
from kiosk.printing import job_id, ticket_print


def _printers():
    return current_app.extensions["kiosk.printers"]


def _print(ticket: dict, kiosk, *, reprint: bool = False) -> str | None:
    """Queue the ticket on the kiosk's printer (after the commit); the job id, or None
    when the kiosk has no printer."""
    if not _printers().has_printer(kiosk):
        return None
    job = job_id(ticket["id"], reprint=reprint)
    _printers().print_ticket(job, ticket_print(db(), ticket), kiosk=kiosk)
    return job


@bp.post("/api/v1/tickets")
def create_ticket():
    body = json_body()
    kiosk = admit_ticket_request(body.get("kiosk"))
    outcome = issue_ticket(
        db(), body.get("service"), now=now(),
        priority=body.get("priority"), priority_reason=body.get("priority_reason"), kiosk=kiosk,
    )
    publish(outcome.events)
    ticket = absolute_status_url(outcome.value)
    # Printing never holds up the answer: the outcome comes later as ticket.printed / kiosk.alert.
    ticket["print_job"] = _print(ticket, kiosk)
    return jsonify(ticket), 201


@bp.get("/api/v1/tickets/<int:ticket_id>")
@require_user()
def get_ticket(ticket_id):
    return jsonify(absolute_status_url(ticket_object(db(), load_ticket(db(), ticket_id))))


@bp.post("/api/v1/tickets/<int:ticket_id>/reprint")
@require_user("manager", "admin")
def reprint_ticket(ticket_id):
    body = json_body()
    ticket = absolute_status_url(ticket_object(db(), load_ticket(db(), ticket_id)))
    kiosk = known_kiosk(body.get("kiosk", ticket["kiosk"]))
    job = _print(ticket, kiosk, reprint=True)
    if job is None:
        raise Conflict("Kiosk này không có máy in để in lại phiếu.", message_en="This kiosk has no printer to reprint on.")
    return jsonify(job=job, kiosk=kiosk, ticket=ticket), 202


@bp.get("/api/v1/tickets/by-token/<token>")
def ticket_by_token(token):
    """The citizen's own ticket, for the live status page (the token is the secret)."""
    return jsonify(absolute_status_url(ticket_object(db(), ticket_by_status_token(db(), token))))
