"""``GET /healthz``: can this server be trusted with the center's data right now? For a
supervisor or a monitor polling every few seconds: no login, one small read, no write.

200 ``{"ok": true, "database": "ok", "fsync": "ok"}`` while the database answers and the
last fsync succeeded; 503 ``{"ok": false, "reason", "message", …}`` otherwise, saying why
(``fsync_failed``: the store stopped taking writes until a restart, layso/store/durable.py;
``database_unavailable``: the file cannot be read)."""

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, jsonify

from layso.clock import iso
from layso.web.context import db, settings
from layso.web.i18n import language

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    sync = current_app.extensions["layso.pool"].wal_sync
    if sync.failure is not None:
        return _unhealthy(
            "fsync_failed",
            "Máy chủ đã ngừng ghi dữ liệu do lỗi ổ đĩa: khởi động lại máy chủ và kiểm tra ổ đĩa.",
            "The server stopped saving changes after a disk error: restart it and check the disk.",
            detail=sync.failure, since=iso(datetime.fromtimestamp(sync.failed_at, ZoneInfo(settings().timezone))),
        )
    try:
        db().execute("SELECT COUNT(*) FROM _sqlite_migrations").fetchone()
    except sqlite3.Error as error:
        return _unhealthy("database_unavailable", "Không đọc được cơ sở dữ liệu.", "The database cannot be read.",
                          detail=str(error))
    return _no_store(jsonify(ok=True, database="ok", fsync="ok"))


def _unhealthy(reason: str, message: str, message_en: str, **details):
    body = jsonify(ok=False, reason=reason, message=message_en if language() == "en" else message, **details)
    return _no_store(body), 503


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
