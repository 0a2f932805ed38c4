"""Vietnamese phone numbers as people type them: normalised to E.164 (``+84912345678``),
checked against the numbering plan, and masked for staff (``09xx xxx 678``).

The rule and its sources are in docs/phone.md. A phone number is personal data: only
the masked form is ever shown to staff, and none is shown on displays, public pages,
broadcasts or logs (docs/security.md, "Personal data").
"""

import re

from layso.errors import InvalidInput

COUNTRY_CODE = "84"
# What people put between digits: spaces (any, also the no-break space a phone's keyboard
# may insert), dots, dashes and brackets around an area code: "0912 345 678",
# "0912.345.678", "(024) 3825-1234". Nothing else is ignored.
SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212()]")
TYPED = re.compile(r"\+?[0-9]{1,20}")  # never \d: it matches every script's digits

# Mobile network codes in use (mã mạng di động, the two digits after the 0 of a ten-digit
# mobile number): docs/phone.md lists each with its network.
MOBILE_CODES = frozenset(
    {"32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98",  # Viettel
     "81", "82", "83", "84", "85", "88", "91", "94",  # VinaPhone
     "70", "76", "77", "78", "79", "89", "90", "93",  # MobiFone
     "52", "56", "58", "92",  # Vietnamobile
     "59", "99",  # Gmobile
     "87",  # Itelecom
     "55"}  # Wintel (Reddi)
)
# Fixed-line area codes (mã vùng) since 2017: "24" Hà Nội and "28" TP Hồ Chí Minh with
# eight-digit subscriber numbers, the other provinces' three digits with seven.
AREA_CODES = frozenset(
    {"24", "28",
     "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213", "214", "215", "216", "218", "219",
     "220", "221", "222", "225", "226", "227", "228", "229", "232", "233", "234", "235", "236", "237", "238", "239",
     "251", "252", "254", "255", "256", "257", "258", "259", "260", "261", "262", "263", "269",
     "270", "271", "272", "273", "274", "275", "276", "277", "290", "291", "292", "293", "294", "296", "297", "299"}
)
MAX_TYPED = 40  # characters: a number with generous spacing; anything longer is not a phone number
# The kiosk's number pad: digits only (0912…, 84912…), up to the longest digits-only form
# accepted below ("0084" and a fixed line's ten national digits).
KEYPAD_KEYS = "0123456789"
KEYPAD_LENGTH = 14


def normalise_phone(typed) -> str | None:
    """The E.164 form (``+84`` and the national number without its 0) of a number typed
    as ``0xxxxxxxxx``, ``+84…``, ``84…`` or ``0084…``, with spaces, dots, dashes and
    brackets ignored; None when it is not written like a Vietnamese number at all.
    Whether such a number exists is :func:`phone_kind`'s question."""
    if not isinstance(typed, str) or len(typed) > MAX_TYPED:
        return None
    compact = SEPARATORS.sub("", typed)
    if not TYPED.fullmatch(compact):
        return None
    if compact.startswith("+"):
        national = compact[1 + len(COUNTRY_CODE):] if compact.startswith("+" + COUNTRY_CODE) else None
    elif compact.startswith("00"):
        national = compact[2 + len(COUNTRY_CODE):] if compact.startswith("00" + COUNTRY_CODE) else None
    elif compact.startswith("0"):
        national = compact[1:]
    elif compact.startswith(COUNTRY_CODE):
        national = compact[len(COUNTRY_CODE):]
    else:
        national = None
    # A national number never starts with its own trunk 0 ("+840912…" is a typo, not a number).
    if not national or national.startswith("0"):
        return None
    return f"+{COUNTRY_CODE}{national}"


def phone_kind(e164: str | None) -> str | None:
    """``"mobile"`` for a ten-digit mobile number of a network code in use, ``"landline"``
    for a fixed line of a province's area code, None for anything else (too short or
    long, an unused code, 1800/1900 service numbers)."""
    if not isinstance(e164, str) or not e164.startswith("+" + COUNTRY_CODE):
        return None
    national = e164[1 + len(COUNTRY_CODE):]
    if not national.isascii() or not national.isdigit():
        return None
    if len(national) == 9 and national[:2] in MOBILE_CODES:
        return "mobile"
    if len(national) == 10 and (national[:2] in AREA_CODES or national[:3] in AREA_CODES):
        return "landline"
    return None


def mask_phone(e164: str | None) -> str:
    """The number as staff may see it: its national form with only the first two and the
    last three digits shown (``+84912345678`` → ``09xx xxx 678``; a landline
    ``+842343823456`` → ``02xx xxxx 456``). Anything that is not a stored number masks to
    ``""``, never to the text itself."""
    if phone_kind(e164) is None:
        return ""
    national = "0" + e164[1 + len(COUNTRY_CODE):]
    hidden = len(national) - 5
    middle = "x" * (hidden - 2)  # after "09xx": the rest of the hidden digits
    return f"{national[:2]}xx {middle} {national[-3:]}"


def checked_phone(typed, *, mobile_only: bool = True) -> str:
    """The E.164 form of a typed number that exists (a mobile number only, by default: the
    notices that follow a remote ticket go by SMS or Zalo); raises InvalidInput saying so."""
    kind = phone_kind(normalise_phone(typed))
    if kind == "mobile" or kind == "landline" and not mobile_only:
        return normalise_phone(typed)
    if kind == "landline":
        raise InvalidInput(
            "Xin nhập số điện thoại di động (để nhận tin nhắn), không phải số máy bàn.",
            message_en="Please give a mobile number (for text messages), not a landline.",
        )
    raise InvalidInput(
        "Số điện thoại không hợp lệ. Xin nhập số di động Việt Nam, ví dụ 0912 345 678.",
        message_en="Not a valid phone number. Please give a Vietnamese mobile number, e.g. 0912 345 678.",
    )
