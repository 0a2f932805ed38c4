"""Counter actions: ``POST /api/v1/counters/<n>/<action>`` for the officer holding counter n.

Every action accepts an ``Idempotency-Key`` header; a repeated key gets the first answer.
"""

from flask import abort, jsonify

from layso.clock import local_day
from layso.events import COUNTER_UPDATED
from layso.queue import calling, counters, waiting
from layso.queue.visits import officer_day
from layso.web.auth import current_principal, require_user
from layso.web.context import absolute_status_url, db, json_body, now, publish
from layso.web.idempotency import run_idempotent

from counter import bp


def _close(number, body, principal):
    manager = principal.role in ("manager", "admin")
    return counters.close_counter(db(), number, by=principal.username, manager=manager, now=now())


def _officer_verb(verb):
    return lambda number, body, principal: verb(db(), number, officer=principal.username, now=now())


ACTIONS = {
    "open": _officer_verb(counters.open_counter),
    "close": _close,
    "call-next": _officer_verb(calling.call_next),
    "call": lambda number, body, principal: calling.call_ticket(
        db(), number, body.get("ticket"), officer=principal.username, now=now()),
    "recall": _officer_verb(calling.recall),
    "hold": _officer_verb(calling.hold),
    "no-show": _officer_verb(calling.no_show),
    "transfer": lambda number, body, principal: calling.transfer(
        db(), number, officer=principal.username, now=now(),
        service=body.get("service"), counter=body.get("counter"), note=body.get("note"), force=body.get("force", False)),
    "finish": _officer_verb(calling.finish),
    "cancel": _officer_verb(calling.cancel),
    "pause": lambda number, body, principal: counters.pause_counter(
        db(), number, officer=principal.username, reason=body.get("reason"), now=now()),
    "resume": _officer_verb(counters.resume_counter),
    "dossier": lambda number, body, principal: calling.record_dossier(
        db(), number, officer=principal.username, dossier_code=body.get("dossier_code"), now=now(),
        phone=body.get("phone"), consent=body.get("consent")),
}
COUNTER_ACTIONS = {"open", "close", "pause", "resume"}


def _counter_after(number: int, events) -> dict:
    """The counter as the action left it: the last ``counter.updated`` it will broadcast
    (built inside the same transaction), else read anew."""
    for event in reversed(events):
        if event.name == COUNTER_UPDATED and event.data["counter"]["number"] == number:
            return event.data["counter"]
    return counters.counter_object(db(), counters.load_counter(db(), number))


@bp.post("/api/v1/counters/<int:number>/<action>")
@require_user()
def counter_action(number, action):
    if action not in ACTIONS:
        abort(404)
    body = json_body()
    principal = current_principal()

    def act():
        outcome = ACTIONS[action](number, body, principal)
        answer = {"counter": _counter_after(number, outcome.events)}
        if action not in COUNTER_ACTIONS:
            answer["ticket"] = absolute_status_url(outcome.value) if outcome.value else None
        return 200, answer, outcome.events

    status, answer, events = run_idempotent(principal.username, act)
    publish(events)
    return jsonify(answer), status


@bp.get("/api/v1/counters/<int:number>")
@require_user()
def counter_detail(number):
    return jsonify(counter=counters.counter_object(db(), counters.load_counter(db(), number)))


@bp.get("/api/v1/counters/<int:number>/queue")
@require_user()
def counter_queue(number):
    """The console's waiting list: {waiting: [in call order], held: [...], waiting_total}."""
    return jsonify(waiting.counter_queue(db(), counters.load_counter(db(), number), now=now()))


@bp.get("/api/v1/officers/me/today")
@require_user()
def officer_today():
    """Today's figures of the logged-in officer: {day, served, avg_service_s}."""
    return jsonify(officer_day(db(), current_principal().username, day=local_day(now())))
