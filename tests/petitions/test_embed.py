"""The embeddable petition card: the one page other websites may frame, with no script at all."""

import re

import pytest
from django.urls import reverse

from groundswell.petitions import actions
from groundswell.petitions.models import Petition
from tests.factories import make_organisation, make_organiser, make_petition, sign

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def embed_url(petition):
    return reverse("petitions:embed", args=[petition.slug])


def test_the_card_shows_the_count_progress_and_a_sign_link_that_opens_a_new_tab(client, settings):
    settings.SITE_URL = "https://petition.example.org"
    petition = make_petition(title="Care, not police", slug="care", milestones=[10])
    for i in range(3):
        actions.confirm_signature(signature=sign(petition, email=f"s{i}@example.org").signature)
    sign(petition, email="unconfirmed@example.org")  # not counted
    html = client.get(embed_url(petition)).content.decode()
    assert "Care, not police" in html
    assert "<strong>3</strong> signatures" in html
    assert '<progress id="embed-progress" max="10" value="3">' in html
    assert re.search(r'<a class="embed-sign" href="https://petition.example.org/petitions/care/" target="_blank" rel="noopener">', html)


def test_the_card_may_be_framed_by_any_site_and_runs_no_script(client):
    petition = make_petition()
    response = client.get(embed_url(petition))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    policy = directives(response)
    assert policy["frame-ancestors"] == "*"
    assert policy["script-src"] == "'none'"
    assert policy["default-src"] == "'none'"
    assert policy["style-src"] == "'self'"
    html = response.content.decode()
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert re.search(r'<link rel="stylesheet" href="/static/petitions/embed\.css">', html)
    assert not response.cookies  # nothing set on a partner's visitors


def test_who_may_frame_the_card_is_a_setting(client, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://partner.example", "https://other.example"]
    response = client.get(embed_url(make_petition()))
    assert directives(response)["frame-ancestors"] == "https://partner.example https://other.example"


def test_the_cached_card_keeps_its_headers_and_a_fresh_count(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    petition = make_petition()
    first = client.get(embed_url(petition))
    second = client.get(embed_url(petition))
    assert second.content == first.content
    assert directives(second)["frame-ancestors"] == "*" and "X-Frame-Options" not in second.headers


def test_drafts_have_no_card(client):
    draft = make_petition(state=Petition.State.DRAFT)
    response = client.get(embed_url(draft))
    assert response.status_code == 404
    assert response.headers["X-Frame-Options"] == "DENY"


def test_every_other_page_still_refuses_to_be_framed(client):
    petition = make_petition()
    campaign = petition.campaign
    anonymous = [
        reverse("composition:home"),
        reverse("petitions:list"),
        reverse("petitions:list") + "?q=care",
        reverse("petitions:detail", args=[petition.slug]),
        reverse("petitions:check_email", args=[petition.slug]),
        reverse("composition:campaign", args=[campaign.slug]),
        reverse("core:privacy"),
        reverse("accounts:login"),
        "/no-such-page/",
    ]
    organisation = make_organisation()
    organiser = make_organiser(organisation)
    for url in anonymous:
        response = client.get(url)
        assert response.headers.get("X-Frame-Options") == "DENY", url
        assert directives(response)["frame-ancestors"] == "'none'", url
    client.force_login(organiser)
    for url in [reverse("composition:organise"), reverse("petitions:detail", args=[petition.slug])]:
        response = client.get(url)
        assert response.headers.get("X-Frame-Options") == "DENY", url
        assert directives(response)["frame-ancestors"] == "'none'", url


def test_the_organisers_petition_page_offers_the_iframe_code(client, settings):
    settings.SITE_URL = "https://petition.example.org"
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    from tests.factories import make_campaign

    petition = make_petition(make_campaign(organisation), title='Say "yes" <now>', slug="say-yes")
    html = client.get(reverse("petitions:edit", args=[petition.pk])).content.decode()
    # Shown as text in a read-only box: the attribute values are escaped once inside the code,
    # and the code itself is escaped for the page.
    assert (
        '&lt;iframe src=&quot;https://petition.example.org/petitions/say-yes/embed/&quot; '
        'title=&quot;Petition: Say &amp;quot;yes&amp;quot; &amp;lt;now&amp;gt;&quot; width=&quot;360&quot; '
        'height=&quot;260&quot; loading=&quot;lazy&quot;&gt;&lt;/iframe&gt;'
    ) in html
    assert '<label for="embed-code">' in html
