"""The sync worker: sends the center's hub log to the province hub, behind the queue.

Like a print queue, a :class:`HubSync` owns one thread (a greenlet under gevent) and never
raises into the center: tickets are issued, called and rated whether the hub answers or
not, and what the hub has not acknowledged waits in ``hub_log`` (docs/hub-sync.md).

Each round reads the oldest events past the cursor (at most ``batch_max``; a smaller batch
waits for more until its oldest event is ``batch_ms`` old — a backlog goes at once), posts them, and moves the cursor only to what the hub
answers: ``200 {acked}`` (the highest seq it holds without a gap) or ``409 sequence_gap
{expected}`` (send from there). No answer, a 5xx or a refused token: nothing moves, and the
worker tries again later, waiting longer each time (0.5 s doubling to 15 s). A center
restored from a backup first asks the hub's cursor and reconciles
(:func:`layso.store.hub_log.reconcile`).
"""

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone

from layso.clock import iso
from layso.errors import WritesStopped
from layso.events import HUB_LINK, Event, dashboard_room
from layso.store.hub_log import oldest_pending_at, position, read_batch_body, reconcile, record_ack
from layso.sync import client

log = logging.getLogger(__name__)

IDLE_POLL_S = 1.0  # nothing to send: look again (commits in this process wake it at once)
NOT_SET_POLL_S = 5.0  # no hub configured: look again for an admin's change
REFUSED_WAIT_S = 60.0  # a refused token is an admin's to fix: do not hammer the hub
HEARTBEAT_S = 30.0  # nothing to send: an empty batch this often (the hub shows a center silent for 2 min offline)


@dataclass(frozen=True)
class LinkStatus:
    """What the center's staff are shown of the link to the province hub.

    ``state``: ``off`` (no hub set), ``connecting`` (not answered yet), ``ok`` (the last
    exchange was answered), ``offline`` (the hub does not answer), ``refused`` (the hub
    refused the token), ``rejected`` (the hub refused a batch)."""

    state: str = "off"
    since: str | None = None  # when this state began
    last_contact: str | None = None  # the hub's last answer
    acked: int = 0  # the hub holds every event up to here
    backlog: int = 0  # events waiting to be sent
    message: str = ""  # the last failure, as the hub or the network worded it

    def as_json(self) -> dict:
        return asdict(self)


class HubSync:
    """Sends ``hub_log`` to the hub named by ``link(db)`` (a :class:`layso.settings.HubLink`,
    read every round so an admin's change applies at once).

    ``connection()`` lends a database connection (the server's pool); ``publish(events)``
    hears ``hub.link`` when the state changes; ``clock()`` is the center's time.
    ``backoff_s`` is the first and the longest wait after a failure.
    """

    def __init__(self, connection, link: Callable, publish: Callable, *, clock: Callable,
                 backoff_s: tuple[float, float] = (0.5, 15.0), api=client):
        self._connection = connection
        self._link = link
        self._publish = publish
        self._clock = clock
        self._backoff_s = backoff_s
        self._api = api
        self._failures = 0
        self._last_exchange = float("-inf")  # monotonic time of the last answer
        self._status = LinkStatus()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="hub-sync", daemon=True)

    # --- the center's side -------------------------------------------------------

    def start(self) -> "HubSync":
        self._thread.start()
        return self

    def wake(self, _event=None) -> None:
        """Something was committed (an app listener): look for events now, not at the next poll."""
        self._wake.set()

    def status(self) -> LinkStatus:
        with self._lock:
            return self._status

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop after the exchange in progress (the unanswered batch is simply sent again later)."""
        self._closed = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    # --- the worker ----------------------------------------------------------------

    def _run(self) -> None:
        while not self._closed:
            try:
                pause = self._round()
            except WritesStopped:
                pause = self._backoff_s[1]  # the dashboard already says writes stopped
            except Exception:  # never let the link stop: the next round tries again
                log.exception("hub sync round failed")
                pause = self._failed("offline", "internal error")
            if pause > 0 and not self._closed:
                self._wake.wait(pause)
            self._wake.clear()

    def _round(self) -> float:
        """One exchange with the hub at most; returns how long to wait before the next."""
        with self._connection() as db:
            link = self._link(db)
            at = position(db)
        if not link.enabled:
            self._set(state="off", backlog=at.backlog, acked=at.acked, message="")
            return NOT_SET_POLL_S
        if at.restored_at_seq is not None:
            return self._reconcile(link)
        self._set(backlog=at.backlog, acked=at.acked)
        if at.backlog == 0:
            if self._status.state != "ok" or time.monotonic() - self._last_exchange >= HEARTBEAT_S:
                return self._heartbeat(link, at)  # the link's state is known (and the hub sees us) before there is news
            return IDLE_POLL_S
        if at.backlog < link.batch_max:  # a partial batch waits for company until its oldest event is batch_ms old
            with self._connection() as db:
                oldest = oldest_pending_at(db, after=at.acked)
            left = link.batch_ms / 1000 - (datetime.now(timezone.utc) - oldest).total_seconds() if oldest else 0
            if left > 0:
                return left
        with self._connection() as db:
            _count, body = read_batch_body(db, after=at.acked, limit=link.batch_max)
        answer = self._api.push(link.url, link.token, body)
        return self._heard(answer, at.acked, at.last)

    def _heard(self, answer, cursor: int, last: int) -> float:
        if answer.kind == "acked":
            moved_to = answer.acked
        elif answer.kind == "gap":
            moved_to = answer.expected - 1
        else:
            return self._failed(answer.kind, answer.message)
        if moved_to > last:  # the hub holds events we never logged: a restore, a replaced file
            log.warning("the hub holds seq %s, past our last %s: reconciling", moved_to, last)
            with self._connection() as db:
                moved_to = reconcile(db, moved_to, now=self._clock())
        elif moved_to != cursor:
            with self._connection() as db:
                record_ack(db, moved_to)
        self._contact()
        if moved_to == cursor:  # answered, but nothing moved: do not send the same batch in a loop
            log.warning("the hub answered %s at seq %s without moving on", answer.kind, cursor)
            return self._failed("rejected", answer.message or "the hub did not take the batch")
        self._failures = 0
        self._set(state="ok", acked=moved_to, backlog=max(0, last - moved_to), message="")
        return 0.0

    def _heartbeat(self, link, at) -> float:
        """Nothing to send: an empty batch, so the hub sees this center alive (docs/hub.md),
        and its answer tells whether it still holds what it acknowledged."""
        answer = self._api.push(link.url, link.token, client.HEARTBEAT)
        if answer.kind != "acked":
            return self._failed(answer.kind, answer.message)
        if answer.acked > at.last:  # the hub holds events we never logged: a restore, a replaced file
            with self._connection() as db:
                reconcile(db, answer.acked, now=self._clock())
        elif answer.acked != at.acked:  # the hub lost some (restored from a dump): send them again
            with self._connection() as db:
                record_ack(db, answer.acked)
        self._failures = 0
        self._contact()
        self._set(state="ok", message="")
        return 0.0 if answer.acked != at.acked else IDLE_POLL_S

    def _reconcile(self, link) -> float:
        """A restored center: learn the hub's cursor, then make the log follow it."""
        answer = self._api.cursor(link.url, link.token)
        if answer.kind != "acked":
            return self._failed(answer.kind, answer.message)
        with self._connection() as db:
            cursor = reconcile(db, answer.acked, now=self._clock())
            at = position(db)
        log.info("restored center reconciled with the hub: sending from seq %s", cursor + 1)
        self._failures = 0
        self._contact()
        self._set(state="ok", acked=at.acked, backlog=at.backlog, message="")
        return 0.0

    def _failed(self, kind: str, message: str) -> float:
        state = {"refused": "refused", "rejected": "rejected"}.get(kind, "offline")
        self._set(state=state, message=message)
        if state == "refused":
            return REFUSED_WAIT_S
        first, longest = self._backoff_s
        wait = min(longest, first * 2 ** min(self._failures, 16))
        self._failures += 1
        return wait * random.uniform(0.8, 1.2)  # a hundred centers back online do not knock at once

    def _contact(self) -> None:
        self._last_exchange = time.monotonic()
        with self._lock:
            self._status = replace(self._status, last_contact=iso(self._clock()))

    def _set(self, **changes) -> None:
        with self._lock:
            before = self._status
            if "state" in changes and changes["state"] != before.state:
                changes["since"] = iso(self._clock())
            self._status = after = replace(before, **changes)
        if after.state != before.state:
            if after.state in ("offline", "refused", "rejected"):
                log.warning("hub link %s: %s", after.state, after.message)
            self._publish([Event(HUB_LINK, after.as_json(), (dashboard_room(),))])
