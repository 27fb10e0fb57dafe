"""A new visitor whose browser asks for Welsh: the whole journey is in Welsh with lang="cy",
axe-core finds no WCAG 2.2 A/AA violation, and choosing English keeps the page (and sticks)."""

import re

import pytest
from playwright.sync_api import expect

from groundswell.geography import actions as geography_actions
from groundswell.geography.models import Constituency
from tests.factories import (
    TRUST_EMAIL, make_action, make_ask, make_campaign, make_commitment, make_petition, make_response, make_signature,
    make_target,
)
from tests.geography.packs import write_pack
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser


@pytest.fixture
def welsh_page(browser):
    context = browser.new_context(locale="cy-GB")  # Accept-Language: cy-GB
    page = context.new_page()
    yield page
    context.close()


def assert_welsh(page, axe):
    assert page.locator("html").get_attribute("lang") == "cy", page.url
    assert "/cy/" in page.url or page.url.endswith("/cy"), page.url
    axe.assert_no_violations(page)


def test_a_welsh_browser_walks_the_site_in_welsh(site, welsh_page, axe, smtp_server, tmp_path):
    page = welsh_page
    geography_actions.import_pack(directory=write_pack(tmp_path / "pack"))
    Constituency.objects.filter(gss_code="W07000081").update(name="Anglesey", name_cy="Ynys Môn")
    campaign = make_campaign(title="Care, not police", title_cy="Gofal, nid heddlu", slug="gofal")
    petition = make_petition(campaign, slug="deiseb", title="End police-led crisis care", title_cy="Rhoi diwedd ar ofal gan yr heddlu",
                             ask="Fund crisis teams.", ask_cy="Ariannu timau argyfwng.")
    make_signature(petition, "one@example.org", postcode="", constituency_code="W07000081")
    target = make_target(campaign.organisation, name="Bwrdd Iechyd Prawf", contact_email=TRUST_EMAIL, is_public=True)
    make_commitment(make_response(make_ask(campaign, target)))
    action = make_action(campaign, to_mp=False, target=target, slug="llythyr", title="Write to the board", title_cy="Ysgrifennwch at y bwrdd")

    # The first visit, at the plain address, follows the browser's language.
    page.goto(f"{site}/")
    assert_welsh(page, axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ymgyrchoedd a deisebau")

    page.get_by_role("link", name="Gofal, nid heddlu").click()
    assert_welsh(page, axe)
    page.get_by_role("link", name="Rhoi diwedd ar ofal gan yr heddlu").first.click()
    assert_welsh(page, axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rhoi diwedd ar ofal gan yr heddlu")

    # The sign form with mistakes: the errors are in Welsh.
    page.get_by_label("Eich enw", exact=True).fill("Siân")
    page.get_by_label("Cyfeiriad e-bost", exact=True).fill("sian@example")
    page.get_by_role("button", name="Llofnodi'r ddeiseb").click()
    expect(page.get_by_role("alert").filter(has_text="i'w datrys")).to_be_visible()
    assert_welsh(page, axe)

    page.get_by_label("Cyfeiriad e-bost", exact=True).fill("sian@example.org")
    page.get_by_label("Cod post yn y DU", exact=True).fill("ll77 7aa")
    page.get_by_label("Cofnodwch fy llofnod").check()
    page.get_by_role("button", name="Llofnodi'r ddeiseb").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edrychwch ar eich e-bost")
    assert_welsh(page, axe)

    # The confirmation email is in Welsh, and its link opens the Welsh page.
    run_queued_tasks()
    [mail] = [m for m in smtp_server.wait_for(2) if m.envelope_to == ["sian@example.org"]]  # (and one@'s, signed above)
    assert mail.subject == "Cadarnhewch eich llofnod: Rhoi diwedd ar ofal gan yr heddlu"
    links = [link for link in mail.links() if "/confirm/" in link]
    assert len(links) == 1, mail.text
    page.goto(links[0])
    assert_welsh(page, axe)
    page.get_by_role("button", name="Cadarnhau fy llofnod").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("mae'ch llofnod wedi'i gadarnhau")
    assert_welsh(page, axe)

    # Near me and the map, with the Welsh constituency name.
    page.goto(f"{site}/cy/petitions/deiseb/")
    page.get_by_label("Eich cod post").fill("ll77 7aa")
    page.get_by_role("button", name="Dod o hyd i'm hetholaeth").click()
    expect(page.get_by_role("status")).to_contain_text("yn Ynys Môn")
    assert_welsh(page, axe)
    page.get_by_role("link", name="Gweld y map o lofnodion fesul etholaeth").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ble llofnododd pobl")
    assert_welsh(page, axe)

    # Letters and the ledger.
    page.goto(f"{site}/cy/letters/{action.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ysgrifennwch at y bwrdd")
    assert_welsh(page, axe)
    page.goto(f"{site}/cy/campaigns/gofal/ledger/{target.pk}/")
    expect(page.get_by_role("heading", name="Llinell amser")).to_be_visible()
    assert_welsh(page, axe)

    # My data, by the emailed link.
    page.goto(f"{site}/cy/my-data/")
    assert_welsh(page, axe)
    page.get_by_label("Cyfeiriad e-bost").fill("sian@example.org")
    page.get_by_role("button", name="Anfonwch ddolen ataf").click()
    assert_welsh(page, axe)
    run_queued_tasks()
    data_mail = smtp_server.wait_for(3)[2]
    assert data_mail.subject == "Eich data ar Groundswell"
    [data_link] = [link for link in data_mail.links() if "/my-data/" in link]
    page.goto(data_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Eich data")
    assert_welsh(page, axe)

    # Choosing English keeps the page, and the choice sticks on plain addresses.
    page.goto(f"{site}/cy/petitions/deiseb/")
    page.get_by_role("link", name="English").click()
    assert page.url == f"{site}/petitions/deiseb/"
    assert page.locator("html").get_attribute("lang") == "en-GB"
    expect(page.get_by_role("heading", level=1)).to_have_text("End police-led crisis care")
    axe.assert_no_violations(page)
    page.goto(f"{site}/campaigns/gofal/")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    # And back to Welsh from there keeps the page too.
    page.get_by_role("link", name="Cymraeg").click()
    assert re.fullmatch(rf"{re.escape(site)}/cy/campaigns/gofal/", page.url)
    assert page.locator("html").get_attribute("lang") == "cy"
