"""Password hashing (Werkzeug; scrypt by default).

scrypt is slow on purpose (~0.3 s here). Under gevent that CPU time would freeze every
screen in the center, so the work runs in gevent's thread pool, where hashlib releases
the GIL. Tests may choose a cheaper method through ``security.password_hash``.
"""

from werkzeug.security import check_password_hash, generate_password_hash

from layso.hub import under_gevent

DEFAULT_METHOD = "scrypt"


def _off_the_hub(function, *args):
    if not under_gevent():
        return function(*args)
    from gevent import get_hub

    return get_hub().threadpool.apply(function, args)


def hash_password(password: str, method: str = DEFAULT_METHOD) -> str:
    return _off_the_hub(generate_password_hash, password, method)


def verify_password(password_hash: str, password: str) -> bool:
    return _off_the_hub(check_password_hash, password_hash, password)
