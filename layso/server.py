"""The LấySố server: ``layso serve --demo`` (or ``python server.py --demo`` in a checkout) runs
the demo center on 127.0.0.1:5000.

Importing this module patches the standard library for gevent before anything else is
imported (docs/decisions.md), so import it first; ``LAYSO_ASYNC_MODE=threading`` skips it,
for tests and debugging.
"""

import os

ASYNC_MODE = os.environ.get("LAYSO_ASYNC_MODE", "gevent")
if ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

from layso import logs  # noqa: E402
from layso import settings as settings_module  # noqa: E402
from layso.web.app import create_app, start_background_jobs  # noqa: E402
from layso.web.realtime import socketio  # noqa: E402

log = logging.getLogger("layso.server")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="layso serve", description="LấySố queue server for one service center")
    parser.add_argument("--config", help="center TOML file (or LAYSO_CONFIG)")
    parser.add_argument("--db", help="SQLite database file (or LAYSO_DB)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 5000)")
    parser.add_argument("--demo", action="store_true", help="run the demo center with demo accounts")
    parser.add_argument("--log-format", choices=logs.FORMATS, default=os.environ.get("LAYSO_LOG_FORMAT") or "text",
                        help="text (default) or json: one JSON object a line (or LAYSO_LOG_FORMAT)")
    return parser.parse_args(argv)


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


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        logs.configure(args.log_format)
    except ValueError as error:
        print(f"layso: LAYSO_LOG_FORMAT: {error}", file=sys.stderr)
        return 2
    try:
        settings = settings_module.load(
            config=args.config, db=args.db, host=args.host, port=args.port, demo=args.demo, async_mode=ASYNC_MODE
        )
        app = create_app(settings)  # devices' sections (printers, screens) are checked here
    except settings_module.SettingsError as error:
        print(f"layso: {error}", file=sys.stderr)
        return 2
    start_background_jobs(app)
    # What start-up built lives as long as the server: out of the collector's sight, a full
    # collection no longer walks it (one took 44 ms under load, every request waiting).
    gc.collect()
    gc.freeze()
    log.info("%s on http://%s:%s (%s, database %s, config %s%s)", settings.center_name, settings.host,
             settings.port, settings.async_mode, settings.db_path, settings.config_path, ", demo" if settings.demo else "")
    restart_clock = getattr(app.extensions["layso.clock"], "restart", None)
    if restart_clock is not None:  # a demo's fast clock starts its day now, not while the server started
        restart_clock()
    print(f"LAYSO READY http://{settings.host}:{settings.port}", flush=True)
    if settings.async_mode == "gevent":
        serve_gevent(app, settings.host, settings.port, header_timeout_s=settings.header_timeout_s)
    else:
        socketio.run(app, host=settings.host, port=settings.port, allow_unsafe_werkzeug=True, log_output=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
