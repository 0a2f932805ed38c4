"""Issue 20, "Install and run": ``pip install`` of a real wheel, into a fresh venv in a
temporary folder outside the checkout, gives a working server: ``layso serve --demo`` there
issues, calls and rates a ticket through HTTP, with the templates, static files, npm
libraries and configurations found inside the installed package — without the province hub's
packages, which are the "province" extra."""

import contextlib
import os
import subprocess
import sys
import time
import zipfile

import pytest
import requests

from tests.helpers import READY_TIMEOUT_S, ROOT, free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The project's wheel, built as `pip wheel .` builds it (isolated build, no editable mode)."""
    folder = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(folder)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    [path] = folder.glob("layso-*.whl")
    return path


def test_the_wheel_carries_pages_npm_libraries_configs_and_the_console_script_and_no_tests(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"layso/_bundled/vendor/socket.io.min.js", "layso/_bundled/vendor/chart.umd.min.js", "layso/_bundled/vendor/jsQR.js",
            "layso/_bundled/config/demo.toml", "layso/_bundled/config/center.example.toml",
            "layso/server.py", "layso/cli.py", "layso/store/migrations.py", "kiosk/templates/kiosk/kiosk.html"} <= names
    tracked = subprocess.run(["git", "ls-files", "layso", "kiosk", "display", "counter", "rating_tablet", "dashboard",
                              "province"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    missing = [path for path in tracked if path not in names]
    assert not missing, f"tracked package files left out of the wheel: {missing}"
    assert not any(name.startswith(("tests/", "bench/", "node_modules/", "server.py")) for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "layso = layso.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    metadata = zipfile.ZipFile(wheel).read(next(name for name in names if name.endswith("METADATA"))).decode()
    assert "Provides-Extra: pyttsx3" in metadata and "Provides-Extra: province" in metadata
    extras_only = ("pyttsx3", "psycopg", "redis", "alembic")  # a center installs none of them
    assert not any(line.startswith(tuple(f"Requires-Dist: {name}" for name in extras_only)) and "extra ==" not in line
                   for line in metadata.splitlines())


def test_an_installed_wheel_serves_the_demo_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True,
                               timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = tmp_path / "center"
    where.mkdir()
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    found = subprocess.run([str(python), "-c", "import layso, kiosk; print(layso.__file__); print(kiosk.__file__)"],
                           cwd=where, env=environment, capture_output=True, text=True, check=True).stdout.split()
    assert all(path.startswith(str(venv)) for path in found), found
    checked = subprocess.run([str(venv / "bin" / "layso"), "check-config",
                              str(venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" /
                                  "site-packages" / "layso" / "_bundled" / "config" / "center.example.toml")],
                             cwd=where, env={**environment, "LAYSO_SECRET_KEY": "a-real-centers-secret-key"},
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and ": ok" in checked.stdout, checked.stdout + checked.stderr
    hub = subprocess.run([str(venv / "bin" / "layso"), "province", "--database-url", "postgresql:///nowhere"],
                         cwd=where, env=environment, capture_output=True, text=True, timeout=120)
    assert hub.returncode == 2 and "pip install 'layso[province]'" in hub.stderr, hub.stdout + hub.stderr

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen([str(venv / "bin" / "layso"), "serve", "--demo", "--port", str(port), "--db",
                               str(where / "demo.db")], cwd=where, stdout=log, stderr=subprocess.STDOUT,
                              env={**environment, "LAYSO_DEMO_HISTORY_DAYS": "2"})
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            with contextlib.suppress(requests.RequestException):  # not listening yet
                if requests.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.2)
        assert "socket.io" in requests.get(url + "/vendor/socket.io.min.js", timeout=10).text[:2000].lower()
        assert requests.get(url + "/kiosk/k1", timeout=10).status_code == 200
        ticket = requests.post(url + "/api/v1/tickets", json={"service": "HT"}, timeout=10)
        assert ticket.status_code == 201, ticket.text
        token = requests.post(url + "/api/v1/auth/login", json={"username": "canbo1", "password": "demo"},
                              timeout=10).json()["token"]
        officer = {"Authorization": f"Bearer {token}"}
        assert requests.post(url + "/api/v1/counters/1/open", headers=officer, timeout=10).status_code == 200
        called = requests.post(url + "/api/v1/counters/1/call-next", headers=officer, timeout=10)
        assert called.status_code == 200 and called.json()["ticket"]["id"] == ticket.json()["id"], called.text
        assert requests.post(url + "/api/v1/counters/1/finish", headers=officer, timeout=10).status_code == 200
        rated = requests.post(url + "/api/v1/ratings", json={"ticket": ticket.json()["id"], "level": "very_satisfied"},
                              headers={"Authorization": "Bearer demo-tablet-1"}, timeout=10)
        assert rated.status_code == 201, rated.text
        assert "layso_tickets_finished_total" in requests.get(url + "/metrics", timeout=10).text
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert not (ROOT / "demo.db").exists() and (where / "demo.db").exists()
