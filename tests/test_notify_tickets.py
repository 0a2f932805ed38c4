"""Notices a ticket's changes make (layso.notify.triggers): exactly one per cause, written
in the transaction of the change, only to tickets with a phone that did not opt out."""

import pytest

from layso.clock import iso
from layso.notify.sender import try_one
from layso.queue.calling import call_next, call_ticket, hold, no_show, recall
from layso.store.db import Pool, write
from layso.store.notices import list_notices, opt_out
from tests.helpers import issue, later, open_counters
from tests.test_notify_outbox import set_notify, settle

PHONES = [f"+8491234567{digit}" for digit in range(10)]


@pytest.fixture
def pool(db, settings):
    lent = Pool(settings.db_path)
    yield lent
    lent.close()


def remote(db, now, phone, service="HT"):
    return issue(db, service, now, channel="remote", phone=phone)


def sent_texts(db, **filters):
    return [(notice["kind"], notice["phone"], notice["text"]) for notice in reversed(list_notices(db, **filters))]


def test_a_remote_ticket_is_told_it_was_issued_with_its_status_link(db, now, pool, gateway_env):
    gateway, env = gateway_env
    ticket = remote(db, now, PHONES[0])
    [(kind, phone, text)] = sent_texts(db)
    assert (kind, phone) == ("remote_issued", PHONES[0])
    assert text == f"Số A001 (Hộ tịch). Theo dõi lượt: {{base}}/t/{ticket['status_token']}"
    settle(pool, env, lambda: now, public_url="https://hcc.example.gov.vn")
    [request] = gateway.requests
    assert request["body"]["text"] == f"Số A001 (Hộ tịch). Theo dõi lượt: https://hcc.example.gov.vn/t/{ticket['status_token']}"


def test_kiosk_tickets_make_no_notice(db, now):
    open_counters(db, now, c1="an")
    issue(db, "HT", now)
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    assert list_notices(db) == []


def test_called_recalled_held_and_no_show_each_tell_the_phone_once(db, now):
    open_counters(db, now, c1="an")
    ticket = remote(db, now, PHONES[0])
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    recall(db, 1, officer="an", now=later(now, minutes=2))
    hold(db, 1, officer="an", now=later(now, minutes=3))
    call_ticket(db, 1, ticket["id"], officer="an", now=later(now, minutes=4))  # back from hold: called again
    no_show(db, 1, officer="an", now=later(now, minutes=5))
    assert [(kind, text) for kind, _, text in sent_texts(db)] == [
        ("remote_issued", f"Số A001 (Hộ tịch). Theo dõi lượt: {{base}}/t/{ticket['status_token']}"),
        ("called", "Mời số A001 đến quầy số 1."),
        ("recalled", "Mời lại số A001 đến quầy số 1."),
        ("held", "Số A001 được giữ lại. Khi sẵn sàng, xin đến quầy số 1."),
        ("called", "Mời số A001 đến quầy số 1."),
        ("no_show", "Số A001 đã qua lượt do vắng mặt. Xin đến bàn hướng dẫn."),
    ]


def test_near_goes_once_to_each_ticket_as_it_comes_within_n(db, now):
    set_notify(db, near_ahead=2)
    open_counters(db, now, c1="an")
    issue(db, "HT", now)  # a kiosk ticket in front
    tickets = [remote(db, later(now, seconds=index + 1), PHONES[index]) for index in range(5)]
    near = lambda: [(notice["ticket"], notice["text"]) for notice in reversed(list_notices(db)) if notice["kind"] == "near"]
    call_next(db, 1, officer="an", now=later(now, minutes=1))  # the kiosk ticket A001: A002-A004 are 0, 1, 2 from the front
    assert near() == [(tickets[0]["id"], "Số A002: còn 0 người trước bạn. Xin có mặt ở trung tâm."),
                      (tickets[1]["id"], "Số A003: còn 1 người trước bạn. Xin có mặt ở trung tâm."),
                      (tickets[2]["id"], "Số A004: còn 2 người trước bạn. Xin có mặt ở trung tâm.")]
    call_next(db, 1, officer="an", now=later(now, minutes=2))  # A002: now A005 is 2 places from the front
    assert near()[3:] == [(tickets[3]["id"], "Số A005: còn 2 người trước bạn. Xin có mặt ở trung tâm.")]
    assert len(near()) == 4  # none twice


def test_near_counts_per_service_settings(db, now):
    set_notify(db, near_ahead=1, near_ahead_by_service={"HT": 3})
    open_counters(db, now, c1="an")
    issue(db, "HT", now)
    for index in range(4):
        remote(db, later(now, seconds=index + 1), PHONES[index])
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    assert sum(notice["kind"] == "near" for notice in list_notices(db)) == 4


def test_a_call_in_another_service_tells_nobody_in_this_one(db, now):
    set_notify(db, near_ahead=1)
    open_counters(db, now, c3="cuong")
    issue(db, "HT", now)
    issue(db, "HT", later(now, seconds=1))
    remote(db, later(now, seconds=2), PHONES[0])  # A003, two ahead
    issue(db, "GCN", later(now, seconds=3))
    call_next(db, 3, officer="cuong", now=later(now, minutes=1))  # counter 3 serves GCN only
    assert not any(notice["kind"] == "near" for notice in list_notices(db))


def test_no_notice_when_the_call_rolls_back(db, now):
    open_counters(db, now, c1="an")
    remote(db, now, PHONES[0])
    before = len(list_notices(db))
    with pytest.raises(RuntimeError):
        with write(db):
            call_next(db, 1, officer="an", now=later(now, minutes=1))
            raise RuntimeError("the server failed before the commit")
    assert len(list_notices(db)) == before


def test_an_opted_out_ticket_gets_nothing_more_and_its_pending_notices_are_cancelled(db, now):
    open_counters(db, now, c1="an")
    ticket = remote(db, now, PHONES[0])
    with write(db):
        assert opt_out(db, ticket["id"], at=iso(now)) == 1  # the issued notice, not yet sent
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    assert [notice["status"] for notice in list_notices(db)] == ["cancelled"]


@pytest.fixture
def gateway_env():
    from tests.fake_gateway import FakeGateway

    gateway = FakeGateway()
    yield gateway, {"channel": "sms", "sms_url": gateway.url}
    gateway.close()


def test_every_trigger_sends_exactly_one_request_with_the_right_phone_and_text(db, now, pool, gateway_env):
    gateway, env = gateway_env
    set_notify(db, near_ahead=1)
    open_counters(db, now, c1="an")
    first = remote(db, now, PHONES[1])
    second = remote(db, later(now, seconds=1), PHONES[2])
    call_next(db, 1, officer="an", now=later(now, minutes=1))
    call_next(db, 1, officer="an", now=later(now, minutes=2))
    settle(pool, env, lambda: now, tries=50)
    received = sorted((request["body"]["phone"], request["body"]["text"]) for request in gateway.requests)
    assert received == sorted([
        ("84912345671", f"Số A001 (Hộ tịch). Theo dõi lượt: /t/{first['status_token']}"),
        ("84912345672", f"Số A002 (Hộ tịch). Theo dõi lượt: /t/{second['status_token']}"),
        ("84912345671", "Mời số A001 đến quầy số 1."),
        ("84912345672", "Số A002: còn 0 người trước bạn. Xin có mặt ở trung tâm."),
        ("84912345672", "Mời số A002 đến quầy số 1."),
    ])
    assert len(gateway.delivered) == len(gateway.requests) == 5
    assert not try_one(pool, env=env, clock=lambda: now)  # nothing left


def test_near_counts_due_appointments_as_ahead(db, now):
    """Checked-in appointments whose slot has come are called first: the walk-in behind them
    is told of the places the ordering really gives (layso.queue.ordering), not of its
    place by arrival."""
    set_notify(db, near_ahead=2)
    open_counters(db, now, c1="an")
    issue(db, "HT", now)  # A001
    issue(db, "HT", later(now, seconds=1))  # A002
    walk_in = remote(db, later(now, seconds=2), PHONES[0])  # A003
    slot = iso(later(now, minutes=10))
    for second in (3, 4):  # A004, A005: checked in early for 09:10
        issue(db, "HT", later(now, seconds=second), channel="appointment", appointment_at=slot)
    near = lambda: [(notice["ticket"], notice["text"]) for notice in reversed(list_notices(db)) if notice["kind"] == "near"]
    assert call_next(db, 1, officer="an", now=later(now, minutes=10)).value["number"] == "A004"
    assert near() == []  # A005, A001, A002 before it: three ahead, not two
    assert call_next(db, 1, officer="an", now=later(now, minutes=11)).value["number"] == "A005"
    assert near() == [(walk_in["id"], "Số A003: còn 2 người trước bạn. Xin có mặt ở trung tâm.")]
