"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation. A
client is only a front for its connection pool, but its constructor copies redis-py's 170 reply
parsers into a fresh dictionary: on a signature, building that client was a tenth of the sign
POST's CPU in one process (`bench/signing_flow.py --profile sign_post`, PROFILE_TIMER=cpu).
redis-py's clients are safe to share between threads (each command takes a connection from the
pool and gives it back), so one client per pool, made on first use, serves every thread.

Settings name it as the cache backend when CACHE_URL is set (`groundswell/settings.py`).
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping the redis-py client it makes for each pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # pool -> its client (pools compare by identity)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            # Two threads may both make one the first time; either is right, and one is kept.
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` with `ReusingRedisCacheClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
