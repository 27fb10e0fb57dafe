"""The moderators' view: organisation-scoped, restore counts, limits edited at runtime."""

import pytest
from django.urls import reverse

from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Signature
from groundswell.petitions.queries import count_signatures, count_signatures_by_area
from groundswell.moderation.actions import start_invalidation
from groundswell.moderation.models import ModerationRecord
from groundswell.protection.models import RateLimits
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition, sign
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def _flagged(petition, email, reason="rate_network", constituency_code="E14000009"):
    result = petition_actions.sign_petition(
        petition=petition, name="N", email=email, postcode="GU2 7XX", country="GB", consent_text="c", updates_text=None,
        constituency_code=constituency_code, ip_address="203.0.113.5", ip_network="203.0.113.0/24", flagged_reason=reason,
    )
    petition_actions.confirm_signature(signature=result.signature)
    return result.signature


def test_moderation_needs_a_login(client):
    assert client.get(reverse("moderation:home")).status_code == 302


def test_a_moderator_restores_flagged_signatures_and_they_are_counted_in_their_area(client):
    organisation = make_organisation()
    petition = make_petition(make_campaign(organisation))
    flagged = [_flagged(petition, f"f{i}@example.org") for i in range(3)]
    assert count_signatures(petition) == 0
    client.force_login(make_organiser(organisation, role="moderator"))
    page = client.get(reverse("moderation:petition", args=[petition.pk])).content.decode()
    assert "Too many from one network in an hour: 3" in page
    assert "f0@example.org" not in page  # the list shows no addresses
    hour = page.split("Last hour")[1].split("Last 24 hours")[0]
    assert "<code>203.0.113.5</code></th><td class=\"number\">3</td><td class=\"number\">100.0%</td>" in hour
    response = client.post(reverse("moderation:restore", args=[petition.pk]), {"signature": [flagged[0].pk, flagged[1].pk]})
    assert response.status_code == 302
    assert count_signatures(petition) == 2
    assert list(count_signatures_by_area(petition)) == [{"country": "GB", "constituency_code": "E14000009", "signatures": 2}]
    record = ModerationRecord.objects.get(kind="restore")
    assert (record.changed, record.count_change) == (2, 2)


def test_one_organisation_cannot_see_or_touch_anothers_petitions_by_guessing_ids(client):
    ours, theirs = make_organisation(), make_organisation()
    their_petition = make_petition(make_campaign(theirs))
    their_signature = _flagged(their_petition, "private@example.org")
    record = start_invalidation(petition=their_petition, criteria={"email_domain": "example.org"}, moderator=None)
    client.force_login(make_organiser(ours))
    pk = their_petition.pk
    assert client.get(reverse("moderation:petition", args=[pk])).status_code == 404
    assert client.post(reverse("moderation:restore", args=[pk]), {"signature": [their_signature.pk]}).status_code == 404
    assert client.post(reverse("moderation:invalidate", args=[pk]), {"email_domain": "example.org", "confirm": "1"}).status_code == 404
    assert client.post(reverse("moderation:proof_of_work", args=[pk]), {"required": "1"}).status_code == 404
    assert client.get(reverse("moderation:record", args=[record.pk])).status_code == 404
    assert client.get(reverse("moderation:rate_limits", args=[theirs.pk])).status_code == 404
    assert their_petition.title not in client.get(reverse("moderation:home")).content.decode()
    their_signature.refresh_from_db()
    assert their_signature.flagged_reason == "rate_network"
    assert ModerationRecord.objects.count() == 1


def test_rate_limits_are_edited_in_the_moderators_view(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation, role="moderator"))
    url = reverse("moderation:rate_limits", args=[organisation.pk])
    bad = client.post(url, {"ip_burst_limit": "x", "ip_burst_seconds": "60", "ip_hourly_limit": "20",
                            "network_hourly_limit": "50", "email_domain_hourly_limit": "20", "common_email_domains": ""})
    assert bad.status_code == 200 and "Enter a whole number" in bad.content.decode()
    ok = client.post(url, {"ip_burst_limit": "3", "ip_burst_seconds": "30", "ip_hourly_limit": "10",
                           "network_hourly_limit": "25", "email_domain_hourly_limit": "5", "common_email_domains": "gmail.com"})
    assert ok.status_code == 302
    limits = RateLimits.objects.get(organisation=organisation)
    assert (limits.ip_burst_limit, limits.ip_burst_seconds, limits.common_domains) == (3, 30, {"gmail.com"})


def test_invalidation_by_time_window_and_constituency_needs_some_criteria(client):
    organisation = make_organisation()
    petition = make_petition(make_campaign(organisation))
    for i in range(4):
        s = sign(petition, email=f"s{i}@example.org").signature
        Signature.objects.filter(pk=s.pk).update(constituency_code="E1" if i < 3 else "E2")
        s.refresh_from_db()
        petition_actions.confirm_signature(signature=s)
    client.force_login(make_organiser(organisation, role="moderator"))
    url = reverse("moderation:invalidate", args=[petition.pk])
    empty = client.post(url, {})
    assert empty.status_code == 400 and "at least one thing to match" in empty.content.decode()
    preview = client.post(url, {"constituency_code": "e1", "since": "2000-01-01T00:00"})
    assert "3 <span class=\"count-label\">signatures would be removed" in preview.content.decode()
    assert "the count would go down by 3" in preview.content.decode()
    assert count_signatures(petition) == 4  # a preview changes nothing
    client.post(url, {"constituency_code": "E1", "since": "2000-01-01T00:00", "confirm": "1"})
    run_queued_tasks()
    assert count_signatures(petition) == 1
    assert list(count_signatures_by_area(petition)) == [{"country": "GB", "constituency_code": "E2", "signatures": 1}]
    # Running the task again (a retry) changes nothing.
    from groundswell.moderation.tasks import run_invalidation

    run_invalidation.call(ModerationRecord.objects.get().pk)
    assert count_signatures(petition) == 1


def test_switching_the_puzzle_on_reaches_the_cached_public_page_at_once(client, settings, django_capture_on_commit_callbacks):
    """The public page is cached for anonymous visitors; the switch lives on the petition, and
    changing it changes the page's cache key, so signers get pow.js from the next request."""
    from groundswell.moderation.actions import set_proof_of_work

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    petition = make_petition()
    url = reverse("petitions:detail", args=[petition.slug])
    assert "protection/pow.js" not in client.get(url).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        set_proof_of_work(petition=petition, required=True)
    assert "protection/pow.js" in client.get(url).content.decode()
    assert client.get(reverse("petitions:puzzle", args=[petition.slug])).status_code == 200
