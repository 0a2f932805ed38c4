"""Issue 18: the hub's login throttle is shared by its worker processes — the failures are
counted in the hub's Redis (layso.web.throttle.RedisFailures), so ``--workers N`` does not
grant N times the tries; the rule and its wording stay the center's (LoginThrottle)."""

import threading

import pytest
import redis
import requests

from layso.errors import LoginUnavailable, TooManyRequests
from layso.web.throttle import FAILURES_PER_USER_AND_ADDRESS, WINDOW_S, LoginThrottle, RedisFailures
from tests.helpers import free_port

KEYS = ("addr:10.0.0.66", "user:binh", "user:binh|addr:10.0.0.66")


@pytest.fixture
def client(redis_server):
    connection = redis.Redis.from_url(redis_server.url)
    yield connection
    connection.close()


@pytest.fixture
def failures(client, request):
    return RedisFailures(client, namespace=f"test:{request.node.name}")


def test_failures_count_each_key_and_expire_a_window_after_the_first(failures, client):
    assert failures.counts(KEYS) == [0, 0, 0]
    failures.add(KEYS)
    first_ttl = client.pttl(failures._redis_key(KEYS[0]))
    failures.add(KEYS[:2])
    assert failures.counts(KEYS) == [2, 2, 1]
    for key in KEYS:  # a later failure does not push the end of the window back
        assert 0 < client.pttl(failures._redis_key(key)) <= first_ttl <= WINDOW_S * 1000


def test_forget_drops_only_its_key(failures):
    failures.add(KEYS)
    failures.forget(KEYS[2])
    assert failures.counts(KEYS) == [1, 1, 0]


def test_namespaces_do_not_mix_and_a_huge_user_name_makes_a_short_key(client, failures):
    other = RedisFailures(client, namespace=failures.namespace + "-other")
    huge = "user:" + "ệ" * 1_000_000
    failures.add((huge,))
    assert other.counts((huge,)) == [0] and failures.counts((huge,)) == [1]
    assert len(failures._redis_key(huge)) == len(failures.namespace) + 65


def test_racing_failures_are_all_counted(failures):
    threads, per_thread = 8, 25
    barrier = threading.Barrier(threads)

    def fail():
        barrier.wait()
        for _ in range(per_thread):
            failures.add(KEYS)

    workers = [threading.Thread(target=fail) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures.counts(KEYS) == [threads * per_thread] * 3


def test_the_redis_throttle_refuses_as_the_memory_one_with_the_same_words(failures):
    answers = []
    for throttle in (LoginThrottle(failures=failures, sleep=lambda seconds: None),
                     LoginThrottle(sleep=lambda seconds: None)):
        for _ in range(FAILURES_PER_USER_AND_ADDRESS):
            throttle.before_try("binh", "10.0.0.66")
            throttle.failed("binh", "10.0.0.66")
        with pytest.raises(TooManyRequests) as refused:
            throttle.before_try("binh", "10.0.0.66")
        throttle.before_try("binh", "10.0.0.12")  # another computer still may try
        answers.append((refused.value.message, refused.value.message_en))
    assert answers[0] == answers[1]


def test_a_redis_that_does_not_answer_refuses_the_login_rather_than_let_it_through_uncounted():
    nobody = redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    throttle = LoginThrottle(failures=RedisFailures(nobody, namespace="test"), sleep=lambda seconds: None)
    for step in (throttle.before_try, throttle.failed, throttle.succeeded):
        with pytest.raises(LoginUnavailable):
            step("binh", "10.0.0.66")


def login(hub, password, lang="vi"):
    return requests.post(hub.url + "/api/v1/auth/login", json={"username": "admin", "password": password},
                         headers={"Accept-Language": lang}, timeout=30)


@pytest.mark.slow
def test_failed_logins_at_one_hub_worker_count_at_another(start_hub):
    first, second = start_hub(), start_hub()
    for attempt in range(FAILURES_PER_USER_AND_ADDRESS):
        assert login(first if attempt % 2 else second, "wrong password").status_code == 401
    for hub in (first, second):
        refused = login(hub, "demo")
        assert refused.status_code == 429, refused.text
        assert refused.json() == {"error": "too_many_requests",
                                  "message": "Đăng nhập sai quá nhiều lần từ máy này. Xin thử lại sau 5 phút."}
    assert login(second, "demo", "en").json()["message"] == \
        "Too many failed logins from this computer. Try again in 5 minutes."
