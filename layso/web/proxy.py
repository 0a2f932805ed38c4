"""The client's address behind the center's own reverse proxy (nginx or Caddy terminating
HTTPS: docs/security.md). Every request then comes from the proxy, so the kiosk rate limit,
the login throttle and the device networks would see one address for the whole center.

Only a peer listed in ``[server] trusted_proxies`` is believed: the client is the last
address in its ``X-Forwarded-For`` (the one the proxy itself appended; anything before it
came from the client and proves nothing) and the scheme is its ``X-Forwarded-Proto``.
From any other peer these headers are ignored, so nobody escapes a limit by sending them.
"""

import ipaddress


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def behind_proxies(wsgi_app, proxies: tuple):
    """WSGI middleware: take the client address and scheme from a trusted proxy's headers."""
    if not proxies:
        return wsgi_app

    def app(environ, start_response):
        peer = _address(environ.get("REMOTE_ADDR") or "")
        if peer is not None and any(peer in network for network in proxies):
            client = _address(environ.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1])
            if client is not None:
                environ["REMOTE_ADDR"] = str(client)
            if environ.get("HTTP_X_FORWARDED_PROTO") in ("http", "https"):
                environ["wsgi.url_scheme"] = environ["HTTP_X_FORWARDED_PROTO"]
        return wsgi_app(environ, start_response)

    return app
