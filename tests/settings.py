"""Test settings: the environment a test run needs, then Groundswell's one settings file.

Tests run on SQLite by default and on PostgreSQL when DATABASE_URL is set (CI does both).
"""

import os
import tempfile

_TMP = tempfile.mkdtemp(prefix="groundswell-tests-")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("GROUNDSWELL_DATA_DIR", _TMP)
os.environ.setdefault("DEBUG", "false")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# alongside it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from groundswell.settings import *  # noqa: E402,F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not an in-memory database, so that threads and the live server share it for real.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_TMP, "test.sqlite3")}  # noqa: F405

# Tests see every change at once; tests/core/test_pagecache.py turns the page cache on.
PUBLIC_PAGE_CACHE_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405
