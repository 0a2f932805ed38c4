"""Words the center shows on paper and on every screen, each from one rule: the plural
form a count takes, and the estimated wait (thời gian chờ dự kiến) in words.

The printed ticket (layso.printing.render), the kiosk, the status page and the API
(``estimated_wait_text`` beside ``estimated_wait_s``) all word a wait with
:func:`wait_words`, so a citizen reads the same on paper and on screen, and a page that
refreshes itself never changes its wording.
"""

LANGUAGES = ("vi", "en")


def plural_form(language: str, count) -> str:
    """The CLDR plural category of ``count`` in ``language``: Vietnamese has one form
    ("other"); English says "one" for exactly 1 (not 1.5, not 0) and "other" otherwise."""
    if language == "en" and count == 1 and float(count).is_integer():
        return "one"
    return "other"


# One table for both languages; a dict value is chosen by plural_form of the number.
WAIT_TEXTS = {
    "vi": {
        "unknown": "chưa xác định",
        "under_a_minute": "dưới 1 phút",
        "minutes": "khoảng {minutes} phút",
        "hours": "khoảng {hours} giờ",
        "hours_minutes": "khoảng {hours} giờ {minutes} phút",
    },
    "en": {
        "unknown": "not known yet",
        "under_a_minute": "under a minute",
        "minutes": {"one": "about 1 minute", "other": "about {minutes} minutes"},
        "hours": {"one": "about 1 hour", "other": "about {hours} hours"},
        "hours_minutes": {"one": "about 1 hour {minutes} minutes", "other": "about {hours} hours {minutes} minutes"},
    },
}


def _half_up(value: float) -> int:
    # Python's round() rounds 2.5 to 2 and a browser's Math.round to 3: 150 s read
    # "2 phút" on paper and "3 phút" on screen. Halves go up here, always.
    return int(value + 0.5)


def wait_words(seconds, language: str = "vi") -> str:
    """The estimated wait in words: under 60 s "dưới 1 phút"; under an hour "khoảng N phút"
    (N the nearest minute, halves up: 75 s → 1, 150 s → 3); from an hour, to the nearest
    5 minutes: "khoảng 1 giờ 20 phút". None (no estimate yet) reads "chưa xác định".
    Any language other than "en" gets Vietnamese."""
    texts = WAIT_TEXTS["en" if language == "en" else "vi"]
    if seconds is None:
        return texts["unknown"]
    seconds = max(0, seconds)
    if seconds < 60:
        return texts["under_a_minute"]
    minutes = _half_up(seconds / 60)
    if minutes < 60:
        return _choose(texts["minutes"], language, minutes).format(minutes=minutes)
    hours, rest = divmod(5 * _half_up(minutes / 5), 60)
    text = texts["hours_minutes"] if rest else texts["hours"]
    return _choose(text, language, hours).format(hours=hours, minutes=rest)


def _choose(text, language: str, count) -> str:
    return text[plural_form(language, count)] if isinstance(text, dict) else text
