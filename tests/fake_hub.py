"""A fake province hub on 127.0.0.1 speaking the ingest protocol over HTTP (docs/hub-sync.md),
for the center's sync tests: it keeps events by seq (idempotent), answers the highest
contiguous seq it holds, refuses a batch that starts past it with 409 ``sequence_gap``.

It misbehaves as a hub and a WAN do: ``go_offline`` (port closed: connection refused; it
keeps what it holds, as a restarted hub keeps its database), ``mode = "unavailable"``
(503), ``drop_answers = n`` (store the batch, then close the connection without answering:
a hub restarting mid-batch, an answer lost on the way), ``forget_from(seq)`` (a hub
restored from an older dump), ``stall = True`` (answer 200 with the old cursor, never
taking anything).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler

from tests.local_http import LocalService

MAX_BATCH = 5000


class FakeHub(LocalService):
    def __init__(self, token: str = "hub-token-1"):
        self.token = token
        self.mode = "ok"  # "ok" or "unavailable"
        self.drop_answers = 0
        self.stall = False
        self.events: dict[int, dict] = {}  # seq → event, as stored
        self.received: list[list[int]] = []  # each batch's seqs, as posted (answered or not)
        self.stored_twice = 0  # an event posted again with different content (must never happen)
        self.requests = 0
        self._changed = threading.Condition()
        self.go_online()

    @property
    def acked(self) -> int:
        seq = 0
        while seq + 1 in self.events:
            seq += 1
        return seq

    # --- control ---------------------------------------------------------------

    def forget_from(self, seq: int) -> None:
        with self._changed:
            for stored in [key for key in self.events if key >= seq]:
                del self.events[stored]

    def wait_for_acked(self, seq: int, timeout_s: float = 20.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.acked >= seq, timeout_s):
                raise AssertionError(f"the hub holds up to {self.acked}, not {seq}, after {timeout_s} s; "
                                     f"batches {[(b[0], b[-1]) if b else () for b in self.received][-10:]}")

    def wait_for_requests(self, count: int, timeout_s: float = 20.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.requests >= count, timeout_s):
                raise AssertionError(f"{self.requests} requests, not {count}, after {timeout_s} s")

    # --- the protocol --------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        with self._changed:
            self.requests += 1
            status, body, drop = self._decide(request, request.command, raw)
            self._changed.notify_all()
        if drop:
            request.close_connection = True
            request.connection.shutdown(2)  # stored, but the center never hears it
            return
        payload = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    def _decide(self, request, method, raw) -> tuple[int, dict, bool]:
        if self.mode == "unavailable":
            return 503, {"error": "unavailable", "message": "down for maintenance"}, False
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"error": "unauthorized", "message": "bad hub token"}, False
        if method == "GET" and request.path == "/api/v1/hub/cursor":
            return 200, {"center": "test", "acked": self.acked}, False
        if method != "POST" or request.path != "/api/v1/hub/ingest":
            return 404, {"error": "not_found", "message": request.path}, False
        events = json.loads(raw)["events"]
        seqs = [event["seq"] for event in events]
        self.received.append(seqs)
        if seqs and (len(events) > MAX_BATCH or seqs != list(range(seqs[0], seqs[0] + len(seqs)))):
            return 400, {"error": "invalid_input", "message": "not a batch"}, False
        if self.stall:
            return 200, {"center": "test", "acked": self.acked}, False
        if seqs and seqs[0] > self.acked + 1:
            return 409, {"error": "sequence_gap", "message": "gap", "expected": self.acked + 1}, False
        for event in events:
            kept = self.events.setdefault(event["seq"], event)
            if kept != event:
                self.stored_twice += 1
        if self.drop_answers:
            self.drop_answers -= 1
            return 200, {}, True
        return 200, {"center": "test", "acked": self.acked}, False
