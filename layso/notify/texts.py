"""The words of every notice, in one place: the defaults in Vietnamese and English, the
placeholders each may use, and how long an SMS they make.

A center words its own (``[notify.texts]`` in the TOML, then the admin screen); a text
it has not worded falls back to the default here. An SMS part holds 160 GSM-7 characters
(153 each when a text takes several parts), or 70 UCS-2 characters (67 each) as soon as
one character is outside GSM-7 — any Vietnamese letter with a tone mark is. The admin
refuses a text that could take more than ``[notify] max_parts`` parts with the longest
values its placeholders can take (:func:`check_text`).
"""

import re

from layso.errors import InvalidInput

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# A status link is written with this in place of the server's address ([center] public_url),
# which only the web layer knows; the sender puts the address in (:func:`with_base`).
BASE_URL = "{base}"

# kind → (Vietnamese, English). Short: a Vietnamese text is UCS-2, 70 characters a part.
DEFAULT_TEXTS = {
    "remote_issued": ("Số {number} ({service}). Theo dõi lượt: {link}", "Ticket {number} ({service}). Your turn: {link}"),
    "near": ("Số {number}: còn {ahead} người trước bạn. Xin có mặt ở trung tâm.",
             "Ticket {number}: {ahead} people ahead of you. Please come to the center."),
    "called": ("Mời số {number} đến quầy số {counter}.", "Ticket {number}, please go to counter {counter}."),
    "recalled": ("Mời lại số {number} đến quầy số {counter}.", "Ticket {number}, again: please go to counter {counter}."),
    "held": ("Số {number} được giữ lại. Khi sẵn sàng, xin đến quầy số {counter}.",
             "Ticket {number} is on hold. When ready, go to counter {counter}."),
    "no_show": ("Số {number} đã qua lượt do vắng mặt. Xin đến bàn hướng dẫn.",
                "Ticket {number} was missed. Please see the help desk."),
    "appointment_booked": ("Lịch hẹn {service} {time} ngày {date}. Mã {code}",
                           "Appointment {service} {time} on {date}. Code {code}"),
    "appointment_rescheduled": ("Lịch hẹn đổi sang {time} ngày {date}. Mã {code}",
                                "Appointment moved to {time} on {date}. Code {code}"),
    "appointment_cancelled": ("Lịch hẹn {time} ngày {date} đã hủy.", "Appointment {time} on {date} cancelled."),
    "appointment_holiday": ("Ngày {date} nghỉ lễ: lịch hẹn {time} đã hủy. Xin đặt lại.",
                            "{date} is a holiday: appointment {time} cancelled. Please book again."),
    "appointment_reminder": ("Nhắc lịch hẹn {service} {time} ngày {date}. Mã {code}",
                             "Reminder: {service} {time} on {date}. Code {code}"),
    "otp": ("Mã xác nhận lấy số: {code}. Không chia sẻ mã này.", "Your ticket code: {code}. Do not share it."),
    "dossier_received": ("Hồ sơ {code} đã được tiếp nhận. Hẹn trả: {due_date}.",
                         "Dossier {code} received. Due: {due_date}."),
    "dossier_processing": ("Hồ sơ {code} đang được giải quyết.", "Dossier {code} is being processed."),
    "dossier_needs_more": ("Hồ sơ {code} cần bổ sung giấy tờ. Xin liên hệ trung tâm.",
                           "Dossier {code} needs more documents. Please contact the center."),
    "dossier_ready": ("Hồ sơ {code} đã có kết quả. Mời đến nhận.", "Dossier {code}: the result is ready to collect."),
    "dossier_returned": ("Hồ sơ {code} đã trả kết quả. Cảm ơn.", "Dossier {code}: result returned. Thank you."),
    "dossier_overdue_apology": ("Xin lỗi: hồ sơ {code} trễ hẹn, hẹn lại {due_date}.",
                                "We apologise: dossier {code} is late, new date {due_date}."),
}
KINDS = tuple(DEFAULT_TEXTS)
# kind → (Vietnamese, English): what each notice is, in words, for staff and the admin
KIND_WORDS = {
    "remote_issued": ("Đã lấy số từ xa", "Remote ticket taken"), "near": ("Sắp đến lượt", "Turn is near"),
    "called": ("Mời đến quầy", "Called"), "recalled": ("Mời lại", "Called again"), "held": ("Tạm giữ", "On hold"),
    "no_show": ("Vắng mặt", "Missed"), "appointment_booked": ("Đặt lịch hẹn", "Appointment booked"),
    "appointment_rescheduled": ("Đổi lịch hẹn", "Appointment moved"),
    "appointment_cancelled": ("Hủy lịch hẹn", "Appointment cancelled"),
    "appointment_holiday": ("Hủy lịch hẹn do nghỉ lễ", "Appointment cancelled: holiday"),
    "appointment_reminder": ("Nhắc lịch hẹn", "Appointment reminder"), "otp": ("Mã xác nhận", "One-time code"),
    "dossier_received": ("Hồ sơ: đã tiếp nhận", "Dossier received"),
    "dossier_processing": ("Hồ sơ: đang giải quyết", "Dossier in progress"),
    "dossier_needs_more": ("Hồ sơ: cần bổ sung", "Dossier needs more"), "dossier_ready": ("Hồ sơ: có kết quả", "Dossier ready"),
    "dossier_returned": ("Hồ sơ: đã trả kết quả", "Dossier returned"),
    "dossier_overdue_apology": ("Hồ sơ: xin lỗi, gia hạn", "Dossier delayed"),
}

# The longest value each placeholder can take, to check a text's length before it is used.
LONGEST = {
    "number": "AA99999",
    "service": "x" * 30,
    "counter": "999",
    "ahead": "50",
    "link": "https://example.gov.vn/t/" + "x" * 22,
    "code": "X" * 24,
    "date": "31/12/2026",
    "time": "23:59",
    "due_date": "31/12/2026",
    "status": "x" * 20,
}
PLACEHOLDERS = {
    kind: frozenset(PLACEHOLDER.findall(vi + en)) for kind, (vi, en) in DEFAULT_TEXTS.items()
}
# ``service`` and ``status`` are free words; any kind may name the center's placeholders below.
COMMON = frozenset({"number", "service", "link", "code", "date", "time", "due_date", "status"})

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")  # two characters each (an escape, then the character)


def sms_parts(text: str) -> tuple[int, str]:
    """(how many SMS parts ``text`` takes, its encoding ``gsm7`` | ``ucs2``)."""
    if all(char in GSM7 or char in GSM7_EXTENSION for char in text):
        length = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        return (1 if length <= 160 else -(-length // 153)), "gsm7"
    length = sum(2 if ord(char) > 0xFFFF else 1 for char in text)  # UTF-16 code units
    return (1 if length <= 70 else -(-length // 67)), "ucs2"


def template(texts: dict, kind: str, language: str = "vi") -> str:
    """The center's wording of ``kind`` in ``language`` (``vi`` | ``en``), else the default."""
    worded = (texts.get(kind) or {}).get(language)
    return worded or DEFAULT_TEXTS[kind][language == "en"]


def render(text: str, values: dict) -> str:
    """``text`` with each ``{name}`` replaced by its value (a name without one stays as written)."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


def with_base(text: str, public_url: str) -> str:
    return text.replace(BASE_URL, public_url)


def word(texts: dict, kind: str, values: dict, language: str = "vi") -> str:
    return render(template(texts, kind, language), values)


def check_text(kind: str, text, *, max_parts: int, language: str = "vi") -> dict:
    """Check a center's wording of one notice; {parts, encoding} of its longest form.
    Raises InvalidInput naming an unknown kind or placeholder, or too long a text."""
    if kind not in DEFAULT_TEXTS:
        raise InvalidInput(f"Không có loại tin nhắn '{kind}'.", message_en=f"No notice kind '{kind}'.")
    if not isinstance(text, str) or not text.strip() or len(text) > 1000:
        raise InvalidInput(f"Nội dung tin nhắn '{kind}' ({language}) trống hoặc quá dài.",
                           message_en=f"The text of '{kind}' ({language}) is empty or too long.")
    allowed = PLACEHOLDERS[kind] | COMMON
    unknown = sorted(set(PLACEHOLDER.findall(text)) - allowed)
    if unknown:
        raise InvalidInput(
            f"Tin nhắn '{kind}' không dùng được {{{unknown[0]}}}. Dùng được: {', '.join(sorted(allowed))}.",
            message_en=f"'{kind}' cannot use {{{unknown[0]}}}. It may use: {', '.join(sorted(allowed))}.")
    parts, encoding = sms_parts(render(text, LONGEST))
    if parts > max_parts:
        raise InvalidInput(
            f"Tin nhắn '{kind}' ({language}) dài tới {parts} phần SMS (tối đa {max_parts}): tiếng Việt có dấu "
            f"70 ký tự một phần, không dấu 160.",
            message_en=f"'{kind}' ({language}) can take {parts} SMS parts (at most {max_parts}): 70 characters a "
                       f"part with Vietnamese tone marks, 160 without.")
    return {"parts": parts, "encoding": encoding}
