"""How a day at a center goes, as numbers: when citizens arrive, what they come for, how
long each service takes, who does not come when called, who is sent to another service,
and how they rate. One model for the demo's history (:mod:`layso.demo.history`, written
straight into the database) and for the whole-day simulator (bench/simulate_day.py, which
drives a real server with it), so both show the same center.

Pure functions of a seeded ``random.Random``: the same seed gives the same day.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Citizens a full weekday brings, and minutes a service takes on average, for the demo's
# services (config/demo.toml); any other service: DEFAULT_VISITORS and DEFAULT_MINUTES.
VISITORS = {"HT": 70, "LLTP": 25, "CT": 60, "GCN": 30, "DKKD": 22, "GPLX": 55}
SERVICE_MINUTES = {"HT": 6.0, "LLTP": 8.0, "CT": 3.0, "GCN": 14.0, "DKKD": 12.0, "GPLX": 7.0}
DEFAULT_VISITORS, DEFAULT_MINUTES = 30, 6.0
NO_SHOW = 0.04  # of calls: the citizen is not there
TRANSFER = 0.03  # of citizens served: sent on to another service
PRIORITY = 0.07  # elderly, disabled, pregnant, people of merit …
NOT_RATED = 0.12  # of citizens served: leave without touching the tablet
UNSATISFIED = 0.01  # of ratings: "Không hài lòng", always with a reason
SATISFIED_SECOND = 0.25  # of ratings: the second level ("Hài lòng"); the rest the first
NO_SHOW_WAIT_S = (60, 150)  # an officer waits this long before marking a no-show


def arrival_weight(moment: datetime) -> float:
    """How busy the hall is at this time of day, relative: a morning peak around 08:45,
    a smaller one after lunch around 14:15, quiet just before closing."""
    hours = moment.hour + moment.minute / 60
    return (0.15 + math.exp(-((hours - 8.75) / 0.9) ** 2) + 0.6 * math.exp(-((hours - 14.25) / 0.8) ** 2))


# A center's usual week, for a center that is open all day every day (the demo, so it can be
# tried at any hour): its history still looks like a real center's.
USUAL_HOURS = {day: ["07:30-11:30", "13:30-17:00"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")} | {
    "saturday": ["07:30-11:30"], "sunday": []}


def spans_of(hours: dict, day: datetime) -> list[tuple[datetime, datetime]]:
    """The day's opening spans as local datetimes ([] on a holiday or a closed weekday);
    a day open round the clock counts as a usual day (USUAL_HOURS)."""
    if day.date().isoformat() in hours.get("holidays", []):
        return []
    weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[day.weekday()]
    configured = hours.get(weekday, [])
    spans = []
    for span in USUAL_HOURS[weekday] if configured == ["00:00-24:00"] else configured:
        start, end = span.split("-")
        spans.append(tuple(day.replace(hour=int(part[:2]) % 24, minute=int(part[3:]), second=0, microsecond=0)
                           + timedelta(days=1 if part == "24:00" else 0) for part in (start, end)))
    return spans


@dataclass
class Citizen:
    """One person who takes a number, and what will happen to them."""

    arrives: datetime
    service: str
    priority_reason: str | None = None
    no_show: bool = False
    service_s: float = 0.0
    transfer_to: str | None = None  # served first, then sent to this service
    second_service_s: float = 0.0
    rating: tuple[str, list[str]] | None = None  # (level, reasons); None: not rated
    notes: dict = field(default_factory=dict)


def service_seconds(rng: random.Random, service: str) -> float:
    """A service time around the service's mean (log-normal: most are quick, a few long)."""
    mean = SERVICE_MINUTES.get(service, DEFAULT_MINUTES) * 60
    sigma = 0.5
    return round(max(30.0, rng.lognormvariate(math.log(mean) - sigma ** 2 / 2, sigma)))


def choose_rating(rng: random.Random, levels: list[dict], reasons: list[dict]) -> tuple[str, list[str]] | None:
    """A tablet's answer: none, an unsatisfied level with one or two reasons, or a satisfied one."""
    if rng.random() < NOT_RATED or not levels:
        return None
    unhappy = [level for level in levels if not level.get("satisfied", False)]  # as layso.queue.ratings reads it
    happy = [level for level in levels if level.get("satisfied", False)] or levels
    if unhappy and rng.random() < UNSATISFIED:
        chosen = [reason["id"] for reason in rng.sample(reasons, min(len(reasons), rng.choice((1, 2))))]
        return rng.choice(unhappy)["id"], chosen
    if len(happy) > 1 and rng.random() < SATISFIED_SECOND:
        return happy[1]["id"], []
    return happy[0]["id"], []


def day_citizens(rng: random.Random, *, spans: list[tuple[datetime, datetime]], services: list[str],
                 priority_reasons: list[str], levels: list[dict], reasons: list[dict],
                 scale: float = 1.0) -> list[Citizen]:
    """Everyone who comes on a day with these opening spans, in order of arrival. Each
    service brings its VISITORS over a full weekday (07:30–11:30, 13:30–17:00), ``scale``
    times that; nobody arrives in the last 15 minutes of a span."""
    full_day = sum(arrival_weight(datetime(2026, 1, 5, 7, 30) + timedelta(minutes=minute)) for minute in range(240)) + \
        sum(arrival_weight(datetime(2026, 1, 5, 13, 30) + timedelta(minutes=minute)) for minute in range(210))
    citizens = []
    for start, end in spans:
        minute = start
        while minute < end - timedelta(minutes=15):
            weight = arrival_weight(minute) / full_day
            for service in services:
                expected = VISITORS.get(service, DEFAULT_VISITORS) * scale * weight
                for _ in range(_poisson(rng, expected)):
                    citizens.append(citizen(rng, minute + timedelta(seconds=rng.randrange(60)), service, services,
                                            priority_reasons=priority_reasons, levels=levels, reasons=reasons))
            minute += timedelta(minutes=1)
    citizens.sort(key=lambda person: person.arrives)
    return citizens


def citizen(rng: random.Random, arrives: datetime, service: str, services: list[str], *,
            priority_reasons: list[str], levels: list[dict], reasons: list[dict]) -> Citizen:
    person = Citizen(arrives=arrives, service=service, service_s=service_seconds(rng, service))
    if priority_reasons and rng.random() < PRIORITY:
        person.priority_reason = rng.choice(priority_reasons)
    if rng.random() < NO_SHOW:
        person.no_show = True
        person.service_s = float(rng.randint(*NO_SHOW_WAIT_S))
        return person
    others = [other for other in services if other != service]
    if others and rng.random() < TRANSFER:
        person.transfer_to = rng.choice(others)
        person.service_s = round(person.service_s / 2)
        person.second_service_s = service_seconds(rng, person.transfer_to)
    person.rating = choose_rating(rng, levels, reasons)
    return person


def _poisson(rng: random.Random, expected: float) -> int:
    """Knuth's method: fine for the small means of one minute."""
    limit, count, product = math.exp(-expected), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
