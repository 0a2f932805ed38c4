"""The province hub's API as an OpenAPI 3.1 document, served by the hub at ``GET
/api/v1/openapi.json`` (docs/hub.md). Built with the center's machinery (layso/web/openapi.py,
openapi_schemas.py); tests/test_province_openapi.py fails when a hub route under /api/v1 is
missing here or this lists one the hub lacks, and fuzzes every operation from it against a
hub on a real PostgreSQL.

``x-roles``: ``center`` is a registered center proving itself with its hub token;
``province_manager`` and ``admin`` are the hub's accounts with a login token."""

import functools

from layso.province.ingest import MAX_EVENTS, MAX_SEQ
from layso.web.openapi import _query, operation, openapi_document
from layso.web.openapi_schemas import DAY, SCHEMAS, SECONDS, SHOWN, closed, obj, ref

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
                _query("from", {"type": "string", "format": "date"}, required=True),
                _query("to", {"type": "string", "format": "date"}, required=True),
                _query("by", {"enum": ["center", "service", "officer", "counter", "day"]}),
                _query("center", TEXT, description="one center's code"),
                _query("format", {"enum": ["json", "csv", "xlsx"]})])},
        "/province/live": {"get": hub_operation(
            "Every center's live state (the Socket.IO ``province.center`` event for each)",
            obj(["centers", "offline_after_s"], centers={"type": "array", "items": ref("ProvinceCenter")},
                offline_after_s={"type": "integer"}), roles=MANAGERS)},
    }


def _auth() -> dict:
    return {
        "/auth/login": {"post": hub_operation(
            "Log in with a hub account: a bearer token", obj(
                ["token", "role", "username", "name", "expires_at"], token=TEXT, role={"enum": list(MANAGERS)},
                username=TEXT, name=TEXT, expires_at={"type": "string", "format": "date-time"}),
            errors=(401, 429), body=closed(["username", "password"], username=TEXT, password=TEXT))},
        "/openapi.json": {"get": hub_operation("This document", {"type": "object"})},
    }


@functools.cache
def document() -> dict:
    """The hub's whole OpenAPI 3.1 document (built once)."""
    paths = {}
    for part in (_auth(), _sync(), _province()):
        paths.update(part)
    return openapi_document(
        "LấySố province hub API",
        "One live view and one set of reports over a province's centers. The readable guide is docs/hub.md; "
        "errors are always {error, message}.",
        paths, schemas={name: SCHEMAS[name] for name in ("Error", "SummaryRow")} | {"ProvinceCenter": PROVINCE_CENTER},
        security_schemes={"bearer": {"type": "http", "scheme": "bearer", "description": (
            "a hub account's login token (POST /auth/login), or a registered center's hub token")}})
