"""Ratings (đánh giá mức độ hài lòng): one per served ticket, from the tablet at the counter
that served it, within a few minutes, anonymous.

Levels, reasons, the window and which levels count as satisfied are configuration
(provinces design their own forms since Decree 118/2025); the default is the three
levels one-stop systems use: Rất hài lòng / Hài lòng / Không hài lòng.
"""

import json
import sqlite3
from datetime import datetime, timedelta

from layso.clock import iso, local_day, parse
from layso.errors import AlreadyRated, InvalidInput, RatingNotAllowed
from layso.events import RATING_REQUESTED, RATING_SUBMITTED, Event, Outcome, counter_room, dashboard_room, tablet_room
from layso.inputs import text
from layso.queue.tickets import load_ticket
from layso.store.center import get_setting
from layso.store.db import write
from layso.store.rollup import forget_days

DEFAULT_WINDOW_S = 180
DEFAULT_IDLE_TIMEOUT_S = 30  # the tablet's thanks screen, then back to the officer's card


def rating_config(db) -> dict:
    """{levels: [{id, label, requires_reason, satisfied, points}], reasons: [{id, label}], window_s,
    idle_timeout_s}."""
    return rating_config_of(get_setting(db, "rating", {}))


def rating_config_of(rating: dict | None) -> dict:
    """:func:`rating_config` from the stored ``rating`` setting itself (a center's, or the
    copy a province hub holds of it)."""
    rating = rating if isinstance(rating, dict) else {}
    levels = [
        {
            "id": level["id"],
            "label": level["label"],
            "requires_reason": bool(level.get("requires_reason", False)),
            "satisfied": bool(level.get("satisfied", False)),
            "points": level.get("points", 0),
        }
        for level in rating.get("levels", [])
    ]
    reasons = [{"id": reason["id"], "label": reason["label"]} for reason in rating.get("reasons", [])]
    return {
        "levels": levels,
        "reasons": reasons,
        "window_s": rating.get("window_s", DEFAULT_WINDOW_S),
        "idle_timeout_s": rating.get("idle_timeout_s", DEFAULT_IDLE_TIMEOUT_S),
    }


def _officer(db, username: str) -> dict | None:
    return next(db.query("SELECT username, name, title, photo FROM users WHERE username = ?", [username]), None)


def rating_requested_event(db, ticket: dict, *, now: datetime) -> Event:
    """``rating.requested`` to the counter's tablet when an officer finishes a ticket
    (``now``: when the service ended; the window runs from then)."""
    window = rating_config(db)["window_s"]
    data = {
        "ticket": {"id": ticket["id"], "number": ticket["number"], "service": ticket["service"]},
        "counter": ticket["counter"],
        "officer": _officer(db, ticket["officer"]),
        "expires_at": iso(now + timedelta(seconds=window)),
    }
    return Event(RATING_REQUESTED, data, (tablet_room(ticket["counter"]),))


def _last_finished(db, counter: int) -> int | None:
    """The ticket of the counter's last finished visit. A counter serves one citizen at a
    time, so that is the service that ended last (finished_at has one-second steps: two
    finishes can share one)."""
    row = db.execute(
        "SELECT ticket FROM visits WHERE counter = ? AND outcome = 'finished' ORDER BY id DESC LIMIT 1", [counter]
    ).fetchone()
    return row[0] if row else None


def pending_rating_request(db, counter: int, *, now: datetime) -> Event | None:
    """The ``rating.requested`` a tablet that (re)connects should be showing: the counter's
    last finished service while it may still be rated (inside the window, not yet rated) —
    the same ticket :func:`rate` would take. None when there is nothing to ask."""
    latest = _last_finished(db, counter)
    if latest is None:
        return None
    ticket = load_ticket(db, latest)
    if ticket["status"] != "finished" or ticket["counter"] != counter:
        return None
    finished = parse(ticket["finished_at"])
    if (now - finished).total_seconds() > rating_config(db)["window_s"]:
        return None
    if db.execute("SELECT 1 FROM ratings WHERE ticket = ?", [ticket["id"]]).fetchone():
        return None
    return rating_requested_event(db, ticket, now=finished)


def _check_choice(config: dict, level, reasons, comment) -> tuple[dict, list, str | None]:
    levels = {item["id"]: item for item in config["levels"]}
    if not isinstance(level, str) or level not in levels:
        raise InvalidInput("Mức đánh giá không hợp lệ.", message_en="Unknown rating level.")
    reasons = [] if reasons is None else reasons
    known = {item["id"] for item in config["reasons"]}
    if not isinstance(reasons, list) or any(not isinstance(r, str) or r not in known for r in reasons):
        raise InvalidInput("Lý do không hợp lệ.", message_en="Unknown reason.")
    if levels[level]["requires_reason"] and not reasons:
        raise InvalidInput("Xin chọn ít nhất một lý do.", message_en="Please choose at least one reason.")
    return levels[level], sorted(set(reasons)), text(comment, "comment", required=False)


def rate(db, *, ticket_id, counter: int, level, reasons=None, comment=None, device: str | None, now: datetime) -> Outcome:
    """Store the citizen's rating of the ticket just finished at this tablet's counter.

    Only the latest ticket finished at ``counter``, within the window, once. Nothing that
    identifies the citizen is stored. Raises InvalidInput, UnknownTicket,
    RatingNotAllowed (another counter's ticket, not the latest, outside the window), AlreadyRated.
    Returns the rating and the ``rating.submitted`` event.
    """
    config = rating_config(db)
    chosen, reasons, comment = _check_choice(config, level, reasons, comment)
    with write(db):
        ticket = load_ticket(db, ticket_id)
        if ticket["status"] != "finished" or ticket["counter"] != counter:
            raise RatingNotAllowed()
        if _last_finished(db, counter) != ticket["id"]:
            raise RatingNotAllowed("Chỉ đánh giá được lượt phục vụ vừa kết thúc.", message_en="Only the service just finished can be rated.")
        if (now - parse(ticket["finished_at"])).total_seconds() > config["window_s"]:
            raise RatingNotAllowed("Đã hết thời gian đánh giá lượt phục vụ này.", message_en="The time to rate this service is over.")
        row = {
            "ticket": ticket["id"],
            "day": ticket["day"],
            "at": iso(now),
            "level": chosen["id"],
            "reasons": json.dumps(reasons),
            "comment": comment,
            "officer": ticket["officer"],
            "counter": counter,
            "service": ticket["service"],
            "device": device,
        }
        try:
            rating_id = db.table("ratings").insert(row).last_pk
        except sqlite3.IntegrityError:  # the UNIQUE(ticket) constraint: a second rating
            raise AlreadyRated() from None
        if ticket["day"] < local_day(now):  # a late rating of a past day: its report roll-up is stale
            forget_days(db, [ticket["day"]])
    rating = (
        {key: row[key] for key in ("level", "officer", "counter", "service", "at")}
        | {"id": rating_id, "ticket": ticket["id"], "number": ticket["number"], "reasons": reasons,
           "satisfied": chosen["satisfied"]}
    )
    event = Event(RATING_SUBMITTED, {"rating": rating, "counter": counter}, (dashboard_room(), counter_room(counter), tablet_room(counter)))
    return Outcome(rating, [event])
