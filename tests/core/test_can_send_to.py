"""core.mail.can_send_to: the forms' check that an address can go on an envelope."""

import pytest
from django.core.mail.message import sanitize_address

from groundswell.core.mail import can_send_to

ADDRESSES = [
    "signer@example.org",
    "first.last+petitions@mail.example.co.uk",
    "o'neill@example.ie",
    "x@" + "a" * 63 + ".org",  # the longest label a domain may have
    "x@" + "a" * 64 + ".org",  # one longer: IDNA refuses it
    "name@bücher.example",  # an international domain: encoded as IDNA
    "zoë@example.org",  # a non-ASCII local part: no server would deliver it
    "a@b@example.org",
    "no-at-sign.example.org",
    "",
]


def _sanitize_accepts(address: str) -> bool:
    local, at, _ = address.rpartition("@")
    if not at or not local.isascii():
        return False
    try:
        sanitize_address(address, "utf-8")
    except (ValueError, UnicodeError):
        return False
    return True


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_quick_answer_for_plain_addresses_is_what_the_full_parse_says(address):
    assert can_send_to(address) is _sanitize_accepts(address)


def test_a_domain_label_too_long_for_idna_is_refused():
    assert can_send_to("x@" + "a" * 63 + ".org")
    assert not can_send_to("x@" + "a" * 64 + ".org")
