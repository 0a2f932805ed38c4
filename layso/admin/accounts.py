"""Officers' accounts (cán bộ) and registered devices (kiosks, displays, tablets)."""

import secrets
from datetime import datetime
from pathlib import Path

from layso.admin import settings_changed
from layso.admin.checks import flag, number, only_known, text
from layso.admin.photos import checked_photo
from layso.clock import iso
from layso.errors import Conflict, InvalidInput, NotFound
from layso.events import Outcome, counter_event
from layso.inputs import TEXT_LIMITS
from layso.passwords import DEFAULT_METHOD, check_new_password, hash_password
from layso.queue.counters import counter_object
from layso.settings import ROLES
from layso.store.center import audit, get_setting
from layso.store.db import write
from layso.store.seed import token_hash

USERNAME = r"[a-z0-9_.-]{2,32}"
OFFICER_FIELDS = {"username", "name", "title", "photo", "role", "active", "password"}
DEVICE_KINDS = ("kiosk", "display", "tablet", "integration")  # integration: the one-stop software (hồ sơ)


def list_officers(db) -> list[dict]:
    return [
        row | {"active": bool(row["active"]), "must_change_password": bool(row["must_change_password"])}
        for row in db.query(
            "SELECT username, name, title, photo, role, active, must_change_password FROM users ORDER BY role, username"
        )
    ]


def _officer_changes(body: dict, *, creating: bool, photos: Path | None) -> dict:
    only_known(body, OFFICER_FIELDS if creating else OFFICER_FIELDS - {"username", "password"})
    changes = {}
    if creating or "name" in body:
        changes["name"] = text(body, "name", limit="officer_name")
    if "title" in body:
        changes["title"] = text(body, "title", required=False) or ""
    if "photo" in body:  # a photo uploaded to this server, never a URL elsewhere
        changes["photo"] = checked_photo(body["photo"], photos)
    if "role" in body:
        if body["role"] not in ROLES:
            raise InvalidInput("Vai trò phải là officer, manager hoặc admin.", message_en="'role' must be officer, manager or admin.")
        changes["role"] = body["role"]
    if "active" in body:
        changes["active"] = int(flag(body, "active"))
    return changes


def create_officer(db, body: dict, *, by: str, now: datetime, password_method: str = DEFAULT_METHOD,
                   photos: Path | None = None) -> Outcome:
    """Add an account with a temporary password (the rules of a chosen one apply: layso.passwords);
    it must change it at first login. ``photos``: the folder of uploaded photos, where a
    ``photo`` must be (layso.admin.photos). Raises InvalidInput, Conflict."""
    username = text(body, "username", pattern=USERNAME)
    password = check_new_password(text(body, "password"), username=username, center_name=get_setting(db, "center_name"))
    changes = _officer_changes(body, creating=True, photos=photos)
    password_hash = hash_password(password, password_method)  # slow on purpose: before taking the write lock
    with write(db):
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise Conflict("Tên đăng nhập đã tồn tại.", message_en="This username exists already.")
        db.table("users").insert({"username": username, "role": "officer", "title": "", **changes,
                                  "password_hash": password_hash, "must_change_password": 1})
        audit(db, by=by, action="officer.create", detail={"username": username, **changes}, now=now)
        event = settings_changed(db, "officers", at=iso(now))
    return Outcome(_officer(db, username), [event])


def update_officer(db, username: str, body: dict, *, by: str, now: datetime, photos: Path | None = None) -> Outcome:
    """Change name, title, photo (one uploaded to ``photos``), role or active; deactivating ends
    the account's sessions. An admin cannot take away their own admin role. Raises NotFound,
    InvalidInput, Conflict."""
    changes = _officer_changes(body, creating=False, photos=photos)
    if username == by and (changes.get("role", "admin") != "admin" or changes.get("active", 1) == 0):
        raise Conflict("Không thể tự bỏ quyền quản trị của mình.", message_en="You cannot remove your own admin access.")
    with write(db):
        _existing(db, username)
        if changes:
            db.table("users").update(username, changes)
        if changes.get("active") == 0:
            db.execute("DELETE FROM tokens WHERE username = ?", [username])
        audit(db, by=by, action="officer.update", detail={"username": username, **changes}, now=now)
        # The counter they hold shows the new name or photo at once (displays, its tablet).
        events = [counter_event(counter_object(db, row))
                  for row in db.query("SELECT * FROM counters WHERE officer = ? AND active = 1", [username])]
        events.append(settings_changed(db, "officers", at=iso(now)))
    return Outcome(_officer(db, username), events)


def reset_password(db, username: str, *, by: str, now: datetime, password_method: str = DEFAULT_METHOD) -> Outcome:
    """Give the account a new temporary password (returned once) that must be changed at
    the next login, and end its sessions. Raises NotFound."""
    password = secrets.token_urlsafe(9)
    password_hash = hash_password(password, password_method)
    with write(db):
        _existing(db, username)
        db.execute("UPDATE users SET password_hash = ?, must_change_password = 1 WHERE username = ?",
                   [password_hash, username])
        db.execute("DELETE FROM tokens WHERE username = ?", [username])
        audit(db, by=by, action="officer.reset_password", detail={"username": username}, now=now)
    return Outcome({"username": username, "password": password})


def _existing(db, username: str) -> None:
    if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone() is None:
        raise NotFound("Không có tài khoản này.", message_en="No such account.")


def _officer(db, username: str) -> dict:
    return next(officer for officer in list_officers(db) if officer["username"] == username)


def list_devices(db) -> list[dict]:
    return [row | {"revoked": bool(row["revoked"])}
            for row in db.query("SELECT id, kind, name, counter, revoked, last_seen FROM devices ORDER BY kind, id")]


def registered_kiosk(db, kiosk_id: str) -> bool:
    """Whether ``kiosk_id`` is a registered kiosk whose token is not revoked."""
    return db.execute("SELECT 1 FROM devices WHERE id = ? AND kind = 'kiosk' AND revoked = 0", [kiosk_id]).fetchone() is not None


def known_kiosk(db, configured: list[dict], kiosk_id) -> bool:
    """Whether ``kiosk_id`` names a configured ``[[kiosks]]`` entry or a registered kiosk:
    nothing else may be stored with a ticket or name a kiosk's socket room."""
    return isinstance(kiosk_id, str) and len(kiosk_id) <= TEXT_LIMITS["kiosk"] and (
        any(str(entry["id"]) == kiosk_id for entry in configured) or registered_kiosk(db, kiosk_id))


def register_device(db, body: dict, *, by: str, now: datetime) -> Outcome:
    """Register a kiosk, display or tablet; the token is returned once and stored hashed.
    A tablet needs the counter it rates. Raises InvalidInput, Conflict."""
    only_known(body, {"id", "kind", "name", "counter"})
    if body.get("kind") not in DEVICE_KINDS:
        raise InvalidInput("'kind' phải là kiosk, display, tablet hoặc integration.",
                           message_en="'kind' must be kiosk, display, tablet or integration.")
    device_id = text(body, "id", limit="device_id", pattern=r"[A-Za-z0-9_-]+")
    name = text(body, "name", limit="device_name")
    counter = number(body, "counter", low=1, high=999, required=body["kind"] == "tablet")
    token = secrets.token_urlsafe(32)
    with write(db):
        if counter is not None and db.execute("SELECT 1 FROM counters WHERE number = ?", [counter]).fetchone() is None:
            raise InvalidInput("Quầy không tồn tại.", message_en="Unknown counter.")
        if db.execute("SELECT 1 FROM devices WHERE id = ?", [device_id]).fetchone():
            raise Conflict("Mã thiết bị đã tồn tại.", message_en="This device id exists already.")
        db.table("devices").insert({"id": device_id, "kind": body["kind"], "name": name, "counter": counter,
                                    "token_hash": token_hash(token)})
        audit(db, by=by, action="device.register", detail={"id": device_id, "kind": body["kind"], "counter": counter}, now=now)
    return Outcome({"id": device_id, "kind": body["kind"], "name": name, "counter": counter, "token": token})


def revoke_device(db, device_id: str, *, by: str, now: datetime) -> Outcome:
    """Revoke a device's token: it is refused from its next request or connection. Raises NotFound."""
    with write(db):
        if db.execute("UPDATE devices SET revoked = 1 WHERE id = ?", [device_id]).rowcount == 0:
            raise NotFound("Không có thiết bị này.", message_en="No such device.")
        audit(db, by=by, action="device.revoke", detail={"id": device_id}, now=now)
    return Outcome({"id": device_id, "revoked": True})


def mark_devices_seen(db, device_ids, *, now: datetime) -> None:
    """Record that these registered devices are connected now (the silent-display alert
    reads ``last_seen``)."""
    device_ids = list(device_ids)
    if not device_ids:
        return
    with write(db):
        db.execute(
            f"UPDATE devices SET last_seen = ? WHERE id IN ({', '.join('?' for _ in device_ids)})",
            [now.isoformat(timespec="seconds"), *device_ids],
        )
