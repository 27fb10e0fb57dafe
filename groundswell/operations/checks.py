"""Production configuration checks, run by `groundswell check --deploy` with Django's own.

Each problem has an id (groundswell.E001...) and a message that names the variable to set and
what to set it to, so a volunteer can fix a server from the command's output alone.
docs/deployment.md lists a production environment that passes every check.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}
WEAK_KEY_MARKERS = ("insecure", "change-me", "changeme", "secret", "django", "tests-only", "example")
MIN_SECRET_KEY_LENGTH = 50


def _secret_key_problems() -> list:
    key = settings.SECRET_KEY or ""
    problems = []
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 10:
        problems.append(
            Error(
                f"SECRET_KEY is too short or too simple (it has {len(key)} characters; use at least {MIN_SECRET_KEY_LENGTH} random ones).",
                hint='Generate one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"',
                id="groundswell.E001",
            )
        )
    elif any(marker in key.lower() for marker in WEAK_KEY_MARKERS):
        problems.append(
            Error(
                "SECRET_KEY looks like a placeholder or an example (it contains a common word).",
                hint='Generate one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"',
                id="groundswell.E002",
            )
        )
    return problems


def _allowed_hosts_problems() -> list:
    hosts = list(settings.ALLOWED_HOSTS)
    if "*" in hosts:
        return [Error("ALLOWED_HOSTS contains '*', which accepts any host name.", hint="List your site's host names, e.g. ALLOWED_HOSTS=petitions.example.org", id="groundswell.E003")]
    if not [host for host in hosts if host.lstrip(".") not in LOCAL_HOSTS]:
        return [Error("ALLOWED_HOSTS has no public host name (only local ones, or none).", hint="Set ALLOWED_HOSTS to your site's host name, e.g. ALLOWED_HOSTS=petitions.example.org", id="groundswell.E004")]
    return []


def _site_url_problems() -> list:
    url = urlsplit(settings.SITE_URL or "")
    problems = []
    if url.scheme != "https":
        problems.append(Error(f"SITE_URL must start with https:// (it is {settings.SITE_URL!r}); links in emails and secure cookies depend on it.", hint="e.g. SITE_URL=https://petitions.example.org", id="groundswell.E005"))
    host = (url.hostname or "").lower()
    if host and not any(host == allowed or (allowed.startswith(".") and host.endswith(allowed)) for allowed in settings.ALLOWED_HOSTS):
        problems.append(Error(f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS, so the site would refuse its own links.", hint="Add it to ALLOWED_HOSTS.", id="groundswell.E006"))
    return problems


def _email_problems() -> list:
    if settings.EMAIL_BACKEND == "groundswell.core.mail.FolderAndTerminalBackend":
        return [Error("No mail server is configured: confirmation emails would be written to a folder, not sent.", hint="Set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS) to your SMTP relay or mail provider.", id="groundswell.E007")]
    if settings.EMAIL_BACKEND in {"groundswell.core.mail.SMTPBackend", "django.core.mail.backends.smtp.EmailBackend"}:
        local_relay = settings.EMAIL_HOST in {"127.0.0.1", "localhost", "::1"}
        if not local_relay and not (settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL):
            return [Error(f"Mail to {settings.EMAIL_HOST} would travel unencrypted (supporters' addresses and confirmation links).", hint="Set SMTP_STARTTLS=true (port 587) or SMTP_SSL=true (port 465).", id="groundswell.E008")]
    if "localhost" in settings.DEFAULT_FROM_EMAIL:
        return [Error(f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}; mail from localhost is rejected as spam.", hint="e.g. DEFAULT_FROM_EMAIL='Our Coalition <petitions@example.org>'", id="groundswell.E009")]
    return []


def _https_problems() -> list:
    problems = []
    if settings.DEBUG:
        problems.append(Error("DEBUG is on: error pages would show settings and supporters' data.", hint="Remove DEBUG or set DEBUG=false.", id="groundswell.E010"))
    if not settings.SECURE_SSL_REDIRECT:
        problems.append(Error("SECURE_SSL_REDIRECT is off: a visitor who types http:// would sign over plain HTTP.", hint="Set SECURE_SSL_REDIRECT=true (with BEHIND_HTTPS_PROXY=true behind nginx or Caddy), or redirect in the proxy and silence this check.", id="groundswell.E011"))
    if settings.SECURE_SSL_REDIRECT and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        problems.append(Warning("SECURE_SSL_REDIRECT is on but BEHIND_HTTPS_PROXY is not: behind a reverse proxy every request would be redirected in a loop.", hint="Set BEHIND_HTTPS_PROXY=true if nginx or Caddy terminates TLS (docs/deployment.md).", id="groundswell.W001"))
    if settings.SECURE_HSTS_SECONDS < 86400:
        problems.append(Error(f"SECURE_HSTS_SECONDS is {settings.SECURE_HSTS_SECONDS}: browsers are not told to insist on HTTPS.", hint="Set SECURE_HSTS_SECONDS=31536000 once HTTPS works (start with 3600 to try it).", id="groundswell.E012"))
    if not settings.SESSION_COOKIE_SECURE or not settings.CSRF_COOKIE_SECURE:
        problems.append(Error("Session and CSRF cookies are not marked Secure (they follow SITE_URL being https://).", hint="Set SITE_URL to your https:// address.", id="groundswell.E013"))
    return problems


def _shared_state_problems() -> list:
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [Warning("CACHE_URL is not set: each web process keeps its own cache in memory, which is not shared with the others.", hint="Set CACHE_URL=redis://127.0.0.1:6379/0 (docs/deployment.md).", id="groundswell.W002")]
    return []


_CROSS_SITE_MIDDLEWARE = "groundswell.core.crossorigin.CrossSiteProtectionMiddleware"


@register("groundswell")
def check_cross_site_protection(app_configs, **kwargs):
    """Django's own check (security.W003, silenced) looks for CsrfViewMiddleware by name; this one
    looks for ours, which extends it with the origin check of the public forms."""
    if _CROSS_SITE_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [Error("The cross-site request protection is not in MIDDLEWARE: forms could be sent from other websites.",
                  hint=f"Put {_CROSS_SITE_MIDDLEWARE!r} in MIDDLEWARE where Django's CsrfViewMiddleware would go.", id="groundswell.E014")]


@register("groundswell", deploy=True)
def check_production_configuration(app_configs, **kwargs):
    return (
        _secret_key_problems()
        + _allowed_hosts_problems()
        + _site_url_problems()
        + _email_problems()
        + _https_problems()
        + _shared_state_problems()
    )
