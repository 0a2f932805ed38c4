"""The hall's voice (giọng đọc): one Announcer per app, fed by the calls published after commit.

Speech is made only when a configured screen speaks (``speak = true``): without one
nobody would play the audio. The announcer's ``announcement.ready`` goes through the
app's publish, so it reaches the ``display`` room like every other event.
"""

import logging
import weakref

from layso.events import SETTINGS_CHANGED, TICKET_CALLED, TICKET_RECALLED
from layso.settings import SettingsError
from layso.speech.announcer import Announcer, VoiceSettings, start_announcer
from layso.speech.cache import audio_folder
from layso.speech.pack import pack_folder
from layso.store.center import get_setting
from layso.web.realtime import add_listener

from display.screens import screens

log = logging.getLogger(__name__)
SPOKEN = (TICKET_CALLED, TICKET_RECALLED)  # a recall (gọi lại) is spoken again
EXTENSION = "layso.announcer"
STOP = "layso.announcer.stop"


def voice_settings(raw: dict) -> VoiceSettings:
    """The center's ``voice`` setting as VoiceSettings; raises SettingsError naming the key."""
    unknown = sorted(set(raw) - set(VoiceSettings.__dataclass_fields__))
    if unknown:
        raise SettingsError(f"voice.{unknown[0]}: unknown setting")
    try:
        return VoiceSettings(**raw)
    except ValueError as error:
        raise SettingsError(str(error)) from None


def audio_dir(settings):
    """Where the spoken calls are cached (and served from by /audio)."""
    return audio_folder(settings.instance_dir)




def _stored_voice(app) -> VoiceSettings:
    with app.extensions["layso.pool"].connection() as database:
        return voice_settings(get_setting(database, "voice", {}))


def start_voice(app) -> Announcer | None:
    """Start the app's announcer and have it speak every call and recall.

    Returns None (and starts nothing) when no screen speaks. The voice setting is read
    again whenever an admin changes it (``settings.changed`` {what: "voice"}): the next
    call uses the new sentence, and the new engine, voice, speed or volume. The announcer
    is closed by :func:`stop_voice`, or when the app is garbage-collected or the process exits.
    """
    settings = app.extensions["layso.settings"]
    if not any(screen.speak for screen in screens(settings)):
        return None
    voice = _stored_voice(app)
    # A weak reference: the worker thread must not keep a discarded app (tests make many) alive.
    app_ref = weakref.ref(app)

    def publish(event) -> None:
        live_app = app_ref()
        if live_app is not None:
            live_app.extensions["layso.publish"]([event])

    # Under gevent, speech made in the server's own process would hold up the hub.
    announcer = start_announcer(voice, audio_dir(settings), publish, separate_process=settings.async_mode == "gevent",
                                pack_dir=pack_folder(settings.instance_dir))
    app.extensions[EXTENSION] = announcer
    # Runs once: at stop_voice(), when the app is collected, or at exit.
    app.extensions[STOP] = weakref.finalize(app, announcer.close)

    speaking = [screen for screen in screens(settings) if screen.speak]

    def hall_of(counter: int):
        """The speaking screen that plays this counter's calls (its hall's pace), or None."""
        return next((screen.id for screen in speaking if screen.shows_counter(counter)), None)

    def speak(event) -> None:
        nonlocal voice
        if event.name in SPOKEN:
            counter = event.data["counter"]
            announcer.announce(event.data["ticket"], counter, voice, recall=event.name == TICKET_RECALLED,
                               lane=hall_of(counter))
        elif event.name == SETTINGS_CHANGED and event.data.get("what") == "voice":
            live_app = app_ref()
            if live_app is None:
                return
            try:
                voice = _stored_voice(live_app)
            except SettingsError as error:  # the admin screen checks first; keep speaking meanwhile
                log.error("voice setting not applied: %s", error)

    add_listener(app, speak)
    log.info("voice: %s %s at %s wpm", voice.engine, voice.voice, voice.speed)
    return announcer


def stop_voice(app) -> None:
    """Finish the queued announcements and stop the app's announcer (if it has one)."""
    app.extensions.pop(EXTENSION, None)
    stop = app.extensions.pop(STOP, None)
    if stop is not None:
        stop()
