"""Who is asking: officers, managers and admins by login token or session cookie;
kiosks, displays and tablets by device token or by network.

- ``POST /api/v1/auth/login`` gives a bearer token and, for pages, a session cookie that
  holds the same token. Tokens are stored hashed and expire.
- Cookie-authenticated writes must carry the session's CSRF token (``X-CSRF-Token``
  header or ``csrf_token`` form field); bearer requests need none.
- Failed logins are throttled per address and user name (layso.web.throttle).
- A user who must change their password sees only the change-password page
  (``PASSWORD_PAGE``), gets ``403 password_change_required`` from the API, no socket token
  and no socket until they have.
"""

import functools
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from flask import current_app, g, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from layso.clock import iso, parse
from layso.errors import Forbidden, InvalidInput, PasswordChangeRequired, Unauthorized
from layso.passwords import check_new_password, dummy_hash, hash_password, verify_password
from layso.store.center import get_setting
from layso.store.db import write
from layso.store.seed import token_hash
from layso.web.context import db, now, settings


PASSWORD_PAGE = "/password"  # the change-password form (dashboard blueprint)


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


def login(username, password) -> dict:
    """Check a user name and password; return the token answer. Raises InvalidInput,
    Unauthorized, TooManyRequests (layso.web.throttle: an address that failed too often)."""
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise InvalidInput("Hãy nhập tên đăng nhập và mật khẩu.", message_en="Username and password are required.")
    throttle = current_app.extensions["layso.login_throttle"]
    address = request.remote_addr or ""
    throttle.before_try(username, address)
    user = next(db().query("SELECT * FROM users WHERE username = ? AND active = 1", [username]), None)
    # A missing account costs a hash too, so timing tells no one which user names exist.
    password_hash = user["password_hash"] if user else dummy_hash(settings().password_hash)
    if not verify_password(password_hash, password) or user is None:
        throttle.failed(username, address)
        raise Unauthorized("Tên đăng nhập hoặc mật khẩu không đúng.", message_en="Wrong username or password.")
    throttle.succeeded(username, address)
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
    """End the caller's login. A bearer token needs nothing more; a session cookie needs
    its CSRF token like every other cookie write, or any web page could log staff out."""
    token = _bearer()
    if token is None and session.get("token"):
        check_csrf()
        token = session["token"]
    if token:
        with write(db()):
            db().execute("DELETE FROM tokens WHERE token_hash = ?", [token_hash(token)])
    session.clear()


def change_password(principal: Principal, old_password, new_password) -> None:
    """Set a new password chosen by the user (layso.passwords.check_new_password) and end
    the user's other login tokens: their sockets close within a second (realtime).
    Raises InvalidInput, Forbidden (wrong current password)."""
    user = next(db().query("SELECT * FROM users WHERE username = ?", [principal.username]))
    if not isinstance(old_password, str) or not verify_password(user["password_hash"], old_password):
        raise Forbidden("Mật khẩu hiện tại không đúng.", message_en="The current password is wrong.")
    check_new_password(new_password, username=principal.username, center_name=get_setting(db(), "center_name"))
    if old_password == new_password:
        raise InvalidInput("Mật khẩu mới phải khác mật khẩu cũ.", message_en="Choose a different password.")
    # Hashed before the write lock is taken: under gevent the hash runs in a thread while
    # the hub serves others, and they must not find the database locked for its ~0.3 s.
    password_hash = hash_password(new_password, settings().password_hash)
    current = token_hash(_bearer() or session.get("token") or "")
    with write(db()):
        db().execute(
            "UPDATE users SET password_hash = ?, must_change_password = 0 WHERE username = ?",
            [password_hash, principal.username],
        )
        db().execute("DELETE FROM tokens WHERE username = ? AND token_hash != ?", [principal.username, current])


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
            check_csrf()
    g.principal = principal
    return principal


def check_csrf() -> None:
    """The request carries the session's CSRF token (header or form field). Raises Forbidden."""
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token")
    # compared as bytes: compare_digest refuses non-ASCII text with a TypeError (a 500)
    if not sent or not secrets.compare_digest(sent.encode(), session.get("csrf", "").encode()):
        raise Forbidden("Phiên làm việc không hợp lệ. Hãy tải lại trang.", message_en="Missing or wrong CSRF token. Reload the page.")


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


def password_change_first():
    """Before any page: a session whose user must change their password first is sent to
    the change-password form (303), whatever page it asked for; the form comes back to
    that page afterwards. The API answers ``403 password_change_required`` itself."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(("/api/", "/static/", "/vendor/")):
        return None
    if request.path == PASSWORD_PAGE or not session.get("token"):
        return None
    principal = user_principal(session["token"])
    if principal is None or not principal.must_change_password:
        return None
    return redirect(f"{PASSWORD_PAGE}?{urlencode({'next': request.full_path.rstrip('?')})}", 303)


def local_path(target) -> str | None:
    """``target`` if it is a path on this server (for a page's "go back to"), else None."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None


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
