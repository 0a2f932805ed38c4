"""A whole day at a center, simulated against a real server with real clients.

    .venv/bin/python bench/simulate_day.py [--speed 60] [--scale 1] [--displays 50] [--hours 07:30-11:30,13:30-17:00]
                                            [--soak-minutes 0] [--seed 2026]

Starts ``server.py --demo`` on a new database with its clock running ``--speed`` times
faster (LAYSO_CLOCK_SPEED, from 07:25 today), then drives it through the day the demo's
history follows (layso/demo/model.py): kiosks issue numbers over HTTP on the arrival
curve (morning peak, lunch dip), officers at every counter call, serve for the drawn
service time, mark no-shows, transfer, hold and call back through the API, tablets rate
(about 1 % "Không hài lòng" with reasons, some not rated), and ``--displays`` display
sockets listen. At the end it checks that every figure of ``GET /api/v1/dashboard`` and
``GET /api/v1/reports/summary`` for the day equals what the simulator itself recorded,
and that every display heard every call; it exits 1 if anything differs.

``--soak-minutes N`` then keeps a steady load for N minutes and prints the server's RSS,
open files, sockets and database size every minute (docs/benchmarks.md, "Soak").
tests/test_simulate_day.py runs a short compressed day of it in the test suite.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layso.demo import model  # noqa: E402

HOLD = 0.02  # of citizens served: parked while they fetch a paper, called back after the next one
GRACE = timedelta(minutes=30)  # officers keep calling whoever waits this long after closing
DEMO_PASSWORD = "demo"


class CenterClock:
    """The server's center time, as seen from here: synchronised once from the dashboard's
    ``at``, then run at the same speed."""

    def __init__(self, at: datetime, speed: float):
        self.origin, self.real, self.speed = at, time.monotonic(), speed

    def now(self) -> datetime:
        return self.origin + timedelta(seconds=(time.monotonic() - self.real) * self.speed)

    def real_seconds(self, center_seconds: float) -> float:
        return max(0.0, center_seconds) / self.speed

    def wait_until(self, moment: datetime, stop: threading.Event) -> bool:
        """Sleep until the center's clock reads ``moment``; False if stopped first."""
        return not stop.wait(self.real_seconds((moment - self.now()).total_seconds()))


class Tally:
    """What the simulator did, by service: what the server's figures must equal."""

    def __init__(self):
        self.lock = threading.Lock()
        self.issued, self.served, self.no_show, self.transferred = Counter(), Counter(), Counter(), Counter()
        self.not_rated = Counter()
        self.ratings: dict = defaultdict(Counter)  # service → level → count
        self.calls = 0
        self.refused = Counter()  # service → numbers the kiosk could not issue (closed, daily cap)
        self.errors: list[str] = []

    def add(self, counter: Counter, key, amount=1) -> None:
        with self.lock:
            counter[key] += amount


class Simulation:
    def __init__(self, url: str, *, speed: float, citizens: list, spans, displays: int, seed: int):
        self.url, self.speed, self.citizens, self.spans = url, speed, citizens, spans
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.stop = threading.Event()
        self.kiosks_done = threading.Event()
        self.people: dict[int, model.Citizen] = {}  # ticket id → who holds it
        self.people_ready = threading.Condition()
        self.display_calls: list[int] = []
        self.display_clients: list = []
        self.session = requests.Session()
        self.manager = self.login("lanhdao")
        dashboard = self.get("/api/v1/dashboard", headers=self.manager)
        self.clock = CenterClock(datetime.fromisoformat(dashboard["at"]), speed)
        self.day = dashboard["day"]
        self.counters = {counter["number"] for counter in dashboard["counters"]}
        self.displays = displays

    # --- HTTP --------------------------------------------------------------

    def login(self, username: str) -> dict:
        answer = requests.post(self.url + "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD},
                               timeout=30)
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    def get(self, path: str, **options):
        answer = requests.get(self.url + path, timeout=60, **options)
        answer.raise_for_status()
        return answer.json()

    def post(self, session, path: str, body=None, headers=None):
        return session.post(self.url + path, json=body, headers=headers, timeout=30)

    # --- the day ---------------------------------------------------------------

    def run(self) -> None:
        self.connect_displays()
        threads = [threading.Thread(target=self.kiosk, name="kiosk", daemon=True)]
        threads += [threading.Thread(target=self.officer, args=(number,), name=f"counter-{number}", daemon=True)
                    for number in sorted(self.counters)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.wait_for_displays()

    def connect_displays(self) -> None:
        for index in range(self.displays):
            client = socketio.Client(reconnection=True)
            self.display_calls.append(0)

            def heard(_data, index=index):
                self.display_calls[index] += 1  # one client's events arrive on its own thread, in order

            client.on("ticket.called", heard)
            client.connect(self.url, auth={"role": "display"}, transports=["websocket"], wait_timeout=30)
            self.display_clients.append(client)

    def wait_for_displays(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(count < self.tally.calls for count in self.display_calls):
            time.sleep(0.05)
        for client in self.display_clients:
            client.disconnect()

    def kiosk(self) -> None:
        """Numbers taken as citizens arrive (one kiosk's HTTP client, as the kiosk page does)."""
        session = requests.Session()
        for person in self.citizens:
            if not self.clock.wait_until(person.arrives, self.stop):
                break
            body = {"service": person.service}
            if person.priority_reason:
                body |= {"priority": True, "priority_reason": person.priority_reason}
            answer = self.post(session, "/api/v1/tickets", body)
            if answer.status_code == 201:
                ticket = answer.json()
                with self.people_ready:
                    self.people[ticket["id"]] = person
                    self.people_ready.notify_all()
                self.tally.add(self.tally.issued, person.service)
            elif answer.status_code in (409, 429):
                self.tally.add(self.tally.refused, person.service)
            else:
                self.tally.errors.append(f"issue {person.service}: {answer.status_code} {answer.text[:200]}")
        self.kiosks_done.set()

    def day_over(self) -> bool:
        return self.kiosks_done.is_set() and self.clock.now() > self.spans[-1][1] + GRACE

    def person_of(self, ticket_id: int) -> model.Citizen:
        with self.people_ready:
            self.people_ready.wait_for(lambda: ticket_id in self.people, timeout=30)
            return self.people[ticket_id]

    def officer(self, number: int) -> None:
        """One counter's officer and its tablet, through the API like the console and the tablet."""
        session = requests.Session()
        headers = self.login(f"canbo{number}")
        tablet = {"Authorization": f"Bearer demo-tablet-{number}"}
        opened = self.post(session, f"/api/v1/counters/{number}/open", headers=headers)
        if opened.status_code != 200:
            self.tally.errors.append(f"open {number}: {opened.status_code} {opened.text[:200]}")
            return
        held: list[dict] = []  # parked tickets; called back once the counter has served someone else
        was_held: set[int] = set()
        served_since_hold = False
        while not self.stop.is_set():
            if held and served_since_hold:
                ticket = self.call(session, number, headers, f"/api/v1/counters/{number}/call", {"ticket": held.pop()["id"]})
                served_since_hold = False
            else:
                ticket = self.call(session, number, headers, f"/api/v1/counters/{number}/call-next")
            if ticket is None:
                if held:
                    served_since_hold = True  # nobody else waits: call the parked citizen back now
                    continue
                if self.day_over():
                    break
                self.stop.wait(self.clock.real_seconds(20))  # a look at the queue every 20 s (center time)
                continue
            if self.serve(session, number, headers, tablet, ticket, may_hold=ticket["id"] not in was_held):
                held.append(ticket)
                was_held.add(ticket["id"])
            else:
                served_since_hold = True
        self.post(session, f"/api/v1/counters/{number}/close", headers=headers)

    def call(self, session, number, headers, path, body=None) -> dict | None:
        answer = self.post(session, path, body, headers)
        if answer.status_code != 200:
            self.tally.errors.append(f"{path}: {answer.status_code} {answer.text[:200]}")
            return None
        ticket = answer.json().get("ticket")
        if ticket is not None:
            with self.tally.lock:
                self.tally.calls += 1
        return ticket

    def serve(self, session, number: int, headers: dict, tablet: dict, ticket: dict, *, may_hold: bool) -> bool:
        """Serve the called ticket as its citizen's plan says; True when it was held instead."""
        person = self.person_of(ticket["id"])
        service, first_stretch = ticket["service"], not ticket["transferred"]
        if first_stretch and person.no_show:
            outcome, seconds = "no-show", person.service_s
        elif first_stretch and person.transfer_to:
            outcome, seconds = "transfer", person.service_s
        else:
            outcome, seconds = "finish", person.second_service_s if ticket["transferred"] else person.service_s
        if outcome == "finish" and may_hold and self.rng.random() < HOLD:
            self.stop.wait(self.clock.real_seconds(seconds / 3))
            answer = self.post(session, f"/api/v1/counters/{number}/hold", None, headers)
            if answer.status_code == 200:
                return True
            self.tally.errors.append(f"hold at {number}: {answer.status_code} {answer.text[:200]}")
        self.stop.wait(self.clock.real_seconds(seconds))
        if outcome == "transfer":
            answer = self.post(session, f"/api/v1/counters/{number}/transfer",
                               {"service": person.transfer_to, "force": True}, headers)
            counted = self.tally.transferred
        else:
            answer = self.post(session, f"/api/v1/counters/{number}/{outcome}", None, headers)
            counted = self.tally.served if outcome == "finish" else self.tally.no_show
        if answer.status_code != 200:
            self.tally.errors.append(f"{outcome} at {number}: {answer.status_code} {answer.text[:200]}")
            return False
        self.tally.add(counted, service)
        if outcome == "finish":
            self.rate(session, tablet, ticket, person, service)
        return False

    def rate(self, session, tablet: dict, ticket: dict, person, service: str) -> None:
        if person.rating is None:
            self.tally.add(self.tally.not_rated, service)
            return
        level, reasons = person.rating
        answer = self.post(session, "/api/v1/ratings", {"ticket": ticket["id"], "level": level, "reasons": reasons},
                           tablet)
        if answer.status_code == 201:
            with self.tally.lock:
                self.tally.ratings[service][level] += 1
        else:  # e.g. outside the rating window at a very high clock speed: the citizen left without rating
            self.tally.add(self.tally.not_rated, service)
            if answer.status_code != 403:
                self.tally.errors.append(f"rate: {answer.status_code} {answer.text[:200]}")

    # --- the end-of-day check ------------------------------------------------

    def differences(self) -> list[str]:
        """Every figure of the dashboard and of the day's summary that is not what was done here."""
        tally, found = self.tally, []
        self.manager = self.login("lanhdao")  # a login lasts 12 hours of the center's (fast) clock

        def compare(what, theirs, ours):
            if theirs != ours:
                found.append(f"{what}: server {theirs}, simulator {ours}")

        summary = self.get("/api/v1/reports/summary", headers=self.manager,
                           params={"from": self.day, "to": self.day, "by": "service"})
        rows = {row["key"]: row for row in summary["rows"]}
        for service in sorted(set(rows) | set(tally.issued) | set(tally.served)):
            row = rows.get(service, {})
            for name, ours in (("issued", tally.issued), ("served", tally.served), ("no_show", tally.no_show),
                               ("transferred", tally.transferred), ("not_rated", tally.not_rated)):
                compare(f"summary {service} {name}", row.get(name, 0), ours[service])
            compare(f"summary {service} ratings", {k: v for k, v in row.get("ratings", {}).items() if v},
                    dict(tally.ratings[service]))
        dashboard = self.get("/api/v1/dashboard", headers=self.manager)
        today = dashboard["today"]
        compare("dashboard today.issued", today["issued"], sum(tally.issued.values()))
        compare("dashboard today.served", today["served"], sum(tally.served.values()))
        compare("dashboard today.no_show", today["no_show"], sum(tally.no_show.values()))
        compare("dashboard today.waiting", today["waiting"], 0)
        for service in dashboard["services"]:
            compare(f"dashboard {service['code']} issued", service["issued"], tally.issued[service["code"]])
            compare(f"dashboard {service['code']} served", service["served"], tally.served[service["code"]])
            compare(f"dashboard {service['code']} waiting", service["waiting"], 0)
        levels = Counter()
        for counts in tally.ratings.values():
            levels.update(counts)
        overall = dashboard["satisfaction"]["overall"]
        compare("dashboard satisfaction ratings", {k: v for k, v in overall["ratings"].items() if v}, dict(levels))
        compare("dashboard satisfaction rated", overall["rated"], sum(levels.values()))
        for index, heard in enumerate(self.display_calls):
            compare(f"display {index} ticket.called heard", heard, tally.calls)
        return found + [f"error: {error}" for error in tally.errors]


def usual_spans(hours: str, day: datetime) -> list[tuple[datetime, datetime]]:
    spans = []
    for span in hours.split(","):
        start, end = span.strip().split("-")
        spans.append(tuple(day.replace(hour=int(part[:2]), minute=int(part[3:]), second=0, microsecond=0)
                           for part in (start, end)))
    return spans


def plan_day(day: datetime, *, hours: str, scale: float, seed: int) -> tuple[list, list]:
    """The demo center's citizens for the day (its services, reasons and rating levels)."""
    import tomllib

    from layso.bundle import bundled_file

    demo = tomllib.loads(bundled_file("config", "demo.toml").read_text(encoding="utf-8"))
    spans = usual_spans(hours, day)
    citizens = model.day_citizens(
        random.Random(seed), spans=spans, services=[service["code"] for service in demo["services"]],
        priority_reasons=[reason["id"] for reason in demo.get("priority_reasons", [])],
        levels=demo["rating"]["levels"], reasons=demo["rating"]["reasons"], scale=scale)
    return spans, citizens


def start_server(folder: Path, port: int, *, speed: float, start: str) -> subprocess.Popen:
    environment = {**os.environ, "LAYSO_CLOCK_SPEED": str(speed), "LAYSO_CLOCK_START": start,
                   "LAYSO_DEMO_HISTORY_DAYS": "0", "LAYSO_TICKET_RATE_LIMIT": "0"}
    log = open(folder / "server.log", "wb")
    server = subprocess.Popen([sys.executable, str(ROOT / "server.py"), "--demo", "--db", str(folder / "day.db"),
                               "--port", str(port)], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit((folder / "server.log").read_text())
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).raise_for_status()
            return server
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def server_figures(pid: int, url: str) -> dict:
    """RSS (MB), open files, open sockets (of the process), database size (MB)."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
    descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    sockets = sum(1 for fd in descriptors if os.readlink(fd).startswith("socket:"))
    metrics = requests.get(url + "/metrics", timeout=30).text
    size = next(float(line.split()[1]) for line in metrics.splitlines() if line.startswith("layso_database_bytes "))
    return {"rss_mb": round(rss_kb / 1024, 1), "open_files": len(descriptors), "sockets": sockets,
            "database_mb": round(size / 1e6, 2)}


def soak(simulation: Simulation, pid: int, minutes: float, rate_per_minute: int) -> list[dict]:
    """A steady load (issue → call → finish → rate at every counter) for ``minutes`` of real
    time; the server's figures each minute."""
    rows, stop, session = [], threading.Event(), requests.Session()
    officer = simulation.login("canbo1")
    session.post(simulation.url + "/api/v1/counters/1/open", headers=officer, timeout=30)

    def load():
        while not stop.is_set():
            ticket = session.post(simulation.url + "/api/v1/tickets", json={"service": "HT"}, timeout=30)
            if ticket.status_code == 201:
                session.post(simulation.url + "/api/v1/counters/1/call-next", headers=officer, timeout=30)
                session.post(simulation.url + "/api/v1/counters/1/finish", headers=officer, timeout=30)
                session.post(simulation.url + "/api/v1/ratings", json={"ticket": ticket.json()["id"],
                             "level": "very_satisfied"}, headers={"Authorization": "Bearer demo-tablet-1"}, timeout=30)
            stop.wait(60 / rate_per_minute)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    started = time.monotonic()
    for minute in range(int(minutes) + 1):
        figures = server_figures(pid, simulation.url) | {"minute": minute}
        rows.append(figures)
        print("soak", figures, flush=True)
        if minute < int(minutes):
            time.sleep(max(0.0, started + 60 * (minute + 1) - time.monotonic()))
    stop.set()
    worker.join()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speed", type=float, default=60, help="center seconds per real second (LAYSO_CLOCK_SPEED)")
    parser.add_argument("--scale", type=float, default=1.0, help="citizens: times the demo's usual day")
    parser.add_argument("--displays", type=int, default=50)
    parser.add_argument("--hours", default="07:30-11:30,13:30-17:00", help="the day's opening spans")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--soak-minutes", type=float, default=0)
    parser.add_argument("--soak-rate", type=int, default=120, help="soak: tickets per minute (real time)")
    args = parser.parse_args()
    from tests.helpers import free_port

    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        first = args.hours.split("-")[0]
        start = (datetime.strptime(first, "%H:%M") - timedelta(minutes=5)).strftime("%H:%M")
        server = start_server(Path(folder), port, speed=args.speed, start=start)
        try:
            url = f"http://127.0.0.1:{port}"
            began = time.monotonic()
            probe = Simulation(url, speed=args.speed, citizens=[], spans=[], displays=0, seed=args.seed)
            day = datetime.fromisoformat(f"{probe.day}T00:00:00").replace(tzinfo=probe.clock.origin.tzinfo)
            spans, citizens = plan_day(day, hours=args.hours, scale=args.scale, seed=args.seed)
            simulation = Simulation(url, speed=args.speed, citizens=citizens, spans=spans, displays=args.displays,
                                    seed=args.seed)
            print(f"simulating {probe.day}: {len(citizens)} citizens, {len(simulation.counters)} counters, "
                  f"{args.displays} displays, clock ×{args.speed}", flush=True)
            before = server_figures(server.pid, url)
            simulation.run()
            tally = simulation.tally
            print(f"day done in {time.monotonic() - began:.0f} s: issued {sum(tally.issued.values())}, served "
                  f"{sum(tally.served.values())}, no-shows {sum(tally.no_show.values())}, transferred "
                  f"{sum(tally.transferred.values())}, calls {tally.calls}, not rated {sum(tally.not_rated.values())}, "
                  f"refused {sum(tally.refused.values())}", flush=True)
            print("server before", before, "after the day", server_figures(server.pid, url), flush=True)
            differences = simulation.differences()
            for line in differences:
                print("DIFFERS", line, flush=True)
            print("end-of-day check:", "every figure equal" if not differences else f"{len(differences)} differences")
            if args.soak_minutes:
                soak(simulation, server.pid, args.soak_minutes, args.soak_rate)
            return 1 if differences else 0
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
