"""Fixed-window counters in the Django cache, for rate limits.

`cache.add` then `cache.incr` is atomic on Redis (INCR) and, within one process, on the local
memory cache, so with Redis as the cache the limits hold across every web process. A window is
a number of seconds; a key lives for two windows and then expires by itself, so nothing needs
cleaning up. A burst straddling a window boundary can get up to twice the limit through:
the hourly limits catch what the burst limit lets past.

Signing counts four things at once (address, address per hour, network, email domain). With
Redis, `hit_many` sends them in one pipelined round trip (INCR and EXPIRE for each) instead of
two round trips each: measured, the round trips were a sixth of a signature's cost.
"""

import hashlib
import threading
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache

_PREFIX = "gs:protection:"


def _key(name: str, subject: str, window_seconds: int, now: float) -> str:
    # Hash the subject: keys stay short and safe for any cache, and hold no address in clear.
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"{_PREFIX}{name}:{digest}:{window_seconds}:{int(now // window_seconds)}"


def hit(name: str, subject: str, window_seconds: int, now: float | None = None) -> int:
    """Count one event for subject in the current window; returns the count including it."""
    window_seconds = max(1, int(window_seconds))
    key = _key(name, subject, window_seconds, time.time() if now is None else now)
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds * 2)
        return 1


def warm_up() -> None:
    """Build the Redis client and a pipeline once, without a round trip: the first signature
    in each process would otherwise import redis-py's modules while other requests wait."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        _pipeline(backend).reset()


def hit_many(events: list[tuple[str, str, int]], now: float | None = None) -> list[int]:
    """hit() for several (name, subject, window_seconds) at once; the counts, in order."""
    now = time.time() if now is None else now
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return [hit(name, subject, window, now) for name, subject, window in events]
    pipe = _pipeline(backend)
    try:
        for name, subject, window in events:
            window = max(1, int(window))
            key = backend.make_and_validate_key(_key(name, subject, window, now))
            pipe.incr(key)
            pipe.expire(key, window * 2)
        results = pipe.execute()
    finally:
        pipe.reset()
    return [int(count) for count in results[0::2]]


_thread = threading.local()


def _pipeline(backend: RedisCache):
    """This thread's pipeline, made once: redis-py copies its 170 reply parsers into every new
    pipeline, which was a tenth of the rate limits' cost on each signature. A pipeline is not
    shared between threads; it is emptied after each use and made again if the pool changes."""
    client = backend._cache.get_client(write=True)
    pipe = getattr(_thread, "pipeline", None)
    if pipe is None or pipe.connection_pool is not client.connection_pool:
        pipe = _thread.pipeline = client.pipeline(transaction=False)
    return pipe
