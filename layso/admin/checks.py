"""Input checks for admin changes: each raises InvalidInput naming the field, in Vietnamese."""

import re

from layso import inputs
from layso.errors import InvalidInput


def text(body: dict, key: str, *, limit: str | None = None, required=True, pattern=None) -> str | None:
    """``body[key]`` as a free text within ``TEXT_LIMITS[limit or key]`` (layso/inputs.py)."""
    value = inputs.text(body.get(key), limit or key, name=key, required=required)
    if value is not None and pattern and not re.fullmatch(pattern, value):
        raise InvalidInput(f"Trường '{key}' không đúng định dạng.", message_en=f"'{key}' has the wrong format.")
    return value


def number(body: dict, key: str, *, low: int, high: int, required=True) -> int | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"Trường '{key}' phải là số nguyên từ {low} đến {high}.",
                           message_en=f"'{key}' must be a whole number from {low} to {high}.")
    return value


def flag(body: dict, key: str) -> bool:
    value = body.get(key)
    if not isinstance(value, bool):
        raise InvalidInput(f"Trường '{key}' phải là true hoặc false.", message_en=f"'{key}' must be true or false.")
    return value


def text_list(body: dict, key: str, *, limit: str, allowed=None, required=True) -> list[str]:
    """``body[key]`` as a list of texts, each within ``TEXT_LIMITS[limit]``, no duplicates."""
    value = [inputs.text(item, limit, name=key) for item in inputs.items(body.get(key), key)]
    if required and not value:
        raise InvalidInput(f"Trường '{key}' không được rỗng.", message_en=f"'{key}' must not be empty.")
    if len(set(value)) != len(value):
        raise InvalidInput(f"Trường '{key}' có phần tử trùng.", message_en=f"'{key}' has duplicates.")
    if allowed is not None and set(value) - set(allowed):
        unknown = ", ".join(sorted(set(value) - set(allowed)))
        raise InvalidInput(f"Trường '{key}' có mã không tồn tại: {unknown}.", message_en=f"'{key}' has unknown codes: {unknown}.")
    return value


def only_known(body: dict, known: set) -> None:
    unknown = set(body) - known
    if unknown:
        names = ", ".join(sorted(unknown))
        raise InvalidInput(f"Trường không hợp lệ: {names}.", message_en=f"Unknown fields: {names}.")
