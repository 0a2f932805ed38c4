"""Throwaway PostgreSQL and Redis servers for the province hub's tests: a temporary
``initdb`` cluster and a ``redis-server``, each on a free port on 127.0.0.1, started by the
tests themselves (Debian's postgresql and redis-server packages, installed by
scripts/setup), so CI needs no service started beforehand.

initdb and postgres refuse to run as root: as root they run as the ``postgres`` user."""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from tests.helpers import free_port

READY_TIMEOUT_S = 30


def postgres_bin(name: str) -> str:
    """A PostgreSQL server program from Debian's package (the newest version installed)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(Path(path).parts[4]))
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise RuntimeError(f"{name} not found: run scripts/setup (Debian package postgresql)")


def _wait(check, what: str, process: subprocess.Popen, log: Path):
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited ({process.returncode}):\n{log.read_text(errors='replace')}")
        try:
            return check()
        except Exception:  # not accepting connections yet
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start in {READY_TIMEOUT_S}s:\n{log.read_text(errors='replace')}")


def _end(process: subprocess.Popen | None, signum: int) -> None:
    """Stop a server this module started: ``signum``, then SIGKILL after 20 s."""
    if process is None:
        return
    process.send_signal(signum)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder; ``url(name)`` for one of its databases.
    Durability is off (fsync, synchronous_commit): the data dies with the test run."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="layso-pg-"))
        self.folder.chmod(0o755)
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        self.process = None
        self.durable = False  # a benchmark turns fsync back on

    def _as_owner(self, path: Path):
        if self.user:
            account = pwd.getpwnam(self.user)
            os.chown(path, account.pw_uid, account.pw_gid)

    def start(self):
        self.data.mkdir()
        self._as_owner(self.data)
        self.log.touch()
        self._as_owner(self.log)
        subprocess.run([postgres_bin("initdb"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale", "C",
                        "-D", str(self.data)], check=True, user=self.user, capture_output=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [postgres_bin("postgres"), "-D", str(self.data), "-p", str(self.port), "-h", "127.0.0.1",
                 "-k", str(self.data), "-c", "max_connections=200",
                 *(() if self.durable else ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"))],
                stdout=log, stderr=subprocess.STDOUT, user=self.user,
            )
        _wait(lambda: psycopg.connect(self.url("postgres"), connect_timeout=2).close(), "postgres", self.process, self.log)
        return self

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, *, template: str | None = None) -> str:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def stop(self):
        _end(self.process, signal.SIGINT)  # PostgreSQL's fast shutdown
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)


class RedisServer:
    """redis-server on a free port (or ``port``: one started again where a stopped one was),
    nothing saved to disk."""

    def __init__(self, port: int | None = None):
        self.folder = Path(tempfile.mkdtemp(prefix="layso-redis-"))
        self.log = self.folder / "redis.log"
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        program = shutil.which("redis-server") or "/usr/bin/redis-server"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.folder)],
                stdout=log, stderr=subprocess.STDOUT,
            )
        _wait(lambda: redis.Redis.from_url(self.url, socket_timeout=2).ping(), "redis-server", self.process, self.log)
        return self

    def stop(self):
        _end(self.process, signal.SIGTERM)
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
