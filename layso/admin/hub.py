"""The link to the province hub (liên thông tỉnh) as an admin sets it: the hub's address,
this center's hub token, the batch limits (docs/hub-sync.md).

Where the link comes from, first wins: ``LAYSO_HUB_URL`` / ``LAYSO_HUB_TOKEN``, then what an
admin saved (the ``hub`` row of center_settings, never sent to the hub nor written to the
audit log with its token), then ``[hub]`` in the config file.
"""

from layso.admin import settings_changed
from layso.admin.checks import only_known
from layso.clock import iso
from layso.errors import InvalidInput
from layso.events import Outcome
from layso.settings import HubLink, SettingsError, check_hub_link
from layso.store.center import audit, get_setting, put_setting
from layso.store.db import write

SETTING = "hub"


def current_link(db, configured: HubLink) -> HubLink:
    """The link the sync worker uses now (``configured``: the settings' ``hub``)."""
    if configured.source == "environment":
        return configured
    saved = get_setting(db, SETTING)
    if not isinstance(saved, dict):
        return configured
    try:
        return check_hub_link(saved.get("url", ""), saved.get("token", ""), saved.get("batch_max", 500),
                              saved.get("batch_ms", 1000), source="admin")
    except SettingsError:  # saved through save_link, so only a hand-edited row lands here
        return configured


def shown_link(link: HubLink) -> dict:
    """The link for the admin screen: never the token, only whether there is one."""
    return {"url": link.url, "token_set": bool(link.token), "batch_max": link.batch_max, "batch_ms": link.batch_ms,
            "source": link.source}


def save_link(db, body: dict, *, configured: HubLink, by: str, now) -> Outcome:
    """Save the link from the admin screen: {url, token?, batch_max?, batch_ms?}. A missing
    or empty ``token`` keeps the one in use; ``url`` "" turns the link off. Returns
    Outcome(the shown link, [settings.changed]). Raises InvalidInput naming the field."""
    if configured.source == "environment":
        raise InvalidInput("Liên thông tỉnh đang được đặt bằng biến môi trường LAYSO_HUB_URL/LAYSO_HUB_TOKEN trên máy chủ.",
                           message_en="The hub link is set by LAYSO_HUB_URL/LAYSO_HUB_TOKEN on the server.")
    only_known(body, {"url", "token", "batch_max", "batch_ms"})
    before = current_link(db, configured)
    url = body.get("url", before.url)
    token = body.get("token") or (before.token if url else "")
    try:
        link = check_hub_link(url, token if url else "", body.get("batch_max", before.batch_max),
                              body.get("batch_ms", before.batch_ms), source="admin")
    except SettingsError as error:
        field = str(error).split(":", 1)[0].removeprefix("hub.")
        vietnamese, english = _refusal(field)
        raise InvalidInput(vietnamese, message_en=english) from None
    with write(db):
        put_setting(db, SETTING, {"url": link.url, "token": link.token, "batch_max": link.batch_max,
                                  "batch_ms": link.batch_ms})
        shown = shown_link(link)
        audit(db, by=by, action="setting.hub", detail={"value": shown | {"token_changed": token != before.token}}, now=now)
    return Outcome(shown, [settings_changed(db, "hub", at=iso(now))])


def _refusal(field: str) -> tuple[str, str]:
    vietnamese, english = {
        "url": ("Địa chỉ máy chủ tỉnh phải bắt đầu bằng http:// hoặc https://.",
                "The hub's address must start with http:// or https://."),
        "token": ("Cần mã liên thông (token) của trung tâm, không có khoảng trắng, tối đa 200 ký tự.",
                  "The center's hub token is needed: no spaces, at most 200 characters."),
        "batch_max": ("Số sự kiện mỗi lần gửi phải là số nguyên từ 1 đến 5000.",
                      "Events per batch must be a whole number from 1 to 5000."),
        "batch_ms": ("Thời gian gom sự kiện phải là số nguyên từ 0 đến 60000 ms.",
                     "The batch wait must be a whole number from 0 to 60000 ms."),
    }.get(field, ("Cấu hình liên thông tỉnh không hợp lệ.", "The hub link is not valid."))
    return vietnamese, english
