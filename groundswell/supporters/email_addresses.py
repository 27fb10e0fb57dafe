"""Normalising email addresses, so one person cannot sign twice with variants of one address.

Only rules a provider really applies are used: everywhere, the domain is case-insensitive and
in practice so is the local part; Gmail ignores dots and "+tags" (and googlemail.com is
gmail.com); the big providers that support "+tag" sub-addressing deliver alice+x@ to alice@.
Addresses at other domains keep their dots and plus signs, because there they may be different
mailboxes. The address as typed is kept separately, for sending.
"""

_GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}
_PLUS_TAG_DOMAINS = {
    "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "live.co.uk", "msn.com",
    "icloud.com", "me.com", "mac.com",
    "fastmail.com", "fastmail.fm",
    "protonmail.com", "protonmail.ch", "proton.me", "pm.me",
    "yandex.com", "yandex.ru",
}


def normalise_email(address: str) -> str:
    """The key two addresses share when they reach the same mailbox."""
    address = address.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    domain = domain.rstrip(".")
    if domain in _GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    elif domain in _PLUS_TAG_DOMAINS:
        local = local.split("+", 1)[0]
    return f"{local}@{domain}"


def email_domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower()
