"""Speech bench: time from announce() to announcement.ready, cold and warm, and sustained rate.

Run: python bench/bench_speech.py [--calls 30] [--sustain-s 20]
Cold = the text's audio is not cached (the engine runs); warm = the same text again.
Sustained = distinct calls queued back to back, each synthesized; announce() latency
is printed too (the caller must never wait for speech).
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layso.speech.announcer import VoiceSettings, start_announcer  # noqa: E402


class Stopwatch:
    """A publish callable that notes when each announcement.ready arrives."""

    def __init__(self):
        self.ready: list[float] = []
        self.failed = 0
        self._changed = threading.Condition()

    def __call__(self, event):
        with self._changed:
            if event.name == "announcement.ready":
                self.ready.append(time.perf_counter())
            else:
                self.failed += 1
            self._changed.notify_all()

    def wait(self, count):
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.ready) >= count, 120):
                raise SystemExit(f"only {len(self.ready)} of {count} announcements arrived")


def one_by_one(announcer, stopwatch, settings, numbers):
    """Milliseconds from announce() to ready, one call at a time."""
    times = []
    for number in numbers:
        start = time.perf_counter()
        announcer.announce({"number": number}, 5, settings)
        stopwatch.wait(len(stopwatch.ready) + 1)
        times.append((stopwatch.ready[-1] - start) * 1000)
    return times


def sustained(announcer, stopwatch, settings, seconds):
    """Announcements per minute with the queue kept full, and the slowest announce() call."""
    before, started, slowest_call, sent = len(stopwatch.ready), time.perf_counter(), 0.0, 0
    while time.perf_counter() - started < seconds:
        while sent - (len(stopwatch.ready) - before) < 5:  # keep five waiting
            call = time.perf_counter()
            announcer.announce({"number": f"S{sent + 1}"}, 1 + sent % 20, settings)
            slowest_call = max(slowest_call, time.perf_counter() - call)
            sent += 1
        stopwatch.wait(before + sent - 4)
    stopwatch.wait(before + sent)
    elapsed = stopwatch.ready[-1] - started
    return sent / elapsed * 60, slowest_call * 1000


def summary(times):
    return f"p50 {statistics.median(times):7.2f} ms  max {max(times):7.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--sustain-s", type=float, default=20)
    options = parser.parse_args()
    numbers = [f"A{1000 + index}" for index in range(options.calls)]
    for engine in ("espeak-ng", "pyttsx3"):
        settings = VoiceSettings(engine=engine)
        with tempfile.TemporaryDirectory() as cache:
            stopwatch = Stopwatch()
            announcer = start_announcer(settings, Path(cache), stopwatch)
            try:
                cold = one_by_one(announcer, stopwatch, settings, numbers)
                warm = one_by_one(announcer, stopwatch, settings, numbers)
                per_minute, slowest_call = sustained(announcer, stopwatch, settings, options.sustain_s)
            finally:
                announcer.close()
        print(f"{engine:9}  cold  {summary(cold)}   ({options.calls} calls)")
        print(f"{engine:9}  warm  {summary(warm)}")
        print(f"{engine:9}  sustained {per_minute:7.0f} announcements/min, "
              f"slowest announce() {slowest_call:.2f} ms, failures {stopwatch.failed}")


if __name__ == "__main__":
    main()
