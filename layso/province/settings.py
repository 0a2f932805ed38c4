"""The hub's settings: flags of ``python -m layso.province``, then the environment, then
defaults; read once at start into a frozen :class:`HubSettings`. Every error names its key.

Flags: ``--database-url``, ``--redis-url``, ``--host``, ``--port``, ``--workers``, ``--demo``.
Environment: ``LAYSO_PROVINCE_DATABASE_URL``, ``LAYSO_PROVINCE_REDIS_URL``,
``LAYSO_SECRET_KEY`` (required unless ``--demo``), ``LAYSO_ASYNC_MODE`` (gevent | threading).
"""

import os
from dataclasses import dataclass

from layso.settings import DEFAULT_SECRETS, SettingsError

DEMO_SECRET = "layso-province-demo-secret-key"


@dataclass(frozen=True)
class HubSettings:
    database_url: str
    redis_url: str | None
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 5100
    workers: int = 1
    demo: bool = False
    async_mode: str = "gevent"
    timezone: str = "Asia/Ho_Chi_Minh"
    token_ttl_s: int = 12 * 3600
    password_hash: str = "scrypt"
    offline_after_s: int = 120  # a center silent for longer is shown offline
    header_timeout_s: float = 10.0


def load(*, database_url=None, redis_url=None, host=None, port=None, workers=None, demo=False,
         environ=None, **overrides) -> HubSettings:
    """Build HubSettings from flags, then the environment, then defaults. Raises SettingsError."""
    env = os.environ if environ is None else environ
    database_url = database_url or env.get("LAYSO_PROVINCE_DATABASE_URL", "")
    if not database_url.startswith(("postgresql://", "postgres://")):
        raise SettingsError("--database-url: a postgresql://… URL (or LAYSO_PROVINCE_DATABASE_URL)")
    redis_url = redis_url or env.get("LAYSO_PROVINCE_REDIS_URL") or None
    if redis_url is not None and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("--redis-url: a redis://… URL (or LAYSO_PROVINCE_REDIS_URL)")
    workers = 1 if workers is None else workers
    if not isinstance(workers, int) or not 1 <= workers <= 64:
        raise SettingsError("--workers: a whole number from 1 to 64")
    if workers > 1 and redis_url is None:
        raise SettingsError("--redis-url: several workers share live updates through Redis; set it")
    port = 5100 if port is None else port
    if not 1 <= port <= 65535:
        raise SettingsError("--port: 1 to 65535")
    secret = env.get("LAYSO_SECRET_KEY") or (DEMO_SECRET if demo else "")
    if secret in DEFAULT_SECRETS or len(secret) < 16:
        raise SettingsError("secret_key: set LAYSO_SECRET_KEY (at least 16 characters, not a default)")
    async_mode = overrides.pop("async_mode", env.get("LAYSO_ASYNC_MODE", "gevent"))
    if async_mode not in ("gevent", "threading"):
        raise SettingsError("LAYSO_ASYNC_MODE: must be one of gevent, threading")
    return HubSettings(database_url=database_url, redis_url=redis_url, secret_key=secret, host=host or "127.0.0.1",
                       port=port, workers=workers, demo=demo, async_mode=async_mode, **overrides)
