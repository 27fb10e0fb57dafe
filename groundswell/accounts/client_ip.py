"""The address a request came from, for login rate limiting.

Behind nginx or Caddy every request reaches the app server from 127.0.0.1, so the proxy's
X-Forwarded-For header is used instead: its LAST entry, the one our own proxy appended (earlier
entries are whatever the client claimed, and an attacker could vary them to dodge the limit).
"""

from django.conf import settings


def client_ip_address(request) -> str:
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")
