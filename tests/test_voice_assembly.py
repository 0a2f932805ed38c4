"""A call assembled from the voice pack: a pack of synthetic clips, each a tone of its own
frequency, so that each segment of the result says by its spectrum which clip it is."""

from datetime import datetime

import numpy as np
import pytest

from layso.speech import audio
from layso.speech.announcer import VoiceSettings
from layso.speech.assembly import Joining, assemble, plan
from layso.speech.pack import announcement_pieces, derive_clips, pack_status, save_clip

NOW = datetime(2026, 12, 5, 8, 0)
PEAK_LIMIT = 10 ** (-1 / 20)
RATE = audio.RATE
BLOCK = int(RATE * 0.005)  # 5 ms blocks to find where sound starts and stops


def tone(frequency: float, seconds: float, rate: int = RATE, amplitude: float = 0.5) -> np.ndarray:
    """A sine that swells in and dies away over 5 ms, as any sound does (a cut-off sine would
    click in the recording itself, before any join)."""
    samples = amplitude * np.sin(2 * np.pi * frequency * np.arange(int(rate * seconds)) / rate)
    return audio.fade_edges(samples, rate, 0.005)


def tone_pack(folder, voice, prefixes=("A", "B"), *, recorded=True) -> dict:
    """Every clip of the center as a tone: 300 Hz, 340 Hz, … (40 Hz apart, far more than an
    FFT bin of the shortest clip), lasting 0.20 to 0.34 s. ``recorded``: at 44.1 kHz with
    silence around it, as a microphone gives it, and prepared as an upload is; else sound
    from its first sample to its last. Returns key → (frequency, seconds)."""
    made = {}
    for index, clip in enumerate(derive_clips(voice, prefixes)):
        frequency, seconds = 300 + 40 * index, 0.20 + 0.02 * (index % 8)
        if recorded:
            raw = np.concatenate([np.zeros(4410), tone(frequency, seconds, 44100), np.zeros(8820)])
            samples = audio.prepare_clip(audio.wav_bytes(raw, 44100))
        else:
            samples = audio.normalise(tone(frequency, seconds))
        save_clip(folder, clip, samples, now=NOW)
        made[clip.key] = (frequency, seconds)
    return made


def sounding_runs(samples: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) sample indexes of each stretch of sound between silences."""
    count = len(samples) // BLOCK
    loud = np.sqrt(np.mean(samples[:count * BLOCK].reshape(count, BLOCK) ** 2, axis=1)) > 0.01
    runs, start = [], None
    for index, on in enumerate(loud):
        if on and start is None:
            start = index
        elif not on and start is not None:
            runs.append((start * BLOCK, index * BLOCK))
            start = None
    if start is not None:
        runs.append((start * BLOCK, count * BLOCK))
    return runs


def dominant_frequency(samples: np.ndarray) -> float:
    window = samples * np.hanning(len(samples))
    spectrum = np.abs(np.fft.rfft(window, 8 * len(window)))
    return float(np.argmax(spectrum) * RATE / (8 * len(window)))


A1023_AT_5 = [
    ["phrase-xin-moi-cong-dan-co-so-thu-tu"],
    ["letter-a", "digit-1", "thousand-north", "digit-0", "hundred", "digit-2", "tens", "digit-3"],
    ["phrase-den-quay-so"],
    ["digit-5"],
]


def test_a1023_at_counter_5_needs_these_clips_in_this_order():
    voice = VoiceSettings()
    assert announcement_pieces(voice, label="A1023", counter=5) == A1023_AT_5
    south = VoiceSettings(dialect="south")
    assert announcement_pieces(south, label="A1024", counter=24)[1][2:4] == ["thousand-south", "digit-0"]
    assert announcement_pieces(south, label="A1024", counter=24)[3] == ["digit-2", "tens", "digit-4"]
    assert announcement_pieces(voice, label="A1024", counter=24)[3] == ["digit-2", "tens", "four-after-tens"]


def test_the_clip_list_follows_the_configuration():
    voice = VoiceSettings(template="Mời số {number} đến quầy {counter} ạ")
    clips = {clip.key: clip for clip in derive_clips(voice, ["A", "B", "CD"])}
    # the sentence's fixed parts, then the short form's (short_voice: "Mời số {number}, quầy {counter}") not already listed
    assert [key for key in clips if key.startswith("phrase-")] == ["phrase-moi-so", "phrase-den-quay", "phrase-a", "phrase-quay"]
    assert clips["phrase-a"].text == "ạ"
    assert [clips[key].text for key in clips if key.startswith("letter-")] == ["A", "Bê", "Xê", "Dê"]
    # both readings listed; this center's (north) needs linh and nghìn, the south's words are optional
    assert not clips["zero-tens-north"].optional and clips["zero-tens-south"].optional
    assert clips["thousand-south"].text == "ngàn" and clips["thousand-south"].optional
    assert clips["chime"].optional
    south = {clip.key: clip for clip in derive_clips(VoiceSettings(dialect="south"), ["A"])}
    assert south["four-after-tens"].optional and not south["thousand-south"].optional


def test_a_call_is_its_clips_in_order_with_the_configured_pauses(tmp_path):
    voice = VoiceSettings()
    made = tone_pack(tmp_path, voice)
    joining = Joining(word_pause_ms=80, part_pause_ms=300, chime_pause_ms=400, crossfade_ms=10)
    chosen = plan(tmp_path, voice, announcement_pieces(voice, label="A1023", counter=5))
    assert chosen.missing == [] and chosen.chime is not None
    samples = assemble(tmp_path, chosen, joining)

    expected = ["chime", *[key for piece in A1023_AT_5 for key in piece]]
    runs = sounding_runs(samples)
    assert len(runs) == len(expected)
    for (start, end), key in zip(runs, expected):
        frequency, seconds = made[key]
        assert dominant_frequency(samples[start:end]) == pytest.approx(frequency, abs=6), key
        assert (end - start) / RATE == pytest.approx(seconds, abs=0.03), key
    # the pause before each clip: after the chime, between the sentence's parts, between words;
    # between the sounds, each clip also keeps the margin its trimming left at both ends
    margins = 2 * audio.TRIM_MARGIN_S
    pauses = [(runs[index + 1][0] - runs[index][1]) / RATE for index in range(len(runs) - 1)]
    starts_of_pieces = {1, 2, 10, 11}  # indexes in ``expected`` where a piece begins
    for index, pause in enumerate(pauses, start=1):
        wanted = 0.4 if index == 1 else 0.3 if index in starts_of_pieces else 0.08
        assert pause == pytest.approx(wanted + margins, abs=0.012), expected[index]

    assert np.max(np.abs(samples)) <= PEAK_LIMIT
    assert audio.loudness_db(samples) == pytest.approx(audio.TARGET_DB, abs=1.0)
    # no click: no step between samples larger than the highest tone's own steepest step
    highest = max(frequency for frequency, _ in made.values())
    steepest = 2 * np.max(np.abs(samples)) * np.sin(np.pi * highest / RATE)
    assert np.max(np.abs(np.diff(samples))) <= steepest * 1.02


def test_words_joined_without_a_pause_crossfade_without_a_click(tmp_path):
    voice = VoiceSettings()
    made = tone_pack(tmp_path, voice, recorded=False)
    joining = Joining(word_pause_ms=0, part_pause_ms=250, chime_pause_ms=400, crossfade_ms=15)
    chosen = plan(tmp_path, voice, announcement_pieces(voice, label="A1023", counter=5))
    samples = assemble(tmp_path, chosen, joining)
    runs = sounding_runs(samples)
    assert len(runs) == 1 + len(A1023_AT_5)  # the chime, then each piece one stretch of sound
    label = [key for key in A1023_AT_5[1]]
    start, end = runs[2]
    overlap = 0.015 * (len(label) - 1)
    assert (end - start) / RATE == pytest.approx(sum(made[key][1] for key in label) - overlap, abs=0.03)
    highest = max(frequency for frequency, _ in made.values())
    steepest = 2 * np.max(np.abs(samples)) * np.sin(np.pi * highest / RATE)
    assert np.max(np.abs(np.diff(samples))) <= steepest * 1.02
    assert np.max(np.abs(samples)) <= PEAK_LIMIT


def test_a_missing_clip_keeps_the_sentence_off_the_pack(tmp_path):
    voice = VoiceSettings()
    tone_pack(tmp_path, voice)
    (tmp_path / "hundred.wav").unlink()
    chosen = plan(tmp_path, voice, announcement_pieces(voice, label="A1023", counter=5))
    assert chosen.missing == ["hundred"]
    assert plan(tmp_path, voice, announcement_pieces(voice, label="A23", counter=5)).missing == []
    status = pack_status(tmp_path, derive_clips(voice, ["A", "B"]))
    assert status["missing"] == ["hundred"] and not status["complete"]


def test_a_changed_template_asks_for_its_new_phrase(tmp_path):
    tone_pack(tmp_path, VoiceSettings())
    changed = VoiceSettings(template="Mời công dân số {number} đến quầy số {counter}")
    chosen = plan(tmp_path, changed, announcement_pieces(changed, label="A1", counter=5))
    assert chosen.missing == ["phrase-moi-cong-dan-so"]


def test_absurd_labels_and_counters_fall_back_rather_than_fail(tmp_path):
    voice = VoiceSettings()
    tone_pack(tmp_path, voice)
    huge = announcement_pieces(voice, label="A18446744073709551616", counter=5)
    assert "unlisted-ty" in plan(tmp_path, voice, huge).missing  # "tỷ" has no clip: the engine reads it
    arabic_digits = announcement_pieces(voice, label="A١٢", counter=5)  # Unicode digits read as 12
    assert arabic_digits[1] == ["letter-a", "ten", "digit-2"]
    with pytest.raises(ValueError):
        announcement_pieces(voice, label="A-", counter=5)


def test_clips_in_any_common_format_are_stored_alike():
    raw = np.concatenate([np.zeros(4800), tone(440, 0.5, 48000, amplitude=0.99), np.zeros(4800)])
    stereo = np.stack([raw, raw], axis=1).reshape(-1)
    for data in (audio.wav_bytes(raw, 48000), _stereo_wav(stereo, 48000), audio.wav_bytes(raw[::6], 8000)):
        clip = audio.prepare_clip(data)
        assert len(clip) / RATE == pytest.approx(0.5 + 2 * audio.TRIM_MARGIN_S, abs=0.02)
        assert np.max(np.abs(clip)) <= PEAK_LIMIT
        assert audio.loudness_db(clip) == pytest.approx(audio.TARGET_DB, abs=1.0)
        assert dominant_frequency(clip) == pytest.approx(440, abs=3)
    with pytest.raises(audio.AudioError):
        audio.prepare_clip(audio.wav_bytes(np.zeros(48000), 48000))  # silence
    with pytest.raises(audio.AudioError):
        audio.prepare_clip(b"RIFF....WAVEnot really")


def _stereo_wav(interleaved: np.ndarray, rate: int) -> bytes:
    import io
    import wave
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes((interleaved * 32767).astype("<i2").tobytes())
    return buffer.getvalue()
