"""First start: the TOML seed becomes database rows. Later starts leave the rows alone.

Demo mode adds the demo accounts (``canbo<N>`` for counter N, ``lanhdao``, ``admin``,
password ``demo``) and a registered tablet per counter with token ``demo-tablet-<N>``.
Outside demo mode no demo account ever exists.
"""

import functools
import hashlib
import json

from layso.passwords import hash_password
from layso.store.center import get_setting, put_setting
from layso.store.db import write

DEMO_PASSWORD = "demo"


def token_hash(token: str) -> str:
    """Tokens are long random strings, so a fast hash is enough to keep them unreadable at rest."""
    return hashlib.sha256(token.encode()).hexdigest()


@functools.cache
def _demo_password_hash() -> str:
    # The demo password is public, so a slow hash protects nothing; a cheap one keeps the
    # demo and the tests that log in to it quick.
    return hash_password(DEMO_PASSWORD, "pbkdf2:sha256:1000")


def seed_database(db, settings) -> bool:
    """Fill an empty database from ``settings.seed``; return whether it did."""
    with write(db):
        if get_setting(db, "center_name") is not None:
            return False
        seed = settings.seed
        put_setting(db, "center_name", settings.center_name)
        put_setting(db, "place", settings.center_place)
        for key in ("hours", "queue", "priority_reasons", "rating", "voice", "remote", "notify"):
            put_setting(db, key, seed[key])
        if seed.get("appointments") is not None:
            put_setting(db, "appointments", seed["appointments"])
        put_setting(db, "announcement", "")
        for position, field in enumerate(seed["fields"]):
            db.table("fields").insert({"code": field["code"], "name": field["name"], "position": position})
        for position, service in enumerate(seed["services"]):
            db.table("services").insert(_service_row(service, position))
        for counter in seed["counters"]:
            db.table("counters").insert(
                {
                    "number": counter["number"],
                    "name": counter.get("name", f"Quầy {counter['number']}"),
                    "services": json.dumps(counter["services"]),
                    "status": "closed",
                }
            )
        for officer in seed["officers"]:
            db.table("users").insert(
                {
                    "username": officer["username"],
                    "name": officer.get("name", officer["username"]),
                    "title": officer.get("title", ""),
                    "photo": officer.get("photo"),
                    "role": officer.get("role", "officer"),
                    "password_hash": hash_password(officer["password"], settings.password_hash),
                    "must_change_password": 1,
                }
            )
        if settings.demo:
            _seed_demo_accounts(db, seed)
        return True


def _service_row(service: dict, position: int) -> dict:
    return {
        "code": service["code"],
        "prefix": service["prefix"],
        "name": service["name"],
        "field": service["field"],
        "procedures": json.dumps(service.get("procedures", []), ensure_ascii=False),
        "number_digits": service.get("number_digits", 3),
        "start_number": service.get("start_number", 1),
        "daily_cap": service.get("daily_cap"),
        "wait_target_s": service.get("wait_target_s"),
        "position": position,
    }


def _seed_demo_accounts(db, seed: dict) -> None:
    users = db.table("users")
    for counter in seed["counters"]:
        number = counter["number"]
        users.insert(
            {
                "username": f"canbo{number}",
                "name": f"Cán bộ quầy {number}",
                "title": "Chuyên viên",
                "role": "officer",
                "password_hash": _demo_password_hash(),
            },
            ignore=True,
        )
        db.table("devices").insert(
            {
                "id": f"demo-tablet-{number}",
                "kind": "tablet",
                "name": f"Máy tính bảng quầy {number}",
                "counter": number,
                "token_hash": token_hash(f"demo-tablet-{number}"),
            },
            ignore=True,
        )
    for username, name, role in (("lanhdao", "Lãnh đạo trung tâm", "manager"), ("admin", "Quản trị hệ thống", "admin")):
        users.insert(
            {"username": username, "name": name, "role": role, "password_hash": _demo_password_hash()},
            ignore=True,
        )
