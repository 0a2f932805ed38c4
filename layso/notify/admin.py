"""The admin's view of the notices' settings: what is stored (TOML, then the admin), what the
environment sets over it (never its secrets), and each text with its length in SMS parts."""

from layso.errors import InvalidInput
from layso.notify.config import ENV_KEYS, NotifyConfigError, check_notify, effective
from layso.notify.texts import DEFAULT_TEXTS, KIND_WORDS, PLACEHOLDERS, COMMON, check_text, template
from layso.store.center import get_setting

SECRETS = ("sms_token", "zns_token")


def checked_setting(value) -> dict:
    """The ``notify`` setting as an admin sends it, checked whole: each key (the message names
    it), and each text of ``texts`` for its kind, placeholders and length in SMS parts."""
    try:
        checked = check_notify(value)
    except NotifyConfigError as error:
        raise InvalidInput(f"Tin nhắn: {error.message_vi}.", message_en=f"Notices: {error}.") from None
    texts = {}
    for kind, worded in checked["texts"].items():
        if not isinstance(worded, dict) or set(worded) - {"vi", "en"}:
            raise InvalidInput(f"Tin nhắn: texts.{kind} phải có dạng {{vi, en}}.",
                               message_en=f"Notices: texts.{kind} must be {{vi, en}}.")
        for language, text in worded.items():
            if text not in ("", None):
                check_text(kind, text, max_parts=checked["max_parts"], language=language)
        texts[kind] = {language: text for language, text in worded.items() if text not in ("", None)}
    checked["texts"] = {kind: worded for kind, worded in texts.items() if worded}
    return checked


def admin_view(db, env: dict, *, english: bool = False) -> dict:
    """{settings, environment, channel, kinds}: ``environment`` names what the environment sets
    (a token only as set or not), ``kinds`` each notice with its words, placeholders, default
    and current texts and their length in parts."""
    stored = get_setting(db, "notify")
    config = effective(stored, env)
    environment = {key: (bool(env.get(key)) if key in SECRETS else env.get(key)) for key in ENV_KEYS.values()}
    kinds = []
    for kind in DEFAULT_TEXTS:
        texts = {language: template(config["texts"], kind, language) for language in ("vi", "en")}
        kinds.append({
            "kind": kind, "words": KIND_WORDS[kind][english],
            "placeholders": sorted(PLACEHOLDERS[kind] | COMMON),
            "defaults": dict(zip(("vi", "en"), DEFAULT_TEXTS[kind])), "texts": texts,
            "parts": {language: _parts(kind, text, config["max_parts"], language) for language, text in texts.items()},
        })
    return {"settings": config.values, "environment": environment, "channel": config.channel, "kinds": kinds}


def _parts(kind: str, text: str, max_parts: int, language: str) -> int | None:
    try:
        return check_text(kind, text, max_parts=99, language=language)["parts"]
    except InvalidInput:
        return None
