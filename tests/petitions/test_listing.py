"""Finding a petition: the home page's open petitions and the all-petitions page with its search."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groundswell.petitions.models import Petition
from groundswell.petitions.queries import open_petitions
from groundswell.petitions.views import OPEN_PETITIONS_PER_PAGE
from tests.factories import make_campaign, make_petition, make_signature

pytestmark = pytest.mark.django_db


def confirm_signatures(petition, n):
    for i in range(n):
        make_signature(petition, f"s{i}@example.org")


@pytest.fixture
def petitions():
    today = timezone.localdate()
    hidden_campaign = make_campaign(is_public=False)
    return {
        "open": make_petition(title="Open crisis care petition"),
        "draft": make_petition(title="Draft petition", state=Petition.State.DRAFT),
        "closed": make_petition(title="Closed petition", state=Petition.State.CLOSED),
        "archived": make_petition(title="Archived petition", state=Petition.State.ARCHIVED),
        "not_yet": make_petition(title="Not yet open petition", opens_on=today + timedelta(days=2)),
        "past": make_petition(title="Past its date petition", opens_on=today - timedelta(days=9), closes_on=today - timedelta(days=1)),
        "private": make_petition(hidden_campaign, title="Private campaign petition"),
    }


def test_home_page_lists_open_petitions_and_not_drafts_or_closed_ones(client, petitions):
    html = client.get(reverse("composition:home")).content.decode()
    assert "Open crisis care petition" in html
    for hidden in ("Draft petition", "Closed petition", "Archived petition", "Not yet open petition",
                   "Past its date petition", "Private campaign petition"):
        assert hidden not in html
    assert reverse("petitions:list") in html  # "see all"


def test_home_page_shows_the_most_signed_first_and_then_the_newest(client):
    today = timezone.localdate()
    quiet = make_petition(title="Quiet petition", opens_on=today)
    popular = make_petition(title="Popular petition", opens_on=today - timedelta(days=5))
    confirm_signatures(popular, 2)
    confirm_signatures(quiet, 1)
    assert [p.title for p in open_petitions()] == ["Popular petition", "Quiet petition"]
    assert [p.title for p in open_petitions(order="newest")] == ["Quiet petition", "Popular petition"]
    html = client.get(reverse("composition:home")).content.decode()
    assert html.index("Popular petition") < html.index("Quiet petition")
    assert "2 signatures" in html and "1 signature<" in html


def test_all_petitions_page_searches_by_title_without_javascript(client, petitions):
    make_petition(title="Fund mental health care")
    page = client.get(reverse("petitions:list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<form method="get"' in html and 'name="q"' in html
    assert "Open crisis care petition" in html and "Fund mental health care" in html
    assert "Draft petition" not in html and "Closed petition" not in html

    found = client.get(reverse("petitions:list"), {"q": "CRISIS"}).content.decode()
    assert "Open crisis care petition" in found and "Fund mental health care" not in found
    assert 'value="CRISIS"' in found  # what was typed is kept
    nothing = client.get(reverse("petitions:list"), {"q": "draft"}).content.decode()
    assert "Draft petition</a>" not in nothing and "No open petition has" in nothing


def test_a_too_long_search_is_explained_and_kept(client):
    response = client.get(reverse("petitions:list"), {"q": "x" * 101})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Use at most 100 characters" in html
    assert 'value="' + "x" * 101 + '"' in html
    assert 'aria-invalid="true"' in html


def test_search_text_is_escaped(client):
    html = client.get(reverse("petitions:list"), {"q": '<script>"x"'}).content.decode()
    assert "<script>" not in html.split("<body>")[1]


def test_all_petitions_page_is_paginated_and_links_keep_only_checked_values(client):
    campaign = make_campaign()
    for n in range(OPEN_PETITIONS_PER_PAGE + 1):
        make_petition(campaign, title=f"Numbered petition {n:02d}")
    first = client.get(reverse("petitions:list"), {"sort": "newest", "utm_source": "spam"}).content.decode()
    assert 'href="?sort=newest&amp;page=2"' in first
    assert "utm_source" not in first
    second = client.get(reverse("petitions:list"), {"sort": "newest", "page": "2"}).content.decode()
    assert second.count('class="card petition-summary"') == 1
    # A made-up page or order gives a page, not an error.
    assert client.get(reverse("petitions:list"), {"page": "banana", "sort": "nonsense"}).status_code == 200
