"""Vietnamese first, English ready: ``_("Lấy số")`` returns the Vietnamese text itself, or
its English from a blueprint's catalog when the page is shown in English (``?lang=en``,
remembered in a cookie). Catalogs are keyed by the Vietnamese text, as gettext is."""

import unicodedata

from flask import current_app, request

LANGUAGES = ("vi", "en")
_english: dict[str, str] = {}


def register(catalog: dict[str, str]) -> None:
    """Add a blueprint's Vietnamese → English strings."""
    _english.update({unicodedata.normalize("NFC", vi): en for vi, en in catalog.items()})


def language() -> str:
    chosen = request.args.get("lang") or request.cookies.get("lang")
    return chosen if chosen in LANGUAGES else "vi"


def gettext(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if language() == "en":
        return _english.get(text, text)
    return text


def remember_language(response):
    """Keep an explicit ``?lang=`` choice for the next pages of this screen."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
