"""The hub's audit log (nhật ký quản trị): who did what to which center or account, and when.

Every admin action of /province/admin and its API — a center registered, given a new token,
renamed, deactivated or made active again; an account added, renamed, given another role,
deactivated or made active again, given a temporary password — and a password changed by its
owner writes one entry per change, **in the transaction of the change**: :func:`record` is
called inside it, so a change that rolls back leaves no entry and no change is kept without
one. An entry holds the new values (a name, a role), never a token or a password.

The command line's ``--register-center`` and ``--add-account`` are audited too, their actor
``cli:<the system user who ran it>`` (:func:`command_line_actor`); the demo's seeding is not.
"""

import getpass
import os

from psycopg.types.json import Jsonb

from layso import inputs
from layso.province.roles import ROLE_WORDS
from layso.reports import formats

ACTIONS = {  # action: (Vietnamese, English)
    "center.registered": ("Đăng ký trung tâm", "Center registered"),
    "center.token_rotated": ("Cấp mã truy cập mới", "New hub token"),
    "center.renamed": ("Đổi tên trung tâm", "Center renamed"),
    "center.deactivated": ("Ngừng hoạt động trung tâm", "Center deactivated"),
    "center.reactivated": ("Trung tâm hoạt động lại", "Center made active again"),
    "account.added": ("Thêm tài khoản", "Account added"),
    "account.renamed": ("Đổi họ tên tài khoản", "Account renamed"),
    "account.role_changed": ("Đổi vai trò", "Role changed"),
    "account.deactivated": ("Ngừng hoạt động tài khoản", "Account deactivated"),
    "account.reactivated": ("Tài khoản hoạt động lại", "Account made active again"),
    "account.password_reset": ("Đặt lại mật khẩu tạm", "Temporary password given"),
    "account.password_changed": ("Tự đổi mật khẩu", "Password changed by its owner"),
    "account.password_set": ("Đặt mật khẩu mới", "New password set"),
}
COMMAND_LINE = "cli:"  # an actor's prefix no user name from the admin screen has (layso.admin.accounts.USERNAME)
DETAILS = frozenset({"name", "role", "was"})  # what an entry may keep: never a token or a password
DEFAULT_LIMIT, MAX_LIMIT = 100, 500


def record(connection, actor: str, action: str, target: str, **detail) -> None:
    """Write one entry. Call it inside the change's transaction (``with connection.transaction()``)."""
    if action not in ACTIONS or not DETAILS.issuperset(detail):
        raise ValueError(f"not an audit entry: {action} {sorted(detail)}")
    connection.execute("INSERT INTO hub_audit (actor, action, target, detail) VALUES (%s, %s, %s, %s)",
                       [actor, action, target, Jsonb(detail)])


def command_line_actor() -> str:
    """The actor of a change made with ``python -m layso.province`` on the hub's server:
    ``cli:`` and the system user who ran it (its uid when it has no name, as in some containers)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return COMMAND_LINE + user


def _actor_words(actor: str, lang: str) -> str:
    """'Dòng lệnh (root)' for the command line; an account's user name as it is."""
    if not actor.startswith(COMMAND_LINE):
        return actor
    user = actor.removeprefix(COMMAND_LINE)
    return f"Dòng lệnh ({user})" if lang == "vi" else f"Command line ({user})"


def _value_words(key: str, value, lang: str) -> str:
    return ROLE_WORDS[value][lang == "en"] if key == "role" and value in ROLE_WORDS else str(value)


def _detail_words(detail: dict, lang: str) -> str:
    """'Lãnh đạo tỉnh → Quản trị' for a change, 'Nguyễn Thị Lan, Lãnh đạo tỉnh' for what was added."""
    values = [_value_words(key, detail[key], lang) for key in ("name", "role") if key in detail]
    if "was" in detail:
        key = "role" if "role" in detail else "name"
        return f"{_value_words(key, detail['was'], lang)} → {values[-1]}"
    return ", ".join(values)


def latest_entries(connection, *, now, limit=None, before=None) -> list[dict]:
    """The latest entries, newest first: at most ``limit`` (1…500, default 100), those older
    than entry ``before`` when given (the next page), each worded in both languages
    (``shown``) with its time in the province's (``now``'s time zone). Raises InvalidInput."""
    limit = DEFAULT_LIMIT if limit is None else inputs.number(limit, "limit", low=1, high=MAX_LIMIT)
    before = None if before is None else inputs.number(before, "before", low=1)
    rows = connection.execute(
        "SELECT id, at, actor, action, target, detail FROM hub_audit WHERE %s::bigint IS NULL OR id < %s "
        "ORDER BY id DESC LIMIT %s", [before, before, limit]).fetchall()
    entries = []
    for entry_id, at, actor, action, target, detail in rows:
        at = at.astimezone(now.tzinfo)
        entries.append({
            "id": entry_id, "at": at.isoformat(), "actor": actor, "action": action, "target": target, "detail": detail,
            "shown": {lang: {"at": formats.moment(at), "actor": _actor_words(actor, lang),
                             "action": ACTIONS.get(action, (action, action))[lang == "en"],
                             "detail": _detail_words(detail, lang)} for lang in ("vi", "en")},
        })
    return entries
