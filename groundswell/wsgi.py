"""WSGI entry point, used by `groundswell serve` (granian or gunicorn) and any other WSGI server."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from groundswell.core.microcache import AsgiFront, OpenDataMicroCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
# Open data polled by everyone (a petition's count JSON) is answered from a one-second cache
# in front of Django, as the documented nginx does (core/microcache.py).
application = OpenDataMicroCache(get_wsgi_application(), paths=settings.MICROCACHE_PATHS, seconds=settings.MICROCACHE_SECONDS)


def asgi_application():
    """The same application for an ASGI server (a factory: `groundswell serve --interface asgi`),
    answering the micro-cache's stored answers on the event loop and running the rest in
    WEB_THREADS threads (core/microcache.py AsgiFront)."""
    return AsgiFront(application, threads=int(os.environ.get("WEB_THREADS", 8)))
