"""An organiser prints a paper sheet, enters it (a total and signers, with a mistake on the way),
withdraws an entry, and the version history shows a change: in a real browser, checked with axe-core."""

import pytest
from playwright.sync_api import expect

from groundswell.geography import actions as geography_actions
from groundswell.petitions import queries
from groundswell.petitions.models import Petition
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition, make_signature, make_target
from tests.geography.packs import write_pack

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"


def _log_in(page, site, email):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_organiser_enters_a_paper_sheet_and_the_version_history_is_accessible(site, page, axe, tmp_path):
    geography_actions.import_pack(directory=write_pack(tmp_path / "pack"))
    organisation = make_organisation("Crisis Care Coalition")
    make_organiser(organisation, email="jo@example.org", password=PASSWORD)
    petition = make_petition(make_campaign(organisation), title="Care, not cells", ask="Fund crisis care teams.")
    make_signature(petition, "online@example.org")

    _log_in(page, site, "jo@example.org")
    page.goto(f"{site}/organise/")
    page.get_by_role("link", name="Paper and assisted Care, not cells").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paper and assisted signatures")
    axe.assert_no_violations(page)

    page.get_by_role("button", name="Print a new sheet").click()
    expect(page.locator(".sheet-reference")).to_contain_text(f"P{petition.pk}-0001")
    expect(page.get_by_text("What you agree to by signing:")).to_be_visible()
    axe.assert_no_violations(page)
    page.emulate_media(media="print")
    expect(page.locator(".sheet-tools")).to_be_hidden()
    page.emulate_media(media="screen")

    page.get_by_role("link", name=f"Enter sheet P{petition.pk}-0001").click()
    page.get_by_label("Signatures on the sheet").fill("-3")
    page.get_by_label("Collected by").fill("Ana")
    page.get_by_label("Where").fill("Guildford market")
    page.get_by_label("When").fill("2026-11-28")
    page.get_by_role("button", name="Save the sheet's details").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("cannot be below zero")
    axe.assert_no_violations(page)
    page.get_by_label("Signatures on the sheet").fill("12")
    page.get_by_role("button", name="Save the sheet's details").click()
    expect(page.get_by_role("status")).to_contain_text("Saved the sheet's details")

    page.get_by_label("Name", exact=True).fill("Ruth Ellis")
    page.locator("#id_signer-postcode").fill("GU9 9ZZ")
    page.get_by_role("button", name="Enter this signer").click()
    expect(page.locator(".error-summary")).to_contain_text("We could not find GU9 9ZZ")
    expect(page.locator("#id_signer-postcode")).to_have_attribute("aria-invalid", "true")
    axe.assert_no_violations(page)
    page.locator("#id_signer-postcode").fill("GU1 1AA")
    page.get_by_role("button", name="Enter this signer").click()
    expect(page.get_by_role("status")).to_contain_text("Entered Ruth Ellis")
    page.get_by_label("Name", exact=True).fill("Sam Okafor")
    page.locator("#id_signer-postcode").fill("AB10 1AB")
    page.get_by_role("button", name="Enter this signer").click()
    expect(page.get_by_role("row", name="Sam Okafor")).to_be_visible()
    axe.assert_no_violations(page)
    assert queries.count_by_channel(petition) == {"online": 1, "paper": 12, "assisted": 0}

    page.get_by_role("link", name="Withdraw Sam Okafor").click()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".error-summary")).to_contain_text("Give the reason")
    page.get_by_label("Reason for withdrawing it").fill("Asked to be removed")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("cell", name="Asked to be removed")).to_be_visible()
    axe.assert_no_violations(page)
    assert queries.count_by_channel(petition)["paper"] == 11

    page.goto(f"{site}/organise/petitions/{petition.pk}/assisted/")
    axe.assert_no_violations(page)

    # A change to the ask after people signed: a new version, shown on the page and in the history.
    page.goto(f"{site}/organise/petitions/{petition.pk}/edit/")
    page.get_by_label("What the petition asks for", exact=True).fill("Fund crisis care teams in every area.")
    page.get_by_label("What changed and why").fill("Every area, as members asked.")
    page.get_by_role("button", name="Save petition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your campaigns")
    assert Petition.objects.get(pk=petition.pk).text_version == 2
    page.goto(f"{site}/petitions/{petition.slug}/")
    expect(page.locator(".count-channels")).to_have_text("1 online, 11 on paper")
    page.get_by_role("link", name="See every version and what changed").click()
    expect(page.get_by_role("heading", name="Version 2")).to_be_visible()
    expect(page.locator("section ins")).to_contain_text("in every area.")
    axe.assert_no_violations(page)

    # Thresholds and the hand-in pack: a threshold already passed is reached at once.
    make_target(organisation, "NHS England", kind="nhs_body")
    page.goto(f"{site}/organise/petitions/{petition.pk}/thresholds/")
    axe.assert_no_violations(page)
    page.get_by_label("At this many signatures").fill("10")
    page.get_by_label("Handed to").select_option(label="NHS England")
    page.get_by_label("What we will do and ask").fill("We hand it to NHS England and ask for a response within 20 working days.")
    page.get_by_role("button", name="Add the threshold").click()
    expect(page.get_by_role("status")).to_contain_text("Added the threshold")
    page.reload()
    expect(page.get_by_role("table")).not_to_contain_text("not yet")
    axe.assert_no_violations(page)
    page.get_by_role("link", name="print-ready page NHS England").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Petition to NHS England")
    axe.assert_no_violations(page)
