"""The recorded voice (giọng đọc thu âm), admin only: ``/api/v1/admin/voice-pack``.
The pack lives beside the database (layso/speech/pack.py); the rules are layso/admin/voice_pack.py."""

from flask import Response, jsonify, request

from layso.admin import voice_pack
from layso.errors import InvalidInput
from layso.speech.pack import export_zip, pack_folder
from layso.web.auth import current_principal, require_user
from layso.web.context import body_limit, db, now, publish, settings

from dashboard import bp

ADMIN = "admin"


def _folder():
    return pack_folder(settings().instance_dir)


def _changed(outcome):
    publish(outcome.events)
    return jsonify(outcome.value)


@bp.get("/api/v1/admin/voice-pack")
@require_user(ADMIN)
def admin_voice_pack():
    return jsonify(voice_pack.overview(db(), _folder()))


@bp.put("/api/v1/admin/voice-pack/clips/<key>")
@require_user(ADMIN)
@body_limit(voice_pack.MAX_CLIP_BYTES)
def admin_record_clip(key):
    """Record a clip: the body is the WAV file itself (``audio/wav``)."""
    if request.mimetype not in ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"):
        raise InvalidInput("Hãy gửi tệp âm thanh WAV (Content-Type: audio/wav).",
                           message_en="Send a WAV file (Content-Type: audio/wav).")
    return _changed(voice_pack.record_clip(db(), _folder(), key, request.get_data(),
                                           by=current_principal().username, now=now()))


@bp.delete("/api/v1/admin/voice-pack/clips/<key>")
@require_user(ADMIN)
def admin_delete_clip(key):
    return _changed(voice_pack.delete_clip(db(), _folder(), key, by=current_principal().username, now=now()))


@bp.get("/api/v1/admin/voice-pack/export")
@require_user(ADMIN)
def admin_export_voice_pack():
    name = f"giong-doc-{now():%Y%m%d}.zip"
    return Response(export_zip(_folder()), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/api/v1/admin/voice-pack/import")
@require_user(ADMIN)
@body_limit(voice_pack.MAX_PACK_BYTES + 64 * 1024)  # the form's own bytes besides the file
def admin_import_voice_pack():
    """Replace the pack by an exported one (multipart field ``file``, a zip)."""
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput("Hãy chọn tệp giọng đọc (.zip, trường 'file').",
                           message_en="Choose a voice pack file (.zip, field 'file').")
    return _changed(voice_pack.import_pack(db(), _folder(), upload.read(voice_pack.MAX_PACK_BYTES + 1),
                                           by=current_principal().username, now=now()))
