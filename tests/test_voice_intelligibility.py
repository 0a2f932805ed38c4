"""bench/voice_intelligibility.py runs here: the objective measure of the hall's voice (issue 19).
The recogniser is the bench extra viet-asr (its model inside the wheel, nothing downloaded)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from voice_intelligibility import word_errors, words  # noqa: E402


@pytest.mark.parametrize("reference, heard, errors", [
    ("Xin mời số A mười lăm", "xin mời số a mười lăm", 0),
    ("Xin mời số A mười lăm", "vì mười số a mười lăm", 2),  # two substitutions
    ("đến quầy số năm", "đến số năm", 1),  # a deletion
    ("đến quầy số năm", "đến quầy quầy số năm nhé", 2),  # two insertions
    ("một hai", "", 2),
])
def test_word_errors_count_substitutions_deletions_and_insertions(reference, heard, errors):
    assert word_errors(words(reference), words(heard)) == errors


def test_the_bench_prints_espeak_ngs_word_error_rate():
    pytest.importorskip("vietasr")
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "voice_intelligibility.py"), "--voices", "vi", "--calls", "2"],
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("espeak-ng vi 150/min")]
    assert len(lines) == 2 and all(" WER " in line and "%" in line for line in lines), result.stdout
