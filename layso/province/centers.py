"""Registered centers (trung tâm xã, phường) and their hub tokens and cursors.

A center proves who it is with its hub token (``Authorization: Bearer``); the hub keeps only
its SHA-256. The cursor ``acked`` is the highest sequence the hub holds with no gap before it.
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from layso.errors import Conflict, InvalidInput, NotFound, Unauthorized
from layso.province import audit
from layso.reports import formats
from layso.store.seed import token_hash

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Center:
    id: int
    code: str
    name: str
    acked: int


def _checked(code, name) -> tuple[str, str]:
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise InvalidInput("Mã trung tâm chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 40).",
                           message_en="A center code is lower-case letters, digits and hyphens (40 at most).")
    return code, _checked_name(name)


def _checked_name(name) -> str:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
        raise InvalidInput("Hãy nhập tên trung tâm (tối đa 200 ký tự).", message_en="A center name is required (200 characters at most).")
    if "\x00" in name:  # PostgreSQL's text cannot hold it
        raise InvalidInput("Tên trung tâm có ký tự không hợp lệ.", message_en="The center name has an invalid character.")
    return unicodedata.normalize("NFC", name.strip())


def _code_or_none(code) -> str | None:
    """``code`` if it can be a center's code (anything else is no center: never sent to the database)."""
    return code if isinstance(code, str) and CODE_PATTERN.match(code) else None


def register_center(connection, code: str, name: str, *, by: str | None, token: str | None = None) -> str:
    """Register a center, or give a registered one a new token and this name and make it
    active again (``--register-center``); returns its token, made here when none is given.
    Each change is audited as ``by``'s (audit.command_line_actor() from the command line;
    None, not audited, for the demo's seeding and the set-up of tests and benchmarks). Raises
    InvalidInput for a bad code or name."""
    code, name = _checked(code, name)
    token = token or secrets.token_urlsafe(32)
    with connection.transaction():
        added = connection.execute(
            "INSERT INTO centers (code, name, token_hash) VALUES (%s, %s, %s) ON CONFLICT (code) DO NOTHING RETURNING id",
            [code, name, token_hash(token)]).fetchone()
        if added is not None:
            if by is not None:
                audit.record(connection, by, "center.registered", code, name=name)
            return token
        before = connection.execute("SELECT name, active FROM centers WHERE code = %s FOR UPDATE", [code]).fetchone()
        connection.execute("UPDATE centers SET name = %s, token_hash = %s, active = true, deactivated_at = NULL "
                           "WHERE code = %s", [name, token_hash(token), code])
        if by is not None:
            audit.record(connection, by, "center.token_rotated", code)
            if name != before[0]:
                audit.record(connection, by, "center.renamed", code, name=name, was=before[0])
            if not before[1]:
                audit.record(connection, by, "center.reactivated", code)
    return token


def create_center(connection, code, name, *, by: str) -> str:
    """Register a new center (the admin screen, account ``by``; audited); returns its hub
    token, shown once. Raises InvalidInput, Conflict (the code is taken: give that center a
    new token instead)."""
    code, name = _checked(code, name)
    token = secrets.token_urlsafe(32)
    with connection.transaction():
        added = connection.execute(
            "INSERT INTO centers (code, name, token_hash) VALUES (%s, %s, %s) ON CONFLICT (code) DO NOTHING RETURNING id",
            [code, name, token_hash(token)]).fetchone()
        if added is None:
            raise Conflict("Mã trung tâm này đã được đăng ký.", message_en="This center code is registered already.")
        audit.record(connection, by, "center.registered", code, name=name)
    return token


def new_token(connection, code, *, by: str) -> str:
    """Give a center a new hub token (a lost or leaked one; account ``by``, audited): the old
    one stops working at once; its cursor and data stay. Returns the token, shown once.
    Raises NotFound."""
    token = secrets.token_urlsafe(32)
    with connection.transaction():
        changed = connection.execute("UPDATE centers SET token_hash = %s WHERE code = %s RETURNING id",
                                     [token_hash(token), _code_or_none(code)]).fetchone()
        if changed is None:
            raise NotFound("Không có trung tâm này.", message_en="No such center.")
        audit.record(connection, by, "center.token_rotated", code)
    return token


def change_center(connection, code, *, by: str, now: datetime, name=None, active=None) -> None:
    """Rename a center, or deactivate it at ``now`` (its token is refused and it leaves the
    live view; its history stays in reports, and on the public page up to that month) or make
    it active again; account ``by`` does it, and each real change is audited. Raises
    InvalidInput, NotFound."""
    if name is not None:
        name = _checked_name(name)
    if active is not None and not isinstance(active, bool):
        raise InvalidInput("Trường 'active' phải là true hoặc false.", message_en="'active' must be true or false.")
    with connection.transaction():
        before = connection.execute("SELECT name, active FROM centers WHERE code = %s FOR UPDATE",
                                    [_code_or_none(code)]).fetchone()
        if before is None:
            raise NotFound("Không có trung tâm này.", message_en="No such center.")
        deactivated = active is False and before[1]
        connection.execute(
            "UPDATE centers SET name = COALESCE(%s, name), active = COALESCE(%s, active), "
            "deactivated_at = CASE WHEN %s THEN %s WHEN %s THEN NULL ELSE deactivated_at END WHERE code = %s",
            [name, active, deactivated, now, active is True, code])
        if name is not None and name != before[0]:
            audit.record(connection, by, "center.renamed", code, name=name, was=before[0])
        if active is not None and active != before[1]:
            audit.record(connection, by, "center.reactivated" if active else "center.deactivated", code)


def center_by_token(connection, token: str | None) -> Center:
    """The center whose hub token this is. Raises Unauthorized."""
    if not token:
        raise Unauthorized("Thiếu mã truy cập của trung tâm.", message_en="The center's hub token is missing.")
    row = connection.execute(
        "SELECT id, code, name, acked FROM centers WHERE token_hash = %s AND active", [token_hash(token)]
    ).fetchone()
    if row is None:
        raise Unauthorized("Mã truy cập của trung tâm không đúng.", message_en="Unknown hub token.")
    return Center(*row)


def list_centers(connection) -> list[Center]:
    return [Center(*row) for row in connection.execute("SELECT id, code, name, acked FROM centers ORDER BY code")]


def center_by_code(connection, code) -> Center | None:
    if _code_or_none(code) is None:
        return None
    row = connection.execute("SELECT id, code, name, acked FROM centers WHERE code = %s", [code]).fetchone()
    return None if row is None else Center(*row)


def status_words(online: bool, lang: str, *, active: bool = True) -> str:
    """The one wording of a center's link, on the live view and the admin screen."""
    if not active:
        return "Ngừng hoạt động" if lang == "vi" else "Deactivated"
    if lang == "vi":
        return "Đang kết nối" if online else "Mất kết nối"
    return "Online" if online else "Offline"


def center_records(connection, *, now: datetime, offline_after_s: float) -> list[dict]:
    """Every registered center for the admin screen, active or not, sorted by code: its
    cursor, last contact and link, worded in both languages (``shown``)."""
    records = []
    for code, name, acked, active, last_contact, created_at in connection.execute(
            "SELECT code, name, acked, active, last_contact, created_at FROM centers ORDER BY code"):
        last_contact = last_contact.astimezone(now.tzinfo) if last_contact else None
        online = active and last_contact is not None and now - last_contact <= timedelta(seconds=offline_after_s)
        records.append({
            "code": code, "name": name, "active": active, "acked": acked, "online": online,
            "last_contact": last_contact.isoformat() if last_contact else None,
            "created_at": created_at.astimezone(now.tzinfo).isoformat(),
            "shown": {lang: {"status": status_words(online, lang, active=active),
                             "last_contact": formats.moment(last_contact) if last_contact else formats.NONE,
                             "acked": formats.number(acked, lang=lang)} for lang in ("vi", "en")},
        })
    return records
