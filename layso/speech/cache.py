"""The audio of a call, made once and kept: from the recorded voice pack, or from the engine.

Files are named by a SHA-256 (what /audio/<name>.wav serves) of everything that makes them
sound as they do, and written under a temporary name, then renamed: the cache never holds
half a file, and two makers of the same file (the announcer, an admin's "nghe thử") agree.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

from layso.speech import audio
from layso.speech.assembly import Joining, assemble, plan
from layso.speech.engines import SpeechError
from layso.speech.pack import announcement_pieces

CACHE_FORMAT = 2  # 2: engine files mastered (headroom, one rate), pauses between the parts


def audio_folder(instance_dir: Path) -> Path:
    """Where the spoken calls are kept (and served from by /audio): beside the database."""
    return Path(instance_dir) / "audio"


def _named(cache_dir: Path, key: list) -> Path:
    return Path(cache_dir) / f"{hashlib.sha256(json.dumps(key).encode()).hexdigest()}.wav"


def engine_audio_path(cache_dir: Path, engine, spoken: str) -> Path:
    """Where the engine's audio of ``spoken`` (the sentence as the engine is given it) is kept:
    a hash of it and the voice that speaks it."""
    return _named(cache_dir, [spoken, engine.name, engine.voice, engine.speed, engine.volume, CACHE_FORMAT])


def engine_call(engine, cache_dir: Path, spoken: str) -> Path:
    """The engine's audio of ``spoken``, made if it is not kept yet and mastered like the pack's
    clips: one rate, normalised, peaks ≤ −1 dBFS (espeak-ng's own peak at −0.05 dBFS and
    clipped when a browser resampled them). Raises SpeechError."""
    path = engine_audio_path(cache_dir, engine, spoken)
    if path.exists():
        return path
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=cache_dir, prefix=".partial-", suffix=".wav")
    os.close(handle)
    try:
        engine.synthesize(spoken, Path(partial))
        try:
            mastered = audio.master(Path(partial).read_bytes())
        except audio.AudioError as error:
            raise SpeechError(f"the engine's file cannot be read: {error}") from error
        write_whole(path, mastered)
    finally:
        Path(partial).unlink(missing_ok=True)
    return path


def pack_call(pack_dir: Path, cache_dir: Path, settings, joining: Joining, *, label: str, counter: int,
              text: str, template: str | None = None, chime: bool = True) -> tuple[Path | None, bool, list[str]]:
    """The call of ``label`` to ``counter`` assembled from the pack in the sentence ``template``
    (default the voice's own; the short form's for a backlog): (path, whether it begins with
    the recorded chime — never without ``chime`` —, []), or (None, False, the keys it lacks).
    Kept under a hash of its text, the SHA-256 of each clip used and the pauses: a clip
    recorded again makes new audio. Raises ValueError (audio.AudioError) or OSError for a
    pack that cannot be read."""
    pieces = announcement_pieces(settings, label=label, counter=counter, template=template)
    chosen = plan(pack_dir, settings, pieces, chime=chime)
    if chosen.missing:
        return None, False, chosen.missing
    path = _named(cache_dir, [text, "voice-pack", chosen.signature(joining)])
    if not path.exists():
        write_whole(path, audio.wav_bytes(assemble(pack_dir, chosen, joining)))
    return path, chosen.chime is not None, []


def write_whole(path: Path, data: bytes) -> None:
    """``data`` into ``path`` under a temporary name, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".partial-", suffix=".wav")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)
