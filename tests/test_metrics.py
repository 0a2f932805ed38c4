"""Issue 20, "Watch it": GET /metrics in Prometheus' text format, every name ``layso_``,
moving when tickets are issued, called and finished; answered only to allowed addresses."""

import ipaddress

from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import database_digest

NAMES = {
    "layso_http_requests_total", "layso_http_request_duration_seconds", "layso_tickets_issued_total",
    "layso_tickets_called_total", "layso_tickets_finished_total", "layso_waiting", "layso_tickets",
    "layso_counters", "layso_sockets", "layso_printer_ok", "layso_printer_paper_low",
    "layso_announcement_latency_seconds", "layso_fsync_seconds", "layso_writes_stopped", "layso_database_bytes",
}


def scrape(client) -> dict:
    """{(sample name, frozenset of labels): value}"""
    response = client.get("/metrics")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_names_are_all_prefixed_layso_and_the_listed_ones_are_there(client):
    response = client.get("/metrics")
    families = {family.name for family in text_string_to_metric_families(response.get_data(as_text=True))}
    assert all(name.startswith("layso_") for name in families)
    samples = {name for name, _labels in scrape(client)}
    # a counter's samples end in _total, a histogram's in _bucket/_sum/_count
    assert {"layso_waiting", "layso_tickets", "layso_counters", "layso_printer_ok", "layso_fsync_seconds_count",
            "layso_writes_stopped", "layso_database_bytes", "layso_http_requests_total",
            "layso_http_request_duration_seconds_bucket"} <= samples
    assert "# TYPE layso_tickets_issued_total counter" in response.get_data(as_text=True)


def test_metrics_move_when_tickets_are_issued_called_and_finished(client, login):
    before = scrape(client)
    assert value(before, "layso_waiting", service="HT") == 0 and value(before, "layso_waiting", service="GCN") == 0
    for _ in range(3):
        assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 201
    client.post("/api/v1/tickets", json={"service": "GCN"})
    officer = login("an")
    assert client.post("/api/v1/counters/1/open", headers=officer).status_code == 200
    assert client.post("/api/v1/counters/1/call-next", headers=officer).status_code == 200
    assert client.post("/api/v1/counters/1/finish", headers=officer).status_code == 200
    after = scrape(client)
    assert value(after, "layso_tickets_issued_total", service="HT") == 3
    assert value(after, "layso_tickets_issued_total", service="GCN") == 1
    assert value(after, "layso_tickets_called_total", service="HT") == 1
    assert value(after, "layso_tickets_finished_total", service="HT") == 1
    assert value(after, "layso_waiting", service="HT") == 2 and value(after, "layso_waiting", service="GCN") == 1
    assert value(after, "layso_tickets", status="waiting") == 3 and value(after, "layso_tickets", status="finished") == 1
    assert value(after, "layso_counters", status="idle") == 1
    assert value(after, "layso_http_requests_total", endpoint="/api/v1/tickets", method="POST", status="201") == 4
    assert value(after, "layso_fsync_seconds_count") > value(before, "layso_fsync_seconds_count")
    assert value(after, "layso_database_bytes") > 0 and value(after, "layso_writes_stopped") == 0
    assert value(after, "layso_printer_ok", kiosk="k1") == 1  # the test center's kiosk prints to a file


def test_refused_requests_are_counted_with_their_status_and_unknown_paths_under_one_label(client):
    client.post("/api/v1/tickets", json={"service": "NOPE"})
    client.get("/no/such/page/" + "x" * 500)
    samples = scrape(client)
    assert value(samples, "layso_http_requests_total", endpoint="/api/v1/tickets", method="POST", status="404") == 1
    assert value(samples, "layso_http_requests_total", endpoint="(no route)", method="GET", status="404") == 1
    assert not any("xxxx" in str(labels) for _name, labels in samples)


def test_metrics_are_refused_to_other_addresses_by_default_and_never_write(client, settings):
    before = database_digest(settings.db_path)
    refused = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.168.1.20"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
    english = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.168.1.20"}, headers={"Accept-Language": "en"})
    assert "metrics_allow" in english.get_json()["message"]
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::ffff:127.0.0.1"}).status_code == 200
    assert client.post("/metrics").status_code == 405
    assert database_digest(settings.db_path) == before


def test_metrics_allow_names_the_addresses_that_may_read(make_client, make_settings):
    client = make_client(metrics_allow=(ipaddress.ip_network("10.0.0.0/24"),))
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.0.1.7"}).status_code == 403
    assert client.get("/metrics").status_code == 403  # loopback is not listed any more


def test_metrics_allow_is_read_from_the_file_and_the_environment(tmp_path):
    import pytest

    from layso import settings as settings_module
    from tests.conftest import DATA

    config = tmp_path / "center.toml"
    config.write_text((DATA / "center.toml").read_text(encoding="utf-8").replace(
        "[center]", '[server]\nmetrics_allow = ["10.1.0.0/16", "fd00::5"]\n\n[center]', 1), encoding="utf-8")
    env = {"LAYSO_SECRET_KEY": "test-secret-key-0123456789"}
    loaded = settings_module.load(config=str(config), environ=env)
    assert [str(net) for net in loaded.metrics_allow] == ["10.1.0.0/16", "fd00::5/128"]
    from_env = settings_module.load(config=str(config), environ={**env, "LAYSO_METRICS_ALLOW": "192.168.0.9, ::1"})
    assert [str(net) for net in from_env.metrics_allow] == ["192.168.0.9/32", "::1/128"]
    default = settings_module.load(config=str(DATA / "center.toml"), environ=env)
    assert [str(net) for net in default.metrics_allow] == ["127.0.0.0/8", "::1/128"]
    with pytest.raises(settings_module.SettingsError, match="LAYSO_METRICS_ALLOW"):
        settings_module.load(config=str(config), environ={**env, "LAYSO_METRICS_ALLOW": "not-an-address"})


def test_sockets_are_counted_by_role_while_open(live_server, sio_client):
    import requests

    from tests.helpers import wait_until

    live_server.start()
    display = sio_client({"role": "display"})
    sio_client({"role": "kiosk"})

    def sockets():
        text = requests.get(live_server.url + "/metrics", timeout=5).text
        return {sample.labels["role"]: sample.value for family in text_string_to_metric_families(text)
                for sample in family.samples if sample.name == "layso_sockets"}

    wait_until(lambda: sockets() == {"display": 1, "kiosk": 1}, what="two sockets counted")
    display.close()
    wait_until(lambda: sockets().get("display", 0) == 0, what="the display's socket gone")


def test_announcement_latency_is_from_the_call_to_its_announcement(app, client):
    from layso.events import ANNOUNCEMENT_READY, TICKET_CALLED, Event

    publish = app.extensions["layso.publish"]
    ticket = {"id": 7, "number": "A007", "service": "HT"}
    publish([Event(ANNOUNCEMENT_READY, {"ticket": ticket, "counter": 2})])  # no call before it: not measured
    publish([Event(TICKET_CALLED, {"ticket": ticket, "counter": 2})])
    publish([Event(ANNOUNCEMENT_READY, {"ticket": ticket, "counter": 2, "text": "Mời số A007", "audio_url": None})])
    samples = scrape(client)
    assert value(samples, "layso_announcement_latency_seconds_count") == 1
    assert 0 <= value(samples, "layso_announcement_latency_seconds_sum") < 5
    assert value(samples, "layso_tickets_called_total", service="HT") == 1


def test_the_outbox_s_unsent_notices_and_their_lag_are_shown(client, db, now):
    import time

    from layso.notify.notices import queue_notice
    from layso.store.db import write

    samples = scrape(client)
    assert value(samples, "layso_outbox_pending") == 0 and value(samples, "layso_outbox_lag_seconds") == 0
    with write(db):
        assert queue_notice(db, kind="called", phone="+84912345678", values={"number": "A001", "counter": 1},
                            dedupe="test:1", now=now, now_ts=time.time() - 90)
    samples = scrape(client)
    assert value(samples, "layso_outbox_pending") == 1
    assert 90 <= value(samples, "layso_outbox_lag_seconds") < 600
