"""Taking a number from a phone (lấy số từ xa): the page ``/lay-so`` and
``POST /api/v1/tickets`` with ``channel: "remote"``. The citizen is anywhere, so the
kiosk networks and kiosk registration do not apply; the per-address rate limit does, and
the remote limits of layso.queue.remote are checked inside the issuing transaction.

When the center asks for it (``remote.one_time_code``), a number is issued only after the
citizen types the code sent to the phone: the first request (no ``code``) sends one and
answers 202, the second brings it. The sender is a hook, ``app.extensions
["layso.code_sender"]``: ``send(db, phone, code, *, now, language)`` queues the text
inside the caller's transaction (layso.notify implements it); none set means 503.
"""

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass

from flask import current_app, jsonify, render_template

from layso.errors import CodeSenderMissing, InvalidInput
from layso.queue.remote import RemoteLimitReached, check_consent, remote_phone, remote_settings, service_rules
from layso.queue.services import service_overview
from layso.queue.tickets import check_issue, issue_ticket
from layso.store.center import get_setting
from layso.store.db import write
from layso.web.context import absolute_status_url, db, now, publish, settings
from layso.web.i18n import language, with_wait_text

from kiosk import bp
from kiosk.abuse import take_address_rate
from kiosk.messages import CATALOG

CODE = re.compile(r"[0-9]{6}")
MAX_TRIES = 5  # wrong codes before the code is void
RESEND_S = 60  # at most one code a minute per phone and service


@dataclass
class PendingCode:
    digest: bytes
    expires: float
    sent: float
    tries: int = 0


class OneTimeCodes:
    """Codes sent by SMS, kept hashed in memory for their few minutes (one server per
    center; a restart only means asking again), one per phone and service."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._pending: dict[tuple, PendingCode] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _digest(code: str) -> bytes:
        return hashlib.sha256(code.encode()).digest()

    def new(self, key: tuple, *, ttl_s: int) -> str:
        """A fresh six-digit code for ``key``; RemoteLimitReached within a minute of the last."""
        moment = self._clock()
        with self._lock:
            self._pending = {k: v for k, v in self._pending.items() if v.expires > moment}
            previous = self._pending.get(key)
            if previous is not None and moment - previous.sent < RESEND_S:
                raise RemoteLimitReached(
                    "Mã xác nhận vừa được gửi. Xin chờ 1 phút trước khi yêu cầu mã mới.",
                    message_en="A code was just sent. Please wait a minute before asking for a new one.",
                )
            code = f"{secrets.randbelow(10 ** 6):06d}"
            self._pending[key] = PendingCode(self._digest(code), expires=moment + ttl_s, sent=moment)
            return code

    def confirm(self, key: tuple, code) -> None:
        """Use up the code of ``key``; InvalidInput when wrong or expired, RemoteLimitReached
        (and the code void) after MAX_TRIES wrong ones."""
        if not isinstance(code, str) or not CODE.fullmatch(code.strip()):
            raise InvalidInput("Mã xác nhận gồm 6 chữ số.", message_en="The confirmation code has 6 digits.")
        with self._lock:
            pending = self._pending.get(key)
            if pending is None or pending.expires <= self._clock():
                raise InvalidInput("Mã xác nhận đã hết hạn hoặc chưa được gửi. Xin yêu cầu mã mới.",
                                   message_en="The code has expired or was not sent. Please ask for a new one.")
            if not hmac.compare_digest(pending.digest, self._digest(code.strip())):
                pending.tries += 1
                if pending.tries >= MAX_TRIES:
                    del self._pending[key]
                    raise RemoteLimitReached(
                        f"Đã nhập sai mã {MAX_TRIES} lần. Xin yêu cầu mã mới.",
                        message_en=f"{MAX_TRIES} wrong codes. Please ask for a new one.",
                    )
                raise InvalidInput("Mã xác nhận không đúng.", message_en="Wrong confirmation code.")
            del self._pending[key]


def _codes() -> OneTimeCodes:
    return current_app.extensions.setdefault("kiosk.one_time_codes", OneTimeCodes())


def _send_code(phone: str, service, ttl_s: int):
    """Send a code (after checking a number could be issued at all), answer 202."""
    sender = current_app.extensions.get("layso.code_sender")
    if sender is None:
        raise CodeSenderMissing()
    check_issue(db(), service, now=now(), channel="remote", phone=phone)
    code = _codes().new((phone, service), ttl_s=ttl_s)
    with write(db()):
        sender(db(), phone, code, now=now(), language=language())
    publish([])  # no event, but the outbox has a new text: the notice sender is woken to send it now
    return jsonify(code_required=True, expires_in_s=ttl_s), 202


def issue_remote_ticket(body: dict):
    """Check what the citizen typed, then issue: (the ticket as the API answers it, 201),
    or (code sent, 202) when the center asks for a one-time code first."""
    if body.get("kiosk") is not None:
        raise InvalidInput("Số lấy từ xa không thuộc kiosk nào.", message_en="A remote ticket has no kiosk.")
    if body.get("priority") or body.get("priority_reason") is not None:
        # The priority group is seen at the kiosk and the counter, not claimed from afar.
        raise InvalidInput(
            "Số ưu tiên xin lấy tại máy lấy số của trung tâm.",
            message_en="Priority numbers are taken at the center's kiosk.",
        )
    phone = remote_phone(body.get("phone"))
    check_consent(body.get("consent"))
    take_address_rate()
    service = body.get("service")
    config = remote_settings(db())
    if config["one_time_code"]:
        if body.get("code") is None:
            return _send_code(phone, service, int(config["code_ttl_s"]))
        _codes().confirm((phone, service), body.get("code"))
    outcome = issue_ticket(db(), service, now=now(), channel="remote", phone=phone)
    publish(outcome.events)
    ticket = with_wait_text(absolute_status_url(outcome.value))
    ticket["print_job"] = None
    return jsonify(ticket), 201


@bp.get("/lay-so")
def remote_page():
    """The phone page: a service, the phone number, consent; the answer is the status page."""
    services = []
    for service in service_overview(db(), now=now()):
        if not service_rules(db(), service["code"])["enabled"]:
            service = {**service, "open": False, "closed_reason": "Chỉ lấy số tại trung tâm."}
        services.append(with_wait_text(service))
    fields = [dict(row) for row in db().query("SELECT code, name FROM fields ORDER BY position, code")]
    return render_template(
        "kiosk/remote.html", fields=fields, services=services,
        one_time_code=remote_settings(db())["one_time_code"],
        center_name=get_setting(db(), "center_name", settings().center_name),
        catalog=CATALOG if language() == "en" else {},
    )
