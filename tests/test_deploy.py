"""Issue 20, "deploy/": the systemd units pass ``systemd-analyze verify`` and keep the
promises docs/operations.md makes about them; the screen launcher restarts its browser."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

DEPLOY = ROOT / "deploy"


def unit_settings(name: str) -> dict:
    settings = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


@pytest.mark.parametrize("unit", ["layso.service", "layso-agent.service"])
def test_the_units_pass_systemd_analyze_verify(unit, tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # verify checks that ExecStart exists: point it at this checkout's own console script.
    layso = Path(sys.executable).with_name("layso")
    assert layso.exists(), "scripts/setup installs the layso console script into .venv"
    text = (DEPLOY / unit).read_text(encoding="utf-8").replace("/opt/layso/.venv/bin/layso", str(layso))
    (tmp_path / unit).write_text(text, encoding="utf-8")
    checked = subprocess.run([analyze, "verify", str(tmp_path / unit)], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"})
    assert checked.returncode == 0 and not checked.stderr.strip() and not checked.stdout.strip(), \
        checked.stdout + checked.stderr


def test_the_server_runs_as_its_own_user_restarts_always_and_writes_only_its_instance_folder():
    unit = unit_settings("layso.service")
    assert unit["User"] == ["layso"] and unit["Restart"] == ["always"] and unit["ProtectSystem"] == ["strict"]
    assert unit["ReadWritePaths"] == ["/var/lib/layso"] and "LAYSO_DB=/var/lib/layso/layso.db" in unit["Environment"]
    assert unit["EnvironmentFile"] == ["/etc/layso/layso.env"] and unit["ExecStart"] == ["/opt/layso/.venv/bin/layso serve"]
    agent = unit_settings("layso-agent.service")
    assert agent["Restart"] == ["always"] and agent["ExecStart"][0].startswith("/opt/layso/.venv/bin/layso agent")
    assert "LAYSO_KIOSK_TOKEN" in (DEPLOY / "layso-agent.service").read_text(encoding="utf-8")


def test_the_screen_launcher_opens_the_page_with_its_token_and_starts_the_browser_again(tmp_path):
    """A fake browser that records its arguments and exits: the launcher starts it again."""
    record = tmp_path / "calls"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\necho \"$@\" >> {record}\n[ $(wc -l < {record}) -ge 2 ] && kill $PPID\nexit 1\n")
    browser.chmod(0o755)
    environment = {**os.environ, "LAYSO_BROWSER": str(browser), "XDG_CONFIG_HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    run = subprocess.run([str(DEPLOY / "layso-screen"), "http://10.0.0.2:5000/display", "tok123"], env=environment,
                         capture_output=True, text=True, timeout=30)
    calls = record.read_text().splitlines()
    assert len(calls) == 2 and "starting it again" in run.stderr
    assert "--kiosk" in calls[0] and "--autoplay-policy=no-user-gesture-required" in calls[0]
    assert calls[0].endswith("http://10.0.0.2:5000/display?token=tok123")
    usage = subprocess.run([str(DEPLOY / "layso-screen")], capture_output=True, text=True, timeout=10)
    assert usage.returncode == 2 and "usage" in usage.stderr


def test_the_screen_launcher_lets_only_a_kiosk_page_use_its_camera(tmp_path):
    """A kiosk reads QR codes with its camera: its page on the server's plain-http LAN address is
    treated as a secure origin and films without a click; a display page gets neither."""
    record = tmp_path / "calls"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\necho \"$@\" >> {record}\nkill $PPID\n")
    browser.chmod(0o755)
    environment = {**os.environ, "LAYSO_BROWSER": str(browser), "XDG_CONFIG_HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    for url in ("http://10.0.0.2:5000/kiosk/k1", "http://10.0.0.2:5000/display"):
        subprocess.run([str(DEPLOY / "layso-screen"), url, "tok123"], env=environment, capture_output=True, timeout=30)
    kiosk, display = record.read_text().splitlines()
    assert "--use-fake-ui-for-media-stream" in kiosk
    assert "--unsafely-treat-insecure-origin-as-secure=http://10.0.0.2:5000 " in kiosk
    assert kiosk.endswith("http://10.0.0.2:5000/kiosk/k1?token=tok123")
    assert "media-stream" not in display and "insecure-origin" not in display
