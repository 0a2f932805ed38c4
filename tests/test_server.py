"""server.py: flags, settings, the secret guard, demo mode."""

import subprocess
import sys

import pytest
import requests

from tests.helpers import ROOT, LiveServer


def run_server(*args, env=None, timeout=30):
    environment = {"PATH": "/usr/bin:/bin", "LAYSO_ASYNC_MODE": "threading", **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "server.py"), *args], env=environment, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_without_demo_the_server_refuses_a_missing_or_default_secret(tmp_path):
    for env in ({}, {"LAYSO_SECRET_KEY": "change-me"}, {"LAYSO_SECRET_KEY": "short"}):
        result = run_server("--config", str(ROOT / "tests/data/center.toml"), "--db", str(tmp_path / "x.db"), env=env)
        assert result.returncode == 2
        assert "secret_key" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_bad_config_is_refused_with_the_key_named(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text((ROOT / "tests/data/center.toml").read_text().replace('prefix = "B"', 'prefix = "b1"'))
    result = run_server("--config", str(config), "--db", str(tmp_path / "x.db"),
                        env={"LAYSO_SECRET_KEY": "a-long-enough-secret-key"})
    assert result.returncode == 2 and "services[1].prefix" in result.stderr


@pytest.mark.slow
def test_a_real_center_has_no_demo_accounts(tmp_path):
    server = LiveServer(tmp_path, demo=False, config=ROOT / "tests/data/center.toml")
    server.start()
    try:
        response = requests.post(server.url + "/api/v1/auth/login", json={"username": "canbo1", "password": "demo"})
        assert response.status_code == 401
        assert requests.post(server.url + "/api/v1/auth/login", json={"username": "admin", "password": "demo"}).status_code == 401
    finally:
        server.stop()


@pytest.mark.slow
def test_demo_mode_serves_the_demo_center_with_its_accounts(live_server):
    live_server.start()
    services = requests.get(live_server.url + "/api/v1/services").json()["services"]
    assert len(services) >= 4 and len({s["group"] for s in services}) >= 2
    assert len({s["prefix"] for s in services}) == len(services)
    for username in ("canbo1", "canbo6", "lanhdao", "admin"):
        assert live_server.login(username)
    counters = requests.get(live_server.url + "/api/v1/state").json()["counters"]
    assert len(counters) >= 6
    assert {code for c in counters for code in c["services"]} == {s["code"] for s in services}


def test_a_bad_printer_is_refused_with_the_key_named_not_a_traceback(tmp_path):
    config = tmp_path / "bad-printer.toml"
    config.write_text((ROOT / "tests/data/center.toml").read_text().replace('kind = "file"', 'kind = "laser"'))
    result = run_server("--config", str(config), "--db", str(tmp_path / "x.db"),
                        env={"LAYSO_SECRET_KEY": "a-long-enough-secret-key"})
    assert result.returncode == 2
    assert "kiosks" in result.stderr and "Traceback" not in result.stderr
