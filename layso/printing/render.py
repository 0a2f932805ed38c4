"""The paper ticket (phiếu số thứ tự) drawn as a black-and-white raster image.

The ticket is an image, not printer text, so Vietnamese diacritics come out right
whatever code pages the printer has. :func:`ticket_text_lines` gives the exact
strings :func:`render_ticket` draws: both read the same layout, so tests check the
printed content through the code that draws it.
"""

import functools
import os
import shutil
import subprocess
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.util import MODE_8BIT_BYTE, QRData

from layso.wording import wait_words

WIDTH_80MM = 576  # printable dots of 80 mm paper at 203 dpi
WIDTH_58MM = 384  # printable dots of 58 mm paper

VIETNAM_TIME = timezone(timedelta(hours=7))  # Vietnam has no daylight saving time
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
# Grey levels darker than this become black. A little above the midpoint keeps the
# anti-aliased strokes of small letters and diacritics solid on thermal paper.
BLACK_BELOW = 160
_THRESHOLD = [0 if level < BLACK_BELOW else 255 for level in range(256)]
QR_MASK = 2  # fixed mask: choosing the "best" one costs ~5 ms and any mask scans


class FontMissing(RuntimeError):
    """DejaVu Sans is not installed (Debian package fonts-dejavu-core)."""


@dataclass(frozen=True)
class TicketPrint:
    """Everything printed on one ticket."""

    center_name: str
    number: str  # số thứ tự, e.g. "1023" or "A023"
    service_name: str  # thủ tục / dịch vụ
    ahead: int  # people waiting before this ticket
    estimated_wait_s: int | None  # None when the wait cannot be estimated yet
    issued_at: datetime  # aware; printed in Vietnam time (+07:00)
    counters: list  # quầy numbers or names that serve the service
    status_url: str  # the ticket's live status page (behind the QR code)
    footer: str
    priority: bool = False  # ưu tiên: printed as a flag, never the group (docs/printing.md)


def ticket_to_json(ticket: TicketPrint) -> dict:
    """A TicketPrint as JSON carries it (to a print agent or the render worker): issued_at in ISO 8601."""
    body = asdict(ticket)
    body["issued_at"] = ticket.issued_at.isoformat()
    return body


def ticket_from_json(fields: dict) -> TicketPrint:
    """The TicketPrint that :func:`ticket_to_json` wrote.

    Raises KeyError, TypeError or ValueError for a malformed body.
    """
    fields = dict(fields)
    fields["issued_at"] = datetime.fromisoformat(fields["issued_at"])
    return TicketPrint(**fields)


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text))


def _layout(ticket: TicketPrint) -> list[tuple[str, str]]:
    """The ticket from top to bottom as (style, text); style "qr" holds the URL."""
    if ticket.issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")
    issued = ticket.issued_at.astimezone(VIETNAM_TIME)
    blocks = [("header", ticket.center_name), ("rule", ""), ("label", "SỐ THỨ TỰ"),
              ("number", ticket.number)]
    if ticket.priority:
        blocks.append(("priority", "ƯU TIÊN"))
    blocks += [
        ("service", ticket.service_name),
        ("rule", ""),
        ("info", f"Số người đang chờ trước bạn: {ticket.ahead}"),
        ("info", f"Thời gian chờ dự kiến: {wait_words(ticket.estimated_wait_s)}"),
    ]
    if ticket.counters:
        blocks.append(("info", "Quầy phục vụ: " + ", ".join(str(c) for c in ticket.counters)))
    blocks += [
        ("info", f"Lấy số lúc: {issued:%d/%m/%Y %H:%M}"),
        ("qr", ticket.status_url),
        ("small", "Quét mã QR để theo dõi lượt của bạn"),
        ("footer", ticket.footer),
    ]
    return [(style, _nfc(text)) for style, text in blocks]


def ticket_text_lines(ticket: TicketPrint) -> list[str]:
    """The strings drawn on the ticket, top to bottom, NFC (long ones wrap on paper).

    Raises ValueError if ``issued_at`` is naive.
    """
    return [text for style, text in _layout(ticket) if style not in ("qr", "rule") and text]


def render_ticket(ticket: TicketPrint, *, width_px: int = WIDTH_80MM) -> Image.Image:
    """Draw the ticket as a mode "1" image ``width_px`` wide (576: 80 mm, 384: 58 mm).

    Text is thresholded here, never dithered. Raises ValueError for a naive
    ``issued_at`` or a width under 300 px, FontMissing without DejaVu Sans.
    """
    if width_px < 300:
        raise ValueError(f"width_px {width_px} is too narrow for a ticket")
    parts = []
    for style, text in _layout(ticket):
        if style == "qr":
            parts.append(_qr(text, width_px))
        else:
            parts.append(_text_block(style, text, width_px))  # cached: most lines recur
    return _stack(parts, width_px, margin=_margin(width_px))


# --- drawing -------------------------------------------------------------------

# style → (bold, size at 576 px, gap after in px at 576 px)
STYLES = {
    "header": (True, 28, 10),
    "label": (False, 24, 0),
    "number": (True, 190, 8),
    "priority": (True, 28, 12),
    "service": (True, 30, 10),
    "info": (False, 25, 8),
    "small": (False, 20, 8),
    "footer": (False, 20, 0),
}


def _scale(width_px: int) -> float:
    # Text shrinks less than the paper so 58 mm tickets stay readable.
    return 0.45 + 0.55 * width_px / WIDTH_80MM


def _margin(width_px: int) -> int:
    return max(8, width_px // 36)


@functools.cache
def font_path(bold: bool) -> str:
    """Path of DejaVu Sans (Bold): the known Debian path, else what fontconfig finds.

    Raises FontMissing when neither has it.
    """
    name = FONT_FILES[bold]
    known = os.path.join(FONT_DIR, name)
    if os.path.exists(known):
        return known
    if shutil.which("fc-match"):
        pattern = "DejaVu Sans:style=Bold" if bold else "DejaVu Sans:style=Book"
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=False
        ).stdout.strip()
        # fc-match falls back to any font; only DejaVu Sans has every Vietnamese letter.
        if os.path.basename(found) == name:
            return found
    raise FontMissing(f"font {name} not found: install the Debian package fonts-dejavu-core")


@functools.lru_cache(maxsize=64)
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    # Basic layout: NFC Vietnamese uses precomposed glyphs, so no shaping engine is
    # needed, and it measures and draws several times faster than raqm.
    return ImageFont.truetype(font_path(bold), size, layout_engine=ImageFont.Layout.BASIC)


def _style_font(style: str, width_px: int) -> ImageFont.FreeTypeFont:
    bold, size, _gap = STYLES[style]
    return _font(bold, max(12, round(size * _scale(width_px))))


def _gap(style: str, width_px: int) -> int:
    return round(STYLES[style][2] * _scale(width_px))


@functools.lru_cache(maxsize=256)
def _number_font(number: str, width_px: int) -> ImageFont.FreeTypeFont:
    """The largest bold size (up to the style's) at which the number fits the paper."""
    bold, size, _gap = STYLES["number"]
    size = round(size * width_px / WIDTH_80MM)
    room = width_px - 2 * _margin(width_px)
    while size > 24 and _font(bold, size).getlength(number) > room:
        size = size * 9 // 10
    return _font(bold, size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, room: int) -> list[str]:
    """Greedy word wrap; a word longer than a line stays whole."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(lines[-1] + " " + word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@functools.lru_cache(maxsize=1024)
def _text_block(style: str, text: str, width_px: int) -> Image.Image:
    """One style's text, wrapped and centred; cached since most lines recur all day."""
    if style == "rule":
        return _rule(width_px)
    font = _number_font(text, width_px) if style == "number" else _style_font(style, width_px)
    margin = _margin(width_px)
    inverted = style == "priority"  # white on black so staff spot it at a glance
    pad = margin // 2 if inverted else 0
    lines = _wrap(text, font, width_px - 2 * (margin + pad))
    ascent, descent = font.getmetrics()
    line_h = ascent + descent
    if style == "number":
        # Digits have no descenders: trim the empty space the font reserves.
        _left, top, _right, bottom = font.getbbox(text)
        line_h, offset = bottom - top, -top
    else:
        offset = 0
    height = len(lines) * line_h + 2 * pad
    block = Image.new("L", (width_px, height + _gap(style, width_px)), 255)
    draw = ImageDraw.Draw(block)
    if inverted:
        draw.rectangle((margin, 0, width_px - margin - 1, height - 1), fill=0)
    for index, line in enumerate(lines):
        x = (width_px - font.getlength(line)) / 2
        draw.text((x, pad + offset + index * line_h), line, font=font, fill=255 if inverted else 0)
    return block.point(_THRESHOLD, "1")


@functools.lru_cache(maxsize=8)
def _rule(width_px: int) -> Image.Image:
    margin = _margin(width_px)
    block = Image.new("1", (width_px, 3 + 2 * margin // 2), 255)
    ImageDraw.Draw(block).rectangle((margin, margin // 2, width_px - margin - 1, margin // 2 + 2), fill=0)
    return block


def _qr(url: str, width_px: int) -> Image.Image:
    """The status link as a QR code about a third of the paper wide, centred."""
    data = url.encode()
    code = qrcode.QRCode(version=_qr_version(len(data)), error_correction=qrcode.constants.ERROR_CORRECT_M,
                         border=0, mask_pattern=QR_MASK)
    code.add_data(QRData(data, mode=MODE_8BIT_BYTE))
    code.make(fit=False)
    matrix = code.get_matrix()
    modules = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    box = max(3, int(width_px * (0.36 if width_px >= WIDTH_80MM else 0.45)) // modules)
    image = Image.frombytes("L", (modules, modules), pixels).resize(
        (modules * box, modules * box), Image.Resampling.NEAREST
    )
    quiet = 2 * box  # white quiet zone above and below; the sides are blank paper
    block = Image.new("1", (width_px, image.height + 2 * quiet), 255)
    block.paste(image.convert("1", dither=Image.Dither.NONE), ((width_px - image.width) // 2, quiet))
    return block


@functools.lru_cache(maxsize=64)
def _qr_version(length: int) -> int:
    """The smallest QR version (size) holding ``length`` bytes at level M.

    The link is one byte-mode segment, so its length alone decides: a center's status
    links all have one length, and qrcode's search for the size is done once.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    code.add_data(QRData(b"\0" * length, mode=MODE_8BIT_BYTE))
    code.make(fit=True)
    return code.version


def _stack(parts: list[Image.Image], width_px: int, *, margin: int) -> Image.Image:
    """Parts one under the other, with ``margin`` blank rows above and below."""
    canvas = Image.new("1", (width_px, sum(part.height for part in parts) + 2 * margin), 255)
    top = margin
    for part in parts:
        canvas.paste(part, (0, top))
        top += part.height
    return canvas
