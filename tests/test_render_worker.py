"""The render worker process draws the same tickets as the server would, and a worker
that dies or hangs costs one job (printer_error alert), never the print queue."""

import fcntl
import os
import signal
import struct
import termios
import time
from pathlib import Path

import pytest

from layso.events import KIOSK_ALERT, TICKET_PRINTED
from layso.printing.jobs import PrinterQueue
from layso.printing.printers import PrinterError, parse_printer
from layso.printing.worker import RenderFailed, RenderWorker, render_jobs
from tests.helpers import Published, run_under_gevent
from tests.test_printing import make_ticket, printed_numbers


@pytest.fixture
def worker():
    render_worker = RenderWorker()
    yield render_worker
    render_worker.close()



def stop(pid: int, timeout_s: float = 10.0) -> None:
    """SIGSTOP the worker and wait until it is stopped: a signal takes effect only when
    the process next runs, and on a busy machine it may first read a request sent meanwhile."""
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + timeout_s
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("T", "t"):
        assert time.monotonic() < deadline, "the render worker did not stop"
        time.sleep(0.01)


def request_waiting(pid: int, timeout_s: float = 10.0) -> None:
    """Wait until a request sits unread in the (stopped) worker's stdin pipe."""
    deadline = time.monotonic() + timeout_s
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDONLY | os.O_NONBLOCK)
    try:
        while struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0] == 0:
            assert time.monotonic() < deadline, "no request reached the render worker"
            time.sleep(0.01)
    finally:
        os.close(fd)


def dead(pid: int) -> bool:
    """Exited: reaped, or a zombie waiting to be (its pipes are closed either way)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return True


def wait_dead(pid: int, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not dead(pid):
        assert time.monotonic() < deadline, f"process {pid} is still alive"
        time.sleep(0.01)


@pytest.mark.parametrize(("width", "profile"), [(576, "TM-T20II"), (384, "RP-F10-58mm")])
def test_worker_makes_byte_for_byte_the_jobs_this_process_makes(worker, width, profile):
    tickets = [make_ticket(), make_ticket("A024", priority=True, counters=[]),
               make_ticket("7", estimated_wait_s=None, status_url="http://10.0.0.2/t/x")]
    made_here = render_jobs(tickets, width_px=width, profile=profile)
    assert all(isinstance(job, bytes) for job in made_here)
    assert worker.render_jobs(tickets, width_px=width, profile=profile) == made_here


def test_a_ticket_the_worker_cannot_draw_fails_alone_and_the_worker_goes_on(worker):
    [good] = worker.render_jobs([make_ticket()], width_px=576, profile="TM-T20II")
    pid = worker.pid
    [failed] = worker.render_jobs([make_ticket()], width_px=576, profile="no-such-printer")
    assert isinstance(failed, RenderFailed) and "no-such-printer" in str(failed)
    assert worker.render_jobs([make_ticket()], width_px=576, profile="TM-T20II") == [good]
    assert worker.pid == pid


def test_a_hung_worker_is_killed_at_the_deadline_and_the_next_ticket_starts_a_new_one():
    worker = RenderWorker(timeout_s=0.5)
    try:
        [expected] = worker.render_jobs([make_ticket()], width_px=576, profile="TM-T20II")
        hung = worker.pid
        stop(hung)
        [failed] = worker.render_jobs([make_ticket()], width_px=576, profile="TM-T20II")
        assert isinstance(failed, PrinterError) and failed.code == "printer_error"
        assert dead(hung)
        assert worker.render_jobs([make_ticket()], width_px=576, profile="TM-T20II") == [expected]
        assert worker.pid not in (None, hung)
    finally:
        worker.close()


def test_a_killed_worker_fails_the_job_in_flight_with_an_alert_and_the_next_job_prints(worker, fake_printer):
    published = Published()
    config = parse_printer({"kind": "network", "host": "127.0.0.1", "port": fake_printer.port})
    queue = PrinterQueue(config, published, render=worker.render_jobs)
    try:
        queue.submit("job-1", make_ticket("1001"), kiosk="k1")
        published.wait_for(TICKET_PRINTED, job="job-1")
        first = worker.pid
        stop(first)  # it cannot answer, so job-2 stays in flight
        queue.submit("job-2", make_ticket("1002"), kiosk="k1")
        request_waiting(first)
        os.kill(first, signal.SIGKILL)

        alert = published.wait_for(KIOSK_ALERT, job="job-2")
        assert alert.data["error"] == "printer_error" and alert.data["resolved"] is False
        queue.submit("job-3", make_ticket("1003"), kiosk="k1")
        published.wait_for(TICKET_PRINTED, job="job-3")
        published.wait_for(KIOSK_ALERT, kiosk="k1", resolved=True)
        assert worker.pid not in (None, first)
    finally:
        queue.close(timeout_s=5)
    assert printed_numbers(fake_printer.wait_for_jobs(2), ("1001", "1002", "1003")) == ["1001", "1003"]  # job-2 never reached it
    assert len(fake_printer.jobs) == 2


def test_closing_stops_the_worker_and_refuses_later_tickets():
    worker = RenderWorker()
    worker.render_jobs([make_ticket()], width_px=576, profile="TM-T20II")
    pid = worker.pid
    worker.close()
    assert worker.pid is None and dead(pid)
    [refused] = worker.render_jobs([make_ticket()], width_px=576, profile="TM-T20II")
    assert isinstance(refused, PrinterError) and refused.code == "printer_error"


GEVENT_SCRIPT = """
from gevent import monkey; monkey.patch_all()
import os, signal, subprocess, threading, time
from tests.fake_printer import FakePrinter
from tests.test_printing import make_ticket
from tests.test_render_worker import request_waiting, stop, wait_dead
from layso.printing.jobs import PrinterQueue
from layso.printing.printers import parse_printer
from layso.printing.worker import RenderWorker

assert subprocess.Popen.__module__ == "gevent.subprocess"
printer = FakePrinter()
events = []
def publish(event):
    events.append((event.name, event.data.get("job"), event.data.get("error")))
def wait_for(count):
    deadline = time.monotonic() + 10
    while len(events) < count:
        assert time.monotonic() < deadline, events
        time.sleep(0.01)
worker = RenderWorker()
queue = PrinterQueue(parse_printer({"kind": "network", "host": "127.0.0.1", "port": printer.port}),
                     publish, render=worker.render_jobs)
queue.submit("job-1", make_ticket("1001"), kiosk="k1")
wait_for(1)
first = worker.pid
stop(first)
queue.submit("job-2", make_ticket("1002"), kiosk="k1")
# The queue now waits on the stopped worker: were that wait to hold the hub, this
# greenlet would never run again.
request_waiting(first)
os.kill(first, signal.SIGCONT)
wait_for(2)
os.kill(first, signal.SIGKILL)  # while idle: the next ticket finds it gone and starts another
wait_dead(first)
queue.submit("job-3", make_ticket("1003"), kiosk="k1")
wait_for(3)
queue.close()
worker.close()
print(events, len(printer.jobs))
"""


def test_render_worker_serves_the_queue_under_gevent_monkey_patching():
    assert run_under_gevent(GEVENT_SCRIPT).strip() == str([
        ("ticket.printed", "job-1", None), ("ticket.printed", "job-2", None), ("ticket.printed", "job-3", None),
    ]) + " 3"
