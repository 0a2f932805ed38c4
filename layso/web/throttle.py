"""Failed logins, counted in memory (one server process per center) so that guessing is slow
and nobody can lock an officer out (docs/security.md, "Accounts and passwords").

- An address with too many failures, for one user name or for all, is refused (429) for
  the rest of the window: that stops one machine guessing, and only that machine.
- A user name with many recent failures from anywhere makes every try on it wait first,
  doubling from a quarter of a second to at most ``MAX_DELAY_S``: a burst from many
  addresses slows down, and the owner, from their own PC, still gets in after a few seconds.

The counts are bounded (at most ``MAX_KEYS`` keys, the least recently failed dropped first)
and expire with their window, so a flood of addresses or names cannot grow the map.

Where the counts live is the throttle's only variable: a center keeps them in its one
process (:class:`MemoryFailures`); the province hub, whose worker processes would otherwise
each grant the allowed tries again, keeps them in its Redis (:class:`RedisFailures`).
The rule above — limits, backoff, wording — is :class:`LoginThrottle`'s alone.
"""

import contextlib
import hashlib
import logging
import threading
import time
from collections import OrderedDict, deque

from layso.errors import LoginUnavailable, TooManyRequests

log = logging.getLogger(__name__)

WINDOW_S = 300
FAILURES_PER_USER_AND_ADDRESS = 5
FAILURES_PER_ADDRESS = 20
FREE_FAILURES_PER_USER = 3
FIRST_DELAY_S = 0.25
MAX_DELAY_S = 3.0
MAX_KEYS = 10_000


class RecentTimes:
    """Times of recent events per key: at most ``max_keys`` keys and ``per_key`` times
    each, none older than ``window_s``. Not thread-safe: callers hold their lock."""

    def __init__(self, window_s: float, *, max_keys: int, per_key: int, clock=time.monotonic):
        self.window_s = window_s
        self.max_keys = max_keys
        self.per_key = per_key
        self.clock = clock
        self._times: OrderedDict[str, deque] = OrderedDict()  # least recently added first

    def __len__(self) -> int:
        return len(self._times)

    def count(self, key: str) -> int:
        self._expire()
        times = self._times.get(key)
        if not times:
            return 0
        oldest = self.clock() - self.window_s
        while times and times[0] <= oldest:
            times.popleft()
        return len(times)

    def add(self, key: str) -> None:
        self._expire()
        times = self._times.pop(key, None) or deque(maxlen=self.per_key)
        times.append(self.clock())
        self._times[key] = times
        while len(self._times) > self.max_keys:
            self._times.popitem(last=False)

    def forget(self, key: str) -> None:
        self._times.pop(key, None)

    def _expire(self) -> None:
        """Drop keys whose last event is out of the window: keys are in the order of their
        last event, so the stale ones are at the front."""
        oldest = self.clock() - self.window_s
        while self._times:
            times = next(iter(self._times.values()))
            if times[-1] > oldest:
                break
            self._times.popitem(last=False)


class MemoryFailures:
    """Failures counted in this process's memory, a sliding window per key (a center's one
    server process)."""

    def __init__(self, *, clock=time.monotonic):
        self._times = RecentTimes(WINDOW_S, max_keys=MAX_KEYS, per_key=64, clock=clock)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._times)

    def counts(self, keys: tuple[str, ...]) -> list[int]:
        with self._lock:
            return [self._times.count(key) for key in keys]

    def add(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for key in keys:
                self._times.add(key)

    def forget(self, key: str) -> None:
        with self._lock:
            self._times.forget(key)


class RedisFailures:
    """Failures counted in Redis, shared by every worker process of the province hub: each
    key is a counter made by INCR, in one MULTI with an EXPIRE NX of ``WINDOW_S``, so it
    lives a window from its first failure (a fixed window, where the memory's slides) and
    Redis drops it by itself. Keys are ``<namespace>:<SHA-256 of the key>``: a user name of
    megabytes makes a key of 64 characters.

    A Redis that does not answer refuses the login (LoginUnavailable, a 503) rather than
    letting it through uncounted, and the hub's log says why."""

    def __init__(self, client, *, namespace: str):
        self.client = client  # a redis.Redis
        self.namespace = namespace

    def _redis_key(self, key: str) -> str:
        return f"{self.namespace}:{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"

    @contextlib.contextmanager
    def _answering(self):
        from redis.exceptions import RedisError  # here: redis is the hub's extra, a center has none

        try:
            yield
        except RedisError as error:
            log.error("login refused: the failed-login counts in Redis cannot be used (%s: %s)",
                      type(error).__name__, error)
            raise LoginUnavailable() from error

    def counts(self, keys: tuple[str, ...]) -> list[int]:
        with self._answering():
            return [int(value or 0) for value in self.client.mget([self._redis_key(key) for key in keys])]

    def add(self, keys: tuple[str, ...]) -> None:
        with self._answering(), self.client.pipeline(transaction=True) as pipeline:
            for key in keys:
                pipeline.incr(self._redis_key(key))
                pipeline.expire(self._redis_key(key), WINDOW_S, nx=True)
            pipeline.execute()

    def forget(self, key: str) -> None:
        with self._answering():
            self.client.delete(self._redis_key(key))


class LoginThrottle:
    """Decides, before a password is checked, whether to refuse the try or make it wait.
    ``failures`` is where the counts live (memory unless given a :class:`RedisFailures`)."""

    def __init__(self, *, failures=None, clock=time.monotonic, sleep=time.sleep):
        self._failures = failures if failures is not None else MemoryFailures(clock=clock)
        self.sleep = sleep  # gevent's when the server runs under it (monkey-patched)

    @staticmethod
    def _keys(username: str, address: str) -> tuple[str, str, str]:
        name = username.casefold()
        return f"addr:{address}", f"user:{name}", f"user:{name}|addr:{address}"

    def before_try(self, username: str, address: str) -> None:
        """Refuse an address that failed too often (TooManyRequests); otherwise wait the
        user name's backoff, if it has one."""
        by_address, by_user, by_both = self._failures.counts(self._keys(username, address))
        refused = by_both >= FAILURES_PER_USER_AND_ADDRESS or by_address >= FAILURES_PER_ADDRESS
        delay = self.delay_s(by_user)
        if refused:
            raise TooManyRequests(
                "Đăng nhập sai quá nhiều lần từ máy này. Xin thử lại sau 5 phút.",
                message_en="Too many failed logins from this computer. Try again in 5 minutes.",
            )
        if delay:
            self.sleep(delay)

    @staticmethod
    def delay_s(failures: int) -> float:
        """How long a try on a user name with ``failures`` recent failures waits first."""
        if failures < FREE_FAILURES_PER_USER:
            return 0.0
        return min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (failures - FREE_FAILURES_PER_USER))

    def failed(self, username: str, address: str) -> None:
        self._failures.add(self._keys(username, address))

    def succeeded(self, username: str, address: str) -> None:
        """The right password: this address's failures for this name are forgotten."""
        self._failures.forget(self._keys(username, address)[2])

    def size(self) -> int:
        """How many keys the memory holds (tests of its bound)."""
        return len(self._failures)
