"""Who is asking: officers, managers and admins by login token or session cookie;
kiosks, displays and tablets by device token or by network.

- ``POST /api/v1/auth/login`` gives a bearer token and, for pages, a session cookie that
  holds the same token. Tokens are stored hashed and expire.
- Cookie-authenticated writes must carry the session's CSRF token (``X-CSRF-Token``
  header or ``csrf_token`` form field); bearer requests need none.
- Failed logins are throttled per address and user name.
"""

import functools
import ipaddress
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from layso.clock import iso, parse
from layso.errors import Forbidden, InvalidInput, PasswordChangeRequired, TooManyRequests, Unauthorized
from layso.passwords import hash_password, verify_password
from layso.store.db import write
from layso.store.seed import token_hash
from layso.web.context import db, now, settings

LOGIN_FAILURES_ALLOWED = 5
LOGIN_WINDOW_S = 300
MIN_PASSWORD_LENGTH = 8


class CookieSession(SecureCookieSessionInterface):
    """Flask's signed session cookie, read only when the request carries one: devices and
    outside systems send a bearer token, and building the signer for every request cost
    them a tenth of a ticket."""

    def open_session(self, app, request):
        if request.cookies.get(self.get_cookie_name(app)) is None:
            return self.session_class()
        return super().open_session(app, request)


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user (officer/manager/admin) or a registered device."""

    kind: str  # "user" | "device"
    role: str  # officer | manager | admin | kiosk | display | tablet
    username: str | None = None
    name: str | None = None
    device: str | None = None
    counter: int | None = None
    must_change_password: bool = False


class LoginThrottle:
    """Counts recent failed logins per key in memory (one server process per center)."""

    def __init__(self):
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        moment = time.monotonic()
        with self._lock:
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if moment - t < LOGIN_WINDOW_S]
                self._failures[key] = recent
                if len(recent) >= LOGIN_FAILURES_ALLOWED:
                    raise TooManyRequests(
                        "Đăng nhập sai quá nhiều lần. Xin thử lại sau 5 phút.",
                        message_en="Too many failed logins. Try again in 5 minutes.",
                    )

    def fail(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(time.monotonic())


def login(username, password) -> dict:
    """Check a user name and password; return the token answer. Raises Unauthorized, TooManyRequests."""
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise InvalidInput("Hãy nhập tên đăng nhập và mật khẩu.", message_en="Username and password are required.")
    keys = (f"addr:{request.remote_addr}", f"user:{username.lower()}")
    throttle = current_app.extensions["layso.login_throttle"]
    throttle.check(*keys)
    user = next(db().query("SELECT * FROM users WHERE username = ? AND active = 1", [username]), None)
    if user is None or not verify_password(user["password_hash"], password):
        throttle.fail(*keys)
        raise Unauthorized("Tên đăng nhập hoặc mật khẩu không đúng.", message_en="Wrong username or password.")
    token = secrets.token_urlsafe(32)
    expires = now() + timedelta(seconds=settings().token_ttl_s)
    with write(db()):
        db().execute("DELETE FROM tokens WHERE expires_at < ?", [iso(now())])
        db().table("tokens").insert({"token_hash": token_hash(token), "username": username, "expires_at": iso(expires)})
    session.clear()
    session["token"] = token
    session["csrf"] = secrets.token_urlsafe(24)
    must_change = bool(user["must_change_password"]) and not settings().demo
    return {
        "token": token,
        "role": user["role"],
        "username": username,
        "name": user["name"],
        "title": user["title"],
        "expires_at": iso(expires),
        "must_change_password": must_change,
        "csrf_token": session["csrf"],
    }


def logout() -> None:
    token = _bearer() or session.get("token")
    if token:
        with write(db()):
            db().execute("DELETE FROM tokens WHERE token_hash = ?", [token_hash(token)])
    session.clear()


def change_password(principal: Principal, old_password, new_password) -> None:
    if not isinstance(new_password, str) or len(new_password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Mật khẩu mới cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.",
            message_en=f"The new password needs at least {MIN_PASSWORD_LENGTH} characters.",
        )
    user = next(db().query("SELECT * FROM users WHERE username = ?", [principal.username]))
    if not isinstance(old_password, str) or not verify_password(user["password_hash"], old_password):
        raise Forbidden("Mật khẩu hiện tại không đúng.", message_en="The current password is wrong.")
    if old_password == new_password:
        raise InvalidInput("Mật khẩu mới phải khác mật khẩu cũ.", message_en="Choose a different password.")
    # Hashed before the write lock is taken: under gevent the hash runs in a thread while
    # the hub serves others, and they must not find the database locked for its ~0.3 s.
    password_hash = hash_password(new_password, settings().password_hash)
    with write(db()):
        db().execute(
            "UPDATE users SET password_hash = ?, must_change_password = 0 WHERE username = ?",
            [password_hash, principal.username],
        )


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip() or None
    return None


def user_principal(token: str) -> Principal | None:
    row = db().execute(
        "SELECT u.username, u.name, u.role, u.must_change_password, t.expires_at FROM tokens t "
        "JOIN users u ON u.username = t.username WHERE t.token_hash = ? AND u.active = 1",
        [token_hash(token)],
    ).fetchone()
    if row is None or parse(row[4]) <= now():
        return None
    return Principal("user", row[2], username=row[0], name=row[1], must_change_password=bool(row[3]) and not settings().demo)


def device_principal(token: str) -> Principal | None:
    """The registered, unrevoked device with this token, if any."""
    row = db().execute(
        "SELECT id, kind, counter FROM devices WHERE token_hash = ? AND revoked = 0", [token_hash(token)]
    ).fetchone()
    if row is None:
        return None
    return Principal("device", row[1], device=row[0], counter=row[2])


def current_principal() -> Principal | None:
    """The caller, or None. A bearer token that matches nothing is refused outright."""
    if "principal" in g:
        return g.principal
    principal = None
    token = _bearer()
    if token:
        principal = user_principal(token) or device_principal(token)
        if principal is None:
            raise Unauthorized("Mã truy cập không hợp lệ hoặc đã hết hạn.", message_en="Invalid or expired token.")
    elif session.get("token"):
        principal = user_principal(session["token"])
        if principal is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
            sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token")
            if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
                raise Forbidden("Phiên làm việc không hợp lệ. Hãy tải lại trang.", message_en="Missing or wrong CSRF token. Reload the page.")
    g.principal = principal
    return principal


def require_user(*roles: str):
    """Route decorator: a logged-in user with one of ``roles`` (any role if none given)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            principal = current_principal()
            if principal is None or principal.kind != "user":
                raise Unauthorized()
            if principal.must_change_password and request.endpoint != "api.change_password":
                raise PasswordChangeRequired()
            if roles and principal.role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapped

    return decorate


def address_allowed(networks) -> bool:
    """Whether the client address is inside one of ``networks`` (empty = any address)."""
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in networks)


def device_for(role: str, token: str | None) -> Principal | None:
    """Authenticate a device of ``role`` by its token, or by config for roles that need none.

    Returns the device principal (None for an unregistered but allowed device).
    Raises Unauthorized when a registered device is required and missing or wrong,
    Forbidden when the address is outside the role's configured networks.
    """
    config = settings()
    networks = {"kiosk": config.kiosk_networks, "display": config.display_networks}.get(role, ())
    if not address_allowed(networks):
        raise Forbidden("Thiết bị này không được phép kết nối.", message_en="This device's address is not allowed.")
    if token:
        principal = device_principal(token)
        if principal is None or principal.role != role:
            raise Unauthorized("Thiết bị chưa được đăng ký.", message_en="Unregistered device.")
        return principal
    if role in config.require_registration:
        raise Unauthorized("Thiết bị chưa được đăng ký.", message_en="Unregistered device.")
    return None
