"""A center behind its own HTTPS reverse proxy ([server] trusted_proxies, docs/security.md):
each client keeps its own address for the limits, and nobody else chooses theirs."""

import ipaddress

import pytest

from layso.settings import SettingsError
from tests.helpers import ROOT

PROXY = {"REMOTE_ADDR": "127.0.0.1"}


def through_proxy(client, path, *, client_address, scheme="https", **kwargs):
    headers = {"X-Forwarded-For": f"6.6.6.6, {client_address}", "X-Forwarded-Proto": scheme}
    return client.post(path, headers=headers, environ_base=PROXY, **kwargs)


@pytest.fixture
def proxied(make_client):
    return make_client(ticket_rate_limit=2, trusted_proxies=(ipaddress.ip_network("127.0.0.1/32"),))


def test_behind_a_trusted_proxy_each_kiosk_has_its_own_rate_limit_and_https_status_links(proxied):
    for _ in range(2):
        answer = through_proxy(proxied, "/api/v1/tickets", client_address="10.0.0.5", json={"service": "HT"})
        assert answer.status_code == 201 and answer.get_json()["status_url"].startswith("https://")
    assert through_proxy(proxied, "/api/v1/tickets", client_address="10.0.0.5", json={"service": "HT"}).status_code == 429
    assert through_proxy(proxied, "/api/v1/tickets", client_address="10.0.0.6", json={"service": "HT"}).status_code == 201


def test_behind_a_trusted_proxy_one_address_failing_logins_does_not_lock_out_another(proxied):
    for _ in range(5):
        failed = through_proxy(proxied, "/api/v1/auth/login", client_address="10.0.0.66",
                               json={"username": "binh", "password": "wrong password"})
        assert failed.status_code == 401
    owner = through_proxy(proxied, "/api/v1/auth/login", client_address="10.0.0.12",
                          json={"username": "binh", "password": "binh-password-1"})
    assert owner.status_code == 200


def test_forwarded_headers_from_a_peer_that_is_not_a_listed_proxy_are_ignored(proxied):
    headers = {"X-Forwarded-For": "10.0.0.99"}
    for number in range(2):
        answer = proxied.post("/api/v1/tickets", json={"service": "HT"}, headers={"X-Forwarded-For": f"10.1.0.{number}"},
                              environ_base={"REMOTE_ADDR": "10.0.0.7"})
        assert answer.status_code == 201 and answer.get_json()["status_url"].startswith("http://")
    refused = proxied.post("/api/v1/tickets", json={"service": "HT"}, headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert refused.status_code == 429


def test_a_bad_trusted_proxy_stops_the_server_naming_the_key(tmp_path):
    from layso import settings

    config = tmp_path / "center.toml"
    config.write_text((ROOT / "tests/data/center.toml").read_text(encoding="utf-8").replace(
        "[center]", '[server]\ntrusted_proxies = ["nginx"]\n\n[center]', 1), encoding="utf-8")
    with pytest.raises(SettingsError, match=r"server\.trusted_proxies"):
        settings.load(config=str(config), environ={"LAYSO_SECRET_KEY": "test-secret-key-0123456789"})
