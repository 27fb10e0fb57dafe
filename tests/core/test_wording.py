"""Words people read: plurals that agree with their number (ngettext), labels in plain words."""

import pytest
from django.urls import reverse

from groundswell.petitions import actions as petition_actions
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition, sign

pytestmark = pytest.mark.django_db


def _confirmed(petition, email, **fields):
    signature = petition_actions.sign_petition(
        petition=petition, name="N", email=email, postcode="", country="GB", consent_text="c", updates_text=None, **fields
    ).signature
    petition_actions.confirm_signature(signature=signature)
    return signature


@pytest.fixture
def moderator(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))  # organisers moderate too
    client.organisation = organisation
    return client


def test_one_counted_signature_is_one_is_not_one_are(moderator):
    petition = make_petition(make_campaign(moderator.organisation))
    _confirmed(petition, "one@throwaway.example")
    html = moderator.post(reverse("moderation:invalidate", args=[petition.pk]), {"email_domain": "throwaway.example"}).content.decode()
    assert "Of these, 1 is counted now, so the count would go down by 1." in html
    assert "1 are counted" not in html


def test_restoring_one_signature_says_one_signature(moderator):
    petition = make_petition(make_campaign(moderator.organisation))
    flagged = _confirmed(petition, "f@example.org", flagged_reason="rate_network")
    done = moderator.post(reverse("moderation:restore", args=[petition.pk]), {"signature": [flagged.pk]}, follow=True)
    html = done.content.decode()
    assert "Restored 1 signature. The count went up by 1." in html
    assert "(s)" not in html


def test_labels_are_plain_words(moderator):
    org = moderator.organisation
    rate_limits = moderator.get(reverse("moderation:rate_limits", args=[org.pk])).content.decode()
    assert "Signatures from one IP address in a burst" in rate_limits and "Ip burst limit" not in rate_limits
    campaign_form = moderator.get(reverse("campaigns:create")).content.decode()
    assert "Show this campaign&#x27;s page to everyone" in campaign_form and "Is public" not in campaign_form
    target_form = moderator.get(reverse("ledger:target_create")).content.decode()
    assert "Show publicly" in target_form and "Is public" not in target_form
    make_campaign(org)  # letter-writing actions need one
    letters_form = moderator.get(reverse("letters:create")).content.decode()
    assert "Open for letters" in letters_form and "Is open" not in letters_form


def test_one_day_and_one_signature_are_singular(client, settings):
    settings.SIGNATURE_CONFIRMATION_DAYS = 1
    petition = make_petition(milestones=[1])
    sign(petition)
    html = client.get(reverse("petitions:check_email", args=[petition.slug])).content.decode()
    assert "The link in it works for 1 day." in html and "1 days" not in html
    page = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    assert "Next milestone: 1 signature<" in page
