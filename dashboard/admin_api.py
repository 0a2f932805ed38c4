"""Administration API (admin only): ``/api/v1/admin/...``. Each change is audited and
published as ``settings.changed``; managers may read nothing here (403)."""

import secrets

from flask import current_app, jsonify, request, send_file

from layso.admin import accounts, catalog, center, hub, photos
from layso.admin.restore import restore_backup
from layso.admin.words import DEVICE_WORDS, ROLE_WORDS, action_words
from layso.errors import InvalidInput
from layso.notify.admin import admin_view
from layso.reports import formats
from layso.store import backup
from layso.store.center import all_settings, audit
from layso.store.db import write
from layso.web.auth import current_principal, require_user
from layso.web.context import body_limit, db, json_body, now, publish, query_number, settings
from layso.web.i18n import gettext, language

from dashboard import bp
from dashboard.reports_api import hub_link_status

ADMIN = "admin"
MAX_UPLOAD_BYTES = 2 * 1024**3


def _changed(outcome, status=200):
    publish(outcome.events)
    return jsonify(outcome.value), status


def _by() -> str:
    return current_principal().username


@bp.get("/api/v1/admin/services")
@require_user(ADMIN)
def admin_catalog():
    return jsonify(catalog.list_catalog(db()))


@bp.post("/api/v1/admin/fields")
@require_user(ADMIN)
def admin_save_field():
    return _changed(catalog.save_field(db(), json_body(), by=_by(), now=now()))


@bp.post("/api/v1/admin/services")
@require_user(ADMIN)
def admin_create_service():
    return _changed(catalog.create_service(db(), json_body(), by=_by(), now=now()), 201)


@bp.post("/api/v1/admin/services/<code>")
@require_user(ADMIN)
def admin_update_service(code):
    return _changed(catalog.update_service(db(), code, json_body(), by=_by(), now=now()))


@bp.get("/api/v1/admin/counters")
@require_user(ADMIN)
def admin_counters():
    return jsonify(counters=catalog.list_catalog(db())["counters"])


@bp.post("/api/v1/admin/counters")
@require_user(ADMIN)
def admin_create_counter():
    return _changed(catalog.create_counter(db(), json_body(), by=_by(), now=now()), 201)


@bp.post("/api/v1/admin/counters/<int:number>")
@require_user(ADMIN)
def admin_update_counter(number):
    return _changed(catalog.update_counter_setup(db(), number, json_body(), by=_by(), now=now()))


def _choices(words: dict) -> list[dict]:
    return [{"id": code, "label": gettext(word)} for code, word in words.items()]


@bp.get("/api/v1/admin/officers")
@require_user(ADMIN)
def admin_officers():
    officers = [officer | {"shown": {"role": gettext(ROLE_WORDS.get(officer["role"], officer["role"]))}}
                for officer in accounts.list_officers(db())]
    return jsonify(officers=officers, roles=_choices(ROLE_WORDS))


@bp.post("/api/v1/admin/officers")
@require_user(ADMIN)
def admin_create_officer():
    return _changed(accounts.create_officer(db(), json_body(), by=_by(), now=now(), password_method=settings().password_hash,
                                            photos=_photos()), 201)


@bp.post("/api/v1/admin/officers/<username>")
@require_user(ADMIN)
def admin_update_officer(username):
    return _changed(accounts.update_officer(db(), username, json_body(), by=_by(), now=now(), photos=_photos()))


def _photos():
    return photos.photos_dir(settings().instance_dir)


@bp.post("/api/v1/admin/officers/<username>/photo")
@require_user(ADMIN)
def admin_officer_photo(username):
    """Upload an officer's photo (multipart field ``photo``: JPEG, PNG or WebP, at most 5 MB)."""
    request.max_content_length = photos.MAX_PHOTO_BYTES + 64 * 1024  # the form's own bytes besides the file
    upload = request.files.get("photo")
    if upload is None:
        raise InvalidInput("Hãy chọn một tệp ảnh (trường 'photo').", message_en="Choose a picture file (field 'photo').")
    path = photos.store_photo(_photos(), upload.read(photos.MAX_PHOTO_BYTES + 1))
    return _changed(accounts.update_officer(db(), username, {"photo": path}, by=_by(), now=now(), photos=_photos()))


@bp.post("/api/v1/admin/officers/<username>/reset-password")
@require_user(ADMIN)
def admin_reset_password(username):
    return _changed(accounts.reset_password(db(), username, by=_by(), now=now(), password_method=settings().password_hash))


@bp.get("/api/v1/admin/devices")
@require_user(ADMIN)
def admin_devices():
    devices = [device | {"shown": {"kind": gettext(DEVICE_WORDS.get(device["kind"], device["kind"])),
                                   "last_seen": formats.moment(device["last_seen"])}}
               for device in accounts.list_devices(db())]
    return jsonify(devices=devices, kinds=_choices(DEVICE_WORDS))


@bp.post("/api/v1/admin/devices")
@require_user(ADMIN)
def admin_register_device():
    return _changed(accounts.register_device(db(), json_body(), by=_by(), now=now()), 201)


@bp.post("/api/v1/admin/devices/<device_id>/revoke")
@require_user(ADMIN)
def admin_revoke_device(device_id):
    return _changed(accounts.revoke_device(db(), device_id, by=_by(), now=now()))


@bp.get("/api/v1/admin/settings")
@require_user(ADMIN)
def admin_settings():
    values = all_settings(db())
    return jsonify(settings={key: values.get(key) for key in center.EDITABLE})


@bp.post("/api/v1/admin/settings/<key>")
@require_user(ADMIN)
def admin_change_setting(key):
    body = json_body(ranged=True)  # a number past 64 bits is refused by its field's check, naming its range
    if "value" not in body:
        raise InvalidInput("Thiếu trường 'value'.", message_en="'value' is required.")
    return _changed(center.change_setting(db(), key, body["value"], by=_by(), now=now()))


@bp.get("/api/v1/admin/notify")
@require_user(ADMIN)
def admin_notify():
    """The notices' settings with what the environment sets (no secret), and every text with its SMS parts."""
    return jsonify(admin_view(db(), settings().notify_env, english=language() == "en"))


@bp.get("/api/v1/admin/audit")
@require_user(ADMIN)
def admin_audit():
    limit = query_number("limit", 100, low=1, high=1000)
    rows = db().query("SELECT id, at, username, action, detail FROM audit_log ORDER BY id DESC LIMIT ?", [limit])
    return jsonify(entries=[row | {"shown": {"action": gettext(action_words(row["action"])), "at": formats.moment(row["at"])}}
                            for row in rows])


@bp.get("/api/v1/admin/hub")
@require_user(ADMIN)
def admin_hub():
    """The link to the province hub: where it points (never the token) and its state."""
    return jsonify(link=hub.shown_link(hub.current_link(db(), settings().hub)), status=hub_link_status())


@bp.post("/api/v1/admin/hub")
@require_user(ADMIN)
def admin_save_hub():
    outcome = hub.save_link(db(), json_body(), configured=settings().hub, by=_by(), now=now())
    publish(outcome.events)
    current_app.extensions["layso.hub_sync"].wake()  # the next round uses the new link at once
    return jsonify(link=outcome.value, status=hub_link_status())


def _backups():
    return backup.backup_dir(settings().instance_dir)


@bp.get("/api/v1/admin/backups")
@require_user(ADMIN)
def admin_backups():
    backups = [item | {"shown": {"size": formats.number(item["size"] / 1024**2, 1, language()) + " MB",
                                 "created": formats.moment(item["created"])}}
               for item in backup.list_backups(_backups())]
    return jsonify(backups=backups, keep_days=settings().backup_keep_days)


@bp.post("/api/v1/admin/backups")
@require_user(ADMIN)
def admin_create_backup():
    path = backup.create_backup(settings().db_path, _backups(), now=now())
    _audit("backup.create", {"name": path.name})
    return jsonify(name=path.name, size=path.stat().st_size), 201


@bp.get("/api/v1/admin/backups/<name>")
@require_user(ADMIN)
def admin_download_backup(name):
    return send_file(backup.backup_path(_backups(), name), as_attachment=True, download_name=name,
                     mimetype="application/vnd.sqlite3")


@bp.post("/api/v1/admin/restore")
@require_user(ADMIN)
@body_limit(MAX_UPLOAD_BYTES)  # a database is far bigger than an API body
def admin_restore():
    """Restore a backup chosen by name (JSON {name}) or uploaded (multipart field ``file``)."""
    folder = _backups()
    upload = request.files.get("file")
    if upload is not None:
        source = folder / f"upload-{secrets.token_hex(6)}.db"
        upload.save(source)
    else:
        source = backup.backup_path(folder, json_body().get("name"))
    try:
        outcome = restore_backup(db(), source, folder, now=now())
    finally:
        if upload is not None:
            source.unlink(missing_ok=True)
    _audit("backup.restore", {"from": upload.filename if upload else source.name,
                              "saved_before": outcome.value["saved_before"]})
    return _changed(outcome)


def _audit(action: str, detail: dict) -> None:
    with write(db()):
        audit(db(), by=_by(), action=action, detail=detail, now=now())
