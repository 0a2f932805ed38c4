"""[notify] in the TOML file and LAYSO_NOTIFY_CHANNEL, LAYSO_SMS_URL, LAYSO_SMS_TOKEN,
LAYSO_ZNS_URL, LAYSO_ZNS_TOKEN over it: each error names its key."""

import pytest

from layso import settings as settings_module
from layso.notify.config import effective
from tests.conftest import DATA
from tests.helpers import demo_config_with

ENV = {"LAYSO_SECRET_KEY": "test-secret-key-0123456789"}


def load(tmp_path, extra="", **env):
    return settings_module.load(config=str(demo_config_with(tmp_path, extra)), db=str(tmp_path / "x.db"),
                                environ={**ENV, **env})


def test_the_environment_sets_channel_gateways_and_secrets(tmp_path):
    loaded = load(tmp_path, LAYSO_NOTIFY_CHANNEL="sms", LAYSO_SMS_URL="http://127.0.0.1:9/send",
                  LAYSO_SMS_TOKEN="t", LAYSO_ZNS_URL="https://zns.example/t", LAYSO_ZNS_TOKEN="z")
    config = effective(loaded.seed["notify"], loaded.notify_env)
    assert config.channel == "sms"
    assert (config.sms["url"], config.sms["token"]) == ("http://127.0.0.1:9/send", "t")
    assert (config.zns["url"], config.zns["token"]) == ("https://zns.example/t", "z")


def test_the_toml_section_seeds_the_setting_and_the_environment_wins(tmp_path):
    loaded = load(tmp_path, '[notify]\nchannel = "zns"\nnear_ahead = 5\n[notify.sms]\nurl = "https://a.example/s"\n',
                  LAYSO_NOTIFY_CHANNEL="log")
    config = effective(loaded.seed["notify"], loaded.notify_env)
    assert (config.channel, config["near_ahead"], config.sms["url"]) == ("log", 5, "https://a.example/s")
    assert config.sms["token"] == ""  # never from the file


@pytest.mark.parametrize("extra, env, key", [
    ('[notify]\nchannel = "fax"\n', {}, "notify.channel"),
    ('[notify]\nnear_ahead = 0\n', {}, "notify.near_ahead"),
    ('[notify]\nmax_backoff_s = "ten"\n', {}, "notify.max_backoff_s"),
    ('[notify]\nquiet_hours = "9pm-7am"\n', {}, "notify.quiet_hours"),
    ('[notify]\ncolour = "red"\n', {}, "notify.colour"),
    ('[notify.sms]\nurl = "ftp://x"\n', {}, "notify.sms.url"),
    ('[notify.sms]\nbody_format = "xml"\n', {}, "notify.sms.body_format"),
    ('[notify.sms]\ntoken = "in-the-file"\n', {}, "notify.sms.token"),
    ('[notify.zns]\nfallback_sms = "yes"\n', {}, "notify.zns.fallback_sms"),
    ('[notify]\nnear_ahead_by_service = { HT = 5, XX = 4 }\n', {}, "notify.near_ahead_by_service.XX"),  # no such service
    ("", {"LAYSO_NOTIFY_CHANNEL": "pigeon"}, "LAYSO_NOTIFY_CHANNEL"),
    ("", {"LAYSO_SMS_URL": "sms.example.vn"}, "LAYSO_SMS_URL"),
])
def test_a_wrong_setting_names_its_key(tmp_path, extra, env, key):
    with pytest.raises(settings_module.SettingsError, match=key.replace(".", r"\.")):
        load(tmp_path, extra, **env)


def test_n_people_ahead_may_be_set_for_the_files_own_services(tmp_path):
    loaded = load(tmp_path, '[notify]\nnear_ahead_by_service = { HT = 5, LLTP = 2 }\n')
    assert loaded.seed["notify"]["near_ahead_by_service"] == {"HT": 5, "LLTP": 2}


def test_the_test_center_has_the_defaults():
    loaded = settings_module.load(config=str(DATA / "center.toml"), db="x.db", environ=ENV)
    assert effective(loaded.seed["notify"], loaded.notify_env).channel == "log"
