"""Calls spoken with the recorded voice pack when it has every clip they need, by the engine
otherwise; the engine's own files get headroom."""

import numpy as np
import pytest
from tests.helpers import Published
from tests.speech_helpers import CountingEngine
from tests.test_voice_assembly import dominant_frequency, sounding_runs, tone_pack

from layso.speech import audio
from layso.speech.announcer import Announcer, VoiceSettings, engine_sentence, joining, short_voice
from layso.speech.assembly import assemble, plan
from layso.speech.pack import announcement_pieces

VOICE = VoiceSettings()


@pytest.fixture
def announcer(tmp_path):
    events, engine = Published(), CountingEngine()
    made = Announcer(engine, tmp_path / "audio", events, pack_dir=tmp_path / "voice-pack")
    made.events, made.counting = events, engine
    yield made
    made.close()


def spoken(tmp_path, event) -> np.ndarray:
    return audio.read_wav_file(tmp_path / "audio" / event.data["audio_url"].rsplit("/", 1)[1])[0]


def test_a_complete_pack_speaks_the_call_and_brings_its_chime(announcer, tmp_path):
    made = tone_pack(tmp_path / "voice-pack", VOICE)
    announcer.announce({"id": 1, "number": "A1023", "service": "TP"}, 5, VOICE)
    ready = announcer.events.wait_for_count(1)[0]
    assert ready.data["chime_included"] is True
    assert ready.data["text"] == "Xin mời công dân có số thứ tự A một nghìn không trăm hai mươi ba đến quầy số năm"
    assert announcer.counting.texts == []  # no engine
    samples = spoken(tmp_path, ready)
    runs = sounding_runs(samples)
    heard = [dominant_frequency(samples[start:end]) for start, end in runs[:3]]
    assert heard == pytest.approx([made[key][0] for key in ("chime", "phrase-xin-moi-cong-dan-co-so-thu-tu", "letter-a")], abs=6)
    assert np.max(np.abs(samples)) <= 10 ** (-1 / 20)


def test_with_one_clip_missing_the_engine_speaks_the_whole_call(announcer, tmp_path):
    tone_pack(tmp_path / "voice-pack", VOICE)
    (tmp_path / "voice-pack" / "hundred.wav").unlink()
    announcer.announce({"id": 1, "number": "A1023", "service": "TP"}, 5, VOICE)
    announcer.announce({"id": 2, "number": "A23", "service": "TP"}, 5, VOICE)  # needs no "trăm"
    engine_call, pack_call = announcer.events.wait_for_count(2)
    assert engine_call.data["chime_included"] is False and pack_call.data["chime_included"] is True
    assert announcer.counting.texts == [engine_sentence(VOICE, label="A1023", counter=5, engine="espeak-ng")]


def test_the_engine_is_given_pauses_between_the_parts_and_its_file_headroom(announcer, tmp_path):
    sentence = engine_sentence(VOICE, label="A15", counter=5, engine="espeak-ng")
    assert sentence == ('<speak>Xin mời công dân có số thứ tự<break time="300ms"/>A mười lăm'
                        '<break time="300ms"/>đến quầy số<break time="300ms"/>năm</speak>')
    assert engine_sentence(VOICE, label="A15", counter=5, engine="pyttsx3") == \
        "Xin mời công dân có số thứ tự, A mười lăm, đến quầy số, năm"
    announcer.announce({"id": 1, "number": "A15", "service": "TP"}, 5, VOICE)
    samples = spoken(tmp_path, announcer.events.wait_for_count(1)[0])
    assert np.max(np.abs(samples)) <= 10 ** (-1 / 20)  # espeak-ng alone peaks at −0.05 dBFS
    assert audio.loudness_db(samples) <= audio.TARGET_DB + 0.5  # normalised, or less where a peak would pass −1 dBFS
    runs = sounding_runs(samples)
    gaps = [(runs[index + 1][0] - runs[index][1]) / audio.RATE for index in range(len(runs) - 1)]
    assert sum(gap >= 0.25 for gap in gaps) == 3  # the three breaks between the four parts (none without them)


def test_an_xml_looking_template_is_escaped_for_the_engine():
    voice = VoiceSettings(template="Số {number} <đến> quầy & {counter}")
    sentence = engine_sentence(voice, label="A1", counter=2, engine="espeak-ng")
    assert "&lt;đến&gt; quầy &amp;" in sentence


def test_a_backlogs_short_call_is_assembled_from_the_short_forms_clips_without_the_chime(announcer, tmp_path):
    made = tone_pack(tmp_path / "voice-pack", VOICE)
    announcer.announce({"id": 1, "number": "A15", "service": "TP"}, 5, VOICE)
    announcer.close()  # the worker then takes every waiting call at once, unpaced
    ready = announcer.events.wait_for_count(1)[0]
    assert ready.data["chime_included"] is True
    chosen = plan(tmp_path / "voice-pack", VOICE, announcement_pieces(VOICE, label="A15", counter=5,
                                                                       template=short_voice(VOICE).template), chime=False)
    assert chosen.missing == [] and chosen.chime is None
    assert [[key for key, _ in piece] for piece in chosen.pieces] == [
        ["phrase-moi-so"], ["letter-a", "ten", "five-after-ten"], ["phrase-quay"], ["digit-5"]]
    samples = assemble(tmp_path / "voice-pack", chosen, joining(short_voice(VOICE)))
    runs = sounding_runs(samples)
    assert dominant_frequency(samples[runs[0][0]:runs[0][1]]) == pytest.approx(made["phrase-moi-so"][0], abs=6)
