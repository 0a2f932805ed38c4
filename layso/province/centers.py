"""Registered centers (trung tâm xã, phường) and their hub tokens and cursors.

A center proves who it is with its hub token (``Authorization: Bearer``); the hub keeps only
its SHA-256. The cursor ``acked`` is the highest sequence the hub holds with no gap before it.
"""

import re
import secrets
from dataclasses import dataclass

from layso.errors import InvalidInput, Unauthorized
from layso.store.seed import token_hash

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Center:
    id: int
    code: str
    name: str
    acked: int


def register_center(connection, code: str, name: str, *, token: str | None = None) -> str:
    """Register a center (or give an existing one a new token and name); returns its token,
    made here when none is given. The caller commits. Raises InvalidInput for a bad code."""
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise InvalidInput("Mã trung tâm chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 40).",
                           message_en="A center code is lower-case letters, digits and hyphens (40 at most).")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidInput("Hãy nhập tên trung tâm (tối đa 200 ký tự).", message_en="A center name is required (200 characters at most).")
    token = token or secrets.token_urlsafe(32)
    connection.execute(
        "INSERT INTO centers (code, name, token_hash) VALUES (%s, %s, %s) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash",
        [code, name.strip(), token_hash(token)],
    )
    return token


def center_by_token(connection, token: str | None) -> Center:
    """The center whose hub token this is. Raises Unauthorized."""
    if not token:
        raise Unauthorized("Thiếu mã truy cập của trung tâm.", message_en="The center's hub token is missing.")
    row = connection.execute(
        "SELECT id, code, name, acked FROM centers WHERE token_hash = %s", [token_hash(token)]
    ).fetchone()
    if row is None:
        raise Unauthorized("Mã truy cập của trung tâm không đúng.", message_en="Unknown hub token.")
    return Center(*row)


def list_centers(connection) -> list[Center]:
    return [Center(*row) for row in connection.execute("SELECT id, code, name, acked FROM centers ORDER BY code")]


def center_by_code(connection, code) -> Center | None:
    if not isinstance(code, str):
        return None
    row = connection.execute("SELECT id, code, name, acked FROM centers WHERE code = %s", [code]).fetchone()
    return None if row is None else Center(*row)
