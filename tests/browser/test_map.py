"""The map page in a real browser: hexes and table agree with the counts; axe-core finds nothing."""

import pytest
from playwright.sync_api import expect

from groundswell.geography import actions as geography_actions
from groundswell.petitions.queries import count_signatures
from tests.factories import make_petition, make_signature
from tests.geography.packs import write_pack

pytestmark = pytest.mark.browser

COUNTS = {"E14001234": 5, "E14001063": 2, "S14000061": 1, "W07000081": 0, "N05000001": 3}


def _confirm(petition, email, code):
    make_signature(petition, email, postcode="", constituency_code=code)


def test_the_map_shows_the_counts_and_is_accessible(site, page, axe, tmp_path):
    geography_actions.import_pack(directory=write_pack(tmp_path / "pack"))
    petition = make_petition(slug="mapped", title="Mapped petition")
    for code, count in COUNTS.items():
        for i in range(count):
            _confirm(petition, f"{code}-{i}@example.org", code)
    assert count_signatures(petition) == sum(COUNTS.values())

    page.goto(f"{site}/petitions/mapped/")
    axe.assert_no_violations(page)
    page.get_by_label("Your postcode").fill("gu2 7xx")
    page.get_by_role("button", name="Find my constituency").click()
    expect(page.get_by_role("status")).to_contain_text("is in Guildford. 5 people have signed there.")
    axe.assert_no_violations(page)
    page.get_by_label("Your postcode").fill("not a postcode")
    page.get_by_role("button", name="Find my constituency").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a real UK postcode")
    axe.assert_no_violations(page)
    page.get_by_role("link", name="See the map of signatures by constituency").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Where people signed")

    hexes = page.locator("svg.hex-map polygon")
    expect(hexes).to_have_count(len(COUNTS))
    from_map = {h.get_attribute("data-code"): int(h.get_attribute("data-signatures")) for h in hexes.all()}
    assert from_map == COUNTS
    # Each hex is named for screen readers, with its count.
    expect(page.get_by_role("img", name="Guildford: 5 signatures")).to_have_count(1)
    expect(page.get_by_role("img", name="Ynys Môn: 0 signatures")).to_have_count(1)
    # The table (the map's text alternative) says the same.
    rows = page.locator("#constituency-table tbody tr")
    from_table = {r.get_attribute("data-code"): int(r.locator("td.number").inner_text()) for r in rows.all()}
    assert from_table == COUNTS
    # Darker for more: the most-signed hex is not the colour of an empty one.
    assert page.locator('polygon[data-code="E14001234"]').get_attribute("fill") != page.locator('polygon[data-code="W07000081"]').get_attribute("fill")
    axe.assert_no_violations(page)

    # Sorting works without script: by links.
    page.get_by_role("link", name="Constituency").click()
    first = page.locator("#constituency-table tbody tr").first.locator("th")
    expect(first).to_have_text("Aberdeen South")
    axe.assert_no_violations(page)

    page.goto(f"{site}/data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data and credits")
    axe.assert_no_violations(page)


def test_an_unknown_postcode_offers_an_accessible_list(site, page, axe, tmp_path):
    geography_actions.import_pack(directory=write_pack(tmp_path / "pack"))
    make_petition(slug="unknown-postcode")
    page.goto(f"{site}/petitions/unknown-postcode/")
    page.get_by_label("Your name", exact=True).fill("Robin Reader")
    page.get_by_label("Email address", exact=True).fill("robin@example.org")
    page.get_by_label("UK postcode", exact=True).fill("bt1 1aa")
    page.get_by_label("Record my signature").check()
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_text("We could not find BT1 1AA in our postcode list").first).to_be_visible()
    axe.assert_no_violations(page)
    page.get_by_label("Your constituency").select_option(label="Belfast East (Northern Ireland)")
    page.get_by_label("Record my signature").check()
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
