"""An organiser builds an audience, writes, previews, test-sends and sends an update in a real
browser; it reaches exactly the opted-in supporters over real SMTP, with their merge fields; one
unsubscribes from the page in the email. axe-core checks every page on the way."""

import pytest
from playwright.sync_api import expect

from groundswell.geography import actions as geography_actions
from groundswell.updates import actions as update_actions
from groundswell.updates.models import Consent
from tests.factories import make_campaign, make_opted_in, make_organisation, make_organiser, make_petition, make_signature
from tests.geography.packs import write_pack
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"


def test_an_organiser_builds_writes_previews_tests_and_sends_an_update(site, page, axe, smtp_server, tmp_path, settings):
    settings.DEFAULT_FROM_EMAIL = "Groundswell <updates@groundswell.example>"
    geography_actions.import_pack(directory=write_pack(tmp_path / "pack"))
    organisation = make_organisation("Crisis Care Coalition")
    make_organiser(organisation, email="jo@example.org", password=PASSWORD)
    campaign = make_campaign(organisation, title="Care not police")
    petition = make_petition(campaign, title="End police-led crisis care")
    make_opted_in(petition, "ada@example.org", name="Ada Lovelace", constituency_code="E14001234")
    make_opted_in(petition, "ben@example.org", name="Ben Okri", constituency_code="E14001063")
    make_opted_in(petition, "cat@example.org", name="Cat Stevens")
    make_signature(petition, "quiet@example.org")  # did not ask for news
    make_opted_in(petition, "gone@example.org")
    update_actions.withdraw_consent(consent=Consent.objects.get(email_normalised="gone@example.org"), how=Consent.Withdrawal.OWN_DATA_PAGE)
    run_queued_tasks()
    smtp_server.clear()

    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("jo@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Updates to supporters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Updates to supporters")
    axe.assert_no_violations(page)

    page.get_by_role("link", name="New update").click()
    page.get_by_label("Campaign").select_option(label="Care not police")
    page.get_by_role("button", name="Count the people").click()
    expect(page.get_by_text("This audience holds 3 people.")).to_be_visible()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Continue to writing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write the update")
    expect(page.get_by_text("to 3 people")).to_be_visible()
    axe.assert_no_violations(page)

    page.get_by_label("Subject").fill("{first_name}, they answered")
    page.get_by_label("Message").fill("Dear {frist_name},\n\nNow write to **{mp_name}**.")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.locator(".error-summary")).to_contain_text("{frist_name} is not a merge field.")
    axe.assert_no_violations(page)
    page.get_by_label("Message").fill("Dear {first_name},\n\nNow write to **{mp_name}**, the MP for {constituency}.")
    page.get_by_label("Call to action").select_option(label="End police-led crisis care")
    page.get_by_role("button", name="Save and preview").click()

    expect(page.get_by_role("heading", name="The email, exactly as it is sent")).to_be_visible()
    expect(page.get_by_text("friend, they answered").first).to_be_visible()
    frame = page.frame_locator("iframe.email-preview")
    expect(frame.get_by_text("Sign the petition: End police-led crisis care")).to_be_visible()
    axe.assert_no_violations(page)

    page.get_by_role("button", name="Send a test to me (jo@example.org)").click()
    expect(page.get_by_text("A test copy is on its way")).to_be_visible()
    run_queued_tasks()
    [test] = smtp_server.wait_for(1)
    assert test.envelope_to == ["jo@example.org"] and test.subject == "[Test] friend, they answered"
    smtp_server.clear()

    page.get_by_label("Send now").check()
    page.get_by_role("button", name="Send the update").click()
    expect(page.get_by_text("Sending.")).to_be_visible()
    run_queued_tasks()
    mails = smtp_server.wait_for(3)
    by_to = {mail.envelope_to[0]: mail for mail in mails}
    assert sorted(by_to) == ["ada@example.org", "ben@example.org", "cat@example.org"]
    assert by_to["ada@example.org"].subject == "Ada, they answered"
    assert "Now write to **Zöe Franklin**, the MP for Guildford." in by_to["ada@example.org"].text
    assert "Now write to **Alex Baker**, the MP for Aldershot." in by_to["ben@example.org"].text
    assert "Now write to **your MP**, the MP for your constituency." in by_to["cat@example.org"].text
    page.reload()
    expect(page.locator(".card").filter(has_text="Figures")).to_contain_text("3")
    axe.assert_no_violations(page)

    # Ben opens the unsubscribe link in his email.
    [link] = [link for link in by_to["ben@example.org"].links() if "/updates/unsubscribe/" in link]
    supporter = page.context.browser.new_context().new_page()
    supporter.goto(link)
    expect(supporter.get_by_role("heading", level=1)).to_have_text("Stop emails from Crisis Care Coalition")
    axe.assert_no_violations(supporter)
    supporter.get_by_label("Every email from Crisis Care Coalition").check()
    supporter.get_by_role("button", name="Unsubscribe").click()
    expect(supporter.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    axe.assert_no_violations(supporter)
    assert Consent.objects.get(email_normalised="ben@example.org").withdrawn_how == Consent.Withdrawal.UNSUBSCRIBE_PAGE
