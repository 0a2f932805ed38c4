"""Starting a server, the same for a center (``layso serve``, layso/server.py) and the
province hub (``python -m layso.province``): gevent's patch before anything else, the
command line's common flags, and gevent's WSGI server with TCP_NODELAY (docs/decisions.md),
or Werkzeug's in threading mode (tests, debugging).

This module imports only the standard library at its top, so that an entry point can import
it first and patch before anything else is imported."""

import os
import socket


def patch_for_async_mode() -> str:
    """``LAYSO_ASYNC_MODE`` (``gevent`` unless set): under gevent the standard library is
    patched here, so an entry point calls this before it imports anything else. Returns the
    mode (the settings check it)."""
    mode = os.environ.get("LAYSO_ASYNC_MODE", "gevent")
    if mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    return mode


def add_server_arguments(parser, *, default_port: int, demo: str) -> None:
    """The flags every server takes: ``--host``, ``--port``, ``--demo`` (``demo`` says what it does)."""
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help=f"port to listen on (default {default_port})")
    parser.add_argument("--demo", action="store_true", help=demo)


def listen(host: str, port: int):
    """A listening TCP socket with TCP_NODELAY (gevent's socket: call after patching)."""
    from gevent.socket import socket as gsocket

    listener = gsocket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind((host, port))
    listener.listen(1024)
    return listener


def serve_gevent(app, host: str, port: int, *, header_timeout_s: float = 10.0, listener=None) -> None:
    """gevent's WSGI server with TCP_NODELAY on every socket: without it each response
    waits ~44 ms for a delayed ACK (measured: docs/decisions.md).

    A client has ``header_timeout_s`` to send a request's line and headers, counted from
    when the server starts waiting for them (a keep-alive connection idle that long is
    closed too). It is one deadline for the whole header, not a limit per read, so a
    client that trickles a byte every few seconds cannot hold a socket and a greenlet
    forever; a few hundred such clients would otherwise take the server's sockets.

    Each connection's greenlet also yields after every request. A client that answers
    quickly has its next request waiting by the time the last one is done, so without the
    yield one connection is served again and again while the others starve: at 10
    connections p99 was 5–25 times p50 (bare Flask: 24–74 ms; 6 ms with the yield).

    ``listener``: a socket from :func:`listen` made before forking, that several worker
    processes serve together (the province hub's ``--workers``)."""
    import gevent
    from gevent import pywsgi

    class NoDelayHandler(pywsgi.WSGIHandler):
        def __init__(self, sock, address, server, rfile=None):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server, rfile)

        def handle_one_request(self):
            self.header_deadline = gevent.Timeout.start_new(header_timeout_s)
            try:
                result = super().handle_one_request()
            except gevent.Timeout as fired:
                if fired is not self.header_deadline:
                    raise
                return None  # too slow to send its headers: close the connection without an answer
            finally:
                self.header_deadline.close()
            gevent.sleep(0)  # let every other ready connection have its turn first
            return result

        def read_request(self, raw_requestline):
            try:
                return super().read_request(raw_requestline)
            finally:
                self.header_deadline.close()  # headers in: the request itself takes what it needs

        def log_request(self):
            pass  # no access log (log=None), but gevent would still format each line for it

    listener = listener or listen(host, port)
    pywsgi.WSGIServer(listener, app, handler_class=NoDelayHandler, log=None).serve_forever()


def run(app, socketio, *, async_mode: str, host: str, port: int, header_timeout_s: float, listener=None) -> None:
    """Serve ``app`` until the process is stopped: gevent's server (on ``listener`` when
    several workers share one), or Werkzeug's in threading mode."""
    if async_mode == "gevent":
        serve_gevent(app, host, port, header_timeout_s=header_timeout_s, listener=listener)
    else:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)
