"""The print agent (máy in của kiosk): runs on the kiosk PC and prints the kiosk's tickets
on the printer attached there.

    LAYSO_KIOSK_TOKEN=<k1's device token> python -m kiosk.agent --server http://10.0.0.2:5000 \\
        --kiosk k1 --printer-kind usb --vendor-id 0x04b8 --product-id 0x0202

It connects over Socket.IO as role ``kiosk`` with ``agent: true`` and the kiosk's registered
device token (the server refuses an agent without it), says ``print.ready``
(the server then sends again every job not yet answered), receives ``print.job``
{job, kiosk, ticket, paper_mm}, prints it with layso.printing and answers
``print.result`` {job, ok, error?}. While idle it asks the printer every minute
(``--check-every-s``) and says ``print.status`` {ok: false, error} when it has stopped
working; after a failure it asks every few seconds and says ``print.status`` {ok: true} as
soon as it answers again: the kiosk and the dashboards learn both before the next
citizen's ticket; ``paper_low`` in it tells a roll near its end. It reconnects by itself,
and says ``print.status`` on every connection (the server reports an agent away for long
as its printer offline). It remembers the jobs it printed, so a job sent again (its answer
was lost with the connection) is answered without printing a second time.
"""

import argparse
import logging
import os
import sys
import threading
from collections import OrderedDict

import socketio

from layso import logs
from layso.events import KIOSK_ALERT, PRINT_JOB, PRINT_RESULT, PRINT_STATUS, PRINTER_PAPER_LOW
from layso.printing.jobs import PrinterQueue
from layso.printing.printers import PrinterConfig, parse_printer
from layso.printing.render import ticket_from_json

log = logging.getLogger("layso.agent")
REMEMBERED_JOBS = 10_000
PRINT_READY = "print.ready"


class PrintAgent:
    """One kiosk's agent: a Socket.IO client in front of one PrinterQueue."""

    def __init__(self, server: str, kiosk: str, printer: PrinterConfig, *, token: str, probe_interval_s: float = 15.0):
        self.server = server
        self.kiosk = kiosk
        self._auth = {"role": "kiosk", "kiosk": kiosk, "agent": True, "token": token}
        self._printed: OrderedDict[str, None] = OrderedDict()
        self._printer_error: str | None = None  # why the printer is out of order, if it is
        self._paper_low = False
        self._lock = threading.Lock()
        self.queue = PrinterQueue(printer, self._heard, on_result=self._answer, probe_interval_s=probe_interval_s,
                                  kiosks=(kiosk,))
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=5)
        self.client.on("connect", self._connected)
        self.client.on("connect_error", self._refused)
        self.client.on(PRINT_JOB, self._job)

    def start(self) -> None:
        """Connect (retrying until the server answers); reconnection is automatic after."""
        self.client.connect(self.server, auth=self._auth, transports=["websocket"], wait_timeout=10, retry=True)

    def stop(self) -> None:
        self.client.disconnect()
        self.queue.close()

    def _connected(self) -> None:
        log.info("connected to %s as kiosk %s's print agent", self.server, self.kiosk)
        self.client.emit(PRINT_READY, {"kiosk": self.kiosk})
        self._tell_status()

    def _refused(self, reason=None) -> None:
        # A wrong token, or a kiosk whose printer is not `agent` on the server: say so (it retries).
        log.error("the server refused kiosk %s's print agent: %s (check --kiosk, the token and the kiosk's "
                  "printer kind in [[kiosks]])", self.kiosk, reason)

    def _job(self, data) -> None:
        job = data.get("job") if isinstance(data, dict) else None
        if not isinstance(job, str):
            return
        with self._lock:
            already = job in self._printed
        if already:  # printed before; the answer was lost: say so again, print nothing
            self._send(job, True, None)
            return
        try:
            ticket = ticket_from_json(data["ticket"])
        except (KeyError, TypeError, ValueError) as error:
            log.error("print job %s is malformed: %s", job, error)
            self._send(job, False, "printer_error")
            return
        self.queue.submit(job, ticket, kiosk=self.kiosk)

    def _answer(self, job: str, ok: bool, error: str | None) -> None:
        if ok:
            with self._lock:
                self._printed[job] = None
                while len(self._printed) > REMEMBERED_JOBS:
                    self._printed.popitem(last=False)
        self._send(job, ok, error)

    def _send(self, job: str, ok: bool, error: str | None) -> None:
        try:
            self.client.emit(PRINT_RESULT, {"job": job, "ok": ok, **({"error": error} if error else {})})
        except socketio.exceptions.BadNamespaceError:
            # Disconnected: the server sends the job again on reconnect and we answer then.
            log.warning("print result for %s not sent (disconnected)", job)

    def _heard(self, event) -> None:
        """What the printer queue reports. Jobs' outcomes go back as ``print.result``; what
        its checks find between jobs (out of order, back) is told as ``print.status``."""
        log.info("%s %s", event.name, event.data)
        if event.name == PRINTER_PAPER_LOW:
            self._paper_low = event.data["low"]
            self._tell_status()
        elif event.name == KIOSK_ALERT:
            self._printer_error = None if event.data.get("resolved") else event.data["error"]
            if event.data.get("job") is None:
                self._tell_status()

    def _tell_status(self) -> None:
        error = self._printer_error
        status = {"ok": True} if error is None else {"ok": False, "error": error}
        try:
            self.client.emit(PRINT_STATUS, {**status, "paper_low": self._paper_low})
        except socketio.exceptions.BadNamespaceError:
            log.warning("printer status (%s) not told (disconnected): told on reconnecting", error or "ok")


def printer_from_args(args) -> PrinterConfig:
    """The printer from the command line flags (the same keys as a [[kiosks]] printer)."""
    raw = {"kind": args.printer_kind}
    for key in ("host", "port", "vendor_id", "product_id", "device", "baudrate", "paper_mm", "timeout_s", "profile",
                "check_every_s"):
        value = getattr(args, key)
        if value is not None:
            raw[key] = value
    return parse_printer(raw)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kiosk.agent", description="LấySố print agent for one kiosk")
    parser.add_argument("--server", required=True, help="the center server's URL, e.g. http://10.0.0.2:5000")
    parser.add_argument("--kiosk", required=True, help="this kiosk's id in [[kiosks]]")
    parser.add_argument("--token", default=os.environ.get("LAYSO_KIOSK_TOKEN"),
                        help="the kiosk's device token (registered in /admin); default: $LAYSO_KIOSK_TOKEN, "
                             "which keeps it out of the process list")
    parser.add_argument("--printer-kind", required=True, choices=("network", "usb", "serial", "file"))
    parser.add_argument("--host", help="network printer address")
    parser.add_argument("--port", type=int, help="network printer port (9100)")
    parser.add_argument("--vendor-id", help="USB vendor id, e.g. 0x04b8")
    parser.add_argument("--product-id", help="USB product id, e.g. 0x0202")
    parser.add_argument("--device", help="serial or file device, e.g. /dev/ttyUSB0, /dev/usb/lp0")
    parser.add_argument("--baudrate", type=int, help="serial speed (9600)")
    parser.add_argument("--paper-mm", type=int, choices=(80, 58), help="paper width (80)")
    parser.add_argument("--timeout-s", type=float, help="printer timeout in seconds (5)")
    parser.add_argument("--profile", help="python-escpos printer profile")
    parser.add_argument("--check-every-s", type=float, help="while idle, check the printer this often (60; 0: never)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        logs.configure(os.environ.get("LAYSO_LOG_FORMAT") or "text")
    except ValueError as error:
        print(f"kiosk.agent: LAYSO_LOG_FORMAT: {error}", file=sys.stderr)
        return 2
    if not args.token:
        print("kiosk.agent: the kiosk's device token is required (--token or LAYSO_KIOSK_TOKEN); "
              "register the kiosk in /admin to get one", file=sys.stderr)
        return 2
    try:
        printer = printer_from_args(args)
    except ValueError as error:
        print(f"kiosk.agent: {error}", file=sys.stderr)
        return 2
    agent = PrintAgent(args.server, args.kiosk, printer, token=args.token)
    agent.start()
    try:
        agent.client.wait()
    except KeyboardInterrupt:
        pass
    finally:
        agent.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
