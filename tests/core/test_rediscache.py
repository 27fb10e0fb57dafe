"""The Redis cache backend makes one redis-py client per connection pool, not one per call.

Django's own backend builds a `redis.Redis` for every cache operation, and each construction
copies redis-py's reply parsers (core/rediscache.py). Skipped without a Redis server.
"""

import threading
import uuid

import pytest

from tests.protection.test_counters_across_processes import REDIS_URL, _redis_available

pytestmark = pytest.mark.skipif(not _redis_available(), reason="needs the redis library and a Redis server at 127.0.0.1:6379")


def _backend():
    from groundswell.core.rediscache import ReusingRedisCache

    return ReusingRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_many_cache_calls_build_one_client(monkeypatch):
    import redis

    built = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    cache = _backend()
    cache.set("a", {"x": 1}, 30)
    assert cache.get("a") == {"x": 1}
    assert cache.add("n", 0, 30)
    assert cache.incr("n") == 1
    assert cache.incr("n", 5) == 6
    cache.delete("a")
    assert cache.get("a", "gone") == "gone"
    assert len(built) == 1


def test_threads_share_the_client_and_count_exactly():
    cache = _backend()
    cache.add("shared", 0, 30)
    clients, errors = [], []

    def work():
        try:
            clients.append(cache._cache.get_client(write=True))
            for _ in range(50):
                cache.incr("shared")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("shared") == 400
    assert len({id(client) for client in clients}) == 1


def test_a_new_pool_gets_a_new_client():
    cache = _backend()
    first = cache._cache.get_client(write=True)
    cache._cache._pools.clear()  # as if the pool were made again
    second = cache._cache.get_client(write=True)
    assert second is not first
    assert second.connection_pool is cache._cache._get_connection_pool(True)
    assert cache._cache.get_client(write=True) is second


def test_the_settings_use_it_when_cache_url_is_set():
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {"CACHE_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "groundswell.settings", "SECRET_KEY": "x", "ALLOWED_HOSTS": "x",
           "SITE_URL": "http://x", "GROUNDSWELL_DATA_DIR": "/tmp/gs-rediscache-test", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "groundswell.core.rediscache.ReusingRedisCache"
