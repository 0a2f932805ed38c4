"""Announcements: each call becomes Vietnamese speech in a cached WAV file, off the request path.

An officer's call puts one job on the :class:`Announcer`'s queue and returns
at once. One worker takes the jobs in call order, finds or makes the audio,
and publishes ``announcement.ready`` to the displays, which play them one after
another. When speech cannot be made, the displays still get the call (with no
audio: they show it and chime) and the dashboards get ``announcement.failed``.
"""

import hashlib
import json
import logging
import os
import queue
import string
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from layso.events import (
    ANNOUNCEMENT_FAILED,
    ANNOUNCEMENT_READY,
    Event,
    dashboard_room,
    display_room,
    public_ticket,
)
from layso.speech.engines import ENGINES, VOICES, SpeechError, UnavailableEngine, make_engine
from layso.speech.process import EngineProcess
from layso.speech.words import DIALECTS, label_words, number_words

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE = "Xin mời công dân có số thứ tự {number} đến quầy số {counter}"
TEMPLATE_FIELDS = {"number", "counter"}
SPEEDS = range(80, 451)  # words per minute that espeak-ng accepts
VOLUMES = range(0, 201)  # espeak amplitude


def announcement_text(template: str, *, label: str, counter: int, dialect: str,
                      digit_by_digit: bool) -> str:
    """Fill ``template``: {number} with the ticket label, {counter} with the counter, as words.

    "A015" at counter 5 → "Xin mời công dân có số thứ tự A mười lăm đến quầy số năm" (NFC).
    Raises ValueError for a template with other placeholders, an unreadable label or
    an unknown dialect.
    """
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    if not fields <= TEMPLATE_FIELDS:
        unknown = fields - TEMPLATE_FIELDS
        raise ValueError(f"template may use only {{number}} and {{counter}}, not {unknown}")
    number = label_words(label, dialect=dialect, digit_by_digit=digit_by_digit)
    text = template.format(number=number, counter=number_words(counter, dialect=dialect))
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class VoiceSettings:
    """The ``[voice]`` section of a center's config (giọng đọc).

    ``dialect`` None means: "south" with the southern voice, else "north".
    Raises ValueError naming the key for a bad value.
    """

    engine: str = "espeak-ng"
    voice: str = "vi"
    speed: int = 150
    volume: int = 100
    template: str = DEFAULT_TEMPLATE
    dialect: str | None = None
    digit_by_digit: bool = False

    def __post_init__(self):
        if self.dialect is None:
            dialect = "south" if self.voice == "vi-vn-x-south" else "north"
            object.__setattr__(self, "dialect", dialect)  # frozen: set once, here
        if self.engine not in ENGINES:
            raise ValueError(f"voice.engine: one of {ENGINES}, not {self.engine!r}")
        # pyttsx3 on Windows names SAPI5 voices its own way; espeak-ng has these three.
        if self.engine == "espeak-ng" and self.voice not in VOICES:
            raise ValueError(f"voice.voice: one of {VOICES}, not {self.voice!r}")
        if self.speed not in SPEEDS:
            raise ValueError(f"voice.speed: 80–450 words a minute, not {self.speed!r}")
        if self.volume not in VOLUMES:
            raise ValueError(f"voice.volume: 0–200 (100 is normal), not {self.volume!r}")
        if self.dialect not in DIALECTS:
            raise ValueError(f"voice.dialect: one of {DIALECTS}, not {self.dialect!r}")
        try:
            announcement_text(self.template, label="A1", counter=1, dialect=self.dialect,
                              digit_by_digit=self.digit_by_digit)
        except ValueError as error:
            raise ValueError(f"voice.template: {error}") from error


def build_engine(settings: VoiceSettings, *, separate_process: bool = False):
    """The engine ``settings`` names, in a worker process of its own with
    ``separate_process`` (:mod:`layso.speech.process`; the server under gevent). One that
    cannot start is logged and stood in for by one that fails every call, so calls are
    still shown and each failure reaches the dashboards."""
    make = EngineProcess if separate_process else make_engine
    try:
        return make(settings.engine, voice=settings.voice, speed=settings.speed, volume=settings.volume)
    except SpeechError as error:
        log.error("speech engine %s is unavailable: %s", settings.engine, error)
        return UnavailableEngine(settings.engine, voice=settings.voice, speed=settings.speed,
                                 volume=settings.volume, error=error)


def start_announcer(settings: VoiceSettings, cache_dir: Path, publish: Callable[[Event], None],
                    audio_url: Callable[[str], str] | None = None, *, separate_process: bool = False) -> "Announcer":
    """An Announcer owning the engine ``settings`` names (see :func:`build_engine`)."""
    engine = build_engine(settings, separate_process=separate_process)
    return Announcer(engine, cache_dir, publish, audio_url, separate_process=separate_process)


class Announcer:
    """One worker that speaks the calls in order; it owns its engine (closed by close())."""

    def __init__(self, engine, cache_dir: Path, publish: Callable[[Event], None],
                 audio_url: Callable[[str], str] | None = None, *, separate_process: bool = False):
        self.engine = engine
        self.separate_process = separate_process  # how a new voice's engine is run
        self.cache_dir = Path(cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.publish = publish
        self.audio_url = audio_url or (lambda name: f"/audio/{name}")
        self._jobs: queue.Queue = queue.Queue()
        self._closed = False
        # Under gevent's monkey-patching this thread is a greenlet and the queue is
        # cooperative; the engine then runs in its own process (layso.speech.process).
        self._thread = threading.Thread(target=self._run, name="speech-announcer", daemon=True)
        self._thread.start()

    def announce(self, ticket: dict, counter: int, settings: VoiceSettings) -> None:
        """Queue the call of ``ticket`` (its label in ``ticket["number"]``) to ``counter``.

        Returns at once; the announcement follows every one queued before it, a
        recall included. Never raises for speech problems.
        """
        if self._closed:
            log.warning("announcer is closed; call of %s not spoken", ticket.get("number"))
            return
        self._jobs.put((ticket, counter, settings))

    def close(self, timeout: float = 30.0) -> None:
        """Finish the announcements already queued, stop the worker, close the engine."""
        self._closed = True
        self._jobs.put(None)
        self._thread.join(timeout)
        self.engine.close()

    def audio_path(self, text: str) -> Path:
        """Where the audio of ``text`` is cached: a hash of the text and the voice that speaks it."""
        engine = self.engine
        key = json.dumps([text, engine.name, engine.voice, engine.speed, engine.volume])
        return self.cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()}.wav"

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            self._announce(*job)

    def _use_voice(self, settings: VoiceSettings) -> None:
        """Speak with the engine, voice, speed and volume ``settings`` name: an admin's
        change applies from the next call, after the ones queued before it."""
        engine = self.engine
        if (engine.name, engine.voice, engine.speed, engine.volume) == \
                (settings.engine, settings.voice, settings.speed, settings.volume):
            return
        log.info("voice changed: %s %s at %s wpm", settings.engine, settings.voice, settings.speed)
        self.engine = build_engine(settings, separate_process=self.separate_process)
        engine.close()

    def _announce(self, ticket: dict, counter: int, settings: VoiceSettings) -> None:
        shown = public_ticket(ticket)
        text = url = failure = None
        try:
            self._use_voice(settings)
            text = announcement_text(settings.template, label=ticket["number"], counter=counter,
                                     dialect=settings.dialect,
                                     digit_by_digit=settings.digit_by_digit)
            path = self.audio_path(text)
            if not path.exists():
                self._synthesize(text, path)
            url = self.audio_url(path.name)
        except Exception as error:  # the worker must outlive any one announcement
            failure = error
            log.error("announcement of %s at counter %s failed: %s", ticket.get("number"),
                      counter, error, exc_info=not isinstance(error, SpeechError))
        self._publish(Event(ANNOUNCEMENT_READY,
                            {"ticket": shown, "counter": counter, "text": text, "audio_url": url},
                            rooms=(display_room(),)))
        if failure is not None:
            self._publish(Event(ANNOUNCEMENT_FAILED,
                                {"ticket": shown, "counter": counter, "error": str(failure)},
                                rooms=(dashboard_room(),)))

    def _synthesize(self, text: str, path: Path) -> None:
        """Make the file under a temporary name, then rename: the cache never holds half a file."""
        handle, partial = tempfile.mkstemp(dir=self.cache_dir, prefix=".partial-", suffix=".wav")
        os.close(handle)
        try:
            self.engine.synthesize(text, Path(partial))
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)

    def _publish(self, event: Event) -> None:
        try:
            self.publish(event)
        except Exception:  # a broken subscriber must not stop the announcements after it
            log.exception("publishing %s failed", event.name)
