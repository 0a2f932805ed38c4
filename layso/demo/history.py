"""The demo's past: 30 days of a living center written straight into a new demo database,
so its reports, evaluation, monthly report and public page have something to show on the
first start (today's queue starts empty).

The days follow :mod:`layso.demo.model` (arrivals with a morning peak and a lunch dip,
service times per service, no-shows, transfers, ratings) through a small simulation of the
center's counters, and are written as the core writes them — tickets, their stretches at
counters (visits), their audit trail (ticket_events) and ratings — but in one transaction
of bulk inserts: a month takes about a second where issuing and calling through the core
would take a minute."""

import heapq
import json
import random
import secrets
from datetime import datetime, timedelta

from layso.clock import iso
from layso.demo import model
from layso.store.center import get_setting
from layso.store.db import write

DAYS = 30
GRACE = timedelta(minutes=30)  # counters keep calling whoever already waits this long after a span ends


def generate_history(db, *, now: datetime, days: int = DAYS, seed: int = 2026) -> dict:
    """Write the ``days`` days before ``now``'s day; return {days, tickets, ratings}."""
    rng = random.Random(seed)
    center = _Center(db)
    rows = _Rows(next_id=(db.execute("SELECT MAX(id) FROM tickets").fetchone()[0] or 0) + 1)
    open_days = 0
    for offset in range(days, 0, -1):
        day = (now - timedelta(days=offset)).replace(hour=0, minute=0, second=0, microsecond=0)
        spans = model.spans_of(center.hours, day)
        if not spans:
            continue
        open_days += 1
        citizens = model.day_citizens(rng, spans=spans, services=center.services_list, levels=center.levels,
                                      priority_reasons=center.priority_reasons, reasons=center.reasons)
        _simulate_day(rng, center, rows, day.date().isoformat(), spans, citizens)
    with write(db):
        rows.insert(db)
    return {"days": open_days, "tickets": len(rows.tickets), "ratings": len(rows.ratings)}


class _Center:
    """What the simulation needs of the center, read once."""

    def __init__(self, db):
        self.services = {row["code"]: row for row in db.query("SELECT * FROM services WHERE active = 1 ORDER BY position")}
        self.services_list = list(self.services)
        self.counters = {row["number"]: [code for code in json.loads(row["services"]) if code in self.services]
                         for row in db.query("SELECT number, services FROM counters WHERE active = 1 ORDER BY number")}
        users = [row["username"] for row in db.query("SELECT username FROM users WHERE active = 1 ORDER BY username")]
        officers = [name for name in users if name not in ("admin", "quantri", "lanhdao", "quanly")] or users
        self.officers = {number: f"canbo{number}" if f"canbo{number}" in users else officers[index % len(officers)]
                         for index, number in enumerate(self.counters)}
        self.hours = get_setting(db, "hours", {})
        rating = get_setting(db, "rating", {}) or {}
        self.levels, self.reasons = rating.get("levels", []), rating.get("reasons", [])
        self.priority_reasons = [reason["id"] for reason in get_setting(db, "priority_reasons", []) or []]


class _Rows:
    """The rows of every generated day, inserted together at the end."""

    def __init__(self, next_id: int):
        self.next_id = next_id
        self.tickets: list[dict] = []
        self.visits: list[tuple] = []
        self.events: list[tuple] = []
        self.ratings: list[tuple] = []

    def event(self, ticket: dict, action: str, at: datetime, counter=None, officer=None, **detail) -> None:
        self.events.append((ticket["id"], ticket["day"], action, iso(at), counter, officer, ticket["service"],
                            json.dumps(detail, ensure_ascii=False) if detail else None))

    def insert(self, db) -> None:
        columns = list(self.tickets[0]) if self.tickets else []
        if columns:
            db.conn.executemany(
                f"INSERT INTO tickets ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [[ticket[column] for column in columns] for ticket in self.tickets])
        db.conn.executemany(
            "INSERT INTO visits (ticket, day, service, counter, officer, queued_at, called_at, wait_s, ended_at, outcome, "
            "service_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.visits)
        db.conn.executemany(
            "INSERT INTO ticket_events (ticket, day, action, at, counter, officer, service, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.events)
        db.conn.executemany(
            "INSERT INTO ratings (ticket, day, at, level, reasons, officer, counter, service, device) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.ratings)


def _serving_time(moment: datetime, spans) -> datetime | None:
    """When a counter free at ``moment`` can call: now within a span (or its grace), the
    next span's start, or None when the day is over."""
    for start, end in spans:
        if moment < start:
            return start
        if moment < end + GRACE:
            return moment
    return None


def _simulate_day(rng, center: _Center, rows: _Rows, day: str, spans, citizens) -> None:
    """Issue each citizen's number on arrival and let the counters call, serve, transfer and
    mark no-shows in the model's way until the day is over; the rest expire."""
    arrivals = list(reversed(citizens))  # pop() takes the next to arrive
    issued: dict[str, int] = {}
    waiting: list[dict] = []  # {ticket, person, stage, queued}
    ready = [(spans[0][0], number) for number in center.counters]
    heapq.heapify(ready)
    while ready:
        moment, number = heapq.heappop(ready)
        moment = _serving_time(moment, spans)
        while arrivals and (moment is None or arrivals[-1].arrives <= moment):
            _issue(rows, center, issued, waiting, day, arrivals.pop())
        if moment is None:
            continue  # this counter's day is over
        serves = center.counters[number]
        candidates = [entry for entry in waiting if entry["ticket"]["service"] in serves and entry["queued"] <= moment]
        if not candidates:
            later = [entry["queued"] for entry in waiting if entry["queued"] > moment]
            if arrivals:
                later.append(arrivals[-1].arrives)
            if later or any(when > moment for when, _ in ready):
                heapq.heappush(ready, (max(min(later, default=moment + timedelta(minutes=1)), moment + timedelta(seconds=1)),
                                       number))
            continue
        entry = min(candidates, key=lambda item: (not item["ticket"]["transferred"], not item["ticket"]["priority"],
                                                  item["queued"], item["ticket"]["id"]))
        waiting.remove(entry)
        ended = _serve(rng, rows, center, waiting, entry, number, moment)
        heapq.heappush(ready, (ended, number))
    closing = spans[-1][1] + GRACE
    for entry in waiting:
        ticket = entry["ticket"]
        ticket.update(status="expired", closed_at=iso(closing))
        rows.event(ticket, "expired", closing)


def _issue(rows: _Rows, center: _Center, issued: dict, waiting: list, day: str, person) -> None:
    service = center.services[person.service]
    count = issued.get(person.service, 0)
    if service["daily_cap"] is not None and count >= service["daily_cap"]:
        return  # the kiosk said the service is full today
    issued[person.service] = count + 1
    seq = service["start_number"] + count
    ticket = {
        "id": rows.next_id, "day": day, "service": person.service, "number_service": person.service, "seq": seq,
        "number": f"{service['prefix']}{seq:0{service['number_digits']}d}", "priority": int(bool(person.priority_reason)),
        "priority_reason": person.priority_reason, "kiosk": None, "status": "waiting",
        "status_token": secrets.token_urlsafe(16), "issued_at": iso(person.arrives), "queued_at": iso(person.arrives),
        "transferred": 0, "called_at": None, "first_called_at": None, "finished_at": None, "closed_at": None,
        "counter": None, "officer": None, "calls": 0, "wait_s": 0.0, "service_s": 0.0, "channel": "kiosk",
    }
    rows.next_id += 1
    rows.tickets.append(ticket)
    rows.event(ticket, "issued", person.arrives, kiosk=None)
    waiting.append({"ticket": ticket, "person": person, "stage": 1, "queued": person.arrives})


def _serve(rng, rows: _Rows, center: _Center, waiting: list, entry: dict, number: int, called: datetime) -> datetime:
    """Call ``entry`` at counter ``number``; return when the counter is free again."""
    ticket, person, officer = entry["ticket"], entry["person"], center.officers[number]
    wait_s = (called - entry["queued"]).total_seconds()
    ticket.update(status="called", called_at=iso(called), first_called_at=ticket["first_called_at"] or iso(called),
                  counter=number, officer=officer, calls=ticket["calls"] + 1, wait_s=ticket["wait_s"] + wait_s)
    rows.event(ticket, "called", called, number, officer)
    if entry["stage"] == 1 and person.no_show:
        outcome, seconds = "no_show", person.service_s
    elif entry["stage"] == 1 and person.transfer_to:
        outcome, seconds = "transferred", person.service_s
    else:
        outcome, seconds = "finished", person.second_service_s if entry["stage"] == 2 else person.service_s
    ended = called + timedelta(seconds=seconds)
    rows.visits.append((ticket["id"], ticket["day"], ticket["service"], number, officer, iso(entry["queued"]), iso(called),
                        wait_s, iso(ended), outcome, seconds))
    ticket["service_s"] += seconds
    if outcome == "transferred":
        rows.event(ticket, "transferred", ended, number, officer, service=person.transfer_to)  # from the old queue
        ticket.update(status="waiting", service=person.transfer_to, transferred=1, queued_at=iso(ended))
        waiting.append({"ticket": ticket, "person": person, "stage": 2, "queued": ended})
        return ended
    ticket.update(status=outcome, closed_at=iso(ended), **({"finished_at": iso(ended)} if outcome == "finished" else {}))
    rows.event(ticket, outcome, ended, number, officer)
    if outcome == "finished" and person.rating is not None:
        level, reasons = person.rating
        rated = ended + timedelta(seconds=rng.randint(5, 60))
        rows.ratings.append((ticket["id"], ticket["day"], iso(rated), level, json.dumps(reasons), officer, number,
                             ticket["service"], None))
    return ended
