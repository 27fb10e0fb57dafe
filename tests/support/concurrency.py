"""Run the same thing in N real threads released at the same instant, as racing requests or workers are.

Every thread uses its own database connection (Django gives each thread one) and closes it when
done, so the test database can be dropped afterwards; tests that use this need
`django_db(transaction=True)`, since other connections cannot see an open test transaction.
"""

import threading

from django.db import connections

# Long enough for a slow shared machine; a thread that hangs fails the test instead of hanging it.
TIMEOUT = 120


def run_at_once(fn, n: int = 2, *, args: list[tuple] | None = None) -> list:
    """Call fn in n threads that all start at once; return their results, in thread order.

    args, when given, is one tuple of arguments per thread (so n is len(args)). The first
    exception raised in any thread is raised again here, after every thread has finished, so a
    failure inside a thread fails the test rather than vanishing with the thread.
    """
    if args is not None:
        n = len(args)
    args = args or [()] * n
    barrier = threading.Barrier(n, timeout=TIMEOUT)
    results = [None] * n
    errors = []  # (order raised, exception): the first one is raised again
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(*args[i])
        except BaseException as error:  # noqa: BLE001 - raised again below
            with lock:
                errors.append(error)
        finally:
            connections.close_all()  # this thread's own connections

    threads = [threading.Thread(target=run, args=(i,), name=f"run_at_once-{i}") for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError(f"a thread was still running after {TIMEOUT} seconds")
    if errors:
        raise errors[0]
    return results
