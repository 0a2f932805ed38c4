"""The two speech engines make real, valid WAV files from Vietnamese words."""

import struct
import wave

import pytest

from layso.speech.engines import (
    EspeakEngine,
    Pyttsx3Engine,
    SpeechError,
    make_engine,
    validate_wav,
)

SENTENCE = "Xin mời công dân có số thứ tự A mười lăm đến quầy số năm"  # 14 syllables


def read_wav(path):
    with wave.open(str(path)) as wav:
        return wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()


def write_pcm(path, seconds, rate=22050):
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\0\0" * int(seconds * rate))


@pytest.fixture
def pyttsx3_engine():
    engine = Pyttsx3Engine(voice="vi", speed=150)
    yield engine
    engine.close()


@pytest.mark.parametrize("voice", ["vi", "vi-vn-x-central", "vi-vn-x-south"])
def test_espeak_writes_a_pcm_wav_as_long_as_the_sentence(tmp_path, voice):
    path = tmp_path / "call.wav"
    make_engine("espeak-ng", voice=voice, speed=150, volume=100).synthesize(SENTENCE, path)
    assert path.read_bytes()[:4] == b"RIFF"
    channels, width, rate, frames = read_wav(path)
    assert (channels, width, rate) == (1, 2, 22050)
    # 14 syllables at 150 words a minute: about 4 s (measured 4.2 s).
    assert 2.5 < frames / rate < 7
    assert validate_wav(path, SENTENCE) == frames / rate


def test_espeak_speaks_faster_at_a_higher_speed(tmp_path):
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    EspeakEngine(speed=120).synthesize(SENTENCE, slow)
    EspeakEngine(speed=300).synthesize(SENTENCE, fast)
    assert validate_wav(fast, SENTENCE) < 0.6 * validate_wav(slow, SENTENCE)


def test_espeak_reads_text_that_looks_like_an_option(tmp_path):
    path = tmp_path / "dash.wav"
    EspeakEngine().synthesize("-năm", path)
    assert validate_wav(path, "năm") > 0


def test_espeak_with_an_unknown_voice_raises_speech_error(tmp_path):
    with pytest.raises(SpeechError, match="nosuch"):
        EspeakEngine(voice="nosuch").synthesize(SENTENCE, tmp_path / "x.wav")


def test_espeak_that_takes_too_long_raises_speech_error(tmp_path):
    with pytest.raises(SpeechError, match="longer than"):
        EspeakEngine(timeout=0.0001).synthesize(SENTENCE, tmp_path / "x.wav")


def test_missing_espeak_program_raises_speech_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SpeechError, match="not installed"):
        make_engine("espeak-ng", voice="vi", speed=150, volume=100)


def test_unknown_engine_name_raises_speech_error():
    with pytest.raises(SpeechError, match="unknown speech engine"):
        make_engine("festival", voice="vi", speed=150, volume=100)


def test_pyttsx3_writes_valid_wavs_from_its_first_call(pyttsx3_engine, tmp_path, capsys):
    durations = []
    for index in range(3):
        path = tmp_path / f"call{index}.wav"
        pyttsx3_engine.synthesize(SENTENCE, path)
        channels, width, rate, frames = read_wav(path)
        assert (channels, width, rate) == (1, 2, 22050)
        durations.append(validate_wav(path, SENTENCE))
    # The rate is applied to every file (it was ignored on first calls): about 4 s each.
    assert all(2.5 < seconds < 7 for seconds in durations)
    assert "Audio saved to" not in capsys.readouterr().out


def test_pyttsx3_speaks_faster_at_a_higher_speed(tmp_path):
    # One engine at a time: pyttsx3 has one engine per process (docs/speech.md).
    for speed, name in ((120, "slow.wav"), (300, "fast.wav")):
        engine = Pyttsx3Engine(speed=speed)
        try:
            engine.synthesize(SENTENCE, tmp_path / name)
        finally:
            engine.close()
    fast, slow = validate_wav(tmp_path / "fast.wav", SENTENCE), validate_wav(tmp_path / "slow.wav", SENTENCE)
    assert fast < 0.6 * slow


def test_pyttsx3_with_an_unknown_voice_fails_to_start():
    with pytest.raises(SpeechError, match="pyttsx3 could not start"):
        make_engine("pyttsx3", voice="nosuch", speed=150, volume=100)


def test_closed_pyttsx3_engine_raises_speech_error(tmp_path):
    engine = Pyttsx3Engine()
    engine.close()
    with pytest.raises(SpeechError, match="closed"):
        engine.synthesize(SENTENCE, tmp_path / "x.wav")


def test_validate_wav_refuses_an_empty_44_byte_wav(tmp_path):
    path = tmp_path / "empty.wav"
    write_pcm(path, 0)
    assert path.stat().st_size == 44
    with pytest.raises(SpeechError, match="no audio"):
        validate_wav(path, SENTENCE)


def test_validate_wav_refuses_audio_too_short_or_too_long_for_the_text(tmp_path):
    short, long = tmp_path / "short.wav", tmp_path / "long.wav"
    write_pcm(short, 0.3)
    write_pcm(long, 30)
    for path in (short, long):
        with pytest.raises(SpeechError, match="outside"):
            validate_wav(path, SENTENCE)
    assert validate_wav(short, "năm") == pytest.approx(0.3)


def test_validate_wav_refuses_a_file_that_is_not_pcm_wave(tmp_path):
    text_file, float_wav, missing = tmp_path / "a.txt", tmp_path / "float.wav", tmp_path / "none.wav"
    text_file.write_text("not audio")
    # A WAVE file of 32-bit floats (format 3): RIFF/WAVE but not PCM.
    data = b"\0" * 88200
    fmt = struct.pack("<HHIIHH", 3, 1, 22050, 88200, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    float_wav.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(SpeechError, match="not a RIFF/WAVE"):
        validate_wav(text_file, "năm")
    with pytest.raises(SpeechError, match="cannot read"):
        validate_wav(float_wav, "năm")
    with pytest.raises(SpeechError, match="cannot read"):
        validate_wav(missing, "năm")
