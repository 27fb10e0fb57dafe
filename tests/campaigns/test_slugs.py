"""Web addresses (slugs) for titles in any script: never empty, unique, and said plainly when taken."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.actions import create_organisation
from groundswell.campaigns.models import Campaign
from groundswell.letters.models import LetterAction
from groundswell.petitions.models import Petition
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition
from tests.factories import SUGGESTED

pytestmark = pytest.mark.django_db

GREEK = "Ελληνικά για όλους"


@pytest.fixture
def organiser_client(client):
    organisation = make_organisation("Our Coalition")
    client.force_login(make_organiser(organisation))
    client.organisation = organisation
    return client


def _petition_fields(campaign, **overrides):
    today = timezone.localdate()
    data = {
        "campaign": campaign.pk, "title": "Care not police", "slug": "", "ask": "Stop it.", "why": "Because.",
        "addressed_to": "NHS England", "opens_on": today.isoformat(),
        "closes_on": today.replace(year=today.year + 1).isoformat(), "milestones_text": "",
    }
    data.update(overrides)
    return data


def test_a_greek_title_with_a_blank_slug_gets_a_web_address_and_the_dashboard_works(organiser_client):
    client = organiser_client
    response = client.post(
        reverse("campaigns:create"),
        {"organisation": client.organisation.pk, "title": GREEK, "slug": "", "summary": "Για όλους.", "description": ""},
    )
    assert response.status_code == 302, response.content.decode()
    campaign = Campaign.objects.get(title=GREEK)
    assert campaign.slug.startswith("campaign-")

    response = client.post(reverse("petitions:create"), _petition_fields(campaign, title=GREEK))
    assert response.status_code == 302, response.content.decode()
    petition = Petition.objects.get(title=GREEK)
    assert petition.slug.startswith("petition-") and len(petition.slug) > len("petition-")

    dashboard = client.get(reverse("composition:organise"))
    assert dashboard.status_code == 200
    assert GREEK in dashboard.content.decode()
    assert client.get(reverse("composition:campaign", args=[campaign.slug])).status_code == 200

    # A second Greek title gets its own address, not a clash.
    response = client.post(reverse("petitions:create"), _petition_fields(campaign, title="Άλλη αναφορά"))
    assert response.status_code == 302
    assert Petition.objects.filter(slug="").count() == 0 and Petition.objects.count() == 2


def test_accented_latin_titles_keep_their_letters():
    organisation = create_organisation(name="Cymdeithas yr Iaith Gŵyl")
    assert organisation.slug == "cymdeithas-yr-iaith-gwyl"
    assert create_organisation(name="Ομάδα").slug.startswith("organisation-")
    assert create_organisation(name="Ομάδα").slug != create_organisation(name="Ομάδα").slug


def test_a_letter_action_with_a_greek_title_gets_a_web_address(organiser_client):
    campaign = make_campaign(organiser_client.organisation)
    response = organiser_client.post(
        reverse("letters:create"),
        {"campaign": campaign.pk, "slug": "", "title": GREEK, "recipient_kind": "mp", "target": "",
         "subject": "Θέμα", "suggested_text": SUGGESTED, "guidance": "", "is_open": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    action = LetterAction.objects.get()
    assert action.slug.startswith("letter-")
    assert organiser_client.get(reverse("letters:compose", args=[action.slug])).status_code == 200
    assert organiser_client.get(reverse("letters:organise")).status_code == 200


@pytest.mark.parametrize("model,factory", [(Petition, make_petition), (Campaign, make_campaign)])
def test_the_database_refuses_an_empty_slug(model, factory):
    with pytest.raises(IntegrityError):
        factory(slug="")


def test_a_reused_title_with_a_blank_slug_says_what_to_do(organiser_client):
    campaign = make_campaign(organiser_client.organisation)
    make_petition(campaign, title="Care not police", slug="care-not-police")
    response = organiser_client.post(reverse("petitions:create"), _petition_fields(campaign))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A petition with this title already exists in this campaign: change the title or type a different web address." in html
    assert "Slug already exists" not in html
    # Typing a different web address is the way through.
    response = organiser_client.post(reverse("petitions:create"), _petition_fields(campaign, slug="care-not-police-2026"))
    assert response.status_code == 302
    assert Petition.objects.filter(title="Care not police").count() == 2


def test_the_same_title_in_another_campaign_gets_a_numbered_address(organiser_client):
    elsewhere = make_petition(make_campaign(make_organisation("Someone Else")), title="Care not police", slug="care-not-police")
    campaign = make_campaign(organiser_client.organisation)
    response = organiser_client.post(reverse("petitions:create"), _petition_fields(campaign))
    assert response.status_code == 302
    assert Petition.objects.exclude(pk=elsewhere.pk).get().slug == "care-not-police-2"


def test_a_typed_web_address_that_is_taken_or_not_latin_is_refused_plainly(organiser_client):
    campaign = make_campaign(organiser_client.organisation)
    make_petition(make_campaign(), slug="taken")
    html = organiser_client.post(reverse("petitions:create"), _petition_fields(campaign, slug="taken")).content.decode()
    assert "This web address is already used: type a different one." in html
    html = organiser_client.post(reverse("petitions:create"), _petition_fields(campaign, slug="ελληνικά")).content.decode()
    assert "Use only the letters a to z, numbers and hyphens in the web address" in html
    assert Petition.objects.filter(campaign=campaign).count() == 0


def test_a_web_address_taken_between_the_check_and_the_save_is_a_form_error(organiser_client):
    from groundswell.core.slugs import save_with_unique_slug
    from groundswell.petitions.actions import save_petition
    from groundswell.petitions.forms import PetitionForm

    campaign = make_campaign(organiser_client.organisation)
    form = PetitionForm(_petition_fields(campaign), campaigns=Campaign.objects.all())
    assert form.is_valid() and form.cleaned_data["slug"] == "care-not-police"
    make_petition(make_campaign(), slug="care-not-police")  # someone else, a moment later
    assert save_with_unique_slug(save_petition, form=form) is None
    assert form.errors["slug"] == ["This web address is already used: type a different one."]
