import pytest
from django.urls import reverse
from django.utils import timezone

from groundswell.campaigns.models import Campaign
from groundswell.petitions.models import Petition
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client):
    organisation = make_organisation("Our Coalition")
    user = make_organiser(organisation)
    client.force_login(user)
    client.organisation = organisation
    return client


def test_the_organisers_area_needs_a_login(client):
    response = client.get(reverse("composition:organise"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_login_with_a_wrong_password_is_refused_kindly(client):
    make_organiser(make_organisation(), email="jo@example.org")
    response = client.post(reverse("accounts:login"), {"username": "jo@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "We could not log you in" in response.content.decode()
    ok = client.post(reverse("accounts:login"), {"username": "jo@example.org", "password": "a-long-test-password"})
    assert ok.status_code == 302


def test_an_organiser_creates_a_campaign_and_a_petition_and_opens_it(organiser_client):
    client = organiser_client
    response = client.post(
        reverse("campaigns:create"),
        {"organisation": client.organisation.pk, "title": "Care not police", "slug": "care-not-police",
         "summary": "Crisis care without police.", "description": "", "is_public": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    campaign = Campaign.objects.get(slug="care-not-police")
    today = timezone.localdate()
    response = client.post(
        reverse("petitions:create"),
        {"campaign": campaign.pk, "title": "End police-led crisis care", "slug": "", "ask": "Stop it.",
         "why": "Because.", "addressed_to": "NHS England", "opens_on": today.isoformat(),
         "closes_on": today.replace(year=today.year + 1).isoformat(), "milestones_text": "100, 1,000 5000"},
    )
    assert response.status_code == 302, response.content.decode()
    petition = Petition.objects.get(slug="end-police-led-crisis-care")
    assert petition.state == Petition.State.DRAFT
    assert petition.milestones == [100, 1000, 5000]
    assert "Preview of a draft" in client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()

    client.post(reverse("petitions:state", args=[petition.pk]), {"state": "open"})
    petition.refresh_from_db()
    assert petition.state == Petition.State.OPEN
    assert client.get(reverse("petitions:detail", args=[petition.slug])).status_code == 200
    dashboard = client.get(reverse("composition:organise")).content.decode()
    assert "End police-led crisis care" in dashboard


def test_petition_form_errors_are_shown_and_nothing_is_saved(organiser_client):
    campaign = make_campaign(organiser_client.organisation)
    today = timezone.localdate()
    response = organiser_client.post(
        reverse("petitions:create"),
        {"campaign": campaign.pk, "title": "", "ask": "", "why": "", "addressed_to": "",
         "opens_on": today.isoformat(), "closes_on": "2000-01-01", "milestones_text": "lots"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The closing date must be on or after the opening date." in html
    assert "Enter whole numbers above zero" in html
    assert not Petition.objects.exists()


def test_an_organiser_cannot_touch_another_organisations_campaigns_or_petitions(organiser_client):
    make_campaign(organiser_client.organisation)
    other = make_campaign(make_organisation("Someone Else"))
    petition = make_petition(other, state=Petition.State.DRAFT)
    assert organiser_client.get(reverse("campaigns:edit", args=[other.pk])).status_code == 404
    assert organiser_client.get(reverse("petitions:edit", args=[petition.pk])).status_code == 404
    assert organiser_client.post(reverse("petitions:state", args=[petition.pk]), {"state": "open"}).status_code == 404
    response = organiser_client.post(
        reverse("petitions:create"),
        {"campaign": other.pk, "title": "Sneaky", "ask": "x", "why": "x", "addressed_to": "x",
         "opens_on": "2030-01-01", "closes_on": "2030-02-01"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Petition.objects.filter(title="Sneaky").exists()
    petition.refresh_from_db()
    assert petition.state == Petition.State.DRAFT
    assert "Someone Else" not in organiser_client.get(reverse("composition:organise")).content.decode()


def test_a_moderator_cannot_edit_campaigns(client):
    organisation = make_organisation()
    campaign = make_campaign(organisation)
    client.force_login(make_organiser(organisation, role="moderator"))
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 404


def test_impossible_state_changes_are_refused(organiser_client):
    petition = make_petition(make_campaign(organiser_client.organisation), state=Petition.State.ARCHIVED)
    response = organiser_client.post(reverse("petitions:state", args=[petition.pk]), {"state": "open"}, follow=True)
    assert "That change is not possible" in response.content.decode()
    petition.refresh_from_db()
    assert petition.state == Petition.State.ARCHIVED
