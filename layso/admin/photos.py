"""Officers' photos (ảnh cán bộ) for the rating tablets: uploaded by an admin, checked and
re-encoded, kept in the center's folder and served by this server at ``/photos/<name>.jpg``.
An officer's ``photo`` is only ever such a path, never an address elsewhere: a tablet must
not fetch from another site, nor show what someone else changes later (docs/security.md).
"""

import hashlib
import io
import os
import re
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from layso.errors import InvalidInput
from layso.settings import PHOTO_PATH

MAX_PHOTO_BYTES = 5 * 1024 * 1024  # a phone's photo; it is made small before it is kept
MAX_PIXELS = 40_000_000  # a bigger picture is refused before it is decoded (memory)
FORMATS = ("JPEG", "PNG", "WEBP")
SIDE_PX = 600  # a tablet shows the photo about 200 px wide


def photos_dir(instance_dir: Path) -> Path:
    """Where the center keeps its officers' photos: beside the database."""
    return instance_dir / "photos"


def _not_a_photo() -> InvalidInput:
    return InvalidInput("Tệp không phải ảnh JPEG, PNG hoặc WebP hợp lệ.",
                        message_en="The file is not a valid JPEG, PNG or WebP picture.")


def _decoded(data: bytes) -> Image.Image:
    """The picture in ``data``, upright, in RGB on white. Raises InvalidInput."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise _not_a_photo()
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput("Ảnh quá lớn (tối đa 40 triệu điểm ảnh).", message_en="The picture is too large (at most 40 megapixels).")
            image = ImageOps.exif_transpose(image)  # a phone's "turn me" note, applied before it is dropped
            image.thumbnail((SIDE_PX, SIDE_PX))
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, "white")
                background.paste(image, mask=image.getchannel("A"))
                return background
            return image.convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        raise _not_a_photo() from error


def store_photo(folder: Path, data: bytes) -> str:
    """Check that ``data`` is a JPEG, PNG or WebP picture and keep it in ``folder`` upright,
    at most 600 px a side, as a JPEG without its metadata (a phone's photo carries where it
    was taken); return its path on this server. The name is the picture's hash, so the same
    photo is kept once. Raises InvalidInput."""
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput("Ảnh tối đa 5 MB.", message_en="A photo may be at most 5 MB.")
    output = io.BytesIO()
    _decoded(data).save(output, "JPEG", quality=85, optimize=True)
    picture = output.getvalue()
    name = hashlib.sha256(picture).hexdigest()[:32] + ".jpg"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        partial = folder / f".{name}.{os.getpid()}.part"
        partial.write_bytes(picture)
        partial.replace(target)  # whole or not at all, whoever reads it meanwhile
    return f"/photos/{name}"


def checked_photo(value, folder: Path | None) -> str | None:
    """An officer's ``photo`` as given to the admin API: None (no photo) or the path of a photo
    uploaded to this server. Raises InvalidInput for anything else, an off-site URL first of all."""
    if value is None:
        return None
    if (not isinstance(value, str) or not re.fullmatch(PHOTO_PATH, value)
            or folder is None or not (folder / value.rsplit("/", 1)[1]).is_file()):
        raise InvalidInput("Ảnh phải là ảnh đã tải lên máy chủ này (/photos/…), không nhận địa chỉ nơi khác.",
                           message_en="'photo' must be a photo uploaded to this server (/photos/…), never an address elsewhere.")
    return value
