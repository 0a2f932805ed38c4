"""Dossier status (tình trạng hồ sơ), as the center's one-stop software reports it.

The one-stop software (Hệ thống thông tin giải quyết TTHC) is another program: a device
of kind ``integration`` puts each change with ``PUT /api/v1/dossiers/<code>``. The first
put creates the dossier; every change of status — the first included — notifies the phone
attached (``dossier_<status>``, written with the change). Putting the same thing again
changes nothing and sends nothing. An officer may attach the citizen's phone (with
consent) to a dossier code at the counter. Staff see the dossier whole with its history,
the phone masked; the public look-up (kiosk, phone) only its status, dates and what to
do next — never a name, a phone or the free status text.
"""

import re
import string
from datetime import date, datetime

from layso.clock import iso
from layso.errors import InvalidInput, NotFound
from layso.events import Outcome
from layso.inputs import text
from layso.notify.notices import queue_notice
from layso.phone import checked_phone, mask_phone
from layso.reports import formats
from layso.store.db import write
from layso.store.dossiers import add_history, dossier_history, load_dossier, save_dossier

# status → (Vietnamese, English, what to do next in Vietnamese, in English). The words the
# kiosk, the phone page and staff screens show: worded here only.
STATUSES = {
    "received": ("Đã tiếp nhận", "Received",
                 "Hồ sơ đang chờ giải quyết. Bạn sẽ nhận tin nhắn khi có kết quả.",
                 "Your dossier is waiting to be processed. You will get a message when the result is ready."),
    "processing": ("Đang giải quyết", "In progress",
                   "Hồ sơ đang được giải quyết. Bạn chưa cần làm gì thêm.",
                   "Your dossier is being processed. Nothing more is needed from you for now."),
    "needs_more": ("Cần bổ sung", "More documents needed",
                   "Xin mang giấy tờ cần bổ sung đến quầy tiếp nhận, kèm giấy hẹn.",
                   "Please bring the missing documents to the reception counter, with your receipt."),
    "ready": ("Có kết quả", "Result ready",
              "Mời bạn đến quầy trả kết quả, mang theo giấy hẹn và giấy tờ tùy thân.",
              "Please come to the results counter with your receipt and an identity document."),
    "returned": ("Đã trả kết quả", "Result returned",
                 "Hồ sơ đã hoàn tất. Cảm ơn bạn.", "Your dossier is complete. Thank you."),
    "overdue_apology": ("Xin lỗi, gia hạn", "Delayed — we apologise",
                        "Trung tâm xin lỗi vì hồ sơ trễ hẹn. Ngày hẹn trả mới ở trên.",
                        "We apologise for the delay. The new due date is shown above."),
}
# A dossier code: ASCII only (it is typed on the kiosk's keypad, scanned, and a URL segment).
CODE_SYMBOLS = "._-"
CODE_MAX_LENGTH = 64
CODE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9{re.escape(CODE_SYMBOLS)}]{{0,{CODE_MAX_LENGTH - 1}}}")
CODE_KEYS = string.digits + string.ascii_uppercase + CODE_SYMBOLS  # the kiosk keypad's keys (stored upper case)
FIELDS = ("status", "status_text", "phone", "due_date", "service")


def dossier_code(value) -> str:
    """The code as stored (upper case); NotFound for anything no dossier can be called."""
    if not isinstance(value, str) or not CODE.fullmatch(value.strip()):
        raise NotFound("Không tìm thấy hồ sơ này. Xin kiểm tra lại mã hồ sơ trên giấy hẹn.",
                       message_en="No dossier with this code. Please check the code on your receipt.")
    return value.strip().upper()


def _due_date(value) -> str | None:
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None or not 2000 <= parsed.year <= 2999:
        raise InvalidInput("'due_date' phải là một ngày dạng YYYY-MM-DD.", message_en="'due_date' must be a date, YYYY-MM-DD.")
    return parsed.isoformat()


def _checked(body: dict) -> dict:
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"Không có trường '{unknown[0]}'.", message_en=f"No field '{unknown[0]}'.")
    if not isinstance(body.get("status"), str) or body["status"] not in STATUSES:
        raise InvalidInput(f"'status' phải là một trong: {', '.join(STATUSES)}.",
                           message_en=f"'status' must be one of: {', '.join(STATUSES)}.")
    changes = {"status": body["status"]}
    if "status_text" in body:
        changes["status_text"] = text(body["status_text"], "dossier_status_text", name="status_text", required=False)
    if "due_date" in body:
        changes["due_date"] = _due_date(body["due_date"])
    if "service" in body:
        changes["service"] = text(body["service"], "dossier_service", name="service", required=False)
    if body.get("phone") is not None:
        changes["phone"] = checked_phone(body["phone"])
    elif "phone" in body:
        changes["phone"] = None  # the citizen withdrew consent: the number goes
    return changes


def put_dossier(db, code, body: dict, *, by: str, now: datetime) -> Outcome:
    """Create or change a dossier; the value is (its staff view, whether it was created).
    Every change is a line of history; a change of status notifies the phone attached."""
    code = dossier_code(code)
    changes = _checked(body)
    with write(db):
        outcome = _change(db, code, changes, by=by, now=now)
    return outcome


def _change(db, code: str, changes: dict, *, by: str | None, now: datetime, ticket=None) -> Outcome:
    old = load_dossier(db, code)
    created = old is None
    dossier = dict(old or {"code": code, "status_text": None, "phone": None, "due_date": None, "service": None,
                           "ticket": None, "created_at": iso(now)})
    dossier.update(changes)
    if ticket is not None:
        dossier["ticket"] = ticket
    if not created and all(dossier[key] == old[key] for key in (*FIELDS, "ticket")):
        return Outcome((staff_view(db, old), False))  # the same put again: nothing changes, nothing is sent
    dossier["updated_at"] = iso(now)
    save_dossier(db, dossier, created=created)
    line = add_history(db, code, status=dossier["status"], status_text=dossier["status_text"],
                       due_date=dossier["due_date"], at=iso(now), by=by)
    if (created or dossier["status"] != old["status"]) and dossier["phone"]:
        _notify(db, dossier, cause=line, now=now)
    return Outcome((staff_view(db, load_dossier(db, code)), created))


def _notify(db, dossier: dict, *, cause: int, now: datetime) -> None:
    due = dossier["due_date"]
    values = {"code": dossier["code"], "status": STATUSES[dossier["status"]][0],
              "due_date": date.fromisoformat(due).strftime("%d/%m/%Y") if due else "—"}
    queue_notice(db, kind=f"dossier_{dossier['status']}", phone=dossier["phone"], values=values,
                 dedupe=f"dossier:{dossier['code']}:{cause}", now=now, dossier=dossier["code"])


def attach_phone(db, code, phone, *, ticket: int, officer: str, now: datetime) -> dict:
    """At the counter, inside the caller's transaction: the citizen's phone (given with
    consent) for the dossier received on ``ticket``. A dossier not yet reported is created
    ``received`` (and the citizen is told so); the one-stop software's reports follow."""
    code = dossier_code(code)
    changes = {"phone": checked_phone(phone)}
    if load_dossier(db, code) is None:
        changes["status"] = "received"
    return _change(db, code, changes, by=officer, now=now, ticket=ticket).value[0]


def words(status: str, english: bool) -> tuple[str, str]:
    """(the status in words, what to do next) in the page's language."""
    vi, en, next_vi, next_en = STATUSES[status]
    return (en, next_en) if english else (vi, next_vi)


def staff_view(db, dossier: dict, *, english: bool = False) -> dict:
    status_words, next_step = words(dossier["status"], english)
    return {
        "code": dossier["code"], "status": dossier["status"], "status_words": status_words, "next_step": next_step,
        "status_text": dossier["status_text"], "phone_masked": mask_phone(dossier["phone"]) or None,
        "due_date": dossier["due_date"], "service": dossier["service"], "ticket": dossier["ticket"],
        "created_at": dossier["created_at"], "updated_at": dossier["updated_at"],
        "history": dossier_history(db, dossier["code"]),
    }


def _existing(db, code) -> dict:
    dossier = load_dossier(db, dossier_code(code))
    if dossier is None:
        dossier_code(None)  # the one NotFound, whether the code is malformed or unknown
    return dossier


def get_dossier(db, code, *, english: bool = False) -> dict:
    """The staff view; NotFound."""
    dossier = _existing(db, code)
    return staff_view(db, dossier, english=english)


def public_dossier(db, code, *, english: bool = False) -> dict:
    """What anyone holding the code may see: status, dates, what to do next."""
    dossier = _existing(db, code)
    status_words, next_step = words(dossier["status"], english)
    return {"code": dossier["code"], "status": dossier["status"], "status_words": status_words,
            "next_step": next_step, "received_on": dossier["created_at"][:10], "updated_at": dossier["updated_at"],
            "due_date": dossier["due_date"],
            # as people read them (layso.reports.formats): the kiosk writes no date itself
            "shown": {"received_on": formats.day(dossier["created_at"][:10]), "updated_at": formats.moment(dossier["updated_at"]),
                      "due_date": formats.day(dossier["due_date"]) if dossier["due_date"] else None}}
