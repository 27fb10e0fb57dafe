"""Reads for events' pages, calendar files, JSON, the organisers' screens and the own-data page."""

from collections import Counter

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from groundswell.accounts.queries import editable_organisations_for, organisations_for
from groundswell.events.models import RSVP, AccessNeed, Event
from groundswell.ledger import queries as ledger_queries

Status = RSVP.Status


def places_taken(event: Event) -> int:
    """Confirmed places that count toward the capacity (for an event in person and online, the
    places in the room)."""
    taken = event.rsvps.filter(status=Status.CONFIRMED)
    if event.mode == Event.Mode.BOTH:
        taken = taken.filter(attendance=RSVP.Attendance.IN_PERSON)
    return taken.count()


def places_left(event: Event) -> int | None:
    return None if event.capacity is None else max(0, event.capacity - places_taken(event))


def attendance_count(event: Event) -> int:
    """People with a confirmed place: the count that stays after names and needs are deleted."""
    return event.rsvps.filter(status=Status.CONFIRMED).count()


def public_events():
    return Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED], campaign__is_public=True)


def visible_event(user, pk) -> tuple[Event | None, bool]:
    """(the event, whether it is a preview): a draft, or an event of a campaign not yet public, is
    seen only by members of its organisation, as a preview."""
    event = Event.objects.select_related("campaign__organisation", "target", "commitment").filter(pk=pk).first()
    if event is None:
        return None, False
    public = event.status != Event.Status.DRAFT and event.campaign.is_public
    if public:
        return event, False
    if organisations_for(user).filter(pk=event.campaign.organisation_id).exists():
        return event, True
    return None, False


def upcoming_for_campaign(campaign, now=None):
    now = now or timezone.now()
    return Event.objects.filter(campaign=campaign, status=Event.Status.PUBLISHED, ends_at__gt=now).order_by("starts_at")


def calendar_events_for_campaign(campaign):
    """What the campaign's calendar feed and JSON carry: published and cancelled events (a
    cancelled one stays, marked, so calendars remove it), the last year's and all to come."""
    since = timezone.now() - timezone.timedelta(days=365)
    return Event.objects.filter(
        campaign=campaign, status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED], ends_at__gt=since
    ).select_related("campaign").order_by("starts_at")


def editable_events(user):
    """Events the user organises: an id from another organisation is a 404, like one that does not exist."""
    return Event.objects.filter(campaign__organisation__in=editable_organisations_for(user)).select_related(
        "campaign__organisation", "target", "commitment"
    )


def attendees(event: Event):
    return event.rsvps.exclude(status=Status.PENDING).order_by("status", "name", "pk")


def sign_in_list(event: Event):
    """Names and how they attend, for the door: never access needs."""
    return event.rsvps.filter(status=Status.CONFIRMED).order_by("name", "pk").values("name", "attendance")


def needs_by_kind(event: Event) -> list[tuple[str, int]]:
    """How many confirmed attendees need each thing, for the venue: counts, no names."""
    counts = Counter()
    other = 0
    for needs, text in event.rsvps.filter(status=Status.CONFIRMED).values_list("access_needs", "access_needs_other"):
        counts.update(set(needs or []))
        other += bool(text)
    rows = [(str(label), counts[value]) for value, label in AccessNeed.choices if counts[value]]
    if other:
        rows.append((gettext("Something else (described in words)"), other))
    return rows


def event_as_json(event: Event, absolute) -> dict:
    """An event as open data: no RSVPs, no joining link."""
    return {
        "id": event.pk,
        "title": event.title,
        "title_cy": event.title_cy,
        "url": absolute(reverse("events:detail", args=[event.pk])),
        "ics_url": absolute(reverse("events:ics", args=[event.pk])),
        "starts_at": event.local_start.isoformat(),
        "ends_at": event.local_end.isoformat(),
        "time_zone": event.time_zone,
        "mode": event.mode,
        "status": event.status,
        "venue": event.venue if event.in_person else "",
        "address": event.address if event.in_person else "",
        "accessibility": {
            name: getattr(event, name) for name in ("step_free_access", "toilets", "hearing_loop", "seating", "quiet_space")
        },
        "capacity": event.capacity,
        "places_left": places_left(event),
        "past": event.is_past(),
        "ledger_target_id": event.target_id,
        "ledger_commitment_id": event.commitment_id,
    }


def rsvp_of(email_normalised: str, public_id) -> RSVP | None:
    if not email_normalised:
        return None
    return RSVP.objects.select_related("event__campaign").filter(email_normalised=email_normalised, public_id=public_id).first()


def addresses_with_rsvps(emails_normalised: set[str]) -> set[str]:
    """Of these addresses, those with any reply to an event (the data-link email asks, for a batch)."""
    return set(RSVP.objects.filter(email_normalised__in=emails_normalised).values_list("email_normalised", flat=True).distinct())


def rsvps_held_about(email_normalised: str) -> list[dict]:
    """A supporter's replies to events, for their own-data page and download."""
    if not email_normalised:
        return []
    rsvps = RSVP.objects.filter(email_normalised=email_normalised).select_related("event__campaign__organisation")
    return [
        {
            "id": str(rsvp.public_id),
            "event": rsvp.event.title,
            "event_url": reverse("events:detail", args=[rsvp.event.pk]),
            "organisation": rsvp.event.campaign.organisation.name,
            "starts_at": rsvp.event.starts_at.isoformat(),
            "name": rsvp.name,
            "email": rsvp.email,
            "attendance": rsvp.attendance,
            "status": rsvp.status,
            "status_label": str(rsvp.get_status_display()),
            "access_needs": rsvp.access_need_labels,
            "access_needs_other": rsvp.access_needs_other,
            "access_needs_deleted_at": rsvp.access_needs_deleted_at.isoformat() if rsvp.access_needs_deleted_at else None,
            "replied_at": rsvp.created_at.isoformat(),
            "confirmed_at": rsvp.confirmed_at.isoformat() if rsvp.confirmed_at else None,
            "cancelled_at": rsvp.cancelled_at.isoformat() if rsvp.cancelled_at else None,
        }
        for rsvp in rsvps.order_by("created_at")
    ]


def target_page_section(target):
    """For the ledger's target page: the public events this target held or holds to keep its
    promises (the trust's listening event), or None."""
    events = list(
        public_events().filter(Q(target=target) | Q(commitment__response__ask__target=target))
        .select_related("commitment").order_by("starts_at").distinct()
    )
    if not events:
        return None
    return "events/target_section.html", {"events": events, "now": timezone.now()}


# The ledger's target page shows this section (ledger/queries.py TARGET_PAGE_SECTIONS).
if target_page_section not in ledger_queries.TARGET_PAGE_SECTIONS:
    ledger_queries.TARGET_PAGE_SECTIONS.append(target_page_section)
