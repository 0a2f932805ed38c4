"""Display bench: from an officer's call-next (HTTP) to the audio file ready at the displays.

Run: python bench/bench_display.py [--calls 20] [--sustain-s 30]
Against server.py --demo (gevent) in a subprocess, with one python-socketio display client:
- cold: call-next of a new number → announcement.ready (the file did not exist: espeak-ng runs);
- warm: recall of the same number → announcement.ready (the same text: the cached file);
- sustained: four officers calling back to back, announcements per minute, while a probe
  times GET /api/v1/state to show whether the server stays responsive.
The demo's speaking screen is set to counter 8 only, so the calls at counters 1–4 are made as
fast as speech allows: a hall's own pace (the next call only as the hall is about to be free,
layso/speech/hall_queue.py) is measured by bench/bench_voice_backlog.py instead.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import socketio  # noqa: E402

from tests.helpers import LiveServer  # noqa: E402


class Arrivals:
    """A display client noting when each event arrives, by ticket number."""

    def __init__(self, url):
        self.times: dict[tuple[str, str], list[float]] = {}
        self._changed = threading.Condition()
        self.client = socketio.Client()
        for name in ("announcement.ready", "ticket.called", "ticket.recalled"):
            self.client.on(name, self._noter(name))
        self.client.connect(url, auth={"role": "display"}, transports=["websocket"], wait_timeout=10)

    def _noter(self, name):
        def note(data):
            with self._changed:
                self.times.setdefault((name, data["ticket"]["number"]), []).append(time.perf_counter())
                self._changed.notify_all()
        return note

    def wait(self, name, number, count=1, timeout=60) -> float:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.times.get((name, number), [])) >= count, timeout):
                raise SystemExit(f"no {name} for {number} within {timeout}s")
            return self.times[(name, number)][count - 1]

    def count(self, name) -> int:
        with self._changed:
            return sum(len(times) for (event, _), times in self.times.items() if event == name)


def summary(values) -> str:
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    return f"p50 {statistics.median(values):7.1f} ms  p90 {p90:7.1f} ms  max {values[-1]:7.1f} ms  (n={len(values)})"


def timed_calls(server, arrivals, officer, calls):
    """Per call, in ms: call-next HTTP answer, → ticket.called, → ready (cold), ticket.called → ready,
    recall → ready (warm), ticket.recalled → ready."""
    rows = []
    for _ in range(calls):
        server.post("/api/v1/tickets", {"service": "HT"}).raise_for_status()
        start = time.perf_counter()
        response = server.post("/api/v1/counters/1/call-next", headers=officer)
        answered = time.perf_counter()
        number = response.json()["ticket"]["number"]
        called = arrivals.wait("ticket.called", number)
        cold = arrivals.wait("announcement.ready", number)
        start_recall = time.perf_counter()
        server.post("/api/v1/counters/1/recall", headers=officer).raise_for_status()
        warm = arrivals.wait("announcement.ready", number, count=2)
        recalled = arrivals.wait("ticket.recalled", number)
        rows.append(((answered - start) * 1000, (called - start) * 1000, (cold - start) * 1000,
                     (cold - called) * 1000, (warm - start_recall) * 1000, (warm - recalled) * 1000))
    return rows


def sustained(server, arrivals, seconds):
    """Announcements per minute with four counters calling back to back; state probe latency."""
    counters = {1: "HT", 2: "LLTP", 3: "HT", 5: "DKKD"}
    officers = {number: server.login(f"canbo{number}") for number in counters}
    for number, headers in officers.items():
        server.post(f"/api/v1/counters/{number}/open", headers=headers)
    stop = threading.Event()
    probes: list[float] = []

    def officer_loop(number):
        while not stop.is_set():
            server.post("/api/v1/tickets", {"service": counters[number]}).raise_for_status()
            server.post(f"/api/v1/counters/{number}/call-next", headers=officers[number]).raise_for_status()

    def probe_loop():
        while not stop.is_set():
            start = time.perf_counter()
            requests.get(server.url + "/api/v1/state", timeout=10).raise_for_status()
            probes.append((time.perf_counter() - start) * 1000)
            stop.wait(0.1)

    before_ready, before_called = arrivals.count("announcement.ready"), arrivals.count("ticket.called")
    workers = [threading.Thread(target=officer_loop, args=(number,)) for number in counters]
    workers.append(threading.Thread(target=probe_loop))
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    deadline = time.perf_counter() + 60  # let the speech queue drain
    while (arrivals.count("announcement.ready") - before_ready < arrivals.count("ticket.called") - before_called
           and time.perf_counter() < deadline):
        time.sleep(0.1)
    drained = time.perf_counter() - started
    called = arrivals.count("ticket.called") - before_called
    ready = arrivals.count("announcement.ready") - before_ready
    return called, ready, elapsed, drained, probes


def idle_probe(server, count=50):
    times = []
    for _ in range(count):
        start = time.perf_counter()
        requests.get(server.url + "/api/v1/state", timeout=10).raise_for_status()
        times.append((time.perf_counter() - start) * 1000)
    return times


def unpaced_config(folder: Path) -> Path:
    """The demo center whose speaking screen plays counter 8 only (see the module's docstring)."""
    demo = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    config = folder / "center.toml"
    config.write_text(demo.replace("counters = []      # empty = every counter", "counters = [8]", 1), encoding="utf-8")
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--sustain-s", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder), config=unpaced_config(Path(folder))).start()
        try:
            arrivals = Arrivals(server.url)
            officer = server.login("canbo1")
            server.post("/api/v1/counters/1/open", headers=officer).raise_for_status()
            timed_calls(server, arrivals, officer, 2)  # warm up connections and the first espeak-ng start
            rows = timed_calls(server, arrivals, officer, args.calls)
            print(f"call-next HTTP answer            {summary([row[0] for row in rows])}")
            print(f"call-next → ticket.called        {summary([row[1] for row in rows])}")
            print(f"call-next → announcement (cold)  {summary([row[2] for row in rows])}")
            print(f"ticket.called → announcement     {summary([row[3] for row in rows])}")
            print(f"recall → announcement (warm)     {summary([row[4] for row in rows])}")
            print(f"ticket.recalled → announcement   {summary([row[5] for row in rows])}")
            idle = idle_probe(server)
            called, ready, elapsed, drained, probes = sustained(server, arrivals, args.sustain_s)
            print(f"sustained: {called} calls in {elapsed:.1f} s, {ready} announcements ready by {drained:.1f} s "
                  f"= {ready / drained * 60:.0f} announcements/min")
            print(f"GET /api/v1/state idle           {summary(idle)}")
            print(f"GET /api/v1/state under load     {summary(probes)}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
