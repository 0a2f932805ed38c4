"""Dossier status (hồ sơ): the one-stop software reports it (``PUT``, a registered device of
kind ``integration``), staff read it whole, and anyone holding the code — at the kiosk's
"Tra cứu hồ sơ", or on a phone — reads its status and what to do next (rate limited).
The rules are layso.notify.dossiers."""

import threading

from flask import current_app, jsonify, request

from layso.errors import Forbidden, TooManyRequests, Unauthorized
from layso.notify.dossiers import get_dossier, public_dossier, put_dossier
from layso.web.auth import current_principal, require_user
from layso.web.context import db, json_body, now, publish
from layso.web.i18n import language
from layso.web.throttle import MAX_KEYS, RecentTimes

from kiosk import bp

LOOKUPS_PER_MINUTE = 30  # per address: a kiosk's users, one by one; not a scan of every code


class LookupLimit:
    def __init__(self):
        self._times = RecentTimes(60.0, max_keys=MAX_KEYS, per_key=LOOKUPS_PER_MINUTE)
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        with self._lock:
            if self._times.count(key) >= LOOKUPS_PER_MINUTE:
                raise TooManyRequests(
                    f"Tra cứu quá nhiều lần trong một phút (tối đa {LOOKUPS_PER_MINUTE}). Xin chờ một chút rồi thử lại.",
                    message_en=f"Too many look-ups in a minute (at most {LOOKUPS_PER_MINUTE}). Please wait a moment.")
            self._times.add(key)


def _limit() -> LookupLimit:
    return current_app.extensions.setdefault("kiosk.dossier_lookups", LookupLimit())


@bp.put("/api/v1/dossiers/<code>")
def put_dossier_status(code):
    """The one-stop software reports a dossier's status (a registered ``integration`` device)."""
    principal = current_principal()
    if principal is None or principal.kind == "device" and principal.role != "integration":
        raise Unauthorized("Thiết bị chưa được đăng ký là phần mềm tích hợp.", message_en="Not a registered integration.")
    if principal.kind != "device":
        raise Forbidden("Chỉ phần mềm một cửa đã đăng ký mới báo được tình trạng hồ sơ.",
                        message_en="Only a registered integration may report a dossier's status.")
    outcome = put_dossier(db(), code, json_body(), by=principal.device, now=now())
    publish(outcome.events)  # none: this wakes the sender for the notice written with the change
    dossier, created = outcome.value
    return jsonify(dossier), 201 if created else 200


@bp.get("/api/v1/dossiers/<code>")
@require_user()
def get_dossier_status(code):
    return jsonify(get_dossier(db(), code, english=language() == "en"))


@bp.get("/api/v1/dossiers/<code>/public")
def public_dossier_status(code):
    _limit().take(f"addr:{request.remote_addr}")
    return jsonify(public_dossier(db(), code, english=language() == "en"))
