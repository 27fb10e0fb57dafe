"""Serving public pages that are the same for every anonymous visitor from the cache.

A viral petition's page is fetched by thousands of people a minute, and rendering it (the sign
form's country list alone is 250 options) costs far more than serving stored bytes. The page is
identical for every visitor who is not logged in: its form is checked by the browser's Origin
headers rather than a per-visitor CSRF token (core/crossorigin.py). So it is rendered once, kept
for a few seconds (PUBLIC_PAGE_CACHE_SECONDS), and sent as it is to everyone, with no cookie set;
the WSGI micro-cache and nginx can keep the same bytes in front of Django (core/microcache.py).
Logged-in organisers, and anyone with a message waiting, always get a freshly rendered page.

The cache key names what the page depends on (its language: the same petition's English
and Welsh pages are two entries ; then the petition and when it was last edited), so an
organiser's edit shows at once; the count on the page is at most those few seconds old.

All of this lives in each process's own memory (the "local" cache), not in the shared Redis: it is
read on every public request, a second's difference between processes does no harm, and a network
round trip would cost more than the work it saves. Forgetting a value on change therefore takes
effect at once in the process that made the change, and within PUBLIC_PAGE_CACHE_SECONDS in others.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "__groundswell_csrf_token_placeholder__"


def local_cache():
    """This process's own cache (settings.CACHES["local"])."""
    return caches["local"]


def is_personal(request) -> bool:
    """Whether this request may see something only for them (a session or a flash message)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES


def anonymous_page(request, *, key: str, render: Callable[[dict], HttpResponse]) -> HttpResponse:
    """Return render()'s page, from the cache when the visitor is anonymous.

    render(extra_context) must build the page with extra_context merged into its template
    context. Only a page with no CSRF token in it is stored: its forms are checked by origin
    (core/crossorigin.py) or it has none. A page that does hold a token (the placeholder shows it)
    is rendered afresh for each visitor, since a token is one visitor's.
    """
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0 or is_personal(request):
        return render({})
    key = f"page:{key}:in:{get_language()}"  # one copy per language: /cy/ pages are Welsh
    body, must_build, claimed = _fresh_or_claim(key)
    if must_build:
        try:
            response = render({"csrf_token": CSRF_PLACEHOLDER})
            if response.status_code != 200 or CSRF_PLACEHOLDER.encode() in response.content:
                return render({})  # only ever store, and serve, successful pages with no token in them
            body = response.content
            _keep(key, body, seconds)
        finally:
            if claimed:
                _release(key)
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def cached_bytes(*, key: str, build: Callable[[], bytes]) -> bytes:
    """Bytes that are the same for everyone (open data), kept for PUBLIC_PAGE_CACHE_SECONDS."""
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return build()
    return _kept(f"bytes:{key}:in:{get_language()}", seconds, build)


def briefly_cached(*, key: str, build: Callable[[], object]):
    """A small value every public request reads (an organisation's rate limits, a visible
    petition, whether geography is loaded), kept for PUBLIC_PAGE_CACHE_SECONDS.
    The action that changes it calls forget_on_commit(key): the change shows at once in that
    process, and within those seconds in every other."""
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return build()
    return _kept(f"value:{key}", seconds, build)


# -- one rebuild at a time -------------------------------------------------------------------
# Each entry is stored as (fresh until, value) and kept for KEPT_FOR_FRESHNESSES times its
# freshness. Once it is stale, the first request to see it claims the rebuild and the others
# are given the stale value meanwhile (for the moment a rebuild takes), instead of every thread
# of the process rebuilding the same value at the same moment each time it expires (under a
# viral spike, rebuilding these values was 9% of the web server's CPU: docs/performance.md,
# "Sixth session"). A claim lapses after CLAIM_SECONDS, so a rebuild that hangs is taken over. A value
# that is missing (never built, or forgotten because it changed) is built by whoever asks: a
# change is never served stale.
KEPT_FOR_FRESHNESSES = 10
CLAIM_SECONDS = 5


def _kept(key: str, seconds: float, build: Callable[[], object]):
    value, must_build, claimed = _fresh_or_claim(key)
    if must_build:
        try:
            value = build()
            _keep(key, value, seconds)
        finally:
            if claimed:
                _release(key)
    return value


def _fresh_or_claim(key: str) -> tuple[object, bool, bool]:
    """(value, must build, claimed): the value when it can be used as it is; otherwise the
    caller must build it, and `claimed` says it holds the rebuild's claim (a stale value was
    there, and exactly one caller gets the claim: add() is atomic), to give back with _release."""
    entry = local_cache().get(key)
    if entry is None:
        return None, True, False
    fresh_until, value = entry
    if time.time() < fresh_until:
        return value, False, False
    if local_cache().add(_claim_key(key), True, timeout=CLAIM_SECONDS):
        return None, True, True
    return value, False, False


def _keep(key: str, value, seconds: float) -> None:
    local_cache().set(key, (time.time() + seconds, value), KEPT_FOR_FRESHNESSES * seconds)


def _release(key: str) -> None:
    local_cache().delete(_claim_key(key))


def _claim_key(key: str) -> str:
    return f"rebuilding:{key}"


def forget_on_commit(key: str) -> None:
    from django.db import transaction

    transaction.on_commit(lambda: local_cache().delete(f"value:{key}"))
