"""Cross-site request protection for the public forms, from the headers browsers send.

Django's CSRF protection gives each visitor a token, in a cookie and in every form. That makes
every public page different for every visitor, so no cache (ours, nginx's) can serve the same
bytes to everyone, and a viral petition's page goes through Python for each signer. A forged
cross-site POST can be told apart without a token: every current browser says where a request
comes from, in `Sec-Fetch-Site` (Fetch Metadata: "same-origin", "same-site", "cross-site" or
"none" for a request the person made themselves, such as a bookmark) and in `Origin`, which
browsers send with every cross-origin POST. This is the approach OWASP's CSRF cheat sheet
describes as a defence in its own right ("Fetch Metadata headers", "verifying origin with standard
headers"), and the one Go's net/http (CrossOriginProtection) and Rails have adopted.

The rule, for a POST (or any unsafe method) to a view marked `@origin_checked`:

1. `Sec-Fetch-Site: same-origin` or `none`: accepted.
2. Otherwise, an `Origin` header: accepted only if it is this site's own origin (the scheme and
   host of the request) or one of CSRF_TRUSTED_ORIGINS (SITE_URL among them); `null` never.
3. `Sec-Fetch-Site: cross-site` or `same-site` with no trusted `Origin`: refused.
4. Neither header (a browser from before 2020 or a program, not a page on another site: every
   browser that runs another site's scripts sends `Origin` with a cross-origin POST): a `Referer`
   from another origin is refused, and none at all is accepted.

Only views marked `@origin_checked` are protected this way: the public forms, which anyone may
send without logging in, whose pages we want the same for everyone. Everything behind a login
keeps Django's tokens (`CsrfViewMiddleware`, which this middleware extends), as do views not
marked. The other protections of the public forms (the signed timestamp, the honeypot, rate
limits, proof of work, e-mail confirmation) are unchanged.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
_SAME = {"same-origin", "none"}


def origin_checked(view):
    """Mark a public form's view: its POSTs are checked by origin (above), not by token, so its
    page needs no `{% csrf_token %}` and can be the same bytes for every visitor."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.origin_checked = True
    return wrapped


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _trusted_origins(request) -> set[str]:
    own = f"{request.scheme}://{request.get_host()}".lower()
    return {own, *(_origin_of(origin) for origin in settings.CSRF_TRUSTED_ORIGINS)} - {""}


def cross_site_problem(request) -> str:
    """Why this unsafe request looks forged from another site, or "" if it does not."""
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE", "").strip().lower()
    if fetch_site in _SAME:
        return ""
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        if origin.strip().lower() == "null" or _origin_of(origin.strip()) not in _trusted_origins(request):
            return f"Origin {origin!r} is not this site"
        return ""
    if fetch_site:
        return f"Sec-Fetch-Site {fetch_site!r} with no Origin"
    referer = request.META.get("HTTP_REFERER")
    if referer and _origin_of(referer) not in _trusted_origins(request):
        return "Referer is another site"
    return ""


class CrossSiteProtectionMiddleware(CsrfViewMiddleware):
    """Django's CSRF middleware, with `@origin_checked` views checked by origin instead of token.
    A refusal goes to the same CSRF_FAILURE_VIEW as a token's, with `reason` saying why."""

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if not getattr(callback, "origin_checked", False):
            return super().process_view(request, callback, callback_args, callback_kwargs)
        if request.method in _SAFE_METHODS:
            return None
        problem = cross_site_problem(request)
        if problem:
            return self._reject(request, f"Cross-site: {problem}")
        return self._accept(request)
