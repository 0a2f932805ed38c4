"""What every hub route needs: a pooled PostgreSQL connection for the request, the hub's
settings and clock, and who is asking (a center by hub token, an account by login token)."""

from flask import current_app, request

from layso.errors import Forbidden, PasswordChangeRequired, Unauthorized
from layso.province.accounts import account_by_token
from layso.web.context import lent_connection

MANAGERS = ("province_manager", "admin")


def connection():
    """The PostgreSQL connection lent to this request (autocommit; given back when the request ends)."""
    return lent_connection("province.pool")


def settings():
    return current_app.extensions["province.settings"]


def now():
    return current_app.extensions["province.clock"]()


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() or None if header.startswith("Bearer ") else None


def require_manager(roles=MANAGERS, *, password_changed: bool = True) -> dict:
    """The logged-in account, if its role is one of ``roles``. An account whose password must
    be changed first may only change it (``password_changed=False``). Raises Unauthorized,
    Forbidden, PasswordChangeRequired."""
    account = account_by_token(connection(), bearer(), now=now())
    if account is None:
        raise Unauthorized()
    if account["role"] not in roles:
        raise Forbidden()
    if password_changed and account["must_change_password"]:
        raise PasswordChangeRequired()
    return account


def require_admin() -> dict:
    """The logged-in hub admin. Raises Unauthorized, Forbidden, PasswordChangeRequired."""
    return require_manager(("admin",))
