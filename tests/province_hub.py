"""The province hub in a subprocess (``python -m layso.province``) on a free port, on the
tests' PostgreSQL and Redis, under gevent as in production; and its command line's one-off
changes (:func:`run_command`)."""

import contextlib
import os
import subprocess
import sys
import time

import requests

from tests.helpers import ROOT, free_port

READY_TIMEOUT_S = 40
COMMAND_PASSWORD = "Hue-tinh-2026-bao-cao"


def run_command(database_url: str, *arguments: str, password: str = COMMAND_PASSWORD) -> subprocess.CompletedProcess:
    """``python -m layso.province --database-url … <arguments>`` (``--register-center``,
    ``--add-account``, the account's password from ``LAYSO_PROVINCE_PASSWORD``), run to its end."""
    environment = {**os.environ, "LAYSO_ASYNC_MODE": "threading", "LAYSO_SECRET_KEY": "a-province-secret-0123456789",
                   "LAYSO_PROVINCE_PASSWORD": password}
    return subprocess.run([sys.executable, "-m", "layso.province", "--database-url", database_url, *arguments],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)


class HubServer:
    def __init__(self, tmp_path, database_url: str, redis_url: str, *, workers: int = 1, name: str = "hub"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url, self.redis_url, self.workers = database_url, redis_url, workers
        self.log_path = tmp_path / f"{name}.log"
        self.process = None

    def start(self):
        command = [sys.executable, "-m", "layso.province", "--demo", "--database-url", self.database_url,
                   "--redis-url", self.redis_url, "--port", str(self.port), "--workers", str(self.workers)]
        environment = {**os.environ, "LAYSO_ASYNC_MODE": "gevent"}
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hub exited ({self.process.returncode}):\n{self.output()}")
            with contextlib.suppress(requests.RequestException):  # not listening yet
                if requests.get(self.url + "/api/v1/hub/cursor", timeout=1).status_code == 401:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"hub did not answer in {READY_TIMEOUT_S}s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, kill: bool = False):
        if self.process is None:
            return
        if kill:
            self.process.kill()  # SIGKILL: with --workers 1 the process is the worker itself
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
        self.process = None

    def login(self, username: str = "tinh") -> str:
        answer = requests.post(self.url + "/api/v1/auth/login", json={"username": username, "password": "demo"},
                               timeout=10)
        answer.raise_for_status()
        return answer.json()["token"]

    def ingest(self, events, token: str = "demo-hub-token-1", timeout: float = 30):
        return requests.post(self.url + "/api/v1/hub/ingest", json={"events": events},
                             headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
