"""Vietnamese first, English ready: ``_("Lấy số")`` returns the Vietnamese text itself, or
its English from a blueprint's catalog when the request is answered in English.
Catalogs are keyed by the Vietnamese text, as gettext is: the same Vietnamese reads as the same
English on every screen (``register`` refuses a second, different English for it), except where a
blueprint registers its own reading for its screens (a button "Tạm dừng" is "Pause" on the
console, a counter's state "Paused" on the hall display).

Counts go through :func:`plural` (ICU/gettext style): the Vietnamese source has one form,
``"{n} dịch vụ"``, and its English entry one form per plural category,
``{"one": "{n} service", "other": "{n} services"}`` (layso.wording.plural_form).
``Layso.plural`` in layso.js reads the same entries with the browser's Intl.PluralRules.

Which language (:func:`language`): a page sends its own with every request it makes
(layso.js: the ``X-Layso-Language`` header on each fetch, ``lang`` in the socket auth),
so an answer — an error above all — follows the page, never the browser's settings. A page
itself is shown in ``?lang=``, else the choice remembered in a cookie, else Vietnamese —
except a shared screen (the kiosk, :func:`per_visit_language`), which starts every visitor in
Vietnamese and remembers nothing. An API client without the header may ask with
``Accept-Language``.
"""

import functools
import unicodedata

from flask import current_app, g, has_request_context, request

from layso.wording import LANGUAGES, plural_form, wait_words

LANGUAGE_HEADER = "X-Layso-Language"
PROGRAM_PATHS = ("/api/", "/healthz", "/metrics")  # answered to programs (which may send Accept-Language), not shown as pages
_english: dict[str, str | dict] = {}
_own_reading: dict[str, dict[str, str | dict]] = {}  # blueprint name → its screens' readings


def register(catalog: dict, blueprint: str | None = None) -> None:
    """Add Vietnamese → English strings (a dict of plural forms for a count) for every screen,
    or, with ``blueprint``, readings used on that blueprint's pages before the shared ones."""
    target = _own_reading.setdefault(blueprint, {}) if blueprint else _english
    for vi, en in catalog.items():
        if isinstance(en, dict) and "other" not in en:
            raise ValueError(f"plural entry {vi!r} has no 'other' form")
        vi = unicodedata.normalize("NFC", vi)
        if not blueprint and _english.get(vi, en) != en:
            raise ValueError(f"{vi!r} reads {_english[vi]!r} on another screen and {en!r} here: "
                             "use one English, or register this screen's own reading with its blueprint")
        target[vi] = en


def _english_of(text: str) -> str | dict:
    own = _own_reading.get(request.blueprint) if has_request_context() and request.blueprint else None
    if own and text in own:
        return own[text]
    return _english.get(text, text)


def _valid(value) -> str | None:
    return value if value in LANGUAGES else None


def language() -> str:
    """The language this request is answered in: "vi" or "en" (module docstring)."""
    if not has_request_context():
        return "vi"
    chosen = (_valid(g.get("layso_language")) or _valid(request.headers.get(LANGUAGE_HEADER))
              or _valid(request.args.get("lang")))
    if chosen:
        return chosen
    if request.path.startswith(PROGRAM_PATHS):
        return request.accept_languages.best_match(LANGUAGES, default="vi")
    if g.get("layso_per_visit"):
        return "vi"
    return _valid(request.cookies.get("lang")) or "vi"


def use_language(value) -> None:
    """Answer the rest of this request (or socket event) in ``value`` when it is one of
    ours: the socket's ``auth.lang``, which no header carries."""
    if _valid(value):
        g.layso_language = value


def per_visit_language(view):
    """For a screen many people share (the kiosk): shown in ``?lang=`` only, Vietnamese
    otherwise, whatever another page of the same browser chose, and its own choice is not
    remembered — each citizen starts in Vietnamese."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.layso_per_visit = True
        return view(*args, **kwargs)

    return wrapper


def gettext(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if language() == "en":
        english = _english_of(text)
        return english["other"] if isinstance(english, dict) else english
    return text


def plural(text: str, count, **values) -> str:
    """``text`` (Vietnamese, with ``{n}``) for ``count`` in the request's language, in the
    plural form that count takes: plural("{n} dịch vụ", 1) → "1 service" in English."""
    text = unicodedata.normalize("NFC", text)
    chosen = language()
    if chosen == "en":
        text = _english_of(text)
        if isinstance(text, dict):
            text = text.get(plural_form(chosen, count), text["other"])
    return text.format(n=count, **values)


def with_wait_text(item: dict) -> dict:
    """``item`` (a ticket or a service) with ``estimated_wait_text``: its ``estimated_wait_s``
    in words (layso.wording.wait_words, as on paper), in this request's language."""
    return {**item, "estimated_wait_text": wait_words(item["estimated_wait_s"], language())}


def remember_language(response):
    """Keep an explicit ``?lang=`` choice for the next pages of this screen (not on a
    per-visit page)."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and not g.get("layso_per_visit"):
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
