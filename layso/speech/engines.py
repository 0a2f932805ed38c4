"""Speech engines: Vietnamese words in, a WAV file out.

Two engines share one small interface (``name``, ``voice``, ``speed``,
``volume``, ``synthesize(text, path)``, ``close()``):

- :class:`EspeakEngine` runs the espeak-ng command line once per file. It gave
  correct, identical files every time on our machines and runs safely in
  parallel: the default on Linux.
- :class:`Pyttsx3Engine` drives pyttsx3 (SAPI5 on Windows, libespeak-ng on
  Linux). On Linux its first calls after start wrote empty files and ignored
  the rate, and one engine is shared by the whole process, so it lives in one
  worker thread, takes jobs one at a time, warms up at start, and every file
  is validated and retried.

Every failure is a :class:`SpeechError`; callers never see a subprocess or
pyttsx3 exception.
"""

import contextlib
import io
import logging
import queue
import re
import shutil
import subprocess
import tempfile
import time
import threading
import wave
from pathlib import Path

log = logging.getLogger(__name__)

ENGINES = ("espeak-ng", "pyttsx3")
VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")  # giọng Bắc, Trung, Nam

# Measured with espeak-ng's Vietnamese voices from speed 80 to 450: 0.09 to
# 1.3 s per syllable (a lone syllable carries the end pause). Outside this band
# the file is truncated, empty, or not our text.
MIN_SECONDS_PER_SYLLABLE = 0.05
MAX_SECONDS_PER_SYLLABLE = 1.0
MAX_EXTRA_SECONDS = 2.0

WARM_UP_TEXT = "Xin chào"


class SpeechError(Exception):
    """Speech could not be made: engine missing or broken, timeout, or a bad WAV."""


def validate_wav(path: Path, text: str, *, pauses_s: float = 0.0) -> float:
    """Check that ``path`` is a non-empty PCM RIFF/WAVE file long enough for ``text``.

    The duration must lie within a band per syllable (word) of the text.
    Returns the duration in seconds. Raises SpeechError naming what is wrong.
    """
    syllables = max(1, len(text.split()))
    try:
        with open(path, "rb") as file:
            header = file.read(12)
            if header[:4] != b"RIFF" or header[8:12] != b"WAVE":
                raise SpeechError(f"{path} is not a RIFF/WAVE file")
            file.seek(0)
            # The wave module reads only uncompressed PCM: anything else is an error.
            with wave.open(file) as wav:
                frames, rate = wav.getnframes(), wav.getframerate()
    except (OSError, EOFError, wave.Error) as error:
        raise SpeechError(f"cannot read WAV {path}: {error}") from error
    if frames == 0 or rate == 0:
        raise SpeechError(f"{path} holds no audio")
    seconds = frames / rate
    low = MIN_SECONDS_PER_SYLLABLE * syllables
    high = MAX_EXTRA_SECONDS + MAX_SECONDS_PER_SYLLABLE * syllables + pauses_s
    if not low <= seconds <= high:
        raise SpeechError(
            f"{path} lasts {seconds:.2f} s, outside {low:.2f}–{high:.2f} s for {syllables} words"
        )
    return seconds


def plain_text(text: str) -> str:
    """The words of a sentence given in SSML (its tags and breaks left out)."""
    return re.sub(r"<[^>]*>", " ", text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class EspeakEngine:
    """The espeak-ng command line: one process per file, with a timeout."""

    name = "espeak-ng"

    def __init__(self, voice: str = "vi", speed: int = 150, volume: int = 100, *,
                 timeout: float = 10.0):
        """``speed`` in words per minute, ``volume`` as espeak amplitude (100 = normal).

        Raises SpeechError when the espeak-ng program is not installed.
        """
        self.binary = shutil.which("espeak-ng")
        if self.binary is None:
            raise SpeechError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
        self.voice, self.speed, self.volume, self.timeout = voice, speed, volume, timeout

    def synthesize(self, text: str, path: Path) -> None:
        """Write ``text`` spoken to the WAV file ``path``. Raises SpeechError."""
        # A sentence in SSML (<speak>…<break time="300ms"/>…</speak>) carries its pauses.
        markup = ["-m"] if text.startswith("<speak>") else []
        command = [self.binary, "-v", self.voice, "-s", str(self.speed),
                   "-a", str(self.volume), *markup, "-w", str(path), "--", text]
        try:
            result = subprocess.run(command, capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired as error:
            raise SpeechError(f"espeak-ng took longer than {self.timeout} s") from error
        except OSError as error:
            raise SpeechError(f"espeak-ng could not run: {error}") from error
        # espeak-ng reports a missing voice on stderr, with exit code 0 or 1.
        stderr = result.stderr.decode("utf-8", "replace").strip()
        if result.returncode != 0 or stderr:
            raise SpeechError(f"espeak-ng -v {self.voice} failed "
                              f"(exit {result.returncode}): {stderr}")
        pauses_s = sum(int(ms) for ms in re.findall(r'<break time="(\d+)ms"/>', text)) / 1000
        validate_wav(path, plain_text(text), pauses_s=pauses_s)

    def close(self) -> None:
        """Nothing to release: each file is its own process."""


# pyttsx3 keeps one engine per process (pyttsx3.init() hands out the same one),
# so two Pyttsx3Engine objects must still take turns.
_PYTTSX3_TURN = threading.Lock()


class Pyttsx3Engine:
    """pyttsx3 in one worker thread that owns it; calls are queued and serialized."""

    name = "pyttsx3"

    def __init__(self, voice: str = "vi", speed: int = 150, volume: int = 100, *,
                 attempts: int = 3, timeout: float = 10.0):
        """Start the worker and warm the engine up (its first files come out empty).

        Raises SpeechError when pyttsx3 cannot start or never makes a valid file.
        """
        self.voice, self.speed, self.volume = voice, speed, volume
        self.attempts, self.timeout = attempts, timeout
        self._jobs: queue.Queue = queue.Queue()
        started: queue.Queue = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._run, args=(started,),
                                        name="speech-pyttsx3", daemon=True)
        self._thread.start()
        try:
            error = started.get(timeout=timeout * attempts)
        except queue.Empty:
            error = SpeechError(f"pyttsx3 did not start within {timeout * attempts} s")
        if error is not None:
            self.close()
            raise error

    def synthesize(self, text: str, path: Path) -> None:
        """Write ``text`` spoken to the WAV file ``path``. Raises SpeechError."""
        if not self._thread.is_alive():
            raise SpeechError("the pyttsx3 engine is closed")
        done: queue.Queue = queue.Queue(maxsize=1)
        self._jobs.put((text, Path(path), done))
        try:
            error = done.get(timeout=self.timeout * self.attempts)
        except queue.Empty:
            raise SpeechError(f"pyttsx3 took longer than {self.timeout * self.attempts} s")
        if error is not None:
            raise error

    def close(self) -> None:
        """Stop the worker after the jobs already queued."""
        self._jobs.put(None)
        self._thread.join(timeout=self.timeout)

    def _run(self, started: queue.Queue) -> None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
            errors: list = []
            # pyttsx3 catches exceptions from its commands and only notifies them.
            engine.connect("error", lambda name, exception: errors.append(exception))
            with tempfile.TemporaryDirectory() as folder:
                self._save(engine, errors, WARM_UP_TEXT, Path(folder) / "warm-up.wav")
        except (ImportError, RuntimeError, OSError, SpeechError) as error:
            started.put(SpeechError(f"pyttsx3 could not start: {error}"))
            return
        started.put(None)
        while (job := self._jobs.get()) is not None:
            text, path, done = job
            try:
                self._save(engine, errors, text, path)
            except SpeechError as error:
                done.put(error)
            except Exception as error:  # the worker must outlive any one bad job
                log.exception("pyttsx3 failed on %r", text)
                done.put(SpeechError(f"pyttsx3 failed: {error!r}"))
            else:
                done.put(None)

    def _save(self, engine, errors: list, text: str, path: Path) -> None:
        """Save ``text`` to ``path``, retrying until validate_wav accepts the file."""
        problem = None
        for attempt in range(1, self.attempts + 1):
            path.unlink(missing_ok=True)
            errors.clear()
            # Properties are set on every call: another Pyttsx3Engine may have
            # changed them, and the first calls after start ignored them.
            # pyttsx3 prints "Audio saved to …" for each file; keep stdout clean.
            with _PYTTSX3_TURN, contextlib.redirect_stdout(io.StringIO()):
                engine.setProperty("voice", self.voice)
                engine.setProperty("rate", self.speed)
                engine.setProperty("volume", self.volume / 100)
                engine.save_to_file(text, str(path))
                engine.runAndWait()
                # runAndWait can return before espeak's callback thread has written the
                # file; the next job must not start (and retarget the file) until it has.
                _wait_until_written(path, self.timeout)
            try:
                if errors:
                    raise SpeechError(f"pyttsx3 reported {errors[0]!r}")
                check_rate(validate_wav(path, text), text, self.speed)
                return
            except SpeechError as error:
                problem = error
                log.info("pyttsx3 attempt %d of %d for %r: %s", attempt, self.attempts, text, error)
        raise SpeechError(f"pyttsx3 made no valid WAV in {self.attempts} attempts: {problem}")


def _wait_until_written(path: Path, timeout: float) -> None:
    """Wait until ``path`` holds more than a WAV header and has stopped growing."""
    deadline = time.monotonic() + timeout
    last_size = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else 0
        if size > 44 and size == last_size:
            return
        last_size = size
        time.sleep(0.02)


# espeak voices speak about 0.68 s × words × 60 / speed (measured 0.63–0.72 from 80 to 450
# words/min). A file outside these bounds was made at another rate: pyttsx3 sometimes
# ignores the rate it was given (docs/decisions.md), e.g. 200 instead of 150 gives 0.51.
RATE_RATIO_BOUNDS = (0.55, 1.05)


def check_rate(seconds: float, text: str, speed: int) -> None:
    """Raise SpeechError when a file's length shows it was not spoken at ``speed``.

    Texts under 6 words are not judged: their silence at each end outweighs the speech."""
    words = len(text.split())
    if words < 6:
        return
    ratio = seconds * speed / 60 / words
    low, high = RATE_RATIO_BOUNDS
    if not low <= ratio <= high:
        raise SpeechError(f"spoken at the wrong rate ({seconds:.2f} s for {words} words at {speed}/min)")


def make_engine(name: str, *, voice: str = "vi", speed: int = 150, volume: int = 100):
    """Build the engine called ``name`` ("espeak-ng" or "pyttsx3").

    Raises SpeechError when the engine is unknown, not installed, or fails to start.
    """
    if name == "espeak-ng":
        return EspeakEngine(voice=voice, speed=speed, volume=volume)
    if name == "pyttsx3":
        return Pyttsx3Engine(voice=voice, speed=speed, volume=volume)
    raise SpeechError(f"unknown speech engine {name!r}; choose one of {ENGINES}")


class UnavailableEngine:
    """Stands in for an engine that could not start: every call fails with its reason.

    Calls are still shown and chimed; files already in the cache are still used.
    """

    def __init__(self, name: str, *, voice: str, speed: int, volume: int, error: SpeechError):
        self.name, self.voice, self.speed, self.volume = name, voice, speed, volume
        self.error = error

    def synthesize(self, text: str, path: Path) -> None:
        """Raise the SpeechError that stopped the engine from starting."""
        raise self.error

    def close(self) -> None:
        """Nothing was started."""
