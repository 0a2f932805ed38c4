"""An announcement joined from the voice pack's clips (ghép câu từ giọng thu âm).

The clips of its words, in order (:func:`layso.speech.pack.announcement_pieces`): the chime
if one is recorded, a pause, then each piece of the sentence — words inside a piece (the
letters and number words of "A một nghìn không trăm hai mươi ba") joined by the word pause,
pieces by the part pause. Where a pause is zero the two clips overlap by a crossfade; every
clip's ends are faded, so no join clicks. The whole is loudness-normalised with its peaks at
most −1 dBFS (:mod:`layso.speech.audio`), at one sample rate.

A sentence uses the pack only when every clip it needs is recorded for the text it needs
(:func:`plan`); otherwise the engine speaks the whole sentence.
"""

import hashlib
import json
from dataclasses import dataclass

import numpy as np

from layso.speech import audio
from layso.speech.pack import (CHIME, CHIME_TEXT, NUMBER_WORDS, Clip, clip_samples, letter_key, load_manifest,
                               phrase_clips, recorded)
from layso.speech.words import LETTER_NAMES


@dataclass(frozen=True)
class Joining:
    """How clips are joined (the ``[voice]`` pauses, in milliseconds)."""

    word_pause_ms: int = 60
    part_pause_ms: int = 300
    chime_pause_ms: int = 400
    crossfade_ms: int = 15


@dataclass(frozen=True)
class Plan:
    """What one announcement is made of: the clips (with their manifest entries) piece by piece,
    the chime's entry or None, and the keys not recorded (empty when the pack can speak it)."""

    pieces: list
    chime: dict | None
    missing: list

    def signature(self, joining: Joining) -> str:
        """Changes whenever any clip used is recorded again, or the pauses change: the cache key."""
        clips = [[entry["sha256"] for _, entry in piece] for piece in self.pieces]
        chime = self.chime["sha256"] if self.chime else None
        spec = json.dumps([clips, chime, joining.__dict__, audio.RATE, audio.TARGET_DB, audio.PEAK_DB], sort_keys=True)
        return hashlib.sha256(spec.encode()).hexdigest()


def expected_clips(voice) -> dict:
    """key → Clip for every clip an announcement can ask for (letters: every named letter)."""
    clips = [Clip(CHIME, CHIME_TEXT, "chime", optional=True), *phrase_clips(voice)]
    clips += [Clip(key, word, "number") for key, word in NUMBER_WORDS]
    clips += [Clip(letter_key(letter), name, "letter") for letter, name in LETTER_NAMES.items()]
    return {clip.key: clip for clip in clips}


def plan(folder, voice, pieces: list[list[str]], *, chime: bool = True) -> Plan:
    """Match the keys of ``pieces`` against the pack in ``folder``: recorded for the same text;
    the recorded chime first unless ``chime`` is false (a backlog's short calls have none)."""
    manifest = load_manifest(folder)
    known = expected_clips(voice)
    missing, planned = [], []
    for piece in pieces:
        row = []
        for key in piece:
            clip = known.get(key)
            if clip is None or not recorded(manifest, folder, clip):
                missing.append(key)
            else:
                row.append((key, manifest[key]))
        planned.append(row)
    chimed = manifest.get(CHIME) if chime and recorded(manifest, folder, known[CHIME]) else None
    return Plan(planned, chimed, missing)


def layout(durations: list[list[float]], joining: Joining, *, chime_s: float | None = None) -> list[tuple[float, float]]:
    """(start, duration) in seconds of each clip in order — the chime first if given — under
    ``joining``: after a clip, the next starts after the pause, or overlaps it by the
    crossfade when the pause is zero."""
    placed, end = [], 0.0
    crossfade = joining.crossfade_ms / 1000
    items = []
    if chime_s is not None:
        items.append((chime_s, None))
    for piece_index, piece in enumerate(durations):
        for word_index, duration in enumerate(piece):
            pause = joining.part_pause_ms if word_index == 0 else joining.word_pause_ms
            if not items:
                pause = None
            elif piece_index == 0 and word_index == 0:
                pause = joining.chime_pause_ms
            items.append((duration, pause))
    for duration, pause in items:
        if pause is None:
            start = 0.0
        elif pause == 0:
            start = max(0.0, end - min(crossfade, duration / 2))
        else:
            start = end + pause / 1000
        placed.append((start, duration))
        end = start + duration
    return placed


def assemble(folder, chosen: Plan, joining: Joining) -> np.ndarray:
    """The announcement's samples at audio.RATE. Raises audio.AudioError for an unreadable clip."""
    clips = [[clip_samples(folder, entry) for _, entry in piece] for piece in chosen.pieces]
    chime = clip_samples(folder, chosen.chime) if chosen.chime else None
    sounds = ([chime] if chime is not None else []) + [samples for piece in clips for samples in piece]
    places = layout([[len(samples) / audio.RATE for samples in piece] for piece in clips], joining,
                    chime_s=None if chime is None else len(chime) / audio.RATE)
    length = max(int(round(start * audio.RATE)) + len(samples) for (start, _), samples in zip(places, sounds))
    out = np.zeros(length)
    fade_s = joining.crossfade_ms / 1000
    for (start, _), samples in zip(places, sounds):
        begin = int(round(start * audio.RATE))
        out[begin:begin + len(samples)] += audio.fade_edges(samples, audio.RATE, fade_s)
    return audio.normalise(out)
