"""Taking a number: ``POST /api/v1/tickets`` (then printing it), reading a ticket back,
and for the staff: looking tickets up with their day's history, reprints on a chosen kiosk."""

from datetime import date

from flask import current_app, jsonify, request

from layso.clock import local_day
from layso.errors import Conflict, InvalidInput
from layso.queue.history import check_reprint, find_tickets, in_words, record_reprint
from layso.queue.tickets import issue_ticket, load_ticket, ticket_by_status_token, ticket_object
from layso.web.auth import current_principal, require_user
from layso.web.context import absolute_status_url, db, for_public, json_body, now, publish, settings
from layso.web.i18n import language, with_wait_text

from kiosk import bp
from kiosk.abuse import admit_ticket_request, known_kiosk
from kiosk.printing import job_id, ticket_print
from kiosk.remote import issue_remote_ticket


def _printers():
    return current_app.extensions["kiosk.printers"]


def print_ticket(ticket: dict, kiosk) -> str | None:
    """Queue the ticket on the kiosk's printer (after the commit); the job id, or None
    when the kiosk has no printer."""
    if not _printers().has_printer(kiosk):
        return None
    job = job_id(ticket["id"])
    _printers().print_ticket(job, ticket_print(db(), ticket), kiosk=kiosk)
    return job


@bp.post("/api/v1/tickets")
def create_ticket():
    body = json_body()
    channel = body.get("channel", "kiosk")
    if channel == "remote":
        return issue_remote_ticket(body)
    if channel != "kiosk":
        raise InvalidInput("'channel' phải là \"kiosk\" hoặc \"remote\".", message_en="'channel' must be \"kiosk\" or \"remote\".")
    kiosk = admit_ticket_request(body.get("kiosk"))
    outcome = issue_ticket(
        db(), body.get("service"), now=now(),
        priority=body.get("priority"), priority_reason=body.get("priority_reason"), kiosk=kiosk,
    )
    publish(outcome.events)
    ticket = with_wait_text(absolute_status_url(outcome.value))
    # Printing never holds up the answer: the outcome comes later as ticket.printed / kiosk.alert.
    ticket["print_job"] = print_ticket(ticket, kiosk)
    return jsonify(ticket), 201


@bp.get("/api/v1/tickets/<int:ticket_id>")
@require_user()
def get_ticket(ticket_id):
    return jsonify(with_wait_text(absolute_status_url(ticket_object(db(), load_ticket(db(), ticket_id), now=now()))))


@bp.post("/api/v1/tickets/<int:ticket_id>/reprint")
@require_user("officer", "manager", "admin")
def reprint_ticket(ticket_id):
    """Print the ticket again on a kiosk (default: the one that issued it); written in its trail.
    Officers: today's tickets still in play only (layso.queue.history.check_reprint)."""
    body = json_body()
    row = load_ticket(db(), ticket_id)
    principal = current_principal()
    check_reprint(row, role=principal.role, now=now())
    ticket = with_wait_text(absolute_status_url(ticket_object(db(), row, now=now())))
    kiosk = known_kiosk(body.get("kiosk", ticket["kiosk"]))
    if not _printers().has_printer(kiosk):
        raise Conflict("Kiosk này không có máy in để in lại phiếu.", message_en="This kiosk has no printer to reprint on.")
    job = job_id(ticket["id"], reprint=True)
    record_reprint(db(), ticket_id, by=principal.username, kiosk=kiosk, job=job, now=now())
    _printers().print_ticket(job, ticket_print(db(), ticket), kiosk=kiosk)  # after the commit
    return jsonify(job=job, kiosk=kiosk, ticket=ticket), 202


@bp.get("/api/v1/tickets/lookup")
@require_user()
def lookup_tickets():
    """Staff look-up: today's tickets (or ``day``'s) by number or dossier code, with their history."""
    day = request.args.get("day") or local_day(now())
    try:
        day = date.fromisoformat(day).isoformat() if len(day) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput("'day' phải là một ngày dạng YYYY-MM-DD.", message_en="'day' must be a date, YYYY-MM-DD.")
    found = find_tickets(db(), request.args.get("q"), day=day)
    services = dict(db().execute("SELECT code, name FROM services").fetchall())
    return jsonify(day=day, tickets=[in_words(ticket, services=services, english=language() == "en") for ticket in found])


@bp.get("/api/v1/kiosks")
@require_user()
def kiosks():
    """The center's kiosks, for choosing where to reprint: {id, name, printer, printer_failing}."""
    return jsonify(kiosks=[
        {"id": str(kiosk["id"]), "name": kiosk.get("name", str(kiosk["id"])), "printer": _printers().has_printer(str(kiosk["id"])),
         "printer_failing": _printers().printer_failing(str(kiosk["id"]))}
        for kiosk in settings().kiosks
    ])


@bp.get("/api/v1/tickets/by-token/<token>")
def ticket_by_token(token):
    """The citizen's own ticket, for the live status page (the token is the secret, and
    whoever holds the paper has it: the priority flag, not the group)."""
    return jsonify(with_wait_text(for_public(absolute_status_url(ticket_object(db(), ticket_by_status_token(db(), token), now=now())))))
