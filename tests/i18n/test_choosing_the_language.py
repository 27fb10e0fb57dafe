"""Choosing the language: the address says it, a first visit follows the browser, a choice sticks,
every page links to itself in the other language, and the page cache keeps the two apart."""

import re

import pytest
from django.test import Client

from tests.factories import make_petition

pytestmark = pytest.mark.django_db
PAGE = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}
WELSH_BROWSER = {**PAGE, "HTTP_ACCEPT_LANGUAGE": "cy-GB,cy;q=0.9,en;q=0.5"}


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_plain_addresses_are_english_and_cy_addresses_welsh():
    petition = make_petition()
    assert html_lang(Client().get(f"/petitions/{petition.slug}/")) == "en-GB"
    welsh = Client().get(f"/cy/petitions/{petition.slug}/")
    assert welsh.status_code == 200
    assert html_lang(welsh) == "cy"
    assert welsh["Content-Language"] == "cy"


def test_a_welsh_browser_is_sent_to_the_welsh_page_on_its_first_visit_only():
    petition = make_petition()
    browser = Client()
    first = browser.get(f"/petitions/{petition.slug}/?sort=name", **WELSH_BROWSER)
    assert first.status_code == 302
    assert first["Location"] == f"/cy/petitions/{petition.slug}/?sort=name"
    assert "Accept-Language" in first["Vary"] and "Cookie" in first["Vary"]
    welsh = browser.get(first["Location"], **WELSH_BROWSER)
    assert html_lang(welsh) == "cy"
    assert welsh.cookies["django_language"].value == "cy"
    # The language link on the Welsh page, a plain link to the English address of the same page.
    assert f'<a href="/petitions/{petition.slug}/" hreflang="en-GB" lang="en-GB">English</a>' in welsh.content.decode()
    english = browser.get(f"/petitions/{petition.slug}/", **WELSH_BROWSER)
    assert english.status_code == 200 and html_lang(english) == "en-GB"
    assert english.cookies["django_language"].value == "en-gb"
    assert html_lang(browser.get("/", **WELSH_BROWSER)) == "en-GB"  # the choice sticks


def test_english_browsers_machines_and_open_data_are_never_redirected_and_get_no_cookie():
    petition = make_petition()
    english = Client().get(f"/petitions/{petition.slug}/", **PAGE, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english.status_code == 200 and "django_language" not in english.cookies
    assert Client().get(f"/petitions/{petition.slug}.json", HTTP_ACCEPT_LANGUAGE="cy").status_code == 200
    assert Client().get("/health/", HTTP_ACCEPT_LANGUAGE="cy", **PAGE).status_code in (200, 503)
    assert Client().get(f"/petitions/{petition.slug}/", HTTP_ACCEPT_LANGUAGE="cy").status_code == 200  # not a page request


def test_every_page_names_its_alternates_and_links_to_the_same_page_in_the_other_language():
    petition = make_petition()
    html = Client().get(f"/petitions/{petition.slug}/").content.decode()
    assert f'<link rel="alternate" hreflang="en-GB" href="http://testserver/petitions/{petition.slug}/">' in html
    assert f'<link rel="alternate" hreflang="cy" href="http://testserver/cy/petitions/{petition.slug}/">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver/petitions/{petition.slug}/">' in html
    assert f'<a href="/cy/petitions/{petition.slug}/" hreflang="cy" lang="cy">Cymraeg</a>' in html
    # The site's own links stay in the page's language.
    welsh = Client().get(f"/cy/petitions/{petition.slug}/").content.decode()
    assert 'href="/cy/petitions/"' in welsh and 'href="/petitions/"' not in welsh


def test_the_page_cache_never_serves_one_language_for_the_other(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 5
    petition = make_petition()
    for _ in range(2):
        assert html_lang(Client().get(f"/petitions/{petition.slug}/")) == "en-GB"
        assert html_lang(Client().get(f"/cy/petitions/{petition.slug}/")) == "cy"
        assert html_lang(Client().get("/cy/")) == "cy"
        assert html_lang(Client().get("/")) == "en-GB"
