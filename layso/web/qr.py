"""QR codes as SVG: the status link of a ticket, the page of a booking, the entrance poster's links."""

import qrcode
import qrcode.image.svg
from flask import Response


def qr_markup(text: str, *, border: int = 2) -> str:
    """``text`` (a link of this server's, never free text from a request) as an SVG document."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=border)
    return image.to_string(encoding="unicode")


def qr_svg(text: str) -> Response:
    """``text`` as a QR code, an SVG answer."""
    return Response(qr_markup(text), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})
