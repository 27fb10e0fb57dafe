"""Organisers preview a petition the public cannot see yet; everyone else still gets a 404."""

import pytest
from django.urls import reverse

from groundswell.petitions.models import Petition, Signature
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition
from tests.protection.helpers import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def _draft():
    organisation = make_organisation("Our Coalition")
    petition = make_petition(make_campaign(organisation), state=Petition.State.DRAFT, title="Fund crisis cafés")
    return organisation, petition


def test_an_organiser_previews_their_draft_labelled_and_unsignable(client, page_cache_on):
    organisation, petition = _draft()
    client.force_login(make_organiser(organisation, role="moderator"))  # any member of the organisation
    url = reverse("petitions:detail", args=[petition.slug])

    dashboard = client.get(reverse("composition:organise")).content.decode()
    assert f'href="{url}">Fund crisis cafés (preview)</a>' in dashboard

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview of a draft: the public cannot see this page" in html
    assert "Only organisers with Our Coalition can see it." in html
    assert "<title>Preview: Fund crisis cafés" in html
    assert f'<form method="post" action="{url}"' not in html and 'name="consent"' not in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

    refused = client.post(url, form_data(petition, email="organiser.tries@example.org"))
    assert refused.status_code == 409
    assert "No signature was recorded" in refused.content.decode()
    assert not Signature.objects.exists()


def test_nobody_else_sees_a_draft_even_after_its_organiser_previewed_it(client, page_cache_on):
    organisation, petition = _draft()
    url = reverse("petitions:detail", args=[petition.slug])
    client.force_login(make_organiser(organisation))
    assert client.get(url).status_code == 200

    client.logout()
    client.cookies.clear()
    assert client.get(url).status_code == 404  # anonymous: not from the page cache either
    assert client.post(url, form_data(petition, email="someone@example.org")).status_code == 404

    client.force_login(make_organiser(make_organisation("Someone Else")))
    assert client.get(url).status_code == 404
    assert not Signature.objects.exists()


def test_a_petition_in_a_campaign_not_yet_public_is_previewed_without_a_sign_form(client):
    organisation = make_organisation()
    petition = make_petition(make_campaign(organisation, is_public=False))  # open, but the campaign is hidden
    client.force_login(make_organiser(organisation))
    html = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    assert "Preview: the public cannot see this page" in html
    assert "Its campaign is not public yet" in html
    assert 'name="consent"' not in html
