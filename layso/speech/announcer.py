"""Announcements: each call becomes Vietnamese speech in a cached WAV file, off the request path.

An officer's call puts one job on the :class:`Announcer`'s queue and returns
at once. One worker takes the jobs in call order, finds or makes the audio,
and publishes ``announcement.ready`` to the displays, which play them one after
another. It hands a hall the next call only as the hall is about to be free, and
speaks a backlog in the short form (:mod:`layso.speech.hall_queue`), so the voice
never falls behind the screen. When speech cannot be made, the displays still get
the call (with no audio: they show it and chime) and the dashboards get
``announcement.failed``.
"""

import dataclasses
import logging
import string
import threading
import time
import unicodedata
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from layso.events import (
    ANNOUNCEMENT_FAILED,
    ANNOUNCEMENT_READY,
    Event,
    dashboard_room,
    display_room,
    public_ticket,
)
from layso.speech.assembly import Joining
from layso.speech.cache import engine_audio_path, engine_call, pack_call
from layso.speech.engines import ENGINES, VOICES, SpeechError, UnavailableEngine, make_engine
from layso.speech.hall_queue import Call, HallQueue
from layso.speech.pack import template_parts
from layso.speech.process import EngineProcess
from layso.speech.words import DIALECTS, label_words, number_words

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE = "Xin mời công dân có số thứ tự {number} đến quầy số {counter}"
DEFAULT_SHORT_TEMPLATE = "Mời số {number}, quầy {counter}"  # a backlog's calls (issue 15 item 10)
SHORTEN_AFTER = range(0, 101)
SHORT_PART_PAUSE_MS = 100
TEMPLATE_FIELDS = {"number", "counter"}
SPEEDS = range(80, 451)  # words per minute that espeak-ng accepts
VOLUMES = range(0, 201)  # espeak amplitude
PAUSES_MS = {"word_pause_ms": range(0, 1001), "part_pause_ms": range(0, 3001), "crossfade_ms": range(0, 101)}


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
    word_pause_ms: int = 60  # between the words of a number, in the recorded voice
    part_pause_ms: int = 300  # between the parts of the sentence, recorded voice and engine
    crossfade_ms: int = 15  # each recorded clip's ends fade over this; clips with no pause overlap by it
    short_template: str = DEFAULT_SHORT_TEMPLATE  # spoken when a backlog builds up (short_voice)
    shorten_after: int = 2  # more calls than this waiting for the hall: they are all spoken short

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
        for key, allowed in PAUSES_MS.items():
            value = getattr(self, key)
            if isinstance(value, bool) or value not in allowed:
                raise ValueError(f"voice.{key}: {allowed.start}–{allowed.stop - 1} ms, not {value!r}")
        if isinstance(self.shorten_after, bool) or self.shorten_after not in SHORTEN_AFTER:
            raise ValueError(f"voice.shorten_after: 0–100 waiting calls, not {self.shorten_after!r}")
        for key in ("template", "short_template"):
            try:
                announcement_text(getattr(self, key), label="A1", counter=1, dialect=self.dialect,
                                  digit_by_digit=self.digit_by_digit)
            except (ValueError, AttributeError, TypeError) as error:
                raise ValueError(f"voice.{key}: {error}") from error


def short_voice(settings: VoiceSettings) -> VoiceSettings:
    """The voice speaking a call in its short form: ``settings`` with ``short_template`` as its
    template ("Mời số E hai mươi lăm, quầy sáu") and pauses between its parts of at most
    SHORT_PART_PAUSE_MS (a backlog is read briskly: 2.6 s instead of 3.2 s with espeak-ng). The one
    place the short form is made: the announcer renders it through this (text, engine sentence,
    recorded clips), and whatever derives clips for the short form should too."""
    return dataclasses.replace(settings, template=settings.short_template,
                               part_pause_ms=min(settings.part_pause_ms, SHORT_PART_PAUSE_MS))


def joining(settings: VoiceSettings) -> Joining:
    """How the recorded clips are joined, from the ``[voice]`` pauses."""
    return Joining(word_pause_ms=settings.word_pause_ms, part_pause_ms=settings.part_pause_ms,
                   crossfade_ms=settings.crossfade_ms)


def engine_sentence(settings: VoiceSettings, *, label: str, counter: int, engine: str) -> str:
    """The sentence as the engine is given it: its parts with a pause between them — for
    espeak-ng SSML breaks of ``part_pause_ms`` (its ``-m``), for others commas. Raises
    ValueError like :func:`announcement_text`."""
    parts = []
    for kind, text in template_parts(settings.template):
        if kind == "phrase":
            parts.append(text)
        elif kind == "number":
            parts.append(label_words(label, dialect=settings.dialect, digit_by_digit=settings.digit_by_digit))
        else:
            parts.append(number_words(counter, dialect=settings.dialect))
    parts = [unicodedata.normalize("NFC", part) for part in parts]
    if engine != "espeak-ng" or not settings.part_pause_ms:
        return ", ".join(parts)
    pause = f'<break time="{settings.part_pause_ms}ms"/>'
    return f"<speak>{pause.join(escape(part) for part in parts)}</speak>"


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
                    audio_url: Callable[[str], str] | None = None, *, separate_process: bool = False,
                    pack_dir: Path | None = None) -> "Announcer":
    """An Announcer owning the engine ``settings`` names (see :func:`build_engine`), speaking
    with the recorded voice pack in ``pack_dir`` whenever it has every clip a call needs."""
    engine = build_engine(settings, separate_process=separate_process)
    return Announcer(engine, cache_dir, publish, audio_url, separate_process=separate_process, pack_dir=pack_dir)


class Announcer:
    """One worker that speaks the calls in order, each hall's at the pace it can hear them;
    it owns its engine (closed by close())."""

    def __init__(self, engine, cache_dir: Path, publish: Callable[[Event], None],
                 audio_url: Callable[[str], str] | None = None, *, separate_process: bool = False,
                 pack_dir: Path | None = None):
        self.engine = engine
        self.pack_dir = None if pack_dir is None else Path(pack_dir)
        self.separate_process = separate_process  # how a new voice's engine is run
        self.cache_dir = Path(cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.publish = publish
        self.audio_url = audio_url or (lambda name: f"/audio/{name}")
        self._calls = HallQueue()  # the calls not yet handed to their hall
        self._changed = threading.Condition()
        self._closed = False
        # Under gevent's monkey-patching this thread is a greenlet and the queue is
        # cooperative; the engine then runs in its own process (layso.speech.process).
        self._thread = threading.Thread(target=self._run, name="speech-announcer", daemon=True)
        self._thread.start()

    def announce(self, ticket: dict, counter: int, settings: VoiceSettings, *, recall: bool = False,
                 lane=None) -> None:
        """Queue the call of ``ticket`` (its label in ``ticket["number"]``) to ``counter``, for
        the hall ``lane`` — paced to it, and short in a backlog — or, with None, for nobody's
        pace (:class:`~layso.speech.hall_queue.HallQueue`).

        Returns at once; the announcement follows every one queued before it in its hall, a
        recall included — unless it is the recall of a call still waiting, which merges into it.
        Never raises for speech problems.
        """
        if self._closed:
            log.warning("announcer is closed; call of %s not spoken", ticket.get("number"))
            return
        with self._changed:
            if not self._calls.add(Call(ticket, counter, settings, recall=recall), lane):
                log.info("recall of %s merged into its call still waiting", ticket.get("number"))
            self._changed.notify()

    def close(self, timeout: float = 30.0) -> None:
        """Finish the announcements already queued (at once, unpaced), stop the worker, close the engine."""
        with self._changed:
            self._closed = True
            self._changed.notify()
        self._thread.join(timeout)
        self.engine.close()

    def audio_path(self, text: str) -> Path:
        """Where the engine's audio of ``text`` (as :func:`engine_sentence` gives it) is cached."""
        return engine_audio_path(self.cache_dir, self.engine, text)

    def _run(self) -> None:
        while (taken := self._next_call()) is not None:
            lane, call = taken
            audio_s, chime = self._announce(call.ticket, call.counter, call.settings, short=call.short)
            with self._changed:
                self._calls.handed(lane, time.monotonic(), audio_s=audio_s, chime=chime)

    def _next_call(self):
        """Wait until a hall is (about to be) free for its next call; None once closed and empty."""
        with self._changed:
            while True:
                taken = self._calls.take(time.monotonic(), flush=self._closed)
                if taken is not None or (self._closed and not len(self._calls)):
                    return taken
                self._changed.wait(self._calls.wait_s(time.monotonic()))

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

    def _announce(self, ticket: dict, counter: int, settings: VoiceSettings, *, short: bool = False) -> tuple[float, bool]:
        """Publish the call's announcement; returns how long its audio lasts (s) and whether
        the display plays its own chime before it (not for a short one, nor a recorded chime)."""
        shown = public_ticket(ticket)
        text = url = failure = None
        chimed = False
        audio_s = 0.0
        full = settings  # the pack's clips are derived from the whole voice, both forms
        if short:
            settings = short_voice(settings)
        try:
            self._use_voice(settings)
            text = announcement_text(settings.template, label=ticket["number"], counter=counter,
                                     dialect=settings.dialect,
                                     digit_by_digit=settings.digit_by_digit)
            recorded = self._recorded(ticket, counter, full, settings, text, chime=not short)
            if recorded is not None:
                path, chimed = recorded
            else:
                spoken = engine_sentence(settings, label=ticket["number"], counter=counter, engine=self.engine.name)
                path = engine_call(self.engine, self.cache_dir, spoken)
            url = self.audio_url(path.name)
            audio_s = _seconds(path)
        except Exception as error:  # the worker must outlive any one announcement
            failure = error
            log.error("announcement of %s at counter %s failed: %s", ticket.get("number"),
                      counter, error, exc_info=not isinstance(error, SpeechError))
        self._publish(Event(ANNOUNCEMENT_READY,
                            {"ticket": shown, "counter": counter, "text": text, "audio_url": url,
                             "chime_included": chimed, "short": short},
                            rooms=(display_room(),)))
        if failure is not None:
            self._publish(Event(ANNOUNCEMENT_FAILED,
                                {"ticket": shown, "counter": counter, "error": str(failure)},
                                rooms=(dashboard_room(),)))
        return audio_s, not (short or chimed)

    def _recorded(self, ticket: dict, counter: int, full: VoiceSettings, settings: VoiceSettings, text: str, *,
                  chime: bool):
        """The call from the voice pack in the form ``settings`` speaks (``full``: the whole voice,
        whose clips the pack holds): (path, chime included), or None when the pack lacks a clip it
        needs or cannot be read (the engine speaks it then)."""
        if self.pack_dir is None:
            return None
        try:
            path, chimed, missing = pack_call(self.pack_dir, self.cache_dir, full, joining(settings), label=ticket["number"],
                                              counter=counter, text=text, template=settings.template, chime=chime)
        except (OSError, ValueError, KeyError) as error:  # a damaged clip or manifest: audio.AudioError is a ValueError
            log.error("voice pack unusable for %s, spoken by the engine: %r", ticket.get("number"), error)
            return None
        if missing:
            log.info("voice pack lacks %s for %s: spoken by the engine", ", ".join(missing), ticket["number"])
            return None
        return path, chimed

    def _publish(self, event: Event) -> None:
        try:
            self.publish(event)
        except Exception:  # a broken subscriber must not stop the announcements after it
            log.exception("publishing %s failed", event.name)


def _seconds(path: Path) -> float:
    """How long a WAV file plays (0 for one that cannot be read: the hall then hears the chime only)."""
    try:
        with wave.open(str(path)) as sound:
            return sound.getnframes() / sound.getframerate()
    except (OSError, EOFError, wave.Error):
        return 0.0
