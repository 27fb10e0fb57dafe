import pytest

from tests.support.mail import LocalSMTPServer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a local port, with production's SMTP backend pointed at it."""
    server = LocalSMTPServer().start()
    settings.EMAIL_BACKEND = "groundswell.core.mail.SMTPBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server(settings):
    """Production's SMTP backend pointed at a port where the SMTP server is not running (yet)."""
    server = LocalSMTPServer()
    settings.EMAIL_BACKEND = "groundswell.core.mail.SMTPBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with empty caches: rate-limit counters, cached pages and remembered ids
    would otherwise outlive the database rows they were about (ids repeat across tests)."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=False):
        cache.clear()


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Every test starts in the site's default language, as a fresh request does: a test that
    activates Welsh in this thread must not make the next test's signatures, replies and emails
    Welsh (they record the active language)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
