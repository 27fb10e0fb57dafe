"""Calendar files (RFC 5545) for events, with the `icalendar` library.

Times are written in the event's own time zone (DTSTART;TZID=Europe/London:…) with that zone's
VTIMEZONE, so a calendar shows the right local time on either side of a change to or from
British Summer Time. The public files carry no joining link; a confirmed RSVP's own file does.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event as VEvent, vText

from groundswell.events.models import Event

PRODID = "-//Groundswell//Events//EN"


def _calendar(name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _location(event: Event) -> str:
    parts = []
    if event.in_person:
        parts += [event.venue, " ".join(event.address.split())]
    if event.online:
        parts.append("Online")
    return ", ".join(p for p in parts if p)


def _vevent(event: Event, *, joining_link: str = "") -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"{event.public_id}@groundswell")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.local_start)
    vevent.add("dtend", event.local_end)
    vevent.add("summary", event.title)
    url = f"{settings.SITE_URL}{reverse('events:detail', args=[event.pk])}"
    description = event.description
    if joining_link:
        description = f"{description}\n\nJoin online: {joining_link}".strip()
    vevent.add("description", f"{description}\n\n{url}".strip())
    vevent.add("url", url)
    location = _location(event)
    if location:
        vevent.add("location", vText(location))
    vevent.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    # A later version of the same event replaces the earlier one in a calendar.
    vevent.add("sequence", event.sequence)
    vevent.add("last-modified", event.updated_at or timezone.now())
    return vevent


def event_calendar(event: Event, *, joining_link: str = "") -> bytes:
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_vevent(event, joining_link=joining_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def campaign_calendar(campaign, events) -> bytes:
    calendar = _calendar(name=campaign.title)
    calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(_vevent(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()
