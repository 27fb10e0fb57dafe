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
        found = self._stored.get(key)
        if found is not None and found[0] > self.clock():
            _expires, status, headers, body = found
            start_response(status, list(headers))
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self._fetch_and_store(key, environ, start_response)

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
