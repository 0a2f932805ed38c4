"""The sender: takes notices from the outbox and tries them on their channel, off the
request path.

A few loops (``[notify] concurrency``) each claim one due notice, try it with a timeout
holding no database connection, then record how it went. A gateway that hangs or is down
ties up only these loops: issuing and calling write their notice to the outbox and
return. Network errors and 5xx are tried again after an exponential backoff with jitter,
capped (``max_backoff_s``, default 10 s, so a short outage costs seconds); a refusal (4xx)
is not. After ``give_up_s`` the notice is ``failed``. A ZNS notice that cannot be
delivered goes by SMS when the center has an SMS gateway (``zns.fallback_sms``).

Nothing is sent twice by us: a notice is claimed for a lease longer than a try can last,
its stable id travels with every try (the gateway recognises a retry after an ambiguous
timeout by it), and once recorded ``sent`` it is never claimed again. A server that
restarts finds the pending notices in the outbox and carries on.
"""

import json
import logging
import random
import threading
import time
from typing import Callable

from layso.clock import iso
from layso.errors import WritesStopped
from layso.notify import gateways
from layso.notify.config import NotifyConfig, effective
from layso.notify.texts import with_base
from layso.store.center import get_setting
from layso.store.notices import claim_due, next_due_ts, record_failed, record_retry, record_sent, resume_after_restart

log = logging.getLogger(__name__)

FIRST_BACKOFF_S = 0.5
# A claimed notice is not claimed again for this long: longer than any try (timeout_s is at
# most 120 s, and a try is a connect and a read). A restart does not wait for it
# (resume_after_restart).
LEASE_S = 3 * 120 + 10
IDLE_POLL_S = 1.0  # an idle loop looks at the outbox this often (and at once when woken)


def backoff_s(attempts: int, *, cap_s: float, rng: Callable[[], float] = random.random) -> float:
    """Seconds before try ``attempts + 1``: 0.5 s doubling each try, at most ``cap_s``,
    then jittered to between half and all of it, so the notices of one outage do not
    all come back at the same instant."""
    delay = min(cap_s, FIRST_BACKOFF_S * 2 ** min(max(0, attempts - 1), 32))  # 2**32 × 0.5 s passes any cap
    return delay * (0.5 + 0.5 * rng())


def notify_config(db, env: dict) -> NotifyConfig:
    return effective(get_setting(db, "notify"), env)


def channel_for(row: dict, config: NotifyConfig) -> str:
    """The channel a notice keeps once tried (a fall-back moves it to SMS); a one-time code
    goes by SMS when the center sends by ZNS and has an SMS gateway."""
    if row["channel"]:
        return row["channel"]
    if row["kind"] == "otp" and config.channel == "zns" and config.sms["url"]:
        return "sms"
    return config.channel


def try_one(pool, *, env: dict, clock, now_ts: Callable[[], float] = time.time, public_url: str = "") -> bool:
    """Claim one due notice, try it, record the outcome; False when nothing was due.
    ``public_url``: the server's address, for the status links in notices."""
    with pool.connection() as db:
        row = claim_due(db, now_ts=now_ts(), lease_s=LEASE_S)  # a read when nothing is due: the idle loops' cost
        if row is None:
            return False
        config = notify_config(db, env)
    channel = channel_for(row, config)
    data = {key: with_base(value, public_url) if isinstance(value, str) else value
            for key, value in json.loads(row["data"]).items()}
    notice = gateways.Notice(uid=row["uid"], kind=row["kind"], phone=row["phone"],
                             text=with_base(row["text"], public_url), data=data)
    attempt = gateways.send(channel, notice, config)
    with pool.connection() as db:
        _record(db, row, channel, attempt, config, clock=clock, now=now_ts())
    return True


def _record(db, row: dict, channel: str, attempt: gateways.Attempt, config: NotifyConfig, *, clock, now: float):
    number = f"notice {row['uid']} ({row['kind']}, try {row['attempts']}, {channel})"
    if attempt.outcome == gateways.SENT:
        record_sent(db, row["id"], channel=channel, sent_at=iso(clock()))
        return
    falls_back = channel == "zns" and config.zns["fallback_sms"] and config.sms["url"]
    gave_up = attempt.outcome == gateways.REFUSED or now >= row["give_up_ts"]
    if gave_up and falls_back:
        log.warning("%s: %s; sending it by SMS instead", number, attempt.detail)
        record_retry(db, row["id"], channel="sms", error=f"zns: {attempt.detail}", next_try_ts=now,
                     give_up_ts=now + config["give_up_s"])
    elif gave_up:
        log.warning("%s failed: %s", number, attempt.detail)
        record_failed(db, row["id"], channel=channel, error=attempt.detail)
    else:
        delay = backoff_s(row["attempts"], cap_s=config["max_backoff_s"])
        log.info("%s: %s; next try in %.1f s", number, attempt.detail, delay)
        record_retry(db, row["id"], channel=channel, error=attempt.detail, next_try_ts=min(now + delay,
                                                                                              row["give_up_ts"]))


class Sender:
    """The loops that empty the outbox while the server runs. ``start_task`` starts a
    function in the background (socketio.start_background_task: a greenlet under gevent,
    a thread otherwise); ``clock`` is the center's clock, for the time a notice was sent;
    ``public_url`` the server's address for status links ([center] public_url)."""

    def __init__(self, pool, *, env: dict, clock, start_task: Callable, now_ts: Callable[[], float] = time.time,
                 public_url: str = ""):
        self.pool = pool
        self.public_url = public_url
        self.env = env
        self.clock = clock
        self.now_ts = now_ts
        self._start_task = start_task
        # One loop is woken per wake(): a call that wrote a notice needs one loop to send it,
        # not every loop querying the outbox at once (a loop that misses a wake polls anyway).
        self._wake = threading.Condition()
        self._stopped = False

    def start(self) -> None:
        with self.pool.connection() as db:
            loops = notify_config(db, self.env)["concurrency"]
            resumed = resume_after_restart(db, now_ts=self.now_ts())
        if resumed:
            log.info("%d notices tried before the restart are tried again now", resumed)
        for _ in range(loops):
            self._start_task(self._loop)

    def wake(self) -> None:
        """Something may have been written to the outbox: one idle loop looks now, not at its next poll."""
        with self._wake:
            self._wake.notify()

    def stop(self) -> None:
        self._stopped = True
        with self._wake:
            self._wake.notify_all()

    def _loop(self) -> None:
        while not self._stopped:
            try:
                if try_one(self.pool, env=self.env, clock=self.clock, now_ts=self.now_ts, public_url=self.public_url):
                    self.wake()  # there may be more: another idle loop looks, so a burst fans out loop by loop
                    continue
            except WritesStopped:  # the dashboard says so; nothing can be recorded until a restart
                log.warning("notices wait: writes are stopped")
            except Exception:  # a bug in one try must not stop the sender; the lease brings the notice back
                log.exception("sending a notice failed")
            self._idle()

    def _idle(self) -> None:
        try:
            with self.pool.connection() as db:
                due = next_due_ts(db)
        except Exception:  # the outbox could not be read: look again after the poll
            log.exception("reading the outbox failed")
            due = None
        # never 0: a notice another loop has just claimed must not make this one spin
        wait = IDLE_POLL_S if due is None else min(IDLE_POLL_S, max(0.01, due - self.now_ts()))
        with self._wake:
            if not self._stopped:
                self._wake.wait(wait)
