"""The outbox and its sender against a real local HTTP server standing in for an SMS
gateway and for Zalo ZNS (tests/fake_gateway.py): what each channel sends, and what
happens when the gateway is down, slow, answers 500 or 400, or times out after receiving."""

import json
import threading
import time

import pytest

from layso.notify import gateways
from layso.notify.texts import DEFAULT_TEXTS, check_text, sms_parts
from layso.notify.notices import queue_notice, quiet_wait_s, send_one_time_code
from layso.notify.sender import Sender, backoff_s, try_one
from layso.store.center import put_setting
from layso.store.db import Pool, write
from layso.store.notices import list_notices, next_due_ts
from tests.fake_gateway import FakeGateway

PHONE = "+84912345678"


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.close()


@pytest.fixture
def pool(db, settings):
    lent = Pool(settings.db_path)
    yield lent
    lent.close()


def set_notify(db, **values):
    from layso.notify.config import check_notify

    with write(db):
        put_setting(db, "notify", check_notify(values))


def queue(db, now, *, kind="called", dedupe="ticket:1:called:1", values=None):
    with write(db):
        return queue_notice(db, kind=kind, phone=PHONE, values=values or {"number": "A015", "counter": 5},
                            dedupe=dedupe, now=now)


def settle(pool, env, clock, *, tries=20, public_url=""):
    """Try due notices until none is pending, jumping the sender's clock to each next try."""
    moment = [time.time()]
    for _ in range(tries):
        with pool.connection() as database:
            due = next_due_ts(database)
        if due is None:
            return
        moment[0] = max(moment[0], due)
        try_one(pool, env=env, clock=clock, now_ts=lambda: moment[0], public_url=public_url)
    raise AssertionError("notices still pending")


def notices(db):
    return list_notices(db)


def test_the_log_channel_writes_the_notice_with_a_masked_phone(db, pool, now, caplog):
    queue(db, now)
    with caplog.at_level("INFO", logger="layso.notify.gateways"):
        assert try_one(pool, env={}, clock=lambda: now)
    [notice] = notices(db)
    assert (notice["status"], notice["channel"], notice["attempts"]) == ("sent", "log", 1)
    assert "Mời số A015 đến quầy số 5." in caplog.text and "09xx xxx 678" in caplog.text
    assert "912345678" not in caplog.text  # never the full number


def test_the_simplest_gateway_gets_one_json_post_with_a_bearer_token(db, pool, now, gateway):
    env = {"channel": "sms", "sms_url": gateway.url + "/send", "sms_token": "s3cret"}
    queue(db, now)
    settle(pool, env, lambda: now)
    [request] = gateway.requests
    [notice] = notices(db)
    assert request["method"] == "POST" and request["path"] == "/send"
    assert request["body"] == {"phone": "84912345678", "text": "Mời số A015 đến quầy số 5.", "id": notice["uid"]}
    assert request["headers"]["authorization"] == "Bearer s3cret"
    assert (notice["status"], notice["channel"]) == ("sent", "sms")


def test_no_token_no_authorization_header(db, pool, now, gateway):
    queue(db, now)
    settle(pool, {"channel": "sms", "sms_url": gateway.url}, lambda: now)
    assert "authorization" not in gateway.requests[0]["headers"]


def test_a_500_is_tried_again_with_the_same_id_until_it_is_sent(db, pool, now, gateway):
    gateway.status = 500
    env = {"channel": "sms", "sms_url": gateway.url}
    queue(db, now)
    started = time.time()
    assert try_one(pool, env=env, clock=lambda: now, now_ts=lambda: started)
    [notice] = notices(db)
    assert notice["status"] == "pending" and notice["last_error"] == "HTTP 500"
    assert started < notice["next_try_ts"] <= started + 0.5  # the first backoff
    gateway.status = 200
    settle(pool, env, lambda: now)
    first, second = gateway.requests
    assert first["body"]["id"] == second["body"]["id"] == notice["uid"]
    assert notices(db)[0]["status"] == "sent" and len(gateway.delivered) == 1


def test_a_400_is_not_tried_again(db, pool, now, gateway):
    gateway.status = 400
    queue(db, now)
    settle(pool, {"channel": "sms", "sms_url": gateway.url}, lambda: now)
    [notice] = notices(db)
    assert (notice["status"], notice["last_error"], notice["attempts"]) == ("failed", "HTTP 400", 1)
    assert len(gateway.requests) == 1


def test_a_gateway_that_is_down_gets_the_notice_when_it_is_back(db, pool, now, gateway):
    env = {"channel": "sms", "sms_url": gateway.url}
    gateway.go_offline()
    queue(db, now)
    assert try_one(pool, env=env, clock=lambda: now)
    assert notices(db)[0]["last_error"].startswith("network: ")
    gateway.go_online()
    settle(pool, env, lambda: now)
    assert len(gateway.requests) == 1 and notices(db)[0]["status"] == "sent"


def test_a_timeout_after_the_gateway_received_it_is_retried_with_the_same_id(db, pool, now, gateway):
    set_notify(db, timeout_s=0.3)
    gateway.ambiguous, gateway.ambiguous_delay_s = 1, 1.5
    env = {"channel": "sms", "sms_url": gateway.url}
    queue(db, now)
    assert try_one(pool, env=env, clock=lambda: now)
    assert notices(db)[0]["last_error"] == "no answer within 0.3 s"
    settle(pool, env, lambda: now)
    assert len(gateway.requests) == 2  # the gateway saw the retry …
    assert len(gateway.delivered) == 1  # … and recognised it by its id: one SMS
    assert notices(db)[0]["status"] == "sent"


def test_a_notice_that_cannot_be_sent_in_time_fails(db, pool, now, gateway):
    set_notify(db, give_up_s=1)
    gateway.status = 503
    queue(db, now)
    settle(pool, {"channel": "sms", "sms_url": gateway.url}, lambda: now, tries=30)
    [notice] = notices(db)
    assert notice["status"] == "failed" and notice["last_error"] == "HTTP 503" and notice["attempts"] >= 2


def test_backoff_doubles_is_capped_and_jittered():
    assert [backoff_s(attempt, cap_s=10, rng=lambda: 1.0) for attempt in range(1, 8)] == [0.5, 1, 2, 4, 8, 10, 10]
    assert backoff_s(3, cap_s=10, rng=lambda: 0.0) == 1.0
    assert backoff_s(10**6, cap_s=10, rng=lambda: 1.0) == 10  # an absurd try count stays capped


def test_zns_sends_the_approved_template_with_its_tracking_id(db, pool, now, gateway):
    set_notify(db, zns={"templates": {"called": "231456"}})
    env = {"channel": "zns", "zns_url": gateway.url + "/message/template", "zns_token": "zalo-token"}
    queue(db, now)
    settle(pool, env, lambda: now)
    [request] = gateway.requests
    [notice] = notices(db)
    assert request["path"] == "/message/template" and request["headers"]["access_token"] == "zalo-token"
    assert request["body"] == {"phone": "84912345678", "template_id": "231456",
                               "template_data": {"number": "A015", "counter": "5"}, "tracking_id": notice["uid"]}
    assert (notice["status"], notice["channel"]) == ("sent", "zns")


def test_a_zns_refusal_falls_back_to_sms(db, pool, now, gateway):
    set_notify(db, zns={"templates": {"called": "231456"}})
    sms = FakeGateway()
    try:
        gateway.answer = {"error": -124, "message": "Access token is invalid"}
        env = {"channel": "zns", "zns_url": gateway.url, "sms_url": sms.url}
        queue(db, now)
        settle(pool, env, lambda: now)
        [notice] = notices(db)
        assert (notice["status"], notice["channel"]) == ("sent", "sms")
        assert len(gateway.requests) == 1 and sms.requests[0]["body"]["id"] == notice["uid"]
    finally:
        sms.close()


def test_zns_without_a_template_for_the_kind_and_no_sms_fails(db, pool, now, gateway):
    queue(db, now)
    settle(pool, {"channel": "zns", "zns_url": gateway.url}, lambda: now)
    [notice] = notices(db)
    assert notice["status"] == "failed" and notice["last_error"] == "no ZNS template for called"
    assert gateway.requests == []


def test_a_configured_gateway_form_body_and_success_code(db, pool, now, gateway):
    # The shape of a brand-name SMS provider: form fields, an API key in the body, a result code.
    set_notify(db, sms={"url": gateway.url + "/api/send", "body_format": "form",
                        "body": {"ApiKey": "{token}", "Phone": "{phone}", "Content": "{text}", "Brandname": "UBND",
                                 "RequestId": "{id}"},
                        "phone_format": "0", "success_path": "CodeResult", "success_value": "100"})
    env = {"channel": "sms", "sms_token": "key-1"}
    gateway.answer = {"CodeResult": "100", "SMSID": "abc"}
    queue(db, now)
    settle(pool, env, lambda: now)
    [request] = gateway.requests
    assert request["body"] == {"ApiKey": "key-1", "Phone": "0912345678", "Content": "Mời số A015 đến quầy số 5.",
                               "Brandname": "UBND", "RequestId": notices(db)[0]["uid"]}
    assert notices(db)[0]["status"] == "sent"
    gateway.answer = {"CodeResult": "99", "ErrorMessage": "Phone not valid"}
    queue(db, now, dedupe="ticket:2:called:1")
    settle(pool, env, lambda: now)
    assert notices(db)[0]["status"] == "failed" and notices(db)[0]["last_error"] == "gateway answered CodeResult = '99'"


def test_a_notice_exists_only_if_its_transaction_commits(db, now):
    with pytest.raises(RuntimeError):
        with write(db):
            queue_notice(db, kind="called", phone=PHONE, values={"number": "A1", "counter": 1}, dedupe="x", now=now)
            raise RuntimeError("the call rolled back")
    assert notices(db) == []


def test_the_same_cause_never_makes_two_notices(db, now):
    assert queue(db, now) is True
    assert queue(db, now) is False
    assert len(notices(db)) == 1


@pytest.mark.parametrize("phone", ["", "0912345678", "+842343823456", "+84" + "9" * 40, "+84１２３"])
def test_no_notice_to_what_is_not_a_mobile_number_in_e164(db, now, phone):
    with write(db):
        assert queue_notice(db, kind="called", phone=phone, values={}, dedupe=f"p:{phone}", now=now) is False
    assert notices(db) == []


def test_a_one_time_code_goes_by_sms_even_when_the_center_uses_zns(db, pool, now, gateway):
    with write(db):
        assert send_one_time_code(db, PHONE, "483920", now=now)
    settle(pool, {"channel": "zns", "sms_url": gateway.url}, lambda: now)
    [request] = gateway.requests
    assert request["body"]["text"] == "Mã xác nhận lấy số: 483920. Không chia sẻ mã này."


def test_quiet_hours(now):
    at = now.replace(hour=22, minute=30)
    assert quiet_wait_s(at, "21:00-07:00") == 8.5 * 3600
    assert quiet_wait_s(now.replace(hour=6, minute=0), "21:00-07:00") == 3600
    assert quiet_wait_s(now, "21:00-07:00") == 0
    assert quiet_wait_s(now.replace(hour=12, minute=15), "12:00-13:30") == 75 * 60
    assert quiet_wait_s(at, "") == 0


def test_the_sender_loops_send_what_is_written_and_stop(db, pool, now, gateway):
    set_notify(db, concurrency=3)
    sender = Sender(pool, env={"channel": "sms", "sms_url": gateway.url}, clock=lambda: now,
                    start_task=lambda function: threading.Thread(target=function, daemon=True).start())
    sender.start()
    try:
        for index in range(10):
            queue(db, now, dedupe=f"ticket:{index}:called:1")
        sender.wake()
        gateway.wait_for_requests(10)
        deadline = time.monotonic() + 10
        while any(notice["status"] != "sent" for notice in notices(db)):
            assert time.monotonic() < deadline, notices(db)
            time.sleep(0.02)
    finally:
        sender.stop()
    assert len(gateway.delivered) == 10 and len(gateway.requests) == 10


def test_the_phone_format_of_each_gateway():
    assert gateways.phone_as(PHONE, "84") == "84912345678"
    assert gateways.phone_as(PHONE, "+84") == PHONE
    assert gateways.phone_as(PHONE, "0") == "0912345678"


def test_fill_leaves_other_braces_alone():
    body = gateways.fill({"a": '{"x": 1} {text}', "b": ["{id}", 3]}, {"text": "t", "id": "i"})
    assert body == {"a": '{"x": 1} t', "b": ["i", 3]}
    assert json.dumps(body)


@pytest.mark.parametrize("kind", sorted(DEFAULT_TEXTS))
def test_every_default_text_fits_the_default_parts_in_both_languages(kind):
    for language, text in zip(("vi", "en"), DEFAULT_TEXTS[kind]):
        assert check_text(kind, text, max_parts=2, language=language)["parts"] <= 2


def test_sms_parts_gsm7_and_ucs2():
    assert sms_parts("x" * 160) == (1, "gsm7") and sms_parts("x" * 161) == (2, "gsm7")
    assert sms_parts("{" * 80) == (1, "gsm7") and sms_parts("{" * 81) == (2, "gsm7")  # escaped: two each
    assert sms_parts("ố" * 70) == (1, "ucs2") and sms_parts("ố" * 71) == (2, "ucs2") and sms_parts("ố" * 135) == (3, "ucs2")
    assert sms_parts("") == (1, "gsm7")
