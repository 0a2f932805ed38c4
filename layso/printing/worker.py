"""The render worker: a process that draws tickets and encodes them to ESC/POS bytes.

Drawing and encoding a ticket is ~6 ms of CPU (Pillow and the pure-Python ``qrcode``).
In production the server is one gevent process: done there, every ticket would hold
the hub — and every client of the center — for those 6 ms, on one core while the
other idles. gevent's thread pool does not help (measured: the same 45–53 printed
tickets/s as on the hub), since ``qrcode`` never releases the GIL and Pillow only
partly. So a server keeps one long-lived worker process, spoken to over its
stdin/stdout:

- request: 4-byte big-endian length, then JSON ``{"ticket", "width_px", "profile"}``
  (the ticket as :func:`~layso.printing.render.ticket_to_json` writes it);
- answer: 1 status byte (0: the job's ESC/POS bytes follow, 1: an error message in
  UTF-8 follows), a 4-byte big-endian length, then the body.

``python -m layso.printing.worker`` runs the worker; :class:`RenderWorker` is the
server's side: it starts the process on the first ticket, starts a new one when it
died or hung, and closes it with the print queues.
"""

import contextlib
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
from layso.printing.render import TicketPrint, render_ticket, ticket_from_json, ticket_to_json

log = logging.getLogger(__name__)

RENDER_TIMEOUT_S = 10.0  # a ticket takes milliseconds; this long means the worker is stuck
_REQUEST = struct.Struct(">I")
_ANSWER = struct.Struct(">BI")
OK, FAILED = 0, 1
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding layso/


def job_bytes(ticket: TicketPrint, *, width_px: int, profile: str) -> bytes:
    """The whole ESC/POS job for a ticket: drawn ``width_px`` wide, framed for ``profile``.

    Raises what :func:`render_ticket` and :func:`ticket_bytes` raise.
    """
    return ticket_bytes(render_ticket(ticket, width_px=width_px), profile=profile)


class RenderFailed(RuntimeError):
    """The worker could not draw a ticket (a bug or a bad ticket); it keeps running."""


class RenderWorker:
    """The server's render worker process: :meth:`render` sends it one ticket at a time.

    Safe to share between print queues (requests take turns). Under gevent's
    monkey-patching ``subprocess`` is gevent's and ``select`` is cooperative, so
    waiting for the answer lets the hub serve other clients.
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

    def render(self, ticket: TicketPrint, *, width_px: int, profile: str) -> bytes:
        """The ESC/POS bytes of ``job_bytes(ticket, ...)``, made in the worker process.

        Starts the worker if it is not running. Raises PrinterError("printer_error")
        when the worker dies, hangs past ``timeout_s`` (it is then killed; the next
        ticket starts a new one) or was closed, and RenderFailed when it could not
        draw this ticket.
        """
        request = json.dumps({"ticket": ticket_to_json(ticket), "width_px": width_px, "profile": profile}).encode()
        with self._lock:
            if self._closed:
                raise PrinterError("printer_error", "the render worker is closed")
            if self._process is None or self._process.poll() is not None:
                self._start()
            process = self._process
            try:
                process.stdin.write(_REQUEST.pack(len(request)) + request)
                process.stdin.flush()
                deadline = time.monotonic() + self._timeout_s
                status, length = _ANSWER.unpack(_read(process, _ANSWER.size, deadline))
                body = _read(process, length, deadline)
            except (OSError, EOFError) as error:  # died (broken pipe, end of output) or hung
                log.error("render worker %s failed (%s); a new one starts with the next ticket", process.pid, error)
                self._stop(process, kill=True)
                raise PrinterError("printer_error", f"render worker: {error}") from error
        if status != OK:
            raise RenderFailed(body.decode("utf-8", "replace"))
        return body

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the worker (it exits when its input closes); no render after this."""
        with self._lock:
            self._closed = True
            if self._process is not None:
                self._stop(self._process, kill=False, timeout_s=timeout_s)

    def _start(self) -> None:
        # PYTHONPATH: the worker imports this very package, wherever the server runs from.
        path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "layso.printing.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path}, close_fds=True,
        )
        log.info("render worker %s started", self._process.pid)

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
