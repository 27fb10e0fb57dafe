"""Numbers typed into organisers' and moderators' forms: a huge or strange number gets a clear
message and the form back, never a 500 (Python's 4,300-digit limit, the database's integer range)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from groundswell.petitions.models import Petition
from groundswell.protection.models import RateLimits
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition

pytestmark = pytest.mark.django_db


def _petition_fields(campaign, milestones):
    today = timezone.localdate()
    return {
        "campaign": campaign.pk, "title": "Care not police", "slug": "", "ask": "Stop it.", "why": "Because.",
        "addressed_to": "NHS England", "opens_on": today.isoformat(),
        "closes_on": today.replace(year=today.year + 1).isoformat(), "milestones_text": milestones,
    }


@pytest.mark.parametrize(
    "milestones,message",
    [
        ("1" * 4301, "That is too long for a list of milestones"),
        ("1" * 900, "Enter numbers up to 1,000,000,000 signatures."),
        ("99,999,999,999", "Enter numbers up to 1,000,000,000 signatures."),
        ("3000000000", "Enter numbers up to 1,000,000,000 signatures."),
        (" ".join(str(n) for n in range(1, 30)), "Enter at most 20 milestones."),
    ],
)
def test_a_huge_milestone_is_refused_with_a_clear_message(client, milestones, message):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    campaign = make_campaign(organisation)
    response = client.post(reverse("petitions:create"), _petition_fields(campaign, milestones))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Care not police"' in html  # what was typed is kept
    assert not Petition.objects.exists()


def test_a_billion_is_still_a_milestone(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    response = client.post(reverse("petitions:create"), _petition_fields(make_campaign(organisation), "1,000,000,000"))
    assert response.status_code == 302
    assert Petition.objects.get().milestones == [1_000_000_000]


@pytest.mark.parametrize("value", ["9" * 30, "9" * 5000, "99999999999", "-1"])
def test_rate_limits_out_of_range_are_refused_plainly(client, value):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation, role="moderator"))
    response = client.post(
        reverse("moderation:rate_limits", args=[organisation.pk]),
        {"ip_burst_limit": value, "ip_burst_seconds": "60", "ip_hourly_limit": "20", "network_hourly_limit": "50",
         "email_domain_hourly_limit": "20", "common_email_domains": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a whole number from 0 to 1,000,000." in html
    assert "9223372036854775807" not in html and "Ensure this value" not in html
    assert not RateLimits.objects.exists()


@pytest.mark.parametrize("chase", ["²", "9" * 5000, "99999999999999999999999"])
def test_a_strange_chase_id_is_not_a_500(client, chase):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    make_campaign(organisation)
    response = client.get(reverse("letters:create"), {"chase": chase})
    assert response.status_code == 200


@pytest.mark.parametrize("signature_id", ["²", "99999999999999999999999"])
def test_a_strange_signature_id_to_restore_is_ignored(client, signature_id):
    organisation = make_organisation()
    petition = make_petition(make_campaign(organisation))
    client.force_login(make_organiser(organisation, role="moderator"))
    response = client.post(reverse("moderation:restore", args=[petition.pk]), {"signature": [signature_id]})
    assert response.status_code == 302
