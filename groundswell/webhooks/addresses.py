"""Which URLs an endpoint may have: HTTPS to a public address only, checked when it is registered
and again before every delivery (the name may have been pointed elsewhere since). A registered
URL must never reach this machine or a private network (server-side request forgery).

WEBHOOKS_ALLOW_PRIVATE_ADDRESSES (tests and local development only) allows private and loopback
addresses, and plain HTTP to those alone."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class AddressRefused(ValueError):
    pass


def _is_private(ip: str) -> bool:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def resolve(host: str) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})
    except (socket.gaierror, UnicodeError, ValueError):
        return []


def check_url(url: str) -> None:
    """Raise AddressRefused with a message for the organiser unless the URL may receive webhooks."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise AddressRefused(_("Enter a full web address starting with https://."))
    if parts.scheme != "https" and not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        raise AddressRefused(_("Use an address starting with https://, so that deliveries are encrypted."))
    if parts.username or parts.password:
        raise AddressRefused(_("Leave the user name and password out of the address: every delivery is signed instead."))
    addresses = resolve(host)
    if not addresses:
        raise AddressRefused(_("We could not find %(host)s: check the address.") % {"host": host})
    private = any(_is_private(ip) for ip in addresses)
    if private and not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        raise AddressRefused(
            _("%(host)s is a private or local address. Webhooks go only to public addresses on the internet.") % {"host": host}
        )
    if parts.scheme != "https" and not (private and settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES):
        raise AddressRefused(_("Use an address starting with https://, so that deliveries are encrypted."))
