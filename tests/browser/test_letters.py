"""A supporter writes to their MP in a real browser; it is confirmed by email and arrives; axe-core
finds nothing on the composing, preview and confirmation pages."""

import pytest
from playwright.sync_api import expect

from groundswell.core import outbox
from groundswell.core.models import OutgoingEmail
from groundswell.geography import actions as geography_actions
from groundswell.letters.models import Letter
from tests.factories import make_action, make_campaign
from tests.geography.packs import write_pack
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser

OWN_WORDS = (
    "My brother was held in a police cell for two days when he was ill, and nobody who could "
    "help him came. Please do not let that happen to anyone else in Guildford."
)


def test_a_letter_composed_in_the_browser_is_confirmed_by_email_and_reaches_the_mp(site, page, axe, smtp_server, tmp_path, settings):
    settings.DEFAULT_FROM_EMAIL = "Groundswell <letters@groundswell.example>"
    geography_actions.import_pack(directory=write_pack(tmp_path / "pack"))
    campaign = make_campaign(title="Care, not police", slug="care-not-police")
    action = make_action(campaign, slug="write-to-your-mp", title="Write to your MP about crisis care")

    page.goto(f"{site}/campaigns/care-not-police/")
    page.get_by_role("link", name="Write to your MP about crisis care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write to your MP about crisis care")
    axe.assert_no_violations(page)

    # Mistakes are shown next to the fields, and what was typed is kept.
    page.get_by_label("Your name", exact=True).fill("Robin Reader")
    page.get_by_label("Email address", exact=True).fill("robin@example.org")
    page.get_by_label("Your postcode", exact=True).fill("gu2 7xx")
    page.get_by_role("button", name="Preview my letter").click()
    expect(page.get_by_role("alert").filter(has_text="problem")).to_be_visible()
    expect(page.get_by_text("Write a few sentences in your own words").first).to_be_visible()
    assert page.get_by_label("Your name", exact=True).input_value() == "Robin Reader"
    axe.assert_no_violations(page)

    page.get_by_label("In your own words", exact=True).fill(OWN_WORDS)
    page.get_by_role("button", name="Preview my letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your letter before sending")
    expect(page.get_by_text("Zöe Franklin, MP for Guildford")).to_be_visible()
    expect(page.get_by_text("will be sent on its own")).to_be_visible()
    assert page.get_by_role("link", name="Open the letter in my email program").get_attribute("href").startswith("mailto:zoe.franklin.mp@parliament.uk?")
    axe.assert_no_violations(page)
    assert not Letter.objects.exists()  # the preview (and the mailto option) stores nothing

    page.get_by_role("button", name="Send my letter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
    axe.assert_no_violations(page)

    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["robin@example.org"]
    [link] = [link for link in mail.links() if "/letters/confirm/" in link]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Send your letter")
    axe.assert_no_violations(page)
    run_queued_tasks()
    assert len(smtp_server.messages) == 1  # opening the link sent nothing
    page.get_by_role("button", name="Send my letter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your letter is on its way")
    axe.assert_no_violations(page)

    run_queued_tasks()
    letter_mail = smtp_server.wait_for(2)[1]
    letter = Letter.objects.get()
    assert letter_mail.envelope_to == ["zoe.franklin.mp@parliament.uk"]
    [row] = OutgoingEmail.objects.filter(kind="letters.letter", object_id=letter.pk)
    assert letter_mail.envelope_from == f"bounces+{outbox.bounce_token(row.pk)}@groundswell.example"
    assert letter_mail.message["From"] == "Groundswell <letters@groundswell.example>"
    assert letter_mail.message["Reply-To"] == "Robin Reader <robin@example.org>"
    assert OWN_WORDS.split(",")[0] in letter_mail.text.replace("\n", " ")
    assert "GU2 7XX" in letter_mail.text


def test_a_postcode_the_data_does_not_know_offers_an_accessible_constituency_list(site, page, axe, tmp_path):
    geography_actions.import_pack(directory=write_pack(tmp_path / "pack"))
    make_action(slug="unknown-postcode-letter", title="Write to your MP")
    page.goto(f"{site}/letters/unknown-postcode-letter/")
    page.get_by_label("Your name", exact=True).fill("Robin Reader")
    page.get_by_label("Email address", exact=True).fill("robin@example.org")
    page.get_by_label("Your postcode", exact=True).fill("bt1 1aa")
    page.get_by_label("In your own words", exact=True).fill(OWN_WORDS)
    page.get_by_role("button", name="Preview my letter").click()
    expect(page.get_by_text("We could not find BT1 1AA in our postcode list").first).to_be_visible()
    axe.assert_no_violations(page)
    page.get_by_label("Your constituency").select_option(label="Belfast East (Northern Ireland)")
    page.get_by_role("button", name="Preview my letter").click()
    expect(page.get_by_text("Gavin Robinson, MP for Belfast East")).to_be_visible()
    axe.assert_no_violations(page)
