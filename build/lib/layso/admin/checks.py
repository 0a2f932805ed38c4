"""Input checks for admin changes: each raises InvalidInput naming the field, in Vietnamese."""

import re
import unicodedata

from layso.errors import InvalidInput


def text(body: dict, key: str, *, required=True, max_length=200, pattern=None) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise InvalidInput(f"Trường '{key}' phải là chuỗi không rỗng, tối đa {max_length} ký tự.",
                           message_en=f"'{key}' must be a non-empty string of at most {max_length} characters.")
    value = unicodedata.normalize("NFC", value.strip())
    if pattern and not re.fullmatch(pattern, value):
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


def text_list(body: dict, key: str, *, allowed=None, required=True) -> list[str]:
    value = body.get(key)
    if not isinstance(value, list) or any(not isinstance(item, str) or not item.strip() for item in value):
        raise InvalidInput(f"Trường '{key}' phải là danh sách chuỗi.", message_en=f"'{key}' must be a list of strings.")
    if required and not value:
        raise InvalidInput(f"Trường '{key}' không được rỗng.", message_en=f"'{key}' must not be empty.")
    if len(set(value)) != len(value):
        raise InvalidInput(f"Trường '{key}' có phần tử trùng.", message_en=f"'{key}' has duplicates.")
    if allowed is not None and set(value) - set(allowed):
        unknown = ", ".join(sorted(set(value) - set(allowed)))
        raise InvalidInput(f"Trường '{key}' có mã không tồn tại: {unknown}.", message_en=f"'{key}' has unknown codes: {unknown}.")
    return [unicodedata.normalize("NFC", item.strip()) for item in value]


def only_known(body: dict, known: set) -> None:
    unknown = set(body) - known
    if unknown:
        names = ", ".join(sorted(unknown))
        raise InvalidInput(f"Trường không hợp lệ: {names}.", message_en=f"Unknown fields: {names}.")
