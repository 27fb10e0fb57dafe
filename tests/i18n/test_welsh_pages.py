"""Public pages rendered in Welsh show none of our English: every msgid of our catalogue that a
public page uses is looked for, phrase by phrase, in the text of each page."""

import html
import re

import pytest
from django.test import Client
from django.utils import translation

from groundswell.geography.models import Constituency
from groundswell.letters import actions as letter_actions
from groundswell.letters.tokens import CONFIRMATION_LINK as LETTER_LINK
from groundswell.letters.tokens import FOLLOWUP_LINK
from groundswell.petitions.tokens import CONFIRMATION_LINK
from tests.factories import (
    TRUST_EMAIL, data_link_token, make_action, make_ask, make_campaign, make_commitment, make_petition, make_response,
    make_signature, make_target, personal_paragraph, sign,
)
from tests.geography.conftest import imported_pack, small_pack  # noqa: F401
from tests.i18n.catalogue import english_phrases, is_public, welsh_entries

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    # What people read: the text, and the attributes read aloud or shown.
    attributes = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder|content)="([^"]*)"', body))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + attributes).split())


def english_left_on(text: str) -> list[str]:
    found = []
    for entry in welsh_entries():
        if not is_public(entry):
            continue
        for phrase in english_phrases(entry):
            welsh = " ".join(entry.msgstr.values())
            if phrase in text and phrase not in welsh:
                found.append(phrase)
    return found


@pytest.fixture
def welsh_site(imported_pack):
    """A public campaign with a petition (signed from a Welsh constituency), a letter-writing
    action to a ledger target with a record, and a supporter's data link."""
    Constituency.objects.filter(gss_code="W07000081").update(name="Anglesey Test", name_cy="Ynys Môn Prawf")
    campaign = make_campaign(title="Gofal nid heddlu")
    petition = make_petition(campaign, title="Deiseb prawf", milestones=[10, 100])
    with translation.override("cy"):  # signed in Welsh: the words agreed to are Welsh
        make_signature(petition, "one@example.org", postcode="LL77 7AA", constituency_code="W07000081")
    target = make_target(campaign.organisation, name="Ymddiriedolaeth Prawf", contact_email=TRUST_EMAIL, is_public=True)
    response = make_response(make_ask(campaign, target))
    make_commitment(response)
    make_ask(campaign, target)  # one with no answer: the silence
    action = make_action(campaign, to_mp=False, target=target)
    return {"campaign": campaign, "petition": petition, "action": action, "target": target}


def welsh_pages(site) -> dict:
    client = Client()
    petition, campaign, action = site["petition"], site["campaign"], site["action"]
    slug = petition.slug
    pending = sign(petition, "two@example.org").signature
    letter = letter_actions.write_letter(
        action=action, name="Robin", email="robin@example.org", postcode="", subject=action.subject,
        personal=personal_paragraph(1), body="Annwyl...",
    )
    pages = {
        "home": client.get("/cy/"),
        "list": client.get("/cy/petitions/"),
        "campaign": client.get(f"/cy/campaigns/{campaign.slug}/"),
        "petition": client.get(f"/cy/petitions/{slug}/"),
        "sign form with errors": client.post(f"/cy/petitions/{slug}/", {"name": "", "email": "not an address", "where": "uk", "postcode": "nonsense"}),
        "check email": client.get(f"/cy/petitions/{slug}/check-your-email/"),
        "confirm": client.get(f"/cy/petitions/{slug}/confirm/{CONFIRMATION_LINK.make(pending.public_id)}/"),
        "confirm link broken": client.get(f"/cy/petitions/{slug}/confirm/broken/"),
        "confirmed": client.get(f"/cy/petitions/{slug}/confirmed/"),
        "near me": client.get(f"/cy/petitions/{slug}/near-me/?near=LL77+7AA"),
        "near me, unknown postcode": client.get(f"/cy/petitions/{slug}/near-me/?near=BT1+1AA"),
        "near me, bad postcode": client.get(f"/cy/petitions/{slug}/near-me/?near=xyz"),
        "map": client.get(f"/cy/petitions/{slug}/map/"),
        "embed": client.get(f"/cy/petitions/{slug}/embed/"),
        "letters": client.get(f"/cy/letters/{action.slug}/"),
        "letter preview": client.post(f"/cy/letters/{action.slug}/", {
            "name": "Robin", "email": "robin@example.org", "subject": action.subject,
            "personal": personal_paragraph(2), "body": action.suggested_text, "step": "preview"}),
        "letter errors": client.post(f"/cy/letters/{action.slug}/", {"step": "preview"}),
        "letter confirm": client.get(f"/cy/letters/confirm/{LETTER_LINK.make(letter.public_id)}/"),
        "letter answer": client.get(f"/cy/letters/reply/{FOLLOWUP_LINK.make(letter.public_id)}/replied/"),
        "ledger": client.get(f"/cy/campaigns/{campaign.slug}/ledger/{site['target'].pk}/"),
        "my data request": client.get("/cy/my-data/"),
        "my data request errors": client.post("/cy/my-data/", {"email": "nope"}),
        "my data": client.get(f"/cy/my-data/{data_link_token('one@example.org')}/"),
        "privacy": client.get("/cy/privacy/"),
        "credits": client.get("/cy/data/"),
        "not found": client.get("/cy/no-such-page/"),
    }
    letter_actions.confirm_letter(letter=letter)
    pages["letter confirmed"] = client.get(f"/cy/letters/confirmed/{LETTER_LINK.make(letter.public_id)}/")
    pages["recipient"] = client.get(f"/cy/letters/recipients/{letter.contact_id}/")
    return pages


def test_public_pages_in_welsh_show_no_english_from_our_catalogue(welsh_site):
    pages = welsh_pages(welsh_site)
    problems = {}
    for name, response in pages.items():
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html") and "<html" in response.content.decode():
            assert re.search(r'<html lang="cy"', response.content.decode()), name
        left = english_left_on(page_text(response))
        if left:
            problems[name] = left
    assert not problems, problems


def test_the_check_finds_english_when_a_page_is_english(welsh_site):
    """The test above can fail: the same page in English is full of our msgids."""
    english = Client().get(f"/petitions/{welsh_site['petition'].slug}/")
    assert len(english_left_on(page_text(english))) > 5


def test_welsh_pages_use_welsh_constituency_names_with_the_english_marked(welsh_site):
    slug = welsh_site["petition"].slug
    near = Client().get(f"/cy/petitions/{slug}/near-me/?near=LL77+7AA").content.decode()
    assert "<strong>Ynys Môn Prawf</strong>" in near
    table = Client().get(f"/cy/petitions/{slug}/map/").content.decode()
    assert 'Ynys Môn Prawf <span lang="en-GB">(Anglesey Test)</span>' in table
    assert 'aria-label="Ynys Môn Prawf: 1 llofnod"' in table  # the hex map's label, in Welsh
    english = Client().get(f"/petitions/{slug}/map/").content.decode()
    assert 'Anglesey Test <span lang="cy">(Ynys Môn Prawf)</span>' in english
