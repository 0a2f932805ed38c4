"""The render worker: a process that draws tickets and encodes them to ESC/POS bytes.

Drawing and encoding a ticket is ~6 ms of CPU (Pillow and the pure-Python ``qrcode``).
In production the server is one gevent process: done there, every ticket would hold
the hub — and every client of the center — for those 6 ms, on one core while the
other idles. gevent's thread pool does not help (measured: the same 45–53 printed
tickets/s as on the hub), since ``qrcode`` never releases the GIL and Pillow only
partly. So a server keeps one long-lived worker process, spoken to over its
stdin/stdout:

- once ready (imports and fonts loaded) the worker writes one byte, ``R``;
- request: 4-byte big-endian length, then JSON ``{"ticket", "width_px", "profile"}``
  (the ticket as :func:`~layso.printing.render.ticket_to_json` writes it);
- answer: 1 status byte (0: the job's ESC/POS bytes follow, 1: an error message in
  UTF-8 follows), a 4-byte big-endian length, then the body.

``python -m layso.printing.worker`` runs the worker; :class:`RenderWorker` is the
server's side: it starts the process on the first ticket, starts a new one when it
died or hung, and closes it with the print queues. Tickets go in batches (those
queued at the moment), so the worker never idles while the hub is busy elsewhere.
"""

import contextlib
import fcntl
import json
import logging
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from layso.printing.escpos_bytes import ticket_bytes
from layso.printing.printers import PrinterError
from layso.printing.render import (
    TicketPrint,
    font_path,
    render_ticket,
    ticket_from_json,
    ticket_to_json,
)

log = logging.getLogger(__name__)

RENDER_TIMEOUT_S = 10.0  # a ticket takes milliseconds; this long means the worker is stuck
START_TIMEOUT_S = 60.0  # imports and fonts, on a busy machine
READY = b"R"  # the worker's first byte: it can draw
ANSWER_PIPE_BYTES = 1 << 20  # Linux's default pipe-max-size
_REQUEST = struct.Struct(">I")
_ANSWER = struct.Struct(">BI")
OK, FAILED = 0, 1
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding layso/


def job_bytes(ticket: TicketPrint, *, width_px: int, profile: str) -> bytes:
    """The whole ESC/POS job for a ticket: drawn ``width_px`` wide, framed for ``profile``.

    Raises what :func:`render_ticket` and :func:`ticket_bytes` raise.
    """
    return ticket_bytes(render_ticket(ticket, width_px=width_px), profile=profile)


def render_jobs(tickets: list[TicketPrint], *, width_px: int, profile: str) -> list[bytes | Exception]:
    """:func:`job_bytes` for each ticket, in this process: one result per ticket, in
    order, its bytes or the error that kept it from being drawn."""
    results: list[bytes | Exception] = []
    for ticket in tickets:
        try:
            results.append(job_bytes(ticket, width_px=width_px, profile=profile))
        except Exception as error:  # handed back: the print queue fails that one job
            results.append(error)
    return results


class RenderFailed(RuntimeError):
    """The worker could not draw a ticket (a bug or a bad ticket); it keeps running."""


class RenderWorker:
    """The server's render worker process; :meth:`render_jobs` sends it tickets.

    Safe to share between print queues (batches take turns). Under gevent's
    monkey-patching ``subprocess`` is gevent's and ``select`` is cooperative, so
    waiting for the answers lets the hub serve other clients.
    """

    def __init__(self, *, timeout_s: float = RENDER_TIMEOUT_S):
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._closed = False

    @property
    def pid(self) -> int | None:
        """The worker's process id, None before the first ticket and after close()."""
        process = self._process
        return process.pid if process is not None else None

    def render_jobs(self, tickets: list[TicketPrint], *, width_px: int, profile: str) -> list[bytes | Exception]:
        """:func:`render_jobs` done by the worker process, which it starts if needed.

        Every request goes out before the first answer is read, so the worker draws
        the next ticket while this side waits for its turn on the hub. A ticket the
        worker could not draw gets RenderFailed. When the worker dies, hangs past
        ``timeout_s`` (it is then killed) or was closed, every ticket not yet answered
        gets PrinterError("printer_error"); the next call starts a new worker.
        """
        requests = b"".join(_request(ticket, width_px, profile) for ticket in tickets)
        results: list[bytes | Exception] = []
        with self._lock:
            if self._closed:
                error = PrinterError("printer_error", "the render worker is closed")
                return [error] * len(tickets)
            if self._process is not None and not _idle_and_alive(self._process):
                log.error("render worker %s exited; starting a new one", self._process.pid)
                self._stop(self._process, kill=True)
            try:
                process = self._process or self._start()
                process.stdin.write(requests)  # a few KB: fits the pipe, so this never waits on the worker
                process.stdin.flush()
                deadline = time.monotonic() + self._timeout_s * len(tickets)
                while len(results) < len(tickets):
                    status, length = _ANSWER.unpack(_read(process, _ANSWER.size, deadline))
                    body = _read(process, length, deadline)
                    results.append(body if status == OK else RenderFailed(body.decode("utf-8", "replace")))
            except (OSError, EOFError) as error:  # died (broken pipe, end of output) or hung
                log.error("render worker failed (%s); a new one starts with the next ticket", error)
                if self._process is not None:
                    self._stop(self._process, kill=True)
                failure = PrinterError("printer_error", f"render worker: {error}")
                results += [failure] * (len(tickets) - len(results))
        return results

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the worker (it exits when its input closes); no render after this."""
        with self._lock:
            self._closed = True
            if self._process is not None:
                self._stop(self._process, kill=False, timeout_s=timeout_s)

    def _start(self) -> subprocess.Popen:
        """A new worker, once it has said it is ready. Raises OSError, EOFError or
        TimeoutError (after START_TIMEOUT_S) when it cannot start."""
        # PYTHONPATH: the worker imports this very package, wherever the server runs from.
        path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
        self._process = process = subprocess.Popen(
            [sys.executable, "-m", "layso.printing.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path}, close_fds=True,
        )
        # Room for a whole batch of answers (~60 KB each; a pipe holds 64 KB by default),
        # so the worker goes on drawing while this side waits for the hub.
        with contextlib.suppress(OSError):  # over the system's limit: just less overlap
            fcntl.fcntl(process.stdout.fileno(), fcntl.F_SETPIPE_SZ, ANSWER_PIPE_BYTES)
        # Starting (imports, fonts) takes far longer than a ticket: not part of its deadline.
        if _read(process, len(READY), time.monotonic() + START_TIMEOUT_S) != READY:
            raise EOFError("the render worker did not start")
        log.info("render worker %s started", process.pid)
        return process

    def _stop(self, process: subprocess.Popen, *, kill: bool, timeout_s: float = 5.0) -> None:
        if kill:
            process.kill()
        with contextlib.suppress(OSError):  # a broken pipe: the worker is gone either way
            process.stdin.close()
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        if process is self._process:
            self._process = None


def _idle_and_alive(process: subprocess.Popen) -> bool:
    # An idle worker has nothing to say: output to read means it closed its end (exited),
    # which shows before gevent's child watcher gets to reap it and poll() can tell.
    return process.poll() is None and not select.select([process.stdout.fileno()], [], [], 0)[0]


def _request(ticket: TicketPrint, width_px: int, profile: str) -> bytes:
    body = json.dumps({"ticket": ticket_to_json(ticket), "width_px": width_px, "profile": profile}).encode()
    return _REQUEST.pack(len(body)) + body


def _read(process: subprocess.Popen, size: int, deadline: float) -> bytes:
    """Exactly ``size`` bytes of the worker's answer. Raises EOFError when it ended,
    TimeoutError past ``deadline``."""
    fd = process.stdout.fileno()
    data = bytearray()
    while len(data) < size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError("no answer from the render worker in time")
        try:
            chunk = os.read(fd, size - len(data))
        except BlockingIOError:  # gevent's pipes are non-blocking; select woke early
            continue
        if not chunk:
            raise EOFError("the render worker exited")
        data += chunk
    return bytes(data)


def main() -> int:
    """Answer render requests on stdin/stdout until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; it closes our stdin
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    for bold in (False, True):
        font_path(bold)  # FontMissing here: the worker never says it is ready
    answers.write(READY)
    answers.flush()
    while True:
        head = requests.read(_REQUEST.size)
        if len(head) < _REQUEST.size:
            return 0
        (length,) = _REQUEST.unpack(head)
        try:
            request = json.loads(requests.read(length))
            body = job_bytes(ticket_from_json(request["ticket"]), width_px=request["width_px"],
                             profile=request["profile"])
            status = OK
        except Exception as error:  # answered, not fatal: one bad ticket must not stop the next
            body, status = f"{type(error).__name__}: {error}".encode(), FAILED
        answers.write(_ANSWER.pack(status, len(body)) + body)
        answers.flush()


if __name__ == "__main__":
    sys.exit(main())
