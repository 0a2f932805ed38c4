"""A QR code as an SVG answer: the status link of a ticket, the page of a booking."""

import qrcode
import qrcode.image.svg
from flask import Response


def qr_svg(text: str) -> Response:
    """``text`` (a link of this server's, never free text from a request) as a QR code, SVG."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    return Response(image.to_string(), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})
