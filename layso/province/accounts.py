"""Hub accounts (tài khoản cấp tỉnh): province managers and admins, with the same login
answer as a center's (``{token, role, …}``, then ``Authorization: Bearer``). Tokens are
stored hashed and expire. Throttling failed logins is the web layer's (one per process)."""

import secrets
from datetime import datetime, timedelta

from layso.clock import iso
from layso.errors import InvalidInput, Unauthorized
from layso.passwords import dummy_hash, hash_password, verify_password
from layso.store.seed import token_hash

ROLES = ("province_manager", "admin")


def add_account(connection, username: str, name: str, role: str, password: str, *, method: str) -> None:
    """Create or reset an account (demo, set-up). The caller's statement commits."""
    if role not in ROLES:
        raise InvalidInput("Vai trò phải là province_manager hoặc admin.", message_en="role: province_manager or admin.")
    connection.execute(
        "INSERT INTO accounts (username, name, role, password_hash) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (username) DO UPDATE SET name = excluded.name, role = excluded.role, "
        "password_hash = excluded.password_hash, active = true",
        [username, name, role, hash_password(password, method)],
    )


def check_login(connection, username, password, *, method: str) -> dict:
    """The account for a user name and password. Raises InvalidInput, Unauthorized. A
    missing account costs a hash too, so timing tells no one which names exist."""
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise InvalidInput("Hãy nhập tên đăng nhập và mật khẩu.", message_en="Username and password are required.")
    row = connection.execute(
        "SELECT username, name, role, password_hash FROM accounts WHERE username = %s AND active", [username]
    ).fetchone()
    stored = row[3] if row else dummy_hash(method)
    if not verify_password(stored, password) or row is None:
        raise Unauthorized("Tên đăng nhập hoặc mật khẩu không đúng.", message_en="Wrong username or password.")
    return {"username": row[0], "name": row[1], "role": row[2]}


def issue_token(connection, account: dict, *, now: datetime, ttl_s: int) -> dict:
    """A new login token for ``account``: the answer of POST /api/v1/auth/login."""
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(seconds=ttl_s)
    with connection.transaction():
        connection.execute("DELETE FROM account_tokens WHERE expires_at < %s", [now])
        connection.execute("INSERT INTO account_tokens (token_hash, username, expires_at) VALUES (%s, %s, %s)",
                           [token_hash(token), account["username"], expires])
    return {"token": token, "role": account["role"], "username": account["username"], "name": account["name"],
            "expires_at": iso(expires)}


def account_by_token(connection, token: str | None, *, now: datetime) -> dict | None:
    """The active account a live token belongs to, or None."""
    if not token:
        return None
    row = connection.execute(
        "SELECT a.username, a.name, a.role FROM account_tokens t JOIN accounts a ON a.username = t.username "
        "WHERE t.token_hash = %s AND t.expires_at > %s AND a.active", [token_hash(token), now],
    ).fetchone()
    return None if row is None else {"username": row[0], "name": row[1], "role": row[2]}


def forget_token(connection, token: str) -> None:
    connection.execute("DELETE FROM account_tokens WHERE token_hash = %s", [token_hash(token)])
