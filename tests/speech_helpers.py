"""Helpers for the speech tests: engines that wrap the real one, and a recording publish."""

import threading
from pathlib import Path

from layso.speech.engines import EspeakEngine, SpeechError

WAIT_S = 30  # deadline for work done on another thread; generous for a busy 2-core machine


class CountingEngine(EspeakEngine):
    """The real espeak-ng engine, counting the texts it is asked to speak."""

    def __init__(self, **options):
        super().__init__(**options)
        self.texts: list[str] = []

    def synthesize(self, text: str, path: Path) -> None:
        self.texts.append(text)
        super().synthesize(text, path)


class GatedEngine(CountingEngine):
    """Holds its first synthesis until the test opens the gate: a slow engine on demand."""

    def __init__(self, **options):
        super().__init__(**options)
        self.started = threading.Event()
        self.gate = threading.Event()

    def synthesize(self, text: str, path: Path) -> None:
        self.started.set()
        if not self.gate.wait(WAIT_S):
            raise SpeechError("the test never opened the gate")
        super().synthesize(text, path)


class FlakyEngine(CountingEngine):
    """Fails its first ``failures`` calls after writing half a file, then works."""

    def __init__(self, failures: int = 1, **options):
        super().__init__(**options)
        self.failures = failures

    def synthesize(self, text: str, path: Path) -> None:
        if len(self.texts) < self.failures:
            self.texts.append(text)
            Path(path).write_bytes(b"RIFF")
            raise SpeechError("engine broke")
        super().synthesize(text, path)


class EventLog:
    """A ``publish`` callable that records events; tests wait on it with a deadline."""

    def __init__(self):
        self.events = []
        self._changed = threading.Condition()

    def __call__(self, event) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait_for(self, count: int, name: str | None = None, timeout: float = WAIT_S) -> list:
        """The first ``count`` events (named ``name`` if given); fails at the deadline."""
        def chosen():
            return [event for event in self.events if name is None or event.name == name]

        with self._changed:
            if not self._changed.wait_for(lambda: len(chosen()) >= count, timeout):
                raise AssertionError(f"waited {timeout} s for {count} {name or 'events'}: {self.events}")
            return chosen()[:count]
