"""Organisers' words in both languages: Welsh pages show the Welsh, fall back to the English with
its lang marked; an organisation that works bilingually cannot open a petition without its Welsh."""

import pytest
from django.test import Client

from groundswell.petitions.models import Petition
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition

pytestmark = pytest.mark.django_db


def test_a_welsh_page_shows_the_welsh_text_and_an_english_one_the_english():
    petition = make_petition(title="Care not police", ask="End police-led care.", title_cy="Gofal nid heddlu", ask_cy="Rhoi diwedd ar ofal gan yr heddlu.")
    welsh = Client().get(f"/cy/petitions/{petition.slug}/").content.decode()
    assert "<h1>Gofal nid heddlu</h1>" in welsh and "<title>Gofal nid heddlu · Groundswell</title>" in welsh
    assert "<strong>Rhoi diwedd ar ofal gan yr heddlu.</strong>" in welsh
    english = Client().get(f"/petitions/{petition.slug}/").content.decode()
    assert "<h1>Care not police</h1>" in english and "Gofal nid heddlu" not in english


def test_without_welsh_text_the_welsh_page_shows_the_english_marked_as_english():
    petition = make_petition(title="Care not police", why="Because.")
    welsh = Client().get(f"/cy/petitions/{petition.slug}/").content.decode()
    assert '<h1><span lang="en-GB">Care not police</span></h1>' in welsh
    assert '<div lang="en-GB"><p>Because.</p></div>' in welsh


def _organiser_client(organisation):
    client = Client()
    client.force_login(make_organiser(organisation))
    return client


def test_a_bilingual_organisations_petition_cannot_open_without_its_welsh_text():
    organisation = make_organisation()
    organisation.works_bilingually = True
    organisation.save()
    petition = make_petition(make_campaign(organisation), state=Petition.State.DRAFT, title_cy="Gofal nid heddlu")
    client = _organiser_client(organisation)
    page = client.post(f"/organise/petitions/{petition.pk}/state/", {"state": "open"}, follow=True)
    petition.refresh_from_db()
    assert petition.state == Petition.State.DRAFT
    assert "cannot be opened yet: your organisation works in Welsh and English" in page.content.decode()

    Petition.objects.filter(pk=petition.pk).update(ask_cy="Rhoi diwedd ar ofal gan yr heddlu.", why_cy="Oherwydd.")
    client.post(f"/organise/petitions/{petition.pk}/state/", {"state": "open"})
    petition.refresh_from_db()
    assert petition.state == Petition.State.OPEN


def test_an_organisation_working_in_english_only_opens_petitions_without_welsh():
    organisation = make_organisation()
    petition = make_petition(make_campaign(organisation), state=Petition.State.DRAFT)
    _organiser_client(organisation).post(f"/organise/petitions/{petition.pk}/state/", {"state": "open"})
    petition.refresh_from_db()
    assert petition.state == Petition.State.OPEN
