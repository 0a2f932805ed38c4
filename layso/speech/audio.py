"""Sound as numbers: reading and writing WAV files, resampling, trimming, loudness.

Everything the hall plays passes through here at one sample rate (:data:`RATE`), mono,
loudness-normalised, with its peaks at most :data:`PEAK_DB` — recorded clips when they are
stored (:func:`prepare_clip`), announcements assembled from them, and the engines' files
(espeak-ng's peak at −0.05 dBFS and clipped when a browser resampled them).

Loudness here is the RMS level of the parts that carry speech, in dBFS: 50 ms blocks, the
quiet ones (below −50 dBFS, or more than 20 dB under the loud ones) left out — the gating
idea of EBU R 128, without its frequency weighting, enough to make clips recorded on
different days sound equally loud in a hall.
"""

import io
import struct
import wave
from pathlib import Path

import numpy as np

RATE = 22050  # Hz: espeak-ng's own rate; a voice needs no more than 11 kHz of bandwidth
PEAK_DB = -1.0  # dBFS: headroom so that no resampling or mixing in a browser clips
TARGET_DB = -20.0  # gated RMS, dBFS
SILENCE_DB = -45.0  # a block quieter than this (and 30 dB under the loudest) is silence when trimming
TRIM_MARGIN_S = 0.03  # kept before the first and after the last sound when trimming
EDGE_FADE_S = 0.01
MIN_RATE, MAX_RATE = 8000, 192000
MAX_SECONDS = 60.0  # one clip; a longer upload is refused


class AudioError(ValueError):
    """The sound given cannot be used: not a PCM WAV file, empty, too long, an odd rate.
    Worded in English (``str``) and Vietnamese (``vietnamese``), for the admin's screen."""

    def __init__(self, english: str, vietnamese: str):
        super().__init__(english)
        self.vietnamese = vietnamese


def decibels(level: float) -> float:
    return 20 * np.log10(max(level, 1e-12))


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """The samples of a PCM WAV file (8, 16, 24 or 32 bit; mono or stereo, mixed to mono)
    as float64 in −1…1, and its rate. Raises AudioError."""
    try:
        with wave.open(io.BytesIO(data)) as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    # The wave module raises all of these for foreign bytes (RuntimeError from its chunk reader).
    except (wave.Error, EOFError, ValueError, RuntimeError, OSError, struct.error) as error:
        raise AudioError(f"not a PCM WAV file: {error}", "không phải tệp WAV PCM.") from error
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(f"sample rate {rate} Hz is outside {MIN_RATE}–{MAX_RATE} Hz",
                         f"tần số lấy mẫu {rate} Hz nằm ngoài khoảng {MIN_RATE}–{MAX_RATE} Hz.")
    if channels < 1 or channels > 8 or width not in (1, 2, 3, 4):
        raise AudioError(f"{channels} channels of {width * 8} bit cannot be read",
                         f"không đọc được {channels} kênh {width * 8} bit.")
    count = len(frames) // (width * channels)
    if count == 0:
        raise AudioError("the file holds no sound", "tệp không có âm thanh.")
    if count / rate > MAX_SECONDS:
        raise AudioError(f"longer than {MAX_SECONDS:g} s", f"dài quá {MAX_SECONDS:g} giây.")
    raw = np.frombuffer(frames[:count * width * channels], dtype=np.uint8).reshape(count * channels, width)
    if width == 1:  # 8-bit WAV is unsigned
        values = raw[:, 0].astype(np.float64) - 128
    else:
        padded = np.zeros((raw.shape[0], 4), dtype=np.uint8)
        padded[:, 4 - width:] = raw  # little-endian bytes at the top of an int32
        values = padded.view("<i4")[:, 0].astype(np.float64) / 2 ** (8 * (4 - width))
    samples = values / 2 ** (8 * width - 1)
    return samples.reshape(count, channels).mean(axis=1), rate


def read_wav_file(path: Path) -> tuple[np.ndarray, int]:
    return read_wav(Path(path).read_bytes())


def wav_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    """16-bit mono PCM WAV of ``samples`` (−1…1; anything beyond is clipped)."""
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return buffer.getvalue()


def resample(samples: np.ndarray, rate: int, target: int = RATE) -> np.ndarray:
    """``samples`` at ``target`` Hz, band-limited (by FFT: exact for the short clips here).
    Silence is added at both ends first so that the FFT's wrap-around has nothing to wrap."""
    if rate == target or len(samples) == 0:
        return samples
    pad = rate // 10
    padded = np.concatenate([np.zeros(pad), samples, np.zeros(pad)])
    length = int(round(len(padded) * target / rate))
    spectrum = np.fft.rfft(padded)
    bins = length // 2 + 1
    if bins <= len(spectrum):
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - len(spectrum), dtype=complex)])
    out = np.fft.irfft(spectrum, length) * (length / len(padded))
    cut = int(round(pad * target / rate))
    return out[cut:cut + int(round(len(samples) * target / rate))]


def _blocks(samples: np.ndarray, rate: int, seconds: float) -> np.ndarray:
    """RMS level of each block of ``seconds``."""
    size = max(1, int(rate * seconds))
    count = len(samples) // size
    if count == 0:
        return np.array([np.sqrt(np.mean(samples ** 2))]) if len(samples) else np.zeros(0)
    return np.sqrt(np.mean(samples[:count * size].reshape(count, size) ** 2, axis=1))


def loudness_db(samples: np.ndarray, rate: int = RATE) -> float:
    """Gated RMS level in dBFS (see the module's docstring); −inf-like −240 for silence."""
    levels = _blocks(samples, rate, 0.05)
    loud = levels[levels > 10 ** (-50 / 20)]
    if len(loud) == 0:
        return decibels(0)
    mean = np.sqrt(np.mean(loud ** 2))
    gated = loud[loud > mean * 10 ** (-20 / 20)]
    return decibels(float(np.sqrt(np.mean(gated ** 2))))


def peak_db(samples: np.ndarray) -> float:
    return decibels(float(np.max(np.abs(samples)))) if len(samples) else decibels(0)


def normalise(samples: np.ndarray, rate: int = RATE, *, target_db: float = TARGET_DB,
              peak_limit_db: float = PEAK_DB) -> np.ndarray:
    """Scaled to ``target_db`` loudness, or less if its peaks would pass ``peak_limit_db``."""
    loudness = loudness_db(samples, rate)
    if loudness <= decibels(0):
        return samples
    gain = 10 ** ((target_db - loudness) / 20)
    peak = float(np.max(np.abs(samples)))
    limit = 10 ** (peak_limit_db / 20)
    if peak * gain > limit:
        gain = limit / peak
    return samples * gain


def fade_edges(samples: np.ndarray, rate: int = RATE, seconds: float = EDGE_FADE_S) -> np.ndarray:
    """Raised-cosine fade in and out over ``seconds``: a clip cut anywhere starts and ends at zero."""
    size = min(int(rate * seconds), len(samples) // 2)
    if size <= 0:
        return samples
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, size))
    out = samples.copy()
    out[:size] *= ramp
    out[len(out) - size:] *= ramp[::-1]
    return out


def trim_silence(samples: np.ndarray, rate: int = RATE, *, margin_s: float = TRIM_MARGIN_S) -> np.ndarray:
    """``samples`` without the silence before the first and after the last sound (10 ms blocks
    under SILENCE_DB, or 30 dB under the loudest block), ``margin_s`` kept on each side.
    Raises AudioError when there is no sound at all."""
    levels = _blocks(samples, rate, 0.01)
    if len(levels) == 0 or levels.max() <= 10 ** (SILENCE_DB / 20):
        raise AudioError("the recording is silent", "bản ghi chỉ có im lặng: hãy kiểm tra micrô.")
    threshold = max(10 ** (SILENCE_DB / 20), levels.max() * 10 ** (-30 / 20))
    sounding = np.flatnonzero(levels > threshold)
    block = int(rate * 0.01)
    margin = int(rate * margin_s)
    start = max(0, sounding[0] * block - margin)
    end = min(len(samples), (sounding[-1] + 1) * block + margin)
    return samples[start:end]


def prepare_clip(data: bytes) -> np.ndarray:
    """A recorded or uploaded clip as the pack keeps it: mono, at RATE, silence trimmed at
    both ends, edges faded, loudness-normalised, peaks ≤ PEAK_DB. Raises AudioError."""
    samples, rate = read_wav(data)
    samples = samples - np.mean(samples)  # a microphone's DC offset would click at the joins
    samples = trim_silence(resample(samples, rate), RATE)
    return normalise(fade_edges(samples), RATE)


def master(data: bytes) -> bytes:
    """An engine's WAV made like the pack's: at RATE, loudness-normalised, peaks ≤ PEAK_DB."""
    samples, rate = read_wav(data)
    return wav_bytes(normalise(fade_edges(resample(samples, rate)), RATE))
