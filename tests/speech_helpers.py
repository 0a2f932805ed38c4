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
