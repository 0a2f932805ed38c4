"""Hub accounts (tài khoản cấp tỉnh): province managers and admins, with the same login
answer as a center's (``{token, role, …}``, then ``Authorization: Bearer``). Tokens are
stored hashed and expire. Throttling failed logins is the web layer's (layso.web.throttle, in
the hub's Redis). Admin actions, password changes and the command line's changes are audited
(layso.province.audit)."""

import re
import secrets
from datetime import datetime, timedelta

from layso import inputs
from layso.admin.accounts import USERNAME
from layso.clock import iso
from layso.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from layso.passwords import check_new_password, dummy_hash, hash_password, verify_password
from layso.province import audit
from layso.province.roles import ROLE_WORDS, ROLES
from layso.store.seed import token_hash


def add_account(connection, username: str, role: str, password: str, *, by: str | None, method: str,
                name: str | None = None) -> None:
    """Create an account (named ``name``, else by its user name) or set a registered one's
    role and password, its name if given, and make it active again (``--add-account``, the
    demo). Each change is audited as ``by``'s (audit.command_line_actor() from the command
    line; None for the demo's seeding, not audited). Raises InvalidInput (the user name, the role)."""
    _checked_username(username)
    _checked_role(role)
    password_hash = hash_password(password, method)
    with connection.transaction():
        added = connection.execute(
            "INSERT INTO accounts (username, name, role, password_hash) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (username) DO NOTHING RETURNING username",
            [username, name or username, role, password_hash]).fetchone()
        if added is not None:
            if by is not None:
                audit.record(connection, by, "account.added", username, name=name or username, role=role)
            return
        before = connection.execute("SELECT name, role, active FROM accounts WHERE username = %s FOR UPDATE",
                                    [username]).fetchone()
        connection.execute("UPDATE accounts SET name = COALESCE(%s, name), role = %s, password_hash = %s, active = true "
                           "WHERE username = %s", [name, role, password_hash, username])
        if by is None:
            return
        if name is not None and name != before[0]:
            audit.record(connection, by, "account.renamed", username, name=name, was=before[0])
        if role != before[1]:
            audit.record(connection, by, "account.role_changed", username, role=role, was=before[1])
        if not before[2]:
            audit.record(connection, by, "account.reactivated", username)
        audit.record(connection, by, "account.password_set", username)


def check_login(connection, username, password, *, method: str) -> dict:
    """The account for a user name and password. Raises InvalidInput, Unauthorized. A
    missing account costs a hash too, so timing tells no one which names exist."""
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise InvalidInput("Hãy nhập tên đăng nhập và mật khẩu.", message_en="Username and password are required.")
    row = connection.execute(
        "SELECT username, name, role, password_hash, must_change_password FROM accounts WHERE username = %s AND active",
        [username]).fetchone() if "\x00" not in username else None  # PostgreSQL's text cannot hold NUL: no name has it
    stored = row[3] if row else dummy_hash(method)
    if not verify_password(stored, password) or row is None:
        raise Unauthorized("Tên đăng nhập hoặc mật khẩu không đúng.", message_en="Wrong username or password.")
    return {"username": row[0], "name": row[1], "role": row[2], "must_change_password": row[4]}


def issue_token(connection, account: dict, *, now: datetime, ttl_s: int) -> dict:
    """A new login token for ``account``: the answer of POST /api/v1/auth/login."""
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(seconds=ttl_s)
    with connection.transaction():
        connection.execute("DELETE FROM account_tokens WHERE expires_at < %s", [now])
        connection.execute("INSERT INTO account_tokens (token_hash, username, expires_at) VALUES (%s, %s, %s)",
                           [token_hash(token), account["username"], expires])
    return {"token": token, "role": account["role"], "username": account["username"], "name": account["name"],
            "expires_at": iso(expires), "must_change_password": account["must_change_password"]}


def account_by_token(connection, token: str | None, *, now: datetime) -> dict | None:
    """The active account a live token belongs to, or None."""
    if not token:
        return None
    row = connection.execute(
        "SELECT a.username, a.name, a.role, a.must_change_password FROM account_tokens t "
        "JOIN accounts a ON a.username = t.username WHERE t.token_hash = %s AND t.expires_at > %s AND a.active",
        [token_hash(token), now],
    ).fetchone()
    return None if row is None else {"username": row[0], "name": row[1], "role": row[2], "must_change_password": row[3]}


def forget_token(connection, token: str) -> None:
    connection.execute("DELETE FROM account_tokens WHERE token_hash = %s", [token_hash(token)])


def _account_status(active: bool, must_change: bool, lang: str) -> str:
    if not active:
        return "Ngừng hoạt động" if lang == "vi" else "Deactivated"
    if must_change:
        return "Chờ đổi mật khẩu tạm" if lang == "vi" else "Temporary password not changed yet"
    return "Đang hoạt động" if lang == "vi" else "Active"


def list_accounts(connection) -> list[dict]:
    """Every hub account, admins first, with its role and status in words (``shown``)."""
    rows = connection.execute("SELECT username, name, role, active, must_change_password FROM accounts "
                              "ORDER BY role, username").fetchall()
    return [{"username": username, "name": name, "role": role, "active": active, "must_change_password": must_change,
             "shown": {lang: {"role": ROLE_WORDS[role][lang == "en"], "status": _account_status(active, must_change, lang)}
                       for lang in ("vi", "en")}}
            for username, name, role, active, must_change in rows]


def _checked_name(name) -> str:
    name = inputs.text(name, "officer_name", name="name")
    if "\x00" in name:
        raise InvalidInput("Tên có ký tự không hợp lệ.", message_en="The name has an invalid character.")
    return name


def _checked_username(username) -> str:
    # The admin screen's and the command line's rule: no user name can pass for the command
    # line's actor (``cli:…``, layso/province/audit.py).
    if not isinstance(username, str) or not re.fullmatch(USERNAME, username):
        raise InvalidInput("Tên đăng nhập: 2–32 chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang.",
                           message_en="username: 2 to 32 lower-case letters, digits, '.', '_' or '-'.")
    return username


def _checked_role(role) -> str:
    if role not in ROLES:
        raise InvalidInput("Vai trò phải là province_manager hoặc admin.", message_en="role: province_manager or admin.")
    return role


def create_account(connection, username, name, role, password, *, by: str, method: str) -> None:
    """Add an account with a temporary password (the center's rules for a chosen one,
    layso.passwords); it must change it at its first login, as on a center. Account ``by``
    adds it (audited). Raises InvalidInput, Conflict."""
    username, name, role = _checked_username(username), _checked_name(name), _checked_role(role)
    password_hash = hash_password(check_new_password(password, username=username, center_name=""), method)
    with connection.transaction():
        added = connection.execute(
            "INSERT INTO accounts (username, name, role, password_hash, must_change_password) "
            "VALUES (%s, %s, %s, %s, true) ON CONFLICT (username) DO NOTHING RETURNING username",
            [username, name, role, password_hash]).fetchone()
        if added is None:
            raise Conflict("Tên đăng nhập đã tồn tại.", message_en="This username exists already.")
        audit.record(connection, by, "account.added", username, name=name, role=role)


def change_account(connection, username, *, by: str, name=None, role=None, active=None) -> None:
    """Rename an account, change its role, deactivate it (its sessions end at once) or make
    it active again. An admin cannot take away their own admin access. Each real change is
    audited as account ``by``'s. Raises InvalidInput, NotFound, Conflict."""
    name = None if name is None else _checked_name(name)
    role = None if role is None else _checked_role(role)
    if active is not None and not isinstance(active, bool):
        raise InvalidInput("Trường 'active' phải là true hoặc false.", message_en="'active' must be true or false.")
    if username == by and (role not in (None, "admin") or active is False):
        raise Conflict("Không thể tự bỏ quyền quản trị của mình.", message_en="You cannot remove your own admin access.")
    with connection.transaction():
        before = connection.execute("SELECT name, role, active FROM accounts WHERE username = %s FOR UPDATE",
                                    [_username_or_none(username)]).fetchone()
        if before is None:
            raise NotFound("Không có tài khoản này.", message_en="No such account.")
        connection.execute(
            "UPDATE accounts SET name = COALESCE(%s, name), role = COALESCE(%s, role), active = COALESCE(%s, active) "
            "WHERE username = %s", [name, role, active, username])
        if name is not None and name != before[0]:
            audit.record(connection, by, "account.renamed", username, name=name, was=before[0])
        if role is not None and role != before[1]:
            audit.record(connection, by, "account.role_changed", username, role=role, was=before[1])
        if active is not None and active != before[2]:
            audit.record(connection, by, "account.reactivated" if active else "account.deactivated", username)
        if active is False:
            connection.execute("DELETE FROM account_tokens WHERE username = %s", [username])


def reset_password(connection, username, *, by: str, method: str) -> str:
    """Give the account a new temporary password (returned once) that must be changed at
    its next login, and end its sessions; account ``by`` does it (audited). Raises NotFound."""
    password = secrets.token_urlsafe(9)
    with connection.transaction():
        changed = connection.execute(
            "UPDATE accounts SET password_hash = %s, must_change_password = true WHERE username = %s RETURNING username",
            [hash_password(password, method), _username_or_none(username)]).fetchone()
        if changed is None:
            raise NotFound("Không có tài khoản này.", message_en="No such account.")
        audit.record(connection, by, "account.password_reset", username)
        connection.execute("DELETE FROM account_tokens WHERE username = %s", [username])
    return password


def change_password(connection, account: dict, old_password, new_password, *, method: str, token: str) -> None:
    """Set a password the account chose (the center's rules) and end its other sessions
    (``token``, the one asking, stays); audited as the account's own. Raises Forbidden (wrong
    current password), InvalidInput."""
    (stored,) = connection.execute("SELECT password_hash FROM accounts WHERE username = %s",
                                   [account["username"]]).fetchone()
    if not isinstance(old_password, str) or not verify_password(stored, old_password):
        raise Forbidden("Mật khẩu hiện tại không đúng.", message_en="The current password is wrong.")
    check_new_password(new_password, username=account["username"], center_name="")
    if old_password == new_password:
        raise InvalidInput("Mật khẩu mới phải khác mật khẩu cũ.", message_en="Choose a different password.")
    password_hash = hash_password(new_password, method)
    with connection.transaction():
        connection.execute("UPDATE accounts SET password_hash = %s, must_change_password = false WHERE username = %s",
                           [password_hash, account["username"]])
        audit.record(connection, account["username"], "account.password_changed", account["username"])
        connection.execute("DELETE FROM account_tokens WHERE username = %s AND token_hash <> %s",
                           [account["username"], token_hash(token)])


def _username_or_none(username) -> str | None:
    """``username`` if PostgreSQL can hold it (accounts made on the command line may have any name)."""
    return username if isinstance(username, str) and "\x00" not in username else None
