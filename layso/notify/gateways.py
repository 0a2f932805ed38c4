"""The channels a notice can go by, behind one interface: ``send(notice, config) → Attempt``.

- **log**: writes the notice to the server's log (phone masked): the demo's channel.
- **sms**: an HTTP gateway. Vietnamese brand-name SMS providers each have their own API,
  so the request is configured, not coded per provider: URL, method, headers, a body
  table whose texts hold ``{phone}`` ``{text}`` ``{id}`` ``{token}``, and how success
  is recognised (status codes, a JSON path and value). docs/notifications.md has examples.
- **zns**: Zalo Notification Service, an approved template per kind of notice:
  ``POST`` with header ``access_token``, body ``{phone, template_id, template_data, tracking_id}``.

Every request carries the notice's stable id (``{id}``, ``tracking_id``), so a retry after
an ambiguous timeout is recognisable by the gateway. What may succeed later (no answer, a
timeout, 5xx, 408, 429) is ``retry``; what the gateway refused (other 4xx, an error code in
a 2xx answer, no template) is ``refused`` and never tried again on that channel.
"""

import http.client
import json
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from layso.phone import mask_phone

log = logging.getLogger(__name__)

SENT, RETRY, REFUSED = "sent", "retry", "refused"
MAX_ANSWER_BYTES = 64 * 1024
RETRY_STATUSES = (408, 425, 429)
USER_AGENT = "LaySo-notify/1"


@dataclass(frozen=True)
class Attempt:
    """How one try went: ``sent``, ``retry`` or ``refused``, and why (never the phone number)."""

    outcome: str
    detail: str = ""


@dataclass(frozen=True)
class Notice:
    """What a channel needs of a notice."""

    uid: str  # the stable id
    kind: str
    phone: str  # E.164
    text: str
    data: dict


def phone_as(e164: str, phone_format: str) -> str:
    """``+84912345678`` as a gateway wants it: ``84912345678``, ``+84912345678`` or ``0912345678``."""
    national = e164[3:]
    return {"84": "84" + national, "+84": e164, "0": "0" + national}[phone_format]


def fill(template, values: dict):
    """``template`` (a table, list or text) with each ``{name}`` of ``values`` replaced in its
    texts. Plain replacement, not str.format: a JSON body is full of other braces."""
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, values) for value in template]
    return template


def sms_request(sms: dict, notice: Notice) -> urllib.request.Request:
    """The HTTP request for one SMS, as the center's ``[notify.sms]`` describes it."""
    values = {"phone": phone_as(notice.phone, sms["phone_format"]), "text": notice.text, "id": notice.uid,
              "token": sms.get("token", "")}
    body = fill(sms["body"] if sms["body"] is not None else {"phone": "{phone}", "text": "{text}", "id": "{id}"},
                values)
    headers = fill(dict(sms["headers"]), values)
    if not sms["headers"] and values["token"]:
        headers["Authorization"] = f"Bearer {values['token']}"
    headers.setdefault("User-Agent", USER_AGENT)
    url, data = sms["url"], None
    if sms["method"] == "GET":
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(_flat(body))
    elif sms["body_format"] == "form":
        data = urllib.parse.urlencode(_flat(body)).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    else:
        data = json.dumps(body, ensure_ascii=False).encode()
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
    return urllib.request.Request(url, data=data, headers=headers, method=sms["method"])


def _flat(body: dict) -> dict:
    return {key: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            for key, value in body.items()}


def zns_request(zns: dict, notice: Notice) -> urllib.request.Request | None:
    """The ZNS request, or None when the center has no approved template for this kind."""
    template_id = zns["templates"].get(notice.kind)
    if template_id in (None, ""):
        return None
    body = {"phone": phone_as(notice.phone, "84"), "template_id": str(template_id),
            "template_data": {key: str(value) for key, value in notice.data.items()}, "tracking_id": notice.uid}
    headers = {"access_token": zns.get("token", ""), "Content-Type": "application/json; charset=utf-8",
               "User-Agent": USER_AGENT}
    return urllib.request.Request(zns["url"], data=json.dumps(body, ensure_ascii=False).encode(), headers=headers,
                                  method="POST")


def _exchange(request: urllib.request.Request, timeout_s: float) -> tuple[int, bytes] | Attempt:
    """(status, answer body), or the Attempt when no answer came (a retry)."""
    try:
        with _OPENER.open(request, timeout=timeout_s) as answer:
            return answer.status, answer.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        try:
            body = error.read(MAX_ANSWER_BYTES)
        except (OSError, http.client.HTTPException):
            body = b""
        return error.code, body
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return Attempt(RETRY, f"no answer within {timeout_s:g} s")
        return Attempt(RETRY, f"network: {type(reason).__name__}: {reason}"[:200])


# No proxy from the environment: a center's gateway is reached directly (or through the
# proxy its URL names); urllib's default would also send 127.0.0.1 to a proxy.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _by_status(status: int) -> Attempt | None:
    if status >= 500 or status in RETRY_STATUSES:
        return Attempt(RETRY, f"HTTP {status}")
    if status >= 400:
        return Attempt(REFUSED, f"HTTP {status}")
    return None


def _json(body: bytes):
    try:
        return json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return None


def _at_path(answer, path: str):
    for step in path.split("."):
        if isinstance(answer, dict) and step in answer:
            answer = answer[step]
        elif isinstance(answer, list) and step.isdigit() and int(step) < len(answer):
            answer = answer[int(step)]
        else:
            return None
    return answer


def _answered(request: urllib.request.Request, timeout_s: float) -> tuple[int, bytes] | Attempt:
    """(status, body) of an answer that is no failure by its status alone; else the Attempt
    (no answer, 5xx and friends: retry; another 4xx: refused)."""
    answer = _exchange(request, timeout_s)
    if isinstance(answer, Attempt):
        return answer
    return _by_status(answer[0]) or answer


def send_sms(notice: Notice, sms: dict, *, timeout_s: float) -> Attempt:
    if not sms["url"]:
        return Attempt(REFUSED, "no SMS gateway configured (LAYSO_SMS_URL)")
    answer = _answered(sms_request(sms, notice), timeout_s)
    if isinstance(answer, Attempt):
        return answer
    status, body = answer
    if sms["success_status"] and status not in sms["success_status"]:
        return Attempt(REFUSED, f"HTTP {status} is not a success status")
    if not 200 <= status < 300 and not sms["success_status"]:
        return Attempt(REFUSED, f"HTTP {status}")
    if sms["success_path"]:
        value = _at_path(_json(body), sms["success_path"])
        if value is None or str(value) != str(sms["success_value"]):
            return Attempt(REFUSED, f"gateway answered {sms['success_path']} = {str(value)[:40]!r}")
    return Attempt(SENT, f"HTTP {status}")


def send_zns(notice: Notice, zns: dict, *, timeout_s: float) -> Attempt:
    request = zns_request(zns, notice)
    if request is None:
        return Attempt(REFUSED, f"no ZNS template for {notice.kind}")
    answer = _answered(request, timeout_s)
    if isinstance(answer, Attempt):
        return answer
    result = _json(answer[1])
    error = result.get("error") if isinstance(result, dict) else None
    if error != 0:  # Zalo answers 200 with {"error": <code ≠ 0>, "message"} when it refuses
        message = result.get("message", "") if isinstance(result, dict) else ""
        return Attempt(REFUSED, f"ZNS error {error}: {str(message)[:80]}")
    return Attempt(SENT, "ZNS error 0")


def send_log(notice: Notice) -> Attempt:
    log.info("notice %s (%s) to %s: %s", notice.uid, notice.kind, mask_phone(notice.phone), notice.text)
    return Attempt(SENT, "written to the log")


def send(channel: str, notice: Notice, config) -> Attempt:
    """One try of ``notice`` on ``channel`` with the settings in force (a NotifyConfig)."""
    if channel == "sms":
        return send_sms(notice, config.sms, timeout_s=config["timeout_s"])
    if channel == "zns":
        return send_zns(notice, config.zns, timeout_s=config["timeout_s"])
    return send_log(notice)
