"""The province hub's API as an OpenAPI 3.1 document, served by the hub at ``GET
/api/v1/openapi.json`` (docs/hub.md). Built with the center's machinery (layso/web/openapi.py,
openapi_schemas.py); tests/test_province_openapi.py fails when a hub route under /api/v1 is
missing here or this lists one the hub lacks, and fuzzes every operation from it against a
hub on a real PostgreSQL.

``x-roles``: ``center`` is a registered center proving itself with its hub token;
``province_manager`` and ``admin`` are the hub's accounts with a login token."""

import functools

from layso.province.audit import ACTIONS, MAX_LIMIT
from layso.province.ingest import MAX_EVENTS, MAX_SEQ
from layso.province.centers import CODE_PATTERN
from layso.web.openapi import openapi_document, operation, path_param, query_param
from layso.web.openapi_schemas import CHOICES, DAY, SCHEMAS, SECONDS, SHOWN, closed, obj, ref, text

CENTER = ("center",)
MANAGERS = ("province_manager", "admin")
ADMIN = ("admin",)
BEARER = ("bearer",)
TEXT = {"type": "string"}
LANGUAGES_TEXT = obj(["vi", "en"], vi=TEXT, en=TEXT)
CURSOR = obj(["center", "acked"], center=TEXT, acked={"type": "integer", "minimum": 0, "maximum": MAX_SEQ})

PROVINCE_CENTER = obj(
    ["center", "name", "online", "last_contact", "open_counters", "waiting", "serving", "issued", "served",
     "avg_wait_s", "p90_wait_s", "satisfied_pct", "alerts", "shown"],
    center=TEXT, name=TEXT, online={"type": "boolean"}, last_contact={"type": ["string", "null"], "format": "date-time"},
    open_counters={"type": "integer"}, waiting={"type": "integer"}, serving={"type": "integer"},
    issued={"type": "integer"}, served={"type": "integer"}, avg_wait_s=SECONDS, p90_wait_s=SECONDS,
    satisfied_pct={"type": ["number", "null"]},
    alerts={"type": "array", "items": obj(["kind", "text"], kind={
        "enum": ["center_offline", "wait_over_target", "not_satisfied"]}, text=LANGUAGES_TEXT)},
    shown=obj(["vi", "en"], vi=SHOWN, en=SHOWN))
CENTER_CODE = {"type": "string", "pattern": CODE_PATTERN.pattern, "description": "lower-case letters, digits, hyphens"}
CENTER_NAME = {"type": "string", "minLength": 1, "maxLength": 200}
ADMIN_CENTER = obj(
    ["code", "name", "active", "acked", "online", "last_contact", "created_at", "shown"], code=TEXT, name=TEXT,
    active={"type": "boolean"}, acked={"type": "integer", "minimum": 0}, online={"type": "boolean"},
    last_contact={"type": ["string", "null"], "format": "date-time"}, created_at={"type": "string", "format": "date-time"},
    shown=obj(["vi", "en"], vi=SHOWN, en=SHOWN))
HUB_ACCOUNT = obj(
    ["username", "name", "role", "active", "must_change_password", "shown"], username=TEXT, name=TEXT,
    role={"enum": list(MANAGERS)}, active={"type": "boolean"}, must_change_password={"type": "boolean"},
    shown=obj(["vi", "en"], vi=SHOWN, en=SHOWN))
AUDIT_ENTRY = obj(
    ["id", "at", "actor", "action", "target", "detail", "shown"], id={"type": "integer", "minimum": 1},
    at={"type": "string", "format": "date-time"},
    actor={"type": "string", "description": "the hub account that acted, or cli:<system user> for the command line"},
    action={"enum": list(ACTIONS)}, target={"type": "string", "description": "the center's code or the user name"},
    detail=obj(name=TEXT, role={"enum": list(MANAGERS)}, was={"type": "string", "description": "the value before"}),
    shown=obj(["vi", "en"], vi=SHOWN, en=SHOWN))
EVENT = obj(
    ["seq", "kind", "key", "data"], seq={"type": "integer", "minimum": 1, "maximum": MAX_SEQ},
    kind={"type": "string", "description": "the center's table: tickets, visits, ratings, counters, services, fields, "
                                           "users, settings (others are skipped)"},
    key={"type": ["string", "integer"]}, at=TEXT,
    data={"type": "object", "description": "the full new row, or {\"deleted\": true}"})


def hub_operation(summary: str, ok: dict | None, **options) -> dict:
    """An operation of the hub: whoever has a role proves it with a bearer token (no cookie)."""
    return operation(summary, ok, security=BEARER, **options)


def _sync() -> dict:
    gap = {"description": "the batch starts past the cursor: send again from ``expected``",
           "content": {"application/json": {"schema": {"allOf": [ref("Error"), obj(
               ["expected"], expected={"type": "integer", "minimum": 1})]}}}}
    ingest = hub_operation(
        "A center's numbered events, applied once each in one transaction (an empty batch is a heartbeat)", CURSOR,
        roles=CENTER, body=closed(["events"], events={"type": "array", "items": EVENT, "maxItems": MAX_EVENTS}))
    ingest["responses"]["409"] = gap
    return {
        "/hub/ingest": {"post": ingest},
        "/hub/cursor": {"get": hub_operation("The highest sequence the hub holds of this center", CURSOR, roles=CENTER)},
    }


def _province() -> dict:
    row = {"allOf": [ref("SummaryRow"), obj(["center"], center={"type": "string", "description": "the center's code"})]}
    summary = {
        "application/json": {"schema": obj(["from", "to", "by", "rows"], **{
            "from": DAY, "to": DAY, "by": {"enum": ["center", "service", "officer", "counter", "day"]},
            "rows": {"type": "array", "items": row}})},
        "text/csv": {"schema": TEXT},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": TEXT}}
    return {
        "/province/summary": {"get": hub_operation(
            "A center's report across the province: the center's row shape plus ``center``", None, content=summary,
            roles=MANAGERS, errors=(400,), params=[
                query_param("from", {"type": "string", "format": "date"}, required=True),
                query_param("to", {"type": "string", "format": "date"}, required=True),
                query_param("by", {"enum": ["center", "service", "officer", "counter", "day"]}),
                query_param("center", TEXT, description="one center's code"),
                query_param("format", {"enum": ["json", "csv", "xlsx"]})])},
        "/province/live": {"get": hub_operation(
            "Every center's live state (the Socket.IO ``province.center`` event for each)",
            obj(["centers", "offline_after_s"], centers={"type": "array", "items": ref("ProvinceCenter")},
                offline_after_s={"type": "integer"}), roles=MANAGERS)},
    }


def _auth() -> dict:
    return {
        "/auth/login": {"post": hub_operation(
            "Log in with a hub account: a bearer token (503 login_unavailable while the hub's Redis, which counts "
            "failed logins, does not answer)", obj(
                ["token", "role", "username", "name", "expires_at"], token=TEXT, role={"enum": list(MANAGERS)},
                username=TEXT, name=TEXT, expires_at={"type": "string", "format": "date-time"},
                must_change_password={"type": "boolean", "description": "true: only POST /auth/password until changed"}),
            errors=(401, 429, 503), body=closed(["username", "password"], username=TEXT, password=TEXT))},
        "/auth/password": {"post": hub_operation(
            "Change one's own password (a temporary one must be changed first)", obj(["ok"], ok={"const": True}),
            roles=MANAGERS, body=closed(["old_password", "new_password"], old_password=TEXT, new_password=TEXT))},
        "/openapi.json": {"get": hub_operation("This document", {"type": "object"})},
    }


def _admin() -> dict:
    def admin(summary, ok, **options):
        return hub_operation(summary, ok, roles=ADMIN, **options)

    code, username = path_param("code", TEXT), path_param("username", TEXT)
    center = obj(["center"], center=ref("AdminCenter"))
    with_token = obj(["center", "token"], center=ref("AdminCenter"), token={
        "type": "string", "description": "the center's hub token (LAYSO_HUB_TOKEN), shown this once"})
    account = obj(["account"], account=ref("HubAccount"))
    return {
        "/admin/centers": {
            "get": admin("Every registered center with its cursor and last contact", obj(
                ["centers", "offline_after_s"], centers={"type": "array", "items": ref("AdminCenter")},
                offline_after_s={"type": "integer"})),
            "post": admin("Register a center; its hub token is shown once", with_token, status=201, errors=(409,),
                          body=closed(["code", "name"], code=CENTER_CODE, name=CENTER_NAME))},
        "/admin/centers/{code}": {"post": admin(
            "Rename a center, deactivate it (its token is refused, its history stays) or make it active again",
            center, errors=(404,), params=[code], body=closed(name=CENTER_NAME, active={"type": "boolean"}))},
        "/admin/centers/{code}/token": {"post": admin(
            "A new hub token for the center (shown once); the old one stops working at once", with_token,
            errors=(404,), params=[code], body=closed())},
        "/admin/accounts": {
            "get": admin("The hub's accounts", obj(["accounts", "roles"], accounts={
                "type": "array", "items": ref("HubAccount")}, roles=CHOICES)),
            "post": admin("Add an account (its password must be changed at first login)", account, status=201,
                          errors=(409,), body=closed(["username", "name", "role", "password"], username=text("username"),
                                                     name=text("officer_name"), role={"enum": list(MANAGERS)},
                                                     password=text("password")))},
        "/admin/accounts/{username}": {"post": admin(
            "Rename an account, change its role, deactivate it (its sessions end) or make it active again", account,
            errors=(404, 409), params=[username], body=closed(
                name=text("officer_name"), role={"enum": list(MANAGERS)}, active={"type": "boolean"}))},
        "/admin/accounts/{username}/reset-password": {"post": admin(
            "A temporary password, shown once, to be changed at the next login; the account's sessions end",
            obj(["username", "password"], username=TEXT, password=TEXT), errors=(404,), params=[username],
            body=closed())},
        "/admin/audit": {"get": admin(
            "The latest audit entries, newest first: who did what to which center or account, and when",
            obj(["entries"], entries={"type": "array", "items": ref("AuditEntry")}), errors=(400,), params=[
                query_param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, description="default 100"),
                query_param("before", {"type": "integer", "minimum": 1}, description="entries older than this id")])},
    }


@functools.cache
def document() -> dict:
    """The hub's whole OpenAPI 3.1 document (built once)."""
    paths = {}
    for part in (_auth(), _sync(), _province(), _admin()):
        paths.update(part)
    return openapi_document(
        "LấySố province hub API",
        "One live view and one set of reports over a province's centers. The readable guide is docs/hub.md; "
        "errors are always {error, message}.",
        paths, schemas={name: SCHEMAS[name] for name in ("Error", "SummaryRow")} | {
            "ProvinceCenter": PROVINCE_CENTER, "AdminCenter": ADMIN_CENTER, "HubAccount": HUB_ACCOUNT,
            "AuditEntry": AUDIT_ENTRY},
        security_schemes={"bearer": {"type": "http", "scheme": "bearer", "description": (
            "a hub account's login token (POST /auth/login), or a registered center's hub token")}})
