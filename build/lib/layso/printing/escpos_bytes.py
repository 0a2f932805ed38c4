"""ESC/POS bytes for a ticket image, framed by python-escpos, and a raster decoder.

A job is built once as bytes and then sent as it is to whichever connection the
printer has (network, USB, serial, file), so the same job can also travel to a
print agent.

python-escpos makes the framing (initialise; feed and cut as the printer profile
allows). The raster itself is packed here: ``Escpos.image()`` converts every
image through RGBA, grey and a dithering pass, ~13 ms for an 80 mm ticket, while
our image is already pure black and white and packs in well under 1 ms. A test
checks the bytes are identical to ``image(impl="bitImageRaster")``'s.
"""

import functools

from escpos.exceptions import ImageWidthError
from escpos.printer import Dummy
from PIL import Image

GS_V0 = b"\x1dv0"  # GS v 0: raster bit image
INIT = b"\x1b@"  # ESC @: initialise the printer
CUT = b"\x1dV"  # GS V: paper cut
# Taller images go as several blocks, as python-escpos does: some printers cap a block.
FRAGMENT_ROWS = 960
_INVERT = bytes(255 - value for value in range(256))


def ticket_bytes(image: Image.Image, *, profile: str) -> bytes:
    """Initialise, the image as GS v 0 raster, feed and cut: the whole job for one ticket.

    ``image`` is mode "1". ``profile`` is a python-escpos printer profile (e.g.
    "TM-T20II"); its paper width bounds the image and it decides the cut command
    (none on a profile without a cutter). Raises ImageWidthError for an image wider
    than the profile's paper, KeyError for an unknown profile, ValueError for an
    image not in mode "1".
    """
    head, tail, max_width = _framing(profile)
    if max_width is not None and image.width > max_width:
        raise ImageWidthError(f"{image.width} > {max_width}")
    return head + raster_bytes(image) + tail


@functools.cache
def _framing(profile: str) -> tuple[bytes, bytes, int | None]:
    """(bytes before the image, bytes after it, paper width in dots or None) per profile."""
    printer = Dummy(profile=profile)
    printer.hw("INIT")
    head = printer.output
    printer.clear()
    printer.cut()  # feeds 6 lines first, so the last line clears the cutter
    pixels = printer.profile.profile_data["media"]["width"].get("pixels")
    return head, printer.output, pixels if isinstance(pixels, int) else None


def raster_bytes(image: Image.Image) -> bytes:
    """The image as GS v 0 blocks of at most FRAGMENT_ROWS rows (set bit = black dot).

    Raises ValueError for an image not in mode "1".
    """
    if image.mode != "1":
        raise ValueError(f"raster needs a mode '1' image, got {image.mode!r}")
    width_bytes = (image.width + 7) // 8
    if image.width % 8:
        # Pad with white ourselves: Pillow's row padding would print as black dots.
        padded = Image.new("1", (width_bytes * 8, image.height), 255)
        padded.paste(image, (0, 0))
        image = padded
    blocks = []
    for top in range(0, image.height, FRAGMENT_ROWS):
        fragment = image.crop((0, top, image.width, min(top + FRAGMENT_ROWS, image.height)))
        # Pillow packs a white pixel as a set bit; the printer burns set bits.
        body = fragment.tobytes().translate(_INVERT)
        header = GS_V0 + bytes((0, width_bytes & 0xFF, width_bytes >> 8))
        header += bytes((fragment.height & 0xFF, fragment.height >> 8))
        blocks.append(header + body)
    return b"".join(blocks)


def decode_raster(data: bytes) -> Image.Image:
    """Every GS v 0 raster block in ``data``, stacked top to bottom, as a mode "1" image.

    Each block is ``1d 76 30 m xL xH yL yH`` then yH·256+yL rows of xH·256+xL
    bytes, a set bit being a black dot. Raises ValueError when there is no block,
    a block is cut short, or blocks differ in width.
    """
    blocks = []
    start = data.find(GS_V0)
    while start != -1:
        header = data[start + 4 : start + 8]
        if len(header) < 4:
            raise ValueError(f"raster header cut short at byte {start}")
        width_bytes = header[0] | header[1] << 8
        height = header[2] | header[3] << 8
        body = data[start + 8 : start + 8 + width_bytes * height]
        if len(body) != width_bytes * height:
            raise ValueError(f"raster block at byte {start} is cut short")
        blocks.append(Image.frombytes("1", (width_bytes * 8, height), body.translate(_INVERT)))
        start = data.find(GS_V0, start + 8 + len(body))
    if not blocks:
        raise ValueError("no GS v 0 raster image in the data")
    if len({block.width for block in blocks}) != 1:
        raise ValueError("raster blocks differ in width")
    image = Image.new("1", (blocks[0].width, sum(block.height for block in blocks)), 255)
    top = 0
    for block in blocks:
        image.paste(block, (0, top))
        top += block.height
    return image
