"""Every source of personal data answers "whom do you hold anything about?" for a whole batch of
addresses, and that answer is the same as asking it address by address.

The data-link email asks the batch question once per worker batch (supporters/personal_data.py
`addresses_holding`); a source whose batch answer disagreed would tell someone "we hold nothing
about you" when it does, or the reverse."""

import pytest

from groundswell.api.models import Tag, Tagging
from groundswell.supporters import personal_data
from tests.factories import make_action, make_event, make_letter, make_opted_in, make_petition, make_rsvp, make_target

pytestmark = pytest.mark.django_db

HOLDS_EACH = {
    "signatures": "signer@example.org",
    "updates": "signer@example.org",  # the signer ticked "email me news"
    "letters": "writer@example.org",
    "rsvps": "attendee@example.org",
    "tags": "tagged@example.org",
}


def test_each_source_answers_for_a_batch_as_it_answers_for_each_address():
    petition = make_petition()
    make_opted_in(petition, "signer@example.org")
    target = make_target(petition.campaign.organisation, contact_email="force@example.org")
    make_letter(make_action(petition.campaign, to_mp=False, target=target), email="writer@example.org")
    make_rsvp(make_event(petition.campaign), "attendee@example.org")
    tag = Tag.objects.create(organisation=petition.campaign.organisation, name="volunteer")
    Tagging.objects.create(tag=tag, email_normalised="tagged@example.org")

    addresses = set(HOLDS_EACH.values()) | {"nobody@example.org", ""}
    sources = personal_data._SOURCES
    assert set(sources) == set(HOLDS_EACH), "a new source: add what it holds to HOLDS_EACH"
    for name, source in sources.items():
        one_by_one = {address for address in addresses if address and source.held_about(address)}
        assert one_by_one == {HOLDS_EACH[name]}, name
        assert source.holders(addresses) == one_by_one, name
    assert personal_data.addresses_holding(addresses) == set(HOLDS_EACH.values())
