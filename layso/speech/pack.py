"""The center's own voice (giọng đọc thu âm): which clips every announcement needs, and the
folder that keeps them.

A voice pack is a folder of WAV files (mono, :data:`layso.speech.audio.RATE`, trimmed and
loudness-normalised) with a ``manifest.json``: key → file, text, duration, loudness. The
clips are derived from the configuration (:func:`derive_clips`): the template's fixed parts
around ``{number}`` and ``{counter}``, the number words of both regional readings, the names
of the prefix letters in use, and the chime. An announcement is the clips of its words
(:func:`announcement_pieces`), joined by :mod:`layso.speech.assembly`.

Keys are stable and URL-safe: ``chime``, ``phrase-<the text without its marks>``,
``digit-0`` … ``digit-9`` and the named number words (``ten`` "mười", ``tens`` "mươi",
``one-after-tens`` "mốt" …), ``letter-a`` … A clip counts as recorded only when the
manifest holds it for the same text: a changed template asks for its new phrase again.
"""

import hashlib
import io
import json
import os
import re
import shutil
import string
import threading
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from layso.speech import audio
from layso.speech.words import DIGITS, LETTER_NAMES, label_parts, number_words

FOLDER = "voice-pack"  # beside the database
MANIFEST = "manifest.json"
FORMAT = 1  # the manifest's own version
CHIME = "chime"
CHIME_TEXT = "Tiếng chuông"  # shown in the list; the clip is a sound, not words

# Each number word once, with its key; where the readings differ both are listed.
NUMBER_WORDS = (
    *((f"digit-{value}", word) for value, word in enumerate(DIGITS)),
    ("ten", "mười"), ("tens", "mươi"), ("one-after-tens", "mốt"), ("five-after-ten", "lăm"),
    ("four-after-tens", "tư"), ("zero-tens-north", "linh"), ("zero-tens-south", "lẻ"),
    ("hundred", "trăm"), ("thousand-north", "nghìn"), ("thousand-south", "ngàn"),
)
WORD_KEYS = {word: key for key, word in NUMBER_WORDS}
# Words the other reading uses and this one never says (miền Bắc: linh, nghìn, tư; miền Nam: lẻ, ngàn).
OTHER_READING = {"north": {"lẻ", "ngàn"}, "south": {"linh", "nghìn", "tư"}}
KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_LOCK = threading.Lock()  # one writer at a time; readers see whole files (written, then renamed)


@dataclass(frozen=True)
class Clip:
    """One clip of the pack (đoạn ghi âm): ``optional`` when this center's reading never needs it."""

    key: str
    text: str
    group: str  # chime, phrase, number, letter
    optional: bool = False


def _plain(text: str) -> str:
    """The text without Vietnamese marks, in lower case, words joined by "-": a key's tail."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", bare))[:60] or "x"


# Vietnamese letters written as in Telex, so that A and Ă, D and Đ keep keys of their own.
_LETTER_TAILS = {"Ă": "aw", "Â": "aa", "Đ": "dd", "Ê": "ee", "Ô": "oo", "Ơ": "ow", "Ư": "uw"}


def letter_key(letter: str) -> str:
    """``letter-a`` for A, ``letter-dd`` for Đ (a letter of LETTER_NAMES, in upper case)."""
    return f"letter-{_LETTER_TAILS.get(letter, letter.lower())}"


def sentence_templates(voice) -> list[str]:
    """Every sentence form the hall speaks: the template, then the short form a backlog is
    spoken in, as :func:`layso.speech.announcer.short_voice` makes it. The one place that
    says which forms the pack must cover."""
    from layso.speech.announcer import short_voice  # imported here: the announcer imports this module

    forms = [voice.template, short_voice(voice).template]
    return list(dict.fromkeys(forms))


def template_parts(template: str) -> list[tuple[str, str | None]]:
    """The template as pieces: ("phrase", text) for a fixed part, ("number"/"counter", None)
    for a placeholder. Blank or punctuation-only parts are left out (a pause says them)."""
    pieces = []
    for literal, field, _, _ in string.Formatter().parse(template):
        text = unicodedata.normalize("NFC", literal).strip(" \t\n,.;:!?…-–—")
        if re.search(r"\w", text):
            pieces.append(("phrase", text))
        if field is not None:
            pieces.append((field, None))
    return pieces


def phrase_clips(voice) -> list[Clip]:
    """The fixed parts of every sentence form, each once; a key taken by another text gets a number."""
    clips, keys = [], {}
    for template in sentence_templates(voice):
        for kind, text in template_parts(template):
            if kind != "phrase" or any(clip.text == text for clip in clips):
                continue
            key = base = f"phrase-{_plain(text)}"
            number = 2
            while key in keys:
                key, number = f"{base}-{number}", number + 1
            keys[key] = text
            clips.append(Clip(key, text, "phrase"))
    return clips


def phrase_key(voice, text: str) -> str:
    return next(clip.key for clip in phrase_clips(voice) if clip.text == text)


def derive_clips(voice, prefixes) -> list[Clip]:
    """The clips every announcement of this center needs, in the order an announcer records
    them: the chime, the sentence's fixed parts, the number words (both readings; the other
    one's words optional), the names of the letters of ``prefixes`` (its services')."""
    unused = OTHER_READING[voice.dialect]
    clips = [Clip(CHIME, CHIME_TEXT, "chime", optional=True), *phrase_clips(voice)]
    clips += [Clip(key, word, "number", optional=word in unused) for key, word in NUMBER_WORDS]
    letters = []
    for prefix in prefixes:
        for letter in unicodedata.normalize("NFC", prefix).upper():
            if letter in LETTER_NAMES and letter not in letters:
                letters.append(letter)
    clips += [Clip(letter_key(letter), LETTER_NAMES[letter], "letter") for letter in letters]
    return clips


def announcement_pieces(voice, *, label: str, counter: int, template: str | None = None) -> list[list[str]]:
    """The clip keys of one announcement, piece by piece: each fixed part, the label (letters
    then number words), the counter's number words. Words inside a piece are joined by the
    word pause, pieces by the part pause. A word no clip is listed for (triệu, a letter
    without a Vietnamese name) gets a key that is never recorded: the engine speaks that call.
    Raises ValueError for a label that is not letters then digits."""
    pieces = []
    for kind, text in template_parts(template or voice.template):
        if kind == "phrase":
            pieces.append([phrase_key(voice, text)])
        elif kind == "number":
            prefix, digits = label_parts(label)
            keys = [letter_key(letter.upper()) if letter.upper() in LETTER_NAMES else f"unlisted-{_plain(letter)}"
                    for letter in prefix]
            if voice.digit_by_digit:
                words = [DIGITS[int(digit)] for digit in digits]
            else:
                words = number_words(int(digits), dialect=voice.dialect).split()
            pieces.append(keys + [_word_key(word) for word in words])
        else:
            pieces.append([_word_key(word) for word in number_words(counter, dialect=voice.dialect).split()])
    return pieces


def _word_key(word: str) -> str:
    return WORD_KEYS.get(word) or f"unlisted-{_plain(word)}"


# ---- The folder ----

def pack_folder(instance_dir: Path) -> Path:
    """The center's voice pack: ``<instance>/voice-pack``, beside the database."""
    return Path(instance_dir) / FOLDER


def load_manifest(folder: Path) -> dict:
    """key → {file, text, duration_s, loudness_db, sha256, recorded_at}; {} for no pack yet."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        return {}
    return manifest.get("clips", {})


def recorded(manifest: dict, folder: Path, clip: Clip) -> bool:
    entry = manifest.get(clip.key)
    return bool(entry) and entry["text"] == clip.text and (Path(folder) / entry["file"]).is_file()


def pack_status(folder: Path, clips: list[Clip]) -> dict:
    """``{"clips": [{key, text, group, optional, recorded, duration_s}], "complete", "missing"}``:
    complete when every clip this center needs is recorded; ``missing`` lists those that are not."""
    manifest = load_manifest(folder)
    rows = []
    for clip in clips:
        has = recorded(manifest, folder, clip)
        rows.append({"key": clip.key, "text": clip.text, "group": clip.group, "optional": clip.optional,
                     "recorded": has, "duration_s": manifest[clip.key]["duration_s"] if has else None})
    missing = [row["key"] for row in rows if not row["recorded"] and not row["optional"]]
    return {"clips": rows, "complete": not missing, "missing": missing}


def _write_manifest(folder: Path, manifest: dict) -> None:
    partial = Path(folder) / f".{MANIFEST}.partial"
    partial.write_text(json.dumps({"format": FORMAT, "sample_rate": audio.RATE, "clips": manifest},
                                  ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    os.replace(partial, Path(folder) / MANIFEST)


def _entry(key: str, text: str, samples, data: bytes, *, now: datetime) -> dict:
    return {"file": f"{key}.wav", "text": text, "duration_s": round(len(samples) / audio.RATE, 3),
            "loudness_db": round(audio.loudness_db(samples), 1), "sha256": hashlib.sha256(data).hexdigest(),
            "recorded_at": now.isoformat(timespec="seconds")}


def save_clip(folder: Path, clip: Clip, samples, *, now: datetime) -> dict:
    """Store ``samples`` (already prepared: :func:`layso.speech.audio.prepare_clip`) as ``clip``;
    returns its manifest entry."""
    folder = Path(folder)
    data = audio.wav_bytes(samples)
    with _LOCK:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{clip.key}.partial"
        partial.write_bytes(data)
        os.replace(partial, folder / f"{clip.key}.wav")
        manifest = load_manifest(folder)
        manifest[clip.key] = entry = _entry(clip.key, clip.text, samples, data, now=now)
        _write_manifest(folder, manifest)
    return entry


def delete_clip(folder: Path, key: str) -> bool:
    """Forget the clip ``key``; False when it was not there."""
    folder = Path(folder)
    with _LOCK:
        manifest = load_manifest(folder)
        entry = manifest.pop(key, None)
        if entry is None:
            return False
        _write_manifest(folder, manifest)
        (folder / entry["file"]).unlink(missing_ok=True)
    return True


def clip_samples(folder: Path, entry: dict):
    samples, rate = audio.read_wav_file(Path(folder) / entry["file"])
    return audio.resample(samples, rate)


def export_zip(folder: Path) -> bytes:
    """The whole pack as a zip: ``manifest.json`` and one WAV per clip."""
    folder = Path(folder)
    buffer = io.BytesIO()
    with _LOCK, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        manifest = load_manifest(folder)
        present = {key: entry for key, entry in manifest.items() if (folder / entry["file"]).is_file()}
        archive.writestr(MANIFEST, json.dumps({"format": FORMAT, "sample_rate": audio.RATE, "clips": present},
                                              ensure_ascii=False, indent=1, sort_keys=True))
        for entry in present.values():
            archive.write(folder / entry["file"], entry["file"])
    return buffer.getvalue()


MAX_IMPORT_CLIPS = 500
MAX_IMPORT_BYTES = 200 * 1024 ** 2  # unpacked; a pack of 60 clips is about 5 MB


def import_zip(folder: Path, data: bytes, *, now: datetime) -> int:
    """Replace the pack by the one in the zip ``data`` (as :func:`export_zip` makes it); every
    clip is read and made to the pack's format again. Returns how many clips it holds.
    Raises audio.AudioError naming what is wrong; the pack in place is then unchanged."""
    clips = _read_archive(data)
    folder = Path(folder)
    with _LOCK:
        incoming = folder.with_name(f".{folder.name}.import")
        shutil.rmtree(incoming, ignore_errors=True)
        incoming.mkdir(parents=True)
        manifest = {}
        for key, (text, samples, recorded_at) in clips.items():
            wav = audio.wav_bytes(samples)
            (incoming / f"{key}.wav").write_bytes(wav)
            manifest[key] = _entry(key, text, samples, wav, now=now) | ({"recorded_at": recorded_at[:40]} if recorded_at else {})
        _write_manifest(incoming, manifest)
        _swap_folder(folder, incoming)
    return len(clips)


def _read_archive(data: bytes) -> dict:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise audio.AudioError("not a zip file", "không phải tệp zip.") from error
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_IMPORT_CLIPS + 1 or sum(info.file_size for info in infos) > MAX_IMPORT_BYTES:
            raise audio.AudioError("the zip is too large for a voice pack", "tệp zip quá lớn cho một bộ giọng đọc.")
        try:
            manifest = json.loads(_member(archive, MANIFEST)).get("clips")
        except (ValueError, AttributeError, RecursionError) as error:
            raise audio.AudioError(f"the zip has no readable {MANIFEST}", f"tệp zip không có {MANIFEST} đọc được.") from error
        if not isinstance(manifest, dict):
            raise audio.AudioError(f"{MANIFEST} lists no clips", f"{MANIFEST} không liệt kê đoạn nào.")
        clips = {}
        for key, entry in manifest.items():
            if not isinstance(key, str) or not KEY.fullmatch(key) or not isinstance(entry, dict) \
                    or not isinstance(entry.get("text"), str) or not isinstance(entry.get("file"), str):
                raise audio.AudioError(f"{MANIFEST}: clip {str(key)[:80]!r} is not a key with a text and a file",
                                       f"{MANIFEST}: đoạn {str(key)[:80]!r} thiếu khóa, lời hoặc tệp.")
            wav = _member(archive, entry["file"])
            try:
                samples, rate = audio.read_wav(wav)
            except audio.AudioError as error:
                raise audio.AudioError(f"{key}: {error}", f"{key}: {error.vietnamese}") from error
            text = unicodedata.normalize("NFC", entry["text"])[:200]
            clips[key] = (text, audio.normalise(audio.fade_edges(audio.resample(samples, rate))),
                          entry.get("recorded_at") if isinstance(entry.get("recorded_at"), str) else None)
    return clips


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    """One file of the zip. Raises AudioError when it is missing or cannot be unpacked."""
    try:
        return archive.read(name)
    # A foreign zip fails in any of these ways: absent, corrupt, encrypted, an unknown method.
    except (KeyError, zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, zlib.error) as error:
        raise audio.AudioError(f"{name[:80]!r} is missing from the zip or cannot be unpacked",
                               f"tệp zip thiếu {name[:80]!r} hoặc không giải nén được.") from error


def _swap_folder(folder: Path, incoming: Path) -> None:
    """Put ``incoming`` where ``folder`` is, by two renames: a reader sees the old pack, the new
    one, or for an instant none (that call is spoken by the engine)."""
    retired = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if folder.exists():
        os.replace(folder, retired)
    os.replace(incoming, folder)
    shutil.rmtree(retired, ignore_errors=True)
