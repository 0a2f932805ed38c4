"""A throwaway HTTP server on 127.0.0.1 for the fake network services of the tests (the SMS
gateway, the province hub): started on a port (0: a free one), stopped to close the port,
so a test can take a service offline and bring it back on the same port."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        """Requests are kept by the fake itself; nothing goes to stderr."""


def start(handler: type[BaseHTTPRequestHandler], port: int = 0) -> ThreadingHTTPServer:
    ThreadingHTTPServer.allow_reuse_address = True  # back on the same port right after going offline
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def stop(server: ThreadingHTTPServer | None) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()
