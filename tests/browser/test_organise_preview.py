"""An organiser's error summary and draft preview in a real browser, checked with axe-core."""

import pytest
from playwright.sync_api import expect

from groundswell.petitions.models import Petition
from tests.factories import make_campaign, make_organisation, make_organiser

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"


def test_an_organiser_fixes_named_errors_then_previews_the_draft(site, page, axe):
    organisation = make_organisation("Crisis Care Coalition")
    make_organiser(organisation, email="jo@example.org", password=PASSWORD)
    campaign = make_campaign(organisation, title="Care not police")
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("jo@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{site}/organise/petitions/new/?campaign={campaign.pk}")
    page.locator("#id_opens_on").fill("")
    page.get_by_role("button", name="Save petition").click()
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("link", name="Title: Enter a title.")).to_be_visible()
    axe.assert_no_violations(page)
    summary.get_by_role("link", name="Title: Enter a title.").click()
    expect(page.locator("#id_title")).to_be_focused()

    page.locator("#id_title").fill("Ελληνικά για όλους")
    page.locator("#id_ask").fill("Fund crisis care.")
    page.locator("#id_why").fill("Because it matters.")
    page.locator("#id_addressed_to").fill("NHS England")
    page.locator("#id_opens_on").fill("2030-01-01")
    page.locator("#id_closes_on").fill("2030-06-01")
    page.get_by_role("button", name="Save petition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your campaigns")
    assert Petition.objects.get().slug.startswith("petition-")

    page.get_by_role("link", name="Ελληνικά για όλους (preview)").click()
    expect(page.get_by_role("heading", name="Preview of a draft: the public cannot see this page")).to_be_visible()
    expect(page.get_by_role("button", name="Sign the petition")).to_have_count(0)
    axe.assert_no_violations(page)
