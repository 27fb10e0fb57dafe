"""Description, Open Graph and Twitter card tags on public pages: present, absolute, escaped."""

import re
from html import unescape

import pytest
from django.urls import reverse

from groundswell.core.templatetags.page_meta import describe
from tests.factories import make_action, make_ask, make_campaign, make_petition, make_target

pytestmark = pytest.mark.django_db

TAG = re.compile(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">')
HOSTILE = 'Stop "crisis" <script>alert(1)</script> & <b>policing</b>'


def meta_tags(html: str) -> dict[str, str]:
    """The page's meta tags as {name: raw attribute value} (still escaped, as in the HTML)."""
    return dict(TAG.findall(html.split("</head>")[0]))


def test_petition_page_has_description_open_graph_and_twitter_tags(client, settings):
    settings.SITE_URL = "https://petition.example.org"
    petition = make_petition(title="End police-led crisis care", slug="crisis-care", ask="Fund crisis teams everywhere.")
    html = client.get(reverse("petitions:detail", args=[petition.slug]) + "?sort=name").content.decode()
    tags = meta_tags(html)
    assert tags["description"] == "Fund crisis teams everywhere."
    assert tags["og:title"] == "End police-led crisis care"
    assert tags["og:description"] == "Fund crisis teams everywhere."
    # Absolute from SITE_URL, and without the visitor's query (the page is cached for everyone).
    assert tags["og:url"] == "https://petition.example.org/petitions/crisis-care/"
    assert tags["og:type"] == "website"
    assert tags["og:site_name"] == "Groundswell"
    assert tags["og:locale"] == "en_GB"
    assert tags["twitter:card"] == "summary"
    assert tags["twitter:title"] == "End police-led crisis care"
    assert '<link rel="canonical" href="https://petition.example.org/petitions/crisis-care/">' in html


def test_titles_and_summaries_with_quotes_and_tags_are_escaped_once(client):
    petition = make_petition(title=HOSTILE, ask=HOSTILE)
    html = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    head = html.split("</head>")[0]
    assert "<script>" not in head and "<b>" not in head
    tags = meta_tags(html)
    for name in ("og:title", "og:description", "description", "twitter:title", "twitter:description"):
        assert tags[name] == "Stop &quot;crisis&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;policing&lt;/b&gt;"
        assert unescape(tags[name]) == HOSTILE  # escaped exactly once: not &amp;quot;


def test_text_made_of_translated_template_text_is_escaped_once(client):
    """The ledger page's description comes from {% blocktranslate asvar %}, which escapes."""
    campaign = make_campaign(title='Care "now"')
    target = make_target(campaign.organisation, name='Police <Force> "A"', is_public=True)
    make_ask(campaign, target)
    html = client.get(reverse("ledger:target", args=[campaign.slug, target.pk])).content.decode()
    tags = meta_tags(html)
    assert tags["og:title"] == "Police &lt;Force&gt; &quot;A&quot;"
    assert unescape(tags["description"]).startswith(f"What {campaign.organisation.name} asked Police <Force> \"A\"")
    assert "&amp;" not in tags["description"]


def test_long_summaries_are_cut_at_a_word_with_an_ellipsis():
    text = "word " * 100
    cut = describe(text)
    assert len(cut) <= 200 and cut.endswith("word…")
    assert describe("  two\n\nlines  ") == "two lines"
    assert describe("short") == "short"


def test_every_public_page_has_tags_and_private_pages_have_none(client):
    campaign = make_campaign()
    petition = make_petition(campaign)
    target = make_target(campaign.organisation, is_public=True)
    make_ask(campaign, target)
    action = make_action(campaign)
    public = [
        reverse("composition:home"),
        reverse("petitions:list"),
        reverse("composition:campaign", args=[campaign.slug]),
        reverse("petitions:detail", args=[petition.slug]),
        reverse("ledger:target", args=[campaign.slug, target.pk]),
        reverse("letters:compose", args=[action.slug]),
    ]
    for url in public:
        tags = meta_tags(client.get(url).content.decode())
        assert {"description", "og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale",
                "twitter:card", "twitter:title"} <= set(tags), url
        assert tags["og:url"].startswith("http://testserver/"), url
    # A confirmation page's address holds a token: nothing about it is offered for previews.
    tags = meta_tags(client.get(reverse("petitions:check_email", args=[petition.slug])).content.decode())
    assert "og:url" not in tags
