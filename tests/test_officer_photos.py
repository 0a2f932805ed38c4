"""Issue 14, security item 11 (privacy): an officer's photo is a file uploaded to this server
(admin only, pictures only, size-limited, kept in the center's folder, served from here),
never an address elsewhere."""

import io

import pytest
from PIL import Image

from layso import settings as settings_module
from layso.settings import SettingsError
from tests.conftest import DATA

OFF_SITE = ["https://evil.example/p.jpg", "//evil.example/p.jpg", "http://192.168.1.9/p.png", "evil.example/p.jpg",
            "/photos/../layso.db", "/photos/0123456789abcdef0123456789abcdef.jpg", "javascript:alert(1)", 42, ""]


def picture(kind="PNG", size=(1200, 900), **options) -> bytes:
    image = Image.new("RGBA" if kind == "PNG" else "RGB", size, (200, 30, 30, 255) if kind == "PNG" else (200, 30, 30))
    output = io.BytesIO()
    image.save(output, kind, **options)
    return output.getvalue()


def upload(client, headers, data, username="an", name="photo.png"):
    return client.post(f"/api/v1/admin/officers/{username}/photo", headers=headers,
                       data={"photo": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.fixture
def admin(login):
    return login("quantri")


def test_item_11_an_uploaded_photo_is_kept_small_without_metadata_and_served_from_this_server(client, admin, settings):
    exif = Image.Exif()
    exif[0x0110] = "Camera with GPS"  # Model: stands in for what a phone writes
    answer = upload(client, admin, picture("JPEG", exif=exif.tobytes()), name="me.jpg")
    assert answer.status_code == 200, answer.get_json()
    path = answer.get_json()["photo"]
    assert path.startswith("/photos/") and path.endswith(".jpg")
    assert (settings.instance_dir / "photos" / path.rsplit("/", 1)[1]).is_file()
    served = client.get(path)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    stored = Image.open(io.BytesIO(served.data))
    assert max(stored.size) == 600 and not stored.getexif()
    officers = client.get("/api/v1/admin/officers", headers=admin).get_json()["officers"]
    assert next(o for o in officers if o["username"] == "an")["photo"] == path
    again = upload(client, admin, picture("PNG"), username="binh")  # PNG with transparency: made a JPEG on white
    assert again.status_code == 200 and again.get_json()["photo"].endswith(".jpg")
    # the same path may be saved back with the rest of the row, or the photo removed
    assert client.post("/api/v1/admin/officers/an", headers=admin, json={"photo": path}).status_code == 200
    assert client.post("/api/v1/admin/officers/an", headers=admin, json={"photo": None}).get_json()["photo"] is None


@pytest.mark.parametrize("value", OFF_SITE)
def test_item_11_an_officer_photo_that_is_not_an_uploaded_file_is_refused(client, admin, value):
    for url, body in (("/api/v1/admin/officers/an", {"photo": value}),
                      ("/api/v1/admin/officers", {"username": "moi", "name": "Mới", "password": "a-long-new-password-9",
                                                  "photo": value})):
        answer = client.post(url, headers=admin, json=body)
        assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_input", (url, value)
    officers = client.get("/api/v1/admin/officers", headers=admin).get_json()["officers"]
    assert next(o for o in officers if o["username"] == "an")["photo"] is None
    assert "moi" not in [o["username"] for o in officers]


def test_item_11_only_pictures_of_a_bounded_size_from_an_admin_are_accepted(app, client, admin, login):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
    gif = picture("GIF", size=(10, 10))
    for data, name in ((b"not a picture", "x.jpg"), (svg, "x.svg"), (gif, "x.gif"), (picture("PNG")[:200], "cut.png"), (b"", "e.png")):
        answer = upload(client, admin, data, name=name)
        assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_input", name
    huge = picture("PNG") + b"\0" * (6 * 1024 * 1024)
    assert upload(client, admin, huge).status_code == 413
    no_file = client.post("/api/v1/admin/officers/an/photo", headers=admin, data={}, content_type="multipart/form-data")
    assert no_file.status_code == 400
    assert upload(client, admin, picture("PNG"), username="no-such-officer").status_code == 404
    for role in ("quanly", "an"):  # a manager, an officer
        assert upload(client, login(role), picture("PNG")).status_code == 403
    assert app.test_client().post("/api/v1/admin/officers/an/photo").status_code == 401  # no login at all
    for path in ("/photos/../layso.db", "/photos/..%2Flayso.db", "/photos/layso.db", "/photos/0123456789abcdef0123456789abcdef.jpg"):
        assert client.get(path).status_code == 404, path


def test_item_11_a_config_photo_must_be_an_uploaded_path_not_a_url(tmp_path):
    text = (DATA / "center.toml").read_text(encoding="utf-8")
    config = tmp_path / "center.toml"
    config.write_text(text.replace('username = "an"\n', 'username = "an"\nphoto = "https://evil.example/an.jpg"\n', 1),
                      encoding="utf-8")
    with pytest.raises(SettingsError, match=r"officers\[0\]\.photo"):
        settings_module.load(config=str(config), environ={"LAYSO_SECRET_KEY": "test-secret-key-0123456789"})
