"""Organisers' editing: recording, validation, history, and isolation between organisations."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from groundswell.ledger.models import Ask, Commitment, Response, Target
from tests.factories import (
    make_ask, make_campaign, make_commitment, make_organisation, make_organiser, make_response, make_target,
)
from tests.geography.packs import GEOGRAPHY_PACK

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def organiser_client(client):
    organisation = make_organisation("Our Coalition")
    user = make_organiser(organisation, email="jo@example.org")
    client.force_login(user)
    client.organisation = organisation
    client.user = user
    return client


def test_an_organiser_records_an_ask_a_response_and_a_commitment_and_the_history_says_who(organiser_client):
    client = organiser_client
    campaign = make_campaign(client.organisation, slug="care")
    response = client.post(reverse("ledger:target_create"), {
        "organisation": client.organisation.pk, "name": "NHS England", "kind": "nhs_body", "reference_code": "X24",
        "contact_email": "", "is_public": "on",
    })
    assert response.status_code == 302, response.content.decode()
    target = Target.objects.get(name="NHS England")
    response = client.post(reverse("ledger:ask_create", args=[target.pk]), {
        "campaign": campaign.pk, "asked_on": "2024-01-10", "channel": "letter", "text": "End police-led care.",
        "source_url": "",
    })
    assert response.status_code == 302, response.content.decode()
    ask = Ask.objects.get(target=target)
    response = client.post(reverse("ledger:response_create", args=[ask.pk]), {
        "received_on": "2024-02-01", "channel": "letter", "classification": "committed",
        "summary": "They will review it.", "source_url": "https://news.example.org/a",
    })
    assert response.status_code == 302, response.content.decode()
    reply = Response.objects.get(ask=ask)
    response = client.post(reverse("ledger:commitment_create", args=[reply.pk]), {
        "promise": "Review the scheme.", "due_on": "2024-06-30", "status": "pending", "evidence": "", "evidence_url": "",
    })
    assert response.status_code == 302, response.content.decode()
    commitment = Commitment.objects.get(response=reply)

    client.post(reverse("ledger:commitment_edit", args=[commitment.pk]), {
        "promise": "Review the scheme.", "due_on": "2024-06-30", "status": "kept",
        "evidence": "The review was published.", "evidence_url": "https://example.org/review",
    })
    commitment.refresh_from_db()
    assert commitment.status == "kept"
    html = client.get(reverse("ledger:organise_target", args=[target.pk])).content.decode()
    assert "jo@example.org" in html
    assert "changed the commitment" in html and "“pending” → “kept”" in html
    assert "added the response" in html
    history = client.get(reverse("ledger:history")).content.decode()
    assert "added the target “NHS England”" in history


def test_mistakes_are_explained_and_nothing_is_saved(organiser_client):
    client = organiser_client
    campaign = make_campaign(client.organisation)
    target = make_target(client.organisation)
    response = client.post(reverse("ledger:ask_create", args=[target.pk]), {
        "campaign": campaign.pk, "asked_on": "2024-01-10", "channel": "letter", "text": "",
    })
    assert response.status_code == 200
    assert "Write what was asked, or attach the letter" in response.content.decode()
    ask = make_ask(campaign, target, asked_on=date(2024, 1, 10))
    response = client.post(reverse("ledger:response_create", args=[ask.pk]), {
        "received_on": "2024-01-01", "channel": "letter", "classification": "refused", "summary": "No.",
    })
    html = response.content.decode()
    assert "A response cannot come before the ask (10 January 2024)." in html
    assert "Give a link to the response or attach it" in html
    reply = make_response(ask)
    response = client.post(reverse("ledger:commitment_create", args=[reply.pk]), {"promise": "x", "status": "broken"})
    assert "Say how we know it was kept or broken" in response.content.decode()
    assert Response.objects.count() == 1 and Commitment.objects.count() == 0


def test_documents_are_checked_and_served_as_downloads(organiser_client, settings, tmp_path):
    client = Client()  # a visitor, not logged in
    settings.MEDIA_ROOT = tmp_path
    settings.LEDGER_DOCUMENT_MAX_BYTES = 1000
    campaign = make_campaign(organiser_client.organisation, slug="docs")
    target = make_target(organiser_client.organisation)
    url = reverse("ledger:ask_create", args=[target.pk])
    base = {"campaign": campaign.pk, "asked_on": "2024-01-10", "channel": "letter", "text": ""}

    fake = SimpleUploadedFile("letter.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    assert "does not look like a PDF" in organiser_client.post(url, {**base, "document": fake}).content.decode()
    exe = SimpleUploadedFile("letter.html", b"<html></html>", content_type="text/html")
    assert "Upload a PDF, PNG or JPEG" in organiser_client.post(url, {**base, "document": exe}).content.decode()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    assert "the largest we accept is 1000" in organiser_client.post(url, {**base, "document": big}).content.decode()
    assert not Ask.objects.exists()

    good = SimpleUploadedFile("Letter to NHS.pdf", PDF, content_type="application/pdf")
    assert organiser_client.post(url, {**base, "document": good}).status_code == 302
    ask = Ask.objects.get()
    assert ask.document.name.startswith("ledger/") and "Letter" not in ask.document.name
    assert (tmp_path / ask.document.name).read_bytes() == PDF

    download = client.get(reverse("ledger:document", args=["ask", ask.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF

    target.is_public = False
    target.save()
    assert client.get(reverse("ledger:document", args=["ask", ask.pk])).status_code == 404
    assert organiser_client.get(reverse("ledger:document", args=["ask", ask.pk])).status_code == 200


def test_targets_can_be_added_from_the_geography_pack(organiser_client, settings):
    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(GEOGRAPHY_PACK)
    page = organiser_client.get(reverse("ledger:organise")).content.decode()
    if "Add this NHS trust" not in page:
        pytest.skip("the UK geography pack is not on this machine")
    assert "Surrey and Borders Partnership NHS Foundation Trust (RXX)" in page
    url = reverse("ledger:target_from_pack", args=["nhs_body"])
    data = {"nhs_body-organisation": organiser_client.organisation.pk, "nhs_body-entry": "nhs_body:RXX"}
    assert organiser_client.post(url, data).status_code == 302
    assert organiser_client.post(url, data).status_code == 302  # twice: still one target
    target = Target.objects.get()
    assert (target.name, target.kind, target.reference_code) == ("Surrey and Borders Partnership NHS Foundation Trust", "nhs_body", "RXX")
    bad = organiser_client.post(url, {**data, "nhs_body-entry": "nhs_body:NOPE"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()


def test_an_organiser_of_another_organisation_gets_404_for_every_ledger_object(client):
    ours = make_organisation("Ours")
    campaign = make_campaign(ours, is_public=False)
    target = make_target(ours, name="Our Secret Target", is_public=False)
    ask = make_ask(campaign, target)
    reply = make_response(ask)
    commitment = make_commitment(reply)
    theirs = make_organisation("Theirs")
    their_campaign = make_campaign(theirs)
    client.force_login(make_organiser(theirs))

    urls = [
        reverse("ledger:organise_target", args=[target.pk]),
        reverse("ledger:target_edit", args=[target.pk]),
        reverse("ledger:ask_create", args=[target.pk]),
        reverse("ledger:ask_edit", args=[ask.pk]),
        reverse("ledger:response_create", args=[ask.pk]),
        reverse("ledger:response_edit", args=[reply.pk]),
        reverse("ledger:commitment_create", args=[reply.pk]),
        reverse("ledger:commitment_edit", args=[commitment.pk]),
        reverse("ledger:target", args=[campaign.slug, target.pk]),
        reverse("ledger:json", args=[campaign.slug]),
        reverse("ledger:feed", args=[campaign.slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Hijacked", "promise": "x", "status": "broken", "text": "x",
                                 "campaign": their_campaign.pk, "summary": "x", "classification": "refused",
                                 "received_on": "2024-03-01", "asked_on": "2024-01-01", "channel": "letter",
                                 "source_url": "https://x.example"}).status_code == 404, url
    # Guessing ids: nothing in the organiser's own lists or history reveals the other ledger.
    assert "Our Secret Target" not in client.get(reverse("ledger:organise")).content.decode()
    assert "Our Secret Target" not in client.get(reverse("ledger:history")).content.decode()
    # An ask from their campaign to our target is refused too.
    their_target = make_target(theirs, name="Their target")
    response = client.post(reverse("ledger:ask_create", args=[their_target.pk]), {
        "campaign": campaign.pk, "asked_on": "2024-01-10", "channel": "letter", "text": "x"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    target.refresh_from_db()
    commitment.refresh_from_db()
    assert target.name == "Our Secret Target" and commitment.status == "pending"
    assert Ask.objects.count() == 1


def test_moderators_and_visitors_cannot_edit(client):
    organisation = make_organisation()
    target = make_target(organisation)
    response = client.get(reverse("ledger:target_edit", args=[target.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(make_organiser(organisation, role="moderator"))
    assert client.get(reverse("ledger:target_edit", args=[target.pk])).status_code == 404
    assert client.get(reverse("ledger:organise")).status_code == 404


def test_editing_an_ask_keeps_its_document_and_never_links_to_media(organiser_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = make_campaign(organiser_client.organisation)
    target = make_target(organiser_client.organisation)
    url = reverse("ledger:ask_create", args=[target.pk])
    good = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    organiser_client.post(url, {"campaign": campaign.pk, "asked_on": "2024-01-10", "channel": "letter", "document": good})
    ask = Ask.objects.get()
    edit = reverse("ledger:ask_edit", args=[ask.pk])
    html = organiser_client.get(edit).content.decode()
    assert "A document is already attached" in html and ask.document.name not in html
    response = organiser_client.post(edit, {"campaign": campaign.pk, "asked_on": "2024-01-11", "channel": "email", "text": ""})
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.asked_on == date(2024, 1, 11) and ask.document.name
