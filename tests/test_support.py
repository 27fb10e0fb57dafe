"""The shared test helpers do what tests rely on them for (tests/support/)."""

import threading

import pytest

from tests.support.concurrency import run_at_once


def test_run_at_once_releases_every_thread_together_and_returns_results_in_order():
    arrived = []
    lock = threading.Lock()
    everyone_in = threading.Event()

    def arrive(i):
        # Every thread has been started before any of them begins.
        started = sum(t.name.startswith("run_at_once-") for t in threading.enumerate())
        with lock:
            arrived.append(started)
            if len(arrived) == 4:
                everyone_in.set()
        assert everyone_in.wait(timeout=10)  # none finishes before all have looked
        return i * 10

    assert run_at_once(arrive, args=[(i,) for i in range(4)]) == [0, 10, 20, 30]
    assert arrived == [4, 4, 4, 4]


def test_run_at_once_raises_what_a_thread_raised():
    def fail_in_one(i):
        if i == 2:
            raise ValueError("thread 2 failed")
        return i

    with pytest.raises(ValueError, match="thread 2 failed"):
        run_at_once(fail_in_one, args=[(i,) for i in range(4)])


@pytest.mark.django_db(transaction=True)
def test_run_at_once_closes_each_threads_database_connection():
    from django.db import connections

    seen = []

    def query():
        own = connections["default"]  # this thread's own connection (not the proxy)
        with own.cursor() as cursor:
            cursor.execute("SELECT 1")
        seen.append(own)
        return own.connection is not None

    assert run_at_once(query, n=3) == [True, True, True]
    assert all(c.connection is None for c in seen)
