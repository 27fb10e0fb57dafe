"""A one-second cache in front of Django for what is the same bytes for everyone.

A viral petition's count JSON is polled by every embedded card and every supporter watching the
number climb, and its pages (the petition with its sign form, "check your email", "thank you")
are fetched by every signer; none of them holds anything of the visitor's (the sign form is
checked by origin, not by a per-visitor token: core/crossorigin.py). The documented nginx answers it from its own one-second cache; an operator who runs
the app server alone (Caddy, shipped in deploy/, has no cache) would otherwise send every poll
through Django's whole request cycle, middleware and all. This WSGI wrapper keeps the last
successful answer for each listed path in the process's memory for MICROCACHE_SECONDS and serves
it without entering Django: the same status, headers and bytes Django gave.

What it stores, it stores only when it is safe for everyone to see it: a GET (or HEAD) with no
query string (so made-up query strings cannot fill memory), no cookie or authorisation header on
the request, a 200 response that sets no cookie and does not say `private` or `no-store`, on a
path matching one of MICROCACHE_PATHS (regular expressions, settings.py), and a response that
varies by nothing but the language and encoding asked for and whether a page was (all part of the key). At most
MAX_ENTRIES answers are kept. Anything else goes to Django as before. Counts it serves are at
most MICROCACHE_SECONDS old, as with nginx.
"""

import re
import threading
import time
from collections.abc import Callable, Iterable

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding"}
# What a stored answer may vary by: the key holds the first two; requests with cookies are not stored.
_VARY_ALLOWED = {"accept-language", "accept-encoding", "cookie"}
MAX_ENTRIES = 1024


class OpenDataMicroCache:
    def __init__(self, application: Callable, *, paths: Iterable[str], seconds: float, clock: Callable[[], float] = time.monotonic):
        self.application = application
        self.patterns = [re.compile(pattern) for pattern in paths]
        self.seconds = seconds
        self.clock = clock
        self._stored: dict[str, tuple[float, str, list, bytes]] = {}
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            return self.application(environ, start_response)
        found = self.fresh(key)
        if found is not None:
            status, headers, body = found
            start_response(status, list(headers))
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self._fetch_and_store(key, environ, start_response)

    def fresh(self, key: str | None) -> tuple[str, list, bytes] | None:
        """The stored (status, headers, body) for this key while it is fresh, else None."""
        found = self._stored.get(key) if key is not None else None
        if found is not None and found[0] > self.clock():
            return found[1], found[2], found[3]
        return None

    def _key(self, environ) -> str | None:
        if self.seconds <= 0 or environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}:
            return None
        if environ.get("QUERY_STRING") or environ.get("HTTP_COOKIE") or environ.get("HTTP_AUTHORIZATION"):
            return None
        path = environ.get("PATH_INFO", "")
        if not any(pattern.fullmatch(path) for pattern in self.patterns):
            return None
        language, encoding = environ.get("HTTP_ACCEPT_LANGUAGE", ""), environ.get("HTTP_ACCEPT_ENCODING", "")
        # Whether a page was asked for: a first visit's redirect to the Welsh page depends on it.
        page = "text/html" in environ.get("HTTP_ACCEPT", "")
        return f"{environ.get('HTTP_HOST', '')}{environ.get('SCRIPT_NAME', '')}{path}\n{language}\n{encoding}\n{page}"

    def _fetch_and_store(self, key, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.application(dict(environ, REQUEST_METHOD="GET"), capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured.get("status", ""), captured.get("headers", [])
        if _storable(status, headers):
            kept = [(name, value) for name, value in headers if name.lower() not in _HOP_BY_HOP]
            now = self.clock()
            with self._lock:
                if len(self._stored) >= MAX_ENTRIES:
                    self._stored = {k: v for k, v in self._stored.items() if v[0] > now}
                if len(self._stored) < MAX_ENTRIES:
                    self._stored[key] = (now + self.seconds, status, kept, body)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _storable(status: str, headers: list) -> bool:
    if not status.startswith("200"):
        return False
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie":
            return False
        if name == "cache-control" and any(word in value.lower() for word in ("private", "no-store", "no-cache")):
            return False
        if name == "vary" and any(part.strip().lower() not in _VARY_ALLOWED for part in value.split(",")):
            return False  # the answer differs by something else about the visitor
    return True


class AsgiFront:
    """The micro-cache's answers given on the ASGI server's event loop; everything else run in a
    pool of threads through the WSGI application (a2wsgi).

    Why: under granian's WSGI interface every request, a stored answer included, waits for one of
    the worker's threads, and while signing goes on they are all busy (measured: 31 count reads a
    second, p50 400 ms). Here a stored answer needs no thread: the loop sends it as soon as it
    holds the interpreter, many at a time. A miss goes through the same OpenDataMicroCache (which
    stores it) and Django, exactly as under WSGI. `groundswell serve --interface asgi`.
    """

    def __init__(self, cache: OpenDataMicroCache, *, threads: int):
        from a2wsgi import WSGIMiddleware

        self.cache = cache
        self.wsgi = WSGIMiddleware(cache, workers=threads)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] == "http":
            found = self.cache.fresh(self.cache._key(_environ_for_key(scope)))
            if found is not None:
                status, headers, body = found
                await send({"type": "http.response.start", "status": int(status.split(" ", 1)[0]),
                            "headers": [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]})
                await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
                return

        async def receive_as_coroutine():
            # granian's receive() gives an awaitable that is not a coroutine; a2wsgi hands it to
            # asyncio.run_coroutine_threadsafe, which takes coroutines only.
            return await receive()

        await self.wsgi(scope, receive_as_coroutine, send)


def _environ_for_key(scope) -> dict:
    """The parts of a WSGI environ that OpenDataMicroCache._key reads, from an ASGI scope."""
    environ = {
        "REQUEST_METHOD": scope["method"], "PATH_INFO": scope["path"], "SCRIPT_NAME": scope.get("root_path", ""),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
    }
    for name, value in scope.get("headers", []):
        environ["HTTP_" + name.decode("latin-1").upper().replace("-", "_")] = value.decode("latin-1")
    return environ
