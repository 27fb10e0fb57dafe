import pytest

from groundswell.core.testing import LocalSMTPServer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a local port, with Django's SMTP backend pointed at it."""
    server = LocalSMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server(settings):
    """Django's SMTP backend pointed at a port where the SMTP server is not running (yet)."""
    server = LocalSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: each test starts with none (ids repeat across tests)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
