"""Security headers on every answer the server gives (docs/security.md, "Headers").

A WSGI middleware outside Socket.IO's, so Socket.IO's own answers (long-polling) carry them
too. Pages run only the server's own files: no inline script, style attribute or event
handler, so an injected ``<script>`` or ``onerror=`` in any stored text never runs. Data
reaches scripts in ``<script type="application/json">`` blocks, which never execute.
"""

# Where each directive allows loading from. 'self' in connect-src covers the Socket.IO
# websocket (ws: / wss: on the page's own host and port: CSP Level 3, honoured by Chromium;
# tests/browser/test_security_headers.py proves it).
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
))

# Public screens may be framed by the center's own pages (a composed hall screen); staff
# pages and everything else by nobody, so no other site can overlay them (clickjacking).
PUBLIC_PAGES = ("/kiosk", "/t/", "/display", "/tablet/", "/public")


def _headers(ancestors: str, frame_options: str) -> tuple[tuple[str, str], ...]:
    return (
        ("Content-Security-Policy", f"{CONTENT_SECURITY_POLICY}; frame-ancestors {ancestors}"),
        ("X-Frame-Options", frame_options),
        ("X-Content-Type-Options", "nosniff"),
        # Status links (/t/<token>) and device tokens in URLs must never leave in a Referer.
        ("Referrer-Policy", "no-referrer"),
    )


PUBLIC_HEADERS = _headers("'self'", "SAMEORIGIN")
STAFF_HEADERS = _headers("'none'", "DENY")


def security_headers(path: str) -> tuple[tuple[str, str], ...]:
    """The headers every answer for ``path`` carries: public pages may be framed by this
    server's own pages only, anything else by nobody."""
    return PUBLIC_HEADERS if path == "/" or path.startswith(PUBLIC_PAGES) else STAFF_HEADERS


def with_security_headers(wsgi_app):
    """WSGI middleware adding :func:`security_headers` to every response (a header the app
    already set is kept)."""

    def app(environ, start_response):
        extra = security_headers(environ.get("PATH_INFO", "/"))

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = list(headers) + [header for header in extra if header[0].lower() not in present]
            return start_response(status, headers, exc_info)

        return wsgi_app(environ, start)

    return app
