"""The hub's ingest and cursor (docs/hub.md, "Replication"), against a real PostgreSQL started
by the tests: idempotent by (center, seq), out-of-order batches refused with the expected
next sequence, a batch applied whole or not at all."""

import pytest

TOKEN = {"Authorization": "Bearer demo-hub-token-1"}


@pytest.fixture
def hub(hub_app):
    return hub_app


def ticket(seq, ticket_id, *, day="2026-11-23", status="waiting", service="HT"):
    return {"seq": seq, "kind": "tickets", "key": str(ticket_id), "at": f"{day}T09:00:00+07:00",
            "data": {"id": ticket_id, "day": day, "service": service, "number_service": service,
                     "number": f"A{ticket_id:03d}", "priority": 0, "status": status, "status_token": "secret-link",
                     "issued_at": f"{day}T09:00:00+07:00", "queued_at": f"{day}T09:00:00+07:00", "transferred": 0,
                     "calls": 0, "wait_s": 0.0, "service_s": 0.0}}


def visit(seq, visit_id, ticket_id, *, wait_s=61.5, outcome="finished", day="2026-11-23"):
    return {"seq": seq, "kind": "visits", "key": str(visit_id), "at": f"{day}T09:05:00+07:00",
            "data": {"id": visit_id, "ticket": ticket_id, "day": day, "service": "HT", "counter": 1, "officer": "an",
                     "queued_at": f"{day}T09:00:00+07:00", "called_at": f"{day}T09:01:01+07:00", "wait_s": wait_s,
                     "ended_at": f"{day}T09:05:00+07:00", "outcome": outcome, "service_s": 238.9}}


def push(hub_client, events, headers=TOKEN):
    return hub_client.post("/api/v1/hub/ingest", json={"events": events}, headers=headers)


def rows(hub, sql, *params):
    with hub.extensions["province.pool"].connection() as connection:
        return connection.execute(sql, params or None).fetchall()


def test_cursor_of_a_new_center_is_zero(hub_client):
    answer = hub_client.get("/api/v1/hub/cursor", headers=TOKEN)
    assert answer.status_code == 200
    assert answer.json == {"center": "demo-1", "acked": 0}


def test_ingest_stores_rows_and_answers_the_last_sequence(hub_client, hub):
    answer = push(hub_client, [ticket(1, 1), ticket(2, 1, status="called"), visit(3, 1, 1)])
    assert answer.status_code == 200, answer.json
    assert answer.json == {"center": "demo-1", "acked": 3}
    assert rows(hub, "SELECT id, status FROM tickets") == [(1, "called")]
    assert rows(hub, "SELECT wait_s, outcome FROM visits") == [(61.5, "finished")]
    assert hub_client.get("/api/v1/hub/cursor", headers=TOKEN).json["acked"] == 3


def test_the_same_batch_twice_is_stored_once(hub_client, hub):
    batch = [ticket(1, 1), visit(2, 1, 1), ticket(3, 2)]
    assert push(hub_client, batch).json["acked"] == 3
    assert push(hub_client, batch).json == {"center": "demo-1", "acked": 3}
    assert rows(hub, "SELECT count(*) FROM tickets") == [(2,)]
    assert rows(hub, "SELECT count(*) FROM visits") == [(1,)]


def test_overlapping_batches_apply_only_what_is_new(hub_client, hub):
    assert push(hub_client, [ticket(1, 1), ticket(2, 2)]).json["acked"] == 2
    # seq 2 again (an older state would be wrong to re-apply), then 3 and 4
    answer = push(hub_client, [ticket(2, 2, status="cancelled"), ticket(3, 3), ticket(4, 2, status="finished")])
    assert answer.json["acked"] == 4
    assert rows(hub, "SELECT id, status FROM tickets ORDER BY id") == [(1, "waiting"), (2, "finished"), (3, "waiting")]


def test_a_batch_past_the_cursor_is_refused_with_the_expected_sequence(hub_client, hub):
    push(hub_client, [ticket(1, 1)])
    answer = push(hub_client, [ticket(5, 5), ticket(6, 6)])
    assert answer.status_code == 409
    assert answer.json["error"] == "sequence_gap"
    assert answer.json["expected"] == 2
    assert answer.json["message"]
    assert rows(hub, "SELECT count(*) FROM tickets") == [(1,)]


def test_a_gap_inside_a_batch_applies_up_to_the_gap(hub_client, hub):
    answer = push(hub_client, [ticket(1, 1), ticket(2, 2), ticket(4, 4)])
    assert answer.json["acked"] == 2
    assert rows(hub, "SELECT id FROM tickets ORDER BY id") == [(1,), (2,)]
    assert push(hub_client, [ticket(3, 3), ticket(4, 4)]).json["acked"] == 4


def test_out_of_order_events_in_one_batch_are_applied_in_sequence_order(hub_client, hub):
    answer = push(hub_client, [ticket(2, 1, status="finished"), ticket(1, 1)])
    assert answer.json["acked"] == 2
    assert rows(hub, "SELECT status FROM tickets") == [("finished",)]


def test_no_status_link_or_comment_reaches_the_hub(hub_client, hub):
    rating = {"seq": 2, "kind": "ratings", "key": "1",
              "data": {"id": 1, "ticket": 1, "day": "2026-11-23", "at": "2026-11-23T09:06:00+07:00", "level": "hai_long",
                       "reasons": "[]", "comment": "Số điện thoại tôi 0912345678", "officer": "an", "counter": 1,
                       "service": "HT", "device": "tablet-1"}}
    assert push(hub_client, [ticket(1, 1), rating]).status_code == 200
    with hub.extensions["province.pool"].connection() as connection:
        dump = str(connection.execute("SELECT * FROM tickets").fetchall()) + str(connection.execute("SELECT * FROM ratings").fetchall())
    assert "secret-link" not in dump and "0912345678" not in dump


def test_deleted_rows_and_catalog_changes(hub_client, hub):
    service = {"seq": 1, "kind": "services", "key": "HT", "data": {"code": "HT", "name": "Hộ tịch", "prefix": "A"}}
    officer = {"seq": 2, "kind": "users", "key": "an",
               "data": {"username": "an", "name": "Nguyễn Văn An", "role": "officer", "password_hash": "pbkdf2:x"}}
    assert push(hub_client, [service, officer, ticket(3, 1), {"seq": 4, "kind": "tickets", "key": "1", "data": {"deleted": True}}]).json["acked"] == 4
    assert rows(hub, "SELECT count(*) FROM tickets") == [(0,)]
    assert rows(hub, "SELECT kind, key, data->>'name' FROM catalog ORDER BY kind") == [
        ("services", "HT", "Hộ tịch"), ("users", "an", "Nguyễn Văn An")]
    assert "password_hash" not in str(rows(hub, "SELECT data FROM catalog"))
    push(hub_client, [{"seq": 5, "kind": "services", "key": "HT", "data": {"deleted": True}}])
    assert rows(hub, "SELECT key FROM catalog WHERE kind = 'services'") == []


def test_centers_are_kept_apart(hub_client, hub):
    push(hub_client, [ticket(1, 1)])
    other = {"Authorization": "Bearer demo-hub-token-2"}
    assert push(hub_client, [ticket(1, 1, status="finished")], headers=other).json == {"center": "demo-2", "acked": 1}
    assert rows(hub, "SELECT c.code, t.status FROM tickets t JOIN centers c ON c.id = t.center ORDER BY 1") == [
        ("demo-1", "waiting"), ("demo-2", "finished")]


def test_days_in_other_months_get_their_partitions(hub_client, hub):
    days = ["2026-01-31", "2026-02-01", "2030-12-31", "1999-01-01", "9999-12-31"]
    answer = push(hub_client, [ticket(seq, seq, day=day) for seq, day in enumerate(days, start=1)])
    assert answer.status_code == 200, answer.json
    assert rows(hub, "SELECT count(*) FROM tickets") == [(5,)]
    assert ("tickets_2026_02",) in rows(hub, "SELECT relname::text FROM pg_class WHERE relname LIKE 'tickets_%'")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}])
def test_ingest_and_cursor_need_a_center_token(hub_client, headers):
    for answer in (push(hub_client, [ticket(1, 1)], headers=headers), hub_client.get("/api/v1/hub/cursor", headers=headers)):
        assert answer.status_code == 401
        assert set(answer.json) == {"error", "message"}


@pytest.mark.parametrize("body", [
    {}, {"events": "x"}, {"events": [1]}, {"events": [{"seq": 0, "kind": "tickets", "key": "1", "data": {}}]},
    {"events": [{"seq": True, "kind": "tickets", "key": "1", "data": {}}]},
    {"events": [{"seq": 2**63, "kind": "tickets", "key": "1", "data": {}}]},
    {"events": [{"seq": 1, "kind": "tickets", "key": None, "data": {}}]},
    {"events": [{"seq": 1, "kind": "tickets", "key": "1", "data": []}]},
    {"events": [{"seq": 1, "kind": "tickets", "key": "1", "data": {"day": "23/11/2026"}}]},
    {"events": [{"seq": 1, "kind": "tickets", "key": "1", "data": {"day": "２０２６-11-23"}}]},
    {"events": [{"seq": 1, "kind": "visits", "key": "1", "data": {"day": "2026-11-23", "wait_s": "lâu"}}]},
    {"events": [{"seq": 1, "kind": "tickets", "key": "1", "data": {"day": "2026-11-23", "id": 2**62, "status": None}}]},
    {"events": [ticket(seq, seq) for seq in range(1, 5002)]},
])
def test_bad_batches_are_a_400_and_change_nothing(hub_client, hub, body):
    answer = hub_client.post("/api/v1/hub/ingest", json=body, headers=TOKEN)
    assert answer.status_code == 400, answer.json
    assert set(answer.json) == {"error", "message"}
    assert rows(hub, "SELECT acked FROM centers WHERE code = 'demo-1'") == [(0,)]
    assert rows(hub, "SELECT count(*) FROM tickets") == [(0,)]


def test_an_empty_batch_is_a_heartbeat(hub_client, hub):
    answer = push(hub_client, [])
    assert answer.json == {"center": "demo-1", "acked": 0}
    assert rows(hub, "SELECT last_contact IS NOT NULL FROM centers WHERE code = 'demo-1'") == [(True,)]


def test_hub_login_has_the_centers_answer_shape(hub_client):
    answer = hub_client.post("/api/v1/auth/login", json={"username": "tinh", "password": "demo"})
    assert answer.status_code == 200
    assert answer.json["role"] == "province_manager" and answer.json["token"]
    wrong = hub_client.post("/api/v1/auth/login", json={"username": "tinh", "password": "sai"})
    assert wrong.status_code == 401 and set(wrong.json) == {"error", "message"}


def test_a_province_registers_a_center_and_an_account_from_the_command_line(hub_database_url, hub_app, hub_client):
    from tests.province_hub import COMMAND_PASSWORD, run_command

    made = run_command(hub_database_url, "--register-center", "xa-phu-vinh", "Trung tâm xã Phú Vinh")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().rsplit("LAYSO_HUB_TOKEN=", 1)[1]
    assert push(hub_client, [ticket(1, 1)], headers={"Authorization": f"Bearer {token}"}).json == {
        "center": "xa-phu-vinh", "acked": 1}
    account = run_command(hub_database_url, "--add-account", "lanhdao-tinh", "province_manager")
    assert account.returncode == 0, account.stderr
    answer = hub_client.post("/api/v1/auth/login", json={"username": "lanhdao-tinh", "password": COMMAND_PASSWORD})
    assert answer.json["role"] == "province_manager"
    weak = run_command(hub_database_url, "--add-account", "x", "province_manager", password="123")
    assert weak.returncode == 2 and "at least" in weak.stderr
