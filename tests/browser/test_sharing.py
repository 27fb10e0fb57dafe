"""Sharing and finding petitions in a real browser: link-preview tags as a browser reads them,
the home and all-petitions pages (axe-core), and the card framed by another website."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from groundswell.petitions import actions
from groundswell.petitions.models import Petition
from tests.factories import make_campaign, make_petition, sign

pytestmark = pytest.mark.browser



@contextmanager
def partner_site(html: str):
    """A partner's website: another origin (127.0.0.1, where the live server is on localhost),
    a real server on this machine so that Chromium's local-network checks allow the frame."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


TITLE = 'Say "no" to <b>police-led</b> crisis care'


def meta(page, key):
    attribute = "property" if key.startswith("og:") else "name"
    return page.locator(f'meta[{attribute}="{key}"]').get_attribute("content")


def test_the_petition_page_has_link_preview_tags_with_absolute_values(site, page):
    petition = make_petition(title=TITLE, slug="say-no", ask="Fund crisis teams, \"not\" cells & <i>cuffs</i>.")
    page.goto(f"{site}/petitions/say-no/?sort=name")
    assert meta(page, "og:title") == TITLE  # the browser reads back exactly what was typed
    assert meta(page, "og:description") == meta(page, "description") == petition.ask
    assert meta(page, "twitter:description") == petition.ask
    assert meta(page, "og:url") == f"{site}/petitions/say-no/"
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:site_name") == "Groundswell"
    assert meta(page, "og:locale") == "en_GB"
    assert meta(page, "twitter:card") == "summary"
    assert page.locator("head b, head i, head script").count() == 0


def test_home_and_all_petitions_pages_list_open_petitions_and_are_accessible(site, page, axe):
    campaign = make_campaign(title="Care, not police")
    popular = make_petition(campaign, title="End police-led crisis care")
    actions.confirm_signature(signature=sign(popular).signature)
    make_petition(campaign, title="Fund crisis cafes")
    make_petition(campaign, title="A draft nobody sees", state=Petition.State.DRAFT)

    page.goto(f"{site}/")
    expect(page.get_by_role("link", name="End police-led crisis care")).to_be_visible()
    expect(page.get_by_role("link", name="Fund crisis cafes")).to_be_visible()
    expect(page.get_by_text("A draft nobody sees")).to_have_count(0)
    axe.assert_no_violations(page)

    page.get_by_role("link", name="See all 2 open petitions and search by title").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open petitions")
    axe.assert_no_violations(page)

    page.get_by_label("Search petitions by title").fill("cafes")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 open petition matches “cafes”")).to_be_visible()
    expect(page.get_by_role("link", name="End police-led crisis care")).to_have_count(0)
    axe.assert_no_violations(page)

    # The box stops at 100 characters (maxlength); an address made by hand can be longer.
    page.goto(f"{site}/petitions/?q={'x' * 101}")
    expect(page.get_by_role("alert")).to_contain_text("Use at most 100 characters")
    axe.assert_no_violations(page)


def test_a_partner_site_shows_the_card_in_a_frame_and_no_other_page(site, page, axe):
    petition = make_petition(title="Care, not police", slug="care")
    actions.confirm_signature(signature=sign(petition).signature)
    partner_page = (
        f'<!doctype html><html lang="en"><title>Partner</title><body>'
        f'<iframe id="card" src="{site}/petitions/care/embed/" title="Petition: Care, not police"></iframe>'
        f'<iframe id="page" src="{site}/petitions/care/" title="The whole page"></iframe></body></html>'
    )
    with partner_site(partner_page) as partner:
        page.goto(partner)
        card = page.frame_locator("#card")
        expect(card.get_by_role("heading", name="Care, not police")).to_be_visible()
        expect(card.locator(".embed-count")).to_have_text("1 signature")
        with page.expect_popup() as popup:
            card.get_by_role("link", name="Sign the petition").click()
        assert popup.value.url == f"{site}/petitions/care/"
        # The petition page itself refuses the frame: Chromium shows its error page instead.
        urls = [frame.url for frame in page.frames]
        assert f"{site}/petitions/care/embed/" in urls and f"{site}/petitions/care/" not in urls
        expect(page.frame_locator("#page").locator("h1")).not_to_have_text("Care, not police")

    page.goto(f"{site}/petitions/care/embed/")
    axe.assert_no_violations(page)
