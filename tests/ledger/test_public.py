"""The public record: scoreboard, timeline, JSON and Atom feed agree, and silence is counted."""

from datetime import date
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse

from groundswell.ledger.models import Commitment
from tests.factories import make_ask, make_campaign, make_commitment, make_organisation, make_response, make_target

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def ledger():
    organisation = make_organisation("Coalition")
    campaign = make_campaign(organisation, slug="care", title="Care not police")
    silent = make_target(organisation, name="NHS England", kind="nhs_body")
    make_ask(campaign, silent, asked_on=date(2024, 1, 10))
    answering = make_target(organisation, name="Surrey Police")
    ask = make_ask(campaign, answering, asked_on=date(2024, 1, 10))
    reply = make_response(ask, received_on=date(2024, 2, 1))
    make_commitment(reply, promise="Review the scheme.", due_on=date(2024, 6, 30))
    make_commitment(reply, promise="Publish the review.", due_on=None, status=Commitment.Status.KEPT,
                    evidence="Published.", evidence_url="https://example.org/published")
    hidden = make_target(organisation, name="Secret Target", is_public=False)
    make_ask(campaign, hidden)
    return campaign, silent, answering


def test_the_scoreboard_counts_silence_in_days_and_commitments_by_status(client, ledger):
    campaign, silent, answering = ledger
    with time_machine.travel(date(2024, 3, 1)):
        html = client.get(reverse("composition:campaign", args=[campaign.slug])).content.decode()
    assert "No response: 51 days" in html
    assert "Committed, 1 Feb 2024" in html
    assert "Answered after 22 days" in html
    assert "1 kept" in html and "1 pending" in html and "0 overdue" in html
    assert "Secret Target" not in html
    with time_machine.travel(date(2024, 7, 1)):
        html = client.get(reverse("composition:campaign", args=[campaign.slug])).content.decode()
    assert "1 overdue" in html and "0 pending" in html


def test_the_target_page_tells_the_whole_story_in_words_with_sources(client, ledger):
    campaign, silent, answering = ledger
    with time_machine.travel(date(2024, 7, 1)):
        html = client.get(reverse("ledger:target", args=[campaign.slug, answering.pk])).content.decode()
        silent_html = client.get(reverse("ledger:target", args=[campaign.slug, silent.pk])).content.decode()
    assert "Asked" in html and "Response: committed" in html
    assert "Promise: overdue" in html and "still pending after the date it was due" in html
    assert "Promise: kept" in html and "https://example.org/published" in html
    assert "https://news.example.org/review" in html
    assert "22 days after the ask" in html
    assert "No response for 173 days" in silent_html
    hidden = campaign.ledger_asks.get(target__name="Secret Target").target
    assert client.get(reverse("ledger:target", args=[campaign.slug, hidden.pk])).status_code == 404


def test_json_and_feed_show_every_entry_with_its_source(client, ledger):
    campaign, silent, answering = ledger
    with time_machine.travel(date(2024, 7, 1)):
        data = client.get(reverse("ledger:json", args=[campaign.slug])).json()
        feed = client.get(reverse("ledger:feed", args=[campaign.slug]))
    by_name = {t["name"]: t for t in data["targets"]}
    assert set(by_name) == {"NHS England", "Surrey Police"}
    assert by_name["NHS England"]["days_waiting"] == 173
    assert by_name["NHS England"]["asks"][0]["days_without_response"] == 173
    police = by_name["Surrey Police"]
    assert police["days_waiting"] is None and police["days_to_first_response"] == 22
    [response] = police["asks"][0]["responses"]
    assert response["source_url"] == "https://news.example.org/review"
    statuses = {c["promise"]: c["status"] for c in response["commitments"]}
    assert statuses == {"Review the scheme.": "overdue", "Publish the review.": "kept"}
    assert police["commitments"] == {"kept": 1, "pending": 0, "overdue": 1, "broken": 0}

    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert "Surrey Police: Response: committed" in titles
    assert "Surrey Police: Promise: overdue" in titles
    assert titles.count("NHS England: Asked") == 1
    assert not any("Secret" in t for t in titles)
    summaries = " ".join(e.findtext(f"{ATOM}summary") or "" for e in root.iter(f"{ATOM}entry"))
    assert "Source: https://news.example.org/review" in summaries


def test_a_private_campaign_has_no_public_ledger(client):
    campaign = make_campaign(is_public=False)
    for name in ("ledger:json", "ledger:feed"):
        assert client.get(reverse(name, args=[campaign.slug])).status_code == 404


def test_the_demo_ledger_loads_once_and_is_labelled(client, settings, tmp_path):
    from groundswell.composition.demo import load_demo_data

    settings.DATA_DIR = tmp_path
    load_demo_data(signatures=5)
    load_demo_data(signatures=5)
    html = client.get(reverse("composition:campaign", args=["care-not-police"])).content.decode()
    assert "Demonstration data based on news reports" in html
    for name in ("NHS England", "Surrey Police", "Surrey and Borders Partnership NHS Foundation Trust",
                 "Norfolk and Suffolk NHS Foundation Trust"):
        assert name in html
    data = client.get(reverse("ledger:json", args=["care-not-police"])).json()
    assert len(data["targets"]) == 5 and data["is_demo"] is True  # with Sussex Police, asked from the platform
    nhs = next(t for t in data["targets"] if t["name"] == "NHS England")
    assert nhs["asks"][0]["responses"][0]["received_on"] == "2023-03-15"
    assert len(nhs["asks"][0]["responses"][0]["commitments"]) == 4
