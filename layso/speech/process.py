"""A speech engine in a process of its own, for the server under gevent.

Under gevent the announcer is a greenlet on the hub that serves every request, and the
speech it makes there takes the hub's one core from everybody: each espeak-ng file forks
the whole server process (gevent's subprocess has no vfork) and goes through gevent's
Popen machinery, then the WAV is read back and checked. Measured on 2026-12-03 with
officers calling back to back, that was 0.4–0.7 ms of server CPU per call, a third of the
call itself (calls/s 490–600 with it, 790–810 without).

:class:`EngineProcess` has the engines' interface (``name``, ``voice``, ``speed``,
``volume``, ``synthesize(text, path)``, ``close()``) and hands each file to
``python -m layso.speech.process``, which owns the real engine: one JSON line in
({"text", "path"}), one out ({"ok": true} or {"error": "…"}). The hub only writes and
reads a pipe. A process that dies or stops answering is killed, and started again for
the next call. Run on its own, the module is that worker.
"""

import argparse
import json
import logging
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from layso.speech.engines import SpeechError, make_engine

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]  # where ``layso`` is, for the worker's imports
START_TIMEOUT_S = 60.0  # pyttsx3 warms up with up to three tries of 10 s
SYNTHESIS_TIMEOUT_S = 40.0  # the engines' own limits (10 s, pyttsx3 three times) and a margin


class EngineProcess:
    """One speech engine in a worker process; one caller at a time (the announcer's worker)."""

    def __init__(self, name: str, *, voice: str = "vi", speed: int = 150, volume: int = 100):
        """Start the worker and wait until its engine is ready. Raises SpeechError when the
        engine cannot start (missing program, pyttsx3 failing), like the engine itself."""
        self.name, self.voice, self.speed, self.volume = name, voice, speed, volume
        self._process = None
        self._buffer = b""
        self._start()

    def synthesize(self, text: str, path: Path) -> None:
        """Write ``text`` spoken to the WAV file ``path``. Raises SpeechError."""
        if self._process is None or self._process.poll() is not None:
            self._start()  # the last one died or was stopped: a new one for this call
        try:
            self._send({"text": text, "path": str(path)})
            answer = self._answer(SYNTHESIS_TIMEOUT_S)
        except SpeechError:
            self._stop()
            raise
        if "error" in answer:
            raise SpeechError(answer["error"])

    def close(self) -> None:
        """End the worker: it finishes the file it is making, then exits."""
        self._stop(wait_s=10.0)

    def _start(self) -> None:
        command = [sys.executable, "-m", "layso.speech.process", "--engine", self.name, "--voice", self.voice,
                   "--speed", str(self.speed), "--volume", str(self.volume)]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
        except OSError as error:
            raise SpeechError(f"the speech process could not start: {error}") from error
        self._buffer = b""
        try:
            answer = self._answer(START_TIMEOUT_S)
        except SpeechError:
            self._stop()
            raise
        if "error" in answer:
            self._stop(wait_s=5.0)
            raise SpeechError(answer["error"])

    def _send(self, message: dict) -> None:
        try:
            self._process.stdin.write(_line(message))
            self._process.stdin.flush()
        except OSError as error:  # the worker has gone: broken pipe
            raise SpeechError(f"the speech process has stopped: {error}") from error

    def _answer(self, timeout_s: float) -> dict:
        """The worker's next line. select() is gevent's own under the server, so the hub
        serves others meanwhile."""
        descriptor = self._process.stdout.fileno()
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SpeechError(f"the speech process gave no answer within {timeout_s:g} s")
            readable, _, _ = select.select([descriptor], [], [], remaining)
            if readable:
                chunk = os.read(descriptor, 65536)
                if not chunk:
                    raise SpeechError(f"the speech process has stopped (exit {self._process.poll()})")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def _stop(self, wait_s: float = 0.0) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.stdin.close()  # the worker exits at the end of its input
        try:
            process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def _line(message: dict) -> bytes:
    """One message of the protocol, either way: a JSON object on one line."""
    return json.dumps(message, ensure_ascii=False).encode() + b"\n"


def serve(engine, lines, reply) -> None:
    """The worker's loop: one file per request line, one answer line each."""
    for line in lines:
        request = json.loads(line)
        try:
            engine.synthesize(request["text"], Path(request["path"]))
        except SpeechError as error:
            reply({"error": str(error)})
        except Exception as error:  # the worker must outlive any one bad file
            log.exception("speech failed on %r", request["text"])
            reply({"error": f"{error!r}"})
        else:
            reply({"ok": True})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="LấySố speech worker: JSON lines in, WAV files out")
    parser.add_argument("--engine", required=True)
    parser.add_argument("--voice", default="vi")
    parser.add_argument("--speed", type=int, default=150)
    parser.add_argument("--volume", type=int, default=100)
    args = parser.parse_args(argv)
    # Ctrl-C in the server's terminal reaches its whole process group: the worker ends when
    # the server closes its pipe, after the file in hand, rather than with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s speech worker: %(message)s")
    # Answers go out on a copy of stdout; whatever else writes to it (an engine's C library
    # included) goes to the log, so it cannot garble an answer.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def reply(message: dict) -> None:
        out.write(_line(message))
        out.flush()

    try:
        engine = make_engine(args.engine, voice=args.voice, speed=args.speed, volume=args.volume)
    except SpeechError as error:
        reply({"error": str(error)})
        return 1
    reply({"ready": True})
    try:
        serve(engine, sys.stdin.buffer, reply)
    finally:
        engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
