"""``GET /metrics``: the server's figures in Prometheus' text format, every name ``layso_``.

For the center's monitoring (docs/operations.md: a scrape config and the alerts to set).
Answered only to the addresses ``[server] metrics_allow`` lists (default: this machine);
anyone else gets 403. A scrape reads a handful of small rows (waiting counts, counters,
today's tickets by status) and never writes.

Counters that move with the work (requests, tickets issued, called, finished) count from
the server's start, as Prometheus expects; gauges (waiting, counters by status, sockets,
printers, database size) are read at each scrape. Each app has its own registry, so the
many apps a test run builds never share a figure."""

import ipaddress
import os
import time
from collections import OrderedDict

from flask import Blueprint, Response, current_app, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, disable_created_metrics,
                               generate_latest)
from prometheus_client.core import GaugeMetricFamily, SummaryMetricFamily

from layso import clock
from layso.errors import Forbidden
from layso.events import ANNOUNCEMENT_READY, TICKET_CALLED, TICKET_FINISHED, TICKET_ISSUED, TICKET_RECALLED
from layso.web.context import db, now, settings
from layso.web.realtime import add_listener, sockets_by_role

bp = Blueprint("metrics", __name__)
EXTENSION = "layso.metrics"
TICKET_STATUSES = ("waiting", "called", "held", "finished", "no_show", "expired", "cancelled")
COUNTER_STATUSES = ("serving", "idle", "paused", "closed")
# Seconds; a request is a few milliseconds, a backup upload or a report of a year takes seconds.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
ANNOUNCEMENT_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0)
disable_created_metrics()  # no "_created" twin of every counter: nothing here reads them
PENDING_CALLS = 1000  # calls awaiting their announcement, remembered at most (the oldest are forgotten)


class Metrics:
    """One app's registry: the counters the requests and events move, and a collector
    that reads the rest when Prometheus asks."""

    def __init__(self, app):
        self.app = app
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("layso_http_requests", "HTTP requests answered, by route and status",
                                ["endpoint", "method", "status"], registry=self.registry)
        self.latency = Histogram("layso_http_request_duration_seconds", "Time to answer an HTTP request, by route",
                                 ["endpoint"], buckets=REQUEST_BUCKETS, registry=self.registry)
        self.issued = Counter("layso_tickets_issued", "Tickets issued, by service", ["service"], registry=self.registry)
        self.called = Counter("layso_tickets_called", "Calls of tickets to counters (recalls not counted), by service",
                              ["service"], registry=self.registry)
        self.finished = Counter("layso_tickets_finished", "Tickets served to the end, by service", ["service"],
                                registry=self.registry)
        self.announcement = Histogram("layso_announcement_latency_seconds",
                                      "From a call to its announcement ready for the displays",
                                      buckets=ANNOUNCEMENT_BUCKETS, registry=self.registry)
        self._calls: OrderedDict = OrderedDict()  # (ticket id, counter) → when it was called (monotonic)
        self.registry.register(_Gauges(app))

    def count_event(self, event) -> None:
        """An event published after a commit (an app listener)."""
        ticket = event.data.get("ticket") if isinstance(event.data, dict) else None
        if not isinstance(ticket, dict):
            return
        service = str(ticket.get("service"))
        key = (ticket.get("id"), event.data.get("counter"))
        if event.name == TICKET_ISSUED:
            self.issued.labels(service).inc()
        elif event.name == TICKET_FINISHED:
            self.finished.labels(service).inc()
        elif event.name in (TICKET_CALLED, TICKET_RECALLED):
            if event.name == TICKET_CALLED:
                self.called.labels(service).inc()
            self._calls[key] = time.monotonic()
            while len(self._calls) > PENDING_CALLS:
                self._calls.popitem(last=False)
        elif event.name == ANNOUNCEMENT_READY:
            called_at = self._calls.pop(key, None)
            if called_at is not None:
                self.announcement.observe(time.monotonic() - called_at)


class _Gauges:
    """What is true now, read at each scrape from the database and the running server."""

    def __init__(self, app):
        self.app = app

    def describe(self):
        return []  # read only when scraped: describing must not touch the database

    def collect(self):
        database, today = db(), clock.local_day(now())
        waiting = GaugeMetricFamily("layso_waiting", "Tickets waiting now, by service", labels=["service"])
        for row in database.query(
                "SELECT s.code AS service, COALESCE(SUM(w.waiting), 0) AS waiting FROM services s "
                "LEFT JOIN waiting_counts w ON w.service = s.code AND w.day = ? GROUP BY s.code ORDER BY s.code",
                [today]):
            waiting.add_metric([row["service"]], row["waiting"])
        yield waiting
        tickets = GaugeMetricFamily("layso_tickets", "Today's tickets, by status", labels=["status"])
        found = {row["status"]: row["count"] for row in database.query(
            "SELECT status, COUNT(*) AS count FROM tickets WHERE day = ? GROUP BY status", [today])}
        for status in TICKET_STATUSES:
            tickets.add_metric([status], found.get(status, 0))
        yield tickets
        counters = GaugeMetricFamily("layso_counters", "Counters (quầy) in use, by status", labels=["status"])
        found = {row["status"]: row["count"] for row in database.query(
            "SELECT status, COUNT(*) AS count FROM counters WHERE active = 1 GROUP BY status")}
        for status in COUNTER_STATUSES:
            counters.add_metric([status], found.get(status, 0))
        yield counters
        sockets = GaugeMetricFamily("layso_sockets", "Open Socket.IO connections, by role", labels=["role"])
        for role, count in sorted(sockets_by_role().items()):
            sockets.add_metric([role], count)
        yield sockets
        yield from self._printers()
        yield from self._outbox(database)
        yield from self._store()

    def _outbox(self, database):
        """Notices (SMS/Zalo) not sent yet, and how long the oldest has waited (real time)."""
        pending, oldest = database.execute(
            "SELECT COUNT(*), MIN(created_ts) FROM notices WHERE status = 'pending'").fetchone()
        yield GaugeMetricFamily("layso_outbox_pending", "Notices to citizens not sent yet", value=pending)
        yield GaugeMetricFamily("layso_outbox_lag_seconds", "How long the oldest unsent notice has waited (0: none)",
                                value=max(0.0, time.time() - oldest) if oldest is not None else 0.0)

    def _printers(self):
        printers = self.app.extensions.get("kiosk.printers")
        states = printers.printer_states() if printers is not None else {}
        ok = GaugeMetricFamily("layso_printer_ok", "1 while the kiosk's printer prints, 0 while out of order",
                               labels=["kiosk"])
        paper_low = GaugeMetricFamily("layso_printer_paper_low", "1 while the kiosk's paper roll is near its end",
                                      labels=["kiosk"])
        for kiosk, (printing, low) in sorted(states.items()):
            ok.add_metric([kiosk], int(printing))
            paper_low.add_metric([kiosk], int(low))
        yield ok
        yield paper_low

    def _store(self):
        sync = self.app.extensions["layso.pool"].wal_sync
        yield SummaryMetricFamily("layso_fsync_seconds", "fsyncs of the database's WAL and the time they took",
                                  count_value=sync.fsyncs, sum_value=sync.fsync_seconds)
        yield GaugeMetricFamily("layso_writes_stopped", "1 after a failed fsync: no writes until a restart",
                                value=int(sync.failure is not None))
        path = str(settings().db_path)
        size = sum(os.path.getsize(name) for name in (path, path + "-wal") if os.path.exists(name))
        yield GaugeMetricFamily("layso_database_bytes", "Size of the database file and its WAL", value=size)


def install_metrics(app) -> Metrics:
    """Count every request and every published event of ``app``; serve ``GET /metrics``."""
    metrics = app.extensions[EXTENSION] = Metrics(app)
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)  # first: time the other hooks too
    app.after_request(_count_request)
    add_listener(app, metrics.count_event)
    app.register_blueprint(bp)
    return metrics


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _count_request(response):
    started = g.get("request_started")
    if started is not None:
        metrics = current_app.extensions[EXTENSION]
        endpoint = request.url_rule.rule if request.url_rule is not None else "(no route)"
        metrics.requests.labels(endpoint, request.method, str(response.status_code)).inc()
        metrics.latency.labels(endpoint).observe(time.perf_counter() - started)
    return response


def allowed(address: str | None, networks) -> bool:
    """Whether a client at ``address`` may read /metrics."""
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if client.version == 6 and client.ipv4_mapped is not None:
        client = client.ipv4_mapped
    return any(client in network for network in networks)


@bp.get("/metrics")
def metrics():
    if not allowed(request.remote_addr, settings().metrics_allow):
        raise Forbidden("Chỉ các địa chỉ được phép mới đọc được số liệu giám sát.",
                        message_en="Metrics are only answered to the addresses allowed in [server] metrics_allow.")
    body = generate_latest(current_app.extensions[EXTENSION].registry)
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
