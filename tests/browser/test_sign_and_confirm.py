"""A supporter signs and confirms in a real browser, and every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from groundswell.petitions.queries import count_signatures
from tests.factories import make_campaign, make_petition
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser


def test_a_person_signs_and_confirms_and_every_page_is_accessible(site, page, axe, smtp_server):
    campaign = make_campaign(title="Care, not police", slug="care-not-police")
    petition = make_petition(campaign, title="End police-led crisis care", slug="end-police-led-crisis-care")

    page.goto(f"{site}/campaigns/care-not-police/")
    axe.assert_no_violations(page)
    page.get_by_role("link", name="End police-led crisis care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End police-led crisis care")
    axe.assert_no_violations(page)

    # Submitting with mistakes shows them, next to the fields, and keeps what was typed.
    page.get_by_label("Your name", exact=True).fill("Robin Reader")
    page.get_by_label("Email address", exact=True).fill("robin@example")
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_role("alert").filter(has_text="problems to fix")).to_be_visible()
    assert page.get_by_label("Your name", exact=True).input_value() == "Robin Reader"
    axe.assert_no_violations(page)

    page.get_by_label("Email address", exact=True).fill("Robin@Example.org")
    page.get_by_label("UK postcode", exact=True).fill("gu2 7xx")
    page.get_by_label("Record my signature").check()
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
    axe.assert_no_violations(page)

    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    [link] = [link for link in mail.links() if "/confirm/" in link]
    assert link.startswith(site)

    page.goto(link)
    axe.assert_no_violations(page)
    assert count_signatures(petition) == 0
    before = page.request.get(f"{site}/petitions/{petition.slug}.json").json()["signature_count"]
    page.get_by_role("button", name="Confirm my signature").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your signature is confirmed")
    axe.assert_no_violations(page)
    after = page.request.get(f"{site}/petitions/{petition.slug}.json").json()["signature_count"]
    assert after == before + 1

    page.goto(f"{site}/petitions/{petition.slug}/")
    expect(page.locator(".count")).to_contain_text("1 signature")


def test_the_sign_form_works_by_keyboard_alone(site, page):
    petition = make_petition(slug="keyboard")
    page.goto(f"{site}/petitions/{petition.slug}/")
    page.get_by_label("Your name", exact=True).focus()
    page.keyboard.type("Kay Board")
    page.keyboard.press("Tab")
    page.keyboard.type("kay@example.org")
    page.keyboard.press("Tab")  # the "In the UK" radio (already chosen)
    page.keyboard.press("Tab")
    page.keyboard.type("SW1A 1AA")
    page.keyboard.press("Tab")  # country
    page.keyboard.press("Tab")  # consent
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # updates (left unticked)
    page.keyboard.press("Tab")  # "you may give my name to the recipient" (left unticked)
    page.keyboard.press("Tab")  # privacy link
    page.keyboard.press("Tab")  # submit
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")


def test_the_accessibility_check_does_catch_violations(page, axe):
    """Guards the guard: a page with known WCAG failures must be reported."""
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = axe.violations(page)
    assert any(v.startswith("image-alt") for v in found)
    assert any(v.startswith("html-has-lang") for v in found)
