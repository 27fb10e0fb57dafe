"""WSGI entry point, used by `groundswell serve` (granian or gunicorn) and any other WSGI server."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from groundswell.core.microcache import AsgiFront, OpenDataMicroCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")


def warm_up() -> None:
    """Do once, before the first request, what every thread's first request would otherwise do
    at the same moment: import every view (the URLconf), build the URL resolver's tables in each
    language, compile the email validator's patterns and import the Redis client (about 1 s of
    CPU in all, measured). A worker started or restarted during a spike had eight threads doing
    it at once while requests queued (6% of the web server's CPU in a 40 s run;
    docs/performance.md, "Sixth session")."""
    from django.core.validators import validate_email
    from django.urls import NoReverseMatch, get_resolver, reverse
    from django.utils import translation

    from groundswell.core import counters

    def namespaces(resolver, prefix=""):
        for name, (_pattern, inner) in resolver.namespace_dict.items():
            yield prefix + name
            yield from namespaces(inner, f"{prefix}{name}:")

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for namespace in ["", *namespaces(get_resolver())]:
                try:  # builds the tables reverse() uses for this namespace and language
                    reverse(f"{namespace}:-warm-up-" if namespace else "-warm-up-")
                except NoReverseMatch:
                    pass
    validate_email("warm.up@example.org")
    counters.warm_up()


# Open data polled by everyone (a petition's count JSON) is answered from a one-second cache
# in front of Django, as the documented nginx does (core/microcache.py).
application = OpenDataMicroCache(get_wsgi_application(), paths=settings.MICROCACHE_PATHS, seconds=settings.MICROCACHE_SECONDS)
warm_up()


def asgi_application():
    """The same application for an ASGI server (a factory: `groundswell serve --interface asgi`),
    answering the micro-cache's stored answers on the event loop and running the rest in
    WEB_THREADS threads (core/microcache.py AsgiFront)."""
    return AsgiFront(application, threads=int(os.environ.get("WEB_THREADS", 8)))
