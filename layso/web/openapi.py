"""The API as an OpenAPI 3.1 document, served at ``GET /api/v1/openapi.json`` for the
province's one-stop system and other integrators to generate clients from. docs/api.md
stays the readable guide; tests/test_openapi.py fails when a route under /api/v1 is
missing here or this lists one the server lacks, and fuzzes every operation from it.

Each operation names who may call it in ``x-roles`` (absent: anyone)."""

import functools

from layso.phone import MAX_TYPED
from layso.inputs import TEXT_LIMITS

from layso.web.openapi_schemas import (
    CHOICES, COUNTER_NUMBER, DAY, DEVICE_KINDS, DOSSIER_STATUS, ID, OFFICER_FIELDS, SCHEMAS, SERVICE_FIELDS, SETTING_VALUES, SHOWN, YEARS,
    closed, listing, null,
    obj, ref, text,
)

JSON = "application/json"
STAFF = ("officer", "manager", "admin")
MANAGERS = ("manager", "admin")
ADMIN = ("admin",)
ERRORS = {
    400: "invalid input: the message names the field", 401: "no, forged or expired token",
    403: "not allowed for this role or device (or the password must be changed first)", 404: "no such thing",
    409: "not possible in the current state", 413: "body over 256 KB", 429: "too many requests",
    503: "not possible now: a service the server needs does not answer",
}
# The counter verbs of POST /api/v1/counters/{number}/{action} (counter/routes.py), each its own path here.
COUNTER_ACTIONS = {
    "open": ("Take the counter", None), "close": ("Leave the counter", None),
    "call-next": ("Call the next ticket by the ordering policy", None),
    "call": ("Call a chosen waiting or held ticket", closed(["ticket"], ticket=ID)),
    "recall": ("Call the current ticket again", None), "hold": ("Park the current citizen", None),
    "no-show": ("The called citizen did not come", None),
    "transfer": ("Send the current citizen to another service or counter (a counter that is closed or does not serve "
                 "the ticket's service: 409 transfer_refused unless force)", closed(
        service={"type": "string"}, counter=COUNTER_NUMBER, note=text("transfer_note"), force={"type": "boolean"})),
    "finish": ("Served: the counter's tablet asks for a rating", None), "cancel": ("Cancel the current ticket", None),
    "pause": ("Pause with a reason", closed(["reason"], reason=text("pause_reason"))),
    "resume": ("Back to idle", None),
    "dossier": ("Record the dossier code of the current ticket; with the citizen's phone and consent, the dossier's "
                "status changes are texted to it", closed(
        ["dossier_code"], dossier_code=text("dossier_code"),
        phone={"type": "string", "maxLength": MAX_TYPED, "description": "a Vietnamese mobile number (0912 345 678, +84…)"},
        consent={"type": "boolean", "description": "must be true with a phone"})),
}


LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "`en` for English messages; Vietnamese otherwise"}


def _json(schema: dict) -> dict:
    return {JSON: {"schema": schema}}


def path_param(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def query_param(name: str, schema: dict, *, required=False, description=None) -> dict:
    parameter = {"name": name, "in": "query", "required": required, "schema": schema}
    return parameter | ({"description": description} if description else {})


def operation(summary: str, ok: dict | None, *, roles=None, errors=(), body=None, params=(), status=200,
              content=None, body_content=None, security=("bearer", "session")) -> dict:
    """One operation: ``ok`` the answer's schema (or ``content`` for other media types),
    ``body`` the JSON body's (or ``body_content``), ``errors`` its own 4xx besides those
    every caller may get (bad body, no login); ``security`` the schemes a caller with one
    of ``roles`` may prove itself by (the province hub's: a bearer token only)."""
    body_content = body_content or (_json(body) if body is not None else None)
    codes = set(errors) | ({400, 413} if body_content else set()) | ({401, 403} if roles else set())
    responses = {str(status): {"description": "OK", "content": content or _json(ok)}}
    for code in sorted(codes):
        responses[str(code)] = {"description": ERRORS[code], "content": _json(ref("Error"))}
    answer = {"summary": summary, "parameters": [*params, LANGUAGE], "responses": responses,
              "security": [{scheme: []} for scheme in security] if roles else []}
    if roles:
        answer["x-roles"] = list(roles)
    if body_content:
        answer["requestBody"] = {"required": False, "content": body_content}
    return answer


def _ok() -> dict:
    return obj(["ok"], ok={"const": True})


def _with_code_answers(ticket_operation: dict) -> dict:
    """The remote channel's two other answers: 202 (a code was texted) and 503 (no SMS sender)."""
    responses = ticket_operation["responses"]
    responses["202"] = {"description": "a one-time code was texted to the phone; send the request again with it",
                        "content": _json(obj(["code_required", "expires_in_s"], code_required={"const": True},
                                             expires_in_s={"type": "integer", "minimum": 0}))}
    responses["503"] = {"description": "the center asks for a code by SMS but no sender is set up",
                        "content": _json(ref("Error"))}
    return ticket_operation


def _tickets() -> dict:
    ticket_id = path_param("ticket_id", ID)
    return {
        "/tickets": {"post": _with_code_answers(operation(
            "Take a number (kiosks: no login, within the kiosk limits; channel remote: from a phone, with the "
            "phone number and consent, within the remote limits)", ref("IssuedTicket"), status=201,
            errors=(401, 403, 404, 409, 429),
            body=closed(["service"], service={"type": "string"}, priority={"type": "boolean"},
                        priority_reason={"type": ["string", "null"]}, kiosk=text("kiosk"),
                        channel={"enum": ["kiosk", "remote"], "default": "kiosk"},
                        phone={"type": "string", "maxLength": MAX_TYPED,
                               "description": "channel remote: a Vietnamese mobile number (0912 345 678, +84…)"},
                        consent={"type": "boolean", "description": "channel remote: must be true"},
                        code={"type": "string", "pattern": "^[0-9]{6}$",
                              "description": "channel remote, when the center asks for a one-time code: the code "
                                             "texted to the phone"})))},
        "/tickets/{ticket_id}": {"get": operation("A ticket", ref("Ticket"), roles=STAFF, errors=(404,),
                                                  params=[ticket_id])},
        "/tickets/{ticket_id}/reprint": {"post": operation(
            "Print a ticket again on a kiosk (officers: today's tickets still in play)",
            obj(["job", "kiosk", "ticket"], job={"type": "string"}, kiosk={"type": "string"}, ticket=ref("Ticket")),
            roles=STAFF, errors=(404, 409), status=202, params=[ticket_id], body=closed(kiosk=text("kiosk")))},
        "/tickets/lookup": {"get": operation(
            "Today's (or a day's) tickets by number or dossier code, each with its day step by step",
            obj(["day", "tickets"], day=DAY, tickets={"type": "array", "items": ref("FoundTicket")}),
            roles=STAFF, errors=(400,), params=[
                query_param("q", {"type": "string", "minLength": 1, "maxLength": 64}, required=True,
                            description="a ticket number (A015, a15) or a dossier code"),
                query_param("day", {"type": "string", "format": "date"}, description="default: today")])},
        "/kiosks": {"get": operation(
            "The center's kiosks, to choose where to reprint", obj(["kiosks"], kiosks={"type": "array", "items": obj(
                ["id", "name", "printer", "printer_failing"], id={"type": "string"}, name={"type": "string"},
                printer={"type": "boolean"}, printer_failing={"type": "boolean"})}), roles=STAFF)},
        "/tickets/by-token/{token}": {"get": operation(
            "The citizen's own ticket (the status token is the secret)", ref("Ticket"), errors=(404,),
            params=[path_param("token", {"type": "string"})])},
    }


def _dossiers() -> dict:
    code = path_param("code", {"type": "string", "minLength": 1, "maxLength": 64,
                               "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$",
                               "description": "the dossier code (mã hồ sơ), any case"})
    put = operation(
        "The one-stop software reports a dossier's status (a registered integration device): the first put "
        "creates it (201), a change of status texts the phone attached, the same put again changes nothing",
        ref("Dossier"), roles=("integration",), errors=(400, 404), params=[code], body=closed(
            ["status"], status=DOSSIER_STATUS, status_text=null(text("dossier_status_text")),
            phone={"type": ["string", "null"], "maxLength": MAX_TYPED,
                   "description": "the citizen's mobile, given with consent; null forgets it"},
            due_date={"type": ["string", "null"], "format": "date"},
            service=null(text("dossier_service"))))
    put["responses"]["201"] = {"description": "created", "content": put["responses"]["200"]["content"]}
    return {
        "/dossiers/{code}": {
            "put": put,
            "get": operation("A dossier with its history (the phone masked)", ref("Dossier"), roles=STAFF,
                             errors=(404,), params=[code])},
        "/dossiers/{code}/public": {"get": operation(
            "Anyone with the code: the status in words, its dates and what to do next (30 a minute per address)",
            ref("PublicDossier"), errors=(404, 429), params=[code])},
    }


def _appointments() -> dict:
    code = path_param("code", {"type": "string", "maxLength": 40})
    service = query_param("service", {"type": "string"}, required=True, description="a service code")
    appointment = ref("Appointment")
    issued = ref("IssuedTicket")
    kiosk = closed(kiosk=text("kiosk"))
    start = {"type": "string", "maxLength": 40,
             "description": "a slot's start as GET /appointments/slots gives it (ISO 8601; no offset: local time)"}
    return {
        "/appointments/slots": {"get": operation(
            "A service's slots on a day, in local time, with the places left", obj(["slots"], slots={
                "type": "array", "items": ref("Slot")}), errors=(400, 404), params=[
                service, query_param("date", {"type": "string", "format": "date"}, required=True, description=YEARS)])},
        "/appointments/days": {"get": operation(
            "The booking calendar: each day from today to the horizon with its places left",
            obj(["days"], days={"type": "array", "items": obj(
                ["date", "weekday", "available"], date=DAY, available={"type": "integer", "minimum": 0},
                weekday={"type": "string", "description": "the day's name in the request's language (Thứ Hai)"})}),
            errors=(404,), params=[service])},
        "/appointments": {
            "post": operation(
                "Book a place in a slot (409 when the last place just went, 429 over the per-phone limit)", appointment,
                status=201, errors=(404, 409, 429), body=closed(
                    ["service", "start", "phone"], service={"type": "string"}, start=start,
                    phone={"type": "string", "maxLength": 40, "description": "a Vietnamese mobile number"},
                    name={"type": ["string", "null"], "maxLength": TEXT_LIMITS["appointment_name"]})),
            "get": operation(
                "The day's bookings, every status, with their ticket when checked in", obj(
                    ["date", "appointments"], date=DAY, appointments={"type": "array", "items": ref("StaffAppointment")}),
                roles=STAFF, errors=(400, 404), params=[
                    query_param("date", {"type": "string", "format": "date"}, description="default: today"),
                    query_param("service", {"type": "string"}, description="default: every service")])},
        "/appointments/{code}": {"get": operation("A booking, by its code", appointment, errors=(404,), params=[code])},
        "/appointments/{code}/cancel": {"post": operation(
            "Cancel a booking (the citizen by its code, or staff: a login, and a page's session its CSRF token)",
            appointment, errors=(401, 403, 404, 409), params=[code],
            body=closed())},
        "/appointments/{code}/reschedule": {"post": operation(
            "Move a booking to another slot of its service", appointment, errors=(404, 409, 429), params=[code],
            body=closed(["start"], start=start))},
        "/appointments/{code}/check-in": {"post": operation(
            "Check in at the kiosk: a ticket (channel appointment) of the same queue, printed like any other",
            issued, status=201, errors=(401, 403, 404, 409, 429), params=[code], body=kiosk)},
        "/appointments/check-in": {"post": operation(
            "Check in by phone number and service (the booking whose check-in is open now)", issued, status=201,
            errors=(401, 403, 404, 409, 429), body=closed(["phone", "service"], phone={"type": "string", "maxLength": 40},
                                                          service={"type": "string"}, kiosk=text("kiosk")))},
    }


def _counters() -> dict:
    number = path_param("number", ID)
    paths = {
        "/counters/{number}": {"get": operation("A counter", obj(["counter"], counter=ref("Counter")), roles=STAFF,
                                                errors=(404,), params=[number])},
        "/counters/{number}/queue": {"get": operation(
            "The console's waiting list, in call order",
            obj(["waiting", "held", "waiting_total"], waiting={"type": "array", "items": ref("PublicTicket")},
                held={"type": "array", "items": ref("PublicTicket")}, waiting_total={"type": "integer"}),
            roles=STAFF, errors=(404,), params=[number])},
        "/officers/me/today": {"get": operation(
            "The logged-in user's day", obj(["day", "served", "avg_service_s"], day=DAY, served={"type": "integer"},
                                            avg_service_s={"type": ["number", "null"]}), roles=STAFF)},
    }
    key = {"name": "Idempotency-Key", "in": "header", "required": False,
           "schema": {"type": "string", "minLength": 1, "maxLength": 200},
           "description": "a repeated key gets the first answer and changes nothing"}
    for action, (summary, body) in COUNTER_ACTIONS.items():
        paths[f"/counters/{{number}}/{action}"] = {"post": operation(
            summary, ref("CounterAnswer"), roles=STAFF, errors=(400, 404, 409), params=[number, key],
            body=body if body is not None else closed())}
    return paths


def _ratings() -> dict:
    return {
        "/ratings/levels": {"get": operation(
            "The rating levels and reasons", obj(["levels", "reasons", "window_s", "idle_timeout_s"],
                                                 levels={"type": "array", "items": ref("Level")},
                                                 reasons={"type": "array"}, window_s={"type": "number"},
                                                 idle_timeout_s={"type": "number"}))},
        "/ratings": {"post": {**operation(
            "Rate the service just finished (a registered tablet's device token)",
            obj(["id", "ticket", "level", "satisfied", "counter"], id=ID, ticket=ID, number={"type": "string"},
                level={"type": "string"}, reasons={"type": "array"}, satisfied={"type": "boolean"},
                officer={"type": ["string", "null"]}, counter=COUNTER_NUMBER, service={"type": "string"}),
            roles=("tablet",), errors=(404, 409), status=201,
            body=closed(["ticket", "level"], ticket=ID, level={"type": "string"},
                        reasons=listing({"type": "string"}), comment=text("comment"))),
            "security": [{"bearer": []}]}},
    }


def _reports() -> dict:
    summary_content = {JSON: {"schema": obj(["from", "to", "by", "levels", "rows"], **{
        "from": DAY, "to": DAY, "by": {"type": "string"}, "levels": {"type": "array", "items": ref("Level")},
        "rows": {"type": "array", "items": ref("SummaryRow")}, "totals": null(ref("SummaryRow")),
        "table": ref("ReportTable"), "channels": obj(
            ["rows", "total", "text"], rows={"type": "object", "description": "by service or day: key → channel counts"},
            total=obj(["kiosk", "remote", "appointment"], kiosk={"type": "integer"}, remote={"type": "integer"},
                      appointment={"type": "integer"}),
            text={"type": "string", "description": "the total in words, in the request's language"}),
        "appointments": obj(
            ["rows", "total", "text"], rows={"type": "object", "description": "by service or day: key → figures"},
            total=obj(["booked", "checked_in", "no_show", "cancelled"], booked={"type": "integer"},
                      checked_in={"type": "integer"}, no_show={"type": "integer"}, cancelled={"type": "integer"}),
            text={"type": "string", "description": "the total in words, in the request's language"})})},
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string"}}}
    return {
        "/reports/summary": {"get": operation(
            "Figures of a period grouped by officer, counter, service or day", None, content=summary_content,
            roles=MANAGERS, errors=(400,), params=[
                query_param("from", {"type": "string", "format": "date"}, required=True, description=YEARS),
                query_param("to", {"type": "string", "format": "date"}, required=True, description=YEARS),
                query_param("by", {"enum": ["officer", "counter", "service", "day"]}),
                query_param("format", {"enum": ["json", "csv", "xlsx"]})])},
        "/reports/evaluation": {"get": operation(
            "Quarterly evaluation per officer", obj(["quarter", "from", "to", "levels", "officers"], **{
                "quarter": {"type": "string"}, "from": DAY, "to": DAY, "levels": {"type": "array"},
                "officers": {"type": "array", "items": {"allOf": [ref("SummaryRow"), obj(
                    ["name", "rated", "points", "rank"], name={"type": "string"}, rated={"type": "integer"},
                    points={"type": "integer"}, rank={"type": ["integer", "null"], "description": "null: nobody rated them"})]}},
                "table": ref("ReportTable")}),
            roles=MANAGERS, errors=(400,),
            params=[query_param("quarter", {"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$"}, required=True, description=YEARS)])},
        "/dashboard": {"get": operation(
            "The live dashboard's data", obj(["at", "day", "counters", "services", "today", "satisfaction", "hourly",
                                              "alerts", "events", "hub_link"]), roles=MANAGERS)},
        "/notices": {"get": operation(
            "SMS/Zalo notices, newest first, the phone masked", obj(
                ["notices", "counts"], notices={"type": "array", "items": ref("Notice")},
                counts=obj(["pending", "sent", "failed", "cancelled"])),
            roles=MANAGERS, errors=(400,), params=[
                query_param("status", {"enum": ["pending", "sent", "failed", "cancelled"]}),
                query_param("limit", {"type": "integer", "minimum": 1, "maximum": 500}, description="default 100"),
                query_param("before", {"type": "integer", "minimum": 1}, description="older than this notice id (paging)")])},
    }


def _auth() -> dict:
    return {
        "/auth/login": {"post": operation(
            "Log in: a bearer token, and the session cookie for pages",
            obj(["token", "role", "username", "name", "expires_at", "must_change_password", "csrf_token"],
                token={"type": "string"}, role={"enum": list(STAFF)}, username={"type": "string"},
                name={"type": "string"}, title={"type": ["string", "null"]}, expires_at={"type": "string"},
                must_change_password={"type": "boolean"}, csrf_token={"type": "string"}),
            errors=(401, 429), body=closed(["username", "password"], username={"type": "string"},
                                           password={"type": "string"}))},
        "/auth/logout": {"post": operation("Revoke the token (bearer or cookie)", _ok(), errors=(401, 403),
                                           body=closed())},
        "/auth/password": {"post": operation(
            "Change one's password", _ok(), roles=STAFF, errors=(400,),
            body=closed(["old_password", "new_password"], old_password={"type": "string"},
                        new_password={"type": "string"}))},
        "/auth/me": {"get": operation("Who the token belongs to", obj(
            ["username", "name", "role"], username={"type": "string"}, name={"type": "string"},
            role={"enum": list(STAFF)}), roles=STAFF)},
        "/auth/socket-token": {"get": operation(
            "The session's token, for a page logged in by cookie to open its socket",
            obj(["token", "username", "name", "role"], token={"type": "string"}, username={"type": "string"},
                name={"type": "string"}, role={"type": "string"}), errors=(401, 403))},
        "/services": {"get": operation("Services with their waiting figures", obj(
            ["services"], services={"type": "array", "items": ref("Service")}))},
        "/state": {"get": operation("The center's live state (the Socket.IO ``state`` event)", ref("State"))},
        "/openapi.json": {"get": operation("This document", {"type": "object"})},
    }


def _admin() -> dict:
    def admin(summary, ok, **options):
        return operation(summary, ok, roles=ADMIN, **options)

    code, number, username = path_param("code", {"type": "string"}), path_param("number", ID), path_param("username", {"type": "string"})
    clip_key = path_param("key", {"type": "string"})
    service = ref("AdminService")
    return {
        "/admin/services": {
            "get": admin("Fields, services and counters", obj(["fields", "services", "counters"])),
            "post": admin("Add a service", service, status=201, errors=(409,),
                          body=closed(["code", "prefix", "name", "field"], code=text("service_code"), **SERVICE_FIELDS))},
        "/admin/services/{code}": {"post": admin("Change a service", service, errors=(404, 409), params=[code],
                                                 body=closed(**SERVICE_FIELDS))},
        "/admin/fields": {"post": admin("Create or rename a field", obj(["code", "name"]), errors=(409,),
                                        body=closed(["code", "name"], code=text("field_code"), name=text("field_name")))},
        "/admin/counters": {
            "get": admin("Counters", obj(["counters"], counters={"type": "array", "items": ref("AdminCounter")})),
            "post": admin("Add a counter", ref("AdminCounter"), status=201, errors=(409,), body=closed(
                ["number", "name", "services"], number=COUNTER_NUMBER, name=text("counter_name"),
                services=listing(text("service_code"))))},
        "/admin/counters/{number}": {"post": admin("Change a counter", ref("AdminCounter"), errors=(404, 409),
                                                   params=[number], body=closed(
            name=text("counter_name"), services=listing(text("service_code")), active={"type": "boolean"}))},
        "/admin/officers": {
            "get": admin("Accounts", obj(["officers", "roles"], officers={"type": "array", "items": ref("Account")},
                                         roles=CHOICES)),
            "post": admin("Add an account (its password must be changed at first login)", ref("Account"), status=201,
                          errors=(409,), body=closed(["username", "name", "password"], username=text("username"),
                                                     password=text("password"), **OFFICER_FIELDS))},
        "/admin/officers/{username}": {"post": admin(
            "Change an account; deactivating ends its sessions", ref("Account"), errors=(404, 409), params=[username],
            body=closed(active={"type": "boolean"}, **OFFICER_FIELDS))},
        "/admin/officers/{username}/photo": {"post": admin(
            "Upload the account's photo: JPEG, PNG or WebP, at most 5 MB", ref("Account"), errors=(404,), params=[username],
            body_content={"multipart/form-data": {"schema": obj(["photo"], photo={"type": "string", "format": "binary"})}})},
        "/admin/officers/{username}/reset-password": {"post": admin(
            "A temporary password, shown once", obj(["username", "password"]), errors=(404,), params=[username],
            body=closed())},
        "/admin/devices": {
            "get": admin("Registered devices", obj(["devices", "kinds"], devices={"type": "array", "items": ref("Device")},
                                                   kinds=CHOICES)),
            "post": admin("Register a device; its token is shown once", ref("Device"), status=201, errors=(409,),
                          body=closed(["id", "kind", "name"], id=text("device_id"), name=text("device_name"),
                                      kind={"enum": DEVICE_KINDS}, counter=COUNTER_NUMBER))},
        "/admin/devices/{device_id}/revoke": {"post": admin(
            "Revoke a device's token", obj(["id", "revoked"]), errors=(404,),
            params=[path_param("device_id", {"type": "string"})], body=closed())},
        "/admin/settings": {"get": admin("The center's editable settings", obj(["settings"]))},
        "/admin/settings/{key}": {"post": admin(
            "Change one setting", {"type": "object"}, params=[path_param("key", {"enum": list(SETTING_VALUES)})],
            body=closed(["value"], value={"anyOf": list(SETTING_VALUES.values())}))},
        "/admin/notify": {"get": admin(
            "The notices' settings in force, what the environment sets over them (a token only as set or not), and "
            "every notice text with its length in SMS parts", obj(["settings", "environment", "channel", "kinds"]))},
        "/admin/audit": {"get": admin("The audit log, newest first", obj(["entries"], entries={"type": "array"}),
                                      errors=(400,), params=[query_param("limit", {"type": "integer", "minimum": 1,
                                                                               "maximum": 1000})])},
        "/admin/hub": {
            "get": admin("The link to the province hub (never its token) and its state", obj(["link", "status"])),
            "post": admin("Set the link to the province hub", obj(["link", "status"]), body=closed(
                url={"type": "string", "maxLength": 2000}, token={"type": "string", "maxLength": 200},
                batch_max={"type": "integer", "minimum": 1, "maximum": 5000},
                batch_ms={"type": "integer", "minimum": 0, "maximum": 60000}))},
        "/admin/backups": {
            "get": admin("Backups", obj(["backups", "keep_days"], backups={"type": "array"}, keep_days={"type": "integer"})),
            "post": admin("Back up the live database now", obj(["name", "size"]), status=201, body=closed())},
        "/admin/backups/{name}": {"get": admin(
            "Download a backup", None, errors=(404,), params=[path_param("name", {"type": "string"})],
            content={"application/vnd.sqlite3": {"schema": {"type": "string", "format": "binary"}}})},
        "/admin/restore": {"post": admin(
            "Restore a backup by name, or an uploaded one", obj(["restored", "saved_before"], voice_pack_restored={"type": "boolean"}), errors=(404,),
            body_content={JSON: {"schema": closed(["name"], name={"type": "string"})},
                          "multipart/form-data": {"schema": obj(["file"], file={"type": "string", "format": "binary"})}})},
        "/admin/voice-pack": {"get": admin("The recorded voice: every clip the center's calls need, recorded or not",
                                           ref("VoicePack"))},
        "/admin/voice-pack/clips/{key}": {
            "put": admin("Record a clip from a WAV file (any common rate, mono or stereo, PCM): stored trimmed, "
                         "normalised and resampled", ref("VoiceClip"), errors=(404,), params=[clip_key],
                         body_content={"audio/wav": {"schema": {"type": "string", "format": "binary"}}}),
            "delete": admin("Forget a clip's recording", obj(["key", "recorded"]), errors=(404,), params=[clip_key]),
            "get": admin("A recorded clip's WAV, to listen to", None, errors=(404,), params=[clip_key],
                         content={"audio/wav": {"schema": {"type": "string", "format": "binary"}}})},
        "/admin/voice-pack/preview": {"post": admin(
            "Nghe thử: the call of a number to a counter as the hall would hear it now (recorded pack or engine)",
            obj(["text", "voice", "missing", "audio_url", "chime_included"], text={"type": "string"},
                voice={"enum": ["pack", "engine"]}, audio_url={"type": "string"}, chime_included={"type": "boolean"},
                missing={"type": "array", "items": obj(["key", "text"], key={"type": "string"}, text={"type": "string"})},
                shown=SHOWN),
            errors=(409,), body=closed(["number", "counter"], number=text("ticket_label"),
                                       counter={"type": "integer", "minimum": 1, "maximum": 9999}))},
        "/admin/voice-pack/export": {"get": admin(
            "The whole pack as a zip (manifest.json and one WAV per clip)", None,
            content={"application/zip": {"schema": {"type": "string", "format": "binary"}}})},
        "/admin/voice-pack/import": {"post": admin(
            "Replace the pack by an exported zip", ref("VoicePack"),
            body_content={"multipart/form-data": {"schema": obj(["file"], file={"type": "string", "format": "binary"})}})},
    }


def openapi_document(title: str, description: str, paths: dict, *, schemas: dict, security_schemes: dict) -> dict:
    """An OpenAPI 3.1 document of ``paths`` under /api/v1 (a center's, or the province hub's)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1", "description": description},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": security_schemes},
    }


@functools.cache
def document() -> dict:
    """The whole OpenAPI 3.1 document (built once; it depends on nothing at run time)."""
    paths = {}
    for part in (_auth(), _tickets(), _appointments(), _dossiers(), _counters(), _ratings(), _reports(), _admin()):
        paths.update(part)
    return openapi_document(
        "LấySố API", "Queue management and satisfaction rating for a public administrative service center. "
                     "The readable guide is docs/api.md; errors are always {error, message}.",
        paths, schemas=SCHEMAS, security_schemes={
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "a login token (POST /auth/login) or a registered device's token"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "the pages' session cookie; a write must also send X-CSRF-Token"},
        })
