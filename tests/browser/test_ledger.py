"""An organiser keeps the ledger in a real browser; the public sees it; the clock moves on and the
commitment is overdue and the digest arrives. axe-core checks every page on the way."""

from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from groundswell.composition.tasks import run_maintenance
from tests.factories import make_campaign, make_organisation, make_organiser
from tests.geography.packs import GEOGRAPHY_PACK
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"


def _log_in(page, site, email):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_organiser_records_the_ledger_and_the_public_and_the_digest_follow(site, page, axe, smtp_server, settings):
    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(GEOGRAPHY_PACK)
    organisation = make_organisation("Crisis Care Coalition")
    make_organiser(organisation, email="jo@example.org", password=PASSWORD)
    make_campaign(organisation, slug="care-not-police", title="Care not police")

    _log_in(page, site, "jo@example.org")
    page.goto(f"{site}/organise/")
    page.get_by_role("link", name="Accountability ledger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accountability ledger")
    axe.assert_no_violations(page)

    page.get_by_role("link", name="Type in a target").click()
    axe.assert_no_violations(page)
    page.get_by_label("Name", exact=True).fill("NHS England")
    page.get_by_label("Kind").select_option("nhs_body")
    page.get_by_role("button", name="Save the target").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("NHS England")
    axe.assert_no_violations(page)

    page.get_by_role("link", name="Record an ask").click()
    page.get_by_label("Date asked").fill("2024-01-10")
    page.get_by_label("What was asked").fill("End police involvement in crisis care.")
    page.get_by_label("Source link").fill("https://campaign.example.org/letter")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Save the ask").click()
    expect(page.get_by_role("status")).to_contain_text("Saved the ask to NHS England")

    page.get_by_role("link", name="Record a response to the ask of 10 January 2024").click()
    page.get_by_label("Date of the response").fill("2024-02-01")
    page.get_by_role("button", name="Save the response").click()  # mistakes first
    expect(page.get_by_role("alert")).to_contain_text("problems to fix")
    axe.assert_no_violations(page)
    page.get_by_label("Committed", exact=True).check()
    page.get_by_label("Summary").fill("NHS England said it would review the scheme by the summer.")
    page.get_by_label("Source link").fill("https://news.example.org/nhs-review")
    page.get_by_role("button", name="Save the response").click()
    expect(page.get_by_role("status")).to_contain_text("Saved the response")

    page.get_by_role("link", name="Record a commitment made in the response of 1 February 2024").click()
    page.get_by_label("What was promised").fill("Review the scheme.")
    page.get_by_label("Due by").fill("2024-06-30")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Save the commitment").click()
    expect(page.get_by_role("status")).to_contain_text("Saved the commitment")
    expect(page.locator(".ledger-history")).to_contain_text("jo@example.org added the commitment")
    axe.assert_no_violations(page)
    page.goto(f"{site}/organise/ledger/history/")
    expect(page.locator(".ledger-history")).to_contain_text("jo@example.org added the target “NHS England”")
    axe.assert_no_violations(page)

    with time_machine.travel(date(2024, 3, 1), tick=True):
        page.goto(f"{site}/campaigns/care-not-police/")
        scoreboard = page.locator("#ledger")
        expect(scoreboard).to_contain_text("NHS England")
        expect(scoreboard).to_contain_text("Committed, 1 Feb 2024")
        expect(scoreboard).to_contain_text("1 pending")
        axe.assert_no_violations(page)
        page.get_by_role("link", name="NHS England").click()
        expect(page.locator("#main")).to_contain_text("Promise: pending")
        expect(page.get_by_role("link", name="https://news.example.org/nhs-review")).to_be_visible()
        axe.assert_no_violations(page)
        data = page.request.get(f"{site}/campaigns/care-not-police/ledger.json").json()
        commitment = data["targets"][0]["asks"][0]["responses"][0]["commitments"][0]
        assert (commitment["promise"], commitment["status"]) == ("Review the scheme.", "pending")
        feed = page.request.get(f"{site}/campaigns/care-not-police/ledger/feed/").text()
        assert "NHS England: Promise: pending" in feed and "https://news.example.org/nhs-review" in feed

    with time_machine.travel(date(2024, 7, 2), tick=True):
        page.goto(f"{site}/campaigns/care-not-police/")
        expect(page.locator("#ledger")).to_contain_text("1 overdue")
        page.get_by_role("link", name="NHS England").click()
        expect(page.locator("#main")).to_contain_text("Promise: overdue")
        expect(page.locator("#main")).to_contain_text("still pending after the date it was due")
        axe.assert_no_violations(page)
        data = page.request.get(f"{site}/campaigns/care-not-police/ledger.json").json()
        assert data["targets"][0]["commitments"]["overdue"] == 1
        assert "NHS England: Promise: overdue" in page.request.get(f"{site}/campaigns/care-not-police/ledger/feed/").text()

        run_maintenance.enqueue()
        run_queued_tasks()
        [mail] = smtp_server.wait_for(1)
        assert mail.envelope_to == ["jo@example.org"]
        assert "1 overdue commitment" in mail.subject
        assert "NHS England promised: Review the scheme." in mail.text


def test_adding_a_target_from_the_nhs_list_is_accessible(site, page, axe, settings):
    settings.GROUNDSWELL_GEOGRAPHY_PACK = str(GEOGRAPHY_PACK)
    organisation = make_organisation("Coalition")
    make_organiser(organisation, email="sam@example.org", password=PASSWORD)
    _log_in(page, site, "sam@example.org")
    page.goto(f"{site}/organise/ledger/")
    if page.get_by_label("NHS trust").count() == 0:
        pytest.skip("the UK geography pack is not on this machine")
    page.get_by_label("NHS trust").select_option("nhs_body:RXX")
    page.get_by_role("button", name="Add this NHS trust").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Surrey and Borders Partnership NHS Foundation Trust")
    page.get_by_role("link", name="edit the target").click()
    axe.assert_no_violations(page)
