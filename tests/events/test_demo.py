"""The demo has the trust's listening event, linked to its ledger promise, and two coalition
meetings with replies and access needs; loading it sends no email, and it loads once."""

import pytest

from groundswell.composition.demo import load_demo_data
from groundswell.events.models import RSVP, Event
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def test_the_demo_has_events_linked_to_the_ledger_and_replies_with_needs(client, smtp_server):
    load_demo_data(signatures=10)
    load_demo_data(signatures=10)  # a second load changes nothing
    listening = Event.objects.get(title__startswith="Listening event")
    assert listening.commitment is not None and "listening events" in listening.commitment.promise
    assert listening.target.name == "Norfolk and Suffolk NHS Foundation Trust"
    assert {e.mode for e in Event.objects.all()} == {"in_person", "online"} and Event.objects.count() == 3
    assert RSVP.objects.exclude(access_needs=[]).count() >= 4
    page = client.get("/campaigns/care-not-police/").content.decode()
    assert "Listening event: crisis care in Norfolk and Suffolk" in page and "Coalition meeting (online)" in page
    target_page = client.get(f"/campaigns/care-not-police/ledger/{listening.target_id}/").content.decode()
    assert "Events held to keep promises" in target_page
    run_queued_tasks()
    assert smtp_server.messages == []
