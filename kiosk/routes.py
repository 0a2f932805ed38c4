"""Taking a number: ``POST /api/v1/tickets``, and reading a ticket back."""

from flask import jsonify

from layso.queue.tickets import issue_ticket, load_ticket, ticket_object
from layso.web.auth import require_user
from layso.web.context import absolute_status_url, db, json_body, now, publish

from kiosk import bp


@bp.post("/api/v1/tickets")
def create_ticket():
    body = json_body()
    outcome = issue_ticket(
        db(), body.get("service"), now=now(),
        priority=body.get("priority"), priority_reason=body.get("priority_reason"), kiosk=body.get("kiosk"),
    )
    publish(outcome.events)
    return jsonify(absolute_status_url(outcome.value)), 201


@bp.get("/api/v1/tickets/<int:ticket_id>")
@require_user()
def get_ticket(ticket_id):
    return jsonify(absolute_status_url(ticket_object(db(), load_ticket(db(), ticket_id))))
