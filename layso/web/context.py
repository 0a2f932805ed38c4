"""What every route needs from the request: a database connection, the center's clock,
the parsed JSON body, and a way to publish events after the commit."""

import json
import math
import re

from flask import current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import BaseConverter, ValidationError

from layso import inputs
from layso.errors import InvalidInput
from layso.events import for_anyone

SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
# A body's digits as zeros and its exponent marks as 'e': a number beyond 64 bits has 19 digits
# in a row and one beyond a float's range an exponent of 3 digits, so a body with neither
# needs no check of each number (json's own int and float are C; a hook is a Python call
# per number: a third to a half of the hub's parse of an ingest batch, docs/benchmarks.md).
_NUMBER_SHAPE = bytes.maketrans(b"0123456789E", b"0000000000e")
_LONG_NUMBER_SHAPES = (b"0" * 19, b"e000", b"e+000", b"e-000")


def lent_connection(pool: str):
    """The connection of the app's pool ``pool`` (an extension: a center's SQLite pool, the
    province hub's PostgreSQL pool) lent to this request, taken on first use and given back
    by :func:`give_back_connections` when the request ends."""
    leases = g.setdefault("connection_leases", {})
    if pool not in leases:
        lease = current_app.extensions[pool].connection()
        leases[pool] = (lease, lease.__enter__())
    return leases[pool][1]


def give_back_connections(_exception=None) -> None:
    """Give back every connection this request was lent (a teardown handler)."""
    for lease, _connection in g.pop("connection_leases", {}).values():
        lease.__exit__(None, None, None)


def db():
    """The center's database connection lent to this request."""
    return lent_connection("layso.pool")


def settings():
    return current_app.extensions["layso.settings"]


def for_public(data):
    """``data`` as screens anyone can open receive it (:func:`layso.events.for_anyone` with
    this center's public pause reasons)."""
    return for_anyone(data, settings().public_pause_reasons)


def now():
    """The center's local time (a fixed clock in tests)."""
    return current_app.extensions["layso.clock"]()


class WholeNumberConverter(BaseConverter):
    """``<int:…>`` in every route: ASCII digits only, at most SQLite's 64 bits; anything
    else matches no route (404) instead of reaching the database (Werkzeug's own takes
    every script's digits and any size)."""

    regex = r"[0-9]{1,19}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = inputs.whole_number(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def query_number(name: str, default: int, *, low: int, high: int) -> int:
    """A whole number from the query string (ASCII digits, ``low`` to ``high``); 400 otherwise."""
    value = request.args.get(name)
    return default if value is None else inputs.number(value, name, low=low, high=high)


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def _may_hold_long_numbers(raw: bytes) -> bool:
    # UTF-16 and UTF-32 bodies (json.loads reads them too) have their digits apart: checked always.
    if not json.detect_encoding(raw).startswith("utf-8"):
        return True
    shape = raw.translate(_NUMBER_SHAPE)
    return any(long in shape for long in _LONG_NUMBER_SHAPES)


def _whole_or_infinite(digits: str) -> int | float:
    # JSON has no leading zeros, so past 19 digits is past 64 bits: such digits never reach
    # int() (its time grows with the square of their length; past 4,300 it refuses them).
    if len(digits.lstrip("-")) <= 19 and abs(value := int(digits)) <= inputs.MAX_INTEGER:
        return value
    return -math.inf if digits.startswith("-") else math.inf


def _bounded_int(digits: str) -> int:
    # Every integer of every body fits SQLite's 64 bits, whatever field it lands in.
    value = _whole_or_infinite(digits)
    if isinstance(value, float):
        raise InvalidInput("Dữ liệu gửi lên có số quá lớn.", message_en="The request body holds a number beyond 64 bits.")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise ValueError("number out of range")
    return value


def json_body(*, ranged: bool = False) -> dict:
    """The request's JSON object ({} for an empty body). Malformed JSON, nesting deeper than
    Python can parse, NaN/Infinity and 1e400, integers beyond 64 bits and unpaired surrogates (which
    SQLite cannot store) are all a 400.

    ``ranged``: the route checks every number against its own range (the admin's settings),
    so a number past 64 bits or a float's range is read as ±infinity instead — no range holds
    it, and the field's check refuses it naming the field and its range, not the body."""
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        if not _may_hold_long_numbers(raw):
            body = json.loads(raw, parse_constant=_refuse_constant)
        elif ranged:  # float() itself reads 1e400 as infinity
            body = json.loads(raw, parse_int=_whole_or_infinite, parse_constant=_refuse_constant)
        else:
            body = json.loads(raw, parse_int=_bounded_int, parse_float=_finite_float,
                              parse_constant=_refuse_constant)
        if SURROGATE_ESCAPE.search(raw):
            json.dumps(body, ensure_ascii=False).encode("utf-8")  # an unpaired surrogate cannot be encoded
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        body = None
    if not isinstance(body, dict):
        raise InvalidInput(
            "Dữ liệu gửi lên không phải JSON hợp lệ.", message_en="The request body is not a valid JSON object."
        )
    return body


def publish(events) -> None:
    """Send events to their rooms; call only after the transaction has committed."""
    current_app.extensions["layso.publish"](events)


def public_base() -> str:
    """The center's public base URL (``public_url``), or the address this request came to:
    what every printed or posted QR link starts with."""
    return settings().public_url or f"{request.scheme}://{request.host}"  # host_url costs a tenth of a ticket


def absolute_status_url(ticket: dict) -> dict:
    """Turn the core's ``/t/<token>`` into the link printed in the QR code."""
    body = {key: value for key, value in ticket.items() if key != "status_token"}
    body["status_url"] = public_base() + ticket["status_url"]
    return body


def body_limit(max_bytes: int):
    """View decorator: this view takes bodies up to ``max_bytes`` (a backup upload) instead of
    the app's ``MAX_CONTENT_LENGTH``."""

    def mark(view):
        view.max_body_bytes = max_bytes
        return view

    return mark


def refuse_oversized_body() -> None:
    """Before any view: a body longer than the view's limit is ``413``, whether or not the
    view would read it, so no route quietly takes 10 MB."""
    view = current_app.view_functions.get(request.endpoint)
    limit = getattr(view, "max_body_bytes", None)
    if limit is not None:
        request.max_content_length = limit
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
