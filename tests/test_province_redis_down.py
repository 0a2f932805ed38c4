"""The hub while its Redis is down (docs/hub.md, "When Redis is down"): a login is refused
with a 503 in the page's language — the failed-login counts all workers share cannot be kept,
and guessing must not go uncounted — while accounts already logged in carry on and what the
centers send is still taken and kept. Once Redis answers again, logins work and every
dashboard catches up, with no restart."""

import psycopg
import pytest
import requests

from layso.errors import LoginUnavailable
from tests.helpers import RecordingClient
from tests.province_services import RedisServer
from tests.test_hub_ingest import ticket
from tests.test_province_workers import hub_today, waiting_at

pytestmark = pytest.mark.slow


@pytest.fixture
def start_redis():
    """start_redis() → a redis-server of this test's own, to stop; called again, one on the
    same port (Redis back where the hub looks for it)."""
    servers = []

    def start():
        servers.append(RedisServer(port=servers[0].port if servers else None).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def login(hub, lang="vi"):
    return requests.post(hub.url + "/api/v1/auth/login", json={"username": "tinh", "password": "demo"},
                         headers={"X-Layso-Language": lang}, timeout=30)


def test_a_login_while_redis_is_down_is_a_503_in_the_page_s_language(start_hub, start_redis):
    redis = start_redis()
    hub = start_hub(redis_url=redis.url)
    session = {"Authorization": f"Bearer {hub.login()}"}
    redis.stop()
    refused = login(hub)
    assert refused.status_code == 503
    assert refused.json() == {"error": "login_unavailable", "message": LoginUnavailable.message}
    assert login(hub, "en").json()["message"] == LoginUnavailable.message_en
    assert "login refused: the failed-login counts in Redis cannot be used" in hub.output()
    assert requests.get(hub.url + "/api/v1/province/live", headers=session, timeout=10).status_code == 200
    start_redis()
    assert login(hub).status_code == 200


def test_what_a_center_sends_while_redis_is_down_is_kept_and_every_dashboard_has_it_once_redis_is_back(
        start_hub, start_redis, hub_database_url):
    redis = start_redis()
    hub = start_hub(redis_url=redis.url, workers=2)
    dashboards = [RecordingClient(hub.url, {"token": hub.login()}) for _ in range(4)]  # on either worker
    try:
        redis.stop()
        answer = hub.ingest([ticket(1, 1, day=hub_today())])
        assert answer.status_code == 200 and answer.json() == {"center": "demo-1", "acked": 1}
        with psycopg.connect(hub_database_url) as connection:
            assert connection.execute("SELECT count(*) FROM tickets").fetchone() == (1,)
        start_redis()
        # The worker that took the batch told its own dashboards at once; the other's hear it from
        # the leader's pass (every 15 s) once Redis carries it again.
        for dashboard in dashboards:
            dashboard.wait_for("province.center", waiting_at("demo-1", 1), timeout=60)
    finally:
        for dashboard in dashboards:
            dashboard.close()
