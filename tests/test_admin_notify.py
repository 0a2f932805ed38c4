"""The admin's notices settings: what the environment sets is shown (never a token), each
text is checked for its placeholders and its length in SMS parts, and a saved text is the
one the next notice uses."""

import pytest

from layso.notify.sender import try_one
from layso.store.notices import list_notices
from tests.fake_gateway import FakeGateway

PHONE = "0912 345 678"


def save(client, admin, **changes):
    value = {**client.get("/api/v1/admin/notify", headers=admin).get_json()["settings"], **changes}
    return client.post("/api/v1/admin/settings/notify", json={"value": value}, headers=admin)


def test_the_view_shows_every_kind_with_its_parts_and_no_secret(make_client, login):
    client = make_client(notify_env={"channel": "sms", "sms_url": "https://sms.example.vn/send", "sms_token": "s3cret"})
    admin = client.post("/api/v1/auth/login", json={"username": "quantri", "password": "quantri-password-1"}).get_json()
    headers = {"Authorization": f"Bearer {admin['token']}"}
    client.post("/api/v1/auth/password", headers=headers, json={"old_password": "quantri-password-1",
                                                                 "new_password": "Sông Hương mùa thu 2026"})
    view = client.get("/api/v1/admin/notify", headers=headers).get_json()
    assert view["channel"] == "sms" and view["settings"]["channel"] == "log"
    assert view["environment"]["sms_token"] is True and "s3cret" not in str(view)
    called = next(kind for kind in view["kinds"] if kind["kind"] == "called")
    assert called["texts"]["vi"] == "Mời số {number} đến quầy số {counter}." and called["parts"] == {"vi": 1, "en": 1}
    assert "{counter}" not in called["placeholders"] and "counter" in called["placeholders"]


def test_a_saved_text_is_used_by_the_next_notice(client, admin, app, login):
    answer = save(client, admin, texts={"called": {"vi": "Mời công dân số {number} tới quầy {counter}"}})
    assert answer.status_code == 200, answer.get_json()
    client.post("/api/v1/tickets", json={"service": "HT", "channel": "remote", "phone": PHONE, "consent": True})
    officer = login("an")
    client.post("/api/v1/counters/1/open", headers=officer)
    client.post("/api/v1/counters/1/call-next", headers=officer)
    with app.extensions["layso.pool"].connection() as database:
        assert list_notices(database)[0]["text"] == "Mời công dân số A001 tới quầy 1"


@pytest.mark.parametrize("texts, words", [
    ({"called": {"vi": "Mời số {number} đến {quay}"}}, "{quay}"),
    ({"called": {"vi": "Mời số {number} " + "đến quầy số {counter} " * 8}}, "phần SMS"),
    ({"fax": {"vi": "x"}}, "fax"),
    ({"called": {"fr": "x"}}, "texts.called"),
    ({"called": "x"}, "texts.called"),
])
def test_a_wrong_text_is_refused_saying_why(client, admin, texts, words):
    answer = save(client, admin, texts=texts)
    assert answer.status_code == 400 and words in answer.get_json()["message"], answer.get_json()


@pytest.mark.parametrize("changes, key", [({"channel": "fax"}, "channel"), ({"near_ahead": 0}, "near_ahead"),
                                          ({"quiet_hours": "late"}, "quiet_hours"), ({"colour": 1}, "colour"),
                                          ({"max_parts": 10**6}, "max_parts")])
def test_a_wrong_setting_is_refused_naming_it(client, admin, changes, key):
    answer = save(client, admin, **changes)
    assert answer.status_code == 400 and key in answer.get_json()["message"]


def test_only_admins(client, manager, login):
    assert client.get("/api/v1/admin/notify", headers=manager).status_code == 403


@pytest.mark.parametrize("changes, n_for_ht", [
    ({"near_ahead": 1, "near_ahead_by_service": {"HT": 3}}, 3),  # the service's own N
    ({"near_ahead": 2, "near_ahead_by_service": {"LLTP": 5}}, 2),  # another service's N: HT follows the center
])
def test_an_edited_n_people_ahead_decides_the_call_that_writes_the_near_notice(client, admin, app, login, changes,
                                                                              n_for_ht):
    assert save(client, admin, **changes).status_code == 200
    tickets = [client.post("/api/v1/tickets", json={"service": "HT", "channel": "remote", "consent": True,
                                                    "phone": f"0912 345 6{index:02d}"}).get_json()
               for index in range(8)]
    officer = login("an")
    client.post("/api/v1/counters/1/open", headers=officer)
    written_at = {}  # ticket id → the call after which its "near" notice was in the outbox
    for call in range(1, len(tickets) + 1):
        assert client.post("/api/v1/counters/1/call-next", headers=officer).status_code == 200
        with app.extensions["layso.pool"].connection() as database:
            for notice in list_notices(database):
                if notice["kind"] == "near":
                    written_at.setdefault(notice["ticket"], call)
    # ticket i (from 0) has i - k people ahead after call k: told on the first call that leaves it N or fewer
    assert [written_at.get(ticket["id"]) for ticket in tickets] == [None] + [max(1, index - n_for_ht)
                                                                             for index in range(1, len(tickets))]


def test_the_gateway_timings_edited_in_the_admin_are_the_senders(client, admin, app, clock):
    gateway = FakeGateway()
    try:
        env = {"channel": "sms", "sms_url": gateway.url + "/sms"}
        answer = save(client, admin, timeout_s=0.5, max_backoff_s=2, give_up_s=60)
        assert answer.status_code == 200, answer.get_json()
        client.post("/api/v1/tickets", json={"service": "HT", "channel": "remote", "phone": PHONE, "consent": True})
        pool = app.extensions["layso.pool"]
        notice = lambda: list_notices_all(pool)[0]
        written = notice()
        assert written["give_up_ts"] - written["created_ts"] == 60  # the edited give-up time, not 1,800 s

        gateway.delay_s = 2  # slower than the edited timeout
        moment = written["next_try_ts"]
        assert try_one(pool, env=env, clock=clock, now_ts=lambda: moment)
        assert notice()["last_error"] == "no answer within 0.5 s"
        gateway.delay_s, gateway.status = 0, 503
        while notice()["status"] == "pending":  # each retry at most the edited 2 s later, up to the give-up time
            assert 0 < notice()["next_try_ts"] - moment <= 2 or notice()["next_try_ts"] == written["give_up_ts"]
            moment = notice()["next_try_ts"]
            assert moment <= written["give_up_ts"]
            try_one(pool, env=env, clock=clock, now_ts=lambda: moment)
        assert (notice()["status"], moment) == ("failed", written["give_up_ts"])
        assert notice()["attempts"] >= 60 / 2
    finally:
        gateway.close()


def list_notices_all(pool):
    with pool.connection() as database:
        return list(database.query("SELECT * FROM notices ORDER BY id"))
