"""Helpers shared by tests (fixtures are in conftest.py)."""

import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import socketio

from layso.queue.calling import call_next, finish
from layso.queue.counters import open_counter
from layso.queue.tickets import issue_ticket
from layso.store.center import get_setting, set_setting


TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NEW_PASSWORD = "Sông Hương mùa thu 2026"  # what test users choose at first login (docs/security.md rules)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def later(moment, seconds=0, minutes=0):
    return moment + timedelta(seconds=seconds, minutes=minutes)


def issue(db, service, now, **options):
    """Issue a ticket and return its API object."""
    return issue_ticket(db, service, now=now, **options).value


def open_counters(db, now, **officers_by_counter):
    """open_counters(db, now, c1="an", c2="binh")"""
    for key, officer in officers_by_counter.items():
        open_counter(db, int(key[1:]), officer=officer, now=now)


def serve(db, counter, officer, now, *, minutes=5):
    """Call the next ticket and finish it ``minutes`` later; return the ticket object."""
    ticket = call_next(db, counter, officer=officer, now=now).value
    finish(db, counter, officer=officer, now=later(now, minutes=minutes))
    return ticket


def ticket_row(db, ticket_id):
    """The stored ticket row."""
    return db.table("tickets").get(ticket_id)


def counter_row(db, number):
    return db.table("counters").get(number)


def visits_of(db, ticket_id):
    return list(db.query("SELECT * FROM visits WHERE ticket = ? ORDER BY id", [ticket_id]))


def trail(db, ticket_id):
    """The ticket's audit trail as (action, counter, officer) tuples, oldest first."""
    return [
        (row["action"], row["counter"], row["officer"])
        for row in db.query("SELECT * FROM ticket_events WHERE ticket = ? ORDER BY id", [ticket_id])
    ]


def database_digest(path) -> str:
    """A checksum of every row of every table of the database file at ``path``: equal
    before and after a request that must not write."""
    digest = hashlib.sha256()
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"'))):
                digest.update(row.encode())
    return digest.hexdigest()


def change_setting(db, key, **changes):
    """Change part of a JSON setting the way an admin screen does (e.g. the queue policy)."""
    value = {**get_setting(db, key), **changes}
    set_setting(db, key, value, by="quantri", now=datetime(2026, 11, 23, 7, 0, tzinfo=TZ))


def open_all_day(db):
    """Opening hours 00:00–24:00 every day, for tests about the day boundary."""
    change_setting(db, "hours", **{day: ["00:00-24:00"] for day in WEEKDAYS}, holidays=[])


ROOT = Path(__file__).resolve().parent.parent
# The browser tests draw the screenshots docs/ shows; they write into docs/ only when asked
# (LAYSO_UPDATE_DOCS=1), so an ordinary run leaves the checkout as it found it. Otherwise the pictures go to
# LAYSO_SCREENSHOTS (default /tmp/layso-screenshots), to look at after the run.
SCREENSHOTS = ROOT / "docs" if os.environ.get("LAYSO_UPDATE_DOCS") == "1" else Path(
    os.environ.get("LAYSO_SCREENSHOTS", "/tmp/layso-screenshots"))


def screenshot(target, name: str, **options) -> Path:
    """Playwright's screenshot of a page or locator, saved as SCREENSHOTS/name."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    target.screenshot(path=str(path), **options)
    return path


READY_TIMEOUT_S = 120  # a deadline, not a wait: a busy 2-core machine (or a demo writing its month of history) starts slowly
# Debian's Chromium, headless, kept off the internet (docs/decisions.md).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """server.py --demo in a subprocess on a free port; its own temporary database."""

    def __init__(self, tmp_path, *, demo=True, config=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_path = tmp_path / "live.db"
        self.log_path = tmp_path / "server.log"
        self.demo = demo
        self.config = config
        self.env = {}
        self.process = None
        self.command_prefix = None  # e.g. [python, "-c", script]: a script that patches, then runs server.py

    def start(self, env=None, async_mode="gevent"):
        if env is not None:
            self.env = env
        command = [*(self.command_prefix or [sys.executable]), str(ROOT / "server.py"),
                   "--db", str(self.db_path), "--port", str(self.port)]
        if self.demo:
            command.append("--demo")
        if self.config:
            command += ["--config", str(self.config)]
        # No month of demo history unless a test asks for it (tests/test_demo_history.py): seconds per start.
        environment = {**os.environ, "LAYSO_ASYNC_MODE": async_mode, "LAYSO_TICKET_RATE_LIMIT": "0",
                       "LAYSO_SECRET_KEY": "test-secret-key-0123456789", "LAYSO_DEMO_HISTORY_DAYS": "0", **self.env}
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}):\n{self.output()}")
            try:
                requests.get(self.url + "/api/v1/state", timeout=1).raise_for_status()
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer in {READY_TIMEOUT_S}s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, kill=False):
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
        self.process = None

    def restart(self):
        self.stop()
        return self.start()

    def login(self, username, password="demo") -> dict:
        response = requests.post(self.url + "/api/v1/auth/login", json={"username": username, "password": password},
                                 timeout=10)
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def post(self, path, json=None, headers=None):
        return requests.post(self.url + path, json=json, headers=headers, timeout=10)

    def register_device(self, kind, device_id, **fields) -> str:
        """Register a device the way an admin does (demo ``admin``); return its token."""
        body = {"id": device_id, "kind": kind, "name": f"{kind} {device_id}", **fields}
        answer = self.post("/api/v1/admin/devices", body, headers=self.login("admin"))
        assert answer.status_code == 201, answer.text
        return answer.json()["token"]

    def report_dossier(self, code, **fields) -> None:
        """The one-stop software (registered as the integration device ``motcua``) reports a
        dossier: ``PUT /api/v1/dossiers/<code>`` with ``fields``."""
        token = self.register_device("integration", "motcua")
        requests.put(f"{self.url}/api/v1/dossiers/{code}", json=fields, headers={"Authorization": f"Bearer {token}"},
                     timeout=10).raise_for_status()


def wait_until(condition, *, timeout=10.0, interval=0.05, what="the condition"):
    """Poll ``condition()`` until it is true (returned) or ``timeout`` seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout}s")
        time.sleep(interval)


class RecordingClient:
    """A python-socketio client that records every event, and its disconnections as
    ``disconnect``; wait_for() has a deadline."""

    def __init__(self, url, auth, *, wait=True):
        self.events = []
        self._condition = threading.Condition()
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
        self.client.on("*", self._record)
        self.client.on("disconnect", lambda *reason: self._record("disconnect"))
        self.client.connect(url, auth=auth, transports=["websocket"], wait=wait, wait_timeout=10)

    def _record(self, name, data=None):
        with self._condition:
            self.events.append((name, data))
            self._condition.notify_all()

    def names(self):
        with self._condition:
            return [name for name, _ in self.events]

    def wait_for(self, name, predicate=lambda data: True, timeout=10):
        """The first recorded ``name`` event whose data satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                for event, data in self.events:
                    if event == name and predicate(data):
                        return data
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {name!r} within {timeout}s; got {[e for e, _ in self.events]}")
                self._condition.wait(remaining)

    def clear(self):
        with self._condition:
            self.events.clear()

    def close(self):
        if self.client.connected:
            self.client.disconnect()


def assert_socket_refused(url, auth):
    """A Socket.IO connect with ``auth`` is refused (long polling: the refusal is the same,
    and closing needs no websocket handshake)."""
    import pytest

    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(url, auth=auth, transports=["polling"], wait_timeout=5)


def banner_hidden(kiosk_page: str) -> bool:
    """Whether the kiosk page's printer-out-of-order banner is hidden."""
    import re

    return "hidden" in re.search(r'<div id="printer-banner"[^>]*>', kiosk_page).group(0)


def agent_kiosk_config(tmp_path, *, timeout_s=1, check_every_s=60) -> Path:
    """The demo center's TOML with kiosk k1 printing through a print agent (kind "agent")."""
    return kiosk_printer_config(
        tmp_path, f'{{ kind = "agent", timeout_s = {timeout_s}, check_every_s = {check_every_s} }}')


def demo_config_with(tmp_path, extra: str) -> Path:
    """The demo center's TOML with ``extra`` TOML appended (e.g. a [security] table)."""
    config = tmp_path / "center.toml"
    config.write_text((ROOT / "config" / "demo.toml").read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return config


def kiosk_printer_config(tmp_path, printer: str) -> Path:
    """The demo center's TOML with its one kiosk, k1, printing to ``printer`` (an inline table)."""
    import re

    demo = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    kiosks = f'[[kiosks]]\nid = "k1"\nname = "Kiosk 1"\nprinter = {printer}\n'
    config = tmp_path / "center.toml"
    config.write_text(re.sub(r"\[\[kiosks\]\].*?(?=\n\[\[displays\]\])", kiosks, demo, flags=re.S), encoding="utf-8")
    return config


class Published:
    """A ``publish`` callable (or app listener) that records events; tests wait on it with a deadline."""

    def __init__(self):
        self.events = []
        self._changed = threading.Condition()

    def __call__(self, event) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait_for(self, name, timeout_s=10.0, **data):
        """The first ``name`` event whose data has these values; fails at the deadline."""
        def found():
            return next((event for event in self.events
                         if event.name == name and all(event.data.get(k) == v for k, v in data.items())), None)

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None, timeout_s):
                raise AssertionError(f"no {name} {data} within {timeout_s} s; heard {[(e.name, e.data) for e in self.events]}")
            return found()

    def wait_for_count(self, count, name=None, timeout_s=10.0) -> list:
        """The first ``count`` events (named ``name`` if given); fails at the deadline."""
        def chosen():
            return [event for event in self.events if name is None or event.name == name]

        with self._changed:
            if not self._changed.wait_for(lambda: len(chosen()) >= count, timeout_s):
                raise AssertionError(f"waited {timeout_s} s for {count} {name or 'events'}: {self.events}")
            return chosen()[:count]

    def named(self, name):
        with self._changed:
            return [event for event in self.events if event.name == name]


def run_under_gevent(script: str, *args: str, timeout_s: float = 60) -> str:
    """Run ``script`` (which monkey-patches first) in a fresh interpreter at the repository
    root, as production runs; return its standard output, failing with its errors."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=timeout_s,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


BUSY_TICKETS = {"HT": 9, "LLTP": 4, "CT": 3, "GCN": 6, "DKKD": 4, "GPLX": 7}
BUSY_CALLS = (1, 2, 3, 4, 5, 7, 8, 1, 2)  # counters calling, in order: the last call is counter 2
BUSY_ANNOUNCEMENT = ("Trung tâm làm việc buổi chiều từ 13 giờ 30 đến 17 giờ. "
                     "Công dân vui lòng chuẩn bị sẵn căn cước khi đến lượt.")


def busy_center(server: "LiveServer") -> dict:
    """The demo center at a busy moment, over HTTP: people waiting for every service, all eight
    counters open, counter 6 paused for an officer's own note, nine numbers called, an announcement
    line. Returns {counter: officer headers}. (The display layout test and bench/screenshots_display.py.)"""
    for service, count in BUSY_TICKETS.items():
        for _ in range(count):
            server.post("/api/v1/tickets", {"service": service}).raise_for_status()
    officers = {number: server.login(f"canbo{number}") for number in range(1, 9)}
    for number, headers in officers.items():
        server.post(f"/api/v1/counters/{number}/open", headers=headers).raise_for_status()
    server.post("/api/v1/counters/6/pause", {"reason": "Họp giao ban"}, headers=officers[6]).raise_for_status()
    for number in BUSY_CALLS:
        server.post(f"/api/v1/counters/{number}/call-next", headers=officers[number]).raise_for_status()
    server.post("/api/v1/admin/settings/announcement", {"value": BUSY_ANNOUNCEMENT},
                headers=server.login("admin")).raise_for_status()
    return officers
