"""The center's recorded voice (giọng đọc thu âm), managed by admins: which clips the
configuration needs and which are recorded, a clip recorded or uploaded, deleted, and the
whole pack exported and imported as a zip (so one recording serves a province).

The pack itself — folder, manifest, clips — is layso/speech/pack.py; joining clips into a
call is layso/speech/assembly.py. Each change is audited and announced as
``settings.changed`` {what: "voice_pack"}: the admin page and the dashboard reload.
"""

from dataclasses import fields
from datetime import datetime
from pathlib import Path

from layso.admin import settings_changed
from layso.clock import iso
from layso import inputs
from layso.errors import Conflict, InvalidInput, NotFound
from layso.events import Outcome
from layso.queue.services import service_prefixes
from layso.speech import audio, pack
from layso.speech.announcer import VoiceSettings, announcement_text, build_engine, engine_sentence, joining
from layso.speech.cache import engine_call, pack_call
from layso.speech.engines import SpeechError
from layso.store.center import audit, get_setting
from layso.store.db import write

MAX_CLIP_BYTES = 20 * 1024 ** 2  # a minute of 48 kHz stereo 16-bit is 11 MB
MAX_PACK_BYTES = 100 * 1024 ** 2
NAMED_IN_ALERT = 5  # the dashboard names this many missing clips, then counts the rest


def stored_voice(db) -> VoiceSettings:
    """The center's ``voice`` setting (checked when it was saved)."""
    raw = get_setting(db, "voice", {}) or {}
    known = {field.name for field in fields(VoiceSettings)}
    return VoiceSettings(**{key: value for key, value in raw.items() if key in known})


def center_clips(db) -> list[pack.Clip]:
    """Every clip this center's announcements need (pack.derive_clips of its voice and prefixes)."""
    return pack.derive_clips(stored_voice(db), service_prefixes(db))


def overview(db, folder: Path) -> dict:
    """``{"clips": [{key, text, group, optional, recorded, duration_s}], "complete", "missing"}``."""
    return pack.pack_status(folder, center_clips(db))


def _clip(db, key) -> pack.Clip:
    for clip in center_clips(db):
        if clip.key == key:
            return clip
    raise NotFound("Không có đoạn ghi âm này trong giọng đọc của trung tâm.",
                   message_en="The center's voice has no such clip.")


def _refused(error: audio.AudioError) -> InvalidInput:
    return InvalidInput(f"Tệp âm thanh không dùng được: {error.vietnamese}",
                        message_en=f"The sound file cannot be used: {error}")


def record_clip(db, folder: Path, key: str, data: bytes, *, by: str, now: datetime) -> Outcome:
    """Keep ``data`` (a PCM WAV: any common rate, mono or stereo) as the clip ``key``, trimmed,
    normalised and resampled. Returns Outcome(the clip's row as in :func:`overview`).
    Raises NotFound (no such clip), InvalidInput (not a usable recording)."""
    clip = _clip(db, key)
    if len(data) > MAX_CLIP_BYTES:
        raise InvalidInput("Tệp ghi âm tối đa 20 MB.", message_en="A recording may be at most 20 MB.")
    try:
        samples = audio.prepare_clip(data)
    except audio.AudioError as error:
        raise _refused(error) from error
    entry = pack.save_clip(folder, clip, samples, now=now)
    row = {"key": clip.key, "text": clip.text, "group": clip.group, "optional": clip.optional,
           "recorded": True, "duration_s": entry["duration_s"], "loudness_db": entry["loudness_db"]}
    return _changed(db, "voice_pack.record", {"key": key, "duration_s": entry["duration_s"]}, row, by=by, now=now)


def delete_clip(db, folder: Path, key: str, *, by: str, now: datetime) -> Outcome:
    """Forget the recording of ``key``. Raises NotFound when it is not recorded."""
    if not isinstance(key, str) or not pack.KEY.fullmatch(key) or not pack.delete_clip(folder, key):
        raise NotFound("Đoạn này chưa được ghi âm.", message_en="This clip is not recorded.")
    return _changed(db, "voice_pack.delete", {"key": key}, {"key": key, "recorded": False}, by=by, now=now)


def import_pack(db, folder: Path, data: bytes, *, by: str, now: datetime) -> Outcome:
    """Replace the pack by the zip ``data`` (as exported). Returns Outcome(:func:`overview`).
    Raises InvalidInput, the pack in place unchanged."""
    if len(data) > MAX_PACK_BYTES:
        raise InvalidInput("Tệp giọng đọc tối đa 100 MB.", message_en="A voice pack may be at most 100 MB.")
    try:
        count = pack.import_zip(folder, data, now=now)
    except audio.AudioError as error:
        raise _refused(error) from error
    return _changed(db, "voice_pack.import", {"clips": count}, overview(db, folder), by=by, now=now)


def _changed(db, action: str, detail: dict, value, *, by: str, now: datetime) -> Outcome:
    with write(db):
        audit(db, by=by, action=action, detail=detail, now=now)
    return Outcome(value, [settings_changed(db, "voice_pack", at=iso(now))])


def missing_alert(db, folder: Path) -> dict | None:
    """The dashboard's standing alert while a pack has been started but lacks clips the calls
    need (those calls are spoken by the engine): ``{kind: "voice_pack_incomplete", level,
    missing: [texts], missing_count}``. None with no pack at all, or a complete one."""
    status = overview(db, folder)
    if status["complete"] or not any(row["recorded"] for row in status["clips"]):
        return None
    texts = {row["key"]: row["text"] for row in status["clips"]}
    missing = [texts[key] for key in status["missing"]]
    return {"kind": "voice_pack_incomplete", "level": "warning", "missing": missing[:NAMED_IN_ALERT],
            "missing_keys": status["missing"][:NAMED_IN_ALERT], "missing_count": len(missing)}


def clip_file(db, folder: Path, key) -> Path:
    """The recorded WAV of ``key``. Raises NotFound when it is not recorded (for this text)."""
    clip = _clip(db, key)
    if not pack.recorded(pack.load_manifest(folder), folder, clip):
        raise NotFound("Đoạn này chưa được ghi âm.", message_en="This clip is not recorded.")
    return Path(folder) / pack.load_manifest(folder)[clip.key]["file"]


MAX_PREVIEW_COUNTER = 9999


def preview(db, folder: Path, cache_dir: Path, body: dict, *, separate_process: bool = False) -> dict:
    """"Nghe thử": the call of ``body["number"]`` (a ticket label, "A1023") to
    ``body["counter"]`` as the hall would hear it now — from the recorded pack when it has
    every clip, else from the engine. Returns {text, voice: "pack" | "engine", missing:
    [{key, text}], audio_url, chime_included}. Raises InvalidInput (an unreadable number or
    counter), Conflict (the engine could not speak)."""
    label = inputs.text(body.get("number"), "ticket_label", name="number")
    counter = inputs.number(body.get("counter"), "counter", low=1, high=MAX_PREVIEW_COUNTER)
    voice = stored_voice(db)
    try:
        text = announcement_text(voice.template, label=label, counter=counter, dialect=voice.dialect,
                                 digit_by_digit=voice.digit_by_digit)
        path, chimed, missing = pack_call(folder, cache_dir, voice, joining(voice), label=label, counter=counter, text=text)
    except audio.AudioError as error:
        raise _refused(error) from error
    except ValueError as error:
        raise InvalidInput("Số thứ tự gồm chữ cái rồi chữ số, ví dụ A1023.",
                           message_en="A ticket number is letters then digits, e.g. A1023.") from error
    if path is None:
        engine = build_engine(voice, separate_process=separate_process)
        try:
            path = engine_call(engine, cache_dir, engine_sentence(voice, label=label, counter=counter, engine=engine.name))
        except SpeechError as error:
            raise Conflict(f"Giọng máy không đọc được câu này: {error}", message_en=f"The synthetic voice could not speak it: {error}") from error
        finally:
            engine.close()
    texts = {clip.key: clip.text for clip in center_clips(db)}
    return {"text": text, "voice": "engine" if missing else "pack", "chime_included": chimed,
            "missing": [{"key": key, "text": texts.get(key, key)} for key in missing], "audio_url": f"/audio/{path.name}"}
