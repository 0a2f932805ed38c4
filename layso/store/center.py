"""The center's live set-up in the database: settings as JSON values, and the audit log.

After the first start these rows, not the TOML file, are the truth; admin screens write
them through :func:`set_setting`, which records who changed what.
"""

import json

from layso.errors import InvalidInput
from layso.store.db import write

# What the seed writes, and what admins may change later (key → meaning).
SETTING_KEYS = {
    "center_name": "tên trung tâm",
    "place": "địa danh ghi trên báo cáo",
    "hours": "giờ làm việc và ngày nghỉ",
    "queue": "chính sách gọi số và ước tính thời gian chờ",
    "priority_reasons": "đối tượng ưu tiên",
    "rating": "mức đánh giá, lý do, thời hạn đánh giá",
    "voice": "giọng đọc",
    "announcement": "dòng thông báo chạy trên màn hình",
    "remote": "lấy số từ xa: giới hạn, giờ, mã xác nhận",
    "notify": "tin nhắn SMS/Zalo gửi công dân",
    "appointments": "khung giờ đặt lịch hẹn và quy tắc của lịch hẹn",
}


def get_setting(db, key: str, default=None):
    row = db.execute("SELECT value FROM center_settings WHERE key = ?", [key]).fetchone()
    return default if row is None else json.loads(row[0])


def all_settings(db) -> dict:
    return {key: json.loads(value) for key, value in db.execute("SELECT key, value FROM center_settings")}


def put_setting(db, key: str, value) -> None:
    """Store a setting inside the caller's transaction (seeding, migrations)."""
    db.execute(
        "INSERT INTO center_settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value, ensure_ascii=False)],
    )


def audit(db, *, by: str | None, action: str, detail: dict, now) -> None:
    """Append to the audit log, inside the caller's transaction; the server's log gets the
    same line once the transaction commits (:func:`layso.store.db.write`)."""
    db.committed_lines.append(("%s by %s: %s", (action, by, json.dumps(detail, ensure_ascii=False))))
    db.execute(
        "INSERT INTO audit_log (at, username, action, detail) VALUES (?, ?, ?, ?)",
        [now.isoformat(timespec="seconds"), by, action, json.dumps(detail, ensure_ascii=False)],
    )


def set_setting(db, key: str, value, *, by: str, now) -> None:
    """Change one setting live and record it in the audit log."""
    if key not in SETTING_KEYS:
        raise InvalidInput(f"Không có mục cấu hình '{key}'.", message_en=f"No setting '{key}'.")
    with write(db):
        put_setting(db, key, value)
        audit(db, by=by, action=f"setting.{key}", detail={"value": value}, now=now)
