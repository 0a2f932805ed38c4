"""The province's live view (/province): each center's state now, from the rows the hub
holds — open counters, people waiting and being served, today's average and p90 wait and
satisfaction (the center's definitions, layso/reports), the last contact, and alerts (a
citizen waiting over the service's target, "Không hài lòng" ratings today, a center silent
for longer than ``offline_after_s``). Every figure comes with its words in both languages
(``shown``), so the page writes no number or sentence itself."""

from datetime import datetime, timedelta

from layso.clock import local_day
from layso.province.centers import status_words
from layso.province.reports import province_summary, rating_configs
from layso.reports import formats
from layso.reports.alerts import message as alert_message

LANGUAGES = ("vi", "en")
CENTER_STATE = "province.center"  # event: one center's live state changed (room "province")


def _offline_words(last_contact: datetime | None, lang: str) -> str:
    if last_contact is None:
        return "Trung tâm chưa kết nối lần nào." if lang == "vi" else "The center has never connected."
    since = formats.moment(last_contact)
    return f"Mất kết nối với trung tâm từ {since}." if lang == "vi" else f"No contact with the center since {since}."


def _not_satisfied_words(count: int, label: str, lang: str) -> str:
    if lang == "vi":
        return f"{formats.number(count)} lượt đánh giá «{label}» hôm nay."
    return f"{formats.number(count, lang='en')} {'rating' if count == 1 else 'ratings'} «{label}» today."


def alert_text(alert: dict, lang: str) -> str:
    """The one place a province alert is worded (wait over target: the center's wording)."""
    if alert["kind"] == "center_offline":
        return _offline_words(alert["last_contact"], lang)
    if alert["kind"] == "not_satisfied":
        return _not_satisfied_words(alert["count"], alert["label"], lang)
    return alert_message(alert, lang)


def center_states(connection, *, now: datetime, offline_after_s: float, code: str | None = None) -> list[dict]:
    """The live state of every center (or the one whose code is ``code``), sorted by code."""
    today = local_day(now)
    centers = connection.execute(
        "SELECT id, code, name, last_contact FROM centers WHERE active AND (%s::text IS NULL OR code = %s) ORDER BY code",
        [code, code]).fetchall()
    ids = [center_id for center_id, *_ in centers]
    open_counters = dict(connection.execute(
        "SELECT center, count(*) FROM catalog WHERE kind = 'counters' AND center = ANY(%s) "
        "AND COALESCE(data->>'status', 'closed') <> 'closed' AND COALESCE(data->>'active', '1') NOT IN ('0', 'false') "
        "GROUP BY center", [ids]).fetchall())
    queues = {center: (waiting, serving) for center, waiting, serving in connection.execute(
        "SELECT center, count(*) FILTER (WHERE status = 'waiting'), count(*) FILTER (WHERE status = 'called') "
        "FROM tickets WHERE day = %s AND center = ANY(%s) GROUP BY center", [today, ids])}
    oldest = connection.execute(
        "SELECT t.center, t.service, min(t.queued_at), s.data->>'name', (s.data->>'wait_target_s')::float "
        "FROM tickets t LEFT JOIN catalog s ON s.center = t.center AND s.kind = 'services' AND s.key = t.service "
        "WHERE t.day = %s AND t.status = 'waiting' AND t.center = ANY(%s) GROUP BY 1, 2, 4, 5", [today, ids]).fetchall()
    figures = {row["center"]: row for row in province_summary(connection, today, today, "center", center=code)}
    configs = rating_configs(connection, ids)
    states = []
    for center_id, center_code, name, last_contact in centers:
        last_contact = last_contact.astimezone(now.tzinfo) if last_contact else None  # the province's local time
        alerts = []
        online = last_contact is not None and now - last_contact <= timedelta(seconds=offline_after_s)
        if not online:
            alerts.append({"kind": "center_offline", "last_contact": last_contact})
        for center, _service, queued_at, service_name, target_s in oldest:
            if center == center_id and target_s and queued_at is not None:
                wait_s = (now - queued_at).total_seconds()
                if wait_s > target_s:
                    alerts.append({"kind": "wait_over_target", "wait_s": wait_s, "target_s": target_s,
                                   "service_name": service_name or _service})
        today_row = figures.get(center_code, {})
        for level in configs[center_id]["levels"]:
            count = (today_row.get("ratings") or {}).get(level["id"], 0)
            if not level["satisfied"] and count:
                alerts.append({"kind": "not_satisfied", "count": count, "label": level["label"]})
        waiting, serving = queues.get(center_id, (0, 0))
        state = {
            "center": center_code, "name": name, "online": online,
            "last_contact": last_contact.isoformat() if last_contact else None,
            "open_counters": open_counters.get(center_id, 0), "waiting": waiting, "serving": serving,
            "issued": today_row.get("issued", 0), "served": today_row.get("served", 0),
            "avg_wait_s": today_row.get("avg_wait_s"), "p90_wait_s": today_row.get("p90_wait_s"),
            "satisfied_pct": today_row.get("satisfied_pct"),
        }
        state["alerts"] = [{"kind": alert["kind"], "text": {lang: alert_text(alert, lang) for lang in LANGUAGES}}
                           for alert in alerts]
        state["shown"] = {lang: {
            "avg_wait": formats.duration(state["avg_wait_s"], lang), "p90_wait": formats.duration(state["p90_wait_s"], lang),
            "satisfied": formats.percent(state["satisfied_pct"], lang),
            "last_contact": formats.moment(last_contact) if last_contact else formats.NONE,
            "status": status_words(online, lang),
        } for lang in LANGUAGES}
        states.append(state)
    return states
