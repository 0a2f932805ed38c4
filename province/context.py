"""What every hub route needs: a pooled PostgreSQL connection for the request, the hub's
settings and clock, and who is asking (a center by hub token, an account by login token)."""

from flask import current_app, request

from layso.errors import Forbidden, Unauthorized
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


def require_manager() -> dict:
    """The logged-in province manager or admin. Raises Unauthorized, Forbidden."""
    account = account_by_token(connection(), bearer(), now=now())
    if account is None:
        raise Unauthorized()
    if account["role"] not in MANAGERS:
        raise Forbidden()
    return account
