"""A throwaway HTTP server on 127.0.0.1 for the fake network services of the tests (the SMS
gateway, the province hub): started on a port (0: a free one), stopped to close the port,
so a test can take a service offline and bring it back on the same port.

``LocalService`` is what the fakes share: every request goes to its ``_handle(request)``."""

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


class LocalService:
    """A fake service on 127.0.0.1 that a test takes offline (port closed: connection refused) and back
    online on the same port; a subclass answers in ``_handle`` and calls ``go_online`` when ready."""

    protocol_version = "HTTP/1.0"
    port = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def go_online(self) -> None:
        service = self

        class Handler(QuietHandler):
            protocol_version = service.protocol_version

            def do_GET(self):
                service._handle(self)

            do_POST = do_PUT = do_GET

        self._server = start(Handler, self.port)
        self.port = self._server.server_address[1]

    def go_offline(self) -> None:
        """Close the port: connecting is refused until ``go_online``."""
        server, self._server = self._server, None
        stop(server)

    def close(self) -> None:
        self.go_offline()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError
