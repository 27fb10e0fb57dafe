"""Groundswell's one settings file. Every value comes from the environment.

docs/configuration.md documents each variable. The defaults give a working local site (SQLite in
WAL mode, email written to a folder, the database task queue); with DEBUG off the site refuses to
start until the values production needs are given, and names the ones that are missing.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from groundswell.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("GROUNDSWELL_DATA_DIR", "var")).resolve()

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
SITE_URL = env_str("SITE_URL").rstrip("/")
# The AGPL asks that users of the site can get its source: link to your copy of it.
SOURCE_CODE_URL = env_str("SOURCE_CODE_URL")

if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-debug-only-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
    SITE_URL = SITE_URL or "http://127.0.0.1:8000"
else:
    _missing = [
        name
        for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS), ("SITE_URL", SITE_URL))
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(
            "Groundswell will not start with DEBUG off until these are set: "
            + ", ".join(_missing)
            + ". See docs/configuration.md (or run `groundswell demo` for a local demo)."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for the TemplatesSetting form renderer
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "simple_history",
    "groundswell.core",
    "groundswell.accounts",
    "groundswell.supporters",
    "groundswell.campaigns",
    "groundswell.petitions",
    "groundswell.geography",
    "groundswell.ledger",
    # Production operations and organisers' account security (docs/deployment.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # one-time backup codes, for a lost phone
    "axes",
    "groundswell.operations",
    "groundswell.webhooks",
    "groundswell.protection",
    "groundswell.moderation",
    "groundswell.letters",
    "groundswell.handin",
    "groundswell.events",
    "groundswell.api",
    "groundswell.updates",
    "groundswell.composition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: from the URL (/cy/… is Welsh, unprefixed is English), and on a first
    # visit from the browser's Accept-Language (core/i18n.py; docs/translation.md).
    "django.middleware.locale.LocaleMiddleware",
    "groundswell.core.i18n.FirstVisitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's CSRF tokens, except on the public forms marked @origin_checked, which are
    # checked by the browser's Origin and Sec-Fetch-Site headers instead (core/crossorigin.py).
    "groundswell.core.crossorigin.CrossSiteProtectionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Two-step login: marks request.user as verified, then keeps staff (and organisers who turned
    # it on) out of every page but logging in and the second step until they have given it.
    "django_otp.middleware.OTPMiddleware",
    "groundswell.accounts.two_factor.SecondFactorRequiredMiddleware",
    # Login rate limiting (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "groundswell.urls"
WSGI_APPLICATION = "groundswell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "groundswell.core.context_processors.site",
            ],
        },
    },
]

# Forms render through Django's field and form templates, pointed at the project's accessible ones
# (core/forms/field.html, core/forms/form.html): see groundswell/core/form_rendering.py.
FORM_RENDERER = "groundswell.core.form_rendering.FormRenderer"

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL switches to PostgreSQL; the default is a SQLite file in WAL mode, with
# BEGIN IMMEDIATE so that concurrent writers queue for the lock instead of failing half-way.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "groundswell.sqlite3",
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks -----------------------------------------------------------------------
# django-tasks with its database backend: no broker is needed, and a task enqueued inside an
# action's transaction commits or rolls back with the data it is about (docs/architecture.md).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Cache ----------------------------------------------------------------------------------
# "default" holds what processes must share (rate-limit counters, used puzzles, sessions): Redis
# when CACHE_URL is set. "local" is each process's own memory, for what may be a second stale in
# another process and is read on every public request (core/pagecache.py): a Redis round trip
# there would cost more than the work it saves.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    # Django's Redis backend, keeping one redis-py client per pool (core/rediscache.py says why).
    CACHES = {"default": {"BACKEND": "groundswell.core.rediscache.ReusingRedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}}
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process-local"}
# Sessions live in the database, so every web process on every machine sees them; with a shared
# Redis cache they are also cached there (reads from Redis, writes through to the database).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if CACHE_URL else "django.contrib.sessions.backends.db"

# --- Email ----------------------------------------------------------------------------------
# With SMTP_HOST set, mail goes to that SMTP server. Without it, every message is written as an
# .eml file to MAIL_FOLDER (default: <data dir>/mail) and summarised in the terminal, so that a
# local organiser can read what supporters would receive.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Groundswell <groundswell@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("SMTP_HOST")
EMAIL_PORT = env_int("SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("SMTP_SSL", False)
EMAIL_TIMEOUT = env_int("SMTP_TIMEOUT", 10)
MAIL_FOLDER = Path(env_str("MAIL_FOLDER") or DATA_DIR / "mail")
if EMAIL_HOST:
    EMAIL_BACKEND = "groundswell.core.mail.SMTPBackend"
else:
    EMAIL_BACKEND = "groundswell.core.mail.FolderAndTerminalBackend"
# The one outgoing-mail pipeline (core/outbox.py). Every email has its own envelope sender,
# bounces+<token>@MAIL_BOUNCE_DOMAIN (default: DEFAULT_FROM_EMAIL's domain), so a bounce names it.
# LETTERS_BOUNCE_DOMAIN is the older name of the same setting.
MAIL_BOUNCE_DOMAIN = env_str("MAIL_BOUNCE_DOMAIN") or env_str("LETTERS_BOUNCE_DOMAIN")
# Emails a stranger could trigger with someone else's address (confirmation requests, data links,
# password resets) go to one address at most this many times an hour, all kinds together.
MAIL_LIMIT_PER_ADDRESS_PER_HOUR = env_int("MAIL_LIMIT_PER_ADDRESS_PER_HOUR", 3)
# Finished outbox rows (no addresses, no content) are kept this long, for bounces that come late.
MAIL_OUTBOX_RETENTION_DAYS = env_int("MAIL_OUTBOX_RETENTION_DAYS", 7)
# /health/ reports unhealthy when the oldest due email has waited longer than this.
HEALTH_MAX_EMAIL_WAIT_SECONDS = env_int("HEALTH_MAX_EMAIL_WAIT_SECONDS", 600)

# --- Auth, sessions, security ---------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "composition:organise"
LOGOUT_REDIRECT_URL = "composition:home"

SECURE_HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL else []
CSRF_FAILURE_VIEW = "groundswell.core.views.csrf_failure"
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
# How many reverse proxies of ours append to X-Forwarded-For: where the client's address is read
# (core/networks.py client_ip, for rate limits and login limits). Behind one proxy: 1.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_HTTPS_PROXY else 0)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS hardening (docs/deployment.md). `groundswell check --deploy` names any left unset.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # local health probes speak plain HTTP to the app server
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# security.W003 looks for Django's CsrfViewMiddleware by name; ours extends it (core/crossorigin.py)
# and groundswell.E014 checks that it is in place instead.
SILENCED_SYSTEM_CHECKS = ["security.W003", *env_list("SILENCED_SYSTEM_CHECKS")]

# Every login goes through django-axes first: it counts failures in the database (shared by all
# web processes and machines) and refuses further attempts once the limit is reached.
# Then Django's own check of the password, finding the account by email whatever its case.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "groundswell.accounts.backends.EmailBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
# Locked out after too many failures for one account from one address: a stranger guessing an
# organiser's password locks only themselves out, never the organiser on their own connection.
# (Locking the account alone would let anyone lock any organiser out.) A completed password reset
# lifts the account's lockouts (accounts/actions.py lift_login_lockouts).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Failures are counted under the email as typed, trimmed and in lower case, so that case
# variants of one address share one limit (accounts/backends.py).
AXES_USERNAME_CALLABLE = "groundswell.accounts.backends.login_name_for_axes"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "groundswell.core.networks.client_ip_or_empty"
AXES_DISABLE_ACCESS_LOG = True  # keep failures only: no log of every organiser's every login
AXES_VERBOSE = False
# Staff must use a second factor; a TOTP device is named after the site in authenticator apps.
OTP_TOTP_ISSUER = env_str("TOTP_ISSUER", "Groundswell")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)
# Coalitions (docs/configuration.md): team invitations, the API, webhooks.
TEAM_INVITATION_DAYS = env_int("TEAM_INVITATION_DAYS", 7)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100)
# Only for tests and local development: lets a webhook endpoint point at this machine or a
# private network. Never set it in production (a registered URL could then reach internal services).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
WEBHOOKS_PAUSE_AFTER_HOURS = env_int("WEBHOOKS_PAUSE_AFTER_HOURS", 24)
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)

# No page may make a request to any other site: no CDN, tracker, font or embed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Who may put a petition's card (/petitions/<slug>/embed/) in a frame: the only page that may be
# framed at all. "*" is any website; or a comma-separated list such as https://partner.example.
# Every other page refuses framing (X-Frame-Options DENY, frame-ancestors 'none').
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", ["*"])

# --- Internationalisation -------------------------------------------------------------------
# English (unprefixed addresses) and Welsh (/cy/…). docs/translation.md says how to add another.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# One catalogue for the whole package, shipped in it: groundswell/locale/<lang>/LC_MESSAGES/django.po.
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language a visitor last saw, so that choosing English on a Welsh page sticks (core/i18n.py).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# --- Accountability ledger ------------------------------------------------------------------
# Organisers get a digest when a target has not answered an ask for this many days.
LEDGER_SILENCE_REMINDER_DAYS = env_int("LEDGER_SILENCE_REMINDER_DAYS", 28)
# The largest document (PDF, PNG, JPEG) an organiser may attach to an ask or a response.
LEDGER_DOCUMENT_MAX_BYTES = env_int("LEDGER_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# How long an institution's private answer link works (each chaser brings a fresh one).
LEDGER_ANSWER_LINK_DAYS = env_int("LEDGER_ANSWER_LINK_DAYS", 120)
# Chasing asks sent from the platform; each campaign can change these (ChaseSettings).
LEDGER_CHASE_CAMPAIGN_ASK_DAYS = env_int("LEDGER_CHASE_CAMPAIGN_ASK_DAYS", 10)
LEDGER_CHASE_INTERVAL_DAYS = env_int("LEDGER_CHASE_INTERVAL_DAYS", 7)
LEDGER_CHASE_MAX = env_int("LEDGER_CHASE_MAX", 3)
# The UK geography pack (NHS trusts, police forces) organisers can pick targets from. Default:
# ../shared/data/uk-geography relative to the working directory, when it exists.
GROUNDSWELL_GEOGRAPHY_PACK = env_str("GROUNDSWELL_GEOGRAPHY_PACK")

# --- Groundswell ----------------------------------------------------------------------------
# How long a supporter has to confirm a signature; unconfirmed signatures are purged after it.
SIGNATURE_CONFIRMATION_DAYS = env_int("SIGNATURE_CONFIRMATION_DAYS", 14)
# How long after a petition closes signers' personal data is kept (stated in the consent text).
SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE = env_int("SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE", 183)
# How often the worker runs housekeeping (purging expired data, pruning finished task rows).
MAINTENANCE_INTERVAL_SECONDS = env_int("MAINTENANCE_INTERVAL_SECONDS", 600)
# How long a public page or open-data answer may be served from the cache (core/pagecache.py):
# the count a visitor sees is at most this old. 0 turns the cache off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 1)
# What is the same for everyone, answered in front of Django from each process's memory
# (core/microcache.py): a petition's count JSON and its signers' pages (the petition, "check your
# email", "thank you"), at most this many seconds old. 0 turns it off.
MICROCACHE_SECONDS = env_int("MICROCACHE_SECONDS", 1)
MICROCACHE_PATHS = [r"/petitions/[^/]+\.json", r"(/cy)?/petitions/[^/]+/((check-your-email|confirmed)/)?"]
# Counter shards per (petition, area): spreads concurrent confirmations over several rows.
SIGNATURE_COUNT_SHARDS = env_int("SIGNATURE_COUNT_SHARDS", 16)
# Each `groundswell worker` records that it is alive this often; /health/ reports a worker missing
# after three missed beats.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30)

# Routes /_bench/minimal, the ceiling the viral-load benchmark compares against. Off in production.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)

# LOG_FORMAT=json writes one JSON object per line, for journald or a log collector.
LOG_FORMAT = env_str("LOG_FORMAT", "plain").lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
# --- Protection against fake signatures, and supporters' own data (docs/moderation.md) -------
# How long signers' IP addresses (and networks) are kept for fraud checks, then erased.
PROTECTION_IP_RETENTION_DAYS = env_int("PROTECTION_IP_RETENTION_DAYS", 30)
# A signing form older than this is shown again, answers kept, to be sent once more.
SIGN_FORM_MAX_AGE_HOURS = env_int("SIGN_FORM_MAX_AGE_HOURS", 24)
# Proof-of-work difficulty: the browser tries up to this many hashes (half on average).
PROOF_OF_WORK_MAX_NUMBER = env_int("PROOF_OF_WORK_MAX_NUMBER", 50_000)
# How long the link to a supporter's own data works.
SUPPORTER_DATA_LINK_HOURS = env_int("SUPPORTER_DATA_LINK_HOURS", 24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "groundswell.operations.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Letters to MPs and institutions (groundswell/letters, docs/configuration.md) -----------
# Days a supporter has to confirm a letter (one reminder halfway); unconfirmed letters are deleted.
LETTERS_CONFIRMATION_DAYS = env_int("LETTERS_CONFIRMATION_DAYS", 7)
LETTERS_CONFIRMATION_REMINDER_DAYS = env_int("LETTERS_CONFIRMATION_REMINDER_DAYS", 3)
# Days after sending that a letter's words and the supporter's details are deleted.
LETTERS_TEXT_RETENTION_DAYS = env_int("LETTERS_TEXT_RETENTION_DAYS", 28)
# "Did you get a reply?": days after sending, then days after that for the one reminder.
LETTERS_FOLLOWUP_DAYS = env_int("LETTERS_FOLLOWUP_DAYS", 14)
LETTERS_FOLLOWUP_REMINDER_DAYS = env_int("LETTERS_FOLLOWUP_REMINDER_DAYS", 7)
# A recipient's responsiveness figure is public only with at least this many answers.
LETTERS_FIGURES_MIN_ANSWERS = env_int("LETTERS_FIGURES_MIN_ANSWERS", 10)
# Letters at least this similar (percent, Jaccard of word 5-shingles) are bundled in the daily digest.
LETTERS_NEAR_IDENTICAL_PERCENT = env_int("LETTERS_NEAR_IDENTICAL_PERCENT", 70)
# Hours between digests to one recipient.
LETTERS_DIGEST_HOURS = env_int("LETTERS_DIGEST_HOURS", 24)
# Rate limits: letters per supporter email per day, and per IP address per hour.
LETTERS_LIMIT_PER_SUPPORTER_PER_DAY = env_int("LETTERS_LIMIT_PER_SUPPORTER_PER_DAY", 5)
LETTERS_LIMIT_PER_IP_PER_HOUR = env_int("LETTERS_LIMIT_PER_IP_PER_HOUR", 20)
# Pause letters to MPs (e.g. during an election, when there are no MPs).
LETTERS_PAUSE_MPS = env_bool("LETTERS_PAUSE_MPS", False)


# --- Events and RSVPs (groundswell/events, docs/configuration.md) -----------------------------
# Days after an event ends that its RSVPs' access needs (health data) are deleted.
EVENT_ACCESS_NEEDS_RETENTION_DAYS = env_int("EVENT_ACCESS_NEEDS_RETENTION_DAYS", 7)
# Days after an event ends that its RSVPs' names and email addresses are deleted (counts stay).
EVENTS_RSVP_RETENTION_DAYS = env_int("EVENTS_RSVP_RETENTION_DAYS", 30)
# Days a person has to confirm an RSVP by email; unconfirmed RSVPs are then deleted.
EVENTS_CONFIRMATION_DAYS = env_int("EVENTS_CONFIRMATION_DAYS", 7)
# Hours before an event starts that confirmed RSVPs are sent a reminder.
EVENTS_REMINDER_HOURS = env_int("EVENTS_REMINDER_HOURS", 24)
# Replies to events from one IP address (IPv6: one /64) in an hour.
EVENTS_LIMIT_PER_IP_PER_HOUR = env_int("EVENTS_LIMIT_PER_IP_PER_HOUR", 30)

# --- Supporter updates (groundswell/updates, docs/configuration.md) ---------------------------
# How many update emails a minute the outbox may send (a relay's limit); 0: as fast as it can.
UPDATES_EMAILS_PER_MINUTE = env_int("UPDATES_EMAILS_PER_MINUTE", 0)
# At most this many updates a week from one organisation to one supporter (later ones skip them).
UPDATES_PER_SUPPORTER_PER_WEEK = env_int("UPDATES_PER_SUPPORTER_PER_WEEK", 3)
# Recipients written to the outbox per transaction when an update starts sending.
UPDATES_QUEUE_BATCH = env_int("UPDATES_QUEUE_BATCH", 2000)
