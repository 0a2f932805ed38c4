"""A speech engine in its own process (the server under gevent): real files, failures
reported, a dead or stuck worker replaced, and the hub free while speech is made."""

import os
import signal
import time

import pytest

from layso.speech import process as speech_process
from layso.speech.engines import SpeechError, validate_wav
from layso.speech.process import EngineProcess
from tests.helpers import run_under_gevent

SENTENCE = "Xin mời công dân có số thứ tự A mười lăm đến quầy số năm"


@pytest.fixture
def engine():
    engine = EngineProcess("espeak-ng", voice="vi", speed=150)
    yield engine
    engine.close()


def test_the_worker_makes_a_valid_wav_of_the_sentence(engine, tmp_path):
    engine.synthesize(SENTENCE, tmp_path / "call.wav")
    assert 2.0 < validate_wav(tmp_path / "call.wav", SENTENCE) < 8.0
    assert (engine.name, engine.voice, engine.speed, engine.volume) == ("espeak-ng", "vi", 150, 100)


def test_a_failed_file_is_a_speech_error_and_the_worker_goes_on(engine, tmp_path):
    with pytest.raises(SpeechError, match="Can't write"):
        engine.synthesize(SENTENCE, tmp_path / "no such folder" / "call.wav")
    worker = engine._process.pid
    engine.synthesize(SENTENCE, tmp_path / "call.wav")
    assert engine._process.pid == worker
    validate_wav(tmp_path / "call.wav", SENTENCE)


def test_an_engine_that_cannot_start_says_why(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no espeak-ng for the worker to find
    with pytest.raises(SpeechError, match="espeak-ng is not installed"):
        EngineProcess("espeak-ng")


def test_a_worker_that_died_is_replaced_for_the_next_call(engine, tmp_path):
    os.kill(engine._process.pid, signal.SIGKILL)
    engine._process.wait()
    engine.synthesize(SENTENCE, tmp_path / "call.wav")
    validate_wav(tmp_path / "call.wav", SENTENCE)


def test_a_worker_that_stops_answering_is_killed_and_replaced(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(speech_process, "SYNTHESIS_TIMEOUT_S", 0.5)
    stuck = engine._process
    os.kill(stuck.pid, signal.SIGSTOP)
    with pytest.raises(SpeechError, match="no answer within 0.5 s"):
        engine.synthesize(SENTENCE, tmp_path / "first.wav")
    assert stuck.returncode == -signal.SIGKILL
    engine.synthesize(SENTENCE, tmp_path / "second.wav")
    validate_wav(tmp_path / "second.wav", SENTENCE)


def test_close_ends_the_worker(tmp_path):
    engine = EngineProcess("espeak-ng")
    worker = engine._process
    engine.close()
    assert worker.returncode == 0


HUB_WHILE_SPEAKING = """
from gevent import monkey; monkey.patch_all()
import sys, time, gevent
from pathlib import Path
from layso.speech.process import EngineProcess

engine = EngineProcess("espeak-ng")
ticks = []
def ticker():
    while True:
        ticks.append(time.monotonic())
        gevent.sleep(0.001)
gevent.spawn(ticker)
gevent.sleep(0.01)
began = time.monotonic()
engine.synthesize("Xin mời công dân có số thứ tự A một nghìn đến quầy số năm", Path(sys.argv[1]))
ended = time.monotonic()
engine.close()
during = [tick for tick in ticks if began <= tick <= ended]
print(len(during), round((ended - began) * 1000))
"""


def test_under_gevent_the_hub_goes_on_while_the_worker_speaks(tmp_path):
    """The ticker greenlet stands for every other request: it keeps running while the
    file is made (the answer is awaited with gevent's select, never a blocking read). A
    blocking read would leave it no turn at all; how many turns it gets otherwise depends
    on how busy the machine is, so the test asks only for several."""
    ticks, milliseconds = map(int, run_under_gevent(HUB_WHILE_SPEAKING, str(tmp_path / "call.wav")).split())
    assert milliseconds >= 10  # espeak-ng takes ~20 ms for this sentence
    assert ticks >= 3
    validate_wav(tmp_path / "call.wav", "Xin mời công dân có số thứ tự A một nghìn đến quầy số năm")


def test_ctrl_c_in_the_servers_terminal_leaves_the_worker_to_end_with_its_pipe(engine, tmp_path):
    worker = engine._process
    os.kill(worker.pid, signal.SIGINT)  # the terminal sends it to the whole group
    time.sleep(0.2)
    engine.synthesize(SENTENCE, tmp_path / "call.wav")
    assert engine._process is worker  # the same worker: it did not die of it
    engine.close()
    assert worker.returncode == 0
