"""Writing notices to the outbox, inside the transaction of what they tell of.

:func:`queue_notice` words a notice (layso.notify.texts, the center's own wording first)
and adds it to the outbox in the caller's transaction: if that transaction rolls back,
the notice was never written; once it commits, the sender will deliver it even if the
server dies the next instant. A notice's ``dedupe`` key names its cause, so the same
cause never makes two notices.
"""

import secrets
import time
from datetime import datetime

from layso.clock import iso
from layso.notify.config import effective
from layso.notify.texts import word
from layso.phone import phone_kind
from layso.store.center import get_setting
from layso.store.notices import add_notice

# Reminders wait for the morning; what answers the citizen's own action never waits.
QUIET_KINDS = frozenset({"appointment_reminder"})


def quiet_wait_s(now: datetime, span: str) -> float:
    """Seconds until the quiet hours ``span`` (``21:00-07:00``, may cross midnight) end; 0
    outside them."""
    if not span:
        return 0.0
    start, end = (int(part[:2]) * 60 + int(part[3:]) for part in span.split("-"))
    minute = now.hour * 60 + now.minute
    inside = start <= minute < end if start <= end else (minute >= start or minute < end)
    if not inside:
        return 0.0
    left_min = (end - minute) % (24 * 60) or 24 * 60
    return max(0.0, left_min * 60 - now.second - now.microsecond / 1e6)


def queue_notice(db, *, kind: str, phone: str, values: dict, dedupe: str, now: datetime, ticket=None, dossier=None,
                 language: str = "vi", now_ts: float | None = None) -> bool:
    """Word a notice of ``kind`` with ``values`` and add it to the outbox, inside the
    caller's transaction. False (nothing written) when the phone cannot take an SMS or
    ``dedupe`` already made a notice."""
    if phone_kind(phone) != "mobile":
        return False
    config = effective(get_setting(db, "notify"), {})
    wait_s = quiet_wait_s(now, config["quiet_hours"]) if kind in QUIET_KINDS else 0.0
    now_ts = time.time() if now_ts is None else now_ts
    return add_notice(
        db, dedupe=dedupe, kind=kind, phone=phone, text=word(config["texts"], kind, values, language),
        data={key: value for key, value in values.items() if value is not None}, created_at=iso(now),
        created_ts=now_ts, not_before_ts=now_ts + wait_s, give_up_s=config["give_up_s"], ticket=ticket,
        dossier=dossier)


def send_one_time_code(db, phone: str, code: str, *, now: datetime, language: str = "vi") -> bool:
    """Text a one-time code (mã xác nhận) to ``phone`` (E.164) by SMS, inside the caller's
    transaction (the one that stores the code): the hook of remote number taking. Goes by
    the center's channel, by SMS when that is ZNS and an SMS gateway is set. False when the
    phone is not a mobile number."""
    return queue_notice(db, kind="otp", phone=phone, values={"code": code}, now=now, language=language,
                        dedupe=f"otp:{secrets.token_hex(8)}")
