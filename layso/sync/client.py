"""Speaking to the province hub over HTTP (docs/hub-sync.md): the two calls a center makes.

Plain ``urllib`` (gevent's sockets once the server has patched them), a deadline on each
call, and every answer sorted into what the sync worker does next; nothing here retries.
"""

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT_S = 30.0  # a batch of 5,000 events is about 2 MB; a slow WAN link takes a while


@dataclass(frozen=True)
class HubAnswer:
    """What the hub said. ``kind``: ``acked`` (it holds every seq up to ``acked``), ``gap``
    (send from ``expected``), ``refused`` (the token: 401/403), ``rejected`` (another 4xx:
    the batch itself), ``unavailable`` (no answer, a 5xx, or one that is not the protocol's)."""

    kind: str
    acked: int | None = None
    expected: int | None = None
    status: int | None = None
    message: str = ""


HEARTBEAT = b'{"events":[]}'  # an empty batch: the hub only marks the center's last contact


def push(url: str, token: str, body: bytes, *, timeout_s: float = TIMEOUT_S) -> HubAnswer:
    """POST a batch to ``url``/api/v1/hub/ingest: ``body`` is the JSON ``{"events": […]}``
    as :func:`layso.store.hub_log.read_batch_body` writes it (or :data:`HEARTBEAT`)."""
    return _call("POST", f"{url}/api/v1/hub/ingest", token, body, timeout_s)


def cursor(url: str, token: str, *, timeout_s: float = TIMEOUT_S) -> HubAnswer:
    """GET ``url``/api/v1/hub/cursor: how far the hub holds this center's log."""
    return _call("GET", f"{url}/api/v1/hub/cursor", token, None, timeout_s)


def _call(method: str, url: str, token: str, body: bytes | None, timeout_s: float) -> HubAnswer:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return _answer(response.status, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return _answer(error.code, error.read())
    except (urllib.error.URLError, OSError, socket.timeout) as error:  # refused, reset, DNS, timeout
        return HubAnswer("unavailable", message=str(getattr(error, "reason", error))[:300])


def _answer(status: int, raw: bytes) -> HubAnswer:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    message = str(body.get("message") or body.get("error") or "")[:300]
    if status == 200 and _whole(body.get("acked")):
        return HubAnswer("acked", acked=body["acked"], status=status)
    if status == 409 and body.get("error") == "sequence_gap" and _whole(body.get("expected")) and body["expected"] >= 1:
        return HubAnswer("gap", expected=body["expected"], status=status, message=message)
    if status in (401, 403):
        return HubAnswer("refused", status=status, message=message)
    if 400 <= status < 500 and status not in (408, 429):
        return HubAnswer("rejected", status=status, message=message)
    return HubAnswer("unavailable", status=status, message=message or f"HTTP {status}")


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63
