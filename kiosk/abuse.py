"""Who may take a number, and how fast: a kiosk must never be made to print hundreds of
tickets. Tickets come only from the configured kiosk networks (when the center sets
them), registered kiosks when the center requires it, and at most
``ticket_rate_limit`` tickets a minute per kiosk device token or client address.
"""

import threading
import time

from flask import current_app, request

from layso.admin import accounts
from layso.errors import Forbidden, InvalidInput, TooManyRequests, Unauthorized
from layso.web.auth import address_allowed, device_principal, user_principal
from layso.web.context import db, settings
from layso.web.throttle import MAX_KEYS, RecentTimes

WINDOW_S = 60.0


class TicketRateLimit:
    """A sliding one-minute window of ticket times per key, in memory (one server per center),
    bounded like the login throttle's: a flood of addresses cannot grow it."""

    def __init__(self, per_minute: int, *, clock=time.monotonic):
        self.per_minute = per_minute
        self._times = RecentTimes(WINDOW_S, max_keys=MAX_KEYS, per_key=max(per_minute, 1), clock=clock)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._times)

    def take(self, key: str) -> None:
        """Count one ticket for ``key``; raises TooManyRequests past the limit (0 = no limit)."""
        if self.per_minute <= 0:
            return
        with self._lock:
            if self._times.count(key) >= self.per_minute:
                raise TooManyRequests(
                    f"Đã lấy quá nhiều số trong một phút (tối đa {self.per_minute} số/phút). "
                    "Xin vui lòng chờ một chút rồi thử lại.",
                    message_en=f"Too many tickets in a minute (at most {self.per_minute}). Please wait a moment.",
                )
            self._times.add(key)


def _rate_limit() -> TicketRateLimit:
    # One limiter per app, so the many apps tests create never share counts.
    limiter = current_app.extensions.get("kiosk.rate_limit")
    if limiter is None:
        limiter = current_app.extensions.setdefault("kiosk.rate_limit", TicketRateLimit(settings().ticket_rate_limit))
    return limiter


def _bearer_principal():
    """Who the bearer token names. A session cookie is not asked for: a kiosk page open in
    a browser where someone once logged in must still issue tickets without a CSRF token."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.startswith("Bearer ") else ""
    if not token:
        return None
    principal = user_principal(token) or device_principal(token)
    if principal is None:
        raise Unauthorized("Mã truy cập không hợp lệ hoặc đã hết hạn.", message_en="Invalid or expired token.")
    return principal


def admit_ticket_request(kiosk: str | None) -> str | None:
    """Check the caller may issue a ticket now; return the kiosk id the ticket belongs to.

    Staff (a logged-in user) may always issue. Otherwise: the address must be inside
    ``devices.kiosk_networks`` when set (Forbidden), a registered kiosk token is needed
    when ``devices.require_registration`` lists kiosks (Unauthorized), and the rate limit
    applies per device token, else per address (TooManyRequests). A registered kiosk's
    own id wins over the ``kiosk`` sent in the body; any other must be known (InvalidInput).
    """
    principal = _bearer_principal()
    if principal is not None and principal.kind == "user":
        return known_kiosk(kiosk)
    config = settings()
    if not address_allowed(config.kiosk_networks):
        raise Forbidden(
            "Thiết bị này không được phép lấy số. Xin vui lòng lấy số tại kiosk của trung tâm.",
            message_en="This device may not issue tickets. Please use the center's kiosk.",
        )
    device = principal if principal is not None and principal.role == "kiosk" else None
    if principal is not None and device is None:
        raise Forbidden("Thiết bị này không phải kiosk lấy số.", message_en="This device is not a kiosk.")
    if device is None and "kiosk" in config.require_registration:
        raise Unauthorized("Kiosk chưa được đăng ký.", message_en="Unregistered kiosk.")
    _rate_limit().take(f"device:{device.device}" if device else f"addr:{request.remote_addr}")
    return device.device if device else known_kiosk(kiosk)


def take_address_rate() -> None:
    """Count one ticket against the caller's address (remote numbers: a phone has no device
    token); raises TooManyRequests past ``ticket_rate_limit`` a minute."""
    _rate_limit().take(f"addr:{request.remote_addr}")


def known_kiosk(kiosk) -> str | None:
    """``kiosk`` if it names a configured or registered kiosk (None: a ticket not taken at a
    kiosk); an unknown id is a 400, so no made-up text is stored with the ticket or
    broadcast in ``ticket.issued``."""
    if kiosk is None or accounts.known_kiosk(db(), settings().kiosks, kiosk):
        return kiosk
    raise InvalidInput("Không có kiosk này.", message_en="Unknown kiosk.")
