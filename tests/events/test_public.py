"""Public pages, calendar files and open data. The .ics files and the campaign's feed are read
back with an independent parser (vobject, not the icalendar library that writes them) and must
hold the right instants on both sides of a change to and from British Summer Time."""

import json
from datetime import date, datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.utils import timezone

from groundswell.events import actions, tokens
from groundswell.events.models import Event
from tests.factories import (
    data_link_token, make_ask, make_campaign, make_commitment, make_event, make_organisation, make_organiser,
    make_response, make_rsvp, make_target,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
YEAR = timezone.localdate().year + 1


def last_sunday(year, month) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def _parse(body: bytes):
    return vobject.readOne(body.decode())


def _events_by_uid(calendar):
    return {str(v.uid.value): v for v in calendar.vevent_list}


@pytest.mark.parametrize("month", [3, 10])
def test_an_events_ics_holds_the_right_time_either_side_of_a_clock_change(client, month):
    change = last_sunday(YEAR, month)
    before = make_event(starts_at=_at(change - timedelta(days=1), 10), hours=2)  # Saturday
    after = make_event(starts_at=_at(change + timedelta(days=1), 10), hours=2)  # Monday
    for event in (before, after):
        response = client.get(f"/events/{event.pk}/event.ics")
        assert response["Content-Type"].startswith("text/calendar")
        [vevent] = _parse(response.content).vevent_list
        start = vevent.dtstart.value
        assert start.tzinfo is not None and (start.hour, start.minute) == (10, 0)  # local wall time
        assert start.astimezone(dt_timezone.utc) == event.starts_at.astimezone(dt_timezone.utc)
        assert vevent.dtend.value.astimezone(dt_timezone.utc) == event.ends_at.astimezone(dt_timezone.utc)
        assert vevent.summary.value == event.title
        assert "meet.example" not in response.content.decode()
    in_summer_time = {3: after, 10: before}[month]
    in_winter_time = {3: before, 10: after}[month]
    assert in_summer_time.starts_at.astimezone(dt_timezone.utc).hour == 9  # 10:00 BST is 09:00 UTC
    assert in_winter_time.starts_at.astimezone(dt_timezone.utc).hour == 10


def test_the_campaign_feed_parses_and_holds_every_published_event_at_its_instant(client):
    campaign = make_campaign()
    march, october = last_sunday(YEAR, 3), last_sunday(YEAR, 10)
    events = [
        make_event(campaign, starts_at=_at(march - timedelta(days=1), 18)),
        make_event(campaign, starts_at=_at(march + timedelta(days=1), 18)),
        make_event(campaign, starts_at=_at(october - timedelta(days=1), 18)),
        make_event(campaign, starts_at=_at(october + timedelta(days=1), 18), mode=Event.Mode.ONLINE, venue="",
                   joining_link="https://meet.example.org/secret"),
    ]
    cancelled = make_event(campaign, starts_at=_at(october + timedelta(days=2), 18))
    actions.cancel_event(event=cancelled)
    draft = make_event(campaign, status=Event.Status.DRAFT)
    response = client.get(f"/campaigns/{campaign.slug}/events.ics")
    assert response.status_code == 200
    assert b"meet.example.org/secret" not in response.content
    parsed = _events_by_uid(_parse(response.content))
    assert f"{draft.public_id}@groundswell" not in parsed
    assert parsed[f"{cancelled.public_id}@groundswell"].status.value == "CANCELLED"
    for event in events:
        vevent = parsed[f"{event.public_id}@groundswell"]
        assert vevent.dtstart.value.hour == 18
        assert vevent.dtstart.value.astimezone(dt_timezone.utc) == event.starts_at.astimezone(dt_timezone.utc)
    utc_hours = sorted({e.starts_at.astimezone(dt_timezone.utc).hour for e in events})
    assert utc_hours == [17, 18]  # BST and GMT both present, each read correctly


def test_a_confirmed_reply_gets_its_own_calendar_file_with_the_joining_link(client):
    event = make_event(mode=Event.Mode.ONLINE, venue="", joining_link="https://meet.example.org/join-us")
    rsvp = make_rsvp(event)
    response = client.get(f"/events/reply/{tokens.MANAGE_LINK.make(rsvp.public_id)}/event.ics")
    [vevent] = _parse(response.content).vevent_list
    assert "https://meet.example.org/join-us" in vevent.description.value


def test_the_campaigns_events_json(client):
    campaign = make_campaign()
    event = make_event(campaign, capacity=10, mode=Event.Mode.BOTH, joining_link="https://meet.example.org/secret")
    make_rsvp(event, access_needs=["bsl"], name="Private Person")
    make_event(campaign, status=Event.Status.DRAFT, title="A draft")
    response = client.get(f"/campaigns/{campaign.slug}/events.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.content.decode()
    assert "secret" not in body and "Private Person" not in body and "bsl" not in body and "A draft" not in body
    [data] = json.loads(body)["events"]
    assert data["places_left"] == 9 and data["mode"] == "both" and data["time_zone"] == "Europe/London"
    assert datetime.fromisoformat(data["starts_at"]) == event.starts_at


def test_a_past_event_says_so_and_takes_no_replies(client):
    event = make_event(starts_in=-timedelta(days=2))
    page = client.get(f"/events/{event.pk}/").text
    assert "This event has taken place" in page and "<form" not in page.split("<main", 1)[1].split("</main>")[0]


def test_a_draft_or_an_event_in_a_private_campaign_is_a_404_except_to_its_organisers(client):
    draft = make_event(status=Event.Status.DRAFT)
    private = make_event(make_campaign(is_public=False))
    for event in (draft, private):
        assert client.get(f"/events/{event.pk}/").status_code == 404
        assert client.get(f"/events/{event.pk}/event.ics").status_code == 404
    client.force_login(make_organiser(draft.campaign.organisation))
    page = client.get(f"/events/{draft.pk}/")
    assert page.status_code == 200 and "Preview" in page.text
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    assert client.post(f"/events/{draft.pk}/", {"name": "x", "email": "x@example.org"}).status_code == 409


def test_the_campaign_page_lists_upcoming_events_only(client):
    campaign = make_campaign()
    upcoming = make_event(campaign, title="Upcoming meeting")
    make_event(campaign, title="Old meeting", starts_in=-timedelta(days=5))
    page = client.get(f"/campaigns/{campaign.slug}/").text
    assert "Upcoming meeting" in page and "Old meeting" not in page
    assert f"/events/{upcoming.pk}/" in page


def test_the_ledger_target_page_shows_the_event_that_keeps_a_promise(client):
    organisation = make_organisation()
    campaign = make_campaign(organisation)
    trust = make_target(organisation, name="Norfolk and Suffolk NHS Foundation Trust")
    commitment = make_commitment(make_response(make_ask(campaign, trust)), promise="Prepare listening events.")
    make_event(campaign, title="The trust's listening event", target=trust, commitment=commitment, starts_in=-timedelta(days=3))
    page = client.get(f"/campaigns/{campaign.slug}/ledger/{trust.pk}/").text
    assert "Events held to keep promises" in page and "The trust&#x27;s listening event" in page
    assert "keeping the promise “Prepare listening events.”" in page and "held" in page


def test_replies_are_on_the_own_data_page_and_can_be_cancelled_or_deleted_there(client):
    event = make_event(capacity=1)
    mine = make_rsvp(event, email="me@example.org", access_needs=["quiet_room"])
    waiting = make_rsvp(event, email="next@example.org")
    token = data_link_token("me@example.org")
    page = client.get(f"/my-data/{token}/").text
    assert "A quiet room" in page and event.title in page
    download = json.loads(client.post(f"/my-data/{token}/download/").content)
    assert download["rsvps"][0]["access_needs"] == ["A quiet room or space to take a break"]
    url = f"/my-data/{token}/events/{mine.public_id}/"
    assert client.get(url).status_code == 200
    client.post(url, {"confirm": "yes", "do": "cancel"})
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "confirmed")
    client.post(url, {"confirm": "yes", "do": "delete"})
    assert not event.rsvps.filter(pk=mine.pk).exists()
    # Another person's reply cannot be reached with my link.
    response = client.post(f"/my-data/{token}/events/{waiting.public_id}/", {"confirm": "yes", "do": "delete"})
    assert response.status_code == 302 and event.rsvps.filter(pk=waiting.pk).exists()


def test_deleting_everything_erases_replies_too_and_a_past_events_count_stays(client):
    past = make_event(starts_in=timedelta(days=1))
    rsvp = make_rsvp(past, email="me@example.org", access_needs=["bsl"])
    upcoming = make_event()
    make_rsvp(upcoming, email="me@example.org")
    Event.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2, hours=-2))
    token = data_link_token("me@example.org")
    client.post(f"/my-data/{token}/delete/", {"confirm": "yes"})
    rsvp.refresh_from_db()
    assert (rsvp.name, rsvp.email, rsvp.access_needs, rsvp.status) == ("", "", [], "confirmed")
    assert not upcoming.rsvps.exists()
