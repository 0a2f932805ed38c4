"""Issue 20, "a whole day simulated": bench/simulate_day.py on a short compressed day — a
real server (gevent, its clock 600 times faster), kiosks, officers, tablets and display
sockets as real clients — ends with every figure of the dashboard and of the day's summary
equal to what the simulator itself did, and every display having heard every call."""

import importlib.util
import random
from datetime import datetime

import pytest

from tests.helpers import ROOT, TZ

pytestmark = pytest.mark.slow


def load_simulator():
    spec = importlib.util.spec_from_file_location("simulate_day", ROOT / "bench" / "simulate_day.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_compressed_morning_ends_with_the_server_s_figures_equal_to_the_simulator_s(live_server):
    simulator = load_simulator()
    live_server.start(env={"LAYSO_CLOCK_SPEED": "600", "LAYSO_CLOCK_START": "07:25"})
    probe = simulator.Simulation(live_server.url, speed=600, citizens=[], spans=[], displays=0, seed=1)
    assert probe.clock.origin.strftime("%H:%M") in ("07:25", "07:26")  # the server's clock started where asked
    day = datetime.fromisoformat(f"{probe.day}T00:00:00").replace(tzinfo=TZ)
    spans, citizens = simulator.plan_day(day, hours="07:30-08:30", scale=0.8, seed=20)
    # make sure the short day shows every path: a priority number, a no-show, a transfer, an unhappy rating
    rng = random.Random(3)
    citizens[0].priority_reason, citizens[1].no_show = "elderly", True
    citizens[2].transfer_to, citizens[2].second_service_s = "CT", 120.0
    citizens[3].rating = ("not_satisfied", ["attitude"])
    citizens[4].rating = None
    assert len(citizens) >= 10 and rng
    simulation = simulator.Simulation(live_server.url, speed=600, citizens=citizens, spans=spans, displays=5, seed=7)
    simulation.run()
    tally = simulation.tally
    assert sum(tally.issued.values()) == len(citizens)
    assert sum(tally.no_show.values()) >= 1 and sum(tally.transferred.values()) >= 1 and tally.calls >= len(citizens)
    assert simulation.differences() == []


def test_a_fast_clock_is_for_the_demo_only_and_its_values_are_checked():
    from layso import settings as settings_module
    from layso.clock import FastClock
    from tests.conftest import DATA

    env = {"LAYSO_SECRET_KEY": "test-secret-key-0123456789"}
    demo = settings_module.load(config=str(DATA / "center.toml"), environ={**env, "LAYSO_CLOCK_SPEED": "60",
                                "LAYSO_CLOCK_START": "07:25"}, demo=True)
    assert demo.clock_speed == 60 and demo.clock_start == "07:25"
    with pytest.raises(settings_module.SettingsError, match="only with --demo"):
        settings_module.load(config=str(DATA / "center.toml"), environ={**env, "LAYSO_CLOCK_SPEED": "60"})
    for speed in ("0", "0.5", "3601", "fast", "nan", "٦٠"):
        with pytest.raises(settings_module.SettingsError, match="LAYSO_CLOCK_SPEED"):
            settings_module.load(config=str(DATA / "center.toml"), environ={**env, "LAYSO_CLOCK_SPEED": speed}, demo=True)
    for start in ("7:25", "25:99x", "2026-12-05T07:25:00"):  # the last has no offset
        with pytest.raises(settings_module.SettingsError, match="LAYSO_CLOCK_START"):
            settings_module.load(config=str(DATA / "center.toml"), environ={**env, "LAYSO_CLOCK_START": start}, demo=True)
    start = datetime(2026, 12, 7, 7, 25, tzinfo=TZ)
    fast = FastClock("Asia/Ho_Chi_Minh", speed=3600, start=start)
    first = fast()
    assert start <= first < start.replace(hour=8)
    fast.restart()
    assert fast() < first.replace(hour=first.hour + 1)
