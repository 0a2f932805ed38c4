"""How well the hall's voice is understood: announcements for a fixed set of numbers and
counters, transcribed by an offline Vietnamese speech recogniser (PyPI ``viet-asr``, its
model inside the wheel; a bench/test extra only), scored by word error rate against the
sentence meant.

    .venv/bin/python bench/voice_intelligibility.py                # espeak-ng, its voices
    .venv/bin/python bench/voice_intelligibility.py --pack instance/voice-pack

For espeak-ng it scores the sentence as the announcer now gives it (parts separated by SSML
pauses, mastered to −20 dBFS with peaks ≤ −1 dBFS) and, for comparison, as it was given
before issue 19 (one run of words, the raw file), for each voice asked for. With ``--pack``
it scores the calls assembled from a recorded voice pack (every clip they need must be
recorded). The recogniser itself misses about 10 % of the words of natural Vietnamese
speech (measured on its own), so that is the floor; docs/benchmarks.md has the figures.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layso.speech import audio  # noqa: E402
from layso.speech.announcer import VoiceSettings, announcement_text, engine_sentence, joining  # noqa: E402
from layso.speech.assembly import assemble, plan  # noqa: E402
from layso.speech.engines import EspeakEngine  # noqa: E402
from layso.speech.pack import announcement_pieces  # noqa: E402

# Numbers as centers hand them out, with the readings that trip voices: mốt, tư/bốn, lăm, linh, nghìn.
CALLS = [("A15", 5), ("B21", 3), ("A104", 12), ("D1023", 7), ("B7", 24), ("A245", 1), ("D31", 15), ("B1005", 9),
         ("A64", 2), ("D350", 11)]
ASR_RATE = 16000


def words(text: str) -> list[str]:
    """Lower-case words without punctuation (NFC), as the score compares them."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Substitutions, deletions and insertions turning ``reference`` into ``hypothesis``."""
    previous = list(range(len(hypothesis) + 1))
    for index, word in enumerate(reference, start=1):
        current = [index]
        for column, heard in enumerate(hypothesis, start=1):
            current.append(min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (word != heard)))
        previous = current
    return previous[-1]


def recogniser():
    try:
        from vietasr import Pipeline
    except ImportError:
        sys.exit("viet-asr is not installed: .venv/bin/pip install -e '.[bench]'")
    return Pipeline.preset("transcribe")


def transcribe(pipeline, samples: np.ndarray, rate: int) -> str:
    at_16k = audio.resample(samples, rate, ASR_RATE)
    pcm = np.clip(np.round(at_16k * 32767), -32768, 32767).astype(np.int16)
    return pipeline.transcribe(pcm, sample_rate=float(ASR_RATE)).text


def espeak_old(voice: VoiceSettings, text: str, folder: Path) -> tuple[np.ndarray, int]:
    """The sentence as espeak-ng spoke it before issue 19: one run of words, the file as it came."""
    path = folder / "old.wav"
    subprocess.run(["espeak-ng", "-v", voice.voice, "-s", str(voice.speed), "-w", str(path), "--", text], check=True)
    return audio.read_wav_file(path)


def espeak_now(voice: VoiceSettings, label: str, counter: int, folder: Path) -> tuple[np.ndarray, int]:
    """The sentence as the announcer gives espeak-ng now: pauses between its parts, mastered."""
    path = folder / "now.wav"
    engine = EspeakEngine(voice=voice.voice, speed=voice.speed)
    engine.synthesize(engine_sentence(voice, label=label, counter=counter, engine="espeak-ng"), path)
    return audio.read_wav(audio.master(path.read_bytes()))


def from_pack(pack: Path, voice: VoiceSettings, label: str, counter: int):
    chosen = plan(pack, voice, announcement_pieces(voice, label=label, counter=counter), chime=False)
    if chosen.missing:
        return None, chosen.missing
    return (assemble(pack, chosen, joining(voice)), audio.RATE), []


def score(name: str, pipeline, voice: VoiceSettings, make, *, show: bool) -> float | None:
    errors = total = 0
    started = time.perf_counter()
    for label, counter in CALLS:
        text = announcement_text(voice.template, label=label, counter=counter, dialect=voice.dialect,
                                 digit_by_digit=voice.digit_by_digit)
        made = make(label, counter, text)
        if made is None:
            return None
        heard = transcribe(pipeline, *made)
        wrong = word_errors(words(text), words(heard))
        errors, total = errors + wrong, total + len(words(text))
        if show:
            print(f"    {label:>6} quầy {counter:<3} {wrong:2d}/{len(words(text))} «{heard}»")
    rate = errors / total
    print(f"{name:<44} WER {rate:6.1%}  ({errors}/{total} words, {len(CALLS)} calls, {time.perf_counter() - started:.1f} s)")
    return rate


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", type=Path, help="a recorded voice pack folder (instance/voice-pack)")
    parser.add_argument("--voices", default="vi,vi-vn-x-central,vi-vn-x-south",
                        help="espeak-ng voices to score, comma-separated ('' for none)")
    parser.add_argument("--speed", type=int, default=150)
    parser.add_argument("--calls", type=int, default=len(CALLS), help="score only the first N calls")
    parser.add_argument("--show", action="store_true", help="print what was heard for each call")
    args = parser.parse_args(argv)
    del CALLS[args.calls:]
    pipeline = recogniser()
    print(f"voice intelligibility: {len(CALLS)} calls transcribed by viet-asr (word error rate; lower is better)")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name in filter(None, args.voices.split(",")):
            voice = VoiceSettings(voice=name, speed=args.speed)
            score(f"espeak-ng {name} {args.speed}/min, before (no pauses, raw)", pipeline, voice,
                  lambda label, counter, text: espeak_old(voice, text, folder), show=args.show)
            score(f"espeak-ng {name} {args.speed}/min, now (pauses, mastered)", pipeline, voice,
                  lambda label, counter, text: espeak_now(voice, label, counter, folder), show=args.show)
    if args.pack:
        voice = VoiceSettings()
        lacking = set()

        def make(label, counter, text):
            made, missing = from_pack(args.pack, voice, label, counter)
            lacking.update(missing)
            return made

        if score(f"recorded pack {args.pack}", pipeline, voice, make, show=args.show) is None:
            print(f"recorded pack {args.pack}: lacks {', '.join(sorted(lacking))} — record them first")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
