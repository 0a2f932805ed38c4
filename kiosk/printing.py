"""Printing the kiosks' tickets (in phiếu): each kiosk's printer from ``[[kiosks]]``.

A printer the server can reach (network, usb, serial, file) gets one
:class:`~layso.printing.jobs.PrinterQueue`, started with the running server
(:meth:`KioskPrinters.start`, so its checks between tickets begin) or else with the first
ticket it has to print (the many apps tests build never start a worker they do not use),
and closed with :func:`close_printers`. The queues share one render worker process per app
(:class:`~layso.printing.worker.RenderWorker`), so drawing tickets never holds the
gevent hub that serves every client. A kiosk whose printer kind is ``agent`` has its jobs sent to its
print agent as ``print.job`` instead; the agent answers ``print.result``, and an agent away
for longer than its printer's ``check_every_s`` is reported as the printer being offline.

The ticket route calls :meth:`KioskPrinters.print_ticket` after the commit and answers
at once; the outcome is recorded on the ticket and published as ``ticket.printed`` or
``kiosk.alert`` (rooms ``kiosk:<id>`` and ``dashboard``). Job ids (``t<ticket id>``,
``t<id>-r<hex>`` for a reprint) make sure a job never prints twice.
"""

import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from layso import clock
from layso.events import KIOSK_ALERT, PRINT_JOB, TICKET_PRINTED, Event, dashboard_room, kiosk_agent_room, kiosk_room
from layso.printing.jobs import RESOLVED_MESSAGE, PrinterQueue, paper_low_event
from layso.printing.printers import MESSAGES, PrinterConfig, parse_printer
from layso.printing.render import TicketPrint, ticket_to_json
from layso.printing.worker import RenderWorker
from layso.queue.tickets import set_print_status
from layso.store.center import get_setting
from layso.settings import SettingsError
from layso.web.realtime import publish_and_notify, socketio

log = logging.getLogger(__name__)

AGENT_RESEND_WINDOW_S = 120  # an unanswered agent job is sent again on reconnect within this time
AGENT_ANSWER_FACTOR = 2  # an agent has timeout_s × this to answer before the kiosk shows the fallback
FOOTER = "Sau khi được phục vụ, xin vui lòng đánh giá mức độ hài lòng. Xin cảm ơn!"


def job_id(ticket_id: int, *, reprint: bool = False) -> str:
    """``t42`` for ticket 42's first print; a reprint gets a fresh id so it does print."""
    return f"t{ticket_id}-r{secrets.token_hex(3)}" if reprint else f"t{ticket_id}"


def ticket_of_job(job: str) -> int | None:
    """The ticket id inside a job id, or None for a malformed one."""
    head = job[1:].split("-", 1)[0] if isinstance(job, str) and job.startswith("t") else ""
    return int(head) if head.isdigit() else None


def printer_configs(kiosks, *, base_dir: Path) -> dict[str, PrinterConfig]:
    """Kiosk id → printer, from ``settings.kiosks``. A relative file path is taken from
    the center's folder (beside the database). Raises SettingsError naming the kiosk."""
    configs = {}
    for index, kiosk in enumerate(kiosks):
        raw = kiosk.get("printer")
        if not raw:
            continue
        raw = dict(raw)
        if raw.get("kind") == "file" and raw.get("device") and not Path(raw["device"]).is_absolute():
            raw["device"] = str(base_dir / raw["device"])
        try:
            configs[str(kiosk["id"])] = parse_printer(raw)
        except ValueError as error:
            raise SettingsError(f"kiosks[{index}].{error}") from None
    return configs


def ticket_print(db, ticket: dict) -> TicketPrint:
    """What goes on paper for an API ticket object (with its absolute ``status_url``)."""
    counters = [
        number for number, services in db.execute("SELECT number, services FROM counters WHERE active = 1 ORDER BY number")
        if ticket["service"] in json.loads(services)
    ]
    return TicketPrint(
        center_name=get_setting(db, "center_name", ""),
        number=ticket["number"],
        service_name=ticket["service_name"],
        ahead=ticket["ahead"],
        estimated_wait_s=ticket["estimated_wait_s"],
        issued_at=clock.parse(ticket["issued_at"]),
        counters=counters,
        status_url=ticket["status_url"],
        footer=FOOTER,
        priority=ticket["priority"],
    )


@dataclass
class AgentJob:
    kiosk: str
    payload: dict
    created: float
    answered: bool = False  # a failure was already recorded (timeout or no agent)


class KioskPrinters:
    """The printers of one app's kiosks: local print queues and agent jobs."""

    def __init__(self, app, configs: dict[str, PrinterConfig]):
        self.app = app
        self.configs = configs
        self._queues: dict[PrinterConfig, PrinterQueue] = {}  # one per printer; kiosks may share one
        self._render_worker = RenderWorker()  # its process starts with the first ticket
        self._agent_jobs: dict[str, AgentJob] = {}
        self._agent_failing: set[str] = set()
        self._agent_paper_low: set[str] = set()
        self._lock = threading.Lock()
        self._closed = False

    # --- what the routes call -------------------------------------------------

    def has_printer(self, kiosk: str | None) -> bool:
        return kiosk in self.configs

    def printer_failing(self, kiosk: str | None) -> bool:
        """Whether this kiosk's printer is out of order now (for the banner on page load)."""
        config = self.configs.get(kiosk)
        if config is None:
            return False
        if config.kind == "agent":
            return kiosk in self._agent_failing
        queue = self._queues.get(config)
        return queue is not None and not queue.printer_ok

    def printer_states(self) -> dict[str, tuple[bool, bool]]:
        """Each kiosk with a printer → (printing now, paper near its end), for /metrics.
        A printer that has not printed or been checked yet counts as printing."""
        states = {}
        for kiosk, config in self.configs.items():
            if config.kind == "agent":
                states[kiosk] = (kiosk not in self._agent_failing, kiosk in self._agent_paper_low)
            else:
                queue = self._queues.get(config)
                states[kiosk] = (True, False) if queue is None else (queue.printer_ok, queue.paper_low)
        return states

    def print_ticket(self, job: str, ticket: TicketPrint, *, kiosk: str) -> bool:
        """Queue a ticket on the kiosk's printer and return at once (False: no printer)."""
        config = self.configs.get(kiosk)
        if config is None or self._closed:
            return False
        if config.kind == "agent":
            self._send_to_agent(job, ticket, kiosk, config)
        else:
            self._queue(config).submit(job, ticket, kiosk=kiosk)
        return True

    def close(self) -> None:
        """Finish queued jobs and stop every worker of this app."""
        self._closed = True
        with self._lock:
            queues, self._queues = list(self._queues.values()), {}
        for queue in queues:
            queue.close()
        self._render_worker.close()

    def start(self) -> None:
        """Watch the printers while the server runs (an app built and discarded, as in
        tests, starts no worker): every server-driven printer's queue starts now rather
        than with its first ticket, so its checks between tickets begin, and print agents
        are watched for being away."""
        for config in set(self.configs.values()):
            if config.kind != "agent":
                self._queue(config)
        allowed_s = {kiosk: config.check_every_s for kiosk, config in self.configs.items()
                     if config.kind == "agent" and config.check_every_s}
        if allowed_s:
            socketio.start_background_task(self._watch_agents, allowed_s)

    # --- server-driven printers ----------------------------------------------

    def _queue(self, config: PrinterConfig) -> PrinterQueue:
        with self._lock:
            queue = self._queues.get(config)
            if queue is None:
                kiosks = sorted(kiosk for kiosk, used in self.configs.items() if used == config)
                queue = PrinterQueue(config, self._publish, on_result=self._record,
                                     render=self._render_worker.render_jobs, kiosks=kiosks)
                self._queues[config] = queue
            return queue

    def _publish(self, event: Event) -> None:
        publish_and_notify(self.app, [event])

    def _record(self, job: str, ok: bool, error: str | None) -> None:
        """Write the outcome on the ticket (outside any request: a pooled connection)."""
        ticket_id = ticket_of_job(job)
        if ticket_id is None:
            return
        with self.app.extensions["layso.pool"].connection() as database:
            set_print_status(database, ticket_id, status="printed" if ok else "failed", error=error,
                             now=self.app.extensions["layso.clock"]())

    # --- print agents ---------------------------------------------------------

    def _watch_agents(self, allowed_s: dict[str, float]) -> None:
        """A kiosk whose agent has been away for its printer's ``check_every_s`` (the kiosk
        PC off, a cable, the agent never started) has its printer reported offline; the
        agent's ``print.status`` when it is back resolves it. A shorter absence (a LAN blip,
        the agent reconnecting) is not reported."""
        away_since: dict[str, float] = {}
        pause_s = min(1.0, min(allowed_s.values()) / 4)
        while not self._closed:
            socketio.sleep(pause_s)
            now = time.monotonic()
            for kiosk, allowed in allowed_s.items():
                if self._agent_connected(kiosk):
                    away_since.pop(kiosk, None)
                elif now - away_since.setdefault(kiosk, now) >= allowed:
                    self.agent_status(kiosk, ok=False, error="printer_offline")  # published once

    def _agent_connected(self, kiosk: str) -> bool:
        participants = socketio.server.manager.get_participants("/", kiosk_agent_room(kiosk))
        return next(iter(participants), None) is not None

    def _send_to_agent(self, job: str, ticket: TicketPrint, kiosk: str, config: PrinterConfig) -> None:
        payload = {"job": job, "kiosk": kiosk, "ticket": ticket_to_json(ticket), "paper_mm": config.paper_mm}
        with self._lock:
            self._agent_jobs[job] = AgentJob(kiosk, payload, time.monotonic())
        if not self._agent_connected(kiosk):
            self._agent_failed(job, "printer_offline")
            return
        socketio.emit(PRINT_JOB, payload, to=kiosk_agent_room(kiosk))
        socketio.start_background_task(self._await_answer, job, config.timeout_s * AGENT_ANSWER_FACTOR)

    def _await_answer(self, job: str, seconds: float) -> None:
        socketio.sleep(seconds)
        self._agent_failed(job, "printer_timeout")

    def _agent_failed(self, job: str, error: str) -> None:
        """No answer in time, or no agent: the kiosk shows the fallback; the job stays
        pending so a reconnecting agent still prints it (once)."""
        with self._lock:
            pending = self._agent_jobs.get(job)
            if pending is None or pending.answered:
                return
            pending.answered = True
            self._agent_failing.add(pending.kiosk)
        self._finish(job, pending.kiosk, pending.payload["ticket"]["number"], ok=False, error=error)

    def agent_ready(self, kiosk: str, *, sid: str) -> int:
        """An agent (re)connected: send it every recent unanswered job of its kiosk again.
        Returns how many were sent."""
        cutoff = time.monotonic() - AGENT_RESEND_WINDOW_S
        with self._lock:
            for job in [job for job, pending in self._agent_jobs.items() if pending.created < cutoff]:
                del self._agent_jobs[job]
            pending = [item.payload for item in self._agent_jobs.values() if item.kiosk == kiosk]
        for payload in pending:
            socketio.emit(PRINT_JOB, payload, to=sid)
        return len(pending)

    def agent_result(self, kiosk: str, job, ok, error) -> bool:
        """Record an agent's ``print.result``; False for a job it was never sent."""
        with self._lock:
            pending = self._agent_jobs.get(job) if isinstance(job, str) else None
            if pending is None or pending.kiosk != kiosk:
                return False
            del self._agent_jobs[job]
            was_failing = kiosk in self._agent_failing
            if ok is True:
                self._agent_failing.discard(kiosk)
            else:
                self._agent_failing.add(kiosk)
        error = None if ok is True else (error if error in MESSAGES else "printer_error")
        self._finish(job, kiosk, pending.payload["ticket"]["number"], ok=ok is True, error=error)
        if ok is True and was_failing:
            self._agent_printer_back(kiosk)
        return True

    def agent_status(self, kiosk: str, *, ok: bool, error=None, paper_low: bool | None = None) -> None:
        """An agent's ``print.status`` (sent on connecting, and when its printer's state
        changes between jobs), or the agent found away. Only a change is published."""
        with self._lock:
            was_failing = kiosk in self._agent_failing
            if ok:
                self._agent_failing.discard(kiosk)
            else:
                self._agent_failing.add(kiosk)
            paper_changed = paper_low is not None and paper_low != (kiosk in self._agent_paper_low)
            if paper_changed:
                self._agent_paper_low ^= {kiosk}
        if paper_changed:
            self._publish(paper_low_event(kiosk, low=paper_low))
        if ok and was_failing:
            self._agent_printer_back(kiosk)
        elif not ok and not was_failing:
            error = error if error in MESSAGES else "printer_error"
            self._publish(Event(KIOSK_ALERT, {"kiosk": kiosk, "job": None, "ticket_number": None, "error": error,
                                              "message": MESSAGES[error], "resolved": False},
                                (kiosk_room(kiosk), dashboard_room())))

    def _agent_printer_back(self, kiosk: str) -> None:
        self._publish(Event(KIOSK_ALERT, {"kiosk": kiosk, "error": None, "resolved": True,
                                          "message": RESOLVED_MESSAGE}, (kiosk_room(kiosk), dashboard_room())))

    def _finish(self, job: str, kiosk: str, number: str, *, ok: bool, error: str | None) -> None:
        # The same payloads as a PrinterQueue publishes, so screens need not know the path.
        rooms = (kiosk_room(kiosk), dashboard_room())
        if ok:
            event = Event(TICKET_PRINTED, {"job": job, "ticket_number": number, "kiosk": kiosk}, rooms)
        else:
            event = Event(KIOSK_ALERT, {"kiosk": kiosk, "job": job, "ticket_number": number, "error": error,
                                        "message": MESSAGES[error], "resolved": False}, rooms)
        self._record(job, ok, error)
        self._publish(event)


def start_printers(app, settings) -> KioskPrinters:
    """Build the app's kiosk printers from settings (no worker starts until a ticket prints
    or :meth:`KioskPrinters.start`)."""
    printers = KioskPrinters(app, printer_configs(settings.kiosks, base_dir=settings.instance_dir))
    app.extensions["kiosk.printers"] = printers
    return printers


def close_printers(app) -> None:
    """Stop the app's print workers (tests call it for each app they build)."""
    printers = app.extensions.get("kiosk.printers")
    if printers is not None:
        printers.close()
