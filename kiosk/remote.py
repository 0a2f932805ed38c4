"""Taking a number from a phone (lấy số từ xa): ``POST /api/v1/tickets`` with
``channel: "remote"`` answers here. The citizen is anywhere, so the kiosk networks and
kiosk registration do not apply; the per-address rate limit does, and the remote limits
of layso.queue.remote are checked inside the issuing transaction."""

from layso.errors import InvalidInput
from layso.queue.remote import check_consent, remote_phone
from layso.queue.tickets import issue_ticket
from layso.web.context import absolute_status_url, db, now, publish
from layso.web.i18n import with_wait_text

from kiosk.abuse import take_address_rate


def issue_remote_ticket(body: dict) -> dict:
    """Check what the citizen typed, then issue; the ticket as the API answers it."""
    if body.get("kiosk") is not None:
        raise InvalidInput("Số lấy từ xa không thuộc kiosk nào.", message_en="A remote ticket has no kiosk.")
    if body.get("priority") or body.get("priority_reason") is not None:
        # The priority group is seen at the kiosk and the counter, not claimed from afar.
        raise InvalidInput(
            "Số ưu tiên xin lấy tại máy lấy số của trung tâm.",
            message_en="Priority numbers are taken at the center's kiosk.",
        )
    phone = remote_phone(body.get("phone"))
    check_consent(body.get("consent"))
    take_address_rate()
    outcome = issue_ticket(db(), body.get("service"), now=now(), channel="remote", phone=phone)
    publish(outcome.events)
    ticket = with_wait_text(absolute_status_url(outcome.value))
    ticket["print_job"] = None
    return ticket
