"""Alerts for managers (cảnh báo).

Two kinds:
- *standing* alerts, derived from the current state each time the dashboard asks: a citizen
  waiting longer than the service's target, people waiting whom no open counter serves, a
  counter idle while its services have people waiting, a registered display not seen for a
  while, a recorded voice pack that lacks clips calls need (those calls are spoken by the
  engine), and above all the server no longer saving anything after a disk error
  (:func:`writes_stopped_alert`);
- *event* alerts, stored as they happen (table ``alerts``, so a restart keeps them): a kiosk
  printer out of order (``kiosk.alert``), its roll near the end (``printer.paper_low``), and
  a rating at a level not marked satisfied (``rating.submitted``).
"""

import json
from datetime import datetime, timedelta

from layso.clock import iso, parse, seconds_between
from layso.events import KIOSK_ALERT, PRINTER_PAPER_LOW, RATING_SUBMITTED, Event, dashboard_room
from layso.reports.formats import duration
from layso.store.db import write

ALERT_RAISED = "alert.raised"
IDLE_GRACE_S = 60          # an officer may take a minute between citizens
DISPLAY_SILENT_S = 10 * 60  # a display not seen for this long is reported
KEPT_ALERTS = 200  # shown on the dashboard
KEEP_ALERTS = timedelta(days=90)  # stored: a quarter's history, for the quarterly evaluation


def message(alert: dict, lang: str = "vi") -> str:
    """An alert in words, from its fields, in either language (the one place they are
    worded). Raises KeyError for an alert stored without the fields its words need."""
    kind, vi = alert["kind"], lang == "vi"
    if kind == "writes_stopped":
        return ("Máy chủ đã ngừng ghi dữ liệu do lỗi ổ đĩa: không lấy số, gọi số hay đánh giá được nữa. "
                "Khởi động lại máy chủ ngay và kiểm tra ổ đĩa." if vi else
                "The server has stopped writing data after a disk error: no numbers, calls or ratings any more. "
                "Restart the server now and check the disk.")
    if kind == "wait_over_target":
        wait, target, name = duration(alert["wait_s"], lang), duration(alert["target_s"], lang), alert["service_name"]
        return f"{name}: có người chờ {wait} (mục tiêu {target})." if vi else f"{name}: someone has waited {wait} (target {target})."
    if kind == "queue_unattended":
        people = alert["waiting"]
        if "counter" in alert:
            counter = alert["counter"]
            return (f"Quầy {counter} đang đóng nhưng có {people} người được chuyển đến đang chờ." if vi else
                    f"Counter {counter} is closed, yet {people} sent to it {'is' if people == 1 else 'are'} waiting.")
        name = alert["service_name"]
        return (f"{name}: {people} người đang chờ nhưng không có quầy nào đang mở phục vụ." if vi else
                f"{name}: {people} waiting, but no open counter serves it.")
    if kind == "counter_idle":
        idle, counter, people = duration(alert["idle_s"], lang), alert["counter"], alert["waiting"]
        return (f"Quầy {counter} sẵn sàng mà chưa gọi số đã {idle}, trong khi {people} người đang chờ." if vi else
                f"Counter {counter} has been ready without calling for {idle} while {people} waiting.")
    if kind == "display_silent":
        since = alert["last_seen"][11:16] if alert["last_seen"] else None
        if vi:
            return f"Màn hình {alert['name']} không phản hồi" + (f" từ {since}." if since else ".")
        return f"Display {alert['name']} is not answering" + (f" since {since}." if since else ".")
    if kind == "paper_low":
        kiosk = alert["kiosk"]
        if alert["resolved"]:
            return f"Máy in kiosk {kiosk} đã có cuộn giấy mới." if vi else f"Kiosk {kiosk}'s printer has a new roll."
        return f"Máy in kiosk {kiosk} sắp hết giấy: xin thay cuộn giấy mới." if vi else f"Kiosk {kiosk}'s printer is nearly out of paper: put in a new roll."
    if kind == "printer":
        kiosk = alert["kiosk"]
        if alert["resolved"]:
            return f"Máy in kiosk {kiosk} đã hoạt động trở lại." if vi else f"Kiosk {kiosk}'s printer works again."
        return (f"Máy in kiosk {kiosk} gặp sự cố: {alert['detail']}" if vi else
                f"Kiosk {kiosk}'s printer has a problem: {alert['error'] or alert['detail']}")
    if kind == "voice_pack_incomplete":
        named = ", ".join(f"«{text}»" for text in alert["missing"])
        more = alert["missing_count"] - len(alert["missing"])
        if vi:
            rest = f" và {more} đoạn khác" if more > 0 else ""
            return (f"Giọng đọc thu âm còn thiếu {named}{rest}: các lần gọi cần đến chúng được đọc bằng giọng máy. "
                    "Ghi âm ở trang Giọng đọc.")
        rest = f" and {more} more" if more > 0 else ""
        return (f"The recorded voice lacks {named}{rest}: calls that need them are spoken by the synthetic voice. "
                "Record them on the Voice page.")
    if kind == "notices_unsent":
        age, pending = duration(alert["age_s"], lang), alert["pending"]
        return (f"Tin nhắn SMS/Zalo chưa gửi được: {pending} tin đang chờ, tin cũ nhất đã {age}. "
                "Kiểm tra cổng gửi tin nhắn ở trang Tin nhắn." if vi else
                f"SMS/Zalo notices are not going out: {pending} waiting, the oldest for {age}. "
                "Check the gateway on the Notices page.")
    if kind == "not_satisfied":
        counter = alert["counter"]
        return f"Quầy {counter}: một công dân không hài lòng." if vi else f"Counter {counter}: a citizen was not satisfied."
    raise KeyError(kind)


def writes_stopped_alert(reason: str) -> dict:
    """The critical alert while the store is stopped (layso/store/durable.py). It cannot be
    stored, since nothing can be written: it lasts as long as the server process."""
    alert = {"kind": "writes_stopped", "level": "critical", "reason": reason}
    return alert | {"message": message(alert)}


def writes_stopped_event(reason: str) -> Event:
    """``alert.raised`` for the dashboards, once, when the store stops (no id: not stored)."""
    return Event(ALERT_RAISED, {"alert": writes_stopped_alert(reason)}, (dashboard_room(),))


def condition_alerts(db, *, counters: list[dict], services: list[dict], now: datetime) -> list[dict]:
    """The standing alerts, worst first: over-target waits, queues no open counter serves,
    idle counters, silent displays."""
    alerts = []
    for service in services:
        target, longest = service["wait_target_s"], service["longest_wait_s"]
        if target and longest is not None and longest > target:
            alerts.append({
                "kind": "wait_over_target", "level": "danger", "service": service["code"], "service_name": service["name"],
                "wait_s": longest, "target_s": target,
            })
    waiting = {service["code"]: service["waiting"] for service in services}
    targeted = dict(db.execute(
        "SELECT target_counter, COUNT(*) FROM tickets WHERE status = 'waiting' AND target_counter IS NOT NULL "
        "GROUP BY target_counter"
    ).fetchall())
    counter_services = {number: json.loads(codes) for number, codes in db.execute("SELECT number, services FROM counters")}
    alerts += _unattended(counters, services, counter_services, targeted)
    for counter in counters:
        if counter["status"] != "idle":
            continue
        people = targeted.get(counter["number"], 0) + sum(waiting.get(code, 0) for code in counter_services[counter["number"]])
        idle_s = seconds_between(counter["since"], now) or 0
        if people and idle_s > IDLE_GRACE_S:
            alerts.append({
                "kind": "counter_idle", "level": "warning", "counter": counter["number"], "waiting": people,
                "idle_s": idle_s,
            })
    for device, name, last_seen in db.execute(
        "SELECT id, name, last_seen FROM devices WHERE kind = 'display' AND revoked = 0 ORDER BY id"
    ):
        if last_seen is None or (now - parse(last_seen)).total_seconds() > DISPLAY_SILENT_S:
            alerts.append({"kind": "display_silent", "level": "warning", "device": device, "name": name, "last_seen": last_seen})
    return [alert | {"message": message(alert)} for alert in alerts]


def _unattended(counters: list[dict], services: list[dict], counter_services: dict, targeted: dict) -> list[dict]:
    """People waiting whom no open counter can call: a service that no open counter serves,
    or tickets transferred (forced) to a counter that is closed."""
    open_numbers = {counter["number"] for counter in counters if counter["status"] != "closed"}
    attended = {code for number in open_numbers for code in counter_services[number]}
    alerts = [
        {"kind": "queue_unattended", "level": "danger", "service": service["code"], "service_name": service["name"],
         "waiting": service["waiting"]}
        for service in services if service["waiting"] and service["code"] not in attended
    ]
    alerts += [
        {"kind": "queue_unattended", "level": "danger", "counter": number, "waiting": people}
        for number, people in sorted(targeted.items()) if number not in open_numbers
    ]
    return alerts


class AlertBoard:
    """The event alerts, newest first, and the listener that records and announces them."""

    def __init__(self, pool, publish, clock):
        self._pool = pool
        self._publish = publish
        self._clock = clock

    def list(self) -> list[dict]:
        with self._pool.connection() as db:
            rows = db.execute(
                "SELECT id, at, resolved, body FROM alerts ORDER BY id DESC LIMIT ?", [KEPT_ALERTS]
            ).fetchall()
        return [_shown(*row) for row in rows]

    def hear(self, event: Event) -> None:
        """Listener for every published event (layso.web.realtime.add_listener)."""
        alert = None
        if event.name == KIOSK_ALERT:
            alert = _printer(event.data)
        elif event.name == PRINTER_PAPER_LOW:
            kiosk, low = event.data["kiosk"], event.data["low"]
            alert = {"kind": "paper_low", "level": "warning" if low else "info", "kiosk": kiosk, "resolved": not low}
        elif event.name == RATING_SUBMITTED and not event.data["rating"].get("satisfied", True):
            rating = event.data["rating"]
            alert = {
                "kind": "not_satisfied", "level": "danger", "counter": rating["counter"],
                "officer": rating["officer"], "service": rating["service"], "reasons": rating["reasons"],
            }
        if alert is None:
            return
        alert["message"] = message(alert)
        at = iso(self._clock())
        lasting = "resolved" in alert  # a printer's state, until its kiosk is told it is over
        with self._pool.connection() as db, write(db):
            if lasting and alert["resolved"]:
                db.execute("UPDATE alerts SET resolved = 1 WHERE kiosk = ? AND kind = ? AND resolved = 0",
                           [alert["kiosk"], alert["kind"]])
            alert_id = db.execute(
                "INSERT INTO alerts (at, kind, kiosk, resolved, body) VALUES (?, ?, ?, ?, ?)",
                [at, alert["kind"], alert.get("kiosk"), int(alert["resolved"]) if lasting else None,
                 json.dumps(alert, ensure_ascii=False)],
            ).lastrowid
        self._publish([Event(ALERT_RAISED, {"alert": _shown(alert_id, at, alert.get("resolved"), alert)},
                             (dashboard_room(),))])


def forget_old_alerts(db, *, now: datetime) -> int:
    """Delete event alerts older than KEEP_ALERTS, except a printer problem still unresolved
    (at most one per kiosk); return how many went."""
    with write(db):
        return db.execute("DELETE FROM alerts WHERE at < ? AND resolved IS NOT 0", [iso(now - KEEP_ALERTS)]).rowcount


def _shown(alert_id: int, at: str, resolved, body) -> dict:
    alert = json.loads(body) if isinstance(body, str) else dict(body)
    alert |= {"id": alert_id, "at": at}
    if resolved is not None:
        alert["resolved"] = bool(resolved)
    return alert


def _printer(data: dict) -> dict:
    kiosk = data.get("kiosk")
    if data.get("resolved"):
        return {"kind": "printer", "level": "info", "kiosk": kiosk, "resolved": True}
    return {"kind": "printer", "level": "danger", "kiosk": kiosk, "resolved": False, "error": data.get("error"),
            "detail": data.get("message") or data.get("error")}
