"""The recorded voice's admin API (issue 19): the clip list derived from the configuration,
a clip recorded from any common WAV, deleted, and the whole pack exported and imported."""

import io
import json
import zipfile

import numpy as np
import pytest

from layso.speech import audio
from tests.test_voice_assembly import dominant_frequency, tone

PACK = "/api/v1/admin/voice-pack"


def wav(seconds=0.5, rate=48000, frequency=440.0, silence_s=0.3) -> bytes:
    """A tone with silence either side, as a microphone records it."""
    quiet = np.zeros(int(rate * silence_s))
    return audio.wav_bytes(np.concatenate([quiet, tone(frequency, seconds, rate, amplitude=0.9), quiet]), rate)


def put(client, headers, key, data, content_type="audio/wav"):
    return client.put(f"{PACK}/clips/{key}", data=data, headers=headers | {"Content-Type": content_type})


def listing(client, headers) -> dict:
    answer = client.get(PACK, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def record_all(client, headers, *, skip=()):
    for index, clip in enumerate(listing(client, headers)["clips"]):
        if clip["key"] not in skip:
            assert put(client, headers, clip["key"], wav(0.2, frequency=300 + 40 * index)).status_code == 200


def test_the_clip_list_is_derived_from_the_configuration(client, admin):
    body = listing(client, admin)
    clips = {clip["key"]: clip for clip in body["clips"]}
    assert not body["complete"] and all(not clip["recorded"] and clip["duration_s"] is None for clip in clips.values())
    assert clips["phrase-xin-moi-cong-dan-co-so-thu-tu"]["text"] == "Xin mời công dân có số thứ tự"
    assert clips["phrase-den-quay-so"]["text"] == "đến quầy số"
    assert [clip["text"] for clip in body["clips"] if clip["group"] == "letter"] == ["A", "Bê", "Dê"]  # A, B, D
    assert clips["thousand-north"]["text"] == "nghìn" and clips["thousand-south"]["optional"]
    assert set(body["missing"]) == {key for key, clip in clips.items() if not clip["optional"]}
    # a new service with a new prefix adds its letter
    created = client.post("/api/v1/admin/services", headers=admin,
                          json={"code": "XH", "prefix": "H", "name": "Hộ tịch mới", "field": "TP"})
    assert created.status_code == 201, created.get_json()
    assert "letter-h" in {clip["key"] for clip in listing(client, admin)["clips"]}


def test_a_clip_is_stored_trimmed_normalised_and_resampled(client, admin, settings):
    answer = put(client, admin, "digit-7", wav(0.5, rate=48000))
    assert answer.status_code == 200, answer.get_json()
    clip = answer.get_json()
    assert clip["key"] == "digit-7" and clip["text"] == "bảy" and clip["recorded"]
    assert clip["duration_s"] == pytest.approx(0.5 + 2 * audio.TRIM_MARGIN_S, abs=0.02)  # 0.6 s of silence trimmed
    stored, rate = audio.read_wav_file(settings.instance_dir / "voice-pack" / "digit-7.wav")
    assert rate == audio.RATE and np.max(np.abs(stored)) <= 10 ** (-1 / 20)
    assert audio.loudness_db(stored) == pytest.approx(audio.TARGET_DB, abs=1)
    assert dominant_frequency(stored) == pytest.approx(440, abs=3)
    row = next(row for row in listing(client, admin)["clips"] if row["key"] == "digit-7")
    assert row["recorded"] and row["duration_s"] == clip["duration_s"]
    # deleted, and deleting again is a 404
    assert client.delete(f"{PACK}/clips/digit-7", headers=admin).get_json() == {"key": "digit-7", "recorded": False}
    assert client.delete(f"{PACK}/clips/digit-7", headers=admin).status_code == 404


@pytest.mark.parametrize("data, content_type, status", [
    (b"RIFF\x00\x00\x00\x00WAVEjunk", "audio/wav", 400),
    (b"", "audio/wav", 400),
    (audio.wav_bytes(np.zeros(48000), 48000), "audio/wav", 400),  # silence only
    (audio.wav_bytes(np.zeros(61 * 8000) + 0.1, 8000), "audio/wav", 400),  # over 60 s
    (b"\x00" * 100, "application/json", 400),
    (bytes(21 * 1024 * 1024), "audio/wav", 413),
])
def test_what_is_not_a_usable_recording_is_refused_in_words(client, admin, data, content_type, status):
    answer = put(client, admin, "digit-1", data, content_type)
    assert answer.status_code == status
    if status == 400:
        body = answer.get_json()
        assert body["error"] == "invalid_input" and body["message"]


def test_an_unknown_or_absurd_key_is_a_404(client, admin):
    for key in ("digit-99", "letter-z", "x" * 5000, "phrase-%E1%BB%87", "..%2Fmanifest.json", "١"):
        assert put(client, admin, key, wav()).status_code == 404, key
        assert client.delete(f"{PACK}/clips/{key}", headers=admin).status_code == 404


def test_only_admins_may_touch_the_voice(app, client, manager):
    assert app.test_client().get(PACK).status_code == 401
    assert client.get(PACK, headers=manager).status_code == 403
    assert put(client, manager, "digit-1", wav()).status_code == 403
    assert client.get(f"{PACK}/export", headers=manager).status_code == 403


def test_export_then_import_gives_back_the_same_pack(client, admin, settings):
    record_all(client, admin)
    before = listing(client, admin)
    assert before["complete"] and before["missing"] == []
    exported = client.get(f"{PACK}/export", headers=admin)
    assert exported.status_code == 200 and exported.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert set(manifest["clips"]) == {clip["key"] for clip in before["clips"]}
        clip_bytes = {key: archive.read(entry["file"]) for key, entry in manifest["clips"].items()}
    # wipe the pack, then import the zip: the same clips, the same sound
    for clip in before["clips"]:
        client.delete(f"{PACK}/clips/{clip['key']}", headers=admin)
    assert not listing(client, admin)["complete"]
    answer = client.post(f"{PACK}/import", headers=admin, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(exported.data), "giong-doc.zip")})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["complete"]
    assert listing(client, admin)["clips"] == before["clips"]
    for key, data in clip_bytes.items():
        assert (settings.instance_dir / "voice-pack" / f"{key}.wav").read_bytes() == data, key


def zipped(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("upload", [
    b"not a zip",
    zipped({"readme.txt": "no manifest"}),
    zipped({"manifest.json": "[1, 2]"}),
    zipped({"manifest.json": json.dumps({"clips": {"../evil": {"file": "x.wav", "text": "x"}}}), "x.wav": wav()}),
    zipped({"manifest.json": json.dumps({"clips": {"digit-1": {"file": "missing.wav", "text": "một"}}})}),
    zipped({"manifest.json": json.dumps({"clips": {"digit-1": {"file": "x.wav", "text": "một"}}}), "x.wav": b"junk"}),
])
def test_a_bad_pack_is_refused_and_the_pack_in_place_stays(client, admin, upload):
    assert put(client, admin, "digit-1", wav()).status_code == 200
    answer = client.post(f"{PACK}/import", headers=admin, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(upload), "pack.zip")})
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_input"
    assert next(row for row in listing(client, admin)["clips"] if row["key"] == "digit-1")["recorded"]
    assert client.post(f"{PACK}/import", headers=admin, content_type="multipart/form-data", data={}).status_code == 400


def test_the_dashboard_names_the_missing_clip_once_a_pack_is_started(client, admin):
    assert not any(alert["kind"] == "voice_pack_incomplete"
                   for alert in client.get("/api/v1/dashboard", headers=admin).get_json()["alerts"])
    record_all(client, admin, skip={"hundred"})
    alerts = client.get("/api/v1/dashboard", headers=admin).get_json()["alerts"]
    voice = next(alert for alert in alerts if alert["kind"] == "voice_pack_incomplete")
    assert voice["missing"] == ["trăm"] and voice["missing_count"] == 1
    assert "«trăm»" in voice["shown"]["message"]
    english = client.get("/api/v1/dashboard", headers=admin | {"Accept-Language": "en"}).get_json()["alerts"]
    assert "The recorded voice lacks «trăm»" in next(a for a in english if a["kind"] == "voice_pack_incomplete")["shown"]["message"]
    assert put(client, admin, "hundred", wav(0.2)).status_code == 200
    assert not any(alert["kind"] == "voice_pack_incomplete"
                   for alert in client.get("/api/v1/dashboard", headers=admin).get_json()["alerts"])


def test_a_pack_survives_backup_and_restore(client, admin, settings):
    from datetime import datetime, timedelta

    from layso.store.backup import backup_dir, nightly_backup, prune_backups

    record_all(client, admin)
    before = listing(client, admin)
    pack_dir = settings.instance_dir / "voice-pack"
    sounds = {path.name: path.read_bytes() for path in pack_dir.glob("*.wav")}
    name = client.post("/api/v1/admin/backups", headers=admin).get_json()["name"]
    folder = backup_dir(settings.instance_dir)
    kept = folder / name.replace(".db", ".voice-pack.zip")
    assert kept.is_file()
    assert [item["name"] for item in client.get("/api/v1/admin/backups", headers=admin).get_json()["backups"]] == [name]
    # the voice changes after the backup: a clip recorded again, another deleted
    assert put(client, admin, "digit-1", wav(0.4, frequency=1000)).status_code == 200
    assert client.delete(f"{PACK}/clips/hundred", headers=admin).status_code == 200
    answer = client.post("/api/v1/admin/restore", headers=admin, json={"name": name})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["voice_pack_restored"] is True
    assert listing(client, admin)["clips"] == before["clips"]
    assert {path.name: path.read_bytes() for path in pack_dir.glob("*.wav")} == sounds
    # the voice in use before the restore is kept with the safety backup
    safety = folder / answer.get_json()["saved_before"].replace(".db", ".voice-pack.zip")
    assert safety.is_file()
    # nightly backups keep it too, and pruning takes it with its database
    moment = datetime(2026, 12, 6, 2, 0)
    nightly = nightly_backup(settings.db_path, folder, keep_days=30, now=moment)
    assert nightly.with_name(nightly.stem + ".voice-pack.zip").is_file()
    prune_backups(folder, keep_days=1, now=moment + timedelta(days=3))
    assert not list(folder.glob("*.zip"))


def test_an_uploaded_backup_leaves_the_voice_in_place(client, admin, settings):
    from layso.store.backup import backup_dir

    assert put(client, admin, "digit-1", wav()).status_code == 200
    name = client.post("/api/v1/admin/backups", headers=admin).get_json()["name"]
    data = (backup_dir(settings.instance_dir) / name).read_bytes()
    answer = client.post("/api/v1/admin/restore", headers=admin, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "layso-backup.db")})
    assert answer.status_code == 200 and answer.get_json()["voice_pack_restored"] is False
    assert next(row for row in listing(client, admin)["clips"] if row["key"] == "digit-1")["recorded"]


def test_the_voice_and_its_pauses_are_chosen_on_the_admin_api(client, admin):
    answer = client.post("/api/v1/admin/settings/voice", headers=admin, json={"value": {
        "voice": "vi-vn-x-south", "part_pause_ms": 450, "word_pause_ms": 0, "crossfade_ms": 20}})
    assert answer.status_code == 200, answer.get_json()
    voice = answer.get_json()["voice"]
    assert (voice["voice"], voice["part_pause_ms"], voice["word_pause_ms"], voice["crossfade_ms"]) == ("vi-vn-x-south", 450, 0, 20)
    # the southern voice reads the south's words: "ngàn" is needed now, "nghìn" optional
    clips = {clip["key"]: clip for clip in listing(client, admin)["clips"]}
    assert not clips["thousand-south"]["optional"] and clips["thousand-north"]["optional"]


def test_nghe_thu_speaks_any_number_with_the_engine_until_the_pack_has_its_clips(client, admin):
    answer = client.post(f"{PACK}/preview", headers=admin, json={"number": "A1023", "counter": 5})
    assert answer.status_code == 200, answer.get_json()
    spoken = answer.get_json()
    assert spoken["voice"] == "engine" and spoken["text"].endswith("đến quầy số năm")
    assert {"key": "hundred", "text": "trăm"} in spoken["missing"]
    assert spoken["shown"]["voice"].startswith("Giọng máy (thiếu «")
    served = client.get(spoken["audio_url"])
    assert served.status_code == 200 and served.mimetype == "audio/wav"
    samples, rate = audio.read_wav(served.data)
    assert rate == audio.RATE and np.max(np.abs(samples)) <= 10 ** (-1 / 20)  # the engine's file, mastered
    record_all(client, admin)
    spoken = client.post(f"{PACK}/preview", headers=admin, json={"number": "B7", "counter": 12}).get_json()
    assert (spoken["voice"], spoken["missing"], spoken["chime_included"]) == ("pack", [], True)
    assert client.get(f"{PACK}/clips/digit-7", headers=admin).mimetype == "audio/wav"


@pytest.mark.parametrize("body", [{"number": "A-", "counter": 5}, {"number": "", "counter": 5}, {"number": "A1", "counter": 0},
                                  {"number": "A1", "counter": 10**40}, {"number": "A" * 40, "counter": 1}, {"number": 7, "counter": 1}])
def test_nghe_thu_refuses_what_is_not_a_number_and_a_counter(client, admin, body):
    answer = client.post(f"{PACK}/preview", headers=admin, json=body)
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_input"
