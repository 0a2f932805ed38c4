"""Password hashing (Werkzeug; scrypt by default) and the rules for a chosen password.

scrypt is slow on purpose (~0.3 s here). Under gevent that CPU time would freeze every
screen in the center, so the work runs in gevent's thread pool, where hashlib releases
the GIL. Tests may choose a cheaper method through ``security.password_hash``.
"""

import functools
import secrets
import unicodedata

from werkzeug.security import check_password_hash, generate_password_hash

from layso.common_passwords import COMMON_PASSWORDS
from layso.errors import InvalidInput
from layso.hub import off_the_hub
from layso.inputs import TEXT_LIMITS

DEFAULT_METHOD = "scrypt"


def hash_password(password: str, method: str = DEFAULT_METHOD) -> str:
    return off_the_hub(generate_password_hash, password, method)


def verify_password(password_hash: str, password: str) -> bool:
    return off_the_hub(check_password_hash, password_hash, password)


@functools.cache
def dummy_hash(method: str = DEFAULT_METHOD) -> str:
    """A hash of no one's password, made with ``method``: a login for a missing account is
    checked against it, so it costs as long as one for an account that exists and user
    names cannot be found by timing. Made once per method (the app makes it at start)."""
    return hash_password(secrets.token_urlsafe(24), method)


MIN_LENGTH = 10
MAX_LENGTH = TEXT_LIMITS["password"]
# What the change-password form tells the user; check_new_password enforces it.
RULES = (
    f"Ít nhất {MIN_LENGTH} ký tự; nên dùng một câu dễ nhớ.",
    "Không dùng mật khẩu phổ biến (123456…, matkhau…), kể cả khi thêm số hay ký hiệu.",
    "Không chứa tên đăng nhập hay tên trung tâm.",
)


def _plain(text: str) -> str:
    """Lower case without Vietnamese diacritics ("Mật Khẩu" → "mat khau"), for comparing."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _letters_and_digits(text: str) -> str:
    return "".join(char for char in _plain(text) if char.isalnum())


def check_new_password(password, *, username: str, center_name: str) -> str:
    """A password someone chose for an account must be 10–128 characters, not one of the
    common passwords (nor one of them with digits or symbols around it), not a run of a
    few characters, and contain neither the user name nor the center's name (nor be a
    piece of it), compared without case or diacritics. Returns it; raises InvalidInput
    saying which rule it broke."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise InvalidInput(f"Mật khẩu cần ít nhất {MIN_LENGTH} ký tự.",
                           message_en=f"The password needs at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Mật khẩu dài tối đa {MAX_LENGTH} ký tự.",
                           message_en=f"The password may have at most {MAX_LENGTH} characters.")
    plain = _plain(password)
    core = plain.strip("".join(char for char in set(plain) if not char.isalpha()))
    if plain in COMMON_PASSWORDS or _letters_and_digits(password) in COMMON_PASSWORDS or core in COMMON_PASSWORDS \
            or len(set(plain)) < 4:
        raise InvalidInput("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.",
                           message_en="This password is too common and easy to guess. Choose another one.")
    name = _plain(username or "")
    if len(name) >= 3 and name in plain:
        raise InvalidInput("Mật khẩu không được chứa tên đăng nhập.",
                           message_en="The password must not contain the username.")
    center = _letters_and_digits(center_name or "")
    mine, mine_core = _letters_and_digits(password), _letters_and_digits(core)
    if center and (center in mine or any(len(piece) >= 4 and piece in center for piece in (mine, mine_core))):
        raise InvalidInput("Mật khẩu không được là tên trung tâm hay một phần của tên đó.",
                           message_en="The password must not be the center's name or part of it.")
    return password
