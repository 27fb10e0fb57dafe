"""In real Chromium: no page makes a request to another site; the puzzle is solved by pow.js; the
supporter's data pages and the moderators' view pass axe-core."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from groundswell.petitions.models import Signature
from groundswell.moderation.actions import set_proof_of_work
from groundswell.petitions.tokens import CONFIRMATION_LINK
from tests.factories import data_link_token as make_data_token
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition, make_signature
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser


def _record_requests(page):
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def _signed(petition, email):
    return make_signature(
        petition, email, name="Robin Reader", consent_text="Record my signature.", ip_address="127.0.0.1", ip_network="127.0.0.0/24",
    )


def test_no_public_page_makes_a_request_to_another_site(site, browser):
    """With the Content-Security-Policy bypassed, so the test catches a reference to another site
    even though the header would block it; such requests are recorded, then aborted."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.route(lambda url: not url.startswith(site), lambda route: route.abort())
    campaign = make_campaign(slug="open-campaign")
    petition = make_petition(campaign, slug="open-petition")
    set_proof_of_work(petition=petition, required=True)  # pow.js must be ours too
    signature = _signed(petition, "robin@example.org")
    token = make_data_token("robin@example.org")
    seen = _record_requests(page)
    public_pages = [
        "/", "/privacy/", f"/campaigns/{campaign.slug}/", f"/petitions/{petition.slug}/",
        f"/petitions/{petition.slug}/check-your-email/", f"/petitions/{petition.slug}/confirmed/",
        f"/petitions/{petition.slug}/confirm/{CONFIRMATION_LINK.make(signature.public_id)}/",
        "/my-data/", f"/my-data/{token}/", "/accounts/login/", "/no-such-page/",
    ]
    for path in public_pages:
        page.goto(f"{site}{path}")
        page.wait_for_load_state("networkidle")
    ours = urlsplit(site).netloc
    assert seen, "no requests recorded"
    elsewhere = [url for url in seen if urlsplit(url).scheme not in ("data",) and urlsplit(url).netloc != ours]
    assert elsewhere == []
    assert any(url.endswith("/static/protection/pow.js") for url in seen)
    context.close()


def test_the_puzzle_is_solved_by_the_browser_and_the_signature_counts(site, page, axe, settings):
    settings.PROOF_OF_WORK_MAX_NUMBER = 5000
    petition = make_petition(slug="under-attack")
    set_proof_of_work(petition=petition, required=True)
    page.goto(f"{site}/petitions/under-attack/")
    axe.assert_no_violations(page)
    expect(page.get_by_label("Leave this field empty. It is here to catch automated sign-ups.")).to_be_hidden()
    page.get_by_label("Your name", exact=True).fill("Robin Reader")
    page.get_by_label("Email address", exact=True).fill("robin@example.org")
    page.get_by_label("UK postcode", exact=True).fill("GU2 7XX")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email", timeout=20000)
    signature = Signature.objects.get()
    assert signature.flagged_reason == ""


def test_a_supporter_asks_for_their_data_and_the_pages_are_accessible(site, page, axe, smtp_server):
    petition = make_petition(slug="my-data-petition")
    _signed(petition, "robin@example.org")
    run_queued_tasks()
    smtp_server.clear()
    page.goto(f"{site}/")
    page.get_by_role("link", name="See, download or delete your data").click()
    axe.assert_no_violations(page)
    page.get_by_label("Email address", exact=True).fill("robin@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe.assert_no_violations(page)
    run_queued_tasks()
    [mail] = smtp_server.wait_for(1)
    [link] = [l for l in mail.links() if "/my-data/" in l]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    axe.assert_no_violations(page)
    page.get_by_role("link", name=f"Withdraw this signature on {petition.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your signature?")
    axe.assert_no_violations(page)
    assert Signature.objects.exists()  # asking changed nothing
    page.get_by_role("button", name="Yes, withdraw my signature").click()
    expect(page.get_by_text("is withdrawn and deleted")).to_be_visible()
    axe.assert_no_violations(page)
    assert not Signature.objects.exists()


def test_the_moderators_view_is_accessible(site, page, axe):
    organisation = make_organisation()
    petition = make_petition(make_campaign(organisation), slug="moderated")
    _signed(petition, "robin@example.org")
    make_organiser(organisation, email="mod@example.org", role="moderator")
    page.goto(f"{site}/accounts/login/")
    page.locator("#id_username").fill("mod@example.org")
    page.locator("#id_password").fill("a-long-test-password")
    page.locator("main button[type=submit]").click()
    page.goto(f"{site}/moderate/")
    axe.assert_no_violations(page)
    page.get_by_role("link", name=petition.title).click()
    axe.assert_no_violations(page)
    page.locator("#id_email_domain").fill("example.org")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("1 signature would be removed")).to_be_visible()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Remove 1 signature").click()
    page.get_by_role("link", name="Stop refreshing automatically").click()
    axe.assert_no_violations(page)


def test_without_javascript_the_puzzle_petition_still_takes_a_signature_held_for_review(site, browser):
    petition = make_petition(slug="no-js")
    set_proof_of_work(petition=petition, required=True)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/petitions/no-js/")
    # (Playwright's switch stops scripts but still parses <noscript> as text, so check the markup.)
    assert "<noscript>" in page.content() and "a moderator may check it" in page.content()
    page.get_by_label("Your name", exact=True).fill("Sam Screenreader")
    page.get_by_label("Email address", exact=True).fill("sam@example.org")
    page.get_by_label("UK postcode", exact=True).fill("GU2 7XX")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
    assert Signature.objects.get().flagged_reason == "proof_of_work_missing"
    context.close()
