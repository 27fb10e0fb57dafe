"""With Redis as the cache, rate-limit counters are exact across processes (as gunicorn workers are).

Four real processes count the same subject at once; every count they see is different and none is
lost. Skipped when the `redis` client library or server is missing (the Redis cache is optional).
"""

import json
import os
import socket
import subprocess
import sys
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

_WORKER = """
import json, os, sys, django
django.setup()
from groundswell.core.counters import hit
NOW = 1_000_000.0  # one fixed window: a run on the real clock can straddle a window boundary
print(json.dumps([hit("across-processes", sys.argv[1], 600, now=NOW) for _ in range(int(sys.argv[2]))]))
"""


def _redis_available() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _count_in_processes(script: str, subject: str, *, per_process: int, processes: int = 4) -> list:
    """Run `script` in several real processes at once, sharing the Redis cache; what each printed."""
    env = {**os.environ, "CACHE_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    workers = [
        subprocess.Popen([sys.executable, "-c", script, subject, str(per_process)], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    seen = []
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0
        seen.extend(json.loads(out))
    return seen


@pytest.mark.skipif(not _redis_available(), reason="needs the redis library and a Redis server at 127.0.0.1:6379")
def test_counts_are_exact_across_processes_with_redis():
    seen = _count_in_processes(_WORKER, uuid.uuid4().hex, per_process=100)
    assert sorted(seen) == list(range(1, 401))


_PIPELINED_WORKER = """
import json, os, sys, django
django.setup()
from groundswell.core.counters import hit_many
NOW = 1_000_000.0  # one fixed window: a run on the real clock can straddle a window boundary
print(json.dumps([hit_many([("pipelined", sys.argv[1], 600), ("pipelined-b", sys.argv[1], 600)], now=NOW) for _ in range(int(sys.argv[2]))]))
"""


@pytest.mark.skipif(not _redis_available(), reason="needs the redis library and a Redis server at 127.0.0.1:6379")
def test_pipelined_counts_are_exact_across_processes_with_redis():
    """hit_many sends its counts in one round trip; each counter is still exact across processes."""
    pairs = _count_in_processes(_PIPELINED_WORKER, uuid.uuid4().hex, per_process=50)
    assert sorted(a for a, _ in pairs) == list(range(1, 201))
    assert sorted(b for _, b in pairs) == list(range(1, 201))


def test_hit_many_counts_like_hit_without_redis():
    from groundswell.core.counters import hit, hit_many

    subject = uuid.uuid4().hex
    assert hit_many([("same", subject, 60), ("other", subject, 60)], now=1000.0) == [1, 1]
    assert hit("same", subject, 60, now=1000.0) == 2
    assert hit_many([("same", subject, 60)], now=1000.0) == [3]
    assert hit_many([("same", subject, 60)], now=1060.0) == [1]  # the next window


_REUSE_WORKER = """
import json, sys, django
django.setup()
from django.core.cache import caches
from groundswell.core import counters
NOW = 1_000_000.0
backend = caches["default"]
pipe = counters._pipeline(backend)
seen = {"made_once": counters._pipeline(backend) is pipe}
sent = pipe.execute
def fail(*args, **kwargs):
    raise ConnectionError("Redis went away")
pipe.execute = fail
try:
    counters.hit_many([("reuse-a", sys.argv[1], 600)], now=NOW)
except ConnectionError:
    pass
pipe.execute = sent
seen["after_a_failure"] = counters.hit_many([("reuse-b", sys.argv[1], 600), ("reuse-b", sys.argv[1], 600)], now=NOW)
seen["still_the_same"] = counters._pipeline(backend) is pipe
print(json.dumps(seen))
"""


@pytest.mark.skipif(not _redis_available(), reason="needs the redis library and a Redis server at 127.0.0.1:6379")
def test_each_thread_reuses_one_pipeline_and_a_failed_round_trip_leaves_nothing_in_it():
    env = {**os.environ, "CACHE_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run([sys.executable, "-c", _REUSE_WORKER, uuid.uuid4().hex], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"made_once": True, "after_a_failure": [1, 2], "still_the_same": True}
