"""Issue 14, "Data that must not be at risk": what grew for ever is bounded — idempotency
keys (a full answer per console press) are forgotten after 24 hours, event alerts after 90
days (a printer problem still open stays), the login throttle's and the kiosk rate limit's maps expire and are capped."""

from datetime import timedelta

import pytest

from layso.events import KIOSK_ALERT, Event
from layso.store import durable
from layso.web.throttle import LoginThrottle
from layso.web.app import minute_steps
from tests.test_background import run_minute

DAYS = 365
PRESSES = ("open", "call-next", "close")  # an officer's day at the console, each with its Idempotency-Key


def table_size(app, table: str) -> int:
    with app.extensions["layso.pool"].connection() as database:
        return database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def printer_alert(kiosk: str, *, resolved: bool) -> Event:
    return Event(KIOSK_ALERT, {"kiosk": kiosk, "error": "paper_out", "message": "Hết giấy", "resolved": resolved}, ())


def test_data_item_bounded_a_simulated_year_of_presses_keeps_tables_and_maps_bounded(app, client, db, clock, monkeypatch):
    monkeypatch.setattr(durable, "_fsync", lambda path: None)  # sizes are under test here, not the disk: a year in seconds
    db.execute("UPDATE users SET must_change_password = 0")
    board = app.extensions["layso.alerts"]
    board.hear(printer_alert("k2", resolved=False))  # a printer left broken all year: its alert must stay
    throttle_now = [0.0]
    throttle = LoginThrottle(clock=lambda: throttle_now[0], sleep=lambda seconds: None)
    start = clock.now
    sizes = []
    for day in range(DAYS):
        clock.now = start + timedelta(days=day)
        token = client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"}).get_json()["token"]
        for press in PRESSES:
            answer = client.post(f"/api/v1/counters/1/{press}",
                                 headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"{day}-{press}"})
            assert answer.status_code == 200, answer.get_json()
        board.hear(printer_alert("k1", resolved=False))  # the roll ran out …
        board.hear(printer_alert("k1", resolved=True))  # … and was replaced
        for attempt in range(50):  # someone tries names from many addresses
            throttle_now[0] = day * 86_400 + attempt
            throttle.failed(f"guess-{day}-{attempt}", f"10.0.{day % 250}.{attempt}")
        evening = clock.now + timedelta(hours=8)
        for step in minute_steps(app):  # the evening's minute steps (a year of nightly backups would be slow)
            if step.__name__ != "write_nightly_backup":
                with app.extensions["layso.pool"].connection() as database:
                    step(database, evening)
        sizes.append((table_size(app, "idempotency_keys"), table_size(app, "alerts"), len(throttle._failures)))

    keys, alerts, throttled = (max(column) for column in zip(*sizes))
    assert keys <= 2 * len(PRESSES)  # a day's presses, not a year's
    assert alerts <= 2 * 91 + 1  # 90 days of two alerts a day, and the one still open
    assert throttled <= 3 * 50  # one window of failures, never the year's
    assert sizes[-1][:2] == sizes[-30][:2]  # flat, not creeping up
    with app.extensions["layso.pool"].connection() as database:
        still_open = database.execute("SELECT kiosk FROM alerts WHERE resolved = 0").fetchall()
        oldest = database.execute("SELECT MIN(at) FROM alerts WHERE kiosk = 'k1'").fetchone()[0]
    assert still_open == [("k2",)]
    assert oldest >= (clock.now - timedelta(days=91)).isoformat()


def test_data_item_bounded_a_key_is_replayed_for_24_hours_then_forgotten(app, client, db, clock):
    db.execute("UPDATE users SET must_change_password = 0")
    for _ in range(2):
        assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 201
    token = client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"}).get_json()["token"]
    client.post("/api/v1/counters/1/open", headers={"Authorization": f"Bearer {token}"})
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "press-1"}
    first = client.post("/api/v1/counters/1/call-next", headers=headers).get_json()
    assert first["ticket"]["number"] == "A001"
    clock.now += timedelta(hours=23, minutes=59)
    run_minute(app, clock.now)
    token = client.post("/api/v1/auth/login", json={"username": "an", "password": "an-password-1"}).get_json()["token"]
    headers["Authorization"] = f"Bearer {token}"  # the first token has expired
    assert client.post("/api/v1/counters/1/call-next", headers=headers).get_json() == first  # replayed, not A002
    run_minute(app, clock.now + timedelta(minutes=2))
    assert table_size(app, "idempotency_keys") == 0


def test_the_kiosk_rate_limit_map_stays_bounded_under_a_flood_of_addresses():
    """Issue 14, tables and maps that grow forever: the per-address ticket limit keeps at
    most MAX_KEYS addresses, forgets an address a minute after its last ticket, and still
    refuses the ticket over the limit."""
    from kiosk.abuse import TicketRateLimit
    from layso.errors import TooManyRequests
    from layso.web.throttle import MAX_KEYS

    now = [0.0]
    limit = TicketRateLimit(2, clock=lambda: now[0])
    for n in range(MAX_KEYS + 5_000):
        limit.take(f"addr:10.{n // 65536}.{n // 256 % 256}.{n % 256}")
    assert len(limit) == MAX_KEYS

    limit.take("addr:kiosk")
    limit.take("addr:kiosk")
    with pytest.raises(TooManyRequests):
        limit.take("addr:kiosk")

    now[0] += 61
    limit.take("addr:kiosk")  # a minute later the address may take a number again
    assert len(limit) == 1
