"""Emails go out in the language the supporter used: a signature made on a Welsh page gets its
confirmation in Welsh, with Welsh (/cy/) links; one made in English gets English. The same for a
letter's confirmation and a data link."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import translation

from groundswell.letters.models import Letter
from groundswell.petitions.models import Signature
from groundswell.protection.formguard import TOKEN_FIELD, make_form_token
from tests.factories import TRUST_EMAIL, make_action, make_petition, make_target, personal_paragraph
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def sign_on(prefix: str, petition, email: str):
    data = {"name": "Siân Jones", "email": email, "where": "uk", "postcode": "SW1A 1AA", "consent": "on",
            TOKEN_FIELD: make_form_token(petition.pk)}
    return Client().post(f"{prefix}/petitions/{petition.slug}/", data)


def test_signing_in_welsh_gets_the_confirmation_in_welsh_and_in_english_gets_english(smtp_server):
    petition = make_petition(title="Gofal nid heddlu")
    assert sign_on("/cy", petition, "cymraeg@example.org").status_code == 302
    assert sign_on("", petition, "english@example.org").status_code == 302
    assert dict(Signature.objects.values_list("email", "language")) == {"cymraeg@example.org": "cy", "english@example.org": "en-gb"}
    assert run_queued_tasks() == 2
    mails = {mail.envelope_to[0]: mail for mail in smtp_server.wait_for(2)}

    welsh = mails["cymraeg@example.org"]
    assert welsh.subject == "Cadarnhewch eich llofnod: Gofal nid heddlu"
    assert "Helo Siân Jones," in welsh.text and "Cadarnhau fy llofnod" in welsh.text
    assert "Please confirm" not in welsh.text and "Thank you" not in welsh.text
    [link] = [link for link in welsh.links() if "/confirm/" in link]
    assert urlsplit(link).path.startswith(f"/cy/petitions/{petition.slug}/confirm/")
    assert '<html lang="cy">' in welsh.html
    page = Client().get(urlsplit(link).path)
    assert page.status_code == 200 and '<html lang="cy"' in page.content.decode()

    english = mails["english@example.org"]
    assert english.subject == "Please confirm your signature: Gofal nid heddlu"
    assert "Hello Siân Jones," in english.text and "Cadarnhewch" not in english.text
    [link] = [link for link in english.links() if "/confirm/" in link]
    assert urlsplit(link).path.startswith(f"/petitions/{petition.slug}/confirm/")


def test_signing_again_in_the_other_language_sends_the_email_in_that_language(smtp_server):
    petition = make_petition()
    sign_on("", petition, "both@example.org")
    run_queued_tasks()
    sign_on("/cy", petition, "both@example.org")
    run_queued_tasks()
    first, second = smtp_server.wait_for(2)
    assert first.subject.startswith("Please confirm") and second.subject.startswith("Cadarnhewch")


def test_a_letter_written_in_welsh_is_confirmed_in_welsh(smtp_server):
    action = make_action(to_mp=False, target=None)
    action.target = make_target(action.campaign.organisation, name="Bwrdd Iechyd", contact_email=TRUST_EMAIL)
    action.save()
    form = {"name": "Robin", "email": "robin@example.org", "subject": action.subject, "personal": personal_paragraph(1),
            "body": action.suggested_text, "step": "send"}
    assert Client().post(f"/cy/letters/{action.slug}/", form).status_code == 302
    assert Letter.objects.get().language == "cy"
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.subject == "Cadarnhewch eich llythyr at Bwrdd Iechyd"
    assert "Anfon fy llythyr" in mail.text
    assert any(urlsplit(link).path.startswith("/cy/letters/confirm/") for link in mail.links())


def test_a_data_link_asked_for_in_welsh_comes_in_welsh(smtp_server):
    assert Client().post("/cy/my-data/", {"email": "anyone@example.org"}).status_code in (200, 302)
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.subject == "Eich data ar Groundswell"
    assert any(urlsplit(link).path.startswith("/cy/my-data/") for link in mail.links())
    with translation.override("en-gb"):
        assert Client().post("/my-data/", {"email": "other@example.org"}).status_code in (200, 302)
    run_queued_tasks()
    assert smtp_server.wait_for(2)[1].subject == "Your data on Groundswell"
