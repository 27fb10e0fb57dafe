"""Paper sheets: printed with the consent words and a reference, entered as a total and/or signer
by signer, counted through the one counting rule, shown apart, corrected and withdrawn on the record."""

import json

import pytest

from groundswell.petitions import actions, queries
from groundswell.petitions.errors import PaperEntryError
from groundswell.petitions.forms import paper_consent_wording
from groundswell.petitions.models import Channel, EntryRecord, PaperSheet, Signature
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition, make_signature
from tests.geography.conftest import imported_pack, small_pack  # noqa: F401  (the small pack, imported)

POSTCODES = ["GU1 1AA", "GU2 7XX", "GU11 1AA", "AB10 1AB", "LL77 7AA"]


@pytest.fixture
def world(db, imported_pack):
    organisation = make_organisation("Crisis Care Coalition")
    organiser = make_organiser(organisation, email="jo@example.org")
    petition = make_petition(make_campaign(organisation), title="Care, not cells")
    return {"organisation": organisation, "organiser": organiser, "petition": petition}


@pytest.fixture
def organiser_client(client, world):
    client.force_login(world["organiser"])
    return client


def _print_sheet(client, petition) -> PaperSheet:
    response = client.post(f"/organise/petitions/{petition.pk}/paper/new/")
    assert response.status_code == 302
    return PaperSheet.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-2]))


def _details(client, sheet, **fields):
    data = {"step": "details", "details-total": "", "details-collected_by": "Ana", "details-collected_where": "Guildford market",
            "details-collected_on": "2026-11-28", "details-reason": ""}
    data.update({f"details-{k}": v for k, v in fields.items()})
    return client.post(f"/organise/paper/{sheet.pk}/", data)


def _signer(client, sheet, name, postcode="", email="", share_name=False):
    data = {"step": "signer", "signer-name": name, "signer-postcode": postcode, "signer-email": email}
    if share_name:
        data["signer-share_name"] = "on"
    return client.post(f"/organise/paper/{sheet.pk}/", data)


def test_an_organiser_prints_a_sheet_enters_twenty_signers_and_a_total_of_fifty_and_everything_counts_them(organiser_client, world):
    client, petition = organiser_client, world["petition"]
    make_signature(petition, "online@example.org", constituency_code="E14001234")

    sheet = _print_sheet(client, petition)
    printed = client.get(f"/organise/paper/{sheet.pk}/print/").content.decode()
    assert sheet.reference in printed and sheet.reference.startswith(f"P{petition.pk}-")
    assert sheet.consent.text == paper_consent_wording(petition)
    assert sheet.consent.text.replace("'", "&#x27;") in printed and "@media print" not in printed  # the print CSS is a file
    assert 'href="/static/petitions/paper-sheet.css"' in printed

    assert _details(client, sheet, total="50").status_code == 302
    for i in range(20):
        response = _signer(client, sheet, f"Paper Signer {i}", POSTCODES[i % len(POSTCODES)], share_name=i < 3)
        assert response.status_code == 302, response.content.decode()

    signers = Signature.objects.filter(sheet=sheet)
    assert signers.count() == 20
    assert all(s.channel == Channel.PAPER and s.confirmed_at and s.entered_by == world["organiser"] and s.postcode == "" for s in signers)
    assert queries.count_signatures(petition) == 51
    assert queries.count_by_channel(petition) == {"online": 1, "paper": 50, "assisted": 0}

    page = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "51 <span" in page and "1 online, 50 on paper" in page
    data = json.loads(client.get(f"/petitions/{petition.slug}.json").content)
    assert (data["signature_count"], data["signatures_online"], data["signatures_on_paper"]) == (51, 1, 50)
    by_code = {row["code"]: row["signatures"] for row in data["signatures_by_constituency"]}
    # Guildford: the online signer and 8 paper signers (GU1 1AA, GU2 7XX); Aldershot 4; Aberdeen South 4; Ynys Môn 4.
    assert by_code == {"E14001234": 9, "E14001063": 4, "S14000061": 4, "W07000081": 4, "N05000001": 0}
    nations = {row["nation"]: row["signatures"] for row in data["signatures_by_nation"]}
    assert nations["Place not known"] == 30 and nations["Outside the UK"] == 0  # the 30 beyond the 20 entered

    # A withdrawn entry: the count is right (49 on paper: the sheet's line is struck), the record says who and why.
    gone = signers.filter(constituency_code="S14000061").first()
    response = client.post(f"/organise/signatures/{gone.public_id}/withdraw/", {"reason": "Asked to be removed by phone"})
    assert response.status_code == 302
    assert queries.count_by_channel(petition)["paper"] == 49
    assert PaperSheet.objects.get(pk=sheet.pk).total == 49
    record = EntryRecord.objects.get(action=EntryRecord.Action.SIGNER_WITHDRAWN)
    assert (record.by, record.reason, record.signature_ref) == (world["organiser"], "Asked to be removed by phone", gone.public_id)
    sheet_page = client.get(f"/organise/paper/{sheet.pk}/").content.decode()
    assert "Asked to be removed by phone" in sheet_page and "jo@example.org" in sheet_page and "withdrew a signer" in sheet_page
    data = json.loads(client.get(f"/petitions/{petition.slug}.json").content)
    assert {row["code"]: row["signatures"] for row in data["signatures_by_constituency"]}["S14000061"] == 3

    # The counts are derived data: a recount from the signatures and sheets gives the same.
    assert actions.recount_petition(petition=petition) == 50
    assert queries.count_by_channel(petition) == {"online": 1, "paper": 49, "assisted": 0}
    assert EntryRecord.objects.filter(action=EntryRecord.Action.SIGNER_ENTERED, by=world["organiser"]).count() == 20


def test_a_sheet_entered_only_as_a_total_is_counted_without_an_area_and_can_be_corrected_and_withdrawn(organiser_client, world):
    client, petition = organiser_client, world["petition"]
    sheet = _print_sheet(client, petition)
    _details(client, sheet, total="30")
    assert queries.count_signatures(petition) == 30
    assert _details(client, sheet, total="28", reason="Counted again: two lines were blank").status_code == 302
    assert queries.count_signatures(petition) == 28
    corrected = EntryRecord.objects.get(action=EntryRecord.Action.SHEET_CORRECTED)
    assert corrected.detail == "total 30 → 28" and corrected.reason == "Counted again: two lines were blank"
    _signer(client, sheet, "Ruth Ellis", "GU1 1AA")
    assert queries.count_signatures(petition) == 28  # one of the 28, now with a place

    response = client.post(f"/organise/paper/{sheet.pk}/withdraw/", {"reason": "Sheet found to be copied"})
    assert response.status_code == 302
    assert queries.count_signatures(petition) == 0
    assert actions.recount_petition(petition=petition) == 0
    assert _signer(client, sheet, "Late Entry", "GU1 1AA").status_code == 400


def test_bad_paper_input_gets_clear_messages_and_changes_nothing(organiser_client, world):
    client, petition = organiser_client, world["petition"]
    sheet = _print_sheet(client, petition)
    _details(client, sheet, total="2")
    _signer(client, sheet, "Ann One", "GU1 1AA")
    _signer(client, sheet, "Bob Two", "GU2 7XX")

    response = _signer(client, sheet, "Cy Three", "GU1 1AA")
    assert response.status_code == 400
    assert "total is 2 and 2 signers are already entered" in response.content.decode()

    response = _details(client, sheet, total="1")
    assert response.status_code == 400
    assert "The total (1) is smaller than the 2 signers already entered from this sheet" in response.content.decode()

    response = _details(client, sheet, total="-5")
    assert response.status_code == 400
    assert "A sheet&#x27;s total cannot be below zero" in response.content.decode()

    _details(client, sheet, total="10")
    response = _signer(client, sheet, "Cy Three", "GU9 9ZZ")
    assert response.status_code == 400 and "We could not find GU9 9ZZ in our postcode list" in response.content.decode()
    response = _signer(client, sheet, "Cy Three", "not a postcode")
    assert response.status_code == 400 and "is not a UK postcode" in response.content.decode()

    # The same person twice on the petition (another sheet, other spacing and case): refused.
    other = _print_sheet(client, petition)
    response = _signer(client, other, "  ann   ONE ", "gu11aa")
    assert response.status_code == 400
    assert "Someone with this name and postcode is already entered on this petition" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()

    assert Signature.objects.filter(petition=petition).count() == 2
    assert queries.count_signatures(petition) == 10


def test_actions_refuse_a_negative_total_and_a_total_below_the_entered(world):
    sheet = actions.print_sheet(petition=world["petition"], user=world["organiser"], consent_text="words")
    with pytest.raises(PaperEntryError, match="below zero"):
        actions.enter_sheet_details(sheet=sheet, user=None, total=-1, collected_by="", collected_where="", collected_on=None)
    actions.enter_paper_signer(sheet=sheet, user=None, name="A B", postcode="GU1 1AA", constituency_code="E14001234")
    with pytest.raises(PaperEntryError, match="smaller than"):
        actions.enter_sheet_details(sheet=sheet, user=None, total=0, collected_by="", collected_where="", collected_on=None)


def test_paper_pages_are_for_the_petitions_organisers_only(client, world):
    sheet = actions.print_sheet(petition=world["petition"], user=world["organiser"], consent_text="words")
    stranger = make_organiser(make_organisation())
    client.force_login(stranger)
    for path in (f"/organise/petitions/{world['petition'].pk}/paper/", f"/organise/paper/{sheet.pk}/", f"/organise/paper/{sheet.pk}/print/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/organise/petitions/{world['petition'].pk}/paper/new/").status_code == 404


def test_a_scan_is_kept_and_given_only_to_organisers(organiser_client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client, petition = organiser_client, world["petition"]
    sheet = _print_sheet(client, petition)
    response = client.post(f"/organise/paper/{sheet.pk}/", {
        "step": "details", "details-total": "3", "details-collected_by": "Ana", "details-collected_where": "Hall",
        "details-collected_on": "2026-11-28", "details-scan": SimpleUploadedFile("sheet.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    })
    assert response.status_code == 302
    assert client.get(f"/organise/paper/{sheet.pk}/scan/").status_code == 200
    response = client.post(f"/organise/paper/{sheet.pk}/", {
        "step": "details", "details-total": "3", "details-collected_by": "Ana", "details-collected_where": "Hall",
        "details-collected_on": "2026-11-28", "details-scan": SimpleUploadedFile("sheet.pdf", b"<html>", content_type="application/pdf"),
    })
    assert response.status_code == 400 and "PDF, PNG or JPEG" in response.content.decode()


def test_a_paper_signer_who_withdraws_from_their_own_data_page_leaves_the_count_right(organiser_client, world):

    client, petition = organiser_client, world["petition"]
    sheet = _print_sheet(client, petition)
    _details(client, sheet, total="10")
    _signer(client, sheet, "Ruth Ellis", "GU1 1AA", email="ruth@example.org")
    assert queries.count_by_channel(petition)["paper"] == 10
    signature = Signature.objects.get(name="Ruth Ellis")
    assert actions.withdraw_signature(email_normalised="ruth@example.org", public_id=signature.public_id)
    assert queries.count_by_channel(petition)["paper"] == 9
    assert PaperSheet.objects.get(pk=sheet.pk).total == 9
    assert actions.recount_petition(petition=petition) == 9


def test_a_paper_signer_with_an_email_that_already_signed_online_is_refused_kindly(organiser_client, world):
    client, petition = organiser_client, world["petition"]
    make_signature(petition, "ruth@example.org")
    sheet = _print_sheet(client, petition)
    response = _signer(client, sheet, "Ruth Ellis", "GU1 1AA", email="Ruth@Example.org")
    assert response.status_code == 400
    assert "Someone with this email address has already signed this petition" in response.content.decode()


def test_a_typing_mistake_is_corrected_with_a_reason_and_moves_the_constituency_count(organiser_client, world):
    client, petition = organiser_client, world["petition"]
    sheet = _print_sheet(client, petition)
    _signer(client, sheet, "Ruth Elis", "GU1 1AA")
    signature = Signature.objects.get()
    response = client.post(f"/organise/signatures/{signature.public_id}/correct/", {"name": "Ruth Ellis", "postcode": "AB10 1AB", "reason": ""})
    assert response.status_code == 400 and "Give the reason for the correction" in response.content.decode()
    response = client.post(
        f"/organise/signatures/{signature.public_id}/correct/", {"name": "Ruth Ellis", "postcode": "AB10 1AB", "reason": "Misread the sheet"}
    )
    assert response.status_code == 302
    signature.refresh_from_db()
    assert (signature.name, signature.constituency_code) == ("Ruth Ellis", "S14000061")
    areas = {code: n for _country, code, n in queries.signature_totals_by_area(petition)}
    assert areas.get("S14000061") == 1 and not areas.get("E14001234")
    record = EntryRecord.objects.get(action=EntryRecord.Action.SIGNER_CORRECTED)
    assert record.reason == "Misread the sheet" and record.detail == "constituency E14001234 → S14000061"
