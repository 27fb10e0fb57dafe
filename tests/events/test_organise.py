"""Organisers create, edit, publish and cancel events; only organisers of the event's own
organisation see who replied and what they need (each look recorded); bad input is refused kindly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from groundswell.events.models import AttendeeListView, Event
from tests.factories import make_campaign, make_event, make_organisation, make_organiser, make_rsvp

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1


def _fields(campaign, **overrides):
    data = {
        "campaign": campaign.pk, "title": "Coalition meeting", "description": "We plan the next steps.",
        "starts_on": f"{NEXT_YEAR}-03-28", "starts_time": "18:30", "ends_on": "", "ends_time": "20:00",
        "time_zone": "Europe/London", "mode": "in_person", "venue": "Guildford Library", "address": "77 North Street",
        "step_free_access": "Level entrance.", "toilets": "", "hearing_loop": "", "seating": "", "quiet_space": "",
        "joining_link": "", "capacity": "", "target": "", "commitment": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def organiser_client(client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    client.campaign = make_campaign(organisation)
    return client


def test_an_organiser_creates_a_draft_publishes_it_and_the_campaign_page_lists_it(organiser_client):
    client, campaign = organiser_client, organiser_client.campaign
    response = client.post("/organise/events/new/", _fields(campaign))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.status == "draft"
    # 18:30 in London on 28 March is British Summer Time (UTC+1) once the clocks have gone forward.
    assert event.local_start.hour == 18 and event.time_zone == "Europe/London"
    assert f'href="/events/{event.pk}/"' not in client.get(f"/campaigns/{campaign.slug}/").text
    client.post(f"/organise/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == "published"
    assert f'href="/events/{event.pk}/"' in client.get(f"/campaigns/{campaign.slug}/").text
    client.logout()
    assert client.get(f"/events/{event.pk}/").status_code == 200


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"ends_time": "17:00"}, "ends_time", "must end after it starts"),
        ({"capacity": "0"}, "capacity", "Enter at least 1 place"),
        ({"capacity": "-5"}, "capacity", "Enter at least 1 place"),
        ({"capacity": "lots"}, "capacity", "whole number"),
        ({"description": "x" * 102_400}, "description", "keep it to 10,000 characters or fewer (it has 102400)"),
        ({"mode": "online", "joining_link": "not a link at all"}, "joining_link", "Enter the whole joining link"),
        ({"mode": "online", "joining_link": "http://meet.example.org/x"}, "joining_link", "must start with https://"),
        ({"mode": "online", "joining_link": "javascript:alert(1)"}, "joining_link", "Enter the whole joining link"),
        ({"starts_on": "2027-02-30"}, "starts_on", "Enter a real date"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
        ({"venue": ""}, "venue", "Enter the venue"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(organiser_client, overrides, field, message):
    client = organiser_client
    response = client.post("/organise/events/new/", _fields(client.campaign, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Event.objects.exists()


def test_publishing_an_online_event_without_its_link_is_refused(organiser_client):
    client = organiser_client
    client.post("/organise/events/new/", _fields(client.campaign, mode="online", venue=""))
    event = Event.objects.get()
    response = client.post(f"/organise/events/{event.pk}/publish/", follow=True)
    assert "Add the joining link before publishing" in response.text
    event.refresh_from_db()
    assert event.status == "draft"


def test_the_attendees_page_shows_needs_and_records_each_look_and_the_sign_in_list_has_none(organiser_client):
    client = organiser_client
    event = make_event(client.campaign)
    make_rsvp(event, name="Robin Reader", access_needs=["bsl", "step_free"], access_needs_other="I bring my assistance dog")
    make_rsvp(event, email="b@example.org", name="Bea Other", access_needs=["bsl"])
    page = client.get(f"/organise/events/{event.pk}/attendees/").text
    assert "Robin Reader" in page and "British Sign Language" in page and "assistance dog" in page
    assert page.count("organiser") >= 1 and AttendeeListView.objects.filter(event=event).count() == 1
    assert client.get(f"/organise/events/{event.pk}/attendees/")["Cache-Control"].startswith("max-age=0")
    assert AttendeeListView.objects.filter(event=event).count() == 2
    overview = client.get(f"/organise/events/{event.pk}/").text
    assert "A British Sign Language (BSL) interpreter</th><td class=\"number\">2" in overview.replace("\n", "")
    assert "Robin Reader" not in overview  # counts for the venue, no names
    for url in (f"/organise/events/{event.pk}/sign-in/", f"/organise/events/{event.pk}/sign-in.csv"):
        body = client.get(url).content.decode()
        assert "Robin Reader" in body and "Bea Other" in body
        assert "Sign Language" not in body and "assistance dog" not in body and "Step-free access (" not in body


def test_a_name_cannot_become_a_spreadsheet_formula(organiser_client):
    client = organiser_client
    event = make_event(client.campaign)
    make_rsvp(event, name="=HYPERLINK(\"http://evil.example\")")
    assert "'=HYPERLINK" in client.get(f"/organise/events/{event.pk}/sign-in.csv").content.decode()


def test_organisers_of_another_organisation_get_404_for_every_id(client):
    theirs = make_event(make_campaign(make_organisation()))
    make_rsvp(theirs, name="Their Supporter", access_needs=["bsl"])
    ours = make_organisation()
    client.force_login(make_organiser(ours))
    make_campaign(ours)
    for path in ("", "edit/", "attendees/", "sign-in/", "sign-in.csv", "cancel/"):
        assert client.get(f"/organise/events/{theirs.pk}/{path}").status_code == 404, path
    assert client.post(f"/organise/events/{theirs.pk}/publish/").status_code == 404
    assert client.post(f"/organise/events/{theirs.pk}/cancel/", {"confirm": "yes"}).status_code == 404
    assert client.post(f"/organise/events/{theirs.pk}/edit/", _fields(theirs.campaign)).status_code == 404
    for missing in (theirs.pk + 1000, 2**62):
        assert client.get(f"/organise/events/{missing}/attendees/").status_code == 404
    assert "Their Supporter" not in client.get("/organise/events/").text
    assert not AttendeeListView.objects.exists()
    theirs.refresh_from_db()
    assert theirs.status == "published"
    # Nor can they put an event in another organisation's campaign.
    response = client.post("/organise/events/new/", _fields(theirs.campaign))
    assert response.status_code == 400 and Event.objects.count() == 1


def test_a_moderator_of_the_organisation_cannot_see_attendees(client):
    event = make_event()
    client.force_login(make_organiser(event.campaign.organisation, role="moderator"))
    assert client.get(f"/organise/events/{event.pk}/attendees/").status_code == 404


def test_cancelling_asks_first_then_cancels(organiser_client):
    client = organiser_client
    event = make_event(client.campaign)
    make_rsvp(event)
    assert "We will email the 1 person" in client.get(f"/organise/events/{event.pk}/cancel/").text
    client.post(f"/organise/events/{event.pk}/cancel/")
    event.refresh_from_db()
    assert event.status == "published"
    client.post(f"/organise/events/{event.pk}/cancel/", {"confirm": "yes"})
    event.refresh_from_db()
    assert event.status == "cancelled" and event.cancelled_at is not None


def test_editing_loads_the_local_times_back(organiser_client):
    client = organiser_client
    start = timezone.datetime(NEXT_YEAR, 11, 2, 10, 0, tzinfo=Event(time_zone="Europe/London").zone)
    event = make_event(client.campaign, starts_at=start, hours=2)
    page = client.get(f"/organise/events/{event.pk}/edit/").text
    assert 'value="10:00"' in page and 'value="12:00"' in page and f'value="{NEXT_YEAR}-11-02"' in page
    assert timedelta(0) == event.local_start.utcoffset()  # GMT after the clocks go back


def test_a_cancelled_event_cannot_be_edited(organiser_client):
    client = organiser_client
    event = make_event(client.campaign)
    client.post(f"/organise/events/{event.pk}/cancel/", {"confirm": "yes"})
    response = client.post(f"/organise/events/{event.pk}/edit/", _fields(client.campaign, title="Back on"), follow=True)
    assert "A cancelled event cannot be changed" in response.text
    event.refresh_from_db()
    assert event.title != "Back on" and event.status == "cancelled"
