"""Fields, services and counters: what citizens can pick and where they are served."""

import json
from datetime import datetime

from layso.admin import settings_changed
from layso.admin.checks import flag, number, only_known, text, text_list
from layso.clock import iso
from layso.errors import Conflict, InvalidInput, UnknownCounter, UnknownService
from layso.events import Outcome, counter_event
from layso.queue.counters import counter_object, load_counter
from layso.store.center import audit
from layso.store.db import write

CODE = r"[A-Z0-9_]{1,16}"
SERVICE_FIELDS = {"code", "prefix", "name", "field", "procedures", "number_digits", "daily_cap", "wait_target_s",
                  "active", "closed_reason"}
COUNTER_FIELDS = {"number", "name", "services", "active"}


def list_catalog(db) -> dict:
    """{fields, services, counters} as admins edit them (inactive ones included). Each service
    lists the active counters set up to serve it: none means the kiosk cannot offer it."""
    counters = [
        {"number": row["number"], "name": row["name"], "services": json.loads(row["services"]),
         "active": bool(row["active"]), "status": row["status"], "officer": row["officer"]}
        for row in db.query("SELECT * FROM counters ORDER BY number")
    ]
    services = [
        row | {"procedures": json.loads(row["procedures"]), "active": bool(row["active"]),
               "counters": [counter["number"] for counter in counters
                            if counter["active"] and row["code"] in counter["services"]]}
        for row in db.query("SELECT * FROM services ORDER BY position, code")
    ]
    fields = list(db.query("SELECT code, name FROM fields ORDER BY position, code"))
    return {"fields": fields, "services": services, "counters": counters}


def save_field(db, body: dict, *, by: str, now: datetime) -> Outcome:
    """Create or rename a field (lĩnh vực). Raises InvalidInput."""
    only_known(body, {"code", "name"})
    code, name = text(body, "code", limit="field_code", pattern=CODE), text(body, "name", limit="field_name")
    with write(db):
        position = db.execute("SELECT COUNT(*) FROM fields").fetchone()[0]
        db.execute("INSERT INTO fields (code, name, position) VALUES (?, ?, ?) "
                   "ON CONFLICT(code) DO UPDATE SET name = excluded.name", [code, name, position])
        audit(db, by=by, action="field.save", detail={"code": code, "name": name}, now=now)
        event = settings_changed(db, "services", at=iso(now))
    return Outcome({"code": code, "name": name}, [event])


def _service_changes(db, body: dict, *, creating: bool) -> dict:
    known = SERVICE_FIELDS if creating else SERVICE_FIELDS - {"code"}
    only_known(body, known)
    changes = {}
    if creating or "prefix" in body:
        changes["prefix"] = text(body, "prefix", limit="service_code", pattern=r"[A-Z]{1,2}")
    if creating or "name" in body:
        changes["name"] = text(body, "name", limit="service_name")
    if creating or "field" in body:
        changes["field"] = text(body, "field", limit="field_code")
        if db.execute("SELECT 1 FROM fields WHERE code = ?", [changes["field"]]).fetchone() is None:
            raise InvalidInput("Lĩnh vực không tồn tại.", message_en="Unknown field.")
    if "procedures" in body:
        changes["procedures"] = json.dumps(text_list(body, "procedures", limit="procedure", required=False), ensure_ascii=False)
    if "number_digits" in body:
        changes["number_digits"] = number(body, "number_digits", low=1, high=6)
    for key, high in (("daily_cap", 100_000), ("wait_target_s", 24 * 3600)):
        if key in body:
            changes[key] = number(body, key, low=1, high=high, required=False)
    if "active" in body:
        changes["active"] = int(flag(body, "active"))
    if "closed_reason" in body:
        changes["closed_reason"] = text(body, "closed_reason", required=False)
    return changes


def _check_prefix_free(db, prefix: str | None, code: str) -> None:
    if prefix and db.execute("SELECT 1 FROM services WHERE prefix = ? AND code != ?", [prefix, code]).fetchone():
        raise Conflict("Tiền tố số này đã được dùng cho dịch vụ khác.", message_en="Another service uses this prefix.")


def create_service(db, body: dict, *, by: str, now: datetime) -> Outcome:
    """Add a service (a new queue at the kiosk). Raises InvalidInput, Conflict (code or prefix taken)."""
    code = text(body, "code", limit="service_code", pattern=CODE)
    changes = _service_changes(db, body, creating=True)
    with write(db):
        if db.execute("SELECT 1 FROM services WHERE code = ?", [code]).fetchone():
            raise Conflict("Mã dịch vụ đã tồn tại.", message_en="This service code exists already.")
        _check_prefix_free(db, changes["prefix"], code)
        position = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM services").fetchone()[0]
        db.table("services").insert({"code": code, "position": position, **changes})
        audit(db, by=by, action="service.create", detail={"code": code, **changes}, now=now)
        event = settings_changed(db, "services", at=iso(now))
    return Outcome(_service(db, code), [event])


def update_service(db, code: str, body: dict, *, by: str, now: datetime) -> Outcome:
    """Change a service's fields given in ``body``. Raises UnknownService, InvalidInput, Conflict."""
    changes = _service_changes(db, body, creating=False)
    with write(db):
        if db.execute("SELECT 1 FROM services WHERE code = ?", [code]).fetchone() is None:
            raise UnknownService()
        _check_prefix_free(db, changes.get("prefix"), code)
        if changes:
            db.table("services").update(code, changes)
        audit(db, by=by, action="service.update", detail={"code": code, **changes}, now=now)
        event = settings_changed(db, "services", at=iso(now))
    return Outcome(_service(db, code), [event])


def _service(db, code: str) -> dict:
    row = next(db.query("SELECT * FROM services WHERE code = ?", [code]))
    return row | {"procedures": json.loads(row["procedures"]), "active": bool(row["active"])}


def _counter_changes(db, body: dict, *, creating: bool) -> dict:
    only_known(body, COUNTER_FIELDS if creating else COUNTER_FIELDS - {"number"})
    changes = {}
    if creating or "name" in body:
        changes["name"] = text(body, "name", limit="counter_name")
    if creating or "services" in body:
        if body.get("services") == []:
            raise InvalidInput("Quầy phải phục vụ ít nhất một dịch vụ.", message_en="A counter must serve at least one service.")
        codes = [code for (code,) in db.execute("SELECT code FROM services")]
        changes["services"] = json.dumps(text_list(body, "services", limit="service_code", allowed=codes))
    if "active" in body:
        changes["active"] = int(flag(body, "active"))
    return changes


def create_counter(db, body: dict, *, by: str, now: datetime) -> Outcome:
    """Add a counter with its services in preference order. Raises InvalidInput, Conflict."""
    counter_number = number(body, "number", low=1, high=999)
    changes = _counter_changes(db, body, creating=True)
    with write(db):
        if db.execute("SELECT 1 FROM counters WHERE number = ?", [counter_number]).fetchone():
            raise Conflict("Số quầy đã tồn tại.", message_en="This counter number exists already.")
        db.table("counters").insert({"number": counter_number, "status": "closed", **changes})
        audit(db, by=by, action="counter.create", detail={"number": counter_number, **changes}, now=now)
        body_out = counter_object(db, load_counter(db, counter_number))
        event = settings_changed(db, "counters", at=iso(now))
    return Outcome(body_out, [event])


def update_counter_setup(db, counter_number: int, body: dict, *, by: str, now: datetime) -> Outcome:
    """Rename a counter, change its services or (de)activate it; a counter an officer holds
    cannot be deactivated. Raises UnknownCounter, InvalidInput, Conflict."""
    changes = _counter_changes(db, body, creating=False)
    with write(db):
        row = next(db.query("SELECT * FROM counters WHERE number = ?", [counter_number]), None)
        if row is None:
            raise UnknownCounter()
        if changes.get("active") == 0 and row["officer"] is not None:
            raise Conflict("Quầy đang có cán bộ làm việc.", message_en="An officer holds this counter.")
        if changes:
            db.table("counters").update(counter_number, changes)
        audit(db, by=by, action="counter.update", detail={"number": counter_number, **changes}, now=now)
        row = next(db.query("SELECT * FROM counters WHERE number = ?", [counter_number]))
        # Its screens (display, tablet, console) show the new name or services at once.
        events = [counter_event(counter_object(db, row))] if row["active"] else []
        events.append(settings_changed(db, "counters", at=iso(now)))
    return Outcome({"number": row["number"], "name": row["name"], "services": json.loads(row["services"]),
                    "active": bool(row["active"])}, events)
