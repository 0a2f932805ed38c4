"""What every route needs from the request: a database connection, the center's clock,
the parsed JSON body, and a way to publish events after the commit."""

from flask import current_app, g, request

from layso.errors import InvalidInput


def db():
    """The connection lent to this request (given back when the request ends)."""
    database = g.get("db")
    if database is None:
        g._db_lease = current_app.extensions["layso.pool"].connection()
        g.db = database = g._db_lease.__enter__()
    return database


def release_db(_exception=None):
    lease = g.pop("_db_lease", None)
    g.pop("db", None)
    if lease is not None:
        lease.__exit__(None, None, None)


def settings():
    return current_app.extensions["layso.settings"]


def now():
    """The center's local time (a fixed clock in tests)."""
    return current_app.extensions["layso.clock"]()


def json_body() -> dict:
    """The request's JSON object ({} for an empty body); malformed JSON is a 400."""
    if not request.get_data(cache=True):
        return {}
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise InvalidInput(
            "Dữ liệu gửi lên không phải JSON hợp lệ.", message_en="The request body is not a valid JSON object."
        )
    return body


def publish(events) -> None:
    """Send events to their rooms; call only after the transaction has committed."""
    current_app.extensions["layso.publish"](events)


def absolute_status_url(ticket: dict) -> dict:
    """Turn the core's ``/t/<token>`` into the link printed in the QR code."""
    base = settings().public_url or f"{request.scheme}://{request.host}"  # host_url costs a tenth of a ticket
    body = {key: value for key, value in ticket.items() if key != "status_token"}
    body["status_url"] = base + ticket["status_url"]
    return body
