"""Ratings: the configured levels, and the one rating a served citizen gives."""

from flask import jsonify, request

from layso.errors import Unauthorized
from layso.queue.ratings import rate, rating_config
from layso.web.auth import device_principal
from layso.web.context import db, json_body, now, publish

from rating_tablet import bp


def _tablet():
    """The registered tablet making the request (device token as bearer), or 401."""
    header = request.headers.get("Authorization", "")
    device = device_principal(header[7:].strip()) if header.startswith("Bearer ") else None
    if device is None or device.role != "tablet" or device.counter is None:
        raise Unauthorized("Máy tính bảng chưa được đăng ký.", message_en="This tablet is not registered.")
    return device


@bp.get("/api/v1/ratings/levels")
def levels():
    config = rating_config(db())
    return jsonify(
        levels=[{key: level[key] for key in ("id", "label", "requires_reason")} for level in config["levels"]],
        reasons=config["reasons"],
        window_s=config["window_s"],
        idle_timeout_s=config["idle_timeout_s"],
    )


@bp.post("/api/v1/ratings")
def submit():
    tablet = _tablet()
    body = json_body()
    outcome = rate(
        db(), ticket_id=body.get("ticket"), counter=tablet.counter, level=body.get("level"),
        reasons=body.get("reasons"), comment=body.get("comment"), device=tablet.device, now=now(),
    )
    publish(outcome.events)
    return jsonify(outcome.value), 201
