"""The hand-in pack: the text and its versions, totals online and on paper, counts by constituency
and nation with each MP, the ledger's record, how signatures were checked; names only of those who
ticked the separate box; no email address or postcode of anyone (read from the PDF's text and the CSV)."""

import io

import pytest
from pypdf import PdfReader

from groundswell.petitions import actions
from groundswell.petitions.forms import share_name_wording
from groundswell.petitions.models import Signature
from tests.factories import (
    make_ask, make_campaign, make_organisation, make_organiser, make_petition, make_response, make_target,
)
from tests.geography.conftest import imported_pack, small_pack  # noqa: F401
from tests.petitions.test_views import post_sign

SIGNERS = [
    # name, email, postcode, agreed to give their name
    ("Agreeing Online Ada", "ada@example.org", "GU1 1AA", True),
    ("Private Online Bea", "bea@example.org", "GU11 1AA", False),
    ("Agreeing Online Cyd", "cyd@example.net", "AB10 1AB", True),
    ("Private Online Dov", "dov@example.net", "LL77 7AA", False),
]
PAPER = [
    ("Agreeing Paper Eli", "eli@example.com", "GU2 7XX", True),
    ("Private Paper Fay", "fay@example.com", "GU1 1AA", False),
]


@pytest.fixture
def pack_world(db, imported_pack, client):
    organisation = make_organisation("Crisis Care Coalition")
    organiser = make_organiser(organisation, email="jo@example.org")
    petition = make_petition(make_campaign(organisation), title="Care, not cells", addressed_to="NHS England")
    target = make_target(organisation, "NHS England", kind="nhs_body")
    ask = make_ask(petition.campaign, target, text="Please fund crisis teams.")
    make_response(ask, summary="They will review it.")
    for name, email, postcode, agreed in SIGNERS:
        response = post_sign(client, petition, name=name, email=email, postcode=postcode, share_name="on" if agreed else None)
        assert response.status_code == 302
    for signature in Signature.objects.all():
        actions.confirm_signature(signature=signature)
    sheet = actions.print_sheet(petition=petition, user=organiser, consent_text="words")
    actions.enter_sheet_details(sheet=sheet, user=organiser, total=5, collected_by="Ana", collected_where="Market", collected_on=None)
    for name, email, postcode, agreed in PAPER:
        from groundswell.geography.queries import lookup_postcode

        actions.enter_paper_signer(
            sheet=sheet, user=organiser, name=name, email=email, postcode=postcode,
            constituency_code=lookup_postcode(postcode).gss_code, name_text=share_name_wording(petition) if agreed else None,
        )
    client.force_login(organiser)
    return {"petition": petition, "target": target, "client": client}


def test_the_sign_form_asks_separately_unticked_and_records_the_words(pack_world):
    petition = pack_world["petition"]
    html = pack_world["client"].get(f"/petitions/{petition.slug}/").content.decode()
    box = html.split('name="share_name"')[1].split(">")[0]
    assert "checked" not in box and share_name_wording(petition).split(" when")[0] in html
    ada = Signature.objects.get(name="Agreeing Online Ada")
    assert ada.name_consent.text == share_name_wording(petition) and ada.name_consent.purpose == "give_name_to_recipient"
    assert Signature.objects.get(name="Private Online Bea").name_consent is None


def _texts(pack_world):
    petition, target, client = pack_world["petition"], pack_world["target"], pack_world["client"]
    base = f"/organise/petitions/{petition.pk}/hand-in/{target.pk}"
    pdf = client.get(f"{base}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    csv_text = client.get(f"{base}.csv").content.decode()
    html = client.get(f"{base}/").content.decode()
    return {"pdf": pdf_text, "csv": csv_text, "html": html}


def test_the_pack_has_exactly_the_names_of_those_who_agreed_and_no_email_or_postcode(pack_world):
    texts = _texts(pack_world)
    for kind, text in texts.items():
        flat = " ".join(text.split())
        for name, email, postcode, agreed in SIGNERS + PAPER:
            assert (name in flat) == agreed, (kind, name)
            assert email not in text and email.split("@")[0] + "@" not in text, (kind, email)
            assert postcode not in flat and postcode.replace(" ", "") not in flat, (kind, postcode)
        assert "jo@example.org" not in text  # nor the organiser's


def test_the_pack_has_the_text_totals_places_with_mps_ledger_and_checks(pack_world):
    texts = _texts(pack_world)
    for kind in ("pdf", "csv", "html"):
        flat = " ".join(texts[kind].split())
        assert "Care, not cells" in flat and "Please do the right thing." in flat, kind
        assert "Version 1" in flat
        assert "Online" in flat and "On paper" in flat
        assert "Zöe Franklin" in flat and "Guildford" in flat and "Stephen Flynn" in flat, kind  # constituency rows with MPs
        assert "Please fund crisis teams." in flat and "They will review it." in flat, kind  # the ledger's record
        assert "Confirmed by email" in flat and "Held back by fraud checks" in flat, kind
    csv_text = texts["csv"]
    assert "Signatures,Total,9" in csv_text and "Signatures,Online,4" in csv_text and "Signatures,On paper,5" in csv_text
    assert "E14001234,Guildford,England,Zöe Franklin,Liberal Democrat,3" in csv_text  # Ada online, Eli and Fay on paper


def test_only_the_organisations_organisers_get_the_pack(pack_world, client):
    petition, target = pack_world["petition"], pack_world["target"]
    client.force_login(make_organiser(make_organisation()))
    assert client.get(f"/organise/petitions/{petition.pk}/hand-in/{target.pk}.pdf").status_code == 404
