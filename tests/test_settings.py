"""Settings: the center's TOML file, environment overrides; every error names its key."""

import re
import tomllib
from pathlib import Path

import pytest

from layso import settings as settings_module
from layso.settings import SettingsError

DATA = Path(__file__).parent / "data"
SECRET = {"LAYSO_SECRET_KEY": "test-secret-key-0123456789"}


def config_with(tmp_path, edit):
    """Write the test center's TOML after ``edit(text)`` and return its path."""
    path = tmp_path / "center.toml"
    path.write_text(edit((DATA / "center.toml").read_text(encoding="utf-8")), encoding="utf-8")
    tomllib.loads(path.read_text(encoding="utf-8"))  # the edit itself must stay valid TOML
    return str(path)


def load(config, environ=SECRET, **flags):
    return settings_module.load(config=config, environ=environ, **flags)


def test_the_test_center_loads(tmp_path):
    settings = load(str(DATA / "center.toml"), db=str(tmp_path / "x.db"))
    assert (settings.center_name, settings.timezone, settings.ticket_rate_limit) == ("Trung tâm thử nghiệm", "Asia/Ho_Chi_Minh", 30)
    assert [service["prefix"] for service in settings.seed["services"]] == ["A", "B", "D"]
    assert settings.seed["queue"]["ordering"] == "strict"


@pytest.mark.parametrize(
    "old, new, key",
    [
        ('prefix = "B"', 'prefix = "b1"', "services[1].prefix"),
        ('prefix = "B"', 'prefix = "A"', "services[1]"),
        ('field = "DD"', 'field = "XX"', "services[2].field"),
        ("number = 2", "number = 1", "counters[1].number"),
        ('services = ["GCN"]', 'services = ["HT", "NOPE"]', "counters[2].services"),
        ('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Hanoi_City"', "center.timezone"),
        ('ordering = "strict"', 'ordering = "random"', "queue.ordering"),
        ("default_service_s = 300", "default_service_s = -5", "queue.default_service_s"),
        ("ticket_rate_limit = 30", 'ticket_rate_limit = "many"', "queue.ticket_rate_limit"),
        ('monday = ["07:30-11:30", "13:30-17:00"]', 'monday = ["7h30-11h30"]', "hours.monday"),
        ('role = "manager"', 'role = "boss"', "officers[4].role"),
        ('password = "an-password-1"', 'password = ""', "officers[0].password"),
        ('require_registration = ["tablet"]', 'require_registration = ["toaster"]', "devices.require_registration"),
        ('id = "k1"', 'id = ""', "kiosks[0].id"),
    ],
)
def test_a_wrong_setting_is_refused_with_a_message_naming_its_key(tmp_path, old, new, key):
    config = config_with(tmp_path, lambda text: text.replace(old, new, 1))
    with pytest.raises(SettingsError) as refused:
        load(config)
    assert str(refused.value).startswith(key), str(refused.value)


def test_a_center_without_services_is_refused(tmp_path):
    config = tmp_path / "empty.toml"
    config.write_text('[center]\nname = "Trung tâm"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^services: at least one"):
        load(str(config))


def test_an_unreadable_config_names_the_file(tmp_path):
    with pytest.raises(SettingsError, match="file not found"):
        load(str(tmp_path / "missing.toml"))
    broken = tmp_path / "broken.toml"
    broken.write_text("[center\nname = 1", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^config: .*broken\.toml"):
        load(str(broken))


@pytest.mark.parametrize("secret", [None, "", "change-me", "short"])
def test_a_real_center_refuses_to_start_without_a_proper_secret(secret):
    environ = {} if secret is None else {"LAYSO_SECRET_KEY": secret}
    with pytest.raises(SettingsError, match=r"^secret_key: set LAYSO_SECRET_KEY"):
        load(str(DATA / "center.toml"), environ=environ)


def test_demo_mode_starts_without_a_secret():
    settings = load(str(DATA / "center.toml"), environ={}, demo=True)
    assert settings.demo and settings.secret_key


def test_no_config_at_all_is_refused():
    with pytest.raises(SettingsError, match="LAYSO_CONFIG"):
        settings_module.load(environ=SECRET)


def test_environment_overrides_config_path_database_secret_and_async_mode(tmp_path):
    environ = {
        "LAYSO_CONFIG": str(DATA / "center.toml"),
        "LAYSO_DB": str(tmp_path / "from-env.db"),
        "LAYSO_SECRET_KEY": "another-secret-0123456789",
        "LAYSO_ASYNC_MODE": "threading",
    }
    settings = settings_module.load(environ=environ)
    assert settings.config_path == DATA / "center.toml"
    assert settings.db_path == tmp_path / "from-env.db"
    assert (settings.secret_key, settings.async_mode) == ("another-secret-0123456789", "threading")


def test_flags_win_over_the_environment(tmp_path):
    environ = {**SECRET, "LAYSO_CONFIG": str(tmp_path / "nowhere.toml"), "LAYSO_DB": str(tmp_path / "env.db")}
    settings = settings_module.load(config=str(DATA / "center.toml"), db=str(tmp_path / "flag.db"), port=8123, environ=environ)
    assert (settings.db_path, settings.port) == (tmp_path / "flag.db", 8123)


def test_a_wrong_async_mode_is_refused_naming_the_variable():
    with pytest.raises(SettingsError, match=r"^LAYSO_ASYNC_MODE"):
        load(str(DATA / "center.toml"), environ={**SECRET, "LAYSO_ASYNC_MODE": "eventlet"})


@pytest.mark.parametrize("value, expected", [("0", 0), ("120", 120)])
def test_ticket_rate_limit_comes_from_the_environment_before_the_file(value, expected):
    settings = load(str(DATA / "center.toml"), environ={**SECRET, "LAYSO_TICKET_RATE_LIMIT": value})
    assert settings.ticket_rate_limit == expected


@pytest.mark.parametrize("value", ["", "ten", "-1", "1.5"])
def test_a_wrong_ticket_rate_limit_is_refused_naming_the_variable(value):
    with pytest.raises(SettingsError, match=r"^LAYSO_TICKET_RATE_LIMIT"):
        load(str(DATA / "center.toml"), environ={**SECRET, "LAYSO_TICKET_RATE_LIMIT": value})


@pytest.mark.parametrize("remote, key", [
    ("cap_share = 2", "remote.cap_share"),
    ("per_phone_per_day = -1", "remote.per_phone_per_day"),
    ("per_phone_per_day = true", "remote.per_phone_per_day"),
    ('last_issue = "25:00"', "remote.last_issue"),
    ("one_time_code = 1", "remote.one_time_code"),
    ("per_phone = 1", "remote.per_phone"),
    ("[remote.services.HT]\ncap_share = -0.1", "remote.services.HT.cap_share"),
    ("[remote.services.HT]\none_time_code = true", "remote.services.HT.one_time_code"),
    ("[remote.services.NOPE]\ncap_share = 0.5", "remote.services.NOPE"),
])
def test_a_wrong_remote_limit_is_refused_naming_its_key(tmp_path, remote, key):
    config = config_with(tmp_path, lambda text: text + f"\n[remote]\n{remote}\n")
    with pytest.raises(SettingsError, match=re.escape(key)):
        load(config)


def test_remote_limits_per_service_load_beside_the_center_ones(tmp_path):
    config = config_with(tmp_path, lambda text: text + '\n[remote]\ncap_share = 0.5\n[remote.services.HT]\nlast_issue = "16:00"\n')
    assert load(config).seed["remote"] == {"cap_share": 0.5, "services": {"HT": {"last_issue": "16:00"}}}
