"""The link to the province hub in words, as the center's staff read it (one rule, here:
the dashboard and the admin screen show what this writes)."""

from layso.reports.formats import moment, number
from layso.wording import plural_form

# state → (Vietnamese, English); {since}, {contact} are times, {message} the hub's or the network's words.
_STATE_WORDS = {
    "off": ("Chưa liên thông với máy chủ tỉnh.", "Not linked to the province hub."),
    "ok": ("Đã liên thông với máy chủ tỉnh (lần cuối {contact}).", "Linked to the province hub (last contact {contact})."),
    "offline": ("Mất kết nối máy chủ tỉnh từ {since}; trung tâm vẫn hoạt động bình thường, dữ liệu sẽ được gửi khi có kết nối.",
                "No connection to the province hub since {since}; the center works as usual and sends its data when the link is back."),
    "refused": ("Máy chủ tỉnh từ chối mã liên thông của trung tâm (từ {since}): kiểm tra mã trong trang Quản trị.",
                "The province hub refuses this center's hub token (since {since}): check the token in Administration."),
    "rejected": ("Máy chủ tỉnh không nhận dữ liệu gửi lên (từ {since}): {message}",
                 "The province hub does not accept the data sent (since {since}): {message}"),
}
_BACKLOG_WORDS = {"vi": {"other": " Còn {n} thay đổi chờ gửi."},
                  "en": {"one": " {n} change waiting to be sent.", "other": " {n} changes waiting to be sent."}}
# How the dashboard marks it, like an alert's level.
LEVELS = {"off": "info", "ok": "info", "offline": "warning", "refused": "critical", "rejected": "critical"}


def link_words(status: dict, lang: str = "vi") -> str:
    """One sentence for a :class:`layso.sync.worker.LinkStatus` (as JSON), with the backlog
    when there is one."""
    english = lang == "en"
    text = _STATE_WORDS.get(status["state"], _STATE_WORDS["offline"])[english]
    text = text.format(since=moment(status.get("since")), contact=moment(status.get("last_contact")),
                       message=status.get("message") or "")
    backlog = status.get("backlog") or 0
    if backlog and status["state"] != "off":
        language = "en" if english else "vi"
        forms = _BACKLOG_WORDS[language]
        text += forms.get(plural_form(language, backlog), forms["other"]).format(n=number(backlog, 0, language))
    return text


def shown_status(status: dict, lang: str = "vi") -> dict:
    """The status with ``shown`` {text, level} beside it, for the pages."""
    return status | {"shown": {"text": link_words(status, lang), "level": LEVELS.get(status["state"], "warning")}}
