"""A fake SMS gateway and Zalo ZNS endpoint on 127.0.0.1, receiving real HTTP, for tests
and benchmarks.

It keeps every request (method, path, headers named in lower case, parsed body) and can misbehave the ways a
gateway does: port closed (``go_offline``), answer slowly (``delay_s``), answer an error
status (``status``), or receive a request, keep it, and answer only after the client has
given up (``ambiguous``: the next ``ambiguous`` requests). ``delivered`` is what a real
gateway would have sent on: one message per id, as gateways recognise a retry by the id
the client passes (``id``, ZNS ``tracking_id``).
"""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

from tests.local_http import LocalService


class FakeGateway(LocalService):
    protocol_version = "HTTP/1.1"

    def __init__(self, port: int = 0):
        self.status = 200
        self.answer: dict = {"error": 0, "message": "Success"}  # a ZNS-shaped answer fits the simple SMS one too
        self.delay_s = 0.0
        self.ambiguous = 0  # this many coming requests are kept, then answered after ambiguous_delay_s
        self.ambiguous_delay_s = 3.0
        self._requests: list[dict] = []
        self._changed = threading.Condition()
        self.port = port
        self.go_online()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        parsed = urllib.parse.urlsplit(handler.path)
        content_type = handler.headers.get("Content-Type", "")
        if "json" in content_type:
            body = json.loads(raw or b"null")
        elif raw:
            body = dict(urllib.parse.parse_qsl(raw.decode()))
        else:
            body = dict(urllib.parse.parse_qsl(parsed.query))
        record = {"method": handler.command, "path": parsed.path, "headers": {name.lower(): value for name, value in handler.headers.items()}, "body": body,
                  "at": time.monotonic()}
        with self._changed:
            self._requests.append(record)
            self._changed.notify_all()
            ambiguous = self.ambiguous > 0
            if ambiguous:
                self.ambiguous -= 1
        time.sleep(self.ambiguous_delay_s if ambiguous else self.delay_s)
        answer = json.dumps(self.answer).encode()
        try:
            handler.send_response(self.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(answer)))
            handler.end_headers()
            handler.wfile.write(answer)
        except OSError:
            return  # the client gave up first: nobody to answer

    # --- what was received ------------------------------------------------------

    @property
    def requests(self) -> list[dict]:
        with self._changed:
            return list(self._requests)

    @property
    def delivered(self) -> dict:
        """id → the first request that carried it (what a gateway sends on)."""
        delivered = {}
        for request in self.requests:
            body = request["body"] or {}
            delivered.setdefault(body.get("tracking_id") or body.get("id"), request)
        return delivered

    def wait_for_requests(self, count: int, timeout_s: float = 30.0) -> list[dict]:
        """The requests once there are ``count`` of them; AssertionError at the deadline."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(self._requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self._requests)} gateway requests, expected {count}")
                self._changed.wait(left)
            return list(self._requests)
