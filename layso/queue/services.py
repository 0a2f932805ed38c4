"""Services (dịch vụ): the queues citizens pick at the kiosk, whether each is open now,
and the waiting figures shown beside it."""

import json
from datetime import datetime

from layso.clock import local_day
from layso.errors import UnknownService
from layso.queue.estimates import counters_serving, service_estimates
from layso.store.center import get_setting

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A queue no counter is set up to serve would never be called: no number is given for it.
# (Counters merely not opened yet do not close a service: citizens come before officers sit down.)
NOT_SERVED = "Chưa có quầy nào phục vụ dịch vụ này. Xin hỏi quầy hướng dẫn."


def get_service(db, code: str) -> dict:
    """The service row for ``code``; raises UnknownService for an unknown or inactive code."""
    if not isinstance(code, str):
        raise UnknownService()
    row = next(db.query("SELECT * FROM services WHERE code = ? AND active = 1", [code]), None)
    if row is None:
        raise UnknownService()
    return row


def closed_reason(service: dict, *, issued_today: int, hours: dict, now: datetime, served: bool) -> str | None:
    """Why citizens cannot take a number for this service now, in Vietnamese; None when open.
    ``served``: some active counter is set up to serve it (:func:`is_served`)."""
    if local_day(now) in hours.get("holidays", []):
        return "Hôm nay là ngày nghỉ."
    spans = hours.get(WEEKDAYS[now.weekday()], [])
    clock = now.strftime("%H:%M")
    if not any(span[:5] <= clock < span[6:] for span in spans):
        shown = ", ".join(span.replace("-", "–") for span in spans)
        return f"Ngoài giờ làm việc ({shown})." if shown else "Hôm nay không làm việc."
    if service.get("closed_reason"):
        return service["closed_reason"]
    if not served:
        return NOT_SERVED
    if service.get("daily_cap") and issued_today >= service["daily_cap"]:
        return "Đã hết số trong ngày."
    return None


def is_served(db, code: str) -> bool:
    """Whether an active counter is set up to serve this service (open or not)."""
    return code in counters_serving(db, code)


def service_prefixes(db) -> list[str]:
    """Every service's ticket prefix (tiền tố số), in the kiosk's order: the letters calls read."""
    return [prefix for (prefix,) in db.execute("SELECT prefix FROM services ORDER BY position, code")]


def service_overview(db, *, now: datetime) -> list[dict]:
    """Every active service with its field, waiting count, estimated wait and open state."""
    day = local_day(now)
    hours = get_setting(db, "hours", {})
    issued = dict(db.execute("SELECT number_service, COUNT(*) FROM tickets WHERE day = ? GROUP BY number_service", [day]).fetchall())
    estimates = service_estimates(db, day=day)
    fields = {row["code"]: row["name"] for row in db.query("SELECT code, name FROM fields")}
    served = counters_serving(db)
    result = []
    for service in db.query("SELECT * FROM services WHERE active = 1 ORDER BY position, code"):
        reason = closed_reason(service, issued_today=issued.get(service["code"], 0), hours=hours, now=now,
                               served=service["code"] in served)
        waiting, estimated = estimates.get(service["code"], (0, 0))
        item = {
            "code": service["code"],
            "prefix": service["prefix"],
            "name": service["name"],
            "group": service["field"],
            "group_name": fields.get(service["field"], service["field"]),
            "procedures": json.loads(service["procedures"]),
            "waiting": waiting,
            "estimated_wait_s": estimated,
            "open": reason is None,
            "wait_target_s": service["wait_target_s"],
        }
        if reason:
            item["closed_reason"] = reason
        result.append(item)
    return result
