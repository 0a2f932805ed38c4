"""A ticket's day for the staff (tra cứu số): finding today's tickets by number or dossier
code, their audit trail in words, and reprints — who may ask for one, and its trail line.

The words for statuses and trail lines are made here, once, for every screen that shows
them (the console's and the dashboard's look-up).
"""

import json
import re
import unicodedata
from datetime import datetime

from layso.clock import local_day
from layso.errors import Forbidden, InvalidInput
from layso.queue.tickets import OPEN_STATUSES, load_ticket, log_event, ticket_object
from layso.store.db import write

MAX_QUERY = 64
MAX_FOUND = 20
# "A15", "a 015", "Ａ０１５": a prefix of one or two letters, then the daily sequence number.
NUMBER = re.compile(r"([A-Z]{1,2})\s*0*(\d{1,9})")

STATUS_WORDS = {
    "waiting": ("Đang chờ", "Waiting"),
    "called": ("Đang phục vụ", "Being served"),
    "held": ("Tạm giữ", "On hold"),
    "finished": ("Đã phục vụ xong", "Served"),
    "no_show": ("Vắng mặt", "No-show"),
    "expired": ("Hết hiệu lực (qua ngày)", "Expired (day over)"),
    "cancelled": ("Đã hủy", "Cancelled"),
}


def find_tickets(db, query, *, day: str) -> list[dict]:
    """Tickets of ``day`` whose number (``A015``, also typed ``a15``) or dossier code is
    ``query``, each with its trail. Raises InvalidInput for an empty or overlong query."""
    if not isinstance(query, str) or not query.strip() or len(query) > MAX_QUERY:
        raise InvalidInput(f"Nhập số thứ tự hoặc mã hồ sơ (tối đa {MAX_QUERY} ký tự).",
                           message_en=f"Enter a ticket number or a dossier code (at most {MAX_QUERY} characters).")
    typed = unicodedata.normalize("NFKC", query).strip().upper()
    number = NUMBER.fullmatch(typed)
    prefix, seq = (number.group(1), int(number.group(2))) if number else (None, None)
    rows = db.execute(
        "SELECT id FROM tickets WHERE day = ? AND (number = ? OR UPPER(dossier_code) = ? "
        "OR (seq = ? AND RTRIM(number, '0123456789') = ?)) ORDER BY id LIMIT ?",
        [day, typed, typed, seq, prefix, MAX_FOUND],
    ).fetchall()
    return [ticket_history(db, ticket_id) for (ticket_id,) in rows]


def ticket_history(db, ticket_id: int) -> dict:
    """The ticket object (without its status link) with its dossier code and its trail,
    oldest first: {at, action, counter, officer, officer_name, service, detail}."""
    row = load_ticket(db, ticket_id)
    ticket = {key: value for key, value in ticket_object(db, row).items() if key not in ("status_url", "status_token")}
    names = dict(db.execute("SELECT username, name FROM users").fetchall())
    events = [
        {"at": at, "action": action, "counter": counter, "officer": officer, "officer_name": names.get(officer),
         "service": service, "detail": json.loads(detail) if detail else {}}
        for at, action, counter, officer, service, detail in db.execute(
            "SELECT at, action, counter, officer, service, detail FROM ticket_events WHERE ticket = ? ORDER BY id",
            [ticket_id],
        )
    ]
    return ticket | {"dossier_code": row["dossier_code"], "events": events}


def in_words(ticket: dict, *, services: dict, english: bool = False) -> dict:
    """The ticket with ``status_text`` and each trail line's ``text`` in Vietnamese (or English)."""
    pick = 1 if english else 0
    return ticket | {
        "status_text": STATUS_WORDS.get(ticket["status"], (ticket["status"],) * 2)[pick],
        "events": [event | {"text": _line(event, services, english)} for event in ticket["events"]],
    }


def _line(event: dict, services: dict, english: bool) -> str:
    """One trail line in words: what happened, where and by whom, then a transfer's note."""
    detail, counter, pick = event["detail"], event["counter"], 1 if english else 0
    words = {
        "issued": ("Lấy số", "Number taken") if not detail.get("kiosk") else
                  (f"Lấy số tại kiosk {detail['kiosk']}", f"Number taken at kiosk {detail['kiosk']}"),
        "called": ("Được gọi", "Called"),
        "recalled": ("Gọi lại", "Called again"),
        "held": ("Tạm giữ", "Put on hold"),
        "no_show": ("Vắng mặt", "Did not come"),
        "finished": ("Phục vụ xong", "Served"),
        "cancelled": ("Hủy số", "Ticket cancelled"),
        "expired": ("Hết hiệu lực khi qua ngày", "Expired at the end of the day"),
        "dossier": (f"Ghi mã hồ sơ {detail.get('code', '')}", f"Dossier code {detail.get('code', '')} recorded"),
        "print_printed": ("Đã in phiếu", "Ticket printed"),
        "print_failed": (f"In phiếu lỗi ({detail.get('error')})", f"Printing failed ({detail.get('error')})"),
        "reprinted": (f"In lại phiếu ở kiosk {detail.get('kiosk')}", f"Reprinted at kiosk {detail.get('kiosk')}"),
        "transferred": _transfer_words(detail, services),
    }.get(event["action"], (event["action"], event["action"]))[pick]
    if counter:
        where = (("from", "từ") if event["action"] == "transferred" else ("at", "tại"))[1 - pick]
        words += f" {where} {('counter' if english else 'quầy')} {counter}"
        if event["officer_name"]:
            words += f" ({event['officer_name']})"
    if detail.get("note"):
        words += (" — note: " if english else " — ghi chú: ") + detail["note"]
    return words


def _transfer_words(detail: dict, services: dict) -> tuple[str, str]:
    if detail.get("reason") == "counter_closed":
        return "Trở lại hàng chờ khi quầy đóng", "Back in the queue as the counter closed"
    if detail.get("target_counter"):
        vi, en = f"Chuyển sang quầy {detail['target_counter']}", f"Transferred to counter {detail['target_counter']}"
        return (vi + " (bắt buộc)", en + " (forced)") if detail.get("forced") else (vi, en)
    name = services.get(detail.get("service"), detail.get("service"))
    return f"Chuyển sang dịch vụ {name}", f"Transferred to {name}"


def check_reprint(ticket: dict, *, role: str, now: datetime) -> None:
    """Managers and admins may reprint any ticket. An officer only today's tickets still in
    play (waiting, at a counter, on hold): a citizen who lost the paper or whose print
    failed — not a served ticket printed again. Raises Forbidden."""
    if role in ("manager", "admin"):
        return
    if role != "officer" or ticket["day"] != local_day(now) or ticket["status"] not in OPEN_STATUSES:
        raise Forbidden("Cán bộ chỉ in lại được số của hôm nay còn đang chờ, đang phục vụ hoặc tạm giữ.",
                        message_en="Officers may reprint only today's tickets that are waiting, being served or on hold.")


def record_reprint(db, ticket_id: int, *, by: str, kiosk: str, job: str, now: datetime) -> None:
    """Write the reprint in the ticket's trail (who, on which kiosk)."""
    with write(db):
        log_event(db, load_ticket(db, ticket_id), "reprinted", now=now, officer=by, kiosk=kiosk, job=job)
