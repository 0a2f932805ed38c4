"""The hub's admin screen and API (role ``admin``): registered centers with their last
contact and cursor — register one (its hub token shown once), give it a new token,
deactivate it — and the hub's accounts — add one with a temporary password, change its role,
deactivate it, reset its password (changed at the next login, as on a center). Any hub
account changes its own password with ``POST /api/v1/auth/password``. Each of those changes
is audited in its own transaction (layso.province.audit), and ``GET /api/v1/admin/audit``
lists the latest entries."""

from flask import jsonify, render_template, request

from layso.admin.checks import only_known
from layso.province import accounts, audit, centers
from layso.web.context import json_body
from layso.web.i18n import language

from province import bp
from province.context import bearer, connection, now, require_admin, require_manager, settings


def _center(code: str) -> dict:
    return next(record for record in _centers() if record["code"] == code)


def _centers() -> list[dict]:
    return centers.center_records(connection(), now=now(), offline_after_s=settings().offline_after_s)


def _account(username: str) -> dict:
    return next(account for account in accounts.list_accounts(connection()) if account["username"] == username)


@bp.get("/province/admin")
def admin_page():
    return render_template("province/admin.html")


@bp.post("/api/v1/auth/password")
def change_password():
    account = require_manager(password_changed=False)
    body = json_body()
    accounts.change_password(connection(), account, body.get("old_password"), body.get("new_password"),
                             method=settings().password_hash, token=bearer())
    return jsonify(ok=True)


@bp.get("/api/v1/admin/centers")
def center_list():
    require_admin()
    return jsonify(centers=_centers(), offline_after_s=settings().offline_after_s)


@bp.post("/api/v1/admin/centers")
def center_register():
    admin = require_admin()
    body = json_body()
    only_known(body, {"code", "name"})
    token = centers.create_center(connection(), body.get("code"), body.get("name"), by=admin["username"])
    return jsonify(center=_center(body["code"]), token=token), 201


@bp.post("/api/v1/admin/centers/<code>")
def center_change(code):
    admin = require_admin()
    body = json_body()
    only_known(body, {"name", "active"})
    centers.change_center(connection(), code, by=admin["username"], now=now(), name=body.get("name"),
                          active=body.get("active"))
    return jsonify(center=_center(code))


@bp.post("/api/v1/admin/centers/<code>/token")
def center_token(code):
    admin = require_admin()
    only_known(json_body(), set())
    token = centers.new_token(connection(), code, by=admin["username"])
    return jsonify(center=_center(code), token=token)


@bp.get("/api/v1/admin/accounts")
def account_list():
    require_admin()
    roles = [{"id": role, "label": accounts.ROLE_WORDS[role][language() == "en"]} for role in accounts.ROLES]
    return jsonify(accounts=accounts.list_accounts(connection()), roles=roles)


@bp.post("/api/v1/admin/accounts")
def account_add():
    admin = require_admin()
    body = json_body()
    only_known(body, {"username", "name", "role", "password"})
    accounts.create_account(connection(), body.get("username"), body.get("name"), body.get("role"),
                            body.get("password"), by=admin["username"], method=settings().password_hash)
    return jsonify(account=_account(body["username"])), 201


@bp.post("/api/v1/admin/accounts/<username>")
def account_change(username):
    admin = require_admin()
    body = json_body()
    only_known(body, {"name", "role", "active"})
    accounts.change_account(connection(), username, by=admin["username"], name=body.get("name"),
                            role=body.get("role"), active=body.get("active"))
    return jsonify(account=_account(username))


@bp.post("/api/v1/admin/accounts/<username>/reset-password")
def account_reset_password(username):
    admin = require_admin()
    only_known(json_body(), set())
    password = accounts.reset_password(connection(), username, by=admin["username"], method=settings().password_hash)
    return jsonify(username=username, password=password)


@bp.get("/api/v1/admin/audit")
def audit_list():
    require_admin()
    entries = audit.latest_entries(connection(), now=now(), limit=request.args.get("limit"),
                                   before=request.args.get("before"))
    return jsonify(entries=entries)
