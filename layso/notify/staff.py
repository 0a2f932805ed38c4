"""What staff see of the notices: the list with statuses (phone masked, always), the
dashboard's alert when notices are stuck, and the citizen's "no more messages"."""

import time
from datetime import datetime

from layso.clock import iso
from layso.errors import InvalidInput
from layso.notify.config import effective
from layso.notify.texts import KIND_WORDS, with_base
from layso.phone import mask_phone
from layso.store.center import get_setting
from layso.store.db import write
from layso.store.notices import STATUSES, counts_by_status, list_notices, oldest_unsent_ts, opt_out, opted_out

# status → (Vietnamese, English): the words the staff page shows
STATUS_WORDS = {"pending": ("Đang chờ gửi", "Waiting to be sent"), "sent": ("Đã gửi", "Sent"),
                "failed": ("Không gửi được", "Failed"), "cancelled": ("Đã hủy (không nhận tin)", "Cancelled (opted out)")}
MAX_LISTED = 500


def notice_view(row: dict, *, public_url: str, english: bool) -> dict:
    """One notice as staff see it: the phone masked, the text as it was sent."""
    return {
        "id": row["id"], "kind": row["kind"], "kind_words": KIND_WORDS[row["kind"]][english],
        "phone_masked": mask_phone(row["phone"]),
        "text": with_base(row["text"], public_url), "status": row["status"],
        "status_words": STATUS_WORDS[row["status"]][english], "channel": row["channel"], "attempts": row["attempts"],
        "created_at": row["created_at"], "sent_at": row["sent_at"], "last_error": row["last_error"],
        "ticket": row["ticket"], "dossier": row["dossier"],
    }


def staff_notices(db, *, status=None, limit=100, before=None, public_url: str = "", english: bool = False) -> dict:
    """{notices: newest first, counts: by status}. Raises InvalidInput for an unknown status."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"'status' phải là một trong: {', '.join(STATUSES)}.",
                           message_en=f"'status' must be one of: {', '.join(STATUSES)}.")
    rows = list_notices(db, status=status, limit=min(limit, MAX_LISTED), before_id=before)
    return {"notices": [notice_view(row, public_url=public_url, english=english) for row in rows],
            "counts": counts_by_status(db)}


def stuck_alert(db, *, now_ts: float | None = None) -> dict | None:
    """The dashboard's alert when the oldest notice not yet sent was written longer than
    ``[notify] alert_after_s`` ago (a gateway down, a wrong token): None otherwise."""
    oldest = oldest_unsent_ts(db)
    if oldest is None:
        return None
    age_s = (time.time() if now_ts is None else now_ts) - oldest
    if age_s <= effective(get_setting(db, "notify"), {})["alert_after_s"]:
        return None
    return {"kind": "notices_unsent", "level": "warning", "age_s": round(age_s), "pending": counts_by_status(db)["pending"]}


def stop_messages(db, ticket: dict, *, now: datetime) -> int:
    """The citizen's "Không nhận tin nhắn nữa" on their status page: no more notices for
    this ticket, the pending ones cancelled; how many were cancelled."""
    with write(db):
        return opt_out(db, ticket["id"], at=iso(now))


def messages_stopped(db, ticket_id: int) -> bool:
    return opted_out(db, ticket_id)
