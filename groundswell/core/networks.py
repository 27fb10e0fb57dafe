"""Where a request came from: the client's IP address and its network.

Behind a reverse proxy, REMOTE_ADDR is the proxy; TRUSTED_PROXY_COUNT says how many
proxies (ours) append to X-Forwarded-For, and the address they saw is taken from the right.
Anything further left could be typed by the client, so it is never trusted.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def client_ip_or_empty(request) -> str:
    """client_ip for django-axes (login limits), which wants a string: one source of truth for
    where a request came from, for every limit."""
    return client_ip(request) or ""


def network_of(ip: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) around an address: one household, office or small provider."""
    if not ip:
        return ""
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def rate_limit_subject(ip: str) -> str:
    """What the per-address limits count: the address for IPv4, its /64 for IPv6 (one IPv6 home or
    phone is handed a whole /64, so counting single addresses would be easy to dodge)."""
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def parse_network(text: str):
    """A CIDR range typed by a moderator ("203.0.113.0/24", or one address). Raises ValueError."""
    return ipaddress.ip_network(text.strip(), strict=False)


def in_network(ip: str | None, network) -> bool:
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    return address.version == network.version and address in network
