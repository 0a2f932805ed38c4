"""The recorded voice (giọng đọc thu âm), admin only: ``/api/v1/admin/voice-pack``.
The pack lives beside the database (layso/speech/pack.py); the rules are layso/admin/voice_pack.py."""

from flask import Response, jsonify, request, send_file

from layso.admin import voice_pack
from layso.errors import InvalidInput
from layso.reports import formats
from layso.speech.cache import audio_folder
from layso.speech.pack import export_zip, pack_folder
from layso.web.auth import current_principal, require_user
from layso.web.context import body_limit, db, json_body, now, publish, settings
from layso.web.i18n import gettext, language

from dashboard import bp

ADMIN = "admin"


def _folder():
    return pack_folder(settings().instance_dir)


def _changed(outcome):
    publish(outcome.events)
    return jsonify(outcome.value)


STATUS_WORDS = {"recorded": "Đã ghi âm", "missing": "Chưa ghi âm", "optional": "Không bắt buộc"}


def with_words(body: dict) -> dict:
    """Beside each clip its status and duration as people read them (``shown``)."""
    for clip in body["clips"]:
        status = "recorded" if clip["recorded"] else "optional" if clip["optional"] else "missing"
        duration = clip["duration_s"]
        clip["shown"] = {"status": gettext(STATUS_WORDS[status]),
                         "duration": "" if duration is None else formats.number(duration, 1, language()) + " s"}
    return body


@bp.get("/api/v1/admin/voice-pack")
@require_user(ADMIN)
def admin_voice_pack():
    return jsonify(with_words(voice_pack.overview(db(), _folder())))


@bp.get("/api/v1/admin/voice-pack/clips/<key>")
@require_user(ADMIN)
def admin_play_clip(key):
    """A recorded clip's WAV, to listen to on the admin page."""
    return send_file(voice_pack.clip_file(db(), _folder(), key), mimetype="audio/wav", max_age=0)


@bp.post("/api/v1/admin/voice-pack/preview")
@require_user(ADMIN)
def admin_preview_voice():
    """"Nghe thử": {number, counter} → the call as the hall would hear it now."""
    spoken = voice_pack.preview(db(), _folder(), audio_folder(settings().instance_dir), json_body(),
                                separate_process=settings().async_mode == "gevent")
    voice = gettext("Giọng thu âm") if spoken["voice"] == "pack" else gettext("Giọng máy")
    missing = ", ".join(f"«{clip['text']}»" for clip in spoken["missing"])
    return jsonify(spoken | {"shown": {"voice": f"{voice} ({gettext('thiếu')} {missing})" if missing else voice}})


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
    outcome = voice_pack.import_pack(db(), _folder(), upload.read(voice_pack.MAX_PACK_BYTES + 1),
                                     by=current_principal().username, now=now())
    publish(outcome.events)
    return jsonify(with_words(outcome.value))
