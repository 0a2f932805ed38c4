"""Issue 14, Security item 5 ("Unbounded text is broadcast"): only configured or registered
kiosk ids issue tickets, and every free-text field has a documented maximum length that
the server enforces, so no 250 KB string is ever stored or broadcast."""

import re
from pathlib import Path

import pytest

from layso.inputs import TEXT_LIMITS
from tests.helpers import database_digest

HUGE = "A" * 250_000  # ASCII: 250 KB still fits under the 256 KB body limit
API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


@pytest.fixture
def serving(client, login):
    """Officer "an" at counter 1 with ticket A001 called."""
    headers = login("an")
    assert client.post("/api/v1/counters/1/open", headers=headers).status_code == 200
    assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 201
    assert client.post("/api/v1/counters/1/call-next", headers=headers).get_json()["ticket"]
    return headers


@pytest.fixture
def tablet(client, admin):
    created = client.post("/api/v1/admin/devices", json={"id": "tab-1", "kind": "tablet", "name": "Bảng 1", "counter": 1},
                          headers=admin)
    return {"Authorization": f"Bearer {created.get_json()['token']}"}


def test_tickets_from_unknown_kiosk_ids_are_refused(client, admin, app):
    """Security item 5: POST /api/v1/tickets with an unknown kiosk id → 400 (nothing stored,
    so no 250 KB ``ticket.issued`` reaches the displays); configured [[kiosks]] ids and
    registered kiosk devices are accepted."""
    path = app.extensions["layso.settings"].db_path
    before = database_digest(path)
    for kiosk in ("K" * 250_000, "k9", "", 5):
        response = client.post("/api/v1/tickets", json={"service": "HT", "kiosk": kiosk})
        assert response.status_code == 400, kiosk
        assert response.get_json()["error"] == "invalid_input"
    assert client.post("/api/v1/tickets", json={"service": "HT", "kiosk": "K" * 250_000}, headers=admin).status_code == 400
    assert database_digest(path) == before
    assert client.post("/api/v1/tickets", json={"service": "HT", "kiosk": "k1"}).get_json()["kiosk"] == "k1"
    client.post("/api/v1/admin/devices", json={"id": "sanh-2", "kind": "kiosk", "name": "Kiosk tầng 2"}, headers=admin)
    assert client.post("/api/v1/tickets", json={"service": "HT", "kiosk": "sanh-2"}).get_json()["kiosk"] == "sanh-2"
    assert client.post("/api/v1/tickets", json={"service": "HT"}).status_code == 201  # not from a kiosk
    client.post("/api/v1/admin/devices/sanh-2/revoke", headers=admin)
    assert client.post("/api/v1/tickets", json={"service": "HT", "kiosk": "sanh-2"}).status_code == 400
    assert client.get("/kiosk/k9", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/kiosk/k1").status_code == 200


def test_reprint_to_an_unknown_kiosk_is_400(client, admin):
    """Security item 5: the reprint's kiosk id is checked the same way."""
    ticket = client.post("/api/v1/tickets", json={"service": "HT", "kiosk": "k1"}).get_json()
    response = client.post(f"/api/v1/tickets/{ticket['id']}/reprint", json={"kiosk": HUGE}, headers=admin)
    assert response.status_code == 400


FIELDS = [
    # (who, path, body with HUGE where the field is)
    ("officer", "/api/v1/counters/1/pause", {"reason": HUGE}),
    ("officer", "/api/v1/counters/1/transfer", {"service": "LLTP", "note": HUGE}),
    ("officer", "/api/v1/counters/1/dossier", {"dossier_code": HUGE}),
    ("tablet", "/api/v1/ratings", {"ticket": 1, "level": "satisfied", "comment": HUGE}),
    ("admin", "/api/v1/admin/fields", {"code": "XX", "name": HUGE}),
    ("admin", "/api/v1/admin/fields", {"code": HUGE, "name": "x"}),
    ("admin", "/api/v1/admin/services", {"code": "NEW", "prefix": "N", "name": HUGE, "field": "TP"}),
    ("admin", "/api/v1/admin/services", {"code": "NEW", "prefix": "N", "name": "x", "field": "TP", "procedures": [HUGE]}),
    ("admin", "/api/v1/admin/services", {"code": "NEW", "prefix": "N", "name": "x", "field": "TP", "procedures": ["a"] * 50_000}),
    ("admin", "/api/v1/admin/services/HT", {"closed_reason": HUGE}),
    ("admin", "/api/v1/admin/counters", {"number": 9, "name": HUGE, "services": ["HT"]}),
    ("admin", "/api/v1/admin/counters/2", {"name": HUGE}),
    ("admin", "/api/v1/admin/officers", {"username": "moi", "name": HUGE, "password": "mat-khau-dai-1"}),
    ("admin", "/api/v1/admin/officers", {"username": HUGE, "name": "x", "password": "mat-khau-dai-1"}),
    ("admin", "/api/v1/admin/officers", {"username": "moi", "name": "x", "password": HUGE}),
    ("admin", "/api/v1/admin/officers/binh", {"title": HUGE}),
    ("admin", "/api/v1/admin/officers/binh", {"photo": HUGE + ".png"}),
    ("admin", "/api/v1/admin/devices", {"id": "d1", "kind": "display", "name": HUGE}),
    ("admin", "/api/v1/admin/devices", {"id": HUGE, "kind": "display", "name": "x"}),
    ("admin", "/api/v1/admin/settings/center_name", {"value": HUGE}),
    ("admin", "/api/v1/admin/settings/announcement", {"value": HUGE}),
    ("admin", "/api/v1/admin/settings/voice", {"value": {"template": "{number}" + HUGE}}),
    ("admin", "/api/v1/admin/settings/rating", {"value": {"levels": [{"id": "ok", "label": HUGE}]}}),
    ("admin", "/api/v1/admin/settings/rating", {"value": {"reasons": [{"id": "r", "label": HUGE}]}}),
    ("admin", "/api/v1/admin/settings/rating", {"value": {"reasons": [{"id": HUGE, "label": "x"}]}}),
]


@pytest.mark.parametrize("who, path, body", FIELDS, ids=[f"{path} {sorted(body)}" for _, path, body in FIELDS])
def test_a_250_kb_value_in_any_free_text_field_is_400_and_stores_nothing(request, client, app, serving, tablet, who, path, body):
    """Security item 5: every free-text field (pause reason, transfer note, dossier code,
    rating comment, names, labels, codes, procedures, announcement, …) refuses 250 KB."""
    headers = {"officer": serving, "tablet": tablet, "admin": request.getfixturevalue("admin")}[who]
    path_to_db = app.extensions["layso.settings"].db_path
    before = database_digest(path_to_db)
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"] == "invalid_input"
    assert database_digest(path_to_db) == before


def test_a_text_at_its_limit_is_kept_and_one_more_character_is_refused(client, serving):
    """Security item 5: the limit is the documented one, not a silent cut."""
    limit = TEXT_LIMITS["pause_reason"]
    client.post("/api/v1/counters/1/finish", headers=serving)
    assert client.post("/api/v1/counters/1/pause", json={"reason": "x" * (limit + 1)}, headers=serving).status_code == 400
    paused = client.post("/api/v1/counters/1/pause", json={"reason": "ư" * limit}, headers=serving)
    assert paused.status_code == 200
    assert paused.get_json()["counter"]["paused_reason"] == "ư" * limit


def test_every_text_limit_is_documented_with_its_number():
    """Security item 5: the table of limits is in docs/api.md, with the same numbers."""
    documented = dict(re.findall(r"^\| `([a-z_]+)` \| (\d+) \|", API_DOC.read_text(), re.MULTILINE))
    assert {field: int(limit) for field, limit in documented.items()} == TEXT_LIMITS
