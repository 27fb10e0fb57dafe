"""Calendar files (RFC 5545) for events, with the `icalendar` library.

Times are written in the event's own time zone (DTSTART;TZID=Europe/London:…) with that zone's
VTIMEZONE, so a calendar shows the right local time on either side of a change to or from
British Summer Time. The public files carry no joining link; a confirmed RSVP's own file does.
Titles and descriptions are in the active language (the /cy/ address, or the email's language),
falling back to the English when the Welsh is blank.

The VTIMEZONE is written here from the zone's real transitions (Python's zoneinfo), one
STANDARD or DAYLIGHT part per change, each starting at the local time before the change, for a
year either side of the events. icalendar's own `add_missing_timezones` lists the changes as one
comma-separated RDATE, which is valid but which some readers get wrong: dateutil, and so vobject,
read every date in such a file as summer time (tests/events/test_public.py found it).
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event as VEvent, Timezone, TimezoneDaylight, TimezoneStandard, vText

from groundswell.core.i18n import local_text
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
        parts.append(gettext("Online"))
    return ", ".join(p for p in parts if p)


def _vevent(event: Event, *, joining_link: str = "") -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"{event.public_id}@groundswell")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.local_start)
    vevent.add("dtend", event.local_end)
    vevent.add("summary", local_text(event, "title")[0])
    url = f"{settings.SITE_URL}{reverse('events:detail', args=[event.pk])}"
    description = local_text(event, "description")[0]
    if joining_link:
        description = f"{description}\n\n{gettext('Join online:')} {joining_link}".strip()
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


def _transitions(zone: ZoneInfo, first: datetime, last: datetime):
    """(UTC instant, offset before, offset after) of each change of offset between two instants."""
    found = []
    day, before = first, first.astimezone(zone).utcoffset()
    while day < last:
        after = (day + timedelta(days=1)).astimezone(zone).utcoffset()
        if after != before:
            moment = day
            while (moment + timedelta(minutes=15)).astimezone(zone).utcoffset() == before:
                moment += timedelta(minutes=15)
            found.append((moment + timedelta(minutes=15), before, after))
            before = after
        day += timedelta(days=1)
    return found


def vtimezone(name: str, first: date, last: date) -> Timezone:
    zone = ZoneInfo(name)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)

    def part(moment, offset_from, offset_to):
        local = moment.astimezone(zone)
        component = TimezoneDaylight() if local.dst() else TimezoneStandard()
        component.add("dtstart", (moment + offset_from).replace(tzinfo=None))
        component.add("tzoffsetfrom", offset_from)
        component.add("tzoffsetto", offset_to)
        component.add("tzname", local.tzname())
        return component

    vtz = Timezone()
    vtz.add("tzid", name)
    offset = start.astimezone(zone).utcoffset()
    vtz.add_component(part(start, offset, offset))
    for moment, offset_from, offset_to in _transitions(zone, start, end):
        vtz.add_component(part(moment, offset_from, offset_to))
    return vtz


def _add_timezones(calendar: Calendar, events) -> None:
    by_zone: dict[str, list] = {}
    for event in events:
        by_zone.setdefault(event.time_zone, []).append(event)
    for name, zone_events in sorted(by_zone.items()):
        first = min(e.starts_at for e in zone_events).date() - timedelta(days=366)
        last = max(e.ends_at for e in zone_events).date() + timedelta(days=366)
        calendar.add_component(vtimezone(name, first, last))


def event_calendar(event: Event, *, joining_link: str = "") -> bytes:
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    _add_timezones(calendar, [event])
    calendar.add_component(_vevent(event, joining_link=joining_link))
    return calendar.to_ical()


def campaign_calendar(campaign, events) -> bytes:
    calendar = _calendar(name=local_text(campaign, "title")[0])
    calendar.add("x-published-ttl", "PT1H")
    events = list(events)
    _add_timezones(calendar, events)
    for event in events:
        calendar.add_component(_vevent(event))
    return calendar.to_ical()
