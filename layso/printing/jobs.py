"""One print queue per printer: tickets are issued at once and printed behind.

A :class:`PrinterQueue` owns two worker threads (greenlets under gevent's
monkey-patching), one rendering and encoding, one sending, jobs in the order submitted,
then publishes the outcome as ``ticket.printed`` or ``kiosk.alert``. It never
raises into the caller and its workers survive every printer failure. Rendering
is in-process unless the queue is given another ``render`` (the server passes its
render worker process: see :mod:`layso.printing.worker`).
"""

import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from layso.events import KIOSK_ALERT, PRINTER_PAPER_LOW, TICKET_PRINTED, Event, dashboard_room, kiosk_room
from layso.printing.printers import PrinterConfig, PrinterError, probe, send_job, worth_checking_idle
from layso.printing.render import TicketPrint
from layso.printing.worker import render_jobs

log = logging.getLogger(__name__)

RENDER_AHEAD = 4  # jobs rendered in one batch, and ahead of the printer (~60 KB each)
REMEMBERED_JOBS = 10_000  # printed job ids kept to refuse a second print (a few days' tickets)
RESOLVED_MESSAGE = "Máy in đã hoạt động trở lại."
PAPER_LOW_MESSAGE = "Máy in sắp hết giấy. Xin thay cuộn giấy mới."
PAPER_REPLACED_MESSAGE = "Máy in đã có cuộn giấy mới."
_STOP = object()


def paper_low_event(kiosk: str, *, low: bool) -> Event:
    """``printer.paper_low``: the kiosk's roll is near its end, or (``low`` false) replaced."""
    return Event(PRINTER_PAPER_LOW, {"kiosk": kiosk, "low": low,
                                     "message": PAPER_LOW_MESSAGE if low else PAPER_REPLACED_MESSAGE},
                 (dashboard_room(),))


class PrinterQueue:
    """Prints tickets on one printer, one job after another, in submission order.

    ``publish(event)`` hears every outcome; ``on_result(job_id, ok, error)`` (optional)
    lets the web layer record it on the ticket. ``render(tickets, width_px=, profile=)``
    makes the jobs' bytes, one result (bytes or error) per ticket (default
    :func:`render_jobs`, in this process). While the printer is out of order
    the sender probes it every ``probe_interval_s`` and a job or a probe that
    succeeds announces it is back (``kiosk.alert`` with ``resolved: true``).
    While it is idle and working, it is checked every ``config.check_every_s``, so
    that paper running out or a printer switched off is reported to ``kiosks`` (those
    it prints for) before a citizen takes a ticket there. A paper sensor reporting the
    roll near its end, and later a new roll, is published as ``printer.paper_low``.
    """

    def __init__(
        self,
        config: PrinterConfig,
        publish: Callable[[Event], None],
        *,
        on_result: Callable[[str, bool, str | None], None] | None = None,
        probe_interval_s: float = 15.0,
        render: Callable[..., list] = render_jobs,
        kiosks: Iterable[str] = (),
    ):
        if config.kind == "agent":
            raise ValueError("an agent printer is driven by the print agent, not a PrinterQueue")
        self.config = config
        self._publish = publish
        self._on_result = on_result
        self._render = render
        self._probe_interval_s = probe_interval_s
        self._kiosks = tuple(kiosks)
        self._jobs: queue.Queue = queue.Queue()  # submitted, to render
        self._rendered: queue.Queue = queue.Queue(RENDER_AHEAD)  # (job, ticket, kiosk, bytes or error), to send
        self._lock = threading.Lock()
        self._pending: set[str] = set()  # queued or printing
        self._printed: OrderedDict[str, None] = OrderedDict()
        self._alerted_kiosks: set[str] = set()  # told the printer is out of order
        self._printer_ok = True
        self._paper_low = False  # the paper sensor's last answer was "low"
        self._ask_status = True  # False once the printer showed it never answers
        self._closed = False
        # Two stages, so the next ticket renders while this one goes to the printer.
        self._renderer = threading.Thread(target=self._render_jobs, name=f"printer-{config.kind}-render", daemon=True)
        self._sender = threading.Thread(target=self._send_jobs, name=f"printer-{config.kind}", daemon=True)
        self._renderer.start()
        self._sender.start()

    @property
    def printer_ok(self) -> bool:
        """False from a failed job until a job or a probe succeeds."""
        return self._printer_ok

    @property
    def paper_low(self) -> bool:
        """Whether the paper sensor's last answer was "low" (roll near its end)."""
        return self._paper_low

    def submit(self, job_id: str, ticket: TicketPrint, *, kiosk: str) -> None:
        """Queue a ticket and return at once.

        A job id already queued or printed is ignored, so a resubmitted job never
        prints twice; a job that failed may be submitted again (a reprint).
        """
        with self._lock:
            if self._closed or job_id in self._pending or job_id in self._printed:
                log.info("print job %s ignored: closed, queued or already printed", job_id)
                return
            self._pending.add(job_id)
        self._jobs.put((job_id, ticket, kiosk))

    def close(self, timeout_s: float = 10.0) -> None:
        """Stop taking jobs, finish those queued (within ``timeout_s``) and stop the workers."""
        with self._lock:
            self._closed = True
        self._jobs.put(_STOP)
        deadline = time.monotonic() + timeout_s
        self._renderer.join(timeout_s)
        self._sender.join(max(0.0, deadline - time.monotonic()))

    # --- worker ----------------------------------------------------------------

    def _render_jobs(self) -> None:
        while True:
            batch = [self._jobs.get()]
            while batch[-1] is not _STOP and len(batch) < RENDER_AHEAD:  # every job queued now
                try:
                    batch.append(self._jobs.get_nowait())
                except queue.Empty:
                    break
            stop = batch[-1] is _STOP
            jobs = batch[:-1] if stop else batch
            if jobs:
                self._render_batch(jobs)
            if stop:
                self._rendered.put(_STOP)
                return

    def _render_batch(self, jobs: list[tuple]) -> None:
        tickets = [ticket for _job_id, ticket, _kiosk in jobs]
        try:
            results = self._render(tickets, width_px=self.config.width_px, profile=self.config.escpos_profile)
        except Exception as error:  # a bug must not stop every later ticket from printing
            log.exception("rendering print jobs failed")
            results = [error] * len(jobs)
        for (job_id, ticket, kiosk), result in zip(jobs, results):
            if isinstance(result, Exception) and not isinstance(result, PrinterError):
                log.error("print job %s could not be drawn", job_id, exc_info=result)
                result = PrinterError("printer_error", str(result))
            self._rendered.put((job_id, ticket, kiosk, result))

    def _send_jobs(self) -> None:
        while True:
            try:
                item = self._rendered.get(timeout=self._wait_s())
            except queue.Empty:
                if self._printer_ok:
                    self._check_idle()
                else:
                    self._probe()
                continue
            if item is _STOP:
                return
            try:
                self._print(*item)
            except Exception:  # a bug must not stop every later ticket from printing
                log.exception("print job %s failed unexpectedly", item[0])
                self._finish(item[0], item[2], item[1], PrinterError("printer_error"))

    def _print(self, job_id: str, ticket: TicketPrint, kiosk: str, data: bytes | PrinterError) -> None:
        if isinstance(data, PrinterError):  # not rendered: the printer was never asked
            self._finish(job_id, kiosk, ticket, data)
            return
        try:
            paper = send_job(self.config, data, ask_status=self._ask_status)
        except PrinterError as error:
            self._ask_status = True  # ask again: the status may tell what went wrong
            self._finish(job_id, kiosk, ticket, error)
            return
        if paper == "silent":
            self._ask_status = False  # it never answers: stop waiting for it on every job
        self._finish(job_id, kiosk, ticket, None)
        self._note_paper(paper, kiosk)

    def _finish(self, job_id: str, kiosk: str, ticket: TicketPrint, error: PrinterError | None) -> None:
        with self._lock:
            self._pending.discard(job_id)
            if error is None:
                self._printed[job_id] = None
                while len(self._printed) > REMEMBERED_JOBS:
                    self._printed.popitem(last=False)
        if error is None:
            self._emit(Event(TICKET_PRINTED, {"job": job_id, "ticket_number": ticket.number, "kiosk": kiosk},
                             (kiosk_room(kiosk), dashboard_room())))
            self._mark_ok()
        else:
            log.warning("print job %s for kiosk %s failed: %s", job_id, kiosk, error)
            self._out_of_order(kiosk, error, job_id=job_id, ticket_number=ticket.number)
        if self._on_result is not None:
            try:
                self._on_result(job_id, error is None, None if error is None else error.code)
            except Exception:  # the caller's bug must not stop the printer
                log.exception("on_result failed for print job %s", job_id)

    def _wait_s(self) -> float | None:
        """How long the sender waits for a job before it checks the printer (None: forever)."""
        if not self._printer_ok:  # a printer checked more often while idle is probed as often
            return min(self._probe_interval_s, self.config.check_every_s or self._probe_interval_s)
        checked = self.config.check_every_s and self._kiosks and worth_checking_idle(self.config)
        return self.config.check_every_s if checked else None

    def _check_idle(self) -> None:
        error, paper = self._ask(silence_ok=True)
        if error is not None:
            log.warning("idle printer out of order: %s", error)
            for kiosk in self._kiosks:
                self._out_of_order(kiosk, error)
        self._note_paper(paper)

    def _out_of_order(self, kiosk: str, error: PrinterError, *, job_id=None, ticket_number=None) -> None:
        """``kiosk.alert``: the printer failed a job, or (no job) its idle check."""
        self._printer_ok = False
        self._alerted_kiosks.add(kiosk)
        self._emit(Event(KIOSK_ALERT, {
            "kiosk": kiosk, "job": job_id, "ticket_number": ticket_number,
            "error": error.code, "message": error.message, "resolved": False,
        }, (kiosk_room(kiosk), dashboard_room())))

    def _probe(self) -> None:
        error, paper = self._ask(silence_ok=False)
        if error is not None:
            log.info("printer still out of order: %s", error)
            return
        self._mark_ok()
        self._note_paper(paper)

    def _ask(self, *, silence_ok: bool) -> tuple[PrinterError | None, str | None]:
        """What a check of the printer finds: (the error, None) or (None, its paper status)."""
        try:
            return None, probe(self.config, silence_ok=silence_ok)
        except PrinterError as error:
            return error, None
        except Exception as error:  # a driver's surprise must not stop the sender
            log.exception("checking the printer failed")
            return PrinterError("printer_error", str(error)), None

    def _note_paper(self, paper: str | None, kiosk: str | None = None) -> None:
        """``printer.paper_low`` when the paper sensor's answer turns from "ok" to "low" (a
        roll near its end) or back (a new roll): staff replace it before it runs out."""
        if paper not in ("ok", "low") or (paper == "low") == self._paper_low:
            return
        self._paper_low = paper == "low"
        for told in self._kiosks or (kiosk,):
            self._emit(paper_low_event(told, low=self._paper_low))

    def _mark_ok(self) -> None:
        if self._printer_ok:
            return
        self._printer_ok = True
        kiosks, self._alerted_kiosks = self._alerted_kiosks, set()
        for kiosk in sorted(kiosks):
            self._emit(Event(KIOSK_ALERT, {
                "kiosk": kiosk, "error": None, "resolved": True, "message": RESOLVED_MESSAGE,
            }, (kiosk_room(kiosk), dashboard_room())))

    def _emit(self, event: Event) -> None:
        try:
            self._publish(event)
        except Exception:  # a broken publisher must not stop the printer
            log.exception("publishing %s failed", event.name)
