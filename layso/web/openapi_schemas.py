"""The JSON Schemas of the OpenAPI document (layso/web/openapi.py): every object the API
answers with, and the bodies it accepts. Limits come from layso/inputs.py, so the document
and the server never disagree on a maximum length or a range."""

from layso.inputs import FIRST_YEAR, LAST_YEAR, MAX_INTEGER, MAX_LIST_ITEMS, TEXT_LIMITS
from layso.notify.config import LIMITS as NOTIFY_LIMITS, WHOLE as NOTIFY_WHOLE
from layso.settings import PHOTO_PATH

ID = {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER}
COUNTER_NUMBER = {"type": "integer", "minimum": 1, "maximum": 999}
TIME = {"type": "string", "format": "date-time", "description": "ISO 8601 with the center's offset (+07:00)"}
DAY = {"type": "string", "format": "date"}
SECONDS = {"type": ["number", "null"], "minimum": 0}
YEARS = f"years {FIRST_YEAR} to {LAST_YEAR}"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def null(schema: dict) -> dict:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def obj(required=(), **properties) -> dict:
    """An object with these properties, the ``required`` ones always present (more may
    come: clients ignore what they do not know)."""
    return {"type": "object", "required": list(required), "properties": properties}


def closed(required=(), **properties) -> dict:
    """A request body: only these properties (the server refuses unknown fields)."""
    return obj(required, **properties) | {"additionalProperties": False}


def text(field: str, **extra) -> dict:
    """A free text within its limit (docs/api.md, "Limits")."""
    return {"type": "string", "minLength": 1, "maxLength": TEXT_LIMITS[field]} | extra


def listing(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, "maxItems": MAX_LIST_ITEMS} | extra


def _strings():
    return {"type": "array", "items": {"type": "string"}}


TICKET_STATUSES = ["waiting", "called", "held", "finished", "no_show", "expired", "cancelled"]
COUNTER_STATUSES = ["serving", "idle", "paused", "closed"]
ROLES = ["officer", "manager", "admin"]

PUBLIC_TICKET = obj(
    ["id", "number", "service", "service_name", "status", "priority", "ahead", "estimated_wait_s", "issued_at",
     "called_at", "finished_at", "counter", "transferred", "kiosk", "print_status", "channel"],
    id=ID, number={"type": "string", "description": "the label printed and spoken, e.g. A015"},
    service={"type": "string"}, service_name={"type": "string"},
    status={"enum": TICKET_STATUSES}, priority={"type": "boolean"},
    priority_reason={"type": ["string", "null"], "description": "the citizen's priority group: in staff answers only"},
    ahead={"type": "integer", "minimum": 0}, estimated_wait_s=SECONDS,
    issued_at=TIME, called_at=null(TIME), finished_at=null(TIME), counter=null(COUNTER_NUMBER),
    transferred={"type": "boolean"}, kiosk={"type": ["string", "null"]}, print_status={"type": ["string", "null"]},
    channel={"enum": ["kiosk", "remote", "appointment"],
             "description": "where the ticket came from: the kiosk, a phone (/lay-so), a booking checked in"},
    phone_masked={"type": ["string", "null"], "description": "a remote ticket's phone, masked (09xx xxx 678): "
                                                             "in staff answers only"},
)
WAIT_TEXT = {"type": "string", "description": "estimated_wait_s in words, in the request's language, as on the "
                                            "printed ticket (layso/wording.py)"}
TICKET = {"allOf": [ref("PublicTicket"), obj(["status_url"], status_url={
    "type": "string", "description": "the citizen's unguessable status link; never broadcast"},
    estimated_wait_text=WAIT_TEXT)]}
FOUND_TICKET = {"allOf": [ref("PublicTicket"), obj(
    ["dossier_code", "status_text", "events"], dossier_code={"type": ["string", "null"]},
    status_text={"type": "string", "description": "the status in words, in the request's language"},
    events={"type": "array", "items": obj(
        ["at", "action", "counter", "officer", "officer_name", "service", "detail", "text"], at=TIME,
        action={"type": "string"}, counter=null(COUNTER_NUMBER), officer={"type": ["string", "null"]},
        officer_name={"type": ["string", "null"]}, service={"type": "string"}, detail={"type": "object"},
        text={"type": "string", "description": "the step in words, in the request's language"})})]}
OFFICER = obj(["username", "name"], username={"type": "string"}, name={"type": "string"},
              title={"type": ["string", "null"]}, photo={"type": ["string", "null"]})
COUNTER = obj(
    ["number", "name", "services", "status", "status_text", "officer", "current_ticket", "paused_reason", "updated_at"],
    number=COUNTER_NUMBER, name={"type": "string"}, services=_strings() | {"description": "codes in preference order"},
    status={"enum": COUNTER_STATUSES},
    status_text={"type": "string", "description": "the status in the words every screen uses (Vietnamese)"}, officer=null(ref("Officer")), current_ticket=null(ref("PublicTicket")),
    paused_reason={"type": ["string", "null"]}, updated_at=null(TIME),
)
SERVICE = obj(
    ["code", "prefix", "name", "group", "waiting", "estimated_wait_s", "open"],
    code={"type": "string"}, prefix={"type": "string"}, name={"type": "string"}, group={"type": ["string", "null"]},
    group_name={"type": ["string", "null"]}, procedures=_strings(), waiting={"type": "integer", "minimum": 0},
    estimated_wait_s=SECONDS, estimated_wait_text=WAIT_TEXT | {"description": "GET /api/v1/services only: "
                                                                + WAIT_TEXT["description"]},
    open={"type": "boolean"}, closed_reason={"type": "string"}, wait_target_s={"type": ["integer", "null"]},
)
LEVEL = obj(["id", "label"], id={"type": "string"}, label={"type": "string"}, satisfied={"type": "boolean"},
            points={"type": "integer"}, requires_reason={"type": "boolean"})
SUMMARY_ROW = obj(
    ["key", "issued", "served", "no_show", "transferred", "avg_wait_s", "p90_wait_s", "avg_service_s",
     "p90_service_s", "ratings", "not_rated", "satisfied_pct"],
    key={"type": ["string", "integer"]}, issued={"type": "integer"}, served={"type": "integer"},
    no_show={"type": "integer"}, transferred={"type": "integer"}, avg_wait_s=SECONDS, p90_wait_s=SECONDS,
    avg_service_s=SECONDS, p90_service_s=SECONDS,
    ratings={"type": "object", "additionalProperties": {"type": "integer"}, "description": "level id → count"},
    not_rated={"type": "integer"}, satisfied_pct={"type": ["number", "null"]},
    name={"type": "string", "description": "the officer's, counter's or service's name; a day's weekday"},
)
REPORT_TABLE = obj(
    ["columns", "rows", "totals"],
    columns={"type": "array", "items": obj(["key", "title", "kind"], key={"type": "string"}, title={"type": "string"},
                                           kind={"enum": ["text", "count", "duration", "percent", "decimal", "rank"]})},
    rows={"type": "array", "items": _strings()}, totals=null(_strings()),
)
SHOWN = {"type": "object", "additionalProperties": {"type": "string"},
         "description": "the figures beside it as people read them, in the request's language"}
DEVICE_KINDS = ["kiosk", "display", "tablet", "integration"]
DEVICE = obj(["id", "kind", "name", "counter"], id={"type": "string"}, kind={"enum": DEVICE_KINDS},
             name={"type": "string"}, counter=null(COUNTER_NUMBER), revoked={"type": "boolean"},
             last_seen={"type": ["string", "null"]}, token={"type": "string", "description": "shown once, at registration"},
             shown=SHOWN)
ACCOUNT = obj(["username", "name", "role", "active"], username={"type": "string"}, name={"type": "string"},
              title={"type": ["string", "null"]}, photo={"type": ["string", "null"]}, role={"enum": ROLES},
              active={"type": "boolean"}, must_change_password={"type": "boolean"}, shown=SHOWN)
CHOICES = {"type": "array", "items": obj(["id", "label"], id={"type": "string"}, label={"type": "string"}),
           "description": "codes and their words in the request's language"}
ADMIN_SERVICE = obj(["code", "prefix", "name", "field", "active"], code={"type": "string"}, prefix={"type": "string"},
                    name={"type": "string"}, field={"type": "string"}, procedures=_strings(),
                    active={"type": "boolean"}, closed_reason={"type": ["string", "null"]})
ADMIN_COUNTER = obj(["number", "name", "services", "active"], number=COUNTER_NUMBER, name={"type": "string"},
                    services=_strings(), active={"type": "boolean"}, officer={"type": ["string", "null"]},
                    status={"enum": COUNTER_STATUSES})
VOICE_CLIP = obj(["key", "text", "recorded", "duration_s"], key={"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,79}$"},
                 text={"type": "string"}, recorded={"type": "boolean"}, duration_s={"type": ["number", "null"]},
                 group={"enum": ["chime", "phrase", "number", "letter"]},
                 optional={"type": "boolean", "description": "this center's reading never needs it"},
                 loudness_db={"type": "number"}, shown=SHOWN)
VOICE_PACK = obj(["clips", "complete"], clips={"type": "array", "items": ref("VoiceClip")},
                 complete={"type": "boolean", "description": "every clip that is not optional is recorded"},
                 missing={"type": "array", "items": {"type": "string"}, "description": "keys of the clips still needed"})

DOSSIER_STATUS = {"enum": ["received", "processing", "needs_more", "ready", "returned", "overdue_apology"]}
DOSSIER_WORDS = dict(status=DOSSIER_STATUS, status_words={"type": "string", "description": "the status in words, in the request's language"},
                     next_step={"type": "string", "description": "what the citizen does next"})
PUBLIC_DOSSIER = obj(["code", "status", "status_words", "next_step", "received_on", "updated_at", "due_date"],
                     code={"type": "string"}, received_on={"type": "string", "format": "date"},
                     updated_at={"type": "string"}, due_date={"type": ["string", "null"], "format": "date"},
                     shown=obj(["received_on", "updated_at", "due_date"], received_on={"type": "string"},
                               updated_at={"type": "string"}, due_date={"type": ["string", "null"]}),
                     **DOSSIER_WORDS)
DOSSIER = obj(["code", "status", "status_words", "next_step", "status_text", "phone_masked", "due_date", "service",
               "ticket", "created_at", "updated_at", "history"],
              code={"type": "string"}, status_text={"type": ["string", "null"]},
              phone_masked={"type": ["string", "null"], "description": "09xx xxx 678: never the whole number"},
              due_date={"type": ["string", "null"], "format": "date"}, service={"type": ["string", "null"]},
              ticket={"type": ["integer", "null"]}, created_at={"type": "string"}, updated_at={"type": "string"},
              history={"type": "array", "items": obj(["status", "at"], status=DOSSIER_STATUS,
                                                     status_text={"type": ["string", "null"]},
                                                     due_date={"type": ["string", "null"]}, at={"type": "string"},
                                                     by={"type": ["string", "null"]})},
              **DOSSIER_WORDS)

NOTICE = obj(["id", "kind", "kind_words", "phone_masked", "text", "status", "status_words", "channel", "attempts",
              "created_at", "sent_at", "last_error", "ticket", "dossier"],
             id={"type": "integer"}, kind={"type": "string"}, kind_words={"type": "string"},
             phone_masked={"type": "string", "description": "09xx xxx 678: never the whole number"},
             text={"type": "string"}, status={"enum": ["pending", "sent", "failed", "cancelled"]},
             status_words={"type": "string"}, channel={"type": ["string", "null"]}, attempts={"type": "integer"},
             created_at={"type": "string"}, sent_at={"type": ["string", "null"]}, last_error={"type": ["string", "null"]},
             ticket={"type": ["integer", "null"]}, dossier={"type": ["string", "null"]})
APPOINTMENT_STATUSES = ["booked", "checked_in", "cancelled", "no_show"]
APPOINTMENT = obj(
    ["code", "code_shown", "service", "service_name", "start", "end", "status", "manage_url", "check_in_from",
     "check_in_until", "ticket"],
    code={"type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{13}$",
          "description": "the booking's secret (65 bits): whoever has it may see, cancel, move and check in"},
    code_shown={"type": "string", "description": "the code in groups, as printed: ABCD-EFGH-JKMNP"},
    service={"type": "string"}, service_name={"type": "string"}, start=TIME, end=TIME,
    status={"enum": APPOINTMENT_STATUSES, "description": "no_show: booked, not checked in by the end of the grace time"},
    manage_url={"type": "string", "description": "the citizen's page of this booking (cancel, move), with the code"},
    check_in_from=TIME, check_in_until=TIME,
    ticket={"anyOf": [{"type": "null"}, obj(["number", "status", "status_url"], number={"type": "string"},
                                            status={"enum": TICKET_STATUSES}, status_url={"type": "string"})],
            "description": "the ticket once checked in"},
)
STAFF_APPOINTMENT = {"allOf": [{"$ref": "#/components/schemas/Appointment"}, obj(
    ["id", "name", "phone_masked", "booked_at", "checked_in_at", "cancelled_at", "cancelled_by", "ticket"],
    id=ID, name={"type": ["string", "null"]},
    phone_masked={"type": ["string", "null"], "description": "09xx xxx 678; null once erased"},
    booked_at=TIME, checked_in_at=null(TIME), cancelled_at=null(TIME),
    cancelled_by={"type": ["string", "null"], "description": "citizen, a staff username, or holiday"},
    ticket=null({"$ref": "#/components/schemas/PublicTicket"}))]}
SLOT_RULE = obj(["every_min", "capacity"], days={"type": "array", "items": {"enum": [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}},
    every_min={"type": "integer", "minimum": 5, "maximum": 1440}, capacity={"type": "integer", "minimum": 1, "maximum": 1000},
    **{"from": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}, "to": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}})

SCHEMAS = {
    "Notice": NOTICE,
    "Dossier": DOSSIER,
    "PublicDossier": PUBLIC_DOSSIER,
    "Error": obj(["error", "message"], error={"type": "string", "description": "machine code, e.g. invalid_input"},
                 message={"type": "string", "description": "for people: Vietnamese, or English with Accept-Language: en"}),
    "PublicTicket": PUBLIC_TICKET,
    "Ticket": TICKET,
    "FoundTicket": FOUND_TICKET,
    "IssuedTicket": {"allOf": [ref("Ticket"), obj(["print_job"], print_job={"type": ["string", "null"]})]},
    "Officer": OFFICER,
    "Counter": COUNTER,
    "CounterAnswer": obj(["counter"], counter=ref("Counter"), ticket=null(ref("Ticket"))),
    "Service": SERVICE,
    "State": obj(
        ["center", "day", "at", "announcement", "counters", "services", "calls"],
        center={"type": "string"}, day=DAY, at=TIME, announcement={"type": "string"},
        counters={"type": "array", "items": ref("Counter")}, services={"type": "array", "items": ref("Service")},
        calls={"type": "array", "items": obj(["number", "counter", "at"], number={"type": "string"},
                                             service={"type": "string"}, counter=COUNTER_NUMBER, at=TIME,
                                             recall={"type": "boolean"})},
    ),
    "Level": LEVEL,
    "SummaryRow": SUMMARY_ROW,
    "ReportTable": REPORT_TABLE,
    "Device": DEVICE,
    "Account": ACCOUNT,
    "AdminService": ADMIN_SERVICE,
    "AdminCounter": ADMIN_COUNTER,
    "VoiceClip": VOICE_CLIP,
    "VoicePack": VOICE_PACK,
    "Appointment": APPOINTMENT,
    "StaffAppointment": STAFF_APPOINTMENT,
    "Slot": obj(["start", "end", "capacity", "booked", "available"], start=TIME, end=TIME,
                capacity={"type": "integer", "minimum": 1}, booked={"type": "integer", "minimum": 0},
                available={"type": "integer", "minimum": 0, "description": "0 once started or inside the cut-off"}),
}

# Request bodies (what the server accepts, with the limits it enforces)
SERVICE_FIELDS = dict(
    prefix={"type": "string", "pattern": "^[A-Z]{1,2}$"}, name=text("service_name"), field=text("field_code"),
    procedures=listing(text("procedure")), number_digits={"type": "integer", "minimum": 1, "maximum": 6},
    daily_cap={"type": ["integer", "null"], "minimum": 1, "maximum": 100_000},
    wait_target_s={"type": ["integer", "null"], "minimum": 1, "maximum": 86_400},
    active={"type": "boolean"}, closed_reason={"type": ["string", "null"], "maxLength": TEXT_LIMITS["closed_reason"]},
)
OFFICER_FIELDS = dict(
    name=text("officer_name"), title={"type": ["string", "null"], "maxLength": TEXT_LIMITS["title"]},
    photo={"type": ["string", "null"], "pattern": f"^{PHOTO_PATH}$",
           "description": "null, or a photo uploaded to this server (POST /admin/officers/{username}/photo)"},
    role={"enum": ROLES},
)
# The remote limits a service may override (layso.queue.remote.DEFAULTS, docs/config.md [remote]).
_REMOTE_RULES = dict(
    enabled={"type": "boolean"}, per_phone_per_day={"type": "integer", "minimum": 0, "maximum": 86_400},
    cap_share={"type": "number", "minimum": 0, "maximum": 1},
    last_issue={"anyOf": [{"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, {"const": ""}, {"type": "null"}]},
    close_margin_min={"type": "integer", "minimum": 0, "maximum": 86_400},
    come_when_ahead={"type": "integer", "minimum": 0, "maximum": 86_400},
)
def _notify_number(key: str) -> dict:
    """A number of the notify setting with the range its check accepts (layso.notify.config.LIMITS)."""
    low, high = NOTIFY_LIMITS[key]
    return {"type": "integer" if key in NOTIFY_WHOLE else "number", "minimum": low, "maximum": high}


SETTING_VALUES = {
    "center_name": text("center_name"),
    "place": {"type": "string", "maxLength": TEXT_LIMITS["place"]},
    "announcement": {"type": "string", "maxLength": TEXT_LIMITS["announcement"]},
    "hours": obj(holidays=listing(DAY), **{day: _strings() for day in (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}),
    "voice": obj(template=text("voice_template"), speed={"type": "integer", "minimum": 80, "maximum": 450},
                 voice={"enum": ["vi", "vi-vn-x-central", "vi-vn-x-south"]},
                 part_pause_ms={"type": "integer", "minimum": 0, "maximum": 3000},
                 word_pause_ms={"type": "integer", "minimum": 0, "maximum": 1000},
                 crossfade_ms={"type": "integer", "minimum": 0, "maximum": 100}),
    "rating": obj(levels=listing(obj(["label"], id={"type": "string", "pattern": f"^[a-z0-9_]{{1,{TEXT_LIMITS['rating_id']}}}$",
                                                   "description": "absent for a new level: made from its label"},
                                     label=text("rating_label"), satisfied={"type": "boolean"},
                                     points={"type": "integer", "minimum": 0, "maximum": 10},
                                     requires_reason={"type": "boolean"}), minItems=1),
                  reasons=listing(obj(["label"], id=text("rating_id"), label=text("rating_label")))),
    "appointments": obj(
        horizon_days={"type": "integer", "minimum": 0, "maximum": 366},
        cutoff_min={"type": "integer", "minimum": 0, "maximum": 10080},
        check_in_before_min={"type": "integer", "minimum": 0, "maximum": 1440},
        grace_min={"type": "integer", "minimum": 0, "maximum": 1440},
        per_phone={"type": "integer", "minimum": 1, "maximum": 100},
        retention_days={"type": "integer", "minimum": 1, "maximum": 3650},
        ordering={"enum": ["appointment_first", "fifo"]},
        services={"type": "object", "description": "service code → its slot rules",
                  "additionalProperties": listing(SLOT_RULE)}),
    "notify": obj(channel={"enum": ["log", "sms", "zns"]},
                  near_ahead_by_service={"type": "object", "description": "service code → its own near_ahead",
                                         "additionalProperties": _notify_number("near_ahead")},
                  quiet_hours={"type": "string"}, reminder_day_before_at={"type": "string"},
                  **{key: _notify_number(key) for key in NOTIFY_LIMITS},
                  texts={"type": "object", "description": "kind → {vi, en}: each checked for its placeholders and SMS parts"}),
    "remote": closed(**_REMOTE_RULES, one_time_code={"type": "boolean"},
                     code_ttl_s={"type": "integer", "minimum": 0, "maximum": 86_400},
                     retention_days={"type": "integer", "minimum": 0, "maximum": 86_400},
                     services={"type": "object", "additionalProperties": closed(**_REMOTE_RULES)}),
}
