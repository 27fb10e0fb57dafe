"""Coalitions in a real browser: an owner invites an organiser and a moderator, each accepts from
the email a real SMTP server received; what a moderator may do; a removed member loses access at
once; axe-core on the team, partner, export, API token and webhook screens."""

import pytest
from playwright.sync_api import expect

from groundswell.petitions.forms import updates_wording
from groundswell.petitions.partner_fields import partner_wording
from tests.factories import make_campaign, make_organisation, make_organiser, make_partner, make_petition, make_signature
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"
NEW_PASSWORD = "plum-harbour-lantern-42"


def log_in(page, site, email, password=PASSWORD):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def invitation_link(smtp_server, email) -> str:
    run_queued_tasks()
    mails = [m for m in smtp_server.messages if m.envelope_to == [email]]
    assert len(mails) == 1, [m.envelope_to for m in smtp_server.messages]
    [link] = [link for link in mails[0].links() if "/accounts/invitation/" in link]
    return link


def accept(browser, link, axe):
    context = browser.new_context()
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Join the team of Mind Surrey")
    axe.assert_no_violations(page)
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill("not the same at all")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("not the same")
    axe.assert_no_violations(page)
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your campaigns")
    expect(page.get_by_text("Welcome to the team of Mind Surrey")).to_be_visible()
    return page


def test_an_owner_builds_a_team_and_a_removed_moderator_loses_access_at_once(site, page, browser, axe, smtp_server):
    organisation = make_organisation("Mind Surrey")
    make_organiser(organisation, email="owner@example.org", role="owner")
    petition = make_petition(make_campaign(organisation, title="Crisis care"), title="End police-led care")

    log_in(page, site, "owner@example.org")
    page.get_by_role("link", name="team Mind Surrey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team of Mind Surrey")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Send the invitation").click()  # nothing typed
    expect(page.get_by_role("alert")).to_contain_text("Enter the email address")
    axe.assert_no_violations(page)
    for email, role in (("Organiser@Example.org", "Organiser (runs campaigns and petitions, exports supporters)"), ("moderator@example.org", "Moderator (reviews signatures)")):
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Role", exact=True).select_option(label=role)
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.get_by_text(f"Invitation sent to {email}.")).to_be_visible()
    axe.assert_no_violations(page)

    organiser = accept(browser, invitation_link(smtp_server, "Organiser@Example.org"), axe)
    organiser.goto(f"{site}/organise/petitions/{petition.pk}/edit/")
    expect(organiser.get_by_label("Title", exact=True)).to_have_value("End police-led care")

    moderator = accept(browser, invitation_link(smtp_server, "moderator@example.org"), axe)
    moderator.goto(f"{site}/moderate/petitions/{petition.pk}/")
    expect(moderator.get_by_role("heading", level=1)).to_contain_text("End police-led care")
    moderator.get_by_role("button", name="Turn the puzzle on").click()  # moderating: allowed
    expect(moderator.get_by_text("The puzzle is now on for this petition.")).to_be_visible()
    for path in (f"/organise/petitions/{petition.pk}/edit/", f"/organise/export/{organisation.slug}/"):
        response = moderator.goto(f"{site}{path}")
        assert response.status == 404, path
    moderator.goto(f"{site}/organise/")
    expect(moderator.get_by_role("link", name=f"Edit {petition.title}")).to_have_count(0)
    expect(moderator.get_by_role("link", name="export supporters Mind Surrey")).to_have_count(0)

    # The owner removes the moderator; their very next request is refused.
    page.reload()
    page.get_by_role("button", name="Remove moderator@example.org").click()
    expect(page.get_by_text("moderator@example.org is no longer in the team.")).to_be_visible()
    expect(page.get_by_text("Removed, moderator@example.org")).to_be_visible()  # the log
    axe.assert_no_violations(page)
    assert moderator.goto(f"{site}/moderate/petitions/{petition.pk}/").status == 404
    # The organiser logs in again, with the address in another case.
    organiser.context.clear_cookies()
    log_in(organiser, site, "ORGANISER@example.org", NEW_PASSWORD)
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Your campaigns")


def test_partner_export_token_and_webhook_screens_are_accessible(site, page, axe, settings):
    lead, mind = make_organisation("Crisis Care Coalition"), make_organisation("Mind Surrey")
    make_organiser(lead, email="lead@example.org", role="owner")
    make_organiser(mind, email="mind@example.org", role="owner")
    campaign = make_campaign(lead, title="Care not police")
    petition = make_petition(campaign, title="End police-led care")
    partner = make_partner(campaign, mind, slug="mind")
    make_signature(petition, "ticked@example.org", partner_opt_ins=[(partner, partner_wording(partner))], updates_text=updates_wording(petition))
    make_signature(petition, "not-ticked@example.org")

    # The sign form with the partner's box, through the partner's link.
    page.goto(f"{site}/petitions/{petition.slug}/?source=mind")
    expect(page.get_by_label(partner_wording(partner))).not_to_be_checked()
    axe.assert_no_violations(page)

    log_in(page, site, "lead@example.org")
    page.get_by_role("link", name="partners Care not police").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners of Care not police")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Add the partner").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe.assert_no_violations(page)

    page.goto(f"{site}/organise/")
    page.get_by_role("link", name="export supporters Crisis Care Coalition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export supporters of Crisis Care Coalition")
    axe.assert_no_violations(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the CSV file").click()
    text = open(download.value.path()).read()
    assert "ticked@example.org" in text and "not-ticked@example.org" not in text
    page.reload()
    expect(page.get_by_role("cell", name="lead@example.org")).to_be_visible()  # the export, logged
    axe.assert_no_violations(page)

    page.goto(f"{site}/organise/")
    page.get_by_role("link", name="API tokens Crisis Care Coalition").click()
    page.get_by_label("What the token is for").fill("CRM sync")
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator("#new-token")).to_contain_text("gs_")
    axe.assert_no_violations(page)

    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    page.goto(f"{site}/organise/")
    page.get_by_role("link", name="webhooks Crisis Care Coalition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks of Crisis Care Coalition")
    axe.assert_no_violations(page)
    page.get_by_label("Address of your receiver").fill("https://127.0.0.1/hook")
    page.get_by_label("signature.confirmed", exact=False).check()
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.get_by_role("alert")).to_contain_text("private or local")
    axe.assert_no_violations(page)
    page.get_by_label("Address of your receiver").fill("https://93.184.215.14/hook")
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.locator("#signing-secret")).to_contain_text("whsec_")
    axe.assert_no_violations(page)

    # The partner's own screen: exactly the person who ticked its box.
    page.context.clear_cookies()
    log_in(page, site, "mind@example.org")
    page.get_by_role("link", name="Care not police").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner of Care not police")
    expect(page.get_by_role("cell", name="ticked@example.org", exact=True)).to_be_visible()
    expect(page.get_by_text("not-ticked@example.org")).to_have_count(0)
    axe.assert_no_violations(page)
