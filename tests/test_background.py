"""What the server does each minute: close past days, mark connected devices seen."""

from layso.store.seed import token_hash
from layso.web.app import minute_steps
from layso.web.realtime import connected_devices, socketio
from tests.helpers import later


def run_minute(app, moment):
    for step in minute_steps(app):
        with app.extensions["layso.pool"].connection() as database:
            step(database, moment)


def register_display(db, device_id="hall-tv"):
    db.table("devices").insert({"id": device_id, "kind": "display", "name": "TV sảnh", "token_hash": token_hash("tv-token")})


def last_seen(db, device_id="hall-tv"):
    return db.table("devices").get(device_id)["last_seen"]


def test_a_connected_display_is_marked_seen_every_minute_and_not_after_it_leaves(app, db, clock, now):
    register_display(db)
    client = socketio.test_client(app, auth={"role": "display", "token": "tv-token"})
    assert client.is_connected() and "hall-tv" in connected_devices()
    assert last_seen(db) == now.isoformat()
    run_minute(app, later(now, minutes=30))
    assert last_seen(db) == later(now, minutes=30).isoformat()
    client.disconnect()
    assert "hall-tv" not in connected_devices()
    run_minute(app, later(now, minutes=60))
    assert last_seen(db) == later(now, minutes=30).isoformat()  # the silent-display alert can now see it


def test_the_minute_closes_past_days_tickets(app, client, db, clock, now):
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}).get_json()
    run_minute(app, later(now, minutes=24 * 60))
    assert db.table("tickets").get(ticket["id"])["status"] == "expired"
