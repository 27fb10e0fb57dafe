"""On a 390-pixel-wide phone: the petition page, its constituency table and the map page fit the
screen (the signatures column in view), the map scales down, and a skip link jumps to the sign form."""

import pytest
from playwright.sync_api import expect

from groundswell.geography import actions as geography_actions
from groundswell.petitions.models import SignatureCount
from tests.factories import make_petition, make_signature
from tests.geography.packs import write_pack

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Real names among the longest in the pack, so the table is as wide as it gets in life.
CONSTITUENCIES = [
    ("S14000027", "Inverness, Skye and West Ross-shire", "", "Scotland", "S92000003", 1, 4),
    ("S14000028", "Caithness, Sutherland and Easter Ross", "", "Scotland", "S92000003", 1, 5),
    ("E14001063", "Aldershot", "", "England", "E12000008", 3, 0),
    ("E14001234", "Guildford", "", "England", "E12000008", 2, 0),
    ("W07000081", "Ynys Môn", "Ynys Môn", "Wales", "W92000004", 1, 1),
    ("N05000001", "Belfast East", "", "Northern Ireland", "N92000002", 0, 1),
    ("N05000003", "Belfast South and Mid Down", "", "Northern Ireland", "N92000002", 0, 2),
    ("E14001493", "South Northamptonshire", "", "England", "E12000004", 3, 2),
]
MEMBERS = [
    ("S14000027", "Angus MacDonald", "Liberal Democrat", "angus.macdonald.mp@parliament.uk", "5101"),
    ("S14000028", "Jamie Stone", "Liberal Democrat", "jamie.stone.mp@parliament.uk", "4668"),
    ("E14001063", "Alex Baker", "Labour", "alex.baker.mp@parliament.uk", "5173"),
    ("E14001234", "Sir Geoffrey Clifton-Brown", "Conservative", "geoffrey.clifton-brown.mp@parliament.uk", "249"),
    ("W07000081", "Llinos Medi", "Plaid Cymru", "No email found", "5200"),
    ("N05000001", "Gavin Robinson", "Democratic Unionist Party", "gavin.robinson.mp@parliament.uk", "4761"),
    ("N05000003", "Claire Hanna", "Social Democratic & Labour Party", "claire.hanna.mp@parliament.uk", "4997"),
    ("E14001493", "Sarah Bool", "Conservative", "sarah.bool.mp@parliament.uk", "5061"),
]


def _fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} pixels wide on a {PHONE['width']}-pixel screen"


def _counts_in_view(page):
    """Every signature count in the table is on screen: within the viewport, and not hidden at the
    edge of the table's scrolling region (the table fits it)."""
    region = page.locator(".table-scroll:has(#constituency-table)")
    expect(region).to_have_attribute("tabindex", "0")  # scrollable by keyboard, if it ever must
    edge = region.bounding_box()
    assert edge["x"] + edge["width"] <= PHONE["width"]
    cells = page.locator("#constituency-table td.number")
    assert cells.count() > 0
    for cell in cells.all():
        box = cell.bounding_box()
        assert box["x"] >= edge["x"] and box["x"] + box["width"] <= edge["x"] + edge["width"] + 0.5, f"a count is off screen: {box}"


def test_on_a_phone_the_tables_and_map_fit_and_the_sign_form_is_one_link_away(site, browser, axe, tmp_path):
    geography_actions.import_pack(directory=write_pack(tmp_path / "pack", constituencies=CONSTITUENCIES, members=MEMBERS, postcodes=[]))
    petition = make_petition(slug="on-a-phone", title="End police-led crisis care")
    for i, (code, *_rest) in enumerate(CONSTITUENCIES):
        make_signature(petition, f"signer{i}@example.org", postcode="", constituency_code=code)
        # Six-digit counts, as a viral petition has: the counts are derived rows (a recount rebuilds them).
        SignatureCount.objects.create(petition=petition, country="GB", constituency_code=code, shard=99, count=123_456)
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{site}/petitions/on-a-phone/?sort=mp")
        expect(page.locator("#constituencies")).to_have_attribute("open", "")
        _fits_the_screen(page)
        _counts_in_view(page)
        axe.assert_no_violations(page)

        # The sign form is far down a phone's screen: a link near the top jumps to it.
        page.goto(f"{site}/petitions/on-a-phone/")
        skip = page.get_by_role("link", name="Sign this petition")
        assert skip.bounding_box()["y"] < PHONE["height"]  # on the first screen
        skip.click()
        expect(page.locator("#sign")).to_be_focused()
        assert -2 <= page.locator("#sign").bounding_box()["y"] < PHONE["height"]  # the form is now in view
        page.keyboard.press("Tab")
        expect(page.get_by_label("Your name", exact=True)).to_be_focused()  # and the keyboard carries on there
        _fits_the_screen(page)
        axe.assert_no_violations(page)

        page.goto(f"{site}/petitions/on-a-phone/map/?sort=mp")
        _fits_the_screen(page)
        _counts_in_view(page)
        svg = page.locator("svg.hex-map").bounding_box()
        assert svg["x"] >= 0 and svg["x"] + svg["width"] <= PHONE["width"]
        axe.assert_no_violations(page)
    finally:
        context.close()
